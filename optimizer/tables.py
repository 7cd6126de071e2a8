"""Text and Markdown tables from plain rows, exactly as pandas prints them, without pandas.

Importing pandas costs 0.3-0.9 s, more than a small example's solve; a one-week plan's
tables are a few dozen cells. :func:`text_table` reproduces ``DataFrame(rows).to_string(
index=False)`` (column types inferred as pandas infers them, its float formatting at its
default precision of 6) and :func:`markdown_table` the project's Markdown tables, so the
output is the same whichever path made it: ``tests/test_startup.py`` compares the two on
every example and on generated columns.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

PRECISION = 6  # pandas' display.precision
_FIXED = re.compile(r"^\s*[+-]?[0-9]+\.[0-9]*$")


def _is_nan(v) -> bool:
    return isinstance(v, float) and math.isnan(v)


def _kind(values: list) -> str:
    """The dtype pandas gives a column built from these Python values."""
    if values and all(isinstance(v, bool) for v in values):
        return "bool"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    numbers = [v for v in values if v is not None]
    if numbers and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers):
        return "float"
    return "object"


def _trim(values: list[str]) -> list[str]:
    """pandas' _trim_zeros_float: drop trailing zeros common to every fixed-point value."""

    def should_trim(vs):
        numbers = [x for x in vs if _FIXED.match(x)]
        return bool(numbers) and all(x.endswith("0") for x in numbers)

    while should_trim(values):
        values = [x[:-1] if _FIXED.match(x) else x for x in values]
    return [x + "0" if _FIXED.match(x) and x.endswith(".") else x for x in values]


def _floats(values: list) -> list[str]:
    nums = [float("nan") if v is None else float(v) for v in values]

    def fmt(spec):
        return _trim(["NaN" if math.isnan(x) else format(x, spec) for x in nums])

    out = fmt(f".{PRECISION}f")
    finite = [abs(x) for x in nums if not math.isnan(x)]
    too_long = bool(out) and max(len(x) for x in out) > PRECISION + 6
    small = any(0 < a < 10**-PRECISION for a in finite)
    if small or (too_long and any(a > 1e6 for a in finite)):
        out = fmt(f".{PRECISION}e")
    return out


def _object_cell(v) -> str:
    if v is None:
        return "None"
    if _is_nan(v):
        return "NaN"
    if isinstance(v, float):
        s = format(v, f" .{PRECISION}f").rstrip("0")
        return s + "0" if s.endswith(".") else s
    return str(v)


def _cells(values: list) -> list[str]:
    kind = _kind(values)
    if kind == "int":
        return [str(v) for v in values]
    if kind == "float":
        return _floats(values)
    return [_object_cell(v) for v in values]


def text_table(columns: Sequence[str], rows: Sequence[Sequence]) -> str:
    """The plain table (:func:`plain_text_table`), fitted to the terminal's width (rich) or,
    piped, kept within 120 columns (optimizer.termtable)."""
    if not rows:
        return "(none)"
    from .termtable import fit_rows

    return fit_rows(columns, rows, plain_text_table(columns, rows))


def plain_text_table(columns: Sequence[str], rows: Sequence[Sequence]) -> str:
    """What ``pandas.DataFrame(rows, columns=columns).to_string(index=False)`` prints."""
    if not rows:
        return "(none)"
    cols = []
    for j, name in enumerate(columns):
        values = [r[j] for r in rows]
        cells = _cells(values)
        header = (" " if _kind(values) != "object" else "") + str(name)  # pandas pads numeric headers
        width = max(len(header), *(len(c) for c in cells))
        cols.append([header.rjust(width)] + [c.rjust(width) for c in cells])
    return "\n".join(" ".join(col[i] for col in cols) for i in range(len(rows) + 1))


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence]) -> str:
    """A Markdown table: each cell as ``str()`` of its value in its column's type, ``|`` escaped."""
    if not rows:
        return "_(none)_"
    cols = [str(c) for c in columns]
    cells = []
    for j in range(len(cols)):
        values = [r[j] for r in rows]
        if _kind(values) == "float":  # as pandas stores it: 1 -> 1.0, None -> nan
            values = [float("nan") if v is None else float(v) for v in values]
        cells.append([str(v).replace("|", "\\|") for v in values])
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join(" --- " for _ in cols) + "|"]
    lines += ["| " + " | ".join(col[i] for col in cells) + " |" for i in range(len(rows))]
    return "\n".join(lines)
