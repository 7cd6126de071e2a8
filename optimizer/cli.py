"""The ``programme`` command: parses, calls the library, renders. Nothing else lives here.

Exit codes: 0 a plan (or a check that passed), 1 invalid input (or a plan that breaks a
rule), 2 usage, 3 no plan. Library errors become one ``Error: ...`` line on stderr.
Heavy imports (pydantic models, pandas, ortools) happen inside commands so ``--help``
stays fast.
"""

from __future__ import annotations

import sys
from datetime import datetime, time
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_catalogue import catalogue_app
from .cli_common import CatalogueOpt, ForceOpt, OutputOpt, emit, friendly
from .cli_support import Group, QuietOpt, comma_list, version_callback
from .errors import EXIT_INVALID_INPUT, EXIT_NO_PLAN, InputError
from .cli_guard import (
    check_calendar,
    check_output,
    exit_if_interrupted,
    finite,
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
app.add_typer(catalogue_app, name="catalogue")


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=version_callback, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """Training programmes chosen by a constraint solver: exercises, sets, rep schemes and days."""


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


def parse_clock(text: str) -> time:
    """'18:30' -> time(18, 30); anything else is bad input."""
    try:
        return datetime.strptime(text, "%H:%M").time()
    except ValueError:
        raise InputError(f"expected a time as HH:MM, got {text!r}", field="--at") from None


def exit_if_no_plan(result) -> None:
    """After the output is written: with no plan, say why on stderr and exit 3."""
    if not result.status.has_plan:
        message = result.message or result.status.value
        typer.echo(message if message.startswith("No plan") else f"No plan: {message}", err=True)
        raise typer.Exit(EXIT_NO_PLAN)


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
    plot: Annotated[
        Optional[Path], typer.Option("--plot", help="Also write the volume chart: a week against its targets, a programme by week (.png or .svg).")
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
    if plot is not None:
        from .plot import check_plot_path

        check_plot_path(plot, force)
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
    if plot is not None and result.status.has_plan:
        from .plot import write_plan_plot

        write_plan_plot(result, cat, plot, title=sc.name, force=force)
        typer.echo(f"Wrote {plot}", err=True)
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
    at: Annotated[
        Optional[str],
        typer.Option("--at", help="Vary the equipment of this location (the scenario's locations) only; the other places keep theirs."),
    ] = None,
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
        value, interrupted, timed_out = interruptible_timed(lambda: cmp.value_of_equipment(sc, cat, pairs=pairs, at=at, **kw), limit, "Value of equipment")
        mark_outcomes(interrupted, [value.base] + [v.outcome for v in value.singles] + ([value.best_pair.outcome] if value.best_pair else []), timed_out and limit)
        text = cmp.render_value(value, format.value)
        shown = [value.base] + [v.outcome for v in value.singles[:3]]  # the plot: current and the best three
        outcomes = [value.base] + [v.outcome for v in value.singles] + ([value.best_pair.outcome] if value.best_pair else [])
    else:
        variants = cmp.make_variants(sc, cat, profile or [], equipment or [], profiles, source=str(path), at=at)
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
    from .bench import read_results, run_bench
    from .bench_summary import render_summary, summarise
    from .plot_profile import performance_profile
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
            from .catalogue_load import load_catalogue

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
