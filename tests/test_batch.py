"""`programme batch`: athletes from a template plus a table, bad rows reported, every plan
checked, resume doing only what is missing, a killed worker losing nothing, and a Dask
LocalCluster giving the same results as the local pool."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from optimizer.batch import run_batch, solve_task
from optimizer.batch_inputs import collect
from optimizer.cli import app
from optimizer.result import SolveResult
from optimizer.runner import Runner, run_many

from .conftest import SCENARIOS, assert_valid

# The batch's mechanics (rows, resuming, workers, clusters, signals) on a template week that
# solves in a fraction of a second; the command's own test and the kill test use the home example.
QUICK = Path(__file__).parent / "fixtures" / "batch" / "quick_week.yaml"
TEMPLATE = QUICK
HOME = SCENARIOS / "home_balls_and_bands.yaml"
RUN = {"workers": 1, "seed": 0, "time_limit_s": 20}
TABLE = """id,days,minutes,equipment,level,max_knee_flexion_deg,target_scale
ann,mon wed fri,40,,,,
bob,mon thu,30,bodyweight,beginner,90,0.8
cat,mon,abc,,,,
dan,tue thu sat,35,bodyweight;resistance_band,,,1.2
eve,mno,30,,,,
fay,mon wed,25,bodyweight;resistance_band,advanced,,
"""
GOOD = ["ann", "bob", "dan", "fay"]


@pytest.fixture
def table(tmp_path) -> Path:
    path = tmp_path / "athletes.csv"
    path.write_text(TABLE)
    return path


def summary(out: Path) -> pd.DataFrame:
    return pd.read_csv(out / "summary.csv", keep_default_na=False).set_index("id")


def assert_plans_valid(out: Path, table: Path, catalogue, ids=GOOD) -> dict[str, SolveResult]:
    """Every plan written passes the independent checker against its athlete's scenario."""
    scenarios = {a.id: a.scenario for a in collect([TEMPLATE, table], catalogue)}
    plans = {}
    for i in ids:
        result = SolveResult.model_validate_json((out / "plans" / f"{i}.json").read_text())
        assert_valid(scenarios[i], catalogue, result)
        plans[i] = result
    return plans


def test_bad_rows_get_their_one_line_error_and_the_rest_go_on(tmp_path, table, catalogue):
    out = tmp_path / "out"
    report = run_batch(collect([TEMPLATE, table], catalogue), catalogue, out, processes=1, **RUN)
    df = summary(out)
    assert list(df.index) == ["ann", "bob", "cat", "dan", "eve", "fay"]  # input order
    assert report.bad == 2 and report.solved == 4
    assert df.loc["cat", "error"] == "athletes.csv:4: minutes: expected whole minutes (one number, or one per day), got 'abc'".replace(
        "athletes.csv", str(table)
    )
    assert df.loc["eve", "error"].startswith(f"{table}:6: days: unknown weekday 'mno' (did you mean mon?)")
    for i in ("cat", "eve"):
        assert df.loc[i, "status"] == "BAD INPUT" and "\n" not in df.loc[i, "error"]
        assert not (out / "plans" / f"{i}.json").exists()
    assert (df.loc[GOOD, "checker"] == "ok").all()
    assert set(df.loc[GOOD, "status"]) <= {"OPTIMAL", "FEASIBLE"}
    for col in ("term_shortfall", "term_balance", "term_minutes", "term_exercises", "gap", "wall_time_s"):
        assert df.loc[GOOD, col].astype(float).ge(0).all(), col
    plans = assert_plans_valid(out, table, catalogue)
    # The overrides took effect: bob trains mon and thu, 30 minutes, bodyweight only.
    bob = plans["bob"].plan
    assert [d.day for d in bob.days] == ["mon", "thu"] and {d.minutes_budget for d in bob.days} == {30}
    assert all(catalogue.exercise_by_id[x.exercise].equipment == ["bodyweight"] for _, x in bob.entries())
    assert float(df.loc["ann", "term_minutes"]) == pytest.approx(
        sum(t.value for t in plans["ann"].objective_terms if t.name == "minutes")
    )


def test_a_rerun_does_only_what_is_missing(tmp_path, table, catalogue):
    out = tmp_path / "out"
    ran: list[str] = []

    def counting(task, stop=None):
        ran.append(task.id)
        return solve_task(task, stop)

    run_batch(collect([TEMPLATE, table], catalogue), catalogue, out, processes=1, task_fn=counting, **RUN)
    assert sorted(ran) == GOOD
    first = {i: (out / "plans" / f"{i}.json").read_text() for i in GOOD}

    ran.clear()  # nothing changed: nothing solved, the summary is whole again
    report = run_batch(collect([TEMPLATE, table], catalogue), catalogue, out, processes=1, task_fn=counting, **RUN)
    assert ran == [] and report.skipped == 4 and summary(out).loc[GOOD, "resumed"].astype(str).eq("True").all()

    # A lost record (an interrupted run), a changed row, a failed solve: only those again.
    (out / "records" / "ann.json").unlink()
    table.write_text(TABLE.replace("fay,mon wed,25", "fay,mon wed,30"))
    rec = json.loads((out / "records" / "dan.json").read_text())
    (out / "records" / "dan.json").write_text(json.dumps({**rec, "status": "ERROR"}))
    ran.clear()
    run_batch(collect([TEMPLATE, table], catalogue), catalogue, out, processes=1, task_fn=counting, **RUN)
    assert sorted(ran) == ["ann", "dan", "fay"]
    assert (out / "plans" / "bob.json").read_text() == first["bob"]  # untouched
    plans = assert_plans_valid(out, table, catalogue)
    assert {d.minutes_budget for d in plans["fay"].plan.days} == {30}


CRASHED = "PROGRAMME_TEST_CRASH_MARKER"
# Set at import (collection), before any process pool exists: a fork server started by an
# earlier test keeps the environment it started with, so a value set later never reaches
# the workers. Each test below clears the marker first.
os.environ.setdefault(CRASHED, str(Path(tempfile.mkdtemp(prefix="programme-crash-")) / "crashed"))
MARKER = Path(os.environ[CRASHED])


def crash_once(task, stop=None):
    """Kills its worker process the first time it sees ``bob`` (a marker file says when)."""
    marker = Path(os.environ[CRASHED])
    if task.id == "bob" and not marker.exists():
        marker.write_text("crashed")
        os._exit(1)
    return solve_task(task, stop)


def test_a_killed_worker_loses_nothing(tmp_path, table, catalogue, monkeypatch):
    """A worker process dies mid-batch (as if killed): the pool is started afresh, every
    solve it took with it runs again, and every athlete ends with a checked plan."""
    MARKER.unlink(missing_ok=True)
    out = tmp_path / "out"
    report = run_batch(collect([TEMPLATE, table], catalogue), catalogue, out, processes=2, task_fn=crash_once, **RUN)
    assert MARKER.exists()  # it did die
    df = summary(out)
    assert (df.loc[GOOD, "checker"] == "ok").all() and report.solved == 4
    assert_plans_valid(out, table, catalogue)


def _exit_first(key):
    """run_many's unit: the first call of key 'x' kills its process (marker file)."""
    marker = Path(os.environ[CRASHED])
    if key == "x" and not marker.exists():
        marker.write_text("crashed")
        os._exit(1)
    return key * 2


def test_run_many_retries_the_calls_of_a_dead_process_and_gives_up_past_the_retries(tmp_path, monkeypatch):
    MARKER.unlink(missing_ok=True)
    with Runner(2, "processes") as runner:
        got = {k: (r, e) for k, r, e in run_many(runner, _exit_first, [(k, k) for k in "abxcd"], window=3)}
    assert got == {k: (k * 2, None) for k in "abxcd"}
    # One call at a time here: a call running beside "x" when x kills the pool fails with it,
    # and with one retry it could share the pool with x twice on a slow machine (a flake).
    with Runner(2, "processes") as runner:
        got = {k: (r, e) for k, r, e in run_many(runner, _always_exit, [(k, k) for k in "axb"], window=1, retries=1)}
    assert got["a"] == ("aa", None) and got["b"] == ("bb", None)
    assert got["x"][0] is None and "BrokenProcessPool" in type(got["x"][1]).__name__


def _always_exit(key):
    """Kills its process every time for 'x': x fails past the retries, the rest are done."""
    if key == "x":
        os._exit(1)
    return key * 2


def test_a_dask_local_cluster_gives_the_same_results_as_the_local_pool(tmp_path, table, catalogue):
    distributed = pytest.importorskip("distributed")
    local, remote = tmp_path / "local", tmp_path / "dask"
    athletes = collect([TEMPLATE, table], catalogue)
    run_batch(athletes, catalogue, local, processes=2, **RUN)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        report = run_batch(athletes, catalogue, remote, scheduler=cluster.scheduler_address, **RUN)
    assert report.solved == 4
    a, b = summary(local), summary(remote)
    same = ["status", "checker", "error", "objective_value", "gap", "digest"] + [c for c in a.columns if c.startswith("term_")]
    pd.testing.assert_frame_equal(a[same], b[same])
    for i in GOOD:
        pa = SolveResult.model_validate_json((local / "plans" / f"{i}.json").read_text()).plan
        pb = SolveResult.model_validate_json((remote / "plans" / f"{i}.json").read_text()).plan
        assert pa == pb, i
    assert_plans_valid(remote, table, catalogue)


# The command ------------------------------------------------------------------------


def test_the_command_writes_plans_and_summary_and_exits_1_on_bad_rows(tmp_path, table):
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["batch", str(HOME), str(table), "--output", str(out), "--workers", "1", "--seed", "0", "--processes", "1"])
    assert res.exit_code == 1, res.output
    assert "6 athletes: 4 with a plan (0 done before), 0 without, 2 bad input" in res.stderr
    assert sorted(p.stem for p in (out / "plans").glob("*.json")) == GOOD


def test_an_unknown_column_stops_the_command_with_one_line(tmp_path):
    bad = tmp_path / "athletes.csv"
    bad.write_text("id,dayz\nann,mon\n")
    res = CliRunner().invoke(app, ["batch", str(TEMPLATE), str(bad), "--output", str(tmp_path / "out")])
    assert res.exit_code == 1
    assert res.stderr.strip() == f"Error: {bad}:1: dayz: unknown column 'dayz' (did you mean days?), expected: " + ", ".join(
        ["id", "name", "days", "minutes", "equipment", "level", "max_knee_flexion_deg", "exclude", "target_scale", "goal"]
    )
    assert not (tmp_path / "out").exists()


def test_folders_of_scenarios_and_a_foreign_output_folder(tmp_path):
    folder = tmp_path / "clients"
    folder.mkdir()
    (folder / "a.yaml").write_text(TEMPLATE.read_text())
    (folder / "broken.yaml").write_text("name: x\nequipment: [bodyweight]\ndays: [{day: mon, minutes: -5}]\n")
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    res = CliRunner().invoke(app, ["batch", str(folder), "--output", str(foreign)])
    assert res.exit_code == 1 and "is not empty and not a batch's output" in res.stderr
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["batch", str(folder), "--output", str(out), "--workers", "1", "--processes", "1"])
    assert res.exit_code == 1, res.output
    df = summary(out)
    assert df.loc["a", "status"] == "OPTIMAL" and df.loc["a", "checker"] == "ok"
    assert df.loc["broken", "error"] == f"{folder / 'broken.yaml'}:3: days[0].minutes: Input should be greater than or equal to 0"


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM"])
def test_ctrl_c_or_sigterm_stops_cleanly_and_a_rerun_finishes_the_rest(tmp_path, signame):
    """SIGINT (Ctrl-C) or SIGTERM (a service manager) mid-batch: exit 130 at once, a summary
    of what finished, every file whole; the same command again solves only the rest."""
    import signal
    import subprocess
    import sys
    import time

    n = 12  # room for the signal to land mid-batch (it is sent at the first record): a quarter of a second each
    rows = ["id,minutes"] + [f"a{i:02d},{30 + i}" for i in range(n)]
    table = tmp_path / "athletes.csv"
    table.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "optimizer.cli", "batch", str(QUICK), str(table), "--output", str(out),
           "--workers", "1", "--seed", "0", "--processes", "2"]
    # A child started from a background job inherits SIGINT ignored, and Python then keeps
    # it ignored (as a command should): give the batch the disposition a terminal gives it.
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 120
    while not list((out / "records").glob("*.json")) if (out / "records").exists() else True:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    proc.send_signal(getattr(signal, signame))
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Interrupted" in err and "Traceback" not in err
    done = {p.stem for p in (out / "records").glob("*.json")}
    assert 1 <= len(done) < n
    for p in (out / "records").glob("*.json"):
        json.loads(p.read_text())  # whole
    df = summary(out)
    assert len(df) == n and set(df.index[df.status == "NOT RUN"]) == {f"a{i:02d}" for i in range(n)} - done
    assert not [p for p in out.rglob("*.tmp")]
    again = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"{n} athletes: {n} with a plan ({len(done)} done before)" in again.stderr


def test_a_multi_week_scenario_gets_a_checked_programme(tmp_path, catalogue):
    from optimizer import check_programme_result, load_scenario
    from optimizer.programme_result import ProgrammeResult

    src = SCENARIOS / "four_week_block_deload.yaml"
    out = tmp_path / "out"
    # A checked plan is the question, not its proof: a shorter limit (the programme would use all 20 s).
    report = run_batch(collect([src], catalogue), catalogue, out, processes=1, **{**RUN, "time_limit_s": 8})
    assert report.solved == 1 and summary(out).loc["four_week_block_deload", "checker"] == "ok"
    result = ProgrammeResult.model_validate_json((out / "plans" / "four_week_block_deload.json").read_text())
    assert len(result.weeks) == 4
    assert check_programme_result(load_scenario(src), catalogue, result).ok


def test_bad_input_the_solver_finds_is_a_bad_row_too(tmp_path, catalogue):
    table = tmp_path / "athletes.csv"
    table.write_text("id,exclude\nzed,squatz\n")
    run_batch(collect([TEMPLATE, table], catalogue), catalogue, tmp_path / "out", processes=1, **RUN)
    row = summary(tmp_path / "out").loc["zed"]
    assert row["status"] == "BAD INPUT"
    assert row["error"] == f"{table}:2: athlete.exclude[0]: unknown exercise 'squatz' (did you mean full_squat?)"


# Parquet, the live summary, a killed run, a dry run -----------------------------------


def _parquet_table(tmp_path: Path) -> Path:
    """TABLE as Parquet, as a data platform writes it: equipment a list<string> column."""
    pytest.importorskip("pyarrow")
    import io

    df = pd.read_csv(io.StringIO(TABLE), dtype=str, keep_default_na=False)
    df["equipment"] = [[e for e in cell.split(";") if e] for cell in df["equipment"]]
    path = tmp_path / "athletes.parquet"
    df.to_parquet(path, index=False)
    return path


def test_a_parquet_table_in_a_parquet_summary_out_the_same_rows_as_csv(tmp_path, table, catalogue):
    parquet = _parquet_table(tmp_path)
    out_csv, out_pq = tmp_path / "csv", tmp_path / "pq"
    run_batch(collect([TEMPLATE, table], catalogue), catalogue, out_csv, processes=1, **RUN)
    report = run_batch(collect([TEMPLATE, parquet], catalogue), catalogue, out_pq, processes=1, **RUN)
    assert str(out_pq / "summary.parquet") in map(str, report.summary)
    a = summary(out_csv)
    b = pd.read_parquet(out_pq / "summary.parquet").set_index("id")
    assert list(b.index) == list(a.index) == ["ann", "bob", "cat", "dan", "eve", "fay"]
    assert list(b["status"]) == list(a["status"]) and list(b["checker"].fillna("")) == list(a["checker"])
    terms = [c for c in a.columns if c.startswith("term_")] + ["objective_value"]
    assert terms and b.columns.tolist() == a.columns.tolist()
    def numbers(df):  # a term an athlete's plan has not got is empty in the CSV, null in Parquet
        return df.loc[GOOD, terms].apply(pd.to_numeric, errors="coerce").astype(float)

    assert numbers(a).notna().all().any()
    pd.testing.assert_frame_equal(numbers(a), numbers(b))
    # A bad row's error names the Parquet file and its row (from 1), then the same complaint.
    assert b.loc["cat", "error"] == f"{parquet}:3: minutes: expected whole minutes (one number, or one per day), got 'abc'"
    assert b.loc["cat", "error"].split(": ", 1)[1] == a.loc["cat", "error"].split(": ", 1)[1]
    # The list<string> cells took effect: dan trains with a band, bob with bodyweight only.
    plans = assert_plans_valid(out_pq, parquet, catalogue)
    assert all(catalogue.exercise_by_id[x.exercise].equipment == ["bodyweight"] for _, x in plans["bob"].plan.entries())
    for i in GOOD:  # the same plans either way
        assert plans[i].plan == SolveResult.model_validate_json((out_csv / "plans" / f"{i}.json").read_text()).plan


def test_a_parquet_table_without_pyarrow_is_one_line(tmp_path, monkeypatch):
    parquet = _parquet_table(tmp_path)
    monkeypatch.setitem(__import__("sys").modules, "pyarrow", None)  # as if not installed
    res = CliRunner().invoke(app, ["batch", str(TEMPLATE), str(parquet), "--output", str(tmp_path / "out")])
    assert res.exit_code == 1
    assert res.stderr.strip() == (
        f"Error: {parquet}: reading Parquet needs pyarrow: pip install 'programme-optimiser[parquet]', or give a CSV"
    )
    assert not (tmp_path / "out").exists()


def test_the_summary_is_rewritten_as_results_arrive(tmp_path, table, catalogue, monkeypatch):
    """While athlete k solves, summary.csv already holds those finished before it (the rest NOT RUN)."""
    from optimizer import batch

    monkeypatch.setattr(batch.LiveSummary, "SPACING", 0)  # every result (a big batch spaces them out)
    out = tmp_path / "out"
    seen: dict[str, dict[str, str]] = {}

    def peeking(task, stop=None):
        seen[task.id] = summary(out)["status"].to_dict()
        return solve_task(task, stop)

    run_batch(collect([TEMPLATE, table], catalogue), catalogue, out, processes=1, task_fn=peeking, **RUN)
    order = list(seen)  # the likely longest first (batch.longest_first)
    assert sorted(order) == sorted(GOOD)
    for k, i in enumerate(order):
        st = seen[i]
        assert len(st) == 6 and st["cat"] == st["eve"] == "BAD INPUT"
        # In-process, two calls are handed out at a time: the one before may still be running.
        assert all(st[j] in ("OPTIMAL", "FEASIBLE") for j in order[: max(0, k - 1)]), (i, st)
        assert all(st[j] == "NOT RUN" for j in order[k:]), (i, st)
    assert seen[order[-1]][order[1]] == "OPTIMAL"  # the last one started saw the second finished


def test_a_run_killed_outright_leaves_a_summary_and_a_rerun_does_only_the_rest(tmp_path):
    """SIGKILL to the whole batch (the command and its workers, as a power cut or the OOM
    killer would): summary.csv holds what had finished, whole; the rerun solves only the rest."""
    import signal
    import subprocess
    import sys
    import time

    n = 16  # enough that a kill once two are done leaves some undone (an easy athlete takes ~0.3 s)
    rows = ["id,minutes"] + [f"a{i:02d},{30 + i}" for i in range(n)]
    table = tmp_path / "athletes.csv"
    table.write_text("\n".join(rows) + "\n")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "optimizer.cli", "batch", str(HOME), str(table), "--output", str(out),
           "--workers", "1", "--seed", "0", "--processes", "2"]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL, start_new_session=True)

    def finished() -> int:
        try:
            return int(summary(out)["status"].isin(["OPTIMAL", "FEASIBLE"]).sum())
        except (OSError, ValueError, KeyError):
            return 0

    deadline = time.monotonic() + 180
    while finished() < 2:
        assert time.monotonic() < deadline and proc.poll() is None
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    df = summary(out)  # whole: read as a table
    assert len(df) == n
    shown = set(df.index[df.status.isin(["OPTIMAL", "FEASIBLE"])])
    done = {p.stem for p in (out / "records").glob("*.json")}
    assert 2 <= len(shown) and shown <= done and len(done) < n, (shown, done)
    assert set(df.status) <= {"OPTIMAL", "FEASIBLE", "NOT RUN"}
    for i in shown:
        assert df.loc[i, "checker"] == "ok" and (out / "plans" / f"{i}.json").is_file()
    again = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert f"{n} athletes: {n} with a plan ({len(done)} done before)" in again.stderr
    assert not [p for p in out.rglob("*.tmp")]  # what the kill left half-written is gone


def test_dry_run_lists_what_would_run_and_writes_nothing(tmp_path, table, catalogue):
    out = tmp_path / "out"
    args = ["batch", str(TEMPLATE), str(table), "--output", str(out), "--seed", "0", "--time-limit", "20"]
    wide = {"COLUMNS": "500"}  # one line per athlete, to read it back
    res = CliRunner().invoke(app, [*args, "--dry-run"], env=wide)
    assert res.exit_code == 1, res.output  # bad rows
    assert not out.exists()
    lines = res.stdout.splitlines()
    assert lines[0].split() == ["id", "source", "would", "error"]
    would = {line.split()[0]: " ".join(line.split()[2:4]) for line in lines[1:]}
    assert would == {"ann": "solve", "bob": "solve", "cat": "bad input", "dan": "solve", "eve": "bad input", "fay": "solve"}
    assert f"{table}:4: minutes: expected whole minutes" in res.stdout
    assert "6 athletes: 4 to solve, 0 done before, 2 bad input; dry run" in res.stderr
    # After a run of two of them, the dry run says the other two are what is left.
    some = tmp_path / "some.csv"
    some.write_text("\n".join(TABLE.splitlines()[:3]) + "\n")
    run_batch(collect([TEMPLATE, some], catalogue), catalogue, out, processes=1, **RUN)
    before = sorted((p, p.stat().st_mtime_ns) for p in out.rglob("*"))
    res = CliRunner().invoke(app, [*args, "--dry-run"], env=wide)
    assert "6 athletes: 2 to solve, 2 done before, 2 bad input" in res.stderr
    assert sorted((p, p.stat().st_mtime_ns) for p in out.rglob("*")) == before


def test_a_dask_worker_killed_mid_batch_loses_nothing(tmp_path, table, catalogue):
    """On the cluster too: a Dask worker process dies while solving bob (as if killed); its
    nanny starts it again, the scheduler runs the task again, and every athlete ends with
    a checked plan, the same as the local pool's."""
    distributed = pytest.importorskip("distributed")
    MARKER.unlink(missing_ok=True)
    out = tmp_path / "dask"
    athletes = collect([TEMPLATE, table], catalogue)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        report = run_batch(athletes, catalogue, out, scheduler=cluster.scheduler_address, task_fn=crash_once, **RUN)
    assert MARKER.exists()  # it did die
    df = summary(out)
    assert report.solved == 4 and (df.loc[GOOD, "checker"] == "ok").all() and (df.loc[GOOD, "error"] == "").all()
    assert_plans_valid(out, table, catalogue)


def test_the_likely_longest_solves_start_first(tmp_path, table, catalogue):
    """A long solve started last runs alone while the other workers idle, so the batch
    starts the weeks that ask the most effective sets per minute of training first (the
    summary stays in input order: test_the_summary_is_rewritten_as_results_arrive)."""
    from optimizer.batch import asked_per_minute, longest_first, plan_batch

    _, todo = plan_batch(collect([TEMPLATE, table], catalogue), catalogue, tmp_path / "out")
    assert [task.id for _, task in todo] == GOOD
    ordered = longest_first(todo)
    assert [task.id for _, task in ordered] == ["fay", "bob", "dan", "ann"]  # 2 x 25 min first, 3 x 40 last
    asked = [asked_per_minute(task.scenario) for _, task in ordered]
    assert asked == sorted(asked, reverse=True) and asked[0] > asked[-1]


def test_a_batch_solve_makes_no_early_plan_and_proves_the_same_plan(catalogue, monkeypatch):
    """A batch reads only each athlete's final plan, so its solves skip the early plan
    (100 batch athletes: 0.93x the time). A proven plan is the same with it or
    without it (the canonical solve). The fixture's weeks go to the day-level model, where
    the early plan's quick day-level solve ran."""
    from optimizer.batch import Task
    from optimizer.encoding import solve as encoding_solve
    from optimizer.scenario import load_scenario
    from optimizer.solver import solve

    from .conftest import FIXTURES

    made = []
    real = encoding_solve.EarlyPlan
    monkeypatch.setattr(encoding_solve, "EarlyPlan", lambda *a, **k: made.append(1) or real(*a, **k))
    sc = load_scenario(FIXTURES / "tight_three_days.yaml")
    alone = solve(sc, catalogue, repair=False, **RUN)
    assert made, "a plain solve makes an early plan"
    made.clear()
    row, plan_json = solve_task(Task("a", "tight_three_days.yaml", sc, catalogue, RUN["time_limit_s"], RUN["workers"], RUN["seed"], "d"))
    assert not made, "the batch's solve made an early plan"
    batched = SolveResult.model_validate_json(plan_json)
    assert row["status"] == alone.status.value == "OPTIMAL" and row["checker"] == "ok"
    assert_valid(sc, catalogue, batched)
    assert batched.plan == alone.plan
    assert [(t.name, t.value) for t in batched.objective_terms] == [(t.name, t.value) for t in alone.objective_terms]
