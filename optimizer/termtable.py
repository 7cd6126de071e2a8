"""Text that fits the terminal: tables (rich) and prose lines wrapped to the width.

On a terminal, tables are drawn by rich at the terminal's width. Piped or written to a file,
output stays plain text: pandas' columns when they fit (so narrow tables read as they always
did), else a plain rich table of the same columns with long cells wrapped, at ``$COLUMNS``
or 120 columns. Prose lines longer than the width are wrapped at word boundaries.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

PIPED_WIDTH = 120


def is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def width() -> int:
    """The terminal's width on a terminal; else $COLUMNS, or 120."""
    if is_terminal():
        return max(40, shutil.get_terminal_size((PIPED_WIDTH, 24)).columns)
    try:
        return max(40, int(os.environ.get("COLUMNS", "")))
    except ValueError:
        return PIPED_WIDTH


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{round(value, 4):g}"
    return "" if value is None else str(value)


def fit_table(df: pd.DataFrame, limit: int | None = None) -> str:
    """``df`` as text no wider than ``limit`` (default :func:`width`), wrapping cells when needed."""
    return fit_rows(list(df.columns), df.itertuples(index=False), df.to_string(index=False), limit)


def fit_rows(columns: Sequence[object], rows: Iterable[Sequence[object]], plain: str, limit: int | None = None) -> str:
    """A table given as columns and rows of plain values, with ``plain`` its usual text
    (pandas' layout): ``plain`` itself when piped and it fits, else a rich table within ``limit``."""
    limit = limit or width()
    tty = is_terminal()
    if not tty and max((len(line) for line in plain.splitlines()), default=0) <= limit:
        return plain
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    rows = [[v.item() if hasattr(v, "item") else v for v in r] for r in rows]  # numpy scalars -> Python
    cells = [[_cell(v) for v in row] for row in rows]
    table = Table(box=box.SIMPLE_HEAD if tty else None, show_edge=False, pad_edge=False, header_style="bold" if tty else "", collapse_padding=True)
    mins = []
    for i, col in enumerate(columns):
        # Break between words, not inside them: a column is at least as wide as its longest
        # word (capped, so one long id cannot starve the rest) ...
        words = [len(w) for row in cells for w in re.split(r"(?<=\S)\s+", row[i])] + [len(w) for w in str(col).split()]
        mins.append(min(max(words, default=1), 24))
    # The first column (an id or a name to copy) keeps its longest word whole.
    if mins and cells:
        mins[0] = max(len(w) for row in cells for w in re.split(r"(?<=\S)\s+", row[0]) or [""])
    while sum(mins) + 2 * (len(mins) - 1) > limit and max(mins[1:], default=0) > 4:
        rest = mins[1:]
        mins[1 + rest.index(max(rest))] -= 1  # ... unless the words cannot all fit: then fold the longest
    for i, col in enumerate(columns):
        values = [row[i] for row in rows if row[i] is not None and row[i] != ""]
        numeric = bool(values) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
        table.add_column(Text(str(col)), justify="right" if numeric else "left", overflow="fold", min_width=mins[i])
    for row in cells:
        table.add_row(*(Text(v) for v in row))
    target = limit
    for _ in range(5):  # rich may overshoot by a column's padding: ask again a little narrower
        out = io.StringIO()
        console = Console(file=out, width=target, force_terminal=tty, color_system="standard" if tty else None, highlight=False, emoji=False, soft_wrap=False)
        console.print(table, crop=False)  # never cut text off: fold it
        text = "\n".join(line.rstrip() for line in out.getvalue().rstrip("\n").splitlines())
        over = max(len(_strip_ansi(line)) for line in text.splitlines()) - limit
        if over <= 0 or target <= 40:
            break
        target -= over
    return text


def _strip_ansi(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def fit_text(text: str, limit: int | None = None) -> str:
    """Wrap every line longer than ``limit`` at word boundaries, continuation lines indented."""
    limit = limit or width()
    out = []
    for line in text.split("\n"):
        if len(line) <= limit:
            out.append(line)
            continue
        indent = " " * (len(line) - len(line.lstrip(" ")))
        out.extend(textwrap.wrap(line, limit, initial_indent="", subsequent_indent=indent + "  ", break_on_hyphens=False, break_long_words=True) or [line])
    return "\n".join(out)


def markdown_blocks(text: str) -> str:
    """Separate consecutive lines by a blank line unless both are table rows, so that no note
    is read as a table row and no two status lines merge into one paragraph (GFM)."""
    out: list[str] = []
    for line in text.split("\n"):
        prev = out[-1] if out else ""
        if line.strip() and prev.strip() and not (line.startswith("|") and prev.startswith("|")):
            out.append("")
        out.append(line)
    return "\n".join(out)
