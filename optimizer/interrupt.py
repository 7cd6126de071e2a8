"""Ctrl-C and SIGTERM: stop every search, keep the best plan so far, exit 130.

CP-SAT searches in C++ without Python's lock, and Python runs a signal handler only in
the main thread between bytecodes: a main thread inside a search would not see Ctrl-C
until the search ended. So the command's work runs in a worker thread under a
:class:`~optimizer.encoding.solve.Stop` (which reaches every CP-SAT search it starts, in
any thread, and every search started after it), while the main thread waits, waking
every :data:`POLL_S`. The first Ctrl-C (or SIGTERM) stops every search: each solve
returns the best it has, the command renders and writes it with status INTERRUPTED, and
the CLI exits 130. A second one ends the process at once.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from typing import Any, Callable

POLL_S = 0.1
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def run_interruptible(
    work: Callable[[], Any], deadline_s: float | None = None, solve_by: float | None = None
) -> tuple[Any, bool, bool]:
    """``(work(), interrupted, timed_out)``: ``work`` runs in a thread the main thread can stop.

    ``deadline_s``: seconds after which the main thread stops the work as Ctrl-C would
    (every search ends, none starts; the work returns what it has): one clock for a
    whole command. ``solve_by``: a ``time.perf_counter()`` value no search runs past (each
    ends there with what it has, and the steps after it see no time left), so that the
    output is written by the command's time limit; ``deadline_s`` is the safety net behind
    it. Outside the main thread (a library caller's own thread) it simply runs ``work``.
    Exceptions in ``work`` are raised here, in the caller's thread.
    """
    if threading.current_thread() is not threading.main_thread():
        return work(), False, False
    from .solver import stop_token

    stop = stop_token(solve_by)
    box: dict[str, Any] = {}
    done = threading.Event()

    def target() -> None:
        with stop.governing():
            try:
                box["value"] = work()
            except BaseException as exc:  # noqa: BLE001 - handed to the main thread
                box["error"] = exc
            finally:
                done.set()

    def on_term(signum, frame):
        raise KeyboardInterrupt

    thread = threading.Thread(target=target, name="programme-work", daemon=True)
    old_term = signal.signal(signal.SIGTERM, on_term)
    interrupted = timed_out = False
    start = time.monotonic()
    try:
        thread.start()
        while not done.is_set():
            if deadline_s is not None and not timed_out and time.monotonic() - start > deadline_s:
                timed_out = True
                stop.stop()
            try:
                done.wait(POLL_S)  # not Thread.join: an interrupted join can report a live thread as ended
            except KeyboardInterrupt:
                if interrupted:  # the second one: no more waiting
                    sys.stderr.write("Interrupted again: stopping now.\n")
                    sys.stderr.flush()
                    os._exit(EXIT_INTERRUPTED)
                interrupted = True
                sys.stderr.write("Interrupted: stopping the search, keeping the best plan so far (again to quit at once).\n")
                sys.stderr.flush()
                stop.stop()
    finally:
        signal.signal(signal.SIGTERM, old_term)
    if "error" in box:
        raise box["error"]
    return box.get("value"), interrupted, timed_out and not interrupted


INTERRUPTED_MESSAGE = "Interrupted (Ctrl-C or SIGTERM): the best plan found until then, not proven optimal."


def mark_timed_out(result, seconds: float) -> None:
    """The command's clock ran out: what was cut short (a conflict not proven minimal,
    repairs not verified, goals not explained) is said in the message."""
    result.message = f"{result.message} The time limit ({seconds:g} s) ended the command: any later step was cut short."


def mark_interrupted(result) -> None:
    """A solve or programme result stopped early says so: a plan not proven optimal becomes
    INTERRUPTED (its gap is the gap when it stopped); a proven optimum stays OPTIMAL, since
    it was proven before the stop; no plan stays UNKNOWN."""
    from .result import Status

    if result.status == Status.FEASIBLE:
        result.status = Status.INTERRUPTED
        result.message = INTERRUPTED_MESSAGE
    elif result.status == Status.UNKNOWN:
        result.message = "Interrupted (Ctrl-C or SIGTERM) before any plan was found."
    else:  # proven either way before the stop; what came after it (repairs, diagnosis) may be cut short
        result.message = f"{result.message} Interrupted (Ctrl-C or SIGTERM): anything after the proof may be incomplete."
