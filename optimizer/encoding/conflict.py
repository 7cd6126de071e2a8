"""Which constraint families conflict, for an infeasible problem.

A separate, deterministic solve (one worker, no objective), as conflict cores are only
reliable that way: every family's requirements share one assumption literal, and the
solver's sufficient assumptions name the families involved. ``programme explain`` goes
further, to single requirements and a minimal set.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..problem import Problem
from .solve import SolveParams, _solver, build


def families_in_conflict(problem: Problem, params: SolveParams, seconds: float = 5.0) -> list[str]:
    model, ctx, _ = build(problem, daily=True, guard_mode="family")
    names = sorted(ctx.literals)
    model.add_assumptions([ctx.literals[n] for n in names])
    solver = _solver(SolveParams(seed=params.seed), seconds, workers=1)
    if solver.solve(model) != cp_model.INFEASIBLE:
        return []
    core = set(solver.sufficient_assumptions_for_infeasibility())
    return [n for n in names if ctx.literals[n].index in core]
