"""Every quality term at its floor at once: one feasibility solve that proves many stages.

:func:`probe_floors` is the probe :func:`.stages.optimise` runs before its stages;
:func:`objective_floor` is the least value a model's objective can take over its
variables' domains alone, which proves a stage whose plan in hand already has it.
"""

from __future__ import annotations

import math
import time

from ortools.sat.python import cp_model

from .runtime import _STOP, DET_PER_S, SolveParams, _solver

PROBE_DTIME = 0.05  # deterministic seconds the all-at-floor probe may spend before giving up
PROBE_SHARE = 0.2  # and at most this share of the time left (its presolve is not in that count)


def probe_floors(
    model, stages: list, params: SolveParams, seconds: float, lows: list[int] | None = None,
    dtime: float = PROBE_DTIME, share: float = PROBE_SHARE,
):
    """(A solution with the longest prefix of stage terms it can find at their floors (see
    :func:`objective_floor`), or None; that prefix's length).

    In most plans every quality term is 0. One feasibility solve that asks for all of them
    at once then proves every one of those stages (each is at its least possible value),
    where the stages one by one would pay a search and a presolve each. When that is
    proven impossible, the stages before the one that is not at its floor still usually
    are: the longest such prefix is found from the cores of the infeasible probes (each
    stage's floor is its own assumption; CP-SAT names the ones that conflict), or by
    bisection where a core tells nothing new, and its solution proves those stages the
    same way (the gym week, whose isolation term is 4: two probes for five zero stages
    that cost a solve each; four by bisection alone). Each probe is capped in
    deterministic time (so the outcome does not depend on the machine's load); one that
    gives up ends the search, and the stages not proven run one by one as before.

    ``dtime`` and ``share``: each probe's cap in deterministic seconds, and the share of
    ``seconds`` all of them may use (a programme's model takes larger ones).

    ``lows``: each stage's earlier bound where one is known (``lower`` in
    :func:`.stages.optimise`: the day-level fallback knows stage A's proven values, a round
    after a cut the round before's). A prefix at those bounds is as proven as one at the floors;
    without them the probe could not prove a stage whose optimum is above 0 (pairing_soft
    in tests/test_decomposition.py: 2 searches with them against 9).
    """
    if len(stages) < 2 or _STOP.get() is not None and _STOP.get().stopped:
        return None, 0
    floors = []
    for (_, expr), low in zip(stages, lows or [0] * len(stages)):
        model.minimize(expr)
        floors.append(max(math.floor(objective_floor(model)), low))
    model.clear_objective()
    budget = [seconds * share]
    lits = [model.new_bool_var(f"probe_floor[{i}]") for i in range(len(stages))]
    for (_, expr), low, lit in zip(stages, floors, lits):
        model.add(expr <= low).only_enforce_if(lit)

    def probe(k: int):
        model.add_assumptions(lits[:k])
        solver = _solver(params, max(0.05, budget[0]))
        solver.parameters.max_deterministic_time = min(solver.parameters.max_deterministic_time or dtime, dtime)
        t0 = time.perf_counter()
        status = solver.solve(model)
        # Deterministic budgets count the probes' deterministic time, so that how many
        # probes run, and with them the plan, does not depend on the machine's load.
        budget[0] -= solver.deterministic_time / DET_PER_S if params.deterministic else time.perf_counter() - t0
        model.clear_assumptions()
        return status, solver

    status, solver = probe(len(stages))
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver, len(stages)
    # Infeasible. The stages of the core CP-SAT names cannot all be at their floors, so no
    # prefix that holds the last of them can: the next probe asks for the prefix just
    # before it (the gym week: 2 probes where a bisection took 4). Where the core tells
    # nothing new (it may name every stage), a bisection over prefixes. A prefix of lo
    # stages holds (trivially for 0); one of hi does not.
    best, lo, hi = None, 0, len(stages)
    while status == cp_model.INFEASIBLE and hi - lo > 1 and budget[0] > 0:
        last = max(_core(solver, lits), default=hi)
        if lo < last < hi - 1:
            hi, mid = last + 1, last
        else:
            mid = (lo + hi) // 2
        status, solver = probe(mid)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            best, lo, status, solver = solver, mid, cp_model.INFEASIBLE, None  # keep bisecting
        elif status == cp_model.INFEASIBLE:
            hi = mid
    return best, lo


def _core(solver, lits) -> list[int]:
    """Positions in ``lits`` of the probe literals CP-SAT found infeasible together."""
    if solver is None:
        return []
    at = {lit.index: i for i, lit in enumerate(lits)}
    return [at[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in at]


def objective_floor(model) -> float:
    """The least value ``model``'s objective can take over its variables' domains alone."""
    obj = model.proto.objective
    low = obj.offset
    for ref, coef in zip(obj.vars, obj.coeffs):
        var, coef = (ref, coef) if ref >= 0 else (-ref - 1, -coef)
        domain = list(model.proto.variables[var].domain)  # (the proto's list takes no negative index)
        low += coef * (domain[0] if coef > 0 else domain[-1])
    return low
