"""Many athletes at once: one plan each, solved side by side, nothing lost.

:func:`run_batch` solves every :class:`~optimizer.batch_inputs.Athlete` through the shared
runner (:mod:`optimizer.runner`: a local process pool that pays the start-up once per
worker, or a Dask cluster), checks every plan with the independent checker where it was
solved, and writes, as each finishes, ``plans/<id>.json`` (what ``programme solve --format
json`` writes) and ``records/<id>.json`` (its summary row and the digest of what was
solved), each whole or not at all. ``summary.csv`` (and ``summary.parquet`` with pyarrow)
gathers the rows, one per athlete in input order, rewritten whole as results arrive
(:class:`LiveSummary`) and at the end, or when interrupted.

**Resuming.** A result is keyed by the digest of the resolved scenario, the catalogue's
content and the solve settings: a rerun skips every athlete whose record has the same
digest and a final outcome (a plan, or proven infeasible), and solves the rest: new or
changed athletes, failures (an error, a plan the checker rejects, no plan in the time
limit), and whatever an interruption left undone.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .batch_inputs import Athlete, catalogue_digest, scenario_digest
from .catalogue import Catalogue
from .errors import InputError
from .io import write_atomic
from .scenario import Scenario

FINAL = {"OPTIMAL", "FEASIBLE", "INFEASIBLE"}  # outcomes a rerun keeps (others are retried)
MARKER = "batch.json"
LOCK = "batch.lock"  # held (flock) by the run writing the folder
BAD = "BAD INPUT"  # the row's error says what and where
NOT_RUN = "NOT RUN"  # interrupted before its turn: the rerun does it


@dataclass(frozen=True)
class Task:
    """One athlete to solve, everything it needs (sent to the worker that solves it)."""

    id: str
    source: str
    scenario: Scenario
    catalogue: Catalogue
    time_limit_s: float | None
    workers: int | None
    seed: int | None
    digest: str


def solve_task(task: Task, stop=None) -> tuple[dict, str | None]:
    """Solve and check one athlete (in a worker): its summary row and its plan's JSON.

    Never raises for the athlete's own trouble: bad input the solver finds (an unknown
    exercise id) is the row's error, and so is anything unexpected, with its type.
    """
    from contextlib import nullcontext

    t0 = time.perf_counter()
    row: dict = {"id": task.id, "source": task.source, "digest": task.digest}
    try:
        with stop.governing() if stop is not None else nullcontext():
            kw = dict(time_limit_s=task.time_limit_s, workers=task.workers, seed=task.seed, source=task.source)
            if task.scenario.weeks > 1:
                from .programme_checker import check_programme_result as check
                from .programme_solver import solve_programme

                result = solve_programme(task.scenario, task.catalogue, **kw)
            else:
                from .checker import check_result as check
                from .solver import solve

                # Only the final plan is read: no early plan (see solver.solve).
                result = solve(task.scenario, task.catalogue, repair=False, first_plan_soon=False, **kw)
        report = check(task.scenario, task.catalogue, result) if result.status.has_plan else None
    except InputError as exc:
        row.update(status=BAD, error=str(exc), elapsed_s=round(time.perf_counter() - t0, 3))
        return row, None
    except Exception as exc:  # noqa: BLE001 - one athlete's failure must not stop the batch
        row.update(status="ERROR", error=f"{task.source}: {type(exc).__name__}: {exc}".splitlines()[0])
        return row, None
    row.update(
        status=result.status.value,
        checker="" if report is None else "ok" if report.ok else f"INVALID: {report.violations[0]}",
        error="",
        objective_value=result.objective_value,
        best_bound=result.best_bound,
        gap=result.gap,
        wall_time_s=result.wall_time_s,
        build_time_s=result.build_time_s,
        elapsed_s=round(time.perf_counter() - t0, 3),
        workers=result.parameters.get("workers", task.workers),
        message=result.message,
        **{f"term_{t.name}": t.value for t in result.objective_terms},
    )
    if report is not None and not report.ok:
        row["status"] = "INVALID"  # never a plan the checker rejects
        return row, None
    plan = result.model_dump_json(indent=2) + "\n" if result.status.has_plan else None
    return row, plan


@dataclass
class BatchReport:
    """What a run did: every summary row (input order), and how many were solved now,
    skipped (done before) and found bad before solving (the solver may find more: count
    the rows with status BAD INPUT)."""

    rows: list[dict]
    solved: int = 0
    skipped: int = 0
    bad: int = 0
    interrupted: bool = False
    summary: list[Path] | None = None

    def count(self, *statuses: str) -> int:
        return sum(1 for r in self.rows if r.get("status") in statuses)


def solve_settings(time_limit_s: float | None, seed: int | None) -> dict:
    """The settings a result's digest includes (``20`` and ``20.0`` seconds are the same)."""
    return {"time_limit_s": None if time_limit_s is None else float(time_limit_s), "seed": seed}


def check_output(output: Path) -> None:
    """Refuse an output that is not a folder, or a non-empty folder no batch wrote."""
    if output.exists() and not output.is_dir():
        raise InputError("exists and is not a folder", file=str(output), field="--output")
    if output.is_dir() and any(output.iterdir()) and not (output / MARKER).is_file():
        raise InputError("is not empty and not a batch's output: give a new or empty folder", file=str(output), field="--output")


def prepare_output(output: Path, marker: str):
    """Create the output folder, or reuse one a batch wrote (refuse any other non-empty
    one), and lock it for this run: the returned open file holds the lock until closed
    (or the process ends, however it ends). A second batch on the same folder is refused;
    the temporary files a killed run left half-written are removed."""
    check_output(output)
    output.mkdir(parents=True, exist_ok=True)
    lock = open(output / LOCK, "a")  # noqa: SIM115 - held for the whole run
    try:
        import fcntl
    except ImportError:  # not on Windows: no lock there
        fcntl = None
    if fcntl is not None:
        try:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            raise InputError("another batch is writing this folder now: wait for it, or give another", file=str(output), field="--output") from None
    write_atomic(output / MARKER, marker, force=True)
    for sub in ("plans", "records"):
        (output / sub).mkdir(exist_ok=True)
    sweep_temporary(output)
    return lock


def sweep_temporary(output: Path) -> None:
    """Remove the temporary files a stopped run left (only with the folder's lock held)."""
    for folder in (output, output / "plans", output / "records"):
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def _done(output: Path, athlete: Athlete, digest: str) -> dict | None:
    """The stored row of an athlete already solved with this digest, if final and whole."""
    path = output / "records" / f"{athlete.id}.json"
    try:
        row = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if row.get("digest") != digest or row.get("status") not in FINAL:
        return None
    if row.get("plan") and not (output / row["plan"]).is_file():
        return None
    return row


def plan_batch(
    athletes: Sequence[Athlete],
    catalogue: Catalogue,
    output: Path | str,
    *,
    time_limit_s: float | None = None,
    seed: int | None = None,
    workers: int | None = None,
) -> tuple[dict[str, dict], list[tuple[str, Task]]]:
    """What a run would do, reading ``output`` and writing nothing: the rows known without
    solving (bad input, done before: keyed by source) and the tasks to solve, in input order."""
    output = Path(output)
    settings = solve_settings(time_limit_s, seed)
    cat_digest = catalogue_digest(catalogue)
    rows: dict[str, dict] = {}
    todo: list[tuple[str, Task]] = []
    for a in athletes:
        if a.error is not None:
            rows[a.source] = {"id": a.id, "source": a.source, "status": BAD, "checker": "", "error": a.error}
            continue
        digest = scenario_digest(a.scenario, cat_digest, settings)
        done = _done(output, a, digest)
        if done is not None:
            rows[a.source] = {**done, "resumed": True}
            continue
        todo.append((a.source, Task(a.id, a.source, a.scenario, catalogue, time_limit_s, workers, seed, digest)))
    return rows, todo


def run_batch(
    athletes: Sequence[Athlete],
    catalogue: Catalogue,
    output: Path | str,
    *,
    time_limit_s: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
    processes: int | None = None,
    scheduler: str | None = None,
    progress: Callable[[dict], None] | None = None,
    task_fn: Callable = solve_task,
) -> BatchReport:
    """Solve every athlete not already done; write plans and records as they finish.

    ``processes``: solves at once on this machine (default: one per CPU), each with
    ``workers`` CP-SAT workers (default: the CPUs shared out, at least 1); ``scheduler``:
    run on the Dask cluster at that address instead (``workers`` default 1 per solve).
    A proven plan does not depend on the worker count (the canonical one-worker solve
    picks it), so local and cluster runs give the same plans. ``progress`` is called with
    each row as it is known; ``task_fn`` (tests) replaces :func:`solve_task`.
    """
    from .runner import Runner

    output = Path(output)
    check_output(output)  # a foreign folder is refused before connecting anywhere
    cores = os.cpu_count() or 1
    n = max(1, processes or cores)
    settings = solve_settings(time_limit_s, seed)
    # A cluster that does not answer fails here, before anything is written; a local
    # pool starts its processes on the first solve.
    runner = Runner(n if scheduler is None else 0, "processes", scheduler)
    try:
        lock = prepare_output(output, json.dumps({"catalogue": catalogue_digest(catalogue), **settings}, indent=2) + "\n")
    except BaseException:
        runner.close()
        raise
    if workers is None:
        workers = 1 if scheduler is not None else max(1, cores // n)
    with lock:
        try:
            return _run(athletes, catalogue, output, runner, time_limit_s, seed, workers, progress, task_fn)
        finally:
            runner.close()  # already closed unless something failed before the solves began


def _run(athletes, catalogue, output: Path, runner, time_limit_s, seed, workers, progress, task_fn) -> BatchReport:
    from .runner import run_many

    report = BatchReport(rows=[])
    rows, todo = plan_batch(athletes, catalogue, output, time_limit_s=time_limit_s, seed=seed, workers=workers)
    report.bad = sum(1 for r in rows.values() if r["status"] == BAD)
    report.skipped = len(rows) - report.bad
    for row in rows.values():
        if progress:
            progress(row)
    live = LiveSummary(output, athletes, rows)
    live.update(force=True)  # from the start: what was done before, what is bad, the rest NOT RUN
    try:
        with runner:
            ids = {key: task.id for key, task in todo}
            for key, got, exc in run_many(runner, task_fn, longest_first(todo), window=2 * runner.slots):
                row = _store(output, ids[key], key, got, exc)
                rows[key] = row
                report.solved += 1
                live.update()
                if progress:
                    progress(row)
                if Signals.seen:
                    raise KeyboardInterrupt  # the signal's own exception was lost (see Signals)
    except KeyboardInterrupt:
        report.interrupted = True
    finally:
        report.interrupted = report.interrupted or Signals.seen
        report.rows = in_order(athletes, rows)
        report.summary = write_summary(output, report.rows)
        # A Ctrl-C can land between a temporary file's creation and the guard that removes
        # it; the folder is locked to this run, so whatever temporary file is left is ours.
        sweep_temporary(output)
    return report


def asked_per_minute(scenario: Scenario) -> float:
    """Effective sets the targets ask for, per minute of training: the solves that take
    longest are the weeks too short for their targets (the day-level model's)."""
    asked = sum(t.min or 0 for t in scenario.targets.values())
    return asked / max(1, sum(d.minutes for d in scenario.days))


def longest_first(todo: list[tuple[str, Task]]) -> list[tuple[str, Task]]:
    """The tasks in the order to start them: the likely longest first (by
    :func:`asked_per_minute`; ties in input order), so that no long solve starts last and
    runs alone while the other workers idle. Each plan is written as it finishes; the
    summary keeps input order whatever the order of solving.

    100 batch athletes, their one-worker solve times replayed on two workers: input order
    54.6 s, this order 50.9 s, the best order 50.8 s; the batch itself, four runs each way:
    median 56.3 against 60.0 s (benchmarks/README.md)."""
    return sorted(todo, key=lambda item: -asked_per_minute(item[1].scenario))


class Signals:
    """Whether Ctrl-C or SIGTERM came (set by the CLI's handlers, before they raise
    KeyboardInterrupt). The batch checks it after every result too: a KeyboardInterrupt
    raised while native code runs (pyarrow writing the summary) may be swallowed there,
    and a batch then went on to the end and exited 0 (seen twice in the test suite)."""

    seen = False

    @classmethod
    def note(cls) -> None:
        cls.seen = True


def in_order(athletes: Sequence[Athlete], rows: dict[str, dict]) -> list[dict]:
    """One row per athlete in input order; an athlete not finished yet is ``NOT RUN``."""
    missed = {"status": NOT_RUN, "error": "", "checker": ""}
    return [rows.get(a.source) or {"id": a.id, "source": a.source, **missed} for a in athletes]


class LiveSummary:
    """``summary.csv`` (and ``summary.parquet``) kept up to date while the batch runs, each
    time replaced whole.

    A run killed outright (SIGKILL, a power cut) thus leaves a summary of what had
    finished, the rest ``NOT RUN``; the records are what a rerun reads. Rewriting the
    whole table costs time growing with the batch, so a rewrite waits until the run has
    gone on for :attr:`SPACING` times as long as the last rewrite took (never more than
    :attr:`MAX_WAIT_S`): every result on a batch of hundreds, a few percent of the time
    at most on a very long one.
    """

    SPACING = 20
    MAX_WAIT_S = 10.0

    def __init__(self, output: Path, athletes: Sequence[Athlete], rows: dict[str, dict]):
        self.output, self.athletes, self.rows = output, athletes, rows
        self.next_at = 0.0

    def update(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not force and now < self.next_at:
            return
        write_summary(self.output, in_order(self.athletes, self.rows))
        took = time.perf_counter() - now
        # A forced write (the first one imports pandas) sets no spacing; none is over MAX_WAIT_S.
        self.next_at = 0.0 if force else time.perf_counter() + min(self.SPACING * took, self.MAX_WAIT_S)


def _store(output: Path, athlete_id: str, source: str, got, exc: BaseException | None) -> dict:
    """Write one finished athlete: its plan, then its record (so a record means a whole plan)."""
    if exc is not None:  # the worker itself failed (crashed past the retries, or the cluster lost it)
        error = f"{source}: the worker failed: {type(exc).__name__}: {exc}".splitlines()[0]
        return {"id": athlete_id, "source": source, "status": "ERROR", "error": error}
    row, plan = got
    if plan is not None:
        rel = f"plans/{row['id']}.json"
        write_atomic(output / rel, plan, force=True)
        row["plan"] = rel
    else:
        stale = output / "plans" / f"{row['id']}.json"
        if stale.exists():
            stale.unlink()  # an older plan of this athlete no longer answers what was asked
    write_atomic(output / "records" / f"{row['id']}.json", json.dumps(row, indent=2) + "\n", force=True)
    return row


LEADING = ["id", "source", "status", "checker", "error", "objective_value", "best_bound", "gap"]
TRAILING = ["wall_time_s", "build_time_s", "elapsed_s", "workers", "resumed", "plan", "digest", "message"]


def summary_frame(rows: Sequence[dict]):
    """One row per athlete: status, checker verdict, error, every objective term, gap, times."""
    import pandas as pd

    terms = []
    for r in rows:
        terms += [k for k in r if k.startswith("term_") and k not in terms]
    cols = LEADING + terms + TRAILING
    df = pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)
    df["resumed"] = df["resumed"].fillna(False).astype(bool)
    return df


def write_summary(output: Path, rows: Sequence[dict]) -> list[Path]:
    """summary.csv, and summary.parquet when pyarrow is there; each written whole."""
    df = summary_frame(rows)
    written = [output / "summary.csv"]
    write_atomic(written[0], df.to_csv(index=False), force=True)
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return written
    import io

    buf = io.BytesIO()
    df.astype({c: "string" for c in ("checker", "error", "plan", "message", "digest")}).to_parquet(buf, index=False)
    write_atomic(output / "summary.parquet", buf.getvalue(), force=True)
    return written + [output / "summary.parquet"]
