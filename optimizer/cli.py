"""The ``programme`` command: parses, calls the library, renders. Nothing else lives here.

This module makes the app and registers the commands, which live in the cli_* modules
(the small ``schema`` and ``init`` here).

Exit codes: 0 a plan (or a check that passed), 1 invalid input (or a plan that breaks a
rule), 2 usage, 3 no plan. Library errors become one ``Error: ...`` line on stderr.
Heavy imports (pydantic models, pandas, ortools) happen inside commands so ``--help``
stays fast.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_batch import batch
from .cli_bench import bench
from .cli_catalogue import catalogue_app
from .cli_common import CatalogueOpt, emit, friendly
from .cli_compare import compare
from .cli_guard import mark_command_start, stdout_failed
from .cli_plan import check, explain, solve
from .cli_support import Group, QuietOpt, version_callback
from .errors import EXIT_INVALID_INPUT, InputError

app = typer.Typer(
    cls=Group,
    help="Training programmes chosen by a constraint solver: exercises, sets, rep schemes and days.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=version_callback, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Training programmes chosen by a constraint solver: exercises, sets, rep schemes and days."""
    mark_command_start()  # --time-limit counts from here (cli_guard.command_left)


class SchemaKind(str, Enum):
    scenario = "scenario"
    plan = "plan"
    programme = "programme"


def schema(
    kind: Annotated[Optional[SchemaKind], typer.Argument(help="scenario, plan or programme (with --write: default all three).")] = None,
    write: Annotated[Optional[Path], typer.Option("--write", help="Write KIND.json into this folder instead (regenerates schemas/).")] = None,
    catalogue: CatalogueOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Print the JSON Schema of scenario files or of 'solve --format json' output (ids of the catalogue as enums)."""
    from .catalogue_load import load_catalogue
    from .schemas import KINDS, build_schema, dumps, write_schemas

    cat = load_catalogue(catalogue)
    if write is not None:
        if not write.is_dir():
            raise InputError("not a folder", file=str(write), field="--write")
        for path in write_schemas(write, [kind.value] if kind else KINDS, cat):
            typer.echo(f"Wrote {path}", err=True)
        return
    if kind is None:
        raise typer.BadParameter("name the schema: scenario, plan or programme", param_hint="KIND")
    emit(dumps(build_schema(kind.value, cat)), None, False)


def init(
    args: Annotated[list[str], typer.Argument(metavar="[EXAMPLE] FILE", help="An example's name (default home_balls_and_bands) and the .yaml or .json file to write.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")] = False,
    quiet: QuietOpt = False,
) -> None:
    """Write an example scenario to FILE to start from (programme solve FILE then solves it)."""
    from .starter import example_names, init_scenario

    if len(args) > 2:
        raise typer.BadParameter(f"expected [EXAMPLE] FILE, got {len(args)} arguments", param_hint="[EXAMPLE] FILE")
    source = init_scenario(Path(args[-1]), *args[:-1], force=force)
    typer.echo(f"Wrote {args[-1]} from the example {source.stem}; others: {', '.join(n for n in example_names() if n != source.stem)}", err=True)


# The commands, in the order the help lists them: schema and init above, the others in
# their command modules (cli_plan, cli_compare, cli_bench, cli_batch, cli_catalogue).
app.add_typer(catalogue_app, name="catalogue")
app.command()(friendly(solve))
app.command()(friendly(check))
app.command()(friendly(schema))
app.command()(friendly(init))
app.command()(friendly(explain))
app.command()(friendly(compare))
app.command()(friendly(bench))
app.command("batch")(friendly(batch))


def main() -> None:
    try:
        app()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    try:
        sys.stdout.flush()
    except OSError as exc:  # what typer.echo wrote could not reach standard output
        typer.echo(f"Error: {stdout_failed(exc)}", err=True)
        code = code or EXIT_INVALID_INPUT
    sys.exit(code)


if __name__ == "__main__":
    main()

