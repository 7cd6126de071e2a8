"""``programme solve``, ``check`` and ``explain``: one scenario's plan, its check, and why
there is none (registered on the app by :mod:`optimizer.cli`)."""

from __future__ import annotations

from datetime import datetime, time
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_common import CatalogueOpt, ForceOpt, OutputOpt, SeedOpt, emit, load_inputs
from .cli_guard import (
    OUTPUT_RESERVE_S,
    check_calendar,
    check_output,
    command_left,
    exit_if_interrupted,
    finite,
    interruptible,
)
from .cli_support import QuietOpt
from .errors import EXIT_INVALID_INPUT, EXIT_NO_PLAN, InputError
from .limits import SEED_MAX, TIME_LIMIT_MAX_S, WORKERS_MAX


class SolveFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"
    ics = "ics"  # an iCalendar file of the sessions
    html = "html"  # a self-contained report (optimizer.html)


class ExplainFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    html = "html"


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


def solve(
    scenario: Annotated[str, typer.Argument(help="Scenario file (YAML, TOML or JSON) or built-in example name.")],
    format: Annotated[SolveFormat, typer.Option("--format", "-f", help="Output format (ics: an iCalendar file).")] = SolveFormat.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", min=0.01, max=TIME_LIMIT_MAX_S, callback=finite, help="Seconds (default: the scenario's).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, max=WORKERS_MAX, help="CP-SAT workers (default: the scenario's).")] = None,
    seed: SeedOpt = None,
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
    if format == SolveFormat.csv or sc.weeks > 1 and format in (SolveFormat.table, SolveFormat.markdown):
        import pandas  # noqa: F401 - the renderer's frames: imported inside the limit, before the solve
    if sc.weeks > 1:
        from .programme_solver import solve_programme

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
    limit = time_limit if time_limit is not None else sc.solver.time_limit_s  # the whole command's
    if format in (ExplainFormat.table, ExplainFormat.markdown):
        import pandas  # noqa: F401 - the renderer's frames: imported inside the limit, before the searches
    left = command_left(limit) - OUTPUT_RESERVE_S  # explain shares out what loading left
    expl, interrupted = interruptible(
        lambda: run(sc, cat, source=str(path), repair_count=repairs, seed=seed, workers=workers, time_limit_s=left),
        time_limit_s=limit,
        title="Explaining",
    )
    if format == ExplainFormat.html:
        from .html import render_explanation_html

        emit(render_explanation_html(expl, cat.group_of_muscle), output, force)
    else:
        emit(render_explanation(expl, format.value), output, force, fmt=format.value)
    exit_if_interrupted(interrupted)
    exit_if_no_plan(expl)
