"""Solving: an exact two-stage decomposition, with the monolithic model as a fallback.

Why (PERFORMANCE.md): a monolithic day-level model cannot prove optimality even for 20
exercises, because of the many equivalent ways to spread sets across days. Every
objective term depends only on weekly totals per exercise, day class and rep scheme, so:

Stage A (:class:`~.variables.WeeklyVars`) chooses those totals, with the day-level rules
replaced by valid relaxations (capacities summed per class, recovery through a chosen set
of far-apart days). Its optimum is a lower bound on the true optimum.

Stage B places the chosen totals on days: a small feasibility model with the exact
day-level rules. If it succeeds, the plan's value equals stage A's bound, so it is
optimal. If not, the solver's infeasibility core names the stage-A items that cannot be
placed together; a no-good cut forbids that combination and stage A runs again. (The cut
is valid because placement only gets harder as work is added.)

If the loop has not converged when its share of the time is used, the monolithic
day-level model gets the rest of the time, and stage A's bound is reported beside it.

Reproducibility: multi-worker CP-SAT may return any of several equally good solutions.
Stage values, once proven, are canonical; the plan is then found by a one-worker solve
with those values fixed, and placed by a one-worker solve: same seed, same plan.
"""

from __future__ import annotations

import contextvars
import time

from ortools.sat.python import cp_model

from ..problem import Problem
from ..progress import note as _note
from . import scheme_phase
from .objective import ORDER, collect_terms, plan_key, weighted_sum
from .term_values import _final_values  # noqa: F401 - re-exported: callers import it from here
from .context import Context
from .families import REGISTRY
from .runtime import (  # noqa: F401 - re-exported: callers import these from here
    _CLOCKS, _STOP, DET_PER_S, DETERMINISTIC, FEASIBLE, INFEASIBLE, OPTIMAL, PLACE_GRACE_S, UNKNOWN, Observer,
    Outcome, SolveParams, Stop, _Clock, _solver, clock_for, current_stop, new_solver, watched,
)
from .stages import (  # noqa: F401 - re-exported: callers import these from here
    CANON_PRESOLVE, TIE_BREAKS, _floor, _hint, _probe_floors, _seed_values, build, optimise,
)
from .variables import DailyVars
MAX_ROUNDS = 8  # cut rounds before the monolithic model takes over: budgets tight
# enough to need many cuts (bin packing the aggregate cannot see) leave the day-level
# model small enough to prove quickly (PERFORMANCE.md, "tight budgets")
LOOP_SHARE = 0.6  # of the time limit the decomposition may use before the fallback


def placement_of(v, solver) -> list[tuple[int, int, int, int]]:
    """A daily container's solution as a placement: (exercise, day, scheme, sets) per item done."""
    return [(e, d, k, solver.value(v.sets[e, d, k])) for (e, d, k) in v.sets if solver.value(v.on[e, d, k])]


def require_totals(model, v, keys, sets: int, sessions: int, name: str):
    """A literal that, when true, makes the daily ``keys`` carry exactly ``sets`` sets over
    ``sessions`` sessions: stage A's choice, as an assumption stage B can report in a core."""
    lit = model.new_bool_var(name)
    model.add(sum(v.sets[key] for key in keys) == sets).only_enforce_if(lit)
    model.add(sum(v.on[key] for key in keys) == sessions).only_enforce_if(lit)
    return lit


def place(
    problem: Problem, chosen: dict, params: SolveParams, seconds: float, spread: dict | None = None, balance=True,
    shrink: bool = True,
):
    """Stage B: put stage A's weekly totals on days. Returns (placement, core keys).

    ``spread``: group -> the days stage A counted it trained on (families.spread); each
    claim is an assumption too, keyed ``("spread", group)`` in the core. ``shrink``: make
    the core minimal (a cut's strength; an early plan needs none).
    """
    model = cp_model.CpModel()
    ctx = Context(model, problem)
    v = DailyVars(model, problem)
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
            continue  # switched off with every other unchosen item just below
        keys = [key for key in v.items(e) if key[2] == k and problem.days[key[1]].cls == c]
        lit = require_totals(model, v, keys, sets, sessions, f"place[{e},{c},{k}]")
        assumptions[lit.index] = (e, c, k)
    chosen_items = {(e, c, k) for (e, c, k), (_, n) in chosen.items() if n}
    for key in v.on:
        e, d, k = key
        if (e, problem.days[d].cls, k) not in chosen_items:
            model.add(v.on[key] == 0)
    model.add_assumptions([model.get_bool_var_from_proto_index(i) for i in assumptions])
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


BALANCE_DAYS = True  # stage B prefers, among placements of the weekly totals, the least packed fullest day
BALANCE_DTIME = 0.5  # deterministic seconds it may spend on that (then it keeps the best so far)


def _balance_days(model, ctx, v, problem: Problem, params: SolveParams, found, seconds: float):
    """A placement of the same totals whose fullest day (its share of the day's minutes)
    is least, starting from ``found``; ``found`` itself if the search finds no better.

    Every objective term depends on weekly totals only, so any placement of stage A's
    totals is equally optimal; left to itself the search packed one day to the brim and
    left another nearly empty (gym example: Thursday 43 of 45 minutes, Saturday 15 of 60).
    A coach spreads the work. Capped in deterministic time, so the plan does not depend on
    the machine's load; the weekly totals, and so every term, stay as they were.
    """
    peak = model.new_int_var(0, 1000, "fullest_day")
    for d in problem.days:
        keys = v.day_items(d.index)
        if not keys or d.budget_s <= 0:
            continue
        work = sum(v.item_seconds(key) for key in keys) - ctx.saved.get(d.index, 0) + d.warmup_s * v.trained[d.index]
        model.add(d.budget_s * peak >= 1000 * work)
    model.minimize(peak)
    _hint(model, found, [*v.sets.values(), *v.on.values(), *v.trained.values()])
    solver = _solver(params, seconds, workers=1, grace=PLACE_GRACE_S)  # the wall clock is only the safety net
    solver.parameters.max_deterministic_time = min(solver.parameters.max_deterministic_time or BALANCE_DTIME, BALANCE_DTIME)
    status = solver.solve(model)
    model.clear_objective()
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else found


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


def _add_nogood(model, ctx, v, cut: list[tuple]) -> None:
    """Forbid stage-A solutions with, for every item in ``cut``, the same sessions and at
    least as many sets (and, for a spread claim ``(("spread", g), days, None)``, at least
    as many days for the group).

    Valid because, with the sessions fixed, more sets only make some session longer:
    dropping sets from a placement keeps it a placement, so if ``sets`` cannot be placed,
    no larger number can. (More sessions can help packing, so sessions must match.) A
    claim of more days is only harder to realise than one of fewer, but more work can
    realise it: stage B switched every item stage A did not choose off, so a claim's cut
    also lets any of those loading the group come on (``sessions`` of a spread claim: the
    keys of those items). Without that escape the cut forbade plans that add an exercise
    on another day (a home-and-gym week was "proven" with a group on one day).
    """
    escapes = []
    for key, sets, sessions in cut:
        if key[0] == "spread":
            lower = model.new_bool_var("")
            model.add(ctx.spread_days[key[1]] <= sets - 1).only_enforce_if(lower)
            escapes.append(lower)
            for item in sessions:
                on = model.new_bool_var("")
                model.add(v.sessions[item] >= 1).only_enforce_if(on)
                escapes.append(on)
            continue
        if key not in v.sets:
            return  # that item cannot repeat: nothing to forbid
        fewer = model.new_bool_var("")
        model.add(v.sets[key] <= sets - 1).only_enforce_if(fewer)
        other = model.new_bool_var("")
        model.add(v.sessions[key] != sessions).only_enforce_if(other)
        escapes += [fewer, other]
    model.add_bool_or(escapes)


def _unchosen_members(problem: Problem, chosen: dict, group: str) -> tuple:
    """Stage-A items stage A left off whose exercise loads ``group`` (primary)."""
    return tuple(key for key, (_, n) in chosen.items() if n == 0 and group in problem.exercises[key[0]].primary_groups)


def solve_problem(problem: Problem, params: SolveParams, hint=None) -> Outcome:
    """Solve ``problem`` exactly when time allows; see the module docstring.

    ``hint`` (optional): a valid placement [(exercise, day, scheme, sets)] to start from,
    e.g. the plan for a subset of this problem's equipment. It seeds stage A (its weekly
    totals satisfy every relaxation and no-good cut) and the fallback.
    """
    clock = clock_for(params)
    with clock.running():
        if scheme_phase.applies(problem):
            outcome = scheme_phase.solve_in_two_phases(problem, params, hint, clock, _solve_problem)
        else:
            outcome = _solve_problem(problem, params, hint, clock)
    if clock.wall_cut():
        outcome.stats["wall_cut"] = True
    return outcome


def _solve_problem(
    problem: Problem, params: SolveParams, hint, clock: _Clock, fixed: dict | None = None,
    rounds: int | None = None, draft: bool = False,
) -> Outcome:
    """The two-stage loop (at most ``rounds`` rounds), then the fallback; ``fixed``: see
    :func:`.stages.optimise`. ``draft``: no canonical solve and no day balancing (a plan
    that only needs its terms, phase 1 of :mod:`.scheme_phase`)."""
    hint_values = _final_values(problem, hint) if hint else None
    stats: dict = {"rounds": 0, "cuts": 0, "solves": 0}
    cuts: list[list] = []
    first_bounds: dict[str, int] | None = None
    proven_before: dict[str, int] | None = None
    t0 = time.perf_counter()
    rounds = MAX_ROUNDS if rounds is None else rounds
    while stats["rounds"] < rounds and clock.left(LOOP_SHARE) > 0:
        stats["rounds"] += 1
        tb = time.perf_counter()
        model, ctx, v = build(problem, daily=False)
        for cut in cuts:
            _add_nogood(model, ctx, v, cut)
        stats["build_s"] = stats.get("build_s", 0) + time.perf_counter() - tb
        seed = (_seed_values(v, hint), hint_values) if hint else None
        early: list = []  # a plan from round one's first stage (_early_plan)
        hooks = (None, None)
        if stats["rounds"] == 1 and hint is None and fixed is None:
            hooks = _early_plan(problem, params, clock, ctx, v, early)
        status, solver, values, bounds = optimise(
            problem, model, ctx, v, params, clock, LOOP_SHARE, stats, seed=seed, lower=proven_before, fixed=fixed,
            draft=draft, on_first_solution=hooks[0], on_stage=hooks[1],
        )
        if early:
            hint, hint_values = early[0], _final_values(problem, early[0])
            stats["first_plan_s"] = round(early[1] - t0, 4)
        # A cut only removes stage-A solutions: a proven round's values bound the next one's.
        proven_before = dict(values) if status == OPTIMAL else None
        if first_bounds is None:
            first_bounds = dict(bounds)
        if status == INFEASIBLE:
            stats["stage_a_s"] = time.perf_counter() - t0
            return Outcome(INFEASIBLE, None, stats=stats, method="two-stage")
        if solver is None:
            break
        chosen = {key: (solver.value(v.sets[key]), solver.value(v.sessions[key])) for key in v.sets}
        claims = {g: solver.value(days) for g, days in ctx.spread_days.items()}
        _note(f"placing the weekly totals on days (round {stats['rounds']})")
        placement, core = place(problem, chosen, params, max(0.05, clock.left()), claims, balance=not draft)
        if placement is not None:
            values = _final_values(problem, placement)
            if params.observer is not None:
                params.observer.solution("plan", "placed", values)
            if status == OPTIMAL:
                bounds = dict(values)
            stats["wall_s"] = time.perf_counter() - t0
            return Outcome(status, placement, values, bounds, "two-stage", stats)
        if core is None:
            break
        cuts.append([(key, claims[key[1]], _unchosen_members(problem, chosen, key[1])) if key[0] == "spread" else (key, *chosen[key])
                     for key in core])
        stats["cuts"] += 1
    if clock.stopped:
        return _known(problem, hint, first_bounds or {}, stats)
    outcome = _fallback(problem, params, clock, stats, first_bounds or {}, hint, fixed, draft, proven_before)
    if outcome.placement is None and outcome.status != INFEASIBLE:
        return _known(problem, hint, outcome.bounds, stats)
    return outcome


def _known(problem: Problem, placement, bounds: dict, stats: dict) -> Outcome:
    """The plan known before the time ran out (a hint, or the quick plan), else no plan."""
    if placement is None:
        return Outcome(UNKNOWN, None, bounds=bounds, stats=stats)
    return Outcome(FEASIBLE, placement, _final_values(problem, placement), bounds, "two-stage (first plan only)", stats)


QUICK_SHARE = 0.1  # of the time left, at most, for the quick plan
QUICK_MAX_S = 0.3  # and at most this many seconds


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


def _early_plan(problem: Problem, params: SolveParams, clock: _Clock, ctx, v, out: list):
    """Hooks for stage A's first round: the weekly totals of its first solution, and then
    those of its first stage's optimum (the least shortfall), each placed on days at once,
    or, when they do not fit the days, a quick plan from the day-level model
    (:func:`_quick_plan`). ``out`` holds [the better placement, when it was first had].

    Where the days are tight, the first plan otherwise waited for every stage of round
    one, then for the cut rounds and the fallback (4-7 s on the stored tight instances,
    against HiGHS's 0.4-0.7 s). The first solution gives a plan soonest; the first stage's
    optimum a better one to hint the rounds and the fallback with (with the first alone,
    two tight instances ended worse at 10 s). Where the days are not tight, round one's own
    plan comes a few stages later and each try costs one small placement (balance off, no
    shrinking). Returns (on_first_solution, on_stage)."""
    tries = [0]

    def attempt(solver) -> None:
        if tries[0] >= 2:
            return
        tries[0] += 1
        chosen = {key: (solver.value(v.sets[key]), solver.value(v.sessions[key])) for key in v.sets}
        claims = {g: solver.value(days) for g, days in ctx.spread_days.items()}
        seconds = min(QUICK_MAX_S, max(0.05, QUICK_SHARE * clock.left()))
        placement, core = place(problem, chosen, params, seconds, claims, balance=False, shrink=False)
        if placement is None and core is not None:
            placement = _quick_plan(problem, params, clock, chosen)
        if placement is None:
            return
        values = _final_values(problem, placement)
        key = plan_key(problem.objective, values)
        if out and key >= out[2]:
            return
        out[:] = [placement, out[1] if out else time.perf_counter(), key]
        if params.observer is not None:
            params.observer.solution("plan", "early", values)

    def on_stage(solver) -> None:
        if tries[0] == 1:  # once, after the first stage
            attempt(solver)
        tries[0] = 2

    # CP-SAT may call a solution callback from a thread of its own: the attempt runs in a
    # copy of this thread's context, so the command's Stop (Ctrl-C, the deadline) and the
    # clocks govern its solves as they govern the search's.
    context = contextvars.copy_context()
    return (lambda solution: context.run(attempt, solution)), on_stage


def _quick_plan(problem: Problem, params: SolveParams, clock: _Clock, chosen: dict):
    """A plan soon where stage A's weekly totals do not fit the days: the day-level model
    with the first objective stage only (the weighted sum for a weighted objective), hinted
    with those totals spread over the days (:func:`_spread_hint`), for a short time; its
    best placement, or None.

    Tight budgets need several cut rounds and often the day-level model after them, so the
    first plan came only seconds later (4-7 s on the stored tight instances, against HiGHS's
    0.4-0.7 s). This one is kept if nothing better comes, and hints the rounds and the
    fallback, whose optimisation never ends worse than a hint.
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
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return placement_of(v, solver)


def _fallback(problem, params, clock, stats, a_bounds, hint=None, fixed=None, draft=False, lower=None) -> Outcome:
    """The monolithic day-level model with whatever time is left; stage A's bound stands.
    ``draft``: see :func:`.stages.optimise`. ``lower``: the term values of the last stage-A
    round proven optimal: every day-level plan meets that round's relaxation and its cuts,
    so they bound the day-level stages as :func:`.stages.optimise` describes."""
    model, ctx, v = build(problem, daily=True)
    seed = (_seed_values(v, hint), _final_values(problem, hint)) if hint else None
    status, solver, values, bounds = optimise(problem, model, ctx, v, params, clock, 1.0, stats, seed=seed, fixed=fixed, draft=draft, lower=lower)
    stats["fallback"] = True
    if status == INFEASIBLE:
        return Outcome(INFEASIBLE, None, stats=stats, method="monolithic")
    if solver is None:
        return Outcome(UNKNOWN, None, bounds=a_bounds, stats=stats, method="monolithic")
    placement = placement_of(v, solver)
    values = _final_values(problem, placement)
    merged = {n: max(bounds.get(n, 0), a_bounds.get(n, 0)) for n in values}
    final = OPTIMAL if status == OPTIMAL else FEASIBLE
    return Outcome(final, placement, values, merged, "monolithic (two-stage did not converge)", stats)
