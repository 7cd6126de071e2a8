"""Error messages a new user meets (issue 14): the line in every format, the field that is
wrong, a suggestion for a misspelt field, no internal names, no repeated words, and a
warning for a scenario that asks for nothing."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from optimizer import InputError, build_problem, load_catalogue, load_scenario
from optimizer.cli import app
from optimizer.locate import json_line, parse_field, toml_line, yaml_line

runner = CliRunner()

YAML = """\
name: t
equipment: [bodyweight, dumbbell]
athlete:
  level: intermediate
days:
  - {day: mon, minutes: 40}
  - {day: thu, minutes: 40}
targets:
  hamstrings: {min: 4}
"""


def write(tmp_path, text: str, name: str = "s.yaml"):
    p = tmp_path / name
    p.write_text(text)
    return p


def error_of(path) -> InputError:
    with pytest.raises(InputError) as exc:
        build_problem(load_scenario(path), load_catalogue(), str(path))
    return exc.value


def line_with(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


def cli_error(*args: str) -> str:
    r = runner.invoke(app, list(args))
    assert r.exit_code == 1, r.output
    out = r.output.strip()
    assert out.count("\n") == 0 and out.startswith("Error: ") and "Traceback" not in out
    return out


# Line numbers in every format ------------------------------------------------------------


def as_json(data) -> str:
    return json.dumps(data, indent=2)


def as_toml(data) -> str:
    """Enough TOML for these scenarios: top-level values, then tables and arrays of tables."""
    def value(v):
        if isinstance(v, str):
            return json.dumps(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{k} = {value(x)}" for k, x in v.items()) + "}"
        return str(v).lower() if isinstance(v, bool) else str(v)

    lines = [f"{k} = {value(v)}" for k, v in data.items() if not isinstance(v, (dict, list)) or k == "equipment"]
    for k, v in data.items():
        if isinstance(v, dict):
            lines += ["", f"[{k}]"] + [f"{kk} = {value(vv)}" for kk, vv in v.items()]
        elif isinstance(v, list) and k != "equipment":
            for item in v:
                lines += ["", f"[[{k}]]"] + [f"{kk} = {value(vv)}" for kk, vv in item.items()]
    return "\n".join(lines) + "\n"


def base() -> dict:
    return {
        "name": "t",
        "equipment": ["bodyweight", "dumbbell"],
        "athlete": {"level": "intermediate"},
        "days": [{"day": "mon", "minutes": 40}, {"day": "thu", "minutes": 40}],
        "targets": {"hamstrings": {"min": 4}},
    }


@pytest.mark.parametrize("kind,dump", [("json", as_json), ("toml", as_toml)])
def test_validation_errors_in_json_and_toml_name_the_line(tmp_path, kind, dump):
    data = base()
    data["days"][1]["minutes"] = "x"
    text = dump(data)
    err = error_of(write(tmp_path, text, f"s.{kind}"))
    assert err.field == "days[1].minutes"
    assert err.line == len(text[: text.index('"x"')].splitlines()), text


@pytest.mark.parametrize("kind,dump", [("yaml", None), ("json", as_json), ("toml", as_toml)])
def test_unknown_ids_name_the_line(tmp_path, kind, dump):
    data = base()
    data["targets"] = {"glutes": {"min": 2}, "hamstring": {"min": 4}}
    text = YAML.replace("hamstrings: {min: 4}", "glutes: {min: 2}\n  hamstring: {min: 4}") if dump is None else dump(data)
    path = write(tmp_path, text, f"s.{kind}")
    err = error_of(path)
    assert err.field == "targets.hamstring" and "did you mean hamstrings" in err.message
    assert err.line == line_with(text, "hamstring"), text
    assert f"{path}:{err.line}: targets.hamstring" in cli_error("solve", str(path))


def test_unknown_equipment_in_a_list_names_its_line(tmp_path):
    text = YAML.replace("equipment: [bodyweight, dumbbell]", "equipment:\n  - bodyweight\n  - dumbell")
    err = error_of(write(tmp_path, text))
    assert err.field == "equipment[1]" and err.line == line_with(text, "dumbell") and "dumbbell" in err.message


def test_toml_syntax_error_has_the_line_in_its_place(tmp_path):
    err = error_of(write(tmp_path, 'name = "t"\nequipment = [bodyweight]\n', "s.toml"))
    assert err.line == 2 and "(at line" not in str(err) and "TOML syntax error" in str(err)


def test_a_pin_on_a_missing_day_names_the_pin_and_its_line(tmp_path):
    text = YAML + "pinned:\n  - {day: mon, exercise: romanian_deadlift}\n  - {day: tue, exercise: romanian_deadlift}\n"
    err = error_of(write(tmp_path, text))
    assert err.field == "pinned[1].day" and err.line == line_with(text, "day: tue")
    assert "tue is not one of the scenario's days (mon, thu)" in err.message


def test_a_day_listed_twice_names_the_second(tmp_path):
    text = YAML.replace("  - {day: thu, minutes: 40}", "  - {day: mon, minutes: 20}")
    err = error_of(write(tmp_path, text))
    assert err.field == "days[1].day" and err.line == line_with(text, "minutes: 20") and "listed twice" in err.message


def test_progression_errors_name_their_field_and_line(tmp_path):
    text = YAML + "weeks: 4\nprogression:\n  blocks: 3\n"
    err = error_of(write(tmp_path, text))
    assert err.field == "progression.blocks" and err.line == line_with(text, "blocks: 3") and "does not divide" in err.message


# Suggestions and plain words -------------------------------------------------------------


@pytest.mark.parametrize(
    "old,new,field,hint",
    [
        ("  level: intermediate", "  max_knee_flexion: 90", "athlete.max_knee_flexion", "max_knee_flexion_deg"),
        ("  hamstrings: {min: 4}", "  hamstrings: {mn: 4}", "targets.hamstrings.mn", "min"),
        ("  - {day: thu, minutes: 40}", "  - {day: thu, minute: 40}", "days[1].minute", "minutes"),
        ("name: t", "name: t\nrecovry: {}", "recovry", "recovery"),
    ],
)
def test_unknown_field_suggests_the_nearest(tmp_path, old, new, field, hint):
    text = YAML.replace(old, new)
    err = error_of(write(tmp_path, text))
    assert err.field == field and err.message.startswith(f"unknown field (did you mean {hint}")
    assert err.line == line_with(text, new.splitlines()[-1])


def test_a_wrong_type_says_what_was_expected_without_internal_names(tmp_path):
    err = error_of(write(tmp_path, YAML.replace("hamstrings: {min: 4}", "hamstrings: 4")))
    text = str(err)
    assert "instance of" not in text and "Target" not in text and "Value error" not in text
    assert err.field == "targets.hamstrings" and "expected a mapping with fields min, max" in err.message and "got 4" in text


def test_validator_messages_carry_no_pydantic_prefix(tmp_path):
    err = error_of(write(tmp_path, YAML.replace("hamstrings: {min: 4}", "hamstrings: {min: 8, max: 4}")))
    assert "Value error" not in str(err) and err.message == "min (8.0) is above max (4.0)"


def test_compare_equipment_option_is_named_as_typed(tmp_path):
    out = cli_error("compare", "knee_safe", "--equipment", "home=dumbbell,hamstring", "--time-limit", "1")
    assert "--equipment 'home=dumbbell,hamstring': unknown equipment 'hamstring'" in out
    assert "[0]" not in out and "[1]" not in out


def test_profiles_file_errors_name_the_line(tmp_path):
    p = write(tmp_path, "home:\n  - dumbbell\n  - bogus\n", "profiles.yaml")
    out = cli_error("compare", "knee_safe", "--profiles", str(p), "--profile", "home", "--time-limit", "1")
    assert f"{p}:3: home[1]: unknown equipment 'bogus'" in out


def test_no_plan_is_said_once():
    r = runner.invoke(app, ["solve", "infeasible_time_vs_volume", "--time-limit", "5", "--workers", "1"])
    assert r.exit_code == 3
    last = r.output.strip().splitlines()[-1]
    assert last.startswith("No plan exists:") and "No plan: No plan" not in r.output


# A scenario that asks for nothing --------------------------------------------------------


def test_a_scenario_with_nothing_asked_warns_on_stderr(tmp_path):
    p = write(tmp_path, YAML.split("targets:")[0])
    r = runner.invoke(app, ["solve", str(p), "--format", "json", "--workers", "1", "--time-limit", "5"])
    assert r.exit_code == 0
    assert f"Warning: {p}: the scenario asks for nothing" in r.stderr
    assert json.loads(r.stdout)["status"] == "OPTIMAL"  # stdout stays the output alone


def test_a_scenario_with_targets_does_not_warn(tmp_path):
    r = runner.invoke(app, ["solve", str(write(tmp_path, YAML)), "--format", "json", "--workers", "1", "--time-limit", "5"])
    assert r.exit_code == 0 and "Warning" not in r.stderr


# The locators themselves -----------------------------------------------------------------


def test_locators_find_nested_fields():
    assert parse_field("days[1].upper_body.back") == ("days", 1, "upper_body", "back")
    js = '{\n "a": {"b": [1,\n 2,\n {"c": 3}]},\n "d": 4\n}'
    assert json_line(js, ("a", "b", 2, "c")) == 4 and json_line(js, ("d",)) == 5 and json_line(js, ("a", "b", 1)) == 3
    toml = 'x = 1\n[a]\nb = 2\n[[days]]\nday = "mon"\n[[days]]\nday = "tue"\n[days.upper]\nback = 3\n'
    assert toml_line(toml, ("a", "b")) == 3 and toml_line(toml, ("days", 1, "day")) == 7
    assert toml_line(toml, ("days", 1, "upper", "back")) == 9 and toml_line(toml, ("x",)) == 1
    assert yaml_line("a:\n  b: [1, 2]\n  c: 3\n", ("a", "c")) == 3


def test_a_json_value_no_schema_accepts_names_its_line(tmp_path):
    text = '{\n "name": "t",\n "equipment": ["bodyweight"],\n "days": [{"day": "mon",\n   "minutes": NaN}]\n}\n'
    err = error_of(write(tmp_path, text, "s.json"))
    assert err.field == "days[0].minutes" and err.line == 5 and "not a finite number" in err.message


def test_an_unproven_plan_says_which_term_its_gap_is_on():
    """A lexicographic gap is on the first term not proven: the message names it, its value
    and bound, and says the terms before it are proven, so a 100 % gap on a later term
    whose bound is 0 does not read like a bad plan."""
    from optimizer.result import ObjectiveTerm
    from optimizer.status_messages import gap_note as _gap_note

    def term(name, value, bound):
        return ObjectiveTerm(name=name, value=value, bound=bound, unit="sets", rank=1)

    terms = [term("shortfall", 19, 19), term("balance", 4, 0), term("coverage", 1, 0)]
    note = _gap_note(1.0, terms[1], terms)
    assert "gap 100.0% on balance, 4 against a bound of 0" in note
    assert "every term before it is proven" in note
    first = [term("shortfall", 2, 1), term("balance", 4, 0)]
    assert "every term before" not in _gap_note(0.5, first[0], first)
    unknown = [term("shortfall", 19, None), term("balance", 4, 0)]
    assert "every term before" not in _gap_note(1.0, unknown[1], unknown)
    assert _gap_note(0.359, None, []) == " (gap 35.9%)."
    assert _gap_note(None, None, []) == "."


def test_an_unproven_plan_that_ended_before_its_limit_does_not_say_the_limit_was_reached():
    """Each unproven search has its share of the limit and the rest is kept for what may
    follow; when that needs less, the run ends early, and "Time limit reached" would be
    untrue. A run that did reach its limit, a reproducible one (deterministic seconds)
    and a proven plan keep their message."""
    from types import SimpleNamespace

    from optimizer.status_messages import TIME_UP, ended_early

    unproven = TIME_UP + "this plan is not proven optimal (gap 2.9% on minutes, 68 against a bound of 66)."
    wall = SimpleNamespace(time_limit_s=10.0, deterministic=False)
    early = ended_early(unproven, 6.26, wall)
    assert early.startswith("Stopped at 6.3 s of the 10 s limit:") and "Time limit reached" not in early
    assert early.endswith("this plan is not proven optimal (gap 2.9% on minutes, 68 against a bound of 66).")
    assert ended_early(unproven, 9.5, wall) == unproven
    assert ended_early(unproven, 6.26, SimpleNamespace(time_limit_s=10.0, deterministic=True)) == unproven
    assert ended_early("Proven optimal plan.", 0.4, wall) == "Proven optimal plan."
