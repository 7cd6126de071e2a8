"""The ``programme`` command: parses, calls the library, renders. Nothing else lives here.

Exit codes: 0 a plan (or a check that passed), 1 invalid input (or a plan that breaks a
rule), 2 usage, 3 no plan. Library errors become one ``Error: ...`` line on stderr.
Heavy imports (pydantic models, pandas, ortools) happen inside commands so ``--help``
stays fast.
"""

from __future__ import annotations

import functools
import sys
from datetime import datetime, time
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_support import Group, QuietOpt, comma_list, comma_paths, version_callback
from .errors import EXIT_INVALID_INPUT, EXIT_NO_PLAN, InputError
from .cli_guard import (
    check_calendar,
    check_output,
    exit_if_interrupted,
    finite,
    interrupted_by,
    interruptible,
    interruptible_timed,
    mark_outcomes,
    stdout_failed,
)
from .limits import SEED_MAX, TIME_LIMIT_MAX_S, WORKERS_MAX

app = typer.Typer(
    cls=Group,
    help="Training programmes chosen by a constraint solver: exercises, sets, rep schemes and days.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
catalogue_app = typer.Typer(cls=Group, help="Browse the exercise catalogue.", no_args_is_help=True)
app.add_typer(catalogue_app, name="catalogue")


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=version_callback, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Training programmes chosen by a constraint solver: exercises, sets, rep schemes and days."""


class Format(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"


class SolveFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"
    ics = "ics"  # an iCalendar file of the sessions
    html = "html"  # a self-contained report (optimizer.html)


class CompareFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"
    html = "html"


class Executor(str, Enum):
    threads = "threads"
    processes = "processes"


class SchemaKind(str, Enum):
    scenario = "scenario"
    plan = "plan"
    programme = "programme"


FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
OutputOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write to this file (whole or not at all).")]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite --output if it exists.")]
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
            raise fail(str(exc)) from None
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


def parse_clock(text: str) -> time:
    """'18:30' -> time(18, 30); anything else is bad input."""
    try:
        return datetime.strptime(text, "%H:%M").time()
    except ValueError:
        raise InputError(f"expected a time as HH:MM, got {text!r}", field="--at") from None


def exit_if_no_plan(result) -> None:
    """After the output is written: with no plan, say why on stderr and exit 3."""
    if not result.status.has_plan:
        typer.echo(f"No plan: {result.message}", err=True)
        raise typer.Exit(EXIT_NO_PLAN)


def resolve_scenario(arg: str) -> Path:
    """A scenario path, or the name of a built-in example (``gym``, ``home_balls_and_bands``...)."""
    from .paths import scenario_path

    return scenario_path(arg)


def load_inputs(scenario: str, catalogue: list[Path] | None):
    from .catalogue import load_catalogue
    from .scenario import load_scenario

    path = resolve_scenario(scenario)
    return path, load_scenario(path), load_catalogue(catalogue)


@app.command()
@friendly
def solve(
    scenario: Annotated[str, typer.Argument(help="Scenario file (YAML, TOML or JSON) or built-in example name.")],
    format: Annotated[SolveFormat, typer.Option("--format", "-f", help="Output format (ics: an iCalendar file).")] = SolveFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", min=0.01, max=TIME_LIMIT_MAX_S, callback=finite, help="Seconds (default: the scenario's).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, max=WORKERS_MAX, help="CP-SAT workers (default: the scenario's).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, max=SEED_MAX, help="Random seed (default: the scenario's).")] = None,
    catalogue: CatalogueOpt = None,
    log: Annotated[bool, typer.Option("--log", help="Print CP-SAT's search log to stderr.")] = False,
    start: Annotated[
        Optional[datetime], typer.Option("--start", formats=["%Y-%m-%d"], help="--format ics: date of the first week (default: next Monday).")
    ] = None,
    at: Annotated[str, typer.Option("--at", help="--format ics: session start time, HH:MM (local).")] = "18:00",
    preset: Annotated[
        Optional[str], typer.Option("--preset", help="Solver preset: a .toml file or a name in benchmarks/presets/ (flags above win over it).")
    ] = None,
    quiet: QuietOpt = False,
) -> None:
    """Choose the week's (or, with weeks above 1, every week's) exercises, sets, rep schemes and days."""
    from .presets import load_preset, solve_settings

    if format == SolveFormat.ics:
        at_time = parse_clock(at)
    settings = solve_settings(load_preset(preset) if preset else None, time_limit, workers, seed)
    path, sc, cat = load_inputs(scenario, catalogue)
    if format == SolveFormat.ics and start is not None:
        check_calendar(start, sc.weeks)
    check_output(output, force)  # before the solve, not after it
    kw = dict(source=str(path), log=log, **settings)
    limit = kw["time_limit_s"] if kw["time_limit_s"] is not None else sc.solver.time_limit_s  # the whole command's
    if sc.weeks > 1:
        from .programme import solve_programme

        if kw.pop("backend", "cp-sat") != "cp-sat":
            raise InputError("multi-week programmes are solved with CP-SAT only", field="--preset")
        result, interrupted = interruptible(lambda: solve_programme(sc, cat, **kw), time_limit_s=limit, title=f"Solving {sc.weeks} weeks")
        weeks = [(w.week, w.plan) for w in result.weeks]
    else:
        from .solver import solve as run

        result, interrupted = interruptible(lambda: run(sc, cat, **kw), time_limit_s=limit)
        weeks = [(1, result.plan)] if result.plan is not None else []
    if format == SolveFormat.ics:
        from .programme_render import next_monday, render_ics

        if result.status.has_plan:
            emit(render_ics(sc.name, weeks, start.date() if start else next_monday(), at_time), output, force)
    elif format == SolveFormat.html:
        from .html import render_programme_html, render_week_html

        emit(render_programme_html(result) if sc.weeks > 1 else render_week_html(result, cat.group_of_muscle), output, force)
    elif sc.weeks > 1:
        from .programme_render import render_programme

        emit(render_programme(result, format.value), output, force, fmt=format.value)
    else:
        from .render import render_result

        emit(render_result(result, format.value), output, force, fmt=format.value)
    exit_if_interrupted(interrupted)
    exit_if_no_plan(result)


@app.command()
@friendly
def check(
    scenario: Annotated[str, typer.Argument(help="The scenario the plan was made for.")],
    plan: Annotated[Path, typer.Argument(help="A plan as written by 'solve --format json'.")],
    catalogue: CatalogueOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Re-verify a plan against every hard rule, without the solver; recompute its objective."""
    from .checker import check_plan
    from .io import load_document, validate
    from .result import Plan, SolveResult

    _, sc, cat = load_inputs(scenario, catalogue)
    data = load_document(plan)
    if isinstance(data, dict) and data.get("kind") == "programme":  # a multi-week result
        from .programme_checker import check_programme_result
        from .programme_result import ProgrammeResult

        result = validate(ProgrammeResult, data, str(plan))
        if not result.weeks:
            raise InputError(f"holds no plan (status {result.status.value})", file=str(plan))
        report = check_programme_result(sc, cat, result)
    else:
        if isinstance(data, dict) and "status" in data:
            result = validate(SolveResult, data, str(plan))
            if result.plan is None:
                raise InputError(f"holds no plan (status {result.status.value})", file=str(plan))
            the_plan, reported = result.plan, {t.name: t.value for t in result.objective_terms}
        else:
            the_plan, reported = validate(Plan, data, str(plan)), None
        report = check_plan(sc, cat, the_plan, reported)
    for name, value in report.terms.items():
        typer.echo(f"{name}: {value:g}")
    if report.ok:
        typer.echo("OK: the plan satisfies every hard rule.")
        return
    for v in report.violations:
        typer.echo(f"VIOLATION {v}")
    typer.echo(f"{len(report.violations)} violation(s).", err=True)
    raise typer.Exit(EXIT_INVALID_INPUT)


@app.command()
@friendly
def schema(kind: Annotated[SchemaKind, typer.Argument(help="scenario or plan")], quiet: QuietOpt = False) -> None:
    """Print the JSON Schema of scenario files or of 'solve --format json' output."""
    import json

    if kind == SchemaKind.scenario:
        from .scenario import Scenario as model
    elif kind == SchemaKind.programme:
        from .programme_result import ProgrammeResult as model
    else:
        from .result import SolveResult as model
    typer.echo(json.dumps(model.model_json_schema(), indent=2))


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
    from .catalogue import load_catalogue
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
    from .catalogue import load_catalogue
    from .catalogue_views import equipment_frame

    emit_frame(equipment_frame(load_catalogue(catalogue)), format)


@catalogue_app.command("muscles")
@friendly
def catalogue_muscles(format: FormatOpt = Format.table, catalogue: CatalogueOpt = None, quiet: QuietOpt = False) -> None:
    """Group and muscle ids (for targets: and --muscle), with how many exercises train each as primary."""
    from .catalogue import load_catalogue
    from .catalogue_views import muscles_frame

    emit_frame(muscles_frame(load_catalogue(catalogue)), format)


@app.command()
@friendly
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

    from .catalogue import load_catalogue

    cat = load_catalogue(catalogue)
    ex = cat.exercise(exercise)
    if format == Format.json:
        typer.echo(json.dumps(ex.model_dump(), indent=2))
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


class ExplainFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    html = "html"


@app.command()
@friendly
def explain(
    scenario: Annotated[str, typer.Argument(help="Scenario file (YAML, TOML or JSON) or built-in example name.")],
    format: Annotated[ExplainFormat, typer.Option("--format", "-f", help="Output format.")] = ExplainFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    repairs: Annotated[int, typer.Option("--repairs", min=0, max=10, help="How many distinct repairs to show when no plan exists.")] = 3,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", min=0.01, max=TIME_LIMIT_MAX_S, callback=finite, help="Seconds per plan solve (default: the scenario's).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, max=WORKERS_MAX, help="CP-SAT workers for the plan solves (explaining uses one).")] = 1,
    seed: Annotated[int, typer.Option("--seed", min=0, max=SEED_MAX, help="Random seed.")] = 0,
    catalogue: CatalogueOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Why no plan exists (a minimal conflict, the cheapest verified repairs), or what limits the plan."""
    from .explain import explain as run
    from .explain_render import render_explanation

    check_output(output, force)
    path, sc, cat = load_inputs(scenario, catalogue)
    expl, interrupted = interruptible(
        lambda: run(sc, cat, source=str(path), repair_count=repairs, seed=seed, workers=workers, time_limit_s=time_limit),
        time_limit_s=time_limit if time_limit is not None else sc.solver.time_limit_s,
        title="Explaining",
    )
    if format == ExplainFormat.html:
        from .html import render_explanation_html

        emit(render_explanation_html(expl, cat.group_of_muscle), output, force)
    else:
        emit(render_explanation(expl, format.value), output, force, fmt=format.value)
    exit_if_interrupted(interrupted)
    exit_if_no_plan(expl)


@app.command()
@friendly
def compare(
    scenario: Annotated[str, typer.Argument(help="Scenario file (YAML, TOML or JSON) or built-in example name.")],
    profile: Annotated[
        Optional[list[str]],
        typer.Option(
            "--profile",
            "-p",
            callback=comma_list,
            help="An equipment profile to compare (repeatable): from --profiles, the scenario's equipment_profiles, "
            "or built in: bodyweight, balls_and_bands, home_dumbbells, full_gym; 'scenario' is the scenario's own.",
        ),
    ] = None,
    equipment: Annotated[
        Optional[list[str]],
        typer.Option("--equipment", "-e", help="An ad hoc variant, 'a,b,c' or 'name=a,b,c' (repeatable: one variant each)."),
    ] = None,
    profiles: Annotated[
        Optional[Path], typer.Option("--profiles", help="A file (YAML, TOML, JSON) mapping profile name -> equipment ids.")
    ] = None,
    value_of_equipment: Annotated[
        bool,
        typer.Option("--value-of-equipment", help="What adding each missing item to the scenario's equipment would gain, ranked."),
    ] = False,
    pairs: Annotated[bool, typer.Option("--pairs", help="With --value-of-equipment: also the best pair of items.")] = False,
    plot: Annotated[
        Optional[Path], typer.Option("--plot", help="Write a chart of weekly volume per group against target (.png or .svg).")
    ] = None,
    format: Annotated[CompareFormat, typer.Option("--format", "-f", help="Output format (html: not with --value-of-equipment).")] = CompareFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", min=0.01, max=TIME_LIMIT_MAX_S, callback=finite, help="Seconds for the whole command, every variant included (default: the scenario's).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, max=WORKERS_MAX, help="CP-SAT workers per solve (default: the scenario's).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, max=SEED_MAX, help="Random seed (default: the scenario's).")] = None,
    processes: Annotated[Optional[int], typer.Option("--processes", min=1, max=256, help="Solves run at once (default: one per CPU).")] = None,
    executor: Annotated[
        Executor,
        typer.Option("--executor", help="Run the solves side by side in threads (CP-SAT searches in parallel without the GIL) or in processes."),
    ] = Executor.threads,
    scheduler: Annotated[
        Optional[str], typer.Option("--scheduler", help="Run the solves on the Dask cluster at this address (needs the [cluster] extra).")
    ] = None,
    catalogue: CatalogueOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Plans under different equipment side by side, or what each missing item is worth."""
    from . import compare as cmp

    if pairs and not value_of_equipment:
        raise typer.BadParameter("--pairs goes with --value-of-equipment", param_hint="--pairs")
    if value_of_equipment and format == CompareFormat.html:
        raise typer.BadParameter("html is for comparisons; --value-of-equipment writes table, markdown, json or csv", param_hint="--format")
    if value_of_equipment and (profile or equipment or profiles):
        raise typer.BadParameter(
            "--value-of-equipment starts from the scenario's equipment: drop --profile, --equipment and --profiles",
            param_hint="--value-of-equipment",
        )
    if plot is not None:
        from .plot import check_plot_path

        check_plot_path(plot, force)
    check_output(output, force)
    path, sc, cat = load_inputs(scenario, catalogue)
    limit = time_limit if time_limit is not None else sc.solver.time_limit_s  # the whole command's
    kw = dict(
        workers=workers, seed=seed, processes=processes, executor=executor.value, source=str(path),
        scheduler=scheduler, total_time_s=limit,
    )
    if value_of_equipment:
        value, interrupted, timed_out = interruptible_timed(lambda: cmp.value_of_equipment(sc, cat, pairs=pairs, **kw), limit, "Value of equipment")
        mark_outcomes(interrupted, [value.base] + [v.outcome for v in value.singles] + ([value.best_pair.outcome] if value.best_pair else []), timed_out and limit)
        text = cmp.render_value(value, format.value)
        shown = [value.base] + [v.outcome for v in value.singles[:3]]  # the plot: current and the best three
        outcomes = [value.base] + [v.outcome for v in value.singles] + ([value.best_pair.outcome] if value.best_pair else [])
    else:
        variants = cmp.make_variants(sc, cat, profile or [], equipment or [], profiles, source=str(path))
        comparison, interrupted, timed_out = interruptible_timed(lambda: cmp.compare(sc, cat, variants, **kw), limit)
        mark_outcomes(interrupted, comparison.variants, timed_out and limit)
        if format == CompareFormat.html:
            from .html import render_comparison_html

            text = render_comparison_html(comparison)
        else:
            text = cmp.render_comparison(comparison, cat, format.value)
        outcomes = shown = comparison.variants
    emit(text, output, force, fmt=format.value)
    if plot is not None:
        from .plot import write_volume_plot

        sys.stdout.flush()
        write_volume_plot(shown, cat, plot, title=sc.name, force=force)
        typer.echo(f"Wrote {plot}", err=True)
    exit_if_interrupted(interrupted)
    if not any(o.result.status.has_plan for o in outcomes):
        typer.echo("No plan for any variant.", err=True)
        raise typer.Exit(EXIT_NO_PLAN)


class SummaryFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    csv = "csv"


class Metric(str, Enum):
    proof = "proof"
    first_plan = "first_plan"
    within_1pct = "within_1pct"


def resolve_instance(arg: str) -> Path:
    """An instance file, a name in benchmarks/instances/ (shipped in the wheel), or a built-in example name."""
    from .paths import find_document, instances_dir

    found = None if Path(arg).exists() else find_document(arg, instances_dir())
    return found or resolve_scenario(arg)


def suite_instances() -> list[Path]:
    from .paths import documents, instances_dir

    found = documents(instances_dir())
    if not found:
        raise InputError("no instance suite here (benchmarks/instances/): name the scenarios to run", field="SCENARIO")
    return found


@app.command()
@friendly
def bench(
    scenarios: Annotated[
        Optional[list[str]], typer.Argument(help="Instances (files or names); default: every file in benchmarks/instances/.")
    ] = None,
    preset: Annotated[
        Optional[list[str]], typer.Option("--preset", "-p", callback=comma_list, help="Preset to run (repeatable, or a,b): a .toml file or a name in benchmarks/presets/.")
    ] = None,
    seeds: Annotated[int, typer.Option("--seeds", min=1, max=1000, help="Solver seeds per instance and preset (0..N-1).")] = 3,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, max=TIME_LIMIT_MAX_S, callback=finite, help="Seconds per run (beats the preset's).")] = 10.0,
    output: Annotated[Path, typer.Option("--output", "-o", help="Results CSV: appended to; runs already in it are skipped.")] = Path("results.csv"),
    summary: Annotated[
        Optional[Path], typer.Option("--summary", help="Only summarise this results CSV (no runs).")
    ] = None,
    baseline: Annotated[Optional[str], typer.Option("--baseline", help="Preset the others are compared with (default: default).")] = None,
    metric: Annotated[Metric, typer.Option("--metric", help="Time metric for ratios, wins and the adopt verdict.")] = Metric.proof,
    format: Annotated[SummaryFormat, typer.Option("--format", "-f", help="Summary format.")] = SummaryFormat.table,
    plot: Annotated[Optional[Path], typer.Option("--plot", help="Write a performance profile (.png or .svg).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite --plot if it exists.")] = False,
    catalogue: CatalogueOpt = None,
    quiet: QuietOpt = False,
) -> None:
    """Benchmark solver presets: each (instance, preset, seed) in its own process; resumable."""
    from .bench import performance_profile, read_results, render_summary, run_bench, summarise
    from .presets import load_preset
    from .progress import advance, say, shown

    if plot is not None and plot.exists() and not force:
        raise InputError("already exists; pass --force to overwrite it", file=str(plot))
    if summary is not None:
        if scenarios or preset:
            raise InputError("--summary re-reads a results file: give no scenarios or presets with it", field="--summary")
        if not summary.exists():
            raise InputError("file not found", file=str(summary))
        rows = read_results(summary)
    else:
        instances = [resolve_instance(s) for s in scenarios] if scenarios else suite_instances()
        presets = [load_preset(p) for p in (preset or ["default"])]  # every preset validated before any run
        names = [p.name for p in presets]
        if len(set(names)) != len(names):
            raise InputError(f"the same preset name twice: {', '.join(names)}", field="--preset")
        total = len(instances) * len(presets) * seeds

        def progress(i, n, inst, p, seed, row):
            t = row.get("time_proof_s") or row.get("wall_s") or ""
            say(f"[{i:>3}/{n}] {inst.stem} {p.name} seed {seed}: {row.get('status')} {t} s {row.get('error') or ''}".rstrip())
            advance(i, n, f"{inst.stem} {p.name} seed {seed}")

        typer.echo(f"{total} runs in all; results in {output}", err=True)
        if catalogue:
            from .catalogue import load_catalogue

            load_catalogue(catalogue)  # a bad folder fails here, once, not in every run
        with shown("Benchmarking"):
            ran = run_bench(instances, presets, seeds, time_limit, output, progress, catalogues=catalogue or ())
        typer.echo(f"{ran} run(s) done, {total - ran} already in {output}", err=True)
        rows = read_results(output)
        keep = {(i.stem, p.name) for i in instances for p in presets}
        rows = [r for r in rows if (r["scenario"], r["preset"]) in keep and float(r["time_limit_s"]) == float(time_limit)]
    result = summarise(rows, baseline, metric.value)
    emit(render_summary(result, format.value), None, False, fmt=format.value)
    if plot is not None:
        performance_profile(result, plot, force=force)
        typer.echo(f"Wrote {plot}", err=True)


from .cli_batch import batch as _batch  # noqa: E402 - the command lives in its own module

app.command("batch")(friendly(_batch))


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
