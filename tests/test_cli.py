"""The CLI: every command, every format, every exit code; bad input is one clean line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from optimizer import load_catalogue, load_scenario
from optimizer.checker import check_plan
from optimizer.cli import app
from optimizer.result import SolveResult

from .conftest import SCENARIOS

runner = CliRunner()
HOME = str(SCENARIOS / "home_balls_and_bands.yaml")
FAST = ["--workers", "1", "--seed", "0"]


def run(*args):
    """Invoke the CLI. A successful 'solve' in another format is solved again as JSON and
    that plan (the same: solves are reproducible) goes through the independent checker."""
    result = runner.invoke(app, list(args))
    if args and args[0] == "solve" and result.exit_code == 0 and "json" not in args and "--output" not in args:
        check_cli_plan(list(args))
    return result


def check_cli_plan(args):
    fmt = args.index("--format") if "--format" in args else None
    base = args[:fmt] + args[fmt + 2 :] if fmt is not None else args
    out = runner.invoke(app, [*base, "--format", "json"])
    assert out.exit_code == 0, out.output
    result = SolveResult.model_validate_json(out.stdout)
    from optimizer.cli_common import resolve_scenario

    sc = load_scenario(resolve_scenario(args[1]))
    report = check_plan(sc, load_catalogue(), result.plan, {t.name: t.value for t in result.objective_terms})
    assert report.ok, [str(v) for v in report.violations]


def test_help_lists_commands():
    r = run("--help")
    assert r.exit_code == 0
    for cmd in ("solve", "check", "schema", "catalogue"):
        assert cmd in r.output


def test_solve_table_shows_days_volume_and_status():
    r = run("solve", HOME, *FAST)
    assert r.exit_code == 0, r.output
    assert "Status: OPTIMAL" in r.output
    assert "Weekly volume" in r.output and "quadriceps" in r.output
    assert "Balance" in r.output and "ortools" in r.output


def test_solve_markdown():
    r = run("solve", HOME, *FAST, "--format", "markdown")
    assert r.exit_code == 0
    assert r.output.startswith("# ") and "| order |" in r.output


def test_solve_json_is_a_valid_result_that_checks(tmp_path):
    r = run("solve", HOME, *FAST, "--format", "json")
    assert r.exit_code == 0
    result = SolveResult.model_validate_json(r.stdout)
    assert result.status.value == "OPTIMAL"
    sc = load_scenario(HOME)
    assert check_plan(sc, load_catalogue(), result.plan, {t.name: t.value for t in result.objective_terms}).ok


def test_solve_csv_rows_match_the_plan():
    r = run("solve", HOME, *FAST, "--format", "csv")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    as_json = SolveResult.model_validate_json(run("solve", HOME, *FAST, "--format", "json").stdout)
    assert len(rows) == sum(len(d.exercises) for d in as_json.plan.days)
    assert {"day", "exercise", "sets", "scheme", "minutes"} <= set(rows[0])


def test_builtin_example_by_name():
    r = run("solve", "home_balls_and_bands", *FAST)
    assert r.exit_code == 0


def test_output_file_is_written_whole_and_not_overwritten(tmp_path):
    out = tmp_path / "plan.json"
    r = run("solve", HOME, *FAST, "--format", "json", "--output", str(out))
    assert r.exit_code == 0
    first = out.read_text()
    written = SolveResult.model_validate_json(first)
    assert check_plan(load_scenario(HOME), load_catalogue(), written.plan, {t.name: t.value for t in written.objective_terms}).ok
    r = run("solve", HOME, *FAST, "--format", "table", "--output", str(out))
    assert r.exit_code == 1
    assert "--force" in r.output
    assert out.read_text() == first
    r = run("solve", HOME, *FAST, "--format", "table", "--output", str(out), "--force")
    assert r.exit_code == 0 and out.read_text() != first
    assert [p.name for p in tmp_path.iterdir()] == ["plan.json"]  # no temporary left behind


def test_no_plan_exit_code_3():
    r = run("solve", str(SCENARIOS / "infeasible_time_vs_volume.yaml"), *FAST)
    assert r.exit_code == 3
    assert "INFEASIBLE" in r.output
    assert "Monday: 15 minutes" in r.output and "Cheapest repair" in r.output


def test_time_limit_is_reported():
    # A limit too short to find anything: exit 3 and a clear status, never a traceback.
    r = run("solve", str(SCENARIOS / "gym.yaml"), "--time-limit", "0.01", "--workers", "1", "--format", "json")
    assert r.exit_code in (0, 3)
    result = SolveResult.model_validate_json(r.stdout)
    if r.exit_code == 3:
        assert result.status.value == "UNKNOWN" and "time limit" in result.message.lower()
    else:
        assert result.status.value in ("OPTIMAL", "FEASIBLE")
        sc = load_scenario(SCENARIOS / "gym.yaml")
        assert check_plan(sc, load_catalogue(), result.plan, {t.name: t.value for t in result.objective_terms}).ok


def test_check_accepts_a_solved_plan_and_rejects_a_broken_one(tmp_path):
    out = tmp_path / "plan.json"
    assert run("solve", HOME, *FAST, "--format", "json", "--output", str(out)).exit_code == 0
    r = run("check", HOME, str(out))
    assert r.exit_code == 0 and "OK" in r.output
    data = json.loads(out.read_text())
    first = next(d for d in data["plan"]["days"] if d["exercises"])
    first["exercises"][0]["sets"] = 9  # above sets_per_exercise.max, and minutes no longer match
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data))
    r = run("check", HOME, str(broken))
    assert r.exit_code == 1
    assert "VIOLATION [session_limits]" in r.output
    # A bare plan (no result wrapper) is accepted too.
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps(json.loads(out.read_text())["plan"]))
    assert run("check", HOME, str(bare)).exit_code == 0


@pytest.mark.parametrize("kind", ["scenario", "plan"])
def test_schema(kind):
    r = run("schema", kind)
    assert r.exit_code == 0
    schema = json.loads(r.stdout)
    assert "properties" in schema
    assert ("days" if kind == "scenario" else "status") in schema["properties"]


@pytest.mark.parametrize("fmt", ["table", "markdown", "json", "csv"])
def test_catalogue_list_filters(fmt):
    r = run("catalogue", "list", "--equipment", "bodyweight", "--equipment", "resistance_band", "--muscle", "hamstrings", "--format", fmt)
    assert r.exit_code == 0
    assert "resistance_band_leg_curl" in r.output
    assert "lying_leg_curl" not in r.output  # needs a machine


def test_catalogue_list_json_respects_primary():
    r = run("catalogue", "list", "--muscle", "vastus_medialis", "--primary", "--format", "json")
    rows = json.loads(r.stdout)
    assert rows and all(row["vastus_medialis"] >= 0.75 for row in rows)


@pytest.mark.parametrize("fmt", ["table", "markdown", "json"])
def test_catalogue_show(fmt):
    r = run("catalogue", "show", "full_squat", "--format", fmt)
    assert r.exit_code == 0
    assert "vastus_medialis" in r.output


BAD = {
    "unknown_exercise": ("catalogue", "show", "full_sqat"),
    "unknown_equipment": ("catalogue", "list", "--equipment", "resistence_band"),
    "missing_file": ("solve", "no_such_scenario.yaml"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_one_line_exit_1(name):
    r = run(*BAD[name])
    assert r.exit_code == 1
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert "Traceback" not in r.output


def test_did_you_mean():
    assert "did you mean full_squat" in run("catalogue", "show", "full_sqat").output
    assert "resistance_band" in run("catalogue", "list", "--equipment", "resistence_band").output


def test_usage_error_exit_2():
    assert run("solve", HOME, "--format", "pdf").exit_code == 2
    assert run("frobnicate").exit_code == 2


def test_cli_import_stays_light():
    """'programme --help' must not pay for ortools, pandas, pydantic or matplotlib (checked by
    what gets imported, not by timing: the machines are shared and noisy)."""
    import subprocess
    import sys

    code = (
        "import sys, optimizer.cli;"
        "heavy = [m for m in ('ortools', 'pandas', 'pydantic', 'matplotlib', 'numpy') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_output_file_has_the_usual_permissions(tmp_path):
    """Atomic writes go through a private temporary file; the result must not stay 0600."""
    import os

    from optimizer.io import write_atomic

    old = os.umask(0o022)
    try:
        out = tmp_path / "plan.txt"
        write_atomic(out, "x")
        assert out.stat().st_mode & 0o777 == 0o644
        out.chmod(0o640)
        write_atomic(out, "y", force=True)
        assert out.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
