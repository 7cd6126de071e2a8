"""Rendering an :class:`~optimizer.explain.Explanation` as a table, Markdown or JSON.

Same frames for table and Markdown, so both say the same thing; JSON is the model itself
(``Explanation.model_json_schema()``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .render import markdown_table, text_table

if TYPE_CHECKING:
    from .explain import Explanation

FORMATS = ("table", "markdown", "json")


def render_explanation(expl: Explanation, fmt: str) -> str:
    if fmt == "json":
        return expl.model_dump_json(indent=2) + "\n"
    import pandas as pd

    from .solver import FAMILY_LABELS

    md = fmt == "markdown"
    table = markdown_table if md else text_table
    out: list[str] = [f"# {expl.scenario}" if md else expl.scenario, f"Status: {expl.status.value}. {expl.message}"]

    def heading(text: str) -> None:
        out.append(f"\n## {text}\n" if md else f"\n{text}\n{'=' * len(text)}")

    def requirement_table(items) -> str:
        return table(
            pd.DataFrame(
                [{"requirement": c.label, "kind": FAMILY_LABELS.get(c.family, c.family), "where in the file": c.path} for c in items],
                columns=["requirement", "kind", "where in the file"],
            )
        )

    if expl.conflict:
        heading("Minimal conflict" if expl.conflict_minimal else "Conflict (not proven minimal)")
        out.append("These cannot all hold; drop or relax any one of them and the rest can.")
        out.append(requirement_table(expl.conflict))
    if expl.conflict or expl.repairs:
        heading("Ways out, fewest changes first (each verified by solving the changed scenario)")
        if not expl.repairs:
            out.append("(none found)")
        for r in expl.repairs:
            proof = "" if r.proven_cheapest else ", cheapest found, not proven"
            check = "verified" if r.verified else "NOT verified (time limit)" if r.status.value == "UNKNOWN" else f"NOT verified ({r.status.value})"
            out.append(f"{r.rank}. {r.text}  [cost {r.cost}{proof}; {check}]")
            for line in r.summary:
                out.append(f"   {line}")
    if expl.plan is not None:
        heading("The plan")
        out.extend(_plan_lines(expl))
        heading("Soft requirements not met")
        out.append(
            table(
                pd.DataFrame(
                    [{"requirement": u.label, "kind": u.kind, "amount": u.amount, "detail": u.detail, "where": u.path} for u in expl.unmet],
                    columns=["requirement", "kind", "amount", "detail", "where"],
                )
            )
            if expl.unmet
            else "None: every target, ratio and pairing is met."
        )
        heading("Hard requirements that bind")
        out.append(
            table(
                pd.DataFrame(
                    [{"requirement": b.label, "why": b.detail, "where": b.path} for b in expl.binding],
                    columns=["requirement", "why", "where"],
                )
            )
        )
        if expl.limits:
            heading("What keeps the unmet goals out of reach")
            out.append("These cannot all hold with the goals made hard; relax any one of them and the rest can.")
            out.append(requirement_table(expl.limits))
    out.append(f"\n(explained in {expl.wall_time_s:.2f} s)")
    return "\n".join(out) + "\n"


def _plan_lines(expl: Explanation) -> list[str]:
    from .explain import plan_summary

    lines = plan_summary(expl.plan)
    for t in expl.objective_terms:
        lines.append(f"{t.name}: {t.value:g} {t.unit}")
    return lines
