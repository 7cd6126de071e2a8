"""The CLI's guards: what every command checks before and after its work.

Options NaN lets through, an --output that is not a regular file, a calendar past year
9999, standard output that cannot be written or that a solver's native log would
corrupt, and Ctrl-C/SIGTERM (the work runs interruptibly, its results say so, the exit
code is 130). Light imports only: ``--help``
stays fast.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import typer

from .errors import InputError


def finite(value: float | None) -> float | None:
    """Option callback: click's ranges let NaN through (every comparison with it is false)."""
    if value is not None and value != value:
        raise typer.BadParameter("expected a number of seconds, got nan")
    return value


def interrupted_by(exc: BaseException) -> bool:
    """True when ``exc`` was caused by a KeyboardInterrupt, however deep in its chain."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, KeyboardInterrupt):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def stdout_failed(exc: OSError) -> InputError:
    """Standard output cannot be written (a full device, a closed pipe): one line, exit 1.

    What is still buffered is dropped (stdout is pointed at /dev/null), so Python's own
    flush at exit does not fail a second time with a traceback.
    """
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    return InputError(f"cannot write to standard output: {exc.strerror or exc}")


def check_output(output: Path | None, force: bool) -> None:
    """Refuse a bad --output before any work (a regular file only, see optimizer.io)."""
    if output is not None:
        from .io import check_output_path

        check_output_path(output, force)


def check_calendar(start: datetime, weeks: int) -> None:
    """The programme's last day must be a date Python can hold (year 9999 at most)."""
    from datetime import timedelta

    try:
        start.date() + timedelta(days=7 * weeks)
    except OverflowError:
        raise InputError(f"{start.date()}: a {weeks}-week calendar from it would end after 9999-12-31", field="--start") from None


DEADLINE_GRACE_S = 1.0  # a solve ends by its own clock; this only catches the work after it
COMPARE_GRACE_S = 0.25  # compare's many solves: its clock already counts from the command's start (command_left)
_STARTED = [time.perf_counter()]  # when the command started (mark_command_start; import time until then)


def mark_command_start() -> None:
    """The command starts now (the CLI's root callback; in-process runs call it again)."""
    _STARTED[0] = time.perf_counter()


OUTPUT_RESERVE_S = 0.2  # of the limit, kept for rendering and writing the output after the searches


def command_left(limit_s: float) -> float:
    """Seconds of the command's ``limit_s`` left now (loading the scenario and catalogue spent the rest)."""
    return max(0.05, limit_s - (time.perf_counter() - _STARTED[0]))


def solve_by(limit_s: float | None) -> float | None:
    """The moment (``time.perf_counter()``) every search of a command with ``limit_s`` ends:
    the limit counted from the command's start, less what the output needs."""
    return None if limit_s is None else _STARTED[0] + max(0.05, limit_s - OUTPUT_RESERVE_S)


def interruptible(work, mark: bool = True, time_limit_s: float | None = None, title: str = "Solving"):
    """(``work()``, interrupted) with Ctrl-C/SIGTERM stopping the searches (:mod:`optimizer.interrupt`).

    ``mark``: the result's status and message say it was interrupted. ``time_limit_s``:
    the whole command's clock; the work is stopped a second after it (and says so)."""
    from .interrupt import mark_interrupted, mark_timed_out, run_interruptible

    from .progress import shown

    deadline = None if time_limit_s is None else command_left(time_limit_s) + DEADLINE_GRACE_S
    with shown(title), solver_output_to_stderr():
        value, interrupted, timed_out = run_interruptible(work, deadline, solve_by(time_limit_s))
    if interrupted and mark:
        mark_interrupted(value)
    if timed_out and mark:
        mark_timed_out(value, time_limit_s)
    return value, interrupted


@contextmanager
def solver_output_to_stderr():
    """While the work runs, whatever reaches file descriptor 1 goes to stderr instead.

    Standard output carries only the requested output: CP-SAT's ``--log`` and HiGHS write
    to the process's stdout from native code, where Python cannot redirect them.
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    try:
        os.dup2(2, 1)
        yield
    finally:
        try:
            sys.stdout.flush()  # Python-level prints made meanwhile: to stderr too
        except (OSError, ValueError):
            pass
        os.dup2(saved, 1)
        os.close(saved)


def interruptible_timed(work, time_limit_s: float, title: str = "Comparing", grace: float = DEADLINE_GRACE_S):
    """(``work()``, interrupted, timed out): as :func:`interruptible` without marking one
    result (a command with many, e.g. ``compare``, marks each: :func:`mark_outcomes`);
    ``time_limit_s``: the whole command's; the work is stopped ``grace`` seconds after it."""
    from .interrupt import run_interruptible
    from .progress import shown

    with shown(title), solver_output_to_stderr():
        return run_interruptible(work, command_left(time_limit_s) + grace, solve_by(time_limit_s))


def mark_outcomes(interrupted: bool, outcomes, timed_out: float | bool = False) -> None:
    """Each outcome's result says it was interrupted; or, ``timed_out`` (the command's
    limit in seconds), each one the clock cut short (not proven) says so."""
    from .interrupt import mark_interrupted, mark_timed_out
    from .result import Status

    for o in outcomes:
        if interrupted:
            mark_interrupted(o.result)
        elif timed_out and o.result.status != Status.OPTIMAL:
            mark_timed_out(o.result, timed_out)


def exit_if_interrupted(interrupted: bool) -> None:
    """After the output is written: exit 130 when Ctrl-C or SIGTERM cut the work short."""
    if interrupted:
        from .interrupt import EXIT_INTERRUPTED

        typer.echo("Interrupted: the output holds what was found until then.", err=True)
        raise typer.Exit(EXIT_INTERRUPTED)
