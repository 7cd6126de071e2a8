"""The HTML report of a comparison: variants side by side, one chart, and the differences.

Fed by :class:`~optimizer.compare.Comparison` (the same model ``--format json`` writes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .charts import RangeRow, range_bars
from .page import document, esc, label, num, section, status_badge, table
from .week import WEEK

if TYPE_CHECKING:
    from ..compare import Comparison, PlanDiff, VariantOutcome


def status_table(variants: list[VariantOutcome]) -> str:
    head = "".join(f"<th>{esc(v.name)}</th>" for v in variants)
    rows = [
        ("equipment", [", ".join(label(e) for e in v.equipment) for v in variants]),
        ("usable exercises", [str(v.usable_exercises) for v in variants]),
        ("gap", ["" if v.result.gap is None else f"{v.result.gap:.1%}" for v in variants]),
        ("no plan because", ["; ".join(r.label for r in v.result.conflict) for v in variants]),
        ("note", [v.note for v in variants]),
    ]
    terms: dict[str, list[str]] = {}
    for i, v in enumerate(variants):
        for t in v.result.objective_terms:
            terms.setdefault(f"{t.name} ({t.unit})", [""] * len(variants))[i] = num(t.value, 2)
    body = "<tr><th>status</th>" + "".join(f"<td>{status_badge(v.result.status.value)}</td>" for v in variants) + "</tr>"
    for name, cells in rows + list(terms.items()):
        if any(cells):
            body += f"<tr><th>{esc(name)}</th>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>"
    return f'<table class="variants"><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>'


def volume_rows(variants: list[VariantOutcome]) -> list[RangeRow]:
    """Every group (and targeted muscle) any variant trains or targets; one value per variant."""
    order: list[tuple[str, bool]] = []
    ranges: dict[str, tuple[float | None, float | None]] = {}
    for v in variants:
        for row in v.result.plan.volume if v.result.plan else []:
            targeted = row.min is not None or row.max is not None
            if (row.kind == "group" or targeted) and row.unit not in ranges:
                order.append((row.unit, row.kind != "group"))
                ranges[row.unit] = (row.min, row.max)
    order.sort(key=lambda u: u[1])  # groups first, then targeted muscles
    rows = []
    for unit, sub in order:
        lo, hi = ranges[unit]
        values: list[float | None] = []
        shorts: list[float] = []
        for v in variants:
            got = {r.unit: r for r in v.result.plan.volume} if v.result.plan else None
            row = got.get(unit) if got is not None else None
            values.append(None if got is None else (row.sets if row else 0.0))
            shorts.append(row.shortfall if row else (lo or 0.0) if got is not None else 0.0)
        rows.append(RangeRow(unit, values, lo, hi, sub=sub, shortfalls=shorts))
    return rows


def sessions_side_by_side(variants: list[VariantOutcome]) -> str:
    """Rows are days, columns variants: each day's exercises with sets and scheme."""
    days = [d for d in WEEK if any(v.result.plan and any(p.day == d for p in v.result.plan.days) for v in variants)]
    head = "".join(f"<th>{esc(v.name)}</th>" for v in variants)
    body = ""
    for day in days:
        cells = ""
        for v in variants:
            plan_day = next((p for p in v.result.plan.days if p.day == day), None) if v.result.plan else None
            if plan_day is None or not plan_day.exercises:
                cells += '<td class="muted">rest</td>' if v.result.plan else '<td class="muted">no plan</td>'
                continue
            items = "".join(
                f'<li>{esc(x.name)} <span class="muted">{x.sets} &times; {esc(x.reps)}</span> <span class="scheme {esc(x.scheme)}">{esc(x.scheme)}</span></li>'
                for x in plan_day.exercises
            )
            cells += f'<td><ol>{items}</ol><span class="muted">{num(plan_day.minutes_used, 1)} of {plan_day.minutes_budget} min</span></td>'
        body += f"<tr><th>{day.capitalize()}</th>{cells}</tr>"
    return f'<table class="sessions"><thead><tr><th></th>{head}</tr></thead><tbody>{body}</tbody></table>'


def diff_block(diff: PlanDiff) -> str:
    items = []
    for c in diff.changes:
        what = esc(c.name)
        if c.change == "swapped":
            what = f"{esc(c.replaces_name or c.replaces)} &rarr; {esc(c.name)}"
        if c.before or c.after:
            what += f' <span class="muted">({esc(c.before or "-")} &rarr; {esc(c.after or "-")})</span>'
        items.append(f'<li class="{esc(c.change.replace(" ", "-"))}"><b>{esc(c.day.capitalize())}</b> {esc(c.change)}: {what}</li>')
    note = f'<p class="muted">{esc(diff.note)}</p>' if diff.note else ""
    body = f"<ul>{''.join(items)}</ul>" if items else '<p class="muted">No change.</p>'
    return f'<div class="diff"><h3>{esc(diff.before)} &rarr; {esc(diff.after)}</h3>{note}{body}</div>'


def render_comparison_html(comp: Comparison) -> str:
    """A self-contained HTML page comparing equipment variants."""
    p = comp.parameters
    names = [v.name for v in comp.variants]
    header = (
        f"<header><h1>Equipment compared: {esc(comp.scenario)}</h1>"
        f'<p class="meta">{len(names)} variants: {esc(", ".join(names))}; same days, targets and rules; workers {esc(p.get("workers"))}, '
        f'seed {esc(p.get("seed"))}, time limit {esc(p.get("time_limit_s"))} s each; wall {comp.wall_time_s:.2f} s.</p></header>'
    )
    parts = [
        header,
        section("Variants", status_table(comp.variants), id="variants"),
        section("Weekly volume against target", range_bars(volume_rows(comp.variants), names, "weekly sets per variant"), id="volume"),
        section("Sessions side by side", sessions_side_by_side(comp.variants), id="sessions"),
        section("Differences (each variant against the one before)", '<div class="cols">' + "".join(diff_block(d) for d in comp.diffs) + "</div>", id="diffs"),
    ]
    return document(f"Equipment compared: {comp.scenario}", "comparison", parts)
