"""Issue 12, item 3: every input validated at the boundary, every output a regular file.

Each hostile input gets exit code 1 and one ``Error:`` line naming the file (and, where
there is one, the line and the field), never a traceback. Run through the CLI in-process
(CliRunner), and in a subprocess where the real standard output matters.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optimizer import InputError, load_catalogue, load_scenario
from optimizer.cli import app
from optimizer.io import check_document, load_document, write_atomic
from optimizer.limits import MAX_DEPTH

from .conftest import SCENARIOS, assert_valid

runner = CliRunner()
BASE = """name: t
equipment: [bodyweight, exercise_ball, resistance_band]
days:
  - {day: mon, minutes: 30}
  - {day: thu, minutes: 30}
targets:
  quadriceps: {min: 4}
solver: {time_limit_s: 2, workers: 1, seed: 0}
"""


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def one_line_error(res, *needles, code=1):
    """Exit ``code``, no traceback, a single 'Error:' line on stderr containing every needle."""
    assert res.exit_code == code, (res.exit_code, res.output, res.exception)
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    err = res.stderr.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("Error: "), res.stderr
    assert "Traceback" not in res.output
    for n in needles:
        assert n in err[0], (n, err[0])
    return err[0]


def write(tmp_path, text, name="s.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8", errors="surrogatepass")
    return p


@pytest.mark.parametrize(
    "old, new, field, why",
    [
        ("minutes: 30}\n  - {day: thu", "minutes: true}\n  - {day: thu", "days[0].minutes", "got true"),
        ("{min: 4}", "{min: true}", "targets.quadriceps.min", "got true"),
        ("{min: 4}", "{min: '4'}", "targets.quadriceps.min", "got '4'"),
        ("seed: 0", "seed: 2147483648", "solver.seed", "2147483647"),
        ("workers: 1", "workers: 20000", "solver.workers", "64"),
        ("workers: 1", "workers: 1.5", "solver.workers", "valid integer"),
        ("time_limit_s: 2", "time_limit_s: .nan", "solver.time_limit_s", "not a finite number"),
        ("time_limit_s: 2", "time_limit_s: .inf", "solver.time_limit_s", "not a finite number"),
        ("name: t", "name: [a, b]", "name", "valid string"),
    ],
)
def test_wrong_types_and_ranges_in_a_scenario(tmp_path, old, new, field, why):
    assert old in BASE
    p = write(tmp_path, BASE.replace(old, new))
    one_line_error(run("solve", p), str(p), field, why)


@pytest.mark.parametrize(
    "extra, field, why",
    [
        ("objective: weighted\nweights: {shortfall: .nan}\n", "weights.shortfall", "not a finite number"),
        ("objective: weighted\nweights: {shortfall: 1.0e+308}\n", "weights.shortfall", "less than or equal"),
        ("weeks: 2\nprogression: {ramp: {sets_per_week: 1.0e+308}}\n", "progression.ramp.sets_per_week", "-100..100"),
        ("weeks: 2\nprogression: {ramp: {sets_per_week: {quadriceps: .inf}}}\n", "sets_per_week.quadriceps", "finite"),
    ],
)
def test_non_finite_and_huge_numbers(tmp_path, extra, field, why):
    p = write(tmp_path, BASE + extra)
    line = one_line_error(run("solve", p), field, why)
    assert f"{p}:" in line  # YAML: the line is named too


def test_duplicate_keys_name_both_lines(tmp_path):
    p = write(tmp_path, BASE.replace("{day: mon, minutes: 30}", "{day: mon, minutes: 45, minutes: 600}"))
    one_line_error(run("solve", p), f"{p}:4:", "duplicate key 'minutes' (first on line 4)")
    p = write(tmp_path, BASE + "solver: {time_limit_s: 3}\n")
    one_line_error(run("solve", p), f"{p}:9:", "duplicate key 'solver' (first on line 8)")
    doc = {"name": "t", "equipment": ["bodyweight"], "days": [{"day": "mon", "minutes": 30}]}
    text = json.dumps(doc, indent=1).replace('"minutes": 30', '"minutes": 30,\n  "minutes": 600')
    p = write(tmp_path, text, "s.json")
    first, second = [i + 1 for i, line in enumerate(text.splitlines()) if '"minutes"' in line]
    one_line_error(run("solve", p), f"{p}:{second}:", f"duplicate key 'minutes' (first on line {first})")
    # the same key in two different objects is fine
    doc["days"].append({"day": "thu", "minutes": 30})
    assert load_document(write(tmp_path, json.dumps(doc, indent=1), "ok.json"))["days"][1]["minutes"] == 30


@pytest.mark.parametrize("kind", ["yaml", "json", "toml"])
@pytest.mark.parametrize("depth", [MAX_DEPTH + 5, 5000])
def test_deep_nesting_is_a_clear_error(tmp_path, kind, depth):
    nested = "[" * depth + "]" * depth
    text = {"yaml": f"name: {nested}\n", "json": f'{{"name": {nested}}}', "toml": f"name = {nested}\n"}[kind]
    p = write(tmp_path, text, f"s.{kind}")
    one_line_error(run("solve", p), str(p), "nest")  # ours, or libyaml's "maximum nesting depth"


def test_huge_integers_surrogates_and_alias_bombs(tmp_path):
    p = write(tmp_path, BASE.replace("minutes: 30}\n  - {day: thu", "minutes: " + "9" * 5000 + "}\n  - {day: thu"))
    one_line_error(run("solve", p), str(p), "too many digits")
    p = write(tmp_path, '{"name": "a\\ud800", "equipment": ["bodyweight"], "days": [{"day": "mon", "minutes": 30}]}', "s.json")
    one_line_error(run("solve", p), "name", "lone surrogate")
    p = write(tmp_path, BASE.replace("name: t", 'name: "a\\uDC80"'))
    assert "nicode" in one_line_error(run("solve", p), f"{p}:1:")  # libyaml refuses it; else our walk
    bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [{', '.join('*' + p_ for p_ in [prev] * 10)}]\n" for prev, c in zip("abcdefg", "bcdefgh")
    )
    p = write(tmp_path, bomb)
    one_line_error(run("solve", p), "too many values")


def test_check_document_passes_ordinary_values():
    data = {"a": [1, 2.5, "x", None, True, {"b": -(2**62)}]}
    assert check_document(data, "f") is data
    with pytest.raises(InputError, match="beyond 64-bit"):
        check_document({"sets": 10**400}, "f")


def test_check_refuses_absurd_plan_numbers(tmp_path):
    plan = {"days": [{"day": "mon", "minutes_budget": 30, "warmup_minutes": 5, "minutes_used": 10, "exercises": [
        {"exercise": "glute_bridge", "name": "x", "sets": 10**400, "scheme": "moderate", "reps": "8-12",
         "rest_s": 90, "set_seconds": 120, "setup_s": 10, "minutes": 5.0, "mechanic": "isolation"}]}]}
    p = write(tmp_path, json.dumps(plan), "plan.json")
    one_line_error(run("check", SCENARIOS / "home_balls_and_bands.yaml", p), str(p), "64-bit")
    plan["days"][0]["exercises"][0]["sets"] = True
    p = write(tmp_path, json.dumps(plan), "plan.json")
    one_line_error(run("check", SCENARIOS / "home_balls_and_bands.yaml", p), "sets", "got true")


@pytest.mark.parametrize(
    "text, needle",
    [
        ("[parameters]\nmax_time_in_seconds = nan\n", "not a finite number"),
        ("[parameters]\nnum_workers = 20000\n", "at most 64"),
        ('backend = "highs"\n[parameters]\nmip_rel_gap = -1.0\n', "expected 0..1"),
        ('backend = "highs"\n[parameters]\nrandom_seed = 4294967296\n', "expected 0..2147483647"),
    ],
)
def test_bad_presets(tmp_path, text, needle):
    p = write(tmp_path, text, "p.toml")
    one_line_error(run("solve", "home_balls_and_bands", "--preset", p), f"{p}:{text.count(chr(10))}: parameters.", needle)  # the last line


@pytest.mark.parametrize(
    "opt, value", [("--workers", "20000"), ("--seed", str(2**31)), ("--time-limit", "nan"), ("--time-limit", "1e9")]
)
def test_solver_options_checked_against_cp_sat_ranges(opt, value):
    res = run("solve", "home_balls_and_bands", opt, value)
    assert res.exit_code == 2 and opt in res.output and "Traceback" not in res.output


@pytest.mark.parametrize("command", [["compare", "home_balls_and_bands"], ["batch", "home_balls_and_bands", "--output", "out"]])
def test_every_command_checks_the_seed_range(command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = run(*command, "--seed", str(2**31))
    assert res.exit_code == 2 and "--seed" in res.output and "Traceback" not in res.output


def test_calendar_that_would_end_after_year_9999():
    line = one_line_error(run("solve", "home_balls_and_bands", "--format", "ics", "--start", "9999-12-31"), "--start")
    assert "9999-12-31" in line


def test_catalogue_with_bad_values(tmp_path):
    folder = tmp_path / "cat"
    (folder / "exercises").mkdir(parents=True)
    (folder / "rep_schemes.yaml").write_text(
        "rep_schemes:\n  - {id: silly, name: Silly, reps_min: 1, reps_max: 10000000000000000000, reps: 10000000000000000000, rest_s: 60}\n"
    )
    one_line_error(run("catalogue", "list", "--catalogue", folder), "rep_schemes")
    (folder / "rep_schemes.yaml").write_text("rep_schemes:\n  - {id: [a], name: Silly, reps_min: 1, reps_max: 3, reps: 2, rest_s: 60}\n")
    one_line_error(run("catalogue", "list", "--catalogue", folder), "id")


@pytest.mark.parametrize(
    "record, field, want",
    [
        ({"id": "x", "name": ["a list"], "primaryMuscles": ["quadriceps"]}, "[0].name", "a string"),
        ({"id": "x", "name": "X", "primaryMuscles": "quadriceps"}, "[0].primaryMuscles", "a list of strings"),
        ({"id": "x", "name": "X", "primaryMuscles": ["quadriceps"], "equipment": ["body only"]}, "[0].equipment", "a string"),
        ({"id": "x", "name": "X", "primaryMuscles": ["quadriceps"], "instructions": [1, 2]}, "[0].instructions", "a list of strings"),
        ({"id": 7, "name": "X", "primaryMuscles": ["quadriceps"]}, "[0].id", "a string"),
    ],
)
def test_importer_on_wrong_field_types(tmp_path, record, field, want):
    src = write(tmp_path, json.dumps([record]), "ex.json")
    one_line_error(run("catalogue", "import", "free-exercise-db", src, "--output", tmp_path / "out"), f"{src}:1: {field}", want)  # one line of JSON
    assert not (tmp_path / "out").exists()


def test_four_week_example_with_hard_rep_scheme_progression(tmp_path, catalogue):
    from optimizer.programme_solver import solve_programme
    from optimizer.programme_checker import check_programme_result

    text = (SCENARIOS / "four_week_block_deload.yaml").read_text()
    old = "rep_schemes: {weeks: [[moderate, light], [moderate, heavy], [heavy, moderate]]}"
    assert old in text
    p = write(tmp_path, text.replace(old, old[:-1] + ", hard: true}"))
    sc = load_scenario(p)
    result = solve_programme(sc, catalogue, time_limit_s=6, workers=1, seed=0)  # a valid plan is the question, not its proof
    assert result.status.has_plan, result.message
    report = check_programme_result(sc, catalogue, result)
    assert report.ok, [str(v) for v in report.violations]
    assert len(result.weeks) == 4  # the checker above holds every week to its schemes (hard)


# Output files -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["directory", "symlink", "fifo", "device"])
def test_output_only_to_a_regular_file_even_with_force(tmp_path, kind):
    target = tmp_path / "out.txt"
    if kind == "directory":
        target.mkdir()
    elif kind == "symlink":
        (tmp_path / "real.txt").write_text("keep")
        target.symlink_to(tmp_path / "real.txt")
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        target = Path("/dev/null")
    res = run("solve", "home_balls_and_bands", "--time-limit", "2", "--workers", "1", "--output", target, "--force")
    one_line_error(res, str(target), "regular file")
    if kind == "symlink":
        assert target.is_symlink() and (tmp_path / "real.txt").read_text() == "keep"
    assert not list(tmp_path.glob(".*.tmp"))


def test_write_atomic_keeps_mode_and_leaves_no_temporary(tmp_path):
    p = tmp_path / "a.txt"
    write_atomic(p, "one")
    mask = os.umask(0o022)
    os.umask(mask)
    assert (p.stat().st_mode & 0o777) == 0o666 & ~mask
    p.chmod(0o600)
    write_atomic(p, "two", force=True)
    assert p.read_text() == "two" and (p.stat().st_mode & 0o777) == 0o600
    with pytest.raises(InputError, match="already exists"):
        write_atomic(p, "three")
    with pytest.raises(InputError, match="cannot write"):
        write_atomic("/proc/not_here.txt", "x", force=True)
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.txt"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_folder(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        with pytest.raises(InputError, match="cannot write: Permission denied"):
            write_atomic(folder / "x.txt", "x")
    finally:
        folder.chmod(0o755)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["schema", "plan"], ["solve", "home_balls_and_bands", "--time-limit", "2", "--workers", "1"]])
def test_standard_output_on_a_full_device(args):
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "optimizer.cli", *args], stdout=full, stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.strip().splitlines() == ["Error: cannot write to standard output: No space left on device"]


def test_the_plan_written_is_valid(tmp_path, catalogue):
    out = tmp_path / "plan.json"
    res = run("solve", "home_balls_and_bands", "--format", "json", "--time-limit", "5", "--workers", "1", "--output", out)
    assert res.exit_code == 0, res.output
    from optimizer.result import SolveResult

    result = SolveResult.model_validate_json(out.read_text())
    assert_valid(load_scenario(SCENARIOS / "home_balls_and_bands.yaml"), catalogue, result)
