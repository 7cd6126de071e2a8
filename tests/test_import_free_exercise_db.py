"""The free-exercise-db importer: mapping of every equipment and muscle value, the report's
counts, overrides, determinism, merging with the built-in catalogue, and solving on it.

tests/fixtures/free_exercise_db_subset.json holds 64 unmodified public-domain records of
free-exercise-db (The Unlicense), chosen to cover every equipment value, every muscle
value and the skip reasons found in real data (the reasons real data never triggers are
built in the tests), and the Olympic lifts, jumps, holds, hard bodyweight variants and
misfiled hip movements the import corrects, and a traps pull that credits the legs as a
synergist (tests/test_import_corrections.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optimizer import InputError, load_catalogue, solve
from optimizer.cli import app
from optimizer.importers import import_free_exercise_db, write_import
from optimizer.importers.free_exercise_db import map_activation, map_equipment, snake

from .conftest import FEASIBLE_EXAMPLES, SHARED, assert_valid, load_example

FIXTURE = Path(__file__).parent / "fixtures" / "free_exercise_db_subset.json"
FULL = SHARED / "datasets" / "free-exercise-db" / "exercises.json"


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The fixture imported into a folder: (result, folder, merged catalogue)."""
    folder = tmp_path_factory.mktemp("fedb")
    result = import_free_exercise_db(FIXTURE)
    write_import(result, folder)
    return result, folder, load_catalogue([folder])


# Mapping, value by value (expected values are the documented tables) --------------------

EQUIPMENT_CASES = [
    ("body only", "Pushups", ["bodyweight"]),
    ("body only", "Chin-Up", ["bodyweight", "pull_up_bar"]),
    ("body only", "Decline Crunch", ["bodyweight", "bench"]),
    ("bands", "Band Good Morning", ["resistance_band"]),
    ("exercise ball", "Ball Leg Curl", ["exercise_ball"]),
    ("dumbbell", "Dumbbell Bicep Curl", ["dumbbell"]),
    ("dumbbell", "Incline Dumbbell Press", ["dumbbell", "bench"]),
    ("barbell", "Barbell Deadlift", ["barbell"]),
    ("barbell", "Barbell Squat", ["barbell", "squat_rack"]),
    ("barbell", "Barbell Bench Press - Medium Grip", ["barbell", "bench"]),
    ("kettlebells", "Kettlebell Swing", ["kettlebell"]),
    ("cable", "Cable Crossover", ["cable_station"]),
    ("medicine ball", "Medicine Ball Chest Pass", ["medicine_ball"]),
    ("foam roll", "Calves-SMR", ["foam_roller"]),
    ("e-z curl bar", "EZ-Bar Curl", ["ez_bar"]),
    ("machine", "Leg Press", ["leg_press"]),
    ("machine", "Leg Extensions", ["leg_extension_machine"]),
    ("machine", "Lying Leg Curls", ["leg_curl_machine"]),
    ("machine", "Seated Calf Raise", ["lever_calf_raise_machine"]),
    ("machine", "Thigh Abductor", ["hip_abduction_machine"]),
    ("machine", "Smith Machine Squat", ["smith_machine"]),
    ("machine", "Reverse Hyperextension", ["reverse_hyper_machine"]),
    ("machine", "Butterfly", ["other_machine"]),
    ("other", "Parallel Bar Dip", ["dip_station"]),
    ("other", "Weighted Pull Ups", ["pull_up_bar"]),
    ("other", "Sled Push", ["sled"]),
    ("other", "Suspended Row", ["suspension_trainer"]),
    ("other", "Hyperextensions (Back Extensions)", ["hyperextension_bench"]),
    (None, "Mountain Climbers", ["bodyweight"]),
]


@pytest.mark.parametrize("value,name,expected", EQUIPMENT_CASES)
def test_each_equipment_value_maps_as_documented(value, name, expected):
    ids, why, _ = map_equipment(value, name)
    assert ids == expected, why


@pytest.mark.parametrize(
    "value,name,reason",
    [("other", "Atlas Stones", "special implement"), ("other", "Drop Push", "unknown equipment"), ("trampoline", "Bounce", "unknown equipment")],
)
def test_equipment_that_cannot_be_mapped_is_skipped_with_a_reason(value, name, reason):
    ids, why, _ = map_equipment(value, name)
    assert ids is None and why == reason


def test_an_exercise_that_needs_a_partner_needs_one_in_the_equipment(imported):
    """Prone Manual Hamstring: 'You will need a partner' (a hand resists the curl). Someone
    training alone does not get it; a medicine ball pass that offers a wall instead does not
    need one."""
    result, _, cat = imported
    by_id = {e["id"]: e for e in result.exercises}
    assert by_id["fedb_prone_manual_hamstring"]["equipment"] == ["bodyweight", "partner"]
    assert cat.exercise("fedb_prone_manual_hamstring").needs({"bodyweight", "partner"})
    assert not cat.exercise("fedb_prone_manual_hamstring").needs({"bodyweight", "resistance_band", "exercise_ball"})
    wall = "You will need a partner for this exercise. Lacking one, this movement can be performed against a wall."
    assert map_equipment("medicine ball", "Medicine Ball Chest Pass", wall)[0] == ["medicine_ball"]
    assert map_equipment("body only", "Leg Curl", "Lie face down.")[0] == ["bodyweight"]


MUSCLE_CASES = {
    "quadriceps": ("quadriceps", {"vastus_lateralis": 1.0, "vastus_medialis": 1.0, "vastus_intermedius": 1.0, "rectus_femoris": 0.75}),
    "hamstrings": ("hamstrings", {"biceps_femoris_long": 1.0, "semitendinosus": 1.0, "semimembranosus": 1.0, "biceps_femoris_short": 0.75}),
    "glutes": ("glutes", {"gluteus_maximus_lower": 1.0, "gluteus_maximus_upper": 0.5, "gluteus_medius": 0.5}),
    "abductors": ("glutes", {"gluteus_medius": 1.0, "gluteus_maximus_upper": 1.0}),
    "adductors": ("adductors", {"adductor_magnus": 1.0}),
    "calves": ("calves", {"gastrocnemius": 1.0, "soleus": 0.75}),
    "chest": ("chest", {"pectoralis_major": 1.0}),
    "lats": ("back", {"latissimus_dorsi": 1.0}),
    "middle back": ("back", {"rhomboids_mid_trapezius": 1.0}),
    "traps": ("back", {"upper_trapezius": 1.0}),
    "lower back": ("back", {"erector_spinae": 1.0}),
    "shoulders": ("shoulders", {"deltoids": 1.0}),
    "biceps": ("arms", {"biceps_brachii": 1.0}),
    "triceps": ("arms", {"triceps_brachii": 1.0}),
    "forearms": ("arms", {"forearms": 1.0}),
    "abdominals": ("core", {"abdominals": 1.0}),
    "neck": ("neck", {"neck_muscles": 1.0}),
}


@pytest.mark.parametrize("muscle", sorted(MUSCLE_CASES))
def test_each_muscle_value_maps_as_documented(muscle, catalogue):
    group, split = MUSCLE_CASES[muscle]
    primary = map_activation([muscle], [], "other", "Some Exercise")
    assert primary == split
    secondary = map_activation(["neck"] if muscle != "neck" else ["chest"], [muscle], "other", "Some Exercise")
    for m, share in split.items():  # half credit, on the 0.05 grid (0.375 rounds up to 0.4)
        assert secondary[m] == {1.0: 0.5, 0.75: 0.4, 0.5: 0.25}[share]
    assert {catalogue.group_of_muscle[m] for m in split} == {group}


def test_splits_depend_on_the_movement():
    assert map_activation(["hamstrings"], [], "knee_flexion", "Leg Curl")["biceps_femoris_short"] == 1.0
    assert map_activation(["hamstrings"], [], "hinge", "Romanian Deadlift")["biceps_femoris_short"] == 0.25
    seated = map_activation(["calves"], [], "plantar_flexion", "Seated Calf Raise")
    assert seated["soleus"] == 1.0 and seated["gastrocnemius"] == 0.5


def test_fixture_imports_with_every_value_and_mapped_exercises(imported):
    result, _, cat = imported
    records = json.loads(FIXTURE.read_text())
    values = {r["equipment"] for r in records}
    assert values == {None, "medicine ball", "dumbbell", "body only", "bands", "kettlebells", "foam roll", "cable", "machine", "barbell", "exercise ball", "e-z curl bar", "other"}
    assert {m for r in records for m in r["primaryMuscles"] + r["secondaryMuscles"]} == set(MUSCLE_CASES)
    by_id = {e.id: e for e in cat.exercises}
    squat = by_id["fedb_barbell_squat"]
    assert squat.equipment == ["barbell", "squat_rack"] and squat.pattern == "squat" and squat.knee_flexion_deg == 100
    assert cat.group_activation(squat)["quadriceps"] == 1.0
    curl = by_id["fedb_lying_leg_curls"]
    assert curl.pattern == "knee_flexion" and curl.equipment == ["leg_curl_machine"]
    calf = by_id["fedb_seated_calf_raise"]
    assert calf.pattern == "plantar_flexion" and {"heavy", "light"} <= set(calf.rep_schemes)
    assert by_id["fedb_barbell_squat"].level in ("beginner", "intermediate", "advanced")


def test_report_counts_match_the_records(imported):
    result, _, _ = imported
    rep = result.report
    records = json.loads(FIXTURE.read_text())
    assert rep.records == len(records) == 64
    assert rep.imported + rep.skipped == rep.records
    assert rep.imported == len(result.exercises)
    categories = [r["category"] for r in records]
    assert rep.skipped_by_reason == {
        "stretching": categories.count("stretching"),
        "cardio": categories.count("cardio"),
        "special implement": 1,  # Atlas Stones
        "unknown equipment": 1,  # Drop Push: "other", and the name names nothing
    }
    skipped = {i["id"] for i in rep.skipped_items}
    kept = [r for r in records if r["id"] not in skipped]
    assert sum(n for m in rep.equipment_values.values() for n in m.values()) == rep.imported
    for muscle in MUSCLE_CASES:
        naming = sum(1 for r in kept if muscle in r["primaryMuscles"] + r["secondaryMuscles"])
        assert rep.muscle_values.get(muscle, 0) == naming
    assert rep.guessed["pattern"] == rep.imported
    assert rep.guessed["mechanic"] == sum(1 for r in kept if r["mechanic"] is None)
    assert rep.new_equipment == ["ab_roller", "dip_station", "partner"]


def test_import_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_import(import_free_exercise_db(FIXTURE), a)
    write_import(import_free_exercise_db(FIXTURE), b)
    files = sorted(p.relative_to(a) for p in a.rglob("*.yaml"))
    assert files and files == sorted(p.relative_to(b) for p in b.rglob("*.yaml"))
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes()
    shuffled = tmp_path / "shuffled.json"
    records = json.loads(FIXTURE.read_text())
    shuffled.write_text(json.dumps(records[::-1]))
    again = import_free_exercise_db(shuffled)
    assert again.files["exercises/fedb_quadriceps.yaml"].split("\n", 2)[2] == import_free_exercise_db(FIXTURE).files["exercises/fedb_quadriceps.yaml"].split("\n", 2)[2]


def test_overrides_replace_fields_and_skip(tmp_path):
    ov = tmp_path / "fix.yaml"
    ov.write_text("Barbell_Squat: {knee_flexion_deg: 130, setup_s: 90}\nfedb_leg_press: {skip: no machine here}\n")
    result = import_free_exercise_db(FIXTURE, ov)
    by_id = {e["id"]: e for e in result.exercises}
    assert by_id["fedb_barbell_squat"]["knee_flexion_deg"] == 130 and by_id["fedb_barbell_squat"]["setup_s"] == 90
    assert "fedb_leg_press" not in by_id
    assert result.report.skipped_by_reason["override"] == 1
    assert result.report.overrides_applied == 1
    assert result.report.guessed["knee_flexion_deg"] == result.report.imported - 1


@pytest.mark.parametrize(
    "text,field",
    [("Nope_Not_Here: {setup_s: 1}", "Nope_Not_Here"), ("Barbell_Squat: {colour: red}", "Barbell_Squat.colour"), ("Barbell_Squat: {setup_s: -5}", "fix.yaml:1: Barbell_Squat.setup_s")],
)
def test_bad_overrides_are_input_errors(tmp_path, text, field):
    ov = tmp_path / "fix.yaml"
    ov.write_text(text + "\n")
    with pytest.raises(InputError) as err:
        import_free_exercise_db(FIXTURE, ov)
    assert field in str(err.value)


def test_records_real_data_never_has_are_skipped_or_refused(tmp_path):
    records = json.loads(FIXTURE.read_text())[:3]
    odd = [
        {**records[0], "id": "No_Muscles", "primaryMuscles": []},
        {**records[1], "id": "Odd_Muscle", "primaryMuscles": ["pinky"]},
        {**records[2], "id": "Odd_Kit", "equipment": "trampoline"},
    ]
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(odd))
    rep = import_free_exercise_db(path).report
    assert rep.skipped_by_reason == {"no muscles": 1, "unknown muscle": 1, "unknown equipment": 1}
    path.write_text(json.dumps({"not": "a list"}))
    with pytest.raises(InputError, match="JSON list"):
        import_free_exercise_db(path)
    path.write_text(json.dumps([{"name": "no id", "primaryMuscles": []}]))
    with pytest.raises(InputError, match=r"\[0\]\.id"):
        import_free_exercise_db(path)


def test_ids_are_prefixed_snake_case():
    assert snake("3_4_Sit-Up") == "fedb_3_4_sit_up"
    assert snake("Barbell_Bench_Press_-_Medium_Grip") == "fedb_barbell_bench_press_medium_grip"


# Catalogues, merging, the CLI ------------------------------------------------------------


def test_two_catalogues_with_the_same_ids_clash_naming_both_files(tmp_path):
    for name in ("one", "two"):
        write_import(import_free_exercise_db(FIXTURE), tmp_path / name)
    with pytest.raises(InputError) as err:
        load_catalogue([tmp_path / "one", tmp_path / "two"])
    text = str(err.value)
    assert str(tmp_path / "one") in text and str(tmp_path / "two") in text


def test_cli_import_writes_refuses_to_overwrite_and_reports(tmp_path):
    runner = CliRunner()
    out, report = tmp_path / "cat", tmp_path / "report.json"
    args = ["catalogue", "import", "free-exercise-db", str(FIXTURE), "--output", str(out), "--report", str(report)]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "59 imported, 5 skipped" in " ".join(first.stdout.split())  # wrapped to the width
    assert json.loads(report.read_text())["imported"] == 59
    before = (out / "exercises" / "fedb_quadriceps.yaml").read_bytes()
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "--force" in again.stderr
    forced = runner.invoke(app, args + ["--force"])
    assert forced.exit_code == 0
    assert (out / "exercises" / "fedb_quadriceps.yaml").read_bytes() == before
    listed = runner.invoke(app, ["catalogue", "list", "--catalogue", str(out), "--muscle", "calves", "--primary", "--format", "csv"])
    assert listed.exit_code == 0 and "fedb_seated_calf_raise" in listed.stdout
    shown = runner.invoke(app, ["catalogue", "show", "fedb_barbell_squat", "--catalogue", str(out)])
    assert shown.exit_code == 0 and "squat_rack" in shown.stdout


def test_force_removes_files_an_earlier_import_no_longer_produces(tmp_path):
    write_import(import_free_exercise_db(FIXTURE), tmp_path)
    assert (tmp_path / "exercises" / "fedb_neck.yaml").exists()
    neck = [r["id"] for r in json.loads(FIXTURE.read_text()) if r["primaryMuscles"] == ["neck"]]
    ov = tmp_path / "fix.yaml"
    ov.write_text("".join(f"{i}: {{skip: test}}\n" for i in neck))
    mine = tmp_path / "exercises" / "mine.yaml"
    mine.write_text("exercises: []\n")
    write_import(import_free_exercise_db(FIXTURE, ov), tmp_path, force=True)
    assert not (tmp_path / "exercises" / "fedb_neck.yaml").exists()
    assert mine.exists()  # never deletes a file the importer did not write


# Solving on the imported catalogue -------------------------------------------------------


@pytest.mark.parametrize("path", FEASIBLE_EXAMPLES, ids=lambda p: p.stem)
def test_examples_solve_on_builtin_plus_imported(path, imported):
    _, _, cat = imported
    sc = load_example(path.stem)
    result = solve(sc, cat, workers=1, seed=0, time_limit_s=8)
    assert_valid(sc, cat, result)


@pytest.mark.slow
@pytest.mark.skipif(not FULL.is_file(), reason="the shared free-exercise-db file is absent")
def test_full_file_yields_a_valid_catalogue(tmp_path):
    result = import_free_exercise_db(FULL)
    write_import(result, tmp_path)
    cat = load_catalogue([tmp_path])
    assert result.report.records == 873
    assert result.report.imported == len(cat.exercises) - len(load_catalogue().exercises) > 600
    assert result.report.skipped_by_reason["stretching"] == 123 and result.report.skipped_by_reason["cardio"] == 14
    sc = load_example("home_balls_and_bands")
    res = solve(sc, cat, workers=1, seed=0, time_limit_s=10)
    assert_valid(sc, cat, res)
