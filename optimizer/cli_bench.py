"""``programme bench``: solver presets benchmarked on stored instances, and the summary of
a results file (registered on the app by :mod:`optimizer.cli`; the harness is
:mod:`optimizer.bench`)."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_common import CatalogueOpt, emit, resolve_scenario
from .cli_guard import finite
from .cli_support import QuietOpt, comma_list
from .errors import InputError
from .limits import TIME_LIMIT_MAX_S


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
