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

from .errors import EXIT_INVALID_INPUT, EXIT_NO_PLAN, InputError

app = typer.Typer(
    help="Training programmes chosen by a constraint solver: exercises, sets, rep schemes and days.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
catalogue_app = typer.Typer(help="Browse the exercise catalogue.", no_args_is_help=True)
app.add_typer(catalogue_app, name="catalogue")


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
    typer.Option("--catalogue", help="Extra catalogue folder merged with the built-in one (repeatable)."),
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

    return wrapper


def emit(text: str | bytes, output: Path | None, force: bool) -> None:
    if output is None:
        if isinstance(text, bytes):
            sys.stdout.buffer.write(text)
        else:
            sys.stdout.write(text)
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
    path = Path(arg)
    if path.exists():
        return path
    from .paths import examples_dir

    folder = examples_dir()
    if folder is not None and "/" not in arg:
        for suffix in (".yaml", ".yml", ".toml", ".json"):
            candidate = folder / f"{arg}{suffix}"
            if candidate.is_file():
                return candidate
    names = sorted(p.stem for p in folder.glob("*.*")) if folder else []
    from .errors import close_matches

    hint = close_matches(arg, names) if names else ""
    raise InputError(f"file not found{hint}", file=arg)


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
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", min=0.01, help="Seconds (default: the scenario's).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="CP-SAT workers (default: the scenario's).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, help="Random seed (default: the scenario's).")] = None,
    catalogue: CatalogueOpt = None,
    log: Annotated[bool, typer.Option("--log", help="Print CP-SAT's search log to stderr.")] = False,
    start: Annotated[
        Optional[datetime], typer.Option("--start", formats=["%Y-%m-%d"], help="--format ics: date of the first week (default: next Monday).")
    ] = None,
    at: Annotated[str, typer.Option("--at", help="--format ics: session start time, HH:MM (local).")] = "18:00",
    preset: Annotated[
        Optional[str], typer.Option("--preset", help="Solver preset: a .toml file or a name in benchmarks/presets/ (flags above win over it).")
    ] = None,
) -> None:
    """Choose the week's (or, with weeks above 1, every week's) exercises, sets, rep schemes and days."""
    from .presets import load_preset, solve_settings

    if format == SolveFormat.ics:
        at_time = parse_clock(at)
    settings = solve_settings(load_preset(preset) if preset else None, time_limit, workers, seed)
    path, sc, cat = load_inputs(scenario, catalogue)
    kw = dict(source=str(path), log=log, **settings)
    if sc.weeks > 1:
        from .programme import solve_programme

        if kw.pop("backend", "cp-sat") != "cp-sat":
            raise InputError("multi-week programmes are solved with CP-SAT only", field="--preset")
        result = solve_programme(sc, cat, **kw)
        weeks = [(w.week, w.plan) for w in result.weeks]
    else:
        from .solver import solve as run

        result = run(sc, cat, **kw)
        weeks = [(1, result.plan)] if result.plan is not None else []
    if format == SolveFormat.ics:
        from .programme_render import next_monday, render_ics

        if result.status.has_plan:
            emit(render_ics(sc.name, weeks, start.date() if start else next_monday(), at_time), output, force)
    elif sc.weeks > 1:
        from .programme_render import render_programme

        emit(render_programme(result, format.value), output, force)
    else:
        from .render import render_result

        emit(render_result(result, format.value), output, force)
    exit_if_no_plan(result)


@app.command()
@friendly
def check(
    scenario: Annotated[str, typer.Argument(help="The scenario the plan was made for.")],
    plan: Annotated[Path, typer.Argument(help="A plan as written by 'solve --format json'.")],
    catalogue: CatalogueOpt = None,
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
def schema(kind: Annotated[SchemaKind, typer.Argument(help="scenario or plan")]) -> None:
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
        Optional[list[str]], typer.Option("--equipment", "-e", help="Only exercises doable with these (repeatable).")
    ] = None,
    muscle: Annotated[Optional[str], typer.Option("--muscle", "-m", help="Only exercises training this group or muscle.")] = None,
    primary: Annotated[bool, typer.Option("--primary", help="With --muscle: only where it is primary (>= 0.75).")] = False,
    format: FormatOpt = Format.table,
    catalogue: CatalogueOpt = None,
) -> None:
    """List exercises, filtered by the equipment you own and the muscle you want to train."""
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
    for ex in cat.exercises:
        if equipment and not ex.needs(set(equipment)):
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


@catalogue_app.command("show")
@friendly
def catalogue_show(
    exercise: Annotated[str, typer.Argument(help="Exercise id.")],
    format: FormatOpt = Format.table,
    catalogue: CatalogueOpt = None,
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
    typer.echo("\n".join(lines))

import_app = typer.Typer(help="Import an exercise database as a catalogue folder (load it with --catalogue DIR).", no_args_is_help=True)
catalogue_app.add_typer(import_app, name="import")


@import_app.command("free-exercise-db")
@friendly
def catalogue_import_fedb(
    source: Annotated[Path, typer.Argument(help="free-exercise-db's exercises.json, or an export in its format.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Catalogue folder to write (exercises/*.yaml, equipment.yaml).")],
    overrides: Annotated[Optional[Path], typer.Option("--overrides", help="YAML: exercise id -> fields to replace, or skip: reason.")] = None,
    report: Annotated[Optional[Path], typer.Option("--report", help="Also write the import report as JSON here.")] = None,
    force: ForceOpt = False,
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
    typer.echo(result.report.summary(), nl=False)
    typer.echo(f"Wrote {len(written)} file(s) under {output}; use it with --catalogue {output}", err=True)


class ExplainFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"


@app.command()
@friendly
def explain(
    scenario: Annotated[str, typer.Argument(help="Scenario file (YAML, TOML or JSON) or built-in example name.")],
    format: Annotated[ExplainFormat, typer.Option("--format", "-f", help="Output format.")] = ExplainFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    repairs: Annotated[int, typer.Option("--repairs", min=0, max=10, help="How many distinct repairs to show when no plan exists.")] = 3,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", min=0.01, help="Seconds per plan solve (default: the scenario's).")] = None,
    workers: Annotated[int, typer.Option("--workers", min=1, help="CP-SAT workers for the plan solves (explaining uses one).")] = 1,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 0,
    catalogue: CatalogueOpt = None,
) -> None:
    """Why no plan exists (a minimal conflict, the cheapest verified repairs), or what limits the plan."""
    from .explain import explain as run
    from .explain_render import render_explanation

    path, sc, cat = load_inputs(scenario, catalogue)
    expl = run(sc, cat, source=str(path), repair_count=repairs, seed=seed, workers=workers, time_limit_s=time_limit)
    emit(render_explanation(expl, format.value), output, force)
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
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", min=0.01, help="Seconds per solve (default: the scenario's).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="CP-SAT workers per solve (default: the scenario's).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, help="Random seed (default: the scenario's).")] = None,
    processes: Annotated[Optional[int], typer.Option("--processes", min=1, help="Solves run at once (default: one per CPU).")] = None,
    executor: Annotated[
        Executor,
        typer.Option("--executor", help="Run the solves side by side in threads (CP-SAT searches in parallel without the GIL) or in processes."),
    ] = Executor.threads,
    scheduler: Annotated[
        Optional[str], typer.Option("--scheduler", help="Run the solves on the Dask cluster at this address (needs the [cluster] extra).")
    ] = None,
    catalogue: CatalogueOpt = None,
) -> None:
    """Plans under different equipment side by side, or what each missing item is worth."""
    from . import compare as cmp

    if pairs and not value_of_equipment:
        raise typer.BadParameter("--pairs goes with --value-of-equipment", param_hint="--pairs")
    if value_of_equipment and (profile or equipment or profiles):
        raise typer.BadParameter(
            "--value-of-equipment starts from the scenario's equipment: drop --profile, --equipment and --profiles",
            param_hint="--value-of-equipment",
        )
    if plot is not None:
        from .plot import check_plot_path

        check_plot_path(plot, force)
    if output is not None and output.exists() and not force:
        raise InputError("already exists; pass --force to overwrite it", file=str(output))
    path, sc, cat = load_inputs(scenario, catalogue)
    kw = dict(
        time_limit_s=time_limit, workers=workers, seed=seed, processes=processes, executor=executor.value, source=str(path),
        scheduler=scheduler,
    )
    if value_of_equipment:
        value = cmp.value_of_equipment(sc, cat, pairs=pairs, **kw)
        text = cmp.render_value(value, format.value)
        shown = [value.base] + [v.outcome for v in value.singles[:3]]  # the plot: current and the best three
        outcomes = [value.base] + [v.outcome for v in value.singles] + ([value.best_pair.outcome] if value.best_pair else [])
    else:
        variants = cmp.make_variants(sc, cat, profile or [], equipment or [], profiles, source=str(path))
        comparison = cmp.compare(sc, cat, variants, **kw)
        text = cmp.render_comparison(comparison, cat, format.value)
        outcomes = shown = comparison.variants
    emit(text, output, force)
    if plot is not None:
        from .plot import write_volume_plot

        sys.stdout.flush()
        write_volume_plot(shown, cat, plot, title=sc.name, force=force)
        typer.echo(f"Wrote {plot}", err=True)
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
    """An instance file, a name in benchmarks/instances/, or a built-in example name."""
    from .paths import repo_root

    root = repo_root()
    if root is not None and not Path(arg).exists() and "/" not in arg:
        for suffix in (".yaml", ".yml", ".toml", ".json"):
            candidate = root / "benchmarks" / "instances" / f"{arg}{suffix}"
            if candidate.is_file():
                return candidate
    return resolve_scenario(arg)


def suite_instances() -> list[Path]:
    from .paths import repo_root

    root = repo_root()
    folder = root / "benchmarks" / "instances" if root else None
    if folder is None or not folder.is_dir():
        raise InputError("no instance suite here (benchmarks/instances/): name the scenarios to run", field="SCENARIO")
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml", ".toml", ".json"))


@app.command()
@friendly
def bench(
    scenarios: Annotated[
        Optional[list[str]], typer.Argument(help="Instances (files or names); default: every file in benchmarks/instances/.")
    ] = None,
    preset: Annotated[
        Optional[list[str]], typer.Option("--preset", "-p", help="Preset to run (repeatable): a .toml file or a name in benchmarks/presets/.")
    ] = None,
    seeds: Annotated[int, typer.Option("--seeds", min=1, help="Solver seeds per instance and preset (0..N-1).")] = 3,
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.1, help="Seconds per run (beats the preset's).")] = 10.0,
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
) -> None:
    """Benchmark solver presets: each (instance, preset, seed) in its own process; resumable."""
    from .bench import performance_profile, read_results, render_summary, run_bench, summarise
    from .presets import load_preset

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
            typer.echo(f"[{i:>3}/{n}] {inst.stem} {p.name} seed {seed}: {row.get('status')} {t} s {row.get('error') or ''}".rstrip(), err=True)

        typer.echo(f"{total} runs in all; results in {output}", err=True)
        if catalogue:
            from .catalogue import load_catalogue

            load_catalogue(catalogue)  # a bad folder fails here, once, not in every run
        ran = run_bench(instances, presets, seeds, time_limit, output, progress, catalogues=catalogue or ())
        typer.echo(f"{ran} run(s) done, {total - ran} already in {output}", err=True)
        rows = read_results(output)
        keep = {(i.stem, p.name) for i in instances for p in presets}
        rows = [r for r in rows if (r["scenario"], r["preset"]) in keep and float(r["time_limit_s"]) == float(time_limit)]
    result = summarise(rows, baseline, metric.value)
    sys.stdout.write(render_summary(result, format.value))
    if plot is not None:
        performance_profile(result, plot, force=force)
        typer.echo(f"Wrote {plot}", err=True)


from .cli_batch import batch as _batch  # noqa: E402 - the command lives in its own module

app.command("batch")(friendly(_batch))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
