"""Stage B: stage A's weekly totals put on days (:mod:`.solve`), then the days balanced.

A small feasibility model with the exact day-level rules. Each chosen total is an
assumption, so an infeasible placement names, in its core, the totals that cannot be
placed together: the no-good cut the loop in :mod:`.solve` adds to stage A.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..problem import Problem, circular_hours
from .context import Context
from .families import REGISTRY
from .families.spread import TWICE
from .runtime import PLACE_GRACE_S, SolveParams, _solver
from .stages import _hint, _seed_values
from .term_values import _final_values
from .variables import DailyVars, weekly_totals


def placement_of(v, solver) -> list[tuple[int, int, int, int]]:
    """A daily container's solution as a placement: (exercise, day, scheme, sets) per item done."""
    return [(e, d, k, solver.value(v.sets[e, d, k])) for (e, d, k) in v.sets if solver.value(v.on[e, d, k])]


def chosen_totals(ctx, v, solution) -> tuple[dict, dict]:
    """A stage-A solution as stage B takes it: (exercise, day class, scheme) -> (sets,
    sessions), and group -> the days stage A claims it is trained on (``spread``)."""
    chosen = {key: (solution.value(v.sets[key]), solution.value(v.sessions[key])) for key in v.sets}
    claims = {g: solution.value(days) for g, days in ctx.spread_days.items()}
    return chosen, claims


def require_totals(model, v, keys, sets: int, sessions: int, name: str):
    """A literal that, when true, makes the daily ``keys`` carry exactly ``sets`` sets over
    ``sessions`` sessions: stage A's choice, as an assumption stage B can report in a core."""
    lit = model.new_bool_var(name)
    model.add(sum(v.sets[key] for key in keys) == sets).only_enforce_if(lit)
    model.add(sum(v.on[key] for key in keys) == sessions).only_enforce_if(lit)
    return lit


def place(
    problem: Problem, chosen: dict, params: SolveParams, seconds: float, spread: dict | None = None, balance=True,
    shrink: bool = True, hint=None,
):
    """Stage B: put stage A's weekly totals on days. Returns (placement, core keys).

    ``spread``: group -> the days stage A counted it trained on (families.spread); each
    claim is an assumption too, keyed ``("spread", group)`` in the core. ``shrink``: make
    the core minimal (a cut's strength; an early plan needs none). ``hint``: a placement
    known to meet the totals (:func:`rebalanced`), to start from.
    """
    model = cp_model.CpModel()
    ctx = Context(model, problem)
    chosen_items = {(e, c, k) for (e, c, k), (_, n) in chosen.items() if n}
    v = DailyVars(model, problem, only=chosen_items)
    for fam in REGISTRY:
        if hasattr(fam, "daily"):
            fam.daily(ctx, v)
    assumptions = {}
    for g, days in (spread or {}).items():
        if days > 0:
            lit = model.new_bool_var(f"spread[{g}]")
            model.add(ctx.spread_days[g] >= days).only_enforce_if(lit)
            assumptions[lit.index] = ("spread", g)
    for (e, c, k), (sets, sessions) in chosen.items():
        if sessions == 0:
            continue  # not modelled: DailyVars has only the chosen items
        keys = [key for key in v.items(e) if key[2] == k and problem.days[key[1]].cls == c]
        lit = require_totals(model, v, keys, sets, sessions, f"place[{e},{c},{k}]")
        assumptions[lit.index] = (e, c, k)
    model.add_assumptions([model.get_bool_var_from_proto_index(i) for i in assumptions])
    for var, value in (_seed_values(v, hint) if hint else {}).items():
        model.add_hint(var, value)
    solver = _solver(params, seconds, workers=1, grace=PLACE_GRACE_S)
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if BALANCE_DAYS and balance:
            solver = _balance_days(model, ctx, v, problem, params, solver, seconds)
        return placement_of(v, solver), None
    if status == cp_model.INFEASIBLE:
        core = [i for i in solver.sufficient_assumptions_for_infeasibility() if i in assumptions] or list(assumptions)
        core = _shrink(model, params, sorted(core), seconds) if shrink else core
        return None, [assumptions[i] for i in core]
    return None, None


def rebalanced(problem: Problem, placement, params: SolveParams, seconds: float):
    """``placement`` (a day-level model's plan) with its days balanced and spaced as stage B
    balances a two-stage plan: the same weekly totals per exercise, day class and scheme,
    each targeted group on as many days (up to the two the spread term counts), so every
    term keeps its value. ``placement`` itself when no such layout turns up in time.

    The day-level model (the fallback after the cut rounds) keeps the first layout its
    canonical solve finds. Of 100 batch athletes, 27 weeks were the day-level model's:
    rebalanced, 9 got another layout, 6 of them a less full fullest day (98 -> 88 % of
    its minutes; 96 -> 89 %), every term the same in all 27 (benchmarks/README.md).
    """
    loaded: dict = {}
    for e, d, _, _ in placement:
        for g in problem.exercises[e].primary_groups:
            loaded.setdefault(g, set()).add(d)
    for d, g in problem.preloaded:
        loaded.setdefault(g, set()).add(d)
    claims = {g: min(TWICE, len(loaded.get(g, ()))) for g in problem.spread_groups}
    chosen = weekly_totals(problem, placement)
    out, _ = place(problem, chosen, params, seconds, claims, balance=True, shrink=False, hint=placement)
    if out is None or _final_values(problem, out) != _final_values(problem, placement):
        return placement
    return out


BALANCE_DAYS = True  # stage B prefers, among placements of the weekly totals, the least packed fullest day
BALANCE_DTIME = 0.5  # deterministic seconds it may spend on that (then it keeps the best so far)
SPACING_H = 72  # among layouts as balanced, sessions loading one muscle group at least this far apart
# Without the LP: the totals are fixed, and propagation alone proves the least fullest day
# 5-15x sooner (captured models of the examples and near-duplicate weeks: gym 0.149 ->
# 0.011 s, near-duplicate gym 0.176 -> 0.023 s; the same least fullest day in each).
BALANCE_LINEARIZATION = 0


def _balance_days(model, ctx, v, problem: Problem, params: SolveParams, found, seconds: float):
    """A placement of the same totals whose fullest day (its share of the day's minutes)
    is least, starting from ``found``; ``found`` itself if the search finds no better.

    Every objective term depends on weekly totals only, so any placement of stage A's
    totals is equally optimal; left to itself the search packed one day to the brim and
    left another nearly empty (gym example: Thursday 43 of 45 minutes, Saturday 15 of 60).
    A coach spreads the work. Among layouts with that fullest day, the one with fewest pairs
    of sessions of a muscle group under :data:`SPACING_H` apart (:func:`_close_sessions`).
    Capped in deterministic time, so the plan does not depend on the machine's load; the
    weekly totals, and so every term, stay as they were.
    """
    peak = model.new_int_var(0, 1000, "fullest_day")
    for d in problem.days:
        keys = v.day_items(d.index)
        if not keys or d.budget_s <= 0:
            continue
        work = sum(v.item_seconds(key) for key in keys) - ctx.saved.get(d.index, 0) + d.warmup_s * v.trained[d.index]
        model.add(d.budget_s * peak >= 1000 * work)
    close = _close_sessions(model, v, problem)
    model.minimize((len(close) + 1) * peak + sum(close))  # the fullest day first, then the spacing
    _hint(model, found, [*v.sets.values(), *v.on.values(), *v.trained.values()])
    solver = _solver(params, seconds, workers=1, grace=PLACE_GRACE_S)  # the wall clock is only the safety net
    solver.parameters.max_deterministic_time = min(solver.parameters.max_deterministic_time or BALANCE_DTIME, BALANCE_DTIME)
    if "linearization_level" not in params.extra:
        solver.parameters.linearization_level = BALANCE_LINEARIZATION
    status = solver.solve(model)
    model.clear_objective()
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else found


def _close_sessions(model, v, problem: Problem) -> list:
    """Per muscle group and pair of days less than :data:`SPACING_H` apart, a literal that is 1
    when both days load the group (an exercise for which it is primary, or the athlete's own
    upper-body session).

    The recovery rule sets the least gap the user allows; among layouts as balanced, a coach
    spaces a muscle's sessions further where the week lets them: the home example's band
    squats on Monday and Friday rather than Wednesday and Friday.
    """
    out = []
    for g in sorted({g for ex in problem.exercises for g in ex.primary_groups}):
        loads = {}
        for d in problem.days:
            keys = [key for key in v.day_items(d.index) if g in problem.exercises[key[0]].primary_groups]
            if (d.index, g) in problem.preloaded:
                loads[d.index] = 1
            elif keys:
                loads[d.index] = model.new_bool_var(f"loads[{g},{d.name}]")
                model.add_max_equality(loads[d.index], [v.on[key] for key in keys])
        days = sorted(loads)
        for i, a in enumerate(days):
            for b in days[i + 1:]:
                if circular_hours(problem.days[a].weekday, problem.days[b].weekday) < SPACING_H:
                    both = model.new_bool_var(f"close[{g},{problem.days[a].name},{problem.days[b].name}]")
                    model.add(both >= loads[a] + loads[b] - 1)
                    out.append(both)
    return out


def _shrink(model, params: SolveParams, core: list[int], seconds: float) -> list[int]:
    """Deletion filter: drop each member whose absence keeps the rest unplaceable.

    Smaller cores make stronger cuts; placement models are small, so this is cheap.
    """
    kept = list(core)
    for i in list(core):
        trial = [j for j in kept if j != i]
        if not trial:
            continue
        model.clear_assumptions()
        model.add_assumptions([model.get_bool_var_from_proto_index(j) for j in trial])
        solver = _solver(params, min(seconds, 1.0), workers=1)
        if solver.solve(model) == cp_model.INFEASIBLE:
            kept = trial
    return kept
