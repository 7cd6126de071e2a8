"""``programme compare``: plans under different equipment side by side, or what each
missing item is worth (registered on the app by :mod:`optimizer.cli`)."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_common import CatalogueOpt, ForceOpt, OutputOpt, SeedOpt, emit, load_inputs
from .cli_guard import (
    COMPARE_GRACE_S,
    OUTPUT_RESERVE_S,
    check_output,
    command_left,
    exit_if_interrupted,
    finite,
    interruptible_timed,
    mark_outcomes,
)
from .cli_support import QuietOpt, comma_list
from .errors import EXIT_NO_PLAN
from .limits import TIME_LIMIT_MAX_S, WORKERS_MAX


class CompareFormat(str, Enum):
    table = "table"
    markdown = "markdown"
    json = "json"
    csv = "csv"
    html = "html"


class Executor(str, Enum):
    threads = "threads"
    processes = "processes"


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
    seed: SeedOpt = None,
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
    import pandas  # noqa: F401 - the renderers' frames need it: imported inside the limit, before the solves share it
    left = command_left(limit) - OUTPUT_RESERVE_S  # from the command's start: loading counts, and many solves share what is left
    kw = dict(
        workers=workers, seed=seed, processes=processes, executor=executor.value, source=str(path),
        scheduler=scheduler, total_time_s=left,
    )
    if value_of_equipment:
        value, interrupted, timed_out = interruptible_timed(
            lambda: cmp.value_of_equipment(sc, cat, pairs=pairs, at=at, **kw), limit, "Value of equipment", COMPARE_GRACE_S
        )
        mark_outcomes(interrupted, [value.base] + [v.outcome for v in value.singles] + ([value.best_pair.outcome] if value.best_pair else []), timed_out and limit)
        value.parameters["time_limit_s"] = limit  # the command's, as given (the solves shared what loading left)
        text = cmp.render_value(value, format.value)
        shown = [value.base] + [v.outcome for v in value.singles[:3]]  # the plot: current and the best three
        outcomes = [value.base] + [v.outcome for v in value.singles] + ([value.best_pair.outcome] if value.best_pair else [])
    else:
        variants = cmp.make_variants(sc, cat, profile or [], equipment or [], profiles, source=str(path), at=at)
        comparison, interrupted, timed_out = interruptible_timed(lambda: cmp.compare(sc, cat, variants, **kw), limit, grace=COMPARE_GRACE_S)
        mark_outcomes(interrupted, comparison.variants, timed_out and limit)
        comparison.parameters["time_limit_s"] = limit  # the command's, as given
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
