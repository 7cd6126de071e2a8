"""One micro-test (at least) per constraint family, showing it binds.

Each either asserts a property of the plan computed straight from catalogue data, or
builds a case where the rule is what makes the scenario infeasible (and the family is
named in the conflict). Every plan also passes the independent checker (``solved``).
"""

from __future__ import annotations

from optimizer import Status, load_catalogue

from .conftest import make_scenario

CAT = load_catalogue()
GYM = [
    "bodyweight", "dumbbell", "barbell", "squat_rack", "bench", "box", "leg_press", "leg_curl_machine",
    "leg_extension_machine", "lever_calf_raise_machine", "hyperextension_bench", "cable_station",
]


def used(result):
    return [(d.day, x) for d in result.plan.days for x in d.exercises]


def families(result):
    return {r.family for r in result.conflict}


def test_equipment_only_owned_items(solved):
    result, _ = solved(make_scenario(equipment=["bodyweight"]))
    assert used(result)
    for _, x in used(result):
        assert CAT.exercise_by_id[x.exercise].needs({"bodyweight"})


def test_equipment_conflict_with_required_exercise(solved):
    sc = make_scenario(equipment=["bodyweight"], required=["resistance_band_squat"])
    result, _ = solved(sc, expect_plan=False)
    assert result.status == Status.INFEASIBLE
    assert "equipment" in families(result)


def test_joint_limit_keeps_every_exercise_within_it(solved):
    sc = make_scenario(equipment=GYM, athlete={"max_knee_flexion_deg": 90}, targets={"vastus_medialis": {"min": 6}, "quadriceps": {"min": 10}})
    result, _ = solved(sc)
    assert all(CAT.exercise_by_id[x.exercise].knee_flexion_deg <= 90 for _, x in used(result))


def test_joint_limit_binds_against_a_pin(solved):
    sc = make_scenario(equipment=GYM, athlete={"max_knee_flexion_deg": 90}, pinned=[{"day": "mon", "exercise": "full_squat"}])
    result, _ = solved(sc, expect_plan=False)
    assert result.status == Status.INFEASIBLE
    assert "joint_limits" in families(result)


def test_exclusion_removes_a_chosen_exercise(solved):
    base, _ = solved(make_scenario())
    victim = used(base)[0][1].exercise
    result, _ = solved(make_scenario(athlete={"exclude": [victim]}))
    assert victim not in {x.exercise for _, x in used(result)}


def test_required_and_pinned(solved):
    sc = make_scenario(required=["wall_sit"], pinned=[{"day": "fri", "exercise": "glute_bridge", "sets": 3, "scheme": "moderate"}])
    result, _ = solved(sc)
    names = {x.exercise for _, x in used(result)}
    assert "wall_sit" in names
    fri = [x for d, x in used(result) if d == "fri" and x.exercise == "glute_bridge"]
    assert len(fri) == 1 and fri[0].sets == 3 and fri[0].scheme == "moderate"


def test_time_budget_holds_and_binds(solved):
    result, _ = solved(make_scenario(days=[{"day": "mon", "minutes": 12}, {"day": "thu", "minutes": 12}]))
    for d in result.plan.days:
        assert d.minutes_used <= 12
    hard = make_scenario(days=[{"day": "mon", "minutes": 15}], targets={"quadriceps": {"min": 12, "hard": True}})
    result, _ = solved(hard, expect_plan=False)
    assert result.status == Status.INFEASIBLE
    assert "time_budget" in families(result)


def test_session_limits(solved):
    sc = make_scenario(
        rules={"max_exercises_per_session": 1, "sets_per_exercise": {"min": 3, "max": 3}},
        days=[{"day": d, "minutes": 30} for d in ("mon", "wed", "fri", "sun")],
    )
    result, _ = solved(sc)
    for d in result.plan.days:
        assert len(d.exercises) <= 1
    assert all(x.sets == 3 for _, x in used(result))


def test_variety_at_most_n_days(solved):
    result, _ = solved(make_scenario(rules={"max_days_per_exercise": 1}))
    ids = [x.exercise for _, x in used(result)]
    assert len(ids) == len(set(ids))
    clash = make_scenario(
        rules={"max_days_per_exercise": 1},
        pinned=[{"day": "mon", "exercise": "glute_bridge"}, {"day": "fri", "exercise": "glute_bridge"}],
    )
    result, _ = solved(clash, expect_plan=False)
    assert result.status == Status.INFEASIBLE
    assert "variety" in families(result)


def test_recovery_spacing_binds(solved):
    days = [{"day": "mon", "minutes": 30}, {"day": "tue", "minutes": 30}, {"day": "thu", "minutes": 30}]
    result, _ = solved(make_scenario(days=days))
    for g in ("quadriceps", "hamstrings", "glutes"):
        loaded = {d for d, x in used(result) if g in CAT.primary_groups(CAT.exercise_by_id[x.exercise])}
        assert not {"mon", "tue"} <= loaded
    clash = make_scenario(days=days, pinned=[{"day": "mon", "exercise": "lunge"}, {"day": "tue", "exercise": "resistance_band_squat"}])
    result, _ = solved(clash, expect_plan=False)
    assert result.status == Status.INFEASIBLE
    assert "recovery" in families(result)
    relaxed = make_scenario(days=days, recovery={"min_hours_between_same_group": 24}, pinned=clash.model_dump()["pinned"])
    solved(relaxed)


def test_volume_caps_and_soft_shortfall(solved):
    result, _ = solved(make_scenario(targets={"quadriceps": {"min": 2, "max": 4}, "hamstrings": {"min": 6}}))
    quad = next(v for v in result.plan.volume if v.unit == "quadriceps")
    assert quad.sets <= 4
    tiny = make_scenario(days=[{"day": "mon", "minutes": 10}], targets={"quadriceps": {"min": 20}})
    result, report = solved(tiny)
    quad = next(v for v in result.plan.volume if v.unit == "quadriceps")
    assert quad.shortfall > 0
    assert report.terms["shortfall"] == next(t.value for t in result.objective_terms if t.name == "shortfall")


def test_hard_volume_floor_is_met(solved):
    result, _ = solved(make_scenario(targets={"hamstrings": {"min": 9, "hard": True}}))
    ham = next(v for v in result.plan.volume if v.unit == "hamstrings")
    assert ham.sets >= 9


def test_balance_ratio_hard(solved):
    sc = make_scenario(
        targets={"quadriceps": {"min": 6}, "hamstrings": {"min": 3}},
        balance={"quadriceps_to_hamstrings": {"min": 1.0, "max": 1.1, "hard": True}},
    )
    result, _ = solved(sc)
    ratio = result.plan.ratios[0]
    assert 1.0 <= ratio.numerator_sets / ratio.denominator_sets <= 1.1 + 1e-9
    impossible = make_scenario(
        targets={"quadriceps": {"min": 10, "hard": True}, "hamstrings": {"max": 4}},
        balance={"quadriceps_to_hamstrings": {"min": 1.0, "max": 1.3, "hard": True}},
    )
    result, _ = solved(impossible, expect_plan=False)
    assert result.status == Status.INFEASIBLE
    assert "balance" in families(result)


def test_calves_heavy_and_light(solved):
    sc = make_scenario(equipment=GYM, targets={"calves": {"min": 6}}, rules={"calves_heavy_and_light": True})
    result, _ = solved(sc)
    calf = [(x.scheme) for _, x in used(result) if CAT.exercise_by_id[x.exercise].pattern == "plantar_flexion"]
    assert "heavy" in calf and "light" in calf
    home = make_scenario(equipment=["bodyweight"], rules={"calves_heavy_and_light": True})
    result, _ = solved(home, expect_plan=False)
    assert result.status == Status.INFEASIBLE
    assert "calves" in families(result)


def _split(**rules):
    return make_scenario(
        equipment=GYM,
        days=[
            {"day": "tue", "minutes": 25, "shares_with": "back_chest", "warmup_minutes": 0},
            {"day": "thu", "minutes": 25, "shares_with": "arms_shoulders", "warmup_minutes": 0},
        ],
        targets={"quadriceps": {"min": 6}, "hamstrings": {"min": 6}},
        rules={"pairing": {"quadriceps": "arms_shoulders", "hamstrings": "back_chest"}, **rules},
    )


def test_pairing_hard_places_groups_on_their_days(solved):
    result, _ = solved(_split(pairing_hard=True))
    for day, x in used(result):
        groups = CAT.primary_groups(CAT.exercise_by_id[x.exercise])
        if "quadriceps" in groups:
            assert day == "thu"
        if "hamstrings" in groups:
            assert day == "tue"


def test_pairing_soft_penalty_counts_off_pair_sets(solved):
    result, report = solved(_split(pairing_hard=False, max_exercises_per_session=1))
    off = 0
    for day, x in used(result):
        groups = CAT.primary_groups(CAT.exercise_by_id[x.exercise])
        off += x.sets * (("quadriceps" in groups and day != "thu") + ("hamstrings" in groups and day != "tue"))
    assert next(t.value for t in result.objective_terms if t.name == "pairing") == off == report.terms["pairing"]


def test_rep_scheme_policy_with_calf_exemption(solved):
    sc = make_scenario(
        equipment=GYM,
        targets={"quadriceps": {"min": 6}, "calves": {"min": 4}},
        rules={"rep_schemes": ["moderate"], "calves_heavy_and_light": True},
    )
    result, _ = solved(sc)
    for _, x in used(result):
        if CAT.exercise_by_id[x.exercise].pattern == "plantar_flexion":
            assert x.scheme in ("moderate", "heavy", "light")
        else:
            assert x.scheme == "moderate"
    assert {"heavy", "light"} <= {x.scheme for _, x in used(result)}
