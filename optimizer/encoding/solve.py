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

import math
import time

from ..problem import Problem
from ..progress import note as _note
from . import scheme_phase
from .early_plan import EarlyPlan
from .objective import lex_bounds, lex_prefix
from .placement import chosen_totals, place, placement_of, rebalanced, require_totals  # noqa: F401 - re-exported: callers import them from here
from .term_values import _final_values  # noqa: F401 - re-exported: callers import it from here
from .runtime import (  # noqa: F401 - re-exported: callers import these from here
    _CLOCKS, _STOP, DET_PER_S, DETERMINISTIC, FEASIBLE, INFEASIBLE, OPTIMAL, PLACE_GRACE_S, UNKNOWN, Observer,
    Outcome, SolveParams, Stop, _Clock, _solver, clock_for, current_stop, new_solver, watched,
)
from .stages import (  # noqa: F401 - re-exported: callers import these from here
    CANON_PRESOLVE, TIE_BREAKS, _hint, _seed_values, build, optimise,
)

MAX_ROUNDS = 8  # cut rounds before the monolithic model takes over: budgets tight
# enough to need many cuts (bin packing the aggregate cannot see) leave the day-level
# model small enough to prove quickly (PERFORMANCE.md, "tight budgets")
LOOP_SHARE = 0.6  # of the time limit the decomposition may use before the fallback


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


def _widen(problem: Problem, params: SolveParams, clock: _Clock, ctx, v, held: list):
    """For :func:`.stages.optimise`: whether the tie-break stage may use the whole time
    limit rather than the loop's share. The share keeps time for the day-level model in
    case the round's totals do not fit the days; once the totals the tie-breaks start from
    (every quality term at its proven value) are placed, that plan is in hand (``held``)
    and nothing needs the time: the imported catalogue's gym week, at 30 s, stopped at
    18 s unproven, where its tie-breaks are proven in 15-27 s of search."""

    def widen(solution) -> bool:
        chosen, claims = chosen_totals(ctx, v, solution)
        placement, _ = place(problem, chosen, params, max(0.05, min(WIDEN_PLACE_S, clock.left())), claims, shrink=False)
        if placement is None:
            return False
        held[:] = [placement]
        return True

    return widen


WIDEN_PLACE_S = 0.5  # seconds, at most, to place the totals the tie-breaks start from


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
    rounds: int | None = None, draft: bool = False, round_s: float | None = None,
) -> Outcome:
    """The two-stage loop (at most ``rounds`` rounds), then the fallback; ``fixed``: see
    :func:`.stages.optimise`. ``draft``: no canonical solve and no day balancing (a plan
    that only needs its terms, phase 1 of :mod:`.scheme_phase`). ``round_s``: each round's
    stages and placement get at most these seconds, the fallback all that is left (a
    round worth a try but not worth the loop's share of the time: :mod:`.scheme_phase`)."""
    hint_values = _final_values(problem, hint) if hint else None
    stats: dict = {"rounds": 0, "cuts": 0, "solves": 0}
    cuts: list[list] = []
    first_bounds: dict[str, int] | None = None
    proven_before: dict[str, int] | None = None
    t0 = time.perf_counter()
    rounds = MAX_ROUNDS if rounds is None else rounds
    while stats["rounds"] < rounds and clock.left(1.0 if round_s else LOOP_SHARE) > 0:  # a capped round needs no share
        stats["rounds"] += 1
        tb = time.perf_counter()
        model, ctx, v = build(problem, daily=False)
        for cut in cuts:
            _add_nogood(model, ctx, v, cut)
        stats["build_s"] = stats.get("build_s", 0) + time.perf_counter() - tb
        seed = (_seed_values(v, hint), hint_values) if hint else None
        early = None  # a plan soon from round one (.early_plan)
        if stats["rounds"] == 1 and hint is None and fixed is None and params.early_plan:
            early = EarlyPlan(problem, params, clock, ctx, v)
        round_clock = clock.part(most=round_s) if round_s else clock  # running already when not capped
        held: list = []  # the plan the tie-breaks start from, where it places (see _widen)
        with round_clock.running():
            status, solver, values, bounds = optimise(
                problem, model, ctx, v, params, round_clock, 1.0 if round_s else LOOP_SHARE, stats, seed=seed,
                lower=proven_before, fixed=fixed, draft=draft,
                on_first_solution=early and early.on_first_solution, on_stage=early and early.on_stage,
                widen=None if round_s or draft else _widen(problem, params, clock, ctx, v, held),
            )
        if early is not None and early.plan is not None:
            hint, hint_values = early.plan, _final_values(problem, early.plan)
            stats["first_plan_s"] = round(early.found_at - t0, 4)
        if held:
            # Placed before the tie-breaks took the time kept for the fallback: the loop
            # and the fallback start from it, and never end worse.
            hint, hint_values = held[0], _final_values(problem, held[0])
        if clock.enough and hint is not None:
            break  # the caller has the plan it wanted: no placing of the round it stopped
        # A cut only removes stage-A solutions: a proven round's values bound the next one's.
        proven_before = dict(values) if status == OPTIMAL else None
        if first_bounds is None:
            first_bounds = lex_prefix(values, bounds)
        if status == INFEASIBLE:
            stats["stage_a_s"] = time.perf_counter() - t0
            return Outcome(INFEASIBLE, None, stats=stats, method="two-stage")
        if solver is None:
            break
        chosen, claims = chosen_totals(ctx, v, solver)
        _note(f"placing the weekly totals on days (round {stats['rounds']})")
        placement, core = place(problem, chosen, params, max(0.05, min(round_s or math.inf, clock.left())), claims, balance=not draft)
        if placement is not None:
            values = _final_values(problem, placement)
            if params.observer is not None:
                params.observer.solution("plan", "placed", values)
            if round_s and status != OPTIMAL and not clock.stopped:
                # A capped round cut short: its plan is in hand (the day-level model starts
                # from it and never ends worse), and the rest of the time may prove better.
                hint = placement
                break
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
    values = _final_values(problem, placement)
    return Outcome(FEASIBLE, placement, values, lex_bounds(values, {}, bounds), "two-stage (first plan only)", stats)


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
    if not draft:
        placement = rebalanced(problem, placement, params, max(0.05, clock.left()))
    values = _final_values(problem, placement)
    merged = lex_bounds(values, bounds, a_bounds)
    final = OPTIMAL if status == OPTIMAL else FEASIBLE
    return Outcome(final, placement, values, merged, "monolithic (two-stage did not converge)", stats)
