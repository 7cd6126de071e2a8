"""What every ``programme`` command shares about its help and its options, kept out of cli.py.

- :class:`Group`: full one-line command summaries (no "..." cut), and option metavars in
  the words of the help (``ID``, ``PATH``, ``[table|json]``) instead of Python types
  (``<list[Path]>``).
- :func:`split_commas`: every list option takes ``a,b`` as well as ``-x a -x b``.
- :func:`version_callback`: ``programme --version``.
- :data:`QuietOpt`: ``--quiet`` on every command (no progress display, :mod:`optimizer.progress`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from typing import Annotated

import typer
from typer.core import TyperArgument, TyperGroup, TyperOption

# Python type (as typer would show it) -> the word a user reads in the help.
WORDS = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "Path": "PATH", "path": "PATH", "file": "FILE",
         "directory": "DIR", "int range": "INTEGER", "float range": "NUMBER", "%Y-%m-%d": "YYYY-MM-DD"}


def metavar(option: TyperOption, ctx) -> str:
    """``<list[str]>`` -> ``TEXT[,TEXT]``, ``<table|json>`` -> ``[table|json]``; named after the option where it says more."""
    shown = option.display_type(ctx).strip("<>")
    inner = re.fullmatch(r"list\[(.*)\]", shown)
    shown = inner.group(1) if inner else shown
    if "|" in shown:
        return f"[{shown}]"
    word = WORDS.get(shown, shown.upper())
    name = (option.name or "").upper()
    if word == "TEXT" and name in ("EQUIPMENT", "PRESET", "PROFILE", "MUSCLE", "SEARCH", "AT"):
        word = {"EQUIPMENT": "ID", "MUSCLE": "ID", "AT": "HH:MM"}.get(name, name)
    return word + (f"[,{word}]" if inner else "")


class Group(TyperGroup):
    """A command group whose help lists whole summaries and readable metavars."""

    def get_command(self, ctx, cmd_name):
        cmd = super().get_command(ctx, cmd_name)
        if cmd is None:
            return None
        if cmd.help and not cmd.short_help:
            cmd.short_help = cmd.help.strip().split("\n\n")[0].replace("\n", " ")
        for p in cmd.params:
            if isinstance(p, TyperOption) and p.metavar is None and not p.is_flag and not p.count:
                p.metavar = metavar(p, ctx)
            elif isinstance(p, TyperArgument) and not getattr(p, "_plain", False):
                # typer 0.29 prints 'SCENARIO <str>' and '{SCENARIO}': show the plain convention,
                # SCENARIO when required, [SCENARIOS]... when optional and repeatable.
                name = p.metavar or (p.name or "").upper()
                usage = name if p.metavar else (name if p.required else f"[{name}]") + ("..." if p.nargs != 1 else "")
                p.metavar = name
                p.display_type_rich = lambda ctx: None
                p.get_usage_pieces = lambda ctx, usage=usage: [usage]
                p._plain = True
        return cmd


def split_commas(values: Iterable[str] | None, keep=lambda v: False) -> list[str] | None:
    """['a,b', 'c'] -> ['a', 'b', 'c']; a value ``keep`` accepts whole (an existing path) stays whole."""
    if values is None:
        return None
    out: list[str] = []
    for v in values:
        out.extend([v] if keep(v) else [x.strip() for x in v.split(",") if x.strip()])
    return out


def comma_list(value):
    """Option callback: -e a,b -e c -> [a, b, c] (one parameter, so typer passes the value)."""
    return split_commas(value)


def comma_paths(value):
    """Option callback for --catalogue a,b: split on commas unless the whole value is an existing path."""
    split = split_commas([str(v) for v in value] if value is not None else None, keep=lambda v: Path(v).exists())
    return None if split is None else [Path(v) for v in split]


def version_callback(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"programme-optimiser {version('programme-optimiser')}")
        except PackageNotFoundError:  # running from a source tree without installing
            typer.echo("programme-optimiser (not installed)")
        raise typer.Exit()


def _set_quiet(value: bool) -> bool:
    if value:
        from . import progress

        progress.QUIET = True
    return value


QuietOpt = Annotated[
    bool,
    typer.Option("--quiet", "-q", callback=_set_quiet, is_eager=True,
                 help="No progress display on stderr (shown only when stderr is a terminal)."),
]
