"""Bad scenario input: one line naming the file, the line, the field and what was expected."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from optimizer import InputError, build_problem, load_catalogue, load_scenario
from optimizer.cli import app

from .conftest import SCENARIOS

GOOD = (SCENARIOS / "home_balls_and_bands.yaml").read_text()
runner = CliRunner()


def write(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def error_of(path) -> InputError:
    with pytest.raises(InputError) as exc:
        build_problem(load_scenario(path), load_catalogue(), str(path))
    return exc.value


def test_yaml_syntax_error_names_file_and_line(tmp_path):
    p = write(tmp_path, "name: x\ndays: [\n  {day: mon, minutes: 30\n")
    err = error_of(p)
    assert str(p) in str(err) and err.line is not None and "YAML syntax error" in str(err)


def test_toml_and_json_syntax_errors(tmp_path):
    assert "TOML syntax error" in str(error_of(write(tmp_path, "name = \n", "s.toml")))
    err = error_of(write(tmp_path, '{"name": "x",}', "s.json"))
    assert "JSON syntax error" in str(err) and err.line == 1


def test_schema_error_names_field_path_and_line(tmp_path):
    p = write(tmp_path, GOOD.replace("  - {day: wed, minutes: 30}", "  - {day: wed, minutes: -5}"))
    err = error_of(p)
    assert err.field == "days[1].minutes"
    assert err.line == GOOD.splitlines().index("  - {day: wed, minutes: 30}") + 1


def test_unknown_field_is_an_error(tmp_path):
    err = error_of(write(tmp_path, GOOD.replace("recovery:", "recovry:")))
    assert err.field == "recovry" and "unknown field" in str(err)


def test_min_above_max(tmp_path):
    err = error_of(write(tmp_path, GOOD.replace("quadriceps: {min: 10, max: 16}", "quadriceps: {min: 18, max: 16}")))
    assert err.field == "targets.quadriceps" and "above max" in str(err)


@pytest.mark.parametrize(
    "old,new,field,hint",
    [
        ("equipment: [bodyweight, exercise_ball, resistance_band]", "equipment: [bodyweight, excercise_ball]", "equipment[1]", "exercise_ball"),
        ("  shins: {min: 2}", "  shin: {min: 2}", "targets.shin", "shins"),
        ("  vastus_medialis: {min: 3}", "  vastus_medalis: {min: 3}", "targets.vastus_medalis", "vastus_medialis"),
        ("max_knee_flexion_deg: 90}", "max_knee_flexion_deg: 90, exclude: [sisy_squat]}", "athlete.exclude[0]", "sissy_squat"),
    ],
)
def test_unknown_ids_suggest_close_matches(tmp_path, old, new, field, hint):
    assert old in GOOD
    err = error_of(write(tmp_path, GOOD.replace(old, new)))
    assert err.field == field and f"did you mean {hint}" in str(err)


def test_yaml_toml_json_give_the_same_problem(tmp_path):
    import yaml

    data = yaml.safe_load(GOOD)
    j = write(tmp_path, json.dumps(data), "s.json")
    toml_lines = ['name = "x"']  # TOML written by hand for the fields that matter
    a = build_problem(load_scenario(SCENARIOS / "home_balls_and_bands.yaml"), load_catalogue())
    b = build_problem(load_scenario(j), load_catalogue())
    assert a == b
    t = write(
        tmp_path,
        "\n".join(
            toml_lines
            + [
                'equipment = ["bodyweight"]',
                "[[days]]",
                'day = "mon"',
                "minutes = 30",
                "[targets.quadriceps]",
                "min = 6",
            ]
        ),
        "s.toml",
    )
    sc = load_scenario(t)
    assert sc.days[0].minutes == 30 and sc.targets["quadriceps"].min == 6


def test_cli_prints_one_line_for_schema_errors(tmp_path):
    p = write(tmp_path, GOOD.replace("{day: fri, minutes: 40}", "{day: fri, minutes: 40}\n  - {day: fri, minutes: 20}"))
    r = runner.invoke(app, ["solve", str(p)])
    assert r.exit_code == 1
    assert r.output.strip().count("\n") == 0
    assert "days: Value error" not in r.output and "fri is listed twice" in r.output


def test_pairing_label_must_exist(tmp_path):
    err = error_of(write(tmp_path, GOOD.replace("rules:", "rules:\n  pairing: {quadriceps: arms_shoulder}")))
    assert "no day shares_with 'arms_shoulder'" in str(err)
