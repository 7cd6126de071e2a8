"""A first plan soon, from stage A's first round (:mod:`.solve`).

Where the days are tight, the first plan otherwise waited for every stage of round one,
then for the cut rounds and the fallback (4-7 s on the stored tight instances, against
HiGHS's 0.4-0.7 s). So the weekly totals of round one's first solution, and then those of
its first stage's optimum (the least shortfall), are placed on days at once (balance off,
no shrinking), or, where they do not fit, a short solve of the day-level model gives the
plan (:func:`_quick_plan`). The first solution gives a plan soonest; the first stage's
optimum a better one to hint the rounds and the fallback with (with the first alone, two
tight instances ended worse at 10 s). Where the days are not tight, round one's own plan
comes a few stages later and each try costs one small placement.

Deferring the tries to a timer (none for a week proven within 0.25 s) was measured and
dropped: 29 batch athletes took the same CPU time (27.3-30.1 s against 27.5 s), and the
tight instances' first plans came at 0.63-0.72 s instead of 0.16-0.56 s.
"""

from __future__ import annotations

import contextvars
import time

from ortools.sat.python import cp_model

from ..problem import Problem
from ..progress import note as _note
from .objective import ORDER, collect_terms, plan_key, weighted_sum
from .placement import chosen_totals, place, placement_of
from .runtime import SolveParams, _Clock, _solver
from .stages import build
from .term_values import _final_values
from .variables import DailyVars

QUICK_SHARE = 0.1  # of the time left, at most, for the quick plan
QUICK_MAX_S = 0.3  # and at most this many seconds
TRIES = 2  # the first solution's totals, then the first stage's optimum


class EarlyPlan:
    """Hooks for stage A's first round (``on_first_solution``, ``on_stage``: see
    :func:`.stages.optimise`). ``plan`` is then the better placement found, ``found_at``
    when the first was had (``time.perf_counter()``), else both None."""

    def __init__(self, problem: Problem, params: SolveParams, clock: _Clock, ctx, v):
        self.problem, self.params, self.clock, self.ctx, self.v = problem, params, clock, ctx, v
        self.plan = self.found_at = self._key = None
        self._tries = 0
        # CP-SAT may call a solution callback from a thread of its own: the try runs in a
        # copy of this thread's context, so the command's Stop (Ctrl-C, the deadline) and
        # the clocks govern its solves as they govern the search's.
        self._context = contextvars.copy_context()

    def on_first_solution(self, solution) -> None:
        self._context.run(self._try, solution)

    def on_stage(self, solver) -> None:
        if self._tries == 1 and not (self.clock.enough and self.plan is not None):  # once, after the first stage
            self._try(solver)
        self._tries = TRIES

    def _try(self, solution) -> None:
        if self._tries >= TRIES:
            return
        self._tries += 1
        chosen, claims = chosen_totals(self.ctx, self.v, solution)
        problem, params, clock = self.problem, self.params, self.clock
        seconds = min(QUICK_MAX_S, max(0.05, QUICK_SHARE * clock.left()))
        placement, core = place(problem, chosen, params, seconds, claims, balance=False, shrink=False)
        if placement is None and core is not None:
            placement = _quick_plan(problem, params, clock, chosen, on_first=self._keep)
        if placement is not None:
            self._keep(placement)

    def _keep(self, placement) -> None:
        """Keep ``placement`` if it is the first plan or better than the one kept."""
        values = _final_values(self.problem, placement)
        key = plan_key(self.problem.objective, values)
        if self.plan is not None and key >= self._key:
            return
        self.plan, self._key = placement, key
        self.found_at = self.found_at or time.perf_counter()
        if self.params.observer is not None:
            self.params.observer.solution("plan", "early", values)


def _spread_hint(problem: Problem, v: DailyVars, chosen: dict) -> dict:
    """Stage A's weekly totals spread over their class's days as a hint for the day-level
    model: each item's sessions on the days with the most minutes left, its sets shared
    out evenly (capped at what a session holds). It need not fit: CP-SAT repairs a hint."""
    left = {d.index: d.capacity_s for d in problem.days}
    out = {var: 0 for var in (*v.sets.values(), *v.on.values())}
    used: set[int] = set()
    for (e, c, k), (sets, sessions) in sorted(chosen.items(), key=lambda item: -item[1][0]):
        if not sessions:
            continue
        ex = problem.exercises[e]
        days = sorted((key for key in v.items(e) if key[2] == k and problem.days[key[1]].cls == c and out[v.on[key]] == 0),
                      key=lambda key: -left[key[1]])[:sessions]
        for i, key in enumerate(days):
            n = min(v.most[key], sets // len(days) + (i < sets % len(days)))
            out[v.on[key]], out[v.sets[key]] = 1, n
            left[key[1]] -= ex.setup_s + n * ex.seconds(k)
            used.add(e)
    for e, var in v.used.items():
        out[var] = int(e in used)
    for d, var in v.trained.items():
        out[var] = int(left[d] < problem.days[d].capacity_s)
    return out


class _First(cp_model.CpSolverSolutionCallback):
    """Hands the first solution of a day-level search, as a placement, to ``hook``."""

    def __init__(self, v, hook):
        super().__init__()
        self.v, self.hook = v, hook

    def on_solution_callback(self) -> None:
        if self.hook is not None:
            hook, self.hook = self.hook, None
            hook(placement_of(self.v, self))


def _quick_plan(problem: Problem, params: SolveParams, clock: _Clock, chosen: dict, on_first=None):
    """A plan soon where stage A's weekly totals do not fit the days: the day-level model
    with the first objective stage only (the weighted sum for a weighted objective), hinted
    with those totals spread over the days (:func:`_spread_hint`), for a short time; its
    best placement, or None.

    Tight budgets need several cut rounds and often the day-level model after them, so the
    first plan came only seconds later (4-7 s on the stored tight instances, against HiGHS's
    0.4-0.7 s). This one is kept if nothing better comes, and hints the rounds and the
    fallback, whose optimisation never ends worse than a hint. ``on_first(placement)``
    is told of its first solution at once, while it searches on for a better one (the
    tight gym50 week: the first plan at 0.14 s rather than at the end of its 0.2 s).
    """
    model, ctx, v = build(problem, daily=True)
    terms = collect_terms(ctx, v)
    if problem.objective == "weighted":
        model.minimize(weighted_sum(problem, terms))
    else:
        first = next((n for n in ORDER if n in terms), None)
        if first is not None:
            model.minimize(terms[first])
    for var, value in _spread_hint(problem, v, chosen).items():
        model.add_hint(var, value)
    _note("a first plan on the day-level model")
    solver = _solver(params, min(QUICK_MAX_S, QUICK_SHARE * clock.left()))
    # Presolve off: with a hint it found the tight weighted instance's first plan in 0.13 s
    # against 0.50 s, and a better one in 3 s (PERFORMANCE.md: a hint is the cure).
    solver.parameters.cp_model_presolve = False
    status = solver.solve(model, _First(v, on_first) if on_first is not None else None)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return placement_of(v, solver)
