"""``programme batch``: many athletes at once (registered on the app by :mod:`optimizer.cli`).

Parses, calls :func:`optimizer.batch.run_batch`, shows progress on stderr (a rich bar on
a terminal, nothing otherwise) and ends with one line saying what happened.
"""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_common import SeedOpt
from .cli_support import QuietOpt
from .errors import EXIT_INVALID_INPUT, EXIT_NO_PLAN

EXIT_INTERRUPTED = 130


def batch(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Scenario files, folders of them, or one template scenario plus a table of athletes (.csv, or .parquet with pyarrow).",
            show_default=False,
        ),
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder for plans/, records/ and summary.csv (a rerun resumes it).")],
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", min=0.01, help="Seconds per athlete (default: the scenario's).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="CP-SAT workers per solve (default: the CPUs shared out; 1 on a cluster).")] = None,
    seed: SeedOpt = None,
    processes: Annotated[Optional[int], typer.Option("--processes", min=1, help="Solves at once on this machine (default: one per CPU).")] = None,
    scheduler: Annotated[
        Optional[str], typer.Option("--scheduler", help="Run on the Dask cluster at this address, e.g. tcp://10.0.0.5:8786 (needs the [cluster] extra).")
    ] = None,
    catalogue: Annotated[
        Optional[list[Path]], typer.Option("--catalogue", help="Extra catalogue folder merged with the built-in one (repeatable).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would run (solve, done before, bad input) and write nothing.")
    ] = False,
    quiet: QuietOpt = False,
) -> None:
    """Plans for many athletes: one JSON plan each and a summary table, resumable."""
    from .batch import BAD, NOT_RUN, run_batch
    from .batch_inputs import collect
    from .catalogue_load import load_catalogue

    cat = load_catalogue(catalogue)
    athletes = collect(inputs, cat)
    if dry_run:
        _dry_run(athletes, cat, output, time_limit, seed)
        return
    with _progress(len(athletes)) as advance, _sigterm_as_ctrl_c():
        report = run_batch(
            athletes, cat, output, time_limit_s=time_limit, workers=workers, seed=seed, processes=processes,
            scheduler=scheduler, progress=advance,
        )
    plans = report.count("OPTIMAL", "FEASIBLE")
    not_run, bad = report.count(NOT_RUN), report.count(BAD)
    no_plan = len(report.rows) - plans - bad - not_run
    line = (
        f"{len(athletes)} athletes: {plans} with a plan ({report.skipped} done before), {no_plan} without"
        f", {bad} bad input" + (f", {not_run} not run" if not_run else "")
        + f"; wrote {', '.join(str(p) for p in report.summary or [])}"
    )
    if report.interrupted:
        typer.echo(f"Interrupted: {line}. Run the same command again to finish the rest.", err=True)
        raise typer.Exit(EXIT_INTERRUPTED)
    typer.echo(line, err=True)
    if bad:
        raise typer.Exit(EXIT_INVALID_INPUT)
    if no_plan:
        raise typer.Exit(EXIT_NO_PLAN)


@contextmanager
def _sigterm_as_ctrl_c():
    """SIGTERM (a service manager or a cluster's scheduler stopping the job) stops the batch
    as Ctrl-C does: the summary is written, exit 130, a rerun finishes the rest. Both are
    also noted (``batch.Signals``), in case native code swallows the KeyboardInterrupt."""
    import signal

    from .batch import Signals

    Signals.seen = False

    def on_signal(signum, frame):
        Signals.note()
        raise KeyboardInterrupt

    try:
        old_term = signal.signal(signal.SIGTERM, on_signal)
    except ValueError:  # not the main thread (an embedding program): leave its handling alone
        yield
        return
    old_int = signal.getsignal(signal.SIGINT)
    if old_int is signal.default_int_handler:  # Ctrl-C as Python handles it (not ignored by a background job)
        signal.signal(signal.SIGINT, on_signal)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old_term)
        signal.signal(signal.SIGINT, old_int)


def _dry_run(athletes, cat, output: Path, time_limit: float | None, seed: int | None) -> None:
    """What the same command would do, on stdout (a table), writing nothing; exit 1 on bad input."""
    from .batch import BAD, check_output, plan_batch
    from .tables import text_table

    check_output(output)
    rows, todo = plan_batch(athletes, cat, output, time_limit_s=time_limit, seed=seed)
    solve = {key for key, _ in todo}
    table = []
    for a in athletes:
        row = rows.get(a.source, {})
        action = "solve" if a.source in solve else "bad input" if row.get("status") == BAD else "done before"
        table.append((a.id, a.source, action, row.get("error") or ""))
    typer.echo(text_table(["id", "source", "would", "error"], table))
    bad = sum(1 for *_, action, _ in table if action == "bad input")
    typer.echo(
        f"{len(athletes)} athletes: {len(todo)} to solve, {len(athletes) - len(todo) - bad} done before, {bad} bad input"
        f"; dry run: nothing solved or written", err=True,
    )
    if bad:
        raise typer.Exit(EXIT_INVALID_INPUT)


class _progress:
    """A progress bar on stderr when it is a terminal; a no-op otherwise."""

    def __init__(self, total: int):
        self.total = total
        self.bar = None

    def __enter__(self):
        from .progress import enabled

        if not enabled():  # not a terminal, or --quiet
            return lambda row: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("batch"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[last]}"),
            TimeElapsedColumn(), TimeRemainingColumn(), console=Console(stderr=True), transient=False,
        )
        self.bar.start()
        task = self.bar.add_task("batch", total=self.total, last="")

        def advance(row: dict) -> None:
            self.bar.update(task, advance=1, last=f"{row.get('id', '')}: {row.get('status', '')}")

        return advance

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()
