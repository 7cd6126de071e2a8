"""The calendar of a multi-week programme: blocks, training and deload weeks, scaled targets.

Pure scenario arithmetic (no catalogue, no solver), shared by the solver-ready
:mod:`optimizer.programme` and the renderers. The independent checker recomputes the
same targets its own way (:mod:`optimizer.programme_checker`). The blocks themselves
(:func:`~optimizer.scenario.blocks_of`) and the rules a valid ``progression`` obeys live
with the schema, :mod:`optimizer.scenario`, which checks them when a scenario is loaded.

Rules, exactly (README "Multi-week programmes"):

- the programme is ``weeks`` long and cut into blocks (``progression.blocks``: one block
  of every week by default); the last ``deload.weeks`` weeks of every block are deload
  weeks, the others training weeks;
- training week ``t`` (0-based within its block) of a block with volume ``v`` has targets
  ``v x factors[t] x (min, max)``, or ``v x (min + t x sets_per_week, max + ...)``;
- a deload week has targets ``v x deload.factor x (min, max)`` (the base targets, not the
  ramped ones), and at most ``deload.factor`` of the sets of its block's last training week;
- rounded to hundredths of a set.
"""

from __future__ import annotations

from dataclasses import dataclass

from .scenario import Scenario, Target, blocks_of, deload_weeks


@dataclass(frozen=True)
class WeekSpec:
    week: int  # 1-based
    block: int  # 1-based
    index_in_block: int  # 0-based
    training_index: int | None  # 0-based among the block's training weeks; None for a deload week
    volume: float  # the block's volume factor

    @property
    def deload(self) -> bool:
        return self.training_index is None


def week_specs(sc: Scenario) -> list[WeekSpec]:
    out = []
    n_deload = deload_weeks(sc)
    week = 1
    for b_index, block in enumerate(blocks_of(sc), start=1):
        n_train = block.weeks - n_deload
        for i in range(block.weeks):
            out.append(WeekSpec(week, b_index, i, i if i < n_train else None, block.volume))
            week += 1
    return out


def _scaled(x: float | None, factor: float, add: float = 0.0) -> float | None:
    return None if x is None else round(factor * (x + add), 2)


def week_targets(sc: Scenario, spec: WeekSpec) -> dict[str, Target]:
    """The targets of one week, ramped or deloaded."""
    pr = sc.progression
    out = {}
    for unit, t in sc.targets.items():
        factor, add = spec.volume, 0.0
        if spec.deload:
            factor *= pr.deload.factor  # type: ignore[union-attr]
        elif pr is not None and pr.ramp is not None:
            if pr.ramp.factors is not None:
                factor *= pr.ramp.factors[spec.training_index]
            else:
                step = pr.ramp.sets_per_week
                per = step.get(unit, 0.0) if isinstance(step, dict) else step
                add = per * spec.training_index
        out[unit] = t.model_copy(
            update={"min": _scaled(t.min, factor, add), "max": _scaled(t.max, factor, add), "point": _scaled(t.point, factor, add)}
        )
    return out


def week_scheme_ids(sc: Scenario, spec: WeekSpec) -> list[str] | None:
    """The rep schemes a week's sets should use, or None when any will do."""
    pr = sc.progression
    if pr is None or pr.rep_schemes is None:
        return None
    weeks = pr.rep_schemes.weeks
    return list(weeks[min(spec.index_in_block, len(weeks) - 1)])


def week_scenario(sc: Scenario, spec: WeekSpec) -> Scenario:
    """The single-week scenario of one week of the programme (its targets scaled)."""
    return sc.model_copy(
        update={"targets": week_targets(sc, spec), "weeks": 1, "progression": None, "name": f"{sc.name}, week {spec.week}"}
    )
