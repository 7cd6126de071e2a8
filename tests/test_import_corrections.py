"""The free-exercise-db import's corrections (optimizer/importers/fedb_corrections.py), each
asserted on real records of the committed fixture, listed in the report, overridable; and a
full-body gym week on the imported exercises alone: no Olympic lift, calves from calf raises.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from optimizer import InputError, load_catalogue, solve
from optimizer.catalogue import derived_loading
from optimizer.importers import fedb_corrections, import_free_exercise_db, write_import
from optimizer.importers.free_exercise_db import guess_pattern, knee_flexion
from optimizer.scenario import Scenario

from .conftest import assert_valid

FIXTURE = Path(__file__).parent / "fixtures" / "free_exercise_db_subset.json"
CALF = ("gastrocnemius", "soleus")
POWER = ["fedb_clean", "fedb_hang_clean", "fedb_power_clean", "fedb_push_press", "fedb_split_jerk",
         "fedb_landmine_linear_jammer", "fedb_freehand_jump_squat", "fedb_alternate_leg_diagonal_bound"]


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """(import result, exercises by id as written, merged catalogue)."""
    folder = tmp_path_factory.mktemp("fedb")
    result = import_free_exercise_db(FIXTURE)
    write_import(result, folder)
    return result, {e["id"]: e for e in result.exercises}, load_catalogue([folder])


def listed(result, rule: str) -> set[str]:
    return set(result.report.corrections[rule]["exercises"])


def test_olympic_lifts_and_jumps_are_power_work_only(imported):
    result, by_id, cat = imported
    for ex_id in POWER:
        assert by_id[ex_id]["rep_schemes"] == ["power"], ex_id
        for level in ("beginner", "intermediate", "advanced"):
            assert cat.effect(cat.exercise(ex_id), level) == 0.0  # credits no volume
    assert set(POWER) <= listed(result, "power")
    # Olympic-category strength work and ordinary lifts keep their volume schemes.
    for ex_id in ("fedb_barbell_squat", "fedb_barbell_deadlift", "fedb_romanian_deadlift"):
        assert "power" not in by_id[ex_id]["rep_schemes"] and ex_id not in listed(result, "power")


def test_knee_flexion_of_power_and_upper_body_movements(imported):
    result, by_id, _ = imported
    # Why: the field defaults give a split jerk and a jammer (pattern "push") 0 degrees, and a
    # clean (a hinge) 110, whatever the catch.
    for name, category in (("Split Jerk", "olympic weightlifting"), ("Landmine Linear Jammer", "strength")):
        pattern, _ = guess_pattern(name, "shoulders", "push", "compound")
        assert pattern == "push" and knee_flexion(pattern, name, category) == 0
    expected = {"fedb_split_jerk": 45, "fedb_landmine_linear_jammer": 45, "fedb_push_press": 30,
                "fedb_power_clean": 90, "fedb_clean": 130, "fedb_hang_clean": 130,
                "fedb_backward_medicine_ball_throw": 0}  # a throw, no leg muscle: was 90 as a plyometric
    assert {i: by_id[i]["knee_flexion_deg"] for i in expected} == expected
    assert set(expected) <= listed(result, "knee_flexion")
    for ex_id in ("fedb_barbell_bench_press_medium_grip", "fedb_chin_up", "fedb_alternate_hammer_curl"):
        assert by_id[ex_id]["knee_flexion_deg"] == 0 and ex_id not in listed(result, "knee_flexion")
    assert by_id["fedb_barbell_squat"]["knee_flexion_deg"] == 100  # leg work keeps its pattern's default


def test_only_plantar_flexion_credits_the_calves(imported):
    result, by_id, _ = imported
    records = {f"fedb_{r['id'].lower().replace('-', '_')}": r for r in json.loads(FIXTURE.read_text())}
    assert "calves" in records["fedb_barbell_squat"]["secondaryMuscles"]
    for ex_id in ("fedb_barbell_squat", "fedb_clean", "fedb_barbell_deadlift", "fedb_dumbbell_lunges", "fedb_leg_press"):
        assert not set(CALF) & set(by_id[ex_id]["activation"]), ex_id
        assert ex_id in listed(result, "calves")
    for ex in result.exercises:
        if ex["pattern"] != "plantar_flexion":
            assert not set(CALF) & set(ex["activation"]), ex["id"]
    for ex_id in ("fedb_seated_calf_raise", "fedb_barbell_seated_calf_raise"):
        assert by_id[ex_id]["activation"]["soleus"] == 1.0 and ex_id not in listed(result, "calves")


def test_isometric_holds_use_the_hold_scheme(imported):
    result, by_id, cat = imported
    for ex_id in ("fedb_plank", "fedb_isometric_neck_exercise_front_and_back"):
        assert by_id[ex_id]["rep_schemes"] == ["hold"] and by_id[ex_id]["seconds_per_rep"] == 1.0
        assert ex_id in listed(result, "hold")
    assert cat.scheme_by_id["hold"].unit == "seconds"
    assert by_id["fedb_3_4_sit_up"]["rep_schemes"] != ["hold"]


def test_loading_is_written_only_where_the_equipment_misjudges_it(imported):
    result, by_id, cat = imported
    classes = {i: cat.exercise(i).loading_class for i in (
        "fedb_3_4_sit_up", "fedb_chin_up", "fedb_band_skull_crusher", "fedb_natural_glute_ham_raise",
        "fedb_kettlebell_pistol_squat", "fedb_barbell_squat", "fedb_weighted_pull_ups")}
    assert classes == {"fedb_3_4_sit_up": "fixed", "fedb_chin_up": "fixed", "fedb_band_skull_crusher": "limited",
                       "fedb_natural_glute_ham_raise": "limited", "fedb_kettlebell_pistol_squat": "progressive",
                       "fedb_barbell_squat": "progressive", "fedb_weighted_pull_ups": "progressive"}
    for ex in result.exercises:  # explicit only where it differs from the equipment's class
        if "loading" in ex:
            assert ex["loading"] != derived_loading(ex["equipment"]), ex["id"]
    assert listed(result, "loading") == {"fedb_natural_glute_ham_raise", "fedb_weighted_pull_ups"}
    assert "loading: limited" in result.files["exercises/fedb_hamstrings.yaml"]
    assert sum(result.report.loading.values()) == result.report.imported


def test_hip_movements_train_the_muscles_their_names_give(imported):
    result, by_id, cat = imported
    records = {r["name"]: r for r in json.loads(FIXTURE.read_text())}
    # Why: the source files both under the quadriceps, so the adduction credited a full
    # quadriceps set and the knee raise was a squat.
    assert records["Cable Hip Adduction"]["primaryMuscles"] == records["Hip Flexion with Band"]["primaryMuscles"] == ["quadriceps"]
    assert by_id["fedb_cable_hip_adduction"]["activation"] == {"adductor_magnus": 1.0}
    assert cat.primary_groups(cat.exercise("fedb_cable_hip_adduction")) == {"adductors"}
    flexion = by_id["fedb_hip_flexion_with_band"]
    assert flexion["activation"] == {"rectus_femoris": 0.5} and flexion["pattern"] == "other"
    assert cat.primary_groups(cat.exercise("fedb_hip_flexion_with_band")) == set()
    # A lunge filed under the hamstrings: the quadriceps lead, the hamstrings follow at half.
    assert records["Lunge Pass Through"]["primaryMuscles"] == ["hamstrings"]
    lunge = cat.exercise("fedb_lunge_pass_through")
    assert lunge.pattern == "lunge" and cat.primary_groups(lunge) == {"quadriceps"}
    assert cat.group_activation(lunge)["hamstrings"] == 0.5
    assert listed(result, "movement") == {"fedb_cable_hip_adduction", "fedb_hip_flexion_with_band", "fedb_lunge_pass_through"}
    for ex_id in ("fedb_dumbbell_lunges", "fedb_barbell_squat", "fedb_romanian_deadlift"):  # filed rightly: untouched
        assert ex_id not in listed(result, "movement")
    # Filed under their own muscles already: left as they are.
    assert cat.primary_groups(cat.exercise("fedb_thigh_adductor")) == {"adductors"}
    assert cat.primary_groups(cat.exercise("fedb_thigh_abductor")) == {"glutes"}


def test_report_lists_every_rule_with_its_exercises(imported):
    result, _, _ = imported
    data = json.loads(json.dumps(result.report.to_dict()))
    assert set(data["corrections"]) == {"power", "knee_flexion", "calves", "movement", "hold", "loading"}
    for rule in data["corrections"].values():
        assert rule["rule"] and rule["exercises"] == sorted(rule["exercises"])
    text = result.report.summary()
    assert f"power {len(listed(result, 'power'))}" in text and "Loading: fixed" in text


def test_overrides_win_over_corrections(tmp_path):
    ov = tmp_path / "fix.yaml"
    ov.write_text(
        "Clean: {rep_schemes: [heavy]}\n"
        "Split_Jerk: {knee_flexion_deg: 60}\n"
        "3_4_Sit-Up: {loading: limited}\n"
        "Barbell_Squat: {activation: {vastus_lateralis: 1.0, gastrocnemius: 0.25}}\n"
    )
    result = import_free_exercise_db(FIXTURE, ov)
    by_id = {e["id"]: e for e in result.exercises}
    assert by_id["fedb_clean"]["rep_schemes"] == ["heavy"] and "fedb_clean" not in listed(result, "power")
    assert by_id["fedb_split_jerk"]["knee_flexion_deg"] == 60 and "fedb_split_jerk" not in listed(result, "knee_flexion")
    assert "fedb_split_jerk" in listed(result, "power")  # the fields not overridden are still corrected
    assert by_id["fedb_3_4_sit_up"]["loading"] == "limited"
    assert by_id["fedb_barbell_squat"]["activation"]["gastrocnemius"] == 0.25
    assert "fedb_barbell_squat" not in listed(result, "calves")
    ov.write_text("3_4_Sit-Up: {loading: heavy}\n")
    with pytest.raises(InputError, match=r"fix.yaml:1: 3_4_Sit-Up.loading: Input should be .progressive"):
        import_free_exercise_db(FIXTURE, ov)


def full_body_week(cat, goal: str, exclude=()) -> Scenario:
    """Three 60-minute days, a gym with everything, imported exercises only."""
    builtin = {e.id for e in load_catalogue().exercises}
    return Scenario.model_validate({
        "name": "full body on the imported subset",
        "equipment": sorted(cat.equipment_by_id),
        "athlete": {"level": "intermediate", "exclude": sorted(builtin) + list(exclude)},
        "days": [{"day": d, "minutes": 60} for d in ("mon", "wed", "fri")],
        "targets": {"quadriceps": {"min": 6}, "hamstrings": {"min": 6}, "glutes": {"min": 4}, "calves": {"min": 4},
                    "chest": {"min": 4}, "back": {"min": 4}, "shoulders": {"min": 4}},
        "goal": goal,
        "solver": {"time_limit_s": 20, "workers": 1, "seed": 0},
    })


def solve_week(cat, goal: str, exclude=()):
    """(checked result, exercise ids used, the used ones crediting a calf muscle)."""
    sc = full_body_week(cat, goal, exclude)
    res = solve(sc, cat, workers=1, seed=0, time_limit_s=20)
    assert_valid(sc, cat, res)
    calves = next(v for v in res.plan.volume if v.unit == "calves")
    assert calves.shortfall == 0 and calves.sets >= 4
    used = {pe.exercise for day in res.plan.days for pe in day.exercises}
    return res, used, {i for i in used if set(CALF) & set(cat.exercise(i).activation)}


@pytest.mark.parametrize("goal", ["best_training", "least_time"])
def test_full_body_gym_week_has_no_olympic_lift_and_calves_from_calf_raises(imported, goal):
    result, by_id, cat = imported
    assert any(cat.exercise(i).needs(set(full_body_week(cat, goal).equipment)) for i in POWER)  # on offer
    _, used, crediting = solve_week(cat, goal)
    assert used and used <= set(by_id)
    assert not used & listed(result, "power")  # no Olympic lift, no jump
    assert crediting and all(cat.exercise(i).pattern == "plantar_flexion" for i in crediting)


def test_without_the_corrections_the_week_is_cleans(tmp_path, monkeypatch):
    """The test above can fail: the uncorrected import gives the issue's plan (cleans, calf
    credit from them) for the shortest week."""
    monkeypatch.setattr(fedb_corrections, "correct", lambda *args: [])
    write_import(import_free_exercise_db(FIXTURE), tmp_path)
    cat = load_catalogue([tmp_path])
    # The kettlebell sumo high pull (traps: the back is targeted here) credits the legs and
    # calves as a synergist too, cheaper still than the cleans: left out.
    _, used, crediting = solve_week(cat, "least_time", exclude=["fedb_kettlebell_sumo_high_pull"])
    assert {"fedb_clean", "fedb_hang_clean"} & used
    assert any(cat.exercise(i).pattern != "plantar_flexion" for i in crediting)


def leg_week(cat) -> Scenario:
    """Two 40-minute days with a kettlebell, imported exercises only, legs only."""
    builtin = {e.id for e in load_catalogue().exercises}
    return Scenario.model_validate({
        "name": "legs on the imported subset",
        "equipment": ["bodyweight", "kettlebell"],
        "athlete": {"level": "intermediate", "exclude": sorted(builtin)},
        "days": [{"day": d, "minutes": 40} for d in ("mon", "thu")],
        "targets": {"quadriceps": {"min": 6}, "hamstrings": {"min": 6}, "glutes": {"min": 6}},
        "goal": "least_time",
        "solver": {"time_limit_s": 20, "workers": 1, "seed": 0},
    })


def test_a_leg_week_is_built_from_leg_exercises(imported):
    """The kettlebell sumo high pull (primary traps) credits the quadriceps, hamstrings and
    glutes half a set each: the cheapest leg volume on offer, and no leg exercise."""
    _, _, cat = imported
    sc = leg_week(cat)
    res = solve(sc, cat, workers=1, seed=0, time_limit_s=20)
    assert_valid(sc, cat, res)
    used = {pe.exercise for day in res.plan.days for pe in day.exercises}
    assert used and "fedb_kettlebell_sumo_high_pull" not in used
    for ex_id in used:
        assert cat.primary_groups(cat.exercise(ex_id)) & {"quadriceps", "hamstrings", "glutes"}, ex_id


def test_without_the_aim_rule_the_leg_week_uses_the_high_pull(imported, monkeypatch):
    """The test above can fail: without the rule an exercise aimed elsewhere is chosen (the
    kettlebell sumo high pull, or the kettlebell windmill, which credits the legs as
    cheaply: which one is the canonical plan's choice), and the checker, which keeps the
    rule, rejects that plan."""
    from optimizer import candidates
    from optimizer.checker import check_result

    _, _, cat = imported
    monkeypatch.setattr(candidates, "off_aim", lambda primary, aimed: False)
    sc = leg_week(cat)
    res = solve(sc, cat, workers=1, seed=0, time_limit_s=20)
    used = {pe.exercise for day in res.plan.days for pe in day.exercises}
    legs = {"quadriceps", "hamstrings", "glutes"}
    off_aim = {i for i in used if not cat.primary_groups(cat.exercise(i)) & legs}
    assert off_aim and off_aim <= {"fedb_kettlebell_sumo_high_pull", "fedb_advanced_kettlebell_windmill"}
    flagged = {i for v in check_result(sc, cat, res).violations if v.rule == "aim" for i in off_aim if i in v.message}
    assert flagged == off_aim


@pytest.mark.parametrize("how", ["required", "prefer"])
def test_a_required_or_preferred_exercise_is_kept_whatever_its_muscles(imported, how):
    _, _, cat = imported
    sc = leg_week(cat)
    if how == "required":
        sc = sc.model_copy(update={"required": ["fedb_kettlebell_sumo_high_pull"]})
    else:
        sc = sc.model_copy(update={"athlete": sc.athlete.model_copy(update={"prefer": ["fedb_kettlebell_sumo_high_pull"]})})
    res = solve(sc, cat, workers=1, seed=0, time_limit_s=20)
    assert_valid(sc, cat, res)
    assert "fedb_kettlebell_sumo_high_pull" in {pe.exercise for day in res.plan.days for pe in day.exercises}
