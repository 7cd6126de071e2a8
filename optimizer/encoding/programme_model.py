"""The programme model: one CP-SAT model over the weeks, and the value of a plan.

Each week gets its own variable container and :class:`~.context.Context` over the shared
model, and every single-week family runs on it unchanged (so every weekly rule holds in
every week); the cross-week families of :mod:`.programme_families` then tie the weeks
together. :func:`build` makes stage A, the monolithic model or one block's placement;
:func:`programme_values` recomputes a plan's objective terms from the problem data. The
solving strategy that uses them is :mod:`.programme` (and :mod:`.programme_hint`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..programme import MultiWeekProblem, PBlock
from .context import Context
from .families import REGISTRY as WEEK_REGISTRY
from .families import symmetry as week_symmetry
from .objective import collect_terms, plan_key, weighted_coefficients
from .programme_families import REGISTRY as PROGRAMME_REGISTRY
from .programme_families import stability
from .runtime import check_time
from .solve import _final_values
from .variables import DailyVars, WeeklyVars

# Every weekly family but symmetry, which orders copies in each week: not exact across
# weeks (rotation, stability); programme_families.symmetry orders them once instead.
REGISTRY = tuple(f for f in WEEK_REGISTRY if f is not week_symmetry)


@dataclass
class ProgrammeContext:
    """The shared model, the problem, one variable container per week present."""

    model: cp_model.CpModel
    mp: MultiWeekProblem
    daily: bool
    ctx: Context  # programme-level requirements and soft terms
    vars: dict[int, object] = field(default_factory=dict)  # week index -> WeeklyVars | DailyVars
    week_ctx: dict[int, Context] = field(default_factory=dict)

    def blocks_present(self) -> list[PBlock]:
        return [b for b in self.mp.blocks if all(w in self.vars for w in b.weeks)]

    def terms(self) -> dict[str, object]:
        """Every objective term, summed over the weeks."""
        out: dict[str, object] = {}
        for w, v in self.vars.items():
            for name, expr in collect_terms(self.week_ctx[w], v).items():
                out[name] = out.get(name, 0) + expr
        for name, exprs in self.ctx.terms.items():
            out[name] = out.get(name, 0) + sum(exprs)
        return {n: e for n, e in out.items() if not isinstance(e, int)}

    def all_vars(self) -> list:
        out = []
        for v in self.vars.values():
            out += [*v.sets.values(), *getattr(v, "sessions", {}).values(), *getattr(v, "on", {}).values(), *v.used.values()]
        return out


def build(mp: MultiWeekProblem, daily: bool, weeks=None, placement_only: bool = False, guard_mode: str = "off"):
    """The programme model over ``weeks`` (default all): stage A, monolithic, or one block's placement.

    The model of every week stops with :class:`~.runtime.OutOfTime` at Ctrl-C or the
    command's deadline (a block's, for placing a plan found, always completes)."""
    model = cp_model.CpModel()
    pc = ProgrammeContext(model, mp, daily, Context(model, mp.first, guard_mode))
    for w in weeks if weeks is not None else range(len(mp.weeks)):
        if weeks is None:
            check_time()  # every week's model takes seconds to build: not past the deadline
        p = mp.weeks[w].problem
        ctx = Context(model, p, guard_mode)
        v = DailyVars(model, p) if daily else WeeklyVars(model, p)
        for fam in REGISTRY:
            if not placement_only and hasattr(fam, "aggregate"):
                fam.aggregate(ctx, v)
            step = getattr(fam, "daily" if daily else "weekly", None)
            if step:
                step(ctx, v)
        pc.vars[w], pc.week_ctx[w] = v, ctx
    for fam in (stability,) if placement_only else PROGRAMME_REGISTRY:
        fam.add(pc)
    return model, pc


def programme_values(mp: MultiWeekProblem, placements) -> dict[str, int]:
    """Objective terms of a programme, recomputed from the problem data (internal units)."""
    out: dict[str, int] = {}
    for pw, placement in zip(mp.weeks, placements):
        for name, value in _final_values(pw.problem, placement).items():
            out[name] = out.get(name, 0) + value
    if any(pw.preferred is not None for pw in mp.weeks):
        off = sum(
            s
            for pw, placement in zip(mp.weeks, placements)
            if pw.preferred is not None
            for e, _, k, s in placement
            if e not in mp.scheme_exempt and k not in pw.preferred
        )
        out["schemes"] = off
        if "weighted" in out:
            out["weighted"] += weighted_coefficients(mp.first)["schemes"] * off
    return out


def _key(mp: MultiWeekProblem, values: dict[str, int]) -> tuple:
    """Ordering of plans by their term values (smaller is better)."""
    return plan_key(mp.first.objective, values)
