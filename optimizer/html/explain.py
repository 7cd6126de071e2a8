"""The HTML report of ``programme explain``: the conflict and repairs, or what limits the plan.

Fed by :class:`~optimizer.explain.Explanation`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .page import document, esc, section, status_badge, table
from .week import objective_table, plan_sections

if TYPE_CHECKING:
    from ..explain import Explanation


def _requirements(items) -> str:
    from ..solver import FAMILY_LABELS  # the words the text report uses for each family

    rows = [(c.label, FAMILY_LABELS.get(c.family, c.family), c.path) for c in items]
    return table(["requirement", "kind", "where in the file"], rows, cls="conflict")


def render_explanation_html(expl: Explanation, muscle_groups=None) -> str:
    parts = [f'<header><h1>{esc(expl.scenario)}</h1><p class="meta">{status_badge(expl.status.value)} {esc(expl.message)}</p></header>']
    if expl.conflict:
        title = "Minimal conflict" if expl.conflict_minimal else "Conflict (not proven minimal)"
        parts.append(section(title, "<p>These cannot all hold; drop or relax any one of them and the rest can.</p>", _requirements(expl.conflict), id="conflict"))
    if expl.conflict or expl.repairs:
        items = []
        for r in expl.repairs:
            proof = "" if r.proven_cheapest else ", cheapest found, not proven"
            check = "verified" if r.verified else f"NOT verified ({r.status.value})"
            days = "".join(f"<li>{esc(line)}</li>" for line in r.summary)
            items.append(f'<li class="repair"><b>{esc(r.text)}</b> <span class="muted">[cost {r.cost}{esc(proof)}; {esc(check)}]</span><ul>{days}</ul></li>')
        body = f"<ol>{''.join(items)}</ol>" if items else '<p class="muted">(none found)</p>'
        parts.append(section("Ways out, fewest changes first (each verified by solving the changed scenario)", body, id="repairs"))
    if expl.plan is not None:
        parts += plan_sections(expl.plan, muscle_groups)
        unmet = [(u.label, u.kind, u.amount, u.detail, u.path) for u in expl.unmet]
        parts.append(
            section(
                "Soft requirements not met",
                table(["requirement", "kind", "amount", "detail", "where"], unmet, numeric=(2,)) if unmet else "<p>None: every target, ratio and pairing is met.</p>",
                id="unmet",
            )
        )
        parts.append(section("Hard requirements that bind", table(["requirement", "why", "where"], [(b.label, b.detail, b.path) for b in expl.binding]), id="binding"))
        if expl.limits:
            parts.append(section("What keeps the unmet goals out of reach", _requirements(expl.limits), id="limits"))
    if expl.objective_terms:
        parts.append(section("Objective terms", objective_table(expl.objective_terms), id="objective"))
    return document(f"Explained: {expl.scenario}", "explanation", parts, footer=f"explained in {expl.wall_time_s:.2f} s")
