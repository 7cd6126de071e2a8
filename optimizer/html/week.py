"""The HTML report of one week: the sessions as a grid, volume against targets, balance, terms.

Fed by the same typed :class:`~optimizer.result.SolveResult` as the text renderers; the
pieces (grid, volume chart, gauges, terms) are reused by the programme, comparison and
explanation reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .charts import RangeRow, range_bars, ratio_gauge
from .page import document, esc, num, section, status_badge, table

if TYPE_CHECKING:
    from ..result import ObjectiveTerm, Plan, RunSummary, SolveResult

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def week_grid(plan: Plan) -> str:
    """Seven columns, Monday to Sunday: each training day's exercises in order, with its minutes."""
    by_day = {d.day: d for d in plan.days}
    cells = []
    for day, long in zip(WEEK, DAY_NAMES):
        d = by_day.get(day)
        if d is None:
            cells.append(f'<div class="day off" data-day="{day}"><h3>{long}</h3><p class="note">not a training day</p></div>')
            continue
        share = (f" at {esc(d.at)}" if d.at else "") + (f" with {esc(d.shares_with)}" if d.shares_with else "")
        if not d.exercises:
            cells.append(
                f'<div class="day rest" data-day="{day}"><h3>{long}</h3><p class="budget">rest{share} (0 of {d.minutes_budget} min)</p></div>'
            )
            continue
        used = min(100.0, 100.0 * d.minutes_used / d.minutes_budget) if d.minutes_budget else 0.0
        items = []
        for x in d.exercises:
            items.append(
                f'<li class="exercise" data-exercise="{esc(x.exercise)}">'
                + (f'<span class="superset" title="superset: one set of each, then one rest">{esc(x.superset)}</span> ' if x.superset else "")
                + f'<span class="name">{esc(x.name)}</span>'
                f'<span class="dose">{x.sets} &times; {esc(x.reps)} <span class="scheme {esc(x.scheme)}">{esc(x.scheme)}</span> '
                f"rest {x.rest_s} s &middot; {num(x.minutes, 1)} min</span></li>"
            )
        warm = f'<p class="note">warm-up {num(d.warmup_minutes)} min</p>' if d.warmup_minutes else ""
        cells.append(
            f'<div class="day train" data-day="{day}"><h3>{long}</h3>'
            f'<p class="budget">{num(d.minutes_used, 1)} of {d.minutes_budget} min{share}</p>'
            f'<div class="meter" title="minutes used"><span style="width:{used:.0f}%"></span></div>'
            f"{warm}<ol>{''.join(items)}</ol></div>"
        )
    return f'<div class="week">{"".join(cells)}</div>'


def volume_rows(plan: Plan) -> list[RangeRow]:
    """Every group, each followed by its targeted muscles (a muscle without a target is left out)."""
    groups = [v for v in plan.volume if v.kind == "group"]
    muscles = [v for v in plan.volume if v.kind != "group" and (v.min is not None or v.max is not None)]
    return [RangeRow(v.unit, [v.sets], v.min, v.max, sub=v.kind != "group", shortfalls=[v.shortfall]) for v in groups + muscles]


def volume_chart(plan: Plan) -> str:
    return range_bars(volume_rows(plan), ["sets"], "weekly sets per group and targeted muscle against target")


def heat_map(plan: Plan, muscle_groups: Mapping[str, str] | None = None) -> str:
    """Every muscle the week trains, under its group (``muscle_groups``: muscle id -> group id,
    e.g. ``Catalogue.group_of_muscle``; one row without it), shaded by its weekly sets (darker
    is more); a muscle below its minimum is outlined in orange."""
    groups = [v for v in plan.volume if v.kind == "group"]
    muscles = [v for v in plan.volume if v.kind != "group"]
    top = max([v.sets for v in muscles] + [1.0])
    order = {g.unit: i for i, g in enumerate(groups)}
    by_group: dict[str, list] = {}
    for v in muscles:
        by_group.setdefault((muscle_groups or {}).get(v.unit, "muscles"), []).append(v)
    rows = []
    for group in sorted(by_group, key=lambda g: order.get(g, len(order))):
        cells = []
        for v in by_group[group]:
            share = v.sets / top
            ink = "#fff" if share > 0.55 else "#1d2733"
            low = v.min is not None and v.sets < v.min - 1e-9
            target = f" (target {num(v.min) or '0'}-{num(v.max) if v.max is not None else '...'})" if v.min is not None or v.max is not None else ""
            cells.append(
                f'<span class="heat{" low" if low else ""}" style="background:rgba(59,110,165,{0.08 + 0.92 * share:.2f});color:{ink}" '
                f'title="{esc(v.unit)}: {num(v.sets)} sets{esc(target)}">{esc(v.unit.replace("_", " "))} <b>{num(v.sets, 1)}</b></span>'
            )
        rows.append(f'<div class="heat-row"><span class="heat-group">{esc(group.replace("_", " "))}</span>{"".join(cells)}</div>')
    return f'<div class="heat-map">{"".join(rows)}</div>' if rows else '<p class="muted">(no muscle trained)</p>'


def balance(plan: Plan) -> str:
    if not plan.ratios:
        return '<p class="muted">No balance ratio in this scenario.</p>'
    return '<figure class="chart">' + "".join(
        ratio_gauge(r.name, r.value, r.min, r.max, r.numerator_sets, r.denominator_sets) for r in plan.ratios
    ) + "</figure>"


def objective_table(terms: list[ObjectiveTerm]) -> str:
    rows = [
        (t.name, num(t.value, 4), "" if t.bound is None else num(t.bound, 4), t.unit, t.rank if t.rank is not None else f"weight {num(t.weight)}")
        for t in terms
    ]
    return table(["term", "value", "bound", "unit", "priority"], rows, numeric=(1, 2), cls="objective")


def summary(result: RunSummary, extra: str = "") -> str:
    p = result.parameters
    gap = f"; gap {result.gap:.2%}" if result.gap is not None else ""
    lines = [
        f'<h1>{esc(result.scenario)}</h1><p class="meta">{status_badge(result.status.value)} {esc(result.message)}</p>',
        f'<p class="meta">Objective {esc(result.objective)}{gap}; wall {result.wall_time_s:.2f} s; method {esc(result.method)}; '
        f"ortools {esc(result.ortools_version)}, workers {esc(p.get('workers'))}, seed {esc(p.get('seed'))}, "
        f"time limit {esc(p.get('time_limit_s'))} s.</p>",
    ]
    if result.conflict:
        lines.append(
            '<p class="meta">Conflict: ' + "; ".join(esc(f"{r.label} ({r.path})" if r.path else r.label) for r in result.conflict) + "</p>"
        )
    if result.repair:
        lines.append(f'<p class="meta">Cheapest repair: {esc(result.repair)} (<code>programme explain</code> shows more)</p>')
    return "<header>" + "".join(lines) + extra + "</header>"


def plan_sections(plan: Plan, muscle_groups: Mapping[str, str] | None = None) -> list[str]:
    return [
        section("The week", week_grid(plan), id="week"),
        section("Weekly volume against target", volume_chart(plan), id="volume"),
        section("Every muscle, by weekly sets", heat_map(plan, muscle_groups), id="muscles"),
        section("Balance", balance(plan), id="balance"),
    ]


def render_week_html(result: SolveResult, muscle_groups: Mapping[str, str] | None = None) -> str:
    """A self-contained HTML page of one week's result (with or without a plan).

    ``muscle_groups`` (muscle id -> group id, ``Catalogue.group_of_muscle``) groups the muscle heat map.
    """
    parts = [summary(result)]
    if result.plan is not None:
        parts += plan_sections(result.plan, muscle_groups)
    if result.objective_terms:
        parts.append(section("Objective terms", objective_table(result.objective_terms), id="objective"))
    return document(result.scenario, "week", parts, footer=f"programme-optimiser {result.programme_optimiser_version}".strip())
