"""A catalogue a coach brings (``--catalogue DIR``) extends the built-in one.

The fixture ``tests/fixtures/head_catalogue`` is a small head-level catalogue in another
planner's style: heads added under built-in groups, a new group, activations on a 0.01
grid, patterns the product does not know, an exercise with no equipment and fields left
to the documented defaults. Every plan goes through the independent checker.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from optimizer import InputError, load_catalogue
from optimizer.catalogue_load import DEFAULTS, SHOWN
from optimizer.cli import app
from optimizer.errors import InputErrors
from optimizer.problem import build_problem

from .conftest import make_scenario

HEADS = Path(__file__).parent / "fixtures" / "head_catalogue"


@pytest.fixture(scope="module")
def heads():
    return load_catalogue([HEADS])


def test_heads_join_builtin_groups_without_renaming(heads, catalogue):
    core = [m.id for m in heads.group_by_id["core"].muscles]
    assert core[: len(catalogue.group_by_id["core"].muscles)] == [m.id for m in catalogue.group_by_id["core"].muscles]
    assert {"obliques_external", "obliques_internal", "transversus_abdominis"} <= set(core)
    assert heads.group_of_muscle["gluteus_minimus"] == "glutes"
    assert heads.group_by_id["glutes"].name == catalogue.group_by_id["glutes"].name  # the first definition stands
    assert heads.group_by_id["hip_flexors"].region == "other"
    assert heads.muscle_by_id["transversus_abdominis"].name == "Transversus abdominis"  # name from the id
    # The built-in exercises are untouched.
    assert {e.id for e in catalogue.exercises} < {e.id for e in heads.exercises}


def test_fine_activations_open_patterns_and_no_equipment(heads):
    chop = heads.exercise_by_id["cable_woodchop"]
    assert chop.activation["obliques_external"] == 0.83 and chop.pattern == "rotation"
    bug = heads.exercise_by_id["dead_bug"]
    assert bug.equipment == [] and bug.needs(set()) and bug.loading_class == "fixed"
    assert heads.effect(bug, "advanced") == heads.effectiveness["fixed"]["advanced"]
    assert heads.group_activation(chop)["core"] == 0.83


def test_defaults_are_the_documented_ones_and_listed(heads):
    used = heads.defaults_used
    assert set(used["dead_bug"]) == {"equipment", "mechanic", "knee_flexion_deg", "setup_s", "seconds_per_rep", "rep_schemes"}
    assert "pattern" in used["hanging_knee_raise"] and "mechanic" not in used["hanging_knee_raise"]
    assert "seconds_per_rep" not in used["side_lying_clamshell"]
    assert all(f in DEFAULTS for fields in used.values() for f in fields)
    knee = heads.exercise_by_id["hanging_knee_raise"]
    assert knee.pattern == "other" and knee.knee_flexion_deg == 0 and knee.setup_s == 30 and knee.seconds_per_rep == 3
    bug = heads.exercise_by_id["dead_bug"]
    assert bug.setup_s == 10 and bug.rep_schemes == ["heavy", "moderate", "light"] and bug.mechanic == "isolation"
    # Two groups worked at 0.5 or more (core and back): compound.
    assert heads.exercise_by_id["ab_wheel_rollout"].mechanic == "isolation"  # latissimus at 0.36 only
    assert heads.exercise_by_id["cable_woodchop"].mechanic == "isolation"  # all core heads
    r = CliRunner().invoke(app, ["catalogue", "show", "dead_bug", "--catalogue", str(HEADS)])
    assert r.exit_code == 0 and "defaults used" in r.output and "seconds_per_rep" in r.output


def test_a_scenario_targeting_the_heads_solves_and_checks(heads, solved):
    from optimizer import check_result, solve

    sc = make_scenario(
        equipment=["bodyweight", "resistance_band", "cable_station", "pull_up_bar"],
        athlete={"level": "beginner"},
        days=[{"day": "mon", "minutes": 30}, {"day": "thu", "minutes": 30}],
        targets={"obliques_external": {"min": 4}, "transversus_abdominis": {"min": 4}, "hip_flexors": {"min": 3},
                 "gluteus_minimus": {"min": 3}},
    )
    problem = build_problem(sc, heads)
    assert {"cable_woodchop", "dead_bug", "hanging_knee_raise"} <= {e.id for e in problem.exercises}
    result = solve(sc, heads, workers=1, seed=0)
    assert result.status.value == "OPTIMAL", result.message
    report = check_result(sc, heads, result)
    assert report.ok, [str(v) for v in report.violations]
    vol = {v.unit: v for v in result.plan.volume}
    for unit in ("obliques_external", "transversus_abdominis", "hip_flexors", "gluteus_minimus"):
        assert vol[unit].shortfall == 0 and vol[unit].sets >= vol[unit].min
    used = {x.exercise for d in result.plan.days for x in d.exercises}
    assert used & {"cable_woodchop", "pallof_press", "dead_bug", "hanging_knee_raise", "side_lying_clamshell"}


# Errors: file, line and exercise id; every one of them ---------------------------------


def _broken(tmp_path) -> Path:
    folder = tmp_path / "heads"
    shutil.copytree(HEADS, folder)
    f = folder / "exercises" / "heads.yaml"
    data = yaml.safe_load(f.read_text())
    data["exercises"][0]["activation"]["obliques_external"] = 0.835  # off the 0.01 grid
    data["exercises"][1]["activation"]["obliqes_internal"] = 0.5  # misspelt muscle
    data["exercises"][2]["pattern"] = "Anti Rotation"  # not an id
    data["exercises"][3]["equipment"] = ["pullup_bar"]  # unknown equipment
    f.write_text(yaml.safe_dump(data, sort_keys=False))
    muscles = folder / "muscles.yaml"
    m = yaml.safe_load(muscles.read_text())
    m["groups"][0]["muscles"].append({"id": "vastus_medialis"})  # a built-in muscle, under core
    muscles.write_text(yaml.safe_dump(m, sort_keys=False))
    return folder


def test_every_error_names_file_line_and_id(tmp_path):
    folder = _broken(tmp_path)
    with pytest.raises(InputErrors) as exc:
        load_catalogue([folder])
    errors = exc.value.errors
    assert len(errors) == 5
    text = (folder / "exercises" / "heads.yaml").read_text().splitlines()
    by_field = {e.field: e for e in errors}
    chop = by_field["exercise cable_woodchop: activation.obliques_external"]
    assert "0.01" in chop.message and chop.file.endswith("heads.yaml") and "obliques_external" in text[chop.line - 1]
    assert "did you mean obliques_internal" in by_field["exercise pallof_press: activation.obliqes_internal"].message
    bug = by_field["exercise dead_bug: pattern"]
    assert "Anti Rotation" in text[bug.line - 1]
    assert "pull_up_bar" in by_field["exercise hanging_knee_raise: equipment"].message
    clash = by_field["group core: muscle vastus_medialis"]
    assert clash.file.endswith("muscles.yaml") and "catalogue/muscles.yaml" in clash.message  # both files named
    shown = str(exc.value)
    assert shown.startswith("5 errors:") and len(shown.splitlines()) == 6
    assert "exercises[" not in shown  # never a position in the merged list


def test_errors_beyond_the_shown_ones_are_counted(tmp_path):
    folder = tmp_path / "many"
    (folder / "exercises").mkdir(parents=True)
    bad = [{"id": f"odd_{i}", "name": "Odd", "activation": {"nothing_{i}": 1.0}} for i in range(SHOWN + 5)]
    (folder / "exercises" / "x.yaml").write_text(yaml.safe_dump({"exercises": bad}))
    with pytest.raises(InputErrors) as exc:
        load_catalogue([folder])
    assert len(exc.value.errors) == SHOWN + 5
    lines = str(exc.value).splitlines()
    assert lines[0] == f"{SHOWN + 5} errors (the first {SHOWN} shown):" and len(lines) == SHOWN + 1
    r = CliRunner().invoke(app, ["catalogue", "show", "odd_1", "--catalogue", str(folder)])
    assert r.exit_code == 1 and "Traceback" not in r.output


def test_a_single_error_stays_one_line(tmp_path):
    folder = tmp_path / "one"
    (folder / "exercises").mkdir(parents=True)
    (folder / "exercises" / "x.yaml").write_text("exercises:\n  - {id: odd, name: Odd, activation: {vastus_medalis: 1.0}}\n")
    with pytest.raises(InputError) as exc:
        load_catalogue([folder])
    assert str(exc.value).count("\n") == 0
    assert "x.yaml:2: exercise odd: activation.vastus_medalis" in str(exc.value)


def test_the_cache_key_covers_the_loader_and_every_file(monkeypatch, tmp_path):
    """The defaults live in catalogue_load.py: its source is part of the cache key, as
    is every source file of every folder."""
    import optimizer.catalogue_cache as cache

    seen = {}

    def spy(model, sources, build, schema):
        seen["schema"], seen["sources"] = schema, sources
        return build()

    monkeypatch.setattr(cache, "load_cached", spy)
    load_catalogue([HEADS])
    assert {p.name for p in seen["schema"]} == {"catalogue.py", "catalogue_load.py"}
    names = {(i, name) for i, name, _ in seen["sources"]}
    assert {(1, "muscles.yaml"), (1, "equipment.yaml"), (1, "exercises/heads.yaml")} <= names
