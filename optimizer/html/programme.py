"""The HTML report of a multi-week programme: volume by week across blocks, then every week.

Fed by :class:`~optimizer.programme_result.ProgrammeResult`; each week reuses the one-week
grid and charts of :mod:`optimizer.html.week`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .charts import WeekColumn, weekly_bars
from .page import document, esc, num, section, table
from .week import objective_table, summary, volume_chart, week_grid

if TYPE_CHECKING:
    from ..programme_result import ProgrammeResult


def volume_by_week(result: ProgrammeResult) -> str:
    """Per targeted group and muscle: its sets in every week over that week's target range."""
    units: list[str] = []
    values: dict[str, list[tuple[float, float | None, float | None]]] = {}
    for w in result.weeks:
        for v in w.plan.volume:
            if v.min is None and v.max is None:
                continue
            if v.unit not in values:
                units.append(v.unit)
                values[v.unit] = []
    for w in result.weeks:
        rows = {v.unit: v for v in w.plan.volume}
        for unit in units:
            v = rows.get(unit)
            values[unit].append((v.sets, v.min, v.max) if v is not None else (0.0, None, None))
    columns = [WeekColumn(w.week, w.block, w.deload) for w in result.weeks]
    return weekly_bars(units, columns, values)


def overview(result: ProgrammeResult) -> str:
    rows = []
    for w in result.weeks:
        entries = list(w.plan.entries())
        rows.append(
            (
                w.week,
                w.block,
                "deload" if w.deload else "training",
                ", ".join(w.rep_schemes) if w.rep_schemes else "any",
                sum(1 for d in w.plan.days if d.exercises),
                len({x.exercise for _, x in entries}),
                sum(x.sets for _, x in entries),
                num(sum(d.minutes_used for d in w.plan.days), 1),
                num(w.terms.get("shortfall", 0.0)),
            )
        )
    return table(["week", "block", "kind", "schemes", "sessions", "exercises", "sets", "minutes", "shortfall"], rows, numeric=(0, 1, 4, 5, 6, 7, 8))


def blocks(result: ProgrammeResult) -> str:
    rows = [
        (
            b.block,
            f"{b.weeks[0]}-{b.weeks[-1]}",
            len(b.exercises),
            "" if b.new_share is None else f"{len(b.new_exercises)} ({b.new_share:.0%})",
            ", ".join(b.new_exercises),
        )
        for b in result.blocks
    ]
    return table(["block", "weeks", "exercises", "new", "new exercises"], rows, numeric=(0, 2))


def render_programme_html(result: ProgrammeResult) -> str:
    """A self-contained HTML page of a programme: overview, volume by week, then each week (first open)."""
    extra = ""
    if result.first_plan_s is not None:
        extra = f'<p class="meta">First plan after {result.first_plan_s:.2f} s; {len(result.weeks)} weeks, {len(result.blocks)} block(s).</p>'
    parts = [summary(result, extra)]
    if result.weeks:
        parts.append(section("Volume by week, across blocks", volume_by_week(result), id="volume-by-week"))
        parts.append(section("Programme", overview(result), blocks(result), id="overview"))
        weeks = []
        for i, w in enumerate(result.weeks):
            title = f"Week {w.week} (block {w.block}{', deload' if w.deload else ''})"
            weeks.append(
                f'<details class="programme-week" data-week="{w.week}"{" open" if i == 0 else ""}><summary>{esc(title)}</summary>'
                f"{week_grid(w.plan)}<h3>Volume against that week's target</h3>{volume_chart(w.plan)}</details>"
            )
        parts.append(section("Weeks", *weeks, id="weeks"))
    if result.objective_terms:
        parts.append(section("Objective terms (summed over the weeks)", objective_table(result.objective_terms), id="objective"))
    return document(result.scenario, "programme", parts, footer=f"programme-optimiser {result.programme_optimiser_version}".strip())
