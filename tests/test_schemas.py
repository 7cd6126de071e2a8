"""The published JSON Schemas (schemas/*.json): in sync with the models and the built-in
catalogue, printed by ``programme schema``, pointed at by every example, and strict where an
editor should be (ids from the catalogue, no unknown field).

Out of date after changing a model or the catalogue? Regenerate: ``programme schema --write schemas/``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from optimizer.cli import app
from optimizer.schemas import KINDS, SCHEMA_LINE, build_schema, dumps, published_dir, schema_id

from .conftest import EXAMPLES, ROOT, make_scenario

runner = CliRunner()
FOLDER = published_dir()
REGENERATE = "out of date: regenerate with 'programme schema --write schemas/'"


@pytest.mark.parametrize("kind", KINDS)
def test_published_files_match_the_models_and_catalogue(kind, catalogue):
    assert FOLDER is not None, "schemas/ is missing"
    assert (FOLDER / f"{kind}.json").read_text(encoding="utf-8") == dumps(build_schema(kind, catalogue)), f"schemas/{kind}.json {REGENERATE}"


@pytest.mark.parametrize("kind", KINDS)
def test_programme_schema_prints_the_published_file(kind):
    r = runner.invoke(app, ["schema", kind])
    assert r.exit_code == 0, r.output
    assert r.stdout == (FOLDER / f"{kind}.json").read_text(encoding="utf-8")


def test_schema_write_regenerates_every_file(tmp_path):
    r = runner.invoke(app, ["schema", "--write", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{k}.json" for k in KINDS)
    for kind in KINDS:
        assert (tmp_path / f"{kind}.json").read_text() == (FOLDER / f"{kind}.json").read_text()
    bad = runner.invoke(app, ["schema", "--write", str(tmp_path / "none")])
    assert bad.exit_code == 1 and "not a folder" in bad.output


def test_ids_descriptions_and_enums(catalogue):
    s = json.loads((FOLDER / "scenario.json").read_text())
    assert s["$id"] == schema_id("scenario") and s["$schema"].endswith("2020-12/schema")
    defs = s["$defs"]
    assert defs["MuscleOrGroupId"]["enum"] == sorted(catalogue.unit_ids()) and "hamstring" not in defs["MuscleOrGroupId"]["enum"]
    assert defs["ExerciseId"]["enum"] == sorted(catalogue.exercise_by_id) and "leg_curl" not in defs["ExerciseId"]["enum"]
    assert s["properties"]["targets"]["propertyNames"] == {"$ref": "#/$defs/MuscleOrGroupId"}
    assert s["properties"]["equipment"]["items"]["$ref"] == "#/$defs/EquipmentId"
    assert "max_knee_flexion_deg" in defs["Athlete"]["properties"]
    # Every field a person writes says what it is for.
    for name, definition in [("Scenario", s)] + list(defs.items()):
        for field, prop in definition.get("properties", {}).items():
            assert "description" in prop or "$ref" in prop and prop.keys() <= {"$ref", "default"}, f"{name}.{field} has no description"


def test_every_example_points_at_the_published_scenario_schema():
    for path in EXAMPLES:
        first = path.read_text().splitlines()[0]
        assert first.startswith(SCHEMA_LINE), path.name
        target = (path.parent / first[len(SCHEMA_LINE):]).resolve()
        assert target == (ROOT / "schemas" / "scenario.json").resolve() and target.is_file(), path.name


def test_init_points_the_copy_at_the_installed_schema(tmp_path):
    dest = tmp_path / "mine.yaml"
    assert runner.invoke(app, ["init", "knee_safe", str(dest)]).exit_code == 0
    first = dest.read_text().splitlines()[0]
    assert first.startswith(SCHEMA_LINE + "file://")
    from urllib.parse import unquote, urlparse

    assert Path(unquote(urlparse(first[len(SCHEMA_LINE):]).path)).samefile(FOLDER / "scenario.json")


# What an editor does with them (jsonschema validates as the YAML language server would) --


@pytest.fixture(scope="module")
def validator():
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((FOLDER / "scenario.json").read_text())
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_is_valid_against_the_schema(validator, path):
    errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text()))]
    assert errors == []


@pytest.mark.parametrize(
    "change, needle",
    [
        ({"targets": {"hamstring": {"min": 4}}}, "hamstring"),
        ({"required": ["leg_curl"]}, "leg_curl"),
        ({"equipment": ["dumbell"]}, "dumbell"),
        ({"athlete": {"max_knee_flexion": 90}}, "max_knee_flexion"),
        ({"balance": {"quadriceps_to_hamstring": {"min": 1, "max": 2}}}, "quadriceps_to_hamstring"),
        ({"pinned": [{"day": "mon", "exercise": "squat", "scheme": "hevy"}]}, "hevy"),
    ],
)
def test_the_schema_rejects_what_the_tool_rejects(validator, change, needle):
    data = make_scenario().model_dump(mode="json", exclude_defaults=True)
    assert list(validator.iter_errors(data)) == []
    data.update(change)
    errors = list(validator.iter_errors(data))
    assert errors and any(needle in (e.message + json.dumps(e.instance)) for e in errors)


def test_a_solved_plan_is_valid_against_the_plan_schema(catalogue):
    jsonschema = pytest.importorskip("jsonschema")
    from optimizer.checker import check_result
    from optimizer.solver import solve

    sc = make_scenario()
    result = solve(sc, catalogue, workers=1, seed=0, time_limit_s=10)
    assert result.status.has_plan and check_result(sc, catalogue, result).ok
    schema = json.loads((FOLDER / "plan.json").read_text())
    errors = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(json.loads(result.model_dump_json())))
    assert errors == []
