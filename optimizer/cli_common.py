"""What the ``programme`` commands share: output formats and options, the one-line error
wrapper, the writer of their output and the reading of a scenario with its catalogue
(cli.py and its command modules import it)."""

from __future__ import annotations

import functools
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_guard import interrupted_by, stdout_failed
from .cli_support import comma_paths
from .errors import EXIT_INVALID_INPUT, InputError
from .limits import SEED_MAX


class Format(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (whole or not at all).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite --output if it exists.")]
SeedOpt = Annotated[Optional[int], typer.Option("--seed", min=0, max=SEED_MAX, help="Random seed (default: the scenario's).")]
CatalogueOpt = Annotated[
    Optional[list[Path]],
    typer.Option("--catalogue", callback=comma_paths, help="Extra catalogue folder merged with the built-in one (repeatable, or a,b)."),
]


def fail(message: str, code: int = EXIT_INVALID_INPUT) -> typer.Exit:
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


def friendly(fn):
    """Turn InputError (bad input) into one line on stderr and exit code 1."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            raise fail(str(exc.located())) from None
        except KeyboardInterrupt:
            raise fail("interrupted", 130) from None
        except OSError as exc:  # typer.echo onto a full device or a closed pipe; files are InputErrors already
            if interrupted_by(exc):
                raise fail("interrupted", 130) from None
            raise fail(str(stdout_failed(exc))) from None
        except Exception as exc:
            # Ctrl-C inside an import (ortools' loads modules lazily) can come out as
            # another exception raised "from" the KeyboardInterrupt.
            if interrupted_by(exc):
                raise fail("interrupted", 130) from None
            raise

    return wrapper


def emit(text: str | bytes, output: Path | None, force: bool, fmt: str | None = None) -> None:
    """Write to stdout or, whole or not at all, to ``output``; ``fmt`` table: prose wrapped to
    the width; markdown: one block per line, so GitHub renders what the terminal shows."""
    if fmt in ("table", "markdown") and isinstance(text, str):
        from .termtable import fit_text, markdown_blocks

        text = fit_text(text) if fmt == "table" else markdown_blocks(text)
    if output is None:
        try:
            if isinstance(text, bytes):
                sys.stdout.buffer.write(text)
            else:
                sys.stdout.write(text)
            sys.stdout.flush()
        except OSError as exc:
            raise stdout_failed(exc) from None
        return
    from .io import write_atomic

    write_atomic(output, text, force=force)
    typer.echo(f"Wrote {output}", err=True)


def resolve_scenario(arg: str) -> Path:
    """A scenario path, or the name of a built-in example (``gym``, ``home_balls_and_bands``...)."""
    from .paths import scenario_path

    return scenario_path(arg)


def load_inputs(scenario: str, catalogue: list[Path] | None):
    from .catalogue_load import load_catalogue
    from .scenario import load_scenario, scenario_warnings

    path = resolve_scenario(scenario)
    sc, cat = load_scenario(path), load_catalogue(catalogue)
    warnings = scenario_warnings(sc)
    if warnings:  # rare: checked first, so bad input is still one line and no warning
        from .problem import build_problem

        build_problem(sc, cat, str(path))
    for warning in warnings:
        typer.echo(f"Warning: {path}: {warning}", err=True)
    note_defaults(cat)
    return path, sc, cat


def note_defaults(cat) -> None:
    """One line on stderr when an added catalogue leaves exercise fields to their defaults."""
    if cat.defaults_used:
        fields = sorted({f for used in cat.defaults_used.values() for f in used})
        typer.echo(
            f"Note: {len(cat.defaults_used)} exercise(s) of the catalogue use documented defaults for "
            f"{', '.join(fields)}; `programme catalogue show ID` lists each one's.",
            err=True,
        )
