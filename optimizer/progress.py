"""Progress on long work: one live line on stderr, for a person at a terminal.

A command opens a display (:func:`shown`) for its work; the library reports what it is
doing with :func:`note` ("minutes: improving", "repair 2 of 3: verifying") and
:func:`advance` ("3 of 12 variants"). Both are no-ops when no display is open, so the
library costs nothing in scripts, tests and notebooks. The display is rich's (a spinner,
what is being done, the time elapsed; erased when the work ends) and goes to stderr only:
stdout keeps exactly the requested output.

Quiet when stderr is not a terminal (a pipe, a file, CI logs) or with ``--quiet`` (every
command accepts it). ``PROGRAMME_PROGRESS=1`` shows it even when stderr is not a
terminal, ``PROGRAMME_PROGRESS=0`` never (``--quiet`` still wins).

rich is imported only when a display opens.
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager

ENV = "PROGRAMME_PROGRESS"
QUIET = False  # set by ``--quiet`` (cli_support.Group adds it to every command)
_current = None
_lock = threading.Lock()


def enabled(quiet: bool = False) -> bool:
    """Whether a command should show progress: not quiet, and stderr a terminal (or forced)."""
    if quiet or QUIET:
        return False
    env = os.environ.get(ENV, "").strip()
    if env == "0":
        return False
    if env == "1":
        return True
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


class _Display:
    def __init__(self, title: str, console=None):
        from rich.console import Console
        from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        if console is None:
            console = Console(stderr=True, force_terminal=os.environ.get(ENV, "").strip() == "1" or None)
        self.title = title
        self.bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True)
        self.task = self.bar.add_task(title, total=None)

    def note(self, text: str) -> None:
        self.bar.update(self.task, description=f"{self.title}: {text}" if text else self.title)

    def advance(self, done: int, total: int, text: str = "") -> None:
        self.bar.update(self.task, completed=done, total=total)
        self.note(text or f"{done} of {total}")


@contextmanager
def shown(title: str, quiet: bool = False, console=None):
    """A live display on stderr while the block runs (nothing when :func:`enabled` says no;
    ``console``: a rich Console to draw on, shown whatever the terminal)."""
    global _current
    if console is None and not enabled(quiet):
        yield None
        return
    display = _Display(title, console)
    with _lock:
        outer, _current = _current, display
    display.bar.start()
    try:
        yield display
    finally:
        display.bar.stop()
        with _lock:
            _current = outer


def note(text: str) -> None:
    """What the work is doing now (any thread)."""
    display = _current
    if display is not None:
        display.note(text)


def advance(done: int, total: int, text: str = "") -> None:
    """``done`` of ``total`` items finished (any thread)."""
    display = _current
    if display is not None:
        display.advance(done, total, text)


def say(line: str) -> None:
    """A line on stderr, above the live display when one is open (so the two do not mix)."""
    display = _current
    if display is not None:
        display.bar.console.print(line, markup=False, highlight=False)
    else:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
