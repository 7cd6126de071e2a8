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
    import pandas as pd

    limit = limit or width()
    tty = is_terminal()
    plain = df.to_string(index=False)
    if not tty and max(len(line) for line in plain.splitlines()) <= limit:
        return plain
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD if tty else None, show_edge=False, pad_edge=False, header_style="bold" if tty else "", collapse_padding=True)
    cells = [[_cell(v) for v in row] for row in df.itertuples(index=False)]
    for i, col in enumerate(df.columns):
        numeric = pd.api.types.is_numeric_dtype(df[col]) and not pd.api.types.is_bool_dtype(df[col])
        # Break between words, not inside them: a column is at least as wide as its longest
        # word (capped, so one long id cannot starve the rest).
        words = [len(w) for row in cells for w in re.split(r"(?<=\S)\s+", row[i])] + [len(w) for w in str(col).split()]
        table.add_column(Text(str(col)), justify="right" if numeric else "left", overflow="fold", min_width=min(max(words, default=1), 24))
    for row in cells:
        table.add_row(*(Text(v) for v in row))
    out = io.StringIO()
    console = Console(file=out, width=limit, force_terminal=tty, color_system="standard" if tty else None, highlight=False, emoji=False, soft_wrap=False)
    console.print(table)
    return "\n".join(line.rstrip() for line in out.getvalue().rstrip("\n").splitlines())


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
