"""Typed results of a multi-week programme: one :class:`~optimizer.result.Plan` per week.

The JSON form of :class:`ProgrammeResult` is what ``programme solve --format json`` writes
for a scenario with ``weeks`` above 1 (``programme schema programme`` prints its JSON
Schema) and what ``programme check`` re-verifies, week by week and across weeks.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .limits import STRICT

from .result import Plan, RunSummary, Status


class _Model(BaseModel):
    model_config = STRICT  # strict types, finite numbers (optimizer.limits)


class ProgrammeWeek(_Model):
    week: int = Field(description="1-based week of the programme.")
    block: int = Field(description="1-based block the week belongs to.")
    deload: bool
    rep_schemes: list[str] | None = Field(None, description="The schemes the week's sets should use (progression.rep_schemes).")
    plan: Plan
    terms: dict[str, float] = Field(default_factory=dict, description="This week's objective terms, display units.")


class BlockSummary(_Model):
    block: int
    weeks: list[int]
    exercises: list[str] = Field(description="Exercises used in the block.")
    new_exercises: list[str] = Field(default_factory=list, description="Not used in the block before.")
    new_share: float | None = Field(None, description="Share of new exercises (required and pinned ones aside); null for the first block.")


class ProgrammeResult(RunSummary):
    """A programme: the summary (terms summed over the weeks) and one plan per week."""

    kind: Literal["programme"] = "programme"
    weeks: list[ProgrammeWeek] = Field(default_factory=list, description="Empty when there is no plan.")
    blocks: list[BlockSummary] = Field(default_factory=list)
    first_plan_s: float | None = Field(None, description="Seconds until the first complete plan.")

    @property
    def has_plan(self) -> bool:
        return self.status.has_plan and bool(self.weeks)


def block_summaries(weeks: list[ProgrammeWeek], exempt: set[str]) -> list[BlockSummary]:
    """Exercises per block and the share new to it (``exempt``: required and pinned ids)."""
    out: list[BlockSummary] = []
    previous: set[str] | None = None
    for b in sorted({w.block for w in weeks}):
        members = [w for w in weeks if w.block == b]
        used = sorted({x.exercise for w in members for _, x in w.plan.entries()})
        counted = [e for e in used if e not in exempt]
        new = [e for e in counted if previous is not None and e not in previous]
        share = None if previous is None else (round(len(new) / len(counted), 4) if counted else 1.0)
        out.append(BlockSummary(block=b, weeks=[w.week for w in members], exercises=used, new_exercises=new, new_share=share))
        previous = set(used)
    return out


def to_programme_result(scenario, catalogue, mp, outcome, params) -> ProgrammeResult:
    """Names, per-week plans and terms, block summaries, status, bound and gap."""
    from types import SimpleNamespace

    from .encoding.objective import term_info
    from .encoding.solve import _final_values
    from .progression import week_scenario, week_scheme_ids
    from .solver import build_plan, to_result

    # The single-week result builder already turns values and bounds into terms and a gap.
    summary = to_result(
        scenario,
        catalogue,
        mp.first,
        SimpleNamespace(status=outcome.status, values=outcome.values, bounds=outcome.bounds, placement=None, method=outcome.method, stats=outcome.stats),
        params,
    )
    weeks: list[ProgrammeWeek] = []
    if outcome.placements is not None:
        info = term_info(mp.first)
        for pw, placement in zip(mp.weeks, outcome.placements):
            sc_w = week_scenario(scenario, pw.spec)
            values = _final_values(pw.problem, placement)
            terms = {n: round(val / info[n].divisor, 4) for n, val in values.items() if n in info}
            if pw.preferred is not None:
                terms["schemes"] = float(
                    sum(s for e, _, k, s in placement if e not in mp.scheme_exempt and k not in pw.preferred)
                )
            weeks.append(
                ProgrammeWeek(
                    week=pw.spec.week,
                    block=pw.spec.block,
                    deload=pw.spec.deload,
                    rep_schemes=week_scheme_ids(scenario, pw.spec),
                    plan=build_plan(sc_w, catalogue, pw.problem, placement),
                    terms=terms,
                )
            )
    exempt = set(scenario.required) | {p.exercise for p in scenario.pinned}
    data = summary.model_dump(exclude={"plan"})
    data.update(kind="programme", weeks=weeks, blocks=block_summaries(weeks, exempt))
    if summary.status == Status.OPTIMAL:
        data["message"] = f"Proven optimal programme of {len(mp.weeks)} weeks."
    return ProgrammeResult.model_validate(data)
