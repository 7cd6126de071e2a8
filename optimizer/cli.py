"""The ``programme`` command: parses, calls the library, renders. Nothing else lives here.

Exit codes: 0 a plan (or a check that passed), 1 invalid input (or a plan that breaks a
rule), 2 usage, 3 no plan. Library errors become one ``Error: ...`` line on stderr.
Heavy imports (pydantic models, pandas, ortools) happen inside commands so ``--help``
stays fast.
"""

from __future__ import annotations

import functools
import sys
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


class SchemaKind(str, Enum):
    scenario = "scenario"
    plan = "plan"


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


def emit(text: str, output: Path | None, force: bool) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from .io import write_atomic

    write_atomic(output, text, force=force)
    typer.echo(f"Wrote {output}", err=True)


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
    format: FormatOpt = Format.table,
    output: OutputOpt = None,
    force: ForceOpt = False,
    time_limit: Annotated[Optional[float], typer.Option("--time-limit", min=0.01, help="Seconds (default: the scenario's).")] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help="CP-SAT workers (default: the scenario's).")] = None,
    seed: Annotated[Optional[int], typer.Option("--seed", min=0, help="Random seed (default: the scenario's).")] = None,
    catalogue: CatalogueOpt = None,
    log: Annotated[bool, typer.Option("--log", help="Print CP-SAT's search log to stderr.")] = False,
    preset: Annotated[
        Optional[str], typer.Option("--preset", help="Solver preset: a .toml file or a name in benchmarks/presets/ (flags above win over it).")
    ] = None,
) -> None:
    """Choose the week's exercises, sets, rep schemes and days, optimally."""
    from .presets import load_preset, solve_settings
    from .render import render_result
    from .solver import solve as run

    settings = solve_settings(load_preset(preset) if preset else None, time_limit, workers, seed)
    path, sc, cat = load_inputs(scenario, catalogue)
    result = run(sc, cat, source=str(path), log=log, **settings)
    emit(render_result(result, format.value), output, force)
    if not result.status.has_plan:
        typer.echo(f"No plan: {result.message}", err=True)
        raise typer.Exit(EXIT_NO_PLAN)


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
    import pandas as pd

    from .catalogue import load_catalogue
    from .errors import close_matches
    from .render import markdown_table, text_table

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
    df = pd.DataFrame(rows)
    if format == Format.json:
        typer.echo(df.to_json(orient="records", indent=2))
    elif format == Format.csv:
        typer.echo(df.to_csv(index=False), nl=False)
    else:
        typer.echo((markdown_table if format == Format.markdown else text_table)(df))
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
        ran = run_bench(instances, presets, seeds, time_limit, output, progress)
        typer.echo(f"{ran} run(s) done, {total - ran} already in {output}", err=True)
        rows = read_results(output)
        keep = {(i.stem, p.name) for i in instances for p in presets}
        rows = [r for r in rows if (r["scenario"], r["preset"]) in keep and float(r["time_limit_s"]) == float(time_limit)]
    result = summarise(rows, baseline, metric.value)
    sys.stdout.write(render_summary(result, format.value))
    if plot is not None:
        performance_profile(result, plot, force=force)
        typer.echo(f"Wrote {plot}", err=True)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
