"""Errors for bad input, and the exit codes the CLI documents.

Bad input is an exception (:class:`InputError`) carrying the file, the field path and
what was expected, so the CLI can print it on one line. "No plan" is never an exception:
it is a status on the result (see :mod:`optimizer.result`).
"""

from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_INVALID_INPUT = 1
EXIT_USAGE = 2
EXIT_NO_PLAN = 3


@dataclass
class InputError(Exception):
    """Bad input: a file that does not parse, a field that does not validate, an unknown id."""

    message: str
    file: str | None = None
    field: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "")
        parts = [p for p in (where, self.field) if p]
        return ": ".join(parts + [self.message])


class FieldError(ValueError):
    """A validator's error about a field below the one it validates: ``loc`` is the path
    from there (e.g. ``(3, "at")`` under ``days``), so the message names the field and line."""

    def __init__(self, loc: tuple, message: str):
        super().__init__(message)
        self.loc = loc


def close_matches(word: str, choices, n: int = 3) -> str:
    """' (did you mean a, b?)' for the nearest known ids, or '' when none is near."""
    import difflib

    found = difflib.get_close_matches(word, sorted(choices), n=n, cutoff=0.6)
    if not found:
        # A substring often says more than edit distance for long snake_case ids.
        found = [c for c in sorted(choices) if word in c or c in word][:n]
    return f" (did you mean {', '.join(found)}?)" if found else ""
