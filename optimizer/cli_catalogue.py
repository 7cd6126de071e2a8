"""``programme catalogue``: list, search and show exercises, equipment and muscle ids, and
import an exercise database (registered on the app by :mod:`optimizer.cli`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_common import CatalogueOpt, ForceOpt, Format, FormatOpt, emit, friendly
from .cli_support import Group, QuietOpt, comma_list
from .errors import InputError

catalogue_app = typer.Typer(cls=Group, help="Browse the exercise catalogue.", no_args_is_help=True)


@catalogue_app.command("list")
@friendly
def catalogue_list(
    equipment: Annotated[
        Optional[list[str]], typer.Option("--equipment", "-e", callback=comma_list, help="Only exercises doable with these (repeatable, or a,b).")
    ] = None,
    muscle: Annotated[Optional[str], typer.Option("--muscle", "-m", help="Only exercises training this group or muscle.")] = None,
    primary: Annotated[bool, typer.Option("--primary", help="With --muscle: only where it is primary (>= 0.75).")] = False,
    search: Annotated[Optional[str], typer.Option("--search", "-s", help="Only exercises whose id, name or description has every word.")] = None,
    format: FormatOpt = Format.table,
    catalogue: CatalogueOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """List exercises, filtered by the equipment you own, the muscle you want to train, or words."""
    from .catalogue_load import load_catalogue
    from .errors import close_matches
    from .tables import markdown_table, text_table

    cat = load_catalogue(catalogue)
    rows = []
    if equipment:
        for e in equipment:
            if e not in cat.equipment_by_id:
                raise InputError(f"unknown equipment {e!r}{close_matches(e, cat.equipment_by_id)}", field="--equipment")
    if muscle and muscle not in cat.unit_ids():
        raise InputError(f"unknown muscle or group {muscle!r}{close_matches(muscle, cat.unit_ids())}", field="--muscle")
    from .catalogue_views import matches

    for ex in cat.exercises:
        if (equipment and not ex.needs(set(equipment))) or (search and not matches(ex, search)):
            continue
        credit = 0.0
        if muscle:
            credit = cat.group_activation(ex).get(muscle, 0.0) if muscle in cat.group_by_id else ex.activation.get(muscle, 0.0)
            if credit == 0 or (primary and credit < 0.75):
                continue
        row = {
            "id": ex.id,
            "name": ex.name,
            "equipment": ex.equipment_text(),
            "primary": ", ".join(sorted(cat.primary_groups(ex))),
            "knee_deg": ex.knee_flexion_deg,
            "mechanic": ex.mechanic,
            "level": ex.level,
        }
        if muscle:
            row[muscle] = credit
        rows.append(row)
    if format in (Format.json, Format.csv):
        import pandas as pd

        df = pd.DataFrame(rows)
        typer.echo(df.to_json(orient="records", indent=2) if format == Format.json else df.to_csv(index=False), nl=format == Format.json)
    else:  # printed as pandas would, without importing it (start-up)
        columns = list(rows[0]) if rows else []
        typer.echo((markdown_table if format == Format.markdown else text_table)(columns, [list(r.values()) for r in rows]))
        typer.echo(f"{len(rows)} exercise(s).", err=True)


def emit_frame(df, format: Format) -> None:
    from .render import markdown_table, text_table

    if format == Format.json:
        typer.echo(df.to_json(orient="records", indent=2))
    elif format == Format.csv:
        typer.echo(df.to_csv(index=False), nl=False)
    else:
        typer.echo((markdown_table if format == Format.markdown else text_table)(df))


@catalogue_app.command("equipment")
@friendly
def catalogue_equipment(format: FormatOpt = Format.table, catalogue: CatalogueOpt = None, quiet: QuietOpt = False) -> None:
    """Equipment ids (for a scenario's equipment: and -e), with how many exercises need each."""
    from .catalogue_load import load_catalogue
    from .catalogue_views import equipment_frame

    emit_frame(equipment_frame(load_catalogue(catalogue)), format)


@catalogue_app.command("muscles")
@friendly
def catalogue_muscles(format: FormatOpt = Format.table, catalogue: CatalogueOpt = None, quiet: QuietOpt = False) -> None:
    """Group and muscle ids (for targets: and --muscle), with how many exercises train each as primary."""
    from .catalogue_load import load_catalogue
    from .catalogue_views import muscles_frame

    emit_frame(muscles_frame(load_catalogue(catalogue)), format)


@catalogue_app.command("show")
@friendly
def catalogue_show(
    exercise: Annotated[str, typer.Argument(help="Exercise id.")],
    format: FormatOpt = Format.table,
    catalogue: CatalogueOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Everything the catalogue knows about one exercise."""
    import json

    from .catalogue_load import load_catalogue

    cat = load_catalogue(catalogue)
    ex = cat.exercise(exercise)
    if format == Format.json:
        extra = {"defaults_used": cat.defaults_used[ex.id]} if ex.id in cat.defaults_used else {}
        typer.echo(json.dumps({**ex.model_dump(), **extra}, indent=2))
        return
    md = format == Format.markdown
    lines = [f"# {ex.name}" if md else ex.name, ""]
    fields = [
        ("id", ex.id),
        ("equipment", ex.equipment_text()),
        ("mechanic", ex.mechanic),
        ("pattern", ex.pattern),
        ("peak knee flexion", f"{ex.knee_flexion_deg} degrees"),
        ("variant of", ex.variant_of or "-"),
        ("unilateral", "yes" if ex.unilateral else "no"),
        ("level", ex.level),
        ("set-up", f"{ex.setup_s} s"),
        ("tempo", f"{ex.seconds_per_rep:g} s per rep"),
        ("rep schemes", ", ".join(ex.rep_schemes)),
        ("source", ex.source),
        ("how", ex.description),
    ]
    if ex.id in cat.defaults_used:  # fields the catalogue left out: the documented defaults
        fields.append(("defaults used", ", ".join(cat.defaults_used[ex.id])))
    for k, v in fields:
        lines.append(f"- **{k}**: {v}" if md else f"{k:>18}: {v}")
    lines.append("")
    lines.append("Activation (1.0 primary mover, 0.75 primary, 0.5 secondary, 0.25 minor):")
    for m, a in sorted(ex.activation.items(), key=lambda kv: (-kv[1], kv[0])):
        lines.append(f"  {a:4.2f}  {m} ({cat.group_of_muscle[m]})")
    emit("\n".join(lines) + "\n", None, False, fmt=format.value)


import_app = typer.Typer(cls=Group, help="Import an exercise database as a catalogue folder (load it with --catalogue DIR).", no_args_is_help=True)
catalogue_app.add_typer(import_app, name="import")


@import_app.command("free-exercise-db")
@friendly
def catalogue_import_fedb(
    source: Annotated[Path, typer.Argument(help="free-exercise-db's exercises.json, or an export in its format.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Catalogue folder to write (exercises/*.yaml, equipment.yaml).")],
    overrides: Annotated[Optional[Path], typer.Option("--overrides", help="YAML: exercise id -> fields to replace, or skip: reason.")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Also write the import report as JSON here.")] = None,
    force: ForceOpt = False,
    quiet: QuietOpt = False,
) -> None:
    """Convert free-exercise-db to catalogue files; print what was mapped, guessed and skipped."""
    import json

    from .importers import import_free_exercise_db, write_import
    from .io import write_atomic

    result = import_free_exercise_db(source, overrides)
    if report is not None and report.exists() and not force:
        raise InputError("already exists; pass --force to overwrite it", file=str(report))
    written = write_import(result, output, force=force)
    if report is not None:
        write_atomic(report, json.dumps(result.report.to_dict(), indent=2) + "\n", force=force)
    emit(result.report.summary(), None, False, fmt="table")
    typer.echo(f"Wrote {len(written)} file(s) under {output}; use it with --catalogue {output}", err=True)
