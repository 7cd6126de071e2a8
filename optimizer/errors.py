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

    def located(self) -> InputError:
        """This error with the line of its field filled in from its file, where it has both."""
        if self.line is None and self.file and self.field:
            from .locate import file_line

            self.line = file_line(self.file, self.field)
        return self


class FieldError(ValueError):
    """A model validator's error about one field below the model: ``loc`` extends the error's path,
    so the message names that field and its line (e.g. the day of ``pinned[1]``)."""

    def __init__(self, loc: tuple, message: str):
        super().__init__(message)
        self.loc = loc


class InputErrors(InputError):
    """Several located errors at once (a catalogue's): the first ``shown`` on their own lines."""

    def __init__(self, errors: list[InputError], shown: int = 20):
        first = errors[0]
        super().__init__(first.message, first.file, first.field, first.line)
        self.errors = errors
        self.shown = shown

    def __str__(self) -> str:
        if len(self.errors) == 1:
            return str(self.errors[0])
        n = len(self.errors)
        more = f" (the first {self.shown} shown)" if n > self.shown else ""
        lines = [f"{n} errors{more}:"] + [f"  {e}" for e in self.errors[: self.shown]]
        return "\n".join(lines)


def close_matches(word: str, choices, n: int = 3) -> str:
    """' (did you mean a, b?)' for the nearest known ids, or '' when none is near."""
    import difflib

    found = difflib.get_close_matches(word, sorted(choices), n=n, cutoff=0.6)
    if not found:
        # A substring often says more than edit distance for long snake_case ids.
        found = [c for c in sorted(choices) if word in c or c in word][:n]
    return f" (did you mean {', '.join(found)}?)" if found else ""
