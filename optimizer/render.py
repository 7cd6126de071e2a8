"""Renderers: results -> pandas DataFrames -> table, markdown, csv or json text.

Each output is built from the same frames, so every format says the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas costs 0.3 s to import: only when rendering
    import pandas as pd

    from .result import SolveResult

FORMATS = ("table", "markdown", "json", "csv")


def plan_frames(result: SolveResult) -> dict[str, pd.DataFrame]:
    import pandas as pd

    frames: dict[str, pd.DataFrame] = {}
    plan = result.plan
    if plan is not None:
        rows = []
        for d in plan.days:
            for i, x in enumerate(d.exercises, start=1):
                rows.append(
                    {
                        "day": d.day,
                        "order": i,
                        "exercise": x.exercise,
                        "name": x.name,
                        "sets": x.sets,
                        "scheme": x.scheme,
                        "reps": x.reps,
                        "rest_s": x.rest_s,
                        "set_seconds": x.set_seconds,
                        "minutes": x.minutes,
                    }
                )
        frames["sessions"] = pd.DataFrame(
            rows, columns=["day", "order", "exercise", "name", "sets", "scheme", "reps", "rest_s", "set_seconds", "minutes"]
        )
        frames["days"] = pd.DataFrame(
            [
                {
                    "day": d.day,
                    "shares_with": d.shares_with or "",
                    "exercises": len(d.exercises),
                    "sets": sum(x.sets for x in d.exercises),
                    "minutes_used": d.minutes_used,
                    "budget": d.minutes_budget,
                }
                for d in plan.days
            ]
        )
        frames["volume"] = pd.DataFrame(
            [
                {
                    "unit": v.unit,
                    "kind": v.kind,
                    "sets": v.sets,
                    "target": _range(v.min, v.max) + (" (hard)" if v.hard else ""),
                    "shortfall": v.shortfall,
                }
                for v in plan.volume
            ],
            columns=["unit", "kind", "sets", "target", "shortfall"],
        )
        if plan.ratios:
            frames["ratios"] = pd.DataFrame(
                [
                    {
                        "ratio": r.name,
                        "value": "n/a" if r.value is None else f"{r.value:.2f}",
                        "sets": f"{r.numerator_sets:g} : {r.denominator_sets:g}",
                        "range": f"{r.min:g}-{r.max:g}" + (" (hard)" if r.hard else ""),
                        "outside": r.outside,
                    }
                    for r in plan.ratios
                ]
            )
    if result.objective_terms:
        frames["objective"] = pd.DataFrame(
            [
                {
                    "term": t.name,
                    "value": t.value,
                    "bound": "" if t.bound is None else t.bound,
                    "unit": t.unit,
                    "priority": t.rank if t.rank is not None else f"weight {t.weight:g}",
                }
                for t in result.objective_terms
            ]
        )
    return frames


def _range(lo, hi) -> str:
    if lo is not None and hi is not None:
        return f"{lo:g}-{hi:g}"
    if lo is not None:
        return f">= {lo:g}"
    if hi is not None:
        return f"<= {hi:g}"
    return ""


def text_table(df: pd.DataFrame) -> str:
    if df.empty:
        return "(none)"
    from .termtable import fit_table  # the terminal's width (rich), or plain within 120 columns

    return fit_table(df)


def markdown_table(df: pd.DataFrame) -> str:
    if df.empty:
        return "_(none)_"
    cols = [str(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join(" --- " for _ in cols) + "|"]
    for row in df.itertuples(index=False):
        lines.append("| " + " | ".join(str(v).replace("|", "\\|") for v in row) + " |")
    return "\n".join(lines)


def _summary_lines(result: SolveResult) -> list[str]:
    p = result.parameters
    lines = [
        f"Status: {result.status.value}. {result.message}",
        f"Objective: {result.objective}"
        + (f"; gap {result.gap:.2%}" if result.gap is not None else "")
        + f"; wall {result.wall_time_s:.3f} s (build {result.build_time_s:.3f} s); method {result.method}",
        f"Solver: ortools {result.ortools_version}, workers {p.get('workers')}, seed {p.get('seed')}, "
        f"time limit {p.get('time_limit_s')} s; exercises considered {result.exercises_considered}, "
        f"left out {result.exercises_left_out}",
    ]
    if result.conflict:
        lines.append("Conflict: " + "; ".join(f"{r.label} ({r.path})" if r.path else r.label for r in result.conflict))
    if result.repair:
        lines.append(f"Cheapest repair: {result.repair} (programme explain shows more)")
    return lines


def render_result(result: SolveResult, fmt: str) -> str:
    if fmt == "json":
        return result.model_dump_json(indent=2) + "\n"
    frames = plan_frames(result)
    if fmt == "csv":
        if "sessions" not in frames:
            import pandas as pd

            return pd.DataFrame(columns=["day", "order", "exercise", "name", "sets", "scheme", "reps", "rest_s", "set_seconds", "minutes"]).to_csv(index=False)
        return frames["sessions"].to_csv(index=False)
    md = fmt == "markdown"
    table = markdown_table if md else text_table
    out: list[str] = []

    def heading(text: str) -> None:
        out.append(f"\n## {text}\n" if md else f"\n{text}\n{'=' * len(text)}")

    out.append(f"# {result.scenario}" if md else result.scenario)
    out.extend(_summary_lines(result))
    if result.plan is not None:
        for d in result.plan.days:
            title = f"{d.day.capitalize()}" + (f" (with {d.shares_with})" if d.shares_with else "")
            title += f": {d.minutes_used:g} of {d.minutes_budget} min" if d.exercises else ": rest"
            heading(title)
            sub = frames["sessions"][frames["sessions"]["day"] == d.day]
            if len(sub):
                view = sub[["order", "name", "sets", "reps", "scheme", "rest_s", "minutes"]].copy()
                view["sets x reps"] = [f"{s} x {r}" for s, r in zip(view["sets"], view["reps"])]
                out.append(table(view[["order", "name", "sets x reps", "scheme", "rest_s", "minutes"]]))
                if d.warmup_minutes:
                    out.append(f"(plus {d.warmup_minutes:g} min warm-up)")
        heading("Weekly volume (sets)")
        out.append(table(frames["volume"]))
        if "ratios" in frames:
            heading("Balance")
            out.append(table(frames["ratios"]))
    if "objective" in frames:
        heading("Objective terms")
        out.append(table(frames["objective"]))
    return "\n".join(out) + "\n"
