"""Renderers: results -> pandas DataFrames -> table, markdown, csv or json text.

Each output is built from the same frames, so every format says the same thing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas costs 0.3 s to import: only when rendering
    import pandas as pd

    from .result import SolveResult

FORMATS = ("table", "markdown", "json", "csv")


SESSION_COLUMNS = ["day", "order", "exercise", "name", "sets", "scheme", "reps", "rest_s", "set_seconds", "minutes", "superset"]
Table = tuple[list[str], list[list]]  # columns, rows of plain Python values


def plan_tables(result: SolveResult) -> dict[str, Table]:
    """The plan's tables as plain rows: sessions, days, volume, ratios, objective."""
    tables: dict[str, Table] = {}
    plan = result.plan
    if plan is not None:
        places = any(d.at for d in plan.days)  # an "at" column only for weeks in two places or more
        tables["sessions"] = (
            SESSION_COLUMNS[:1] + ["at"] * places + SESSION_COLUMNS[1:],
            [
                [d.day] + [d.at or ""] * places + [i, x.exercise, x.name, x.sets, x.scheme, x.reps, x.rest_s, x.set_seconds, x.minutes, x.superset or ""]
                for d in plan.days
                for i, x in enumerate(d.exercises, start=1)
            ],
        )
        tables["days"] = (
            ["day"] + ["at"] * places + ["shares_with", "exercises", "sets", "minutes_used", "budget"],
            [
                [d.day] + [d.at or ""] * places
                + [d.shares_with or "", len(d.exercises), sum(x.sets for x in d.exercises), d.minutes_used, d.minutes_budget]
                for d in plan.days
            ],
        )
        tables["volume"] = (  # sets as done, and effective sets: what the targets count
            ["unit", "kind", "sets", "effective", "target", "shortfall"],
            [
                [v.unit, v.kind, v.sets if v.raw_sets is None else v.raw_sets, v.sets,
                 _range(v.min, v.max) + (" (hard)" if v.hard else ""), v.shortfall]
                for v in plan.volume
            ],
        )
        if plan.ratios:
            tables["ratios"] = (
                ["ratio", "value", "sets", "range", "outside"],
                [
                    [
                        r.name,
                        "n/a" if r.value is None else f"{r.value:.2f}",
                        f"{r.numerator_sets:g} : {r.denominator_sets:g}",
                        f"{r.min:g}-{r.max:g}" + (" (hard)" if r.hard else ""),
                        r.outside,
                    ]
                    for r in plan.ratios
                ],
            )
    if result.objective_terms:
        tables["objective"] = (
            ["term", "value", "bound", "unit", "priority"],
            [
                [t.name, t.value, "" if t.bound is None else t.bound, t.unit, t.rank if t.rank is not None else f"weight {t.weight:g}"]
                for t in result.objective_terms
            ],
        )
    return tables


def plan_frames(result: SolveResult) -> dict[str, pd.DataFrame]:
    """:func:`plan_tables` as pandas DataFrames."""
    import pandas as pd

    return {name: pd.DataFrame(rows, columns=columns) for name, (columns, rows) in plan_tables(result).items()}


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
    from . import tables

    return tables.markdown_table(list(df.columns), list(df.itertuples(index=False)))


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
    if fmt == "csv":
        import pandas as pd

        columns, rows = plan_tables(result).get("sessions", (SESSION_COLUMNS, []))
        return pd.DataFrame(rows, columns=columns).to_csv(index=False)
    # Text and Markdown from plain rows: no pandas to import (tables.py prints as it would).
    from . import tables as tb

    frames = plan_tables(result)
    md = fmt == "markdown"
    table = tb.markdown_table if md else tb.text_table
    out: list[str] = []

    def heading(text: str) -> None:
        out.append(f"\n## {text}\n" if md else f"\n{text}\n{'=' * len(text)}")

    out.append(f"# {result.scenario}" if md else result.scenario)
    out.extend(_summary_lines(result))
    if result.plan is not None:
        columns, rows = frames["sessions"]
        at = {c: columns.index(c) for c in columns}
        for d in result.plan.days:
            title = f"{d.day.capitalize()}" + (f" at {d.at}" if d.at else "") + (f" (with {d.shares_with})" if d.shares_with else "")
            title += f": {d.minutes_used:g} of {d.minutes_budget} min" if d.exercises else ": rest"
            heading(title)
            sub = [r for r in rows if r[at["day"]] == d.day]
            if sub:
                view = [
                    [r[at["superset"]] or r[at["order"]], r[at["name"]], f"{r[at['sets']]} x {r[at['reps']]}", r[at["scheme"]], r[at["rest_s"]], r[at["minutes"]]]
                    for r in sub
                ]
                out.append(table(["order", "name", "sets x reps", "scheme", "rest_s", "minutes"], view))
                if d.warmup_minutes:
                    out.append(f"(plus {d.warmup_minutes:g} min warm-up)")
                if any(x.superset for x in d.exercises):
                    out.append("(A1/A2: a superset, one set of each then one rest, min(sets) rounds)")
        heading("Weekly volume (sets done, and effective sets: what the targets count)")
        out.append(table(*frames["volume"]))
        if "ratios" in frames:
            heading("Balance")
            out.append(table(*frames["ratios"]))
    if "objective" in frames:
        heading("Objective terms")
        out.append(table(*frames["objective"]))
    return "\n".join(out) + "\n"
