"""A complete programme plan built block by block: the early plan and the hint.

PERFORMANCE.md: on big multi-week models presolve is the wall and a feasible hint is the
cure. This plan satisfies every rule by construction (when each small solve succeeds):

1. per block, the exact single-week solver (:func:`.solve.solve_problem`, on the week
   pruned as a single week is) plans the block's first training week, with the previous
   block's exercises (required and pinned ones aside) left out, so rotation holds at any
   share;
2. every week of the block is then dosed on that week's day pattern: training weeks on
   exactly that pattern, deload weeks on a subset of it; this is the programme model of
   the block (so ramped targets, the deload cap, scheme preferences and every weekly rule
   apply) with most sessions fixed off, which is small: one solve of the weighted
   objective.

If a block's first week cannot be planned without the previous block's exercises it is
planned with them (rotation may then fail and the model repairs the hint); a week that
cannot be dosed is left out of the hint.

From the limit where the quality plan follows it (``QUALITY_MIN_S``), the early plan need
only come soon: each reference week's solve stops at its first plan that meets every
target, and each dose at its first solution; a solve so stopped (:meth:`.runtime.Stop.satisfied`)
places nothing more. On twelve weeks of the imported catalogue the first plan came at
1.5-2.3 s rather than 3.5-3.8 s (medians of 3 seeds, several runs: benchmarks/README.md).
"""

from __future__ import annotations

import time
from dataclasses import replace

from ..progress import note
from .solve import FEASIBLE, INFEASIBLE, UNKNOWN, Observer, SolveParams, Stop, clock_for, solve_problem
from .variables import weekly_totals

REF_OF_SHARE = 0.7  # of a block's share of the construction's time, for its reference week at most
HINT_SHARE = 0.8  # of the time limit the first construction may use at most (a plan comes first)
# Seconds per solve, as shares of the time limit within bounds: the early plan should come
# within about 2 s (issue 6).
REF_S = (0.04, 0.3, 0.4)  # the first week of a block (exact single-week solver, cut short)
DOSE_S = (0.02, 0.15, 0.2)  # dosing a block's weeks on that pattern
# The quality plan, built at once after it when the limit allows: each reference week given
# the time to be proven. At the 12-week example's own 10 s the early plan was the answer
# (stage A rarely converges in the rest), and a reference week cut at 0.4 s, mid-way through
# its lexicographic stages, gave a week no coach would sign: bodyweight box squats and calf
# raises for an advanced lifter in a full gym, 12-30 effective sets short over the season on
# two seeds of three. Proven (about 1.1 s each), the three seeds give one plan (see
# benchmarks/README.md). Its share of the limit was 0.5 while the early plan took 2.5-3.5 s
# of a 10 s limit; it came down to about 1.3 s (first plans only, below), and at 0.5 the
# quality plan's reference weeks, cut at 1.1 s on twelve imported weeks, were often not
# proven: a run with coverage 12-21 and targets missed. So it has 0.7.
QUALITY_MIN_S = 6.0
QUALITY_SHARE = 0.7
QUALITY_REF_S = (0.2, 0.3, 2.0)
QUALITY_DOSE_S = (0.03, 0.15, 0.5)
# The second, better plan when the limit allows (a week cut short at 0.4 s on an imported
# catalogue costs about twice the minutes of its optimum, proven in about 1.3 s).
BETTER_MIN_S = 20.0  # from this time limit (below, the stage-A loop makes better use of it)
# Up to this one: with more, stage A (started from the quality plan, every variable hinted)
# settles every quality term and the better plan is never the answer, while its 5-8 s are
# what the tie-break stage's bound needs. Twelve imported weeks at 60 s, six seeds, each
# beside the tree with it: median gap 2.6 % without it against 3.05 %; at 30 s stage A
# does not get that far and the better plan stays (benchmarks/README.md).
BETTER_MAX_S = 45.0
BETTER_SHARE = 0.45
BETTER_REF_S = (0.05, 0.6, 3.0)
BETTER_DOSE_S = (0.01, 0.2, 0.6)


LEX_WEIGHTS = {
    "shortfall": 10**9, "balance": 10**7, "pairing": 10**6, "coverage": 10**6, "schemes": 10**5,
    "ineffective": 10**3, "overshoot": 10**4, "preferences": 10**3, "isolation": 10**3, "form": 10**2, "rep_range": 10**2, "minutes": 10, "exercises": 1,
}


def _seconds(limit: float, share_lo_hi: tuple[float, float, float], left: float) -> float:
    share, lo, hi = share_lo_hi
    return max(0.05, min(left, max(lo, min(hi, share * limit))))


def _without(problem, exercises: set[int]):
    """``problem`` with ``exercises`` blocked (indices unchanged, so plans line up)."""
    return replace(
        problem,
        exercises=tuple(replace(ex, blocked=ex.blocked + ("excluded by the athlete",)) if ex.index in exercises else ex for ex in problem.exercises),
    )


def _solve_pruned(problem, avoid: set[int], params: SolveParams):
    """The exact single-week solver on ``problem`` without ``avoid`` (required and pinned
    exercises stay), pruned first (:mod:`optimizer.pruning`); the placement comes back in
    ``problem``'s indices.

    The single-week pruning is not exact for a programme (:mod:`optimizer.programme_pruning`
    is), but a plan over fewer exercises is still a valid plan: here it only makes the
    early plan, on an imported catalogue of hundreds of exercises, come sooner.
    """
    from ..pruning import prune, restrict

    special = set(problem.required) | {pin.exercise for pin in problem.pins}
    keep = [ex.index for ex in problem.exercises if ex.index not in avoid or ex.index in special]
    small = prune(restrict(problem, keep, ()))
    outcome = solve_problem(small, params)
    if outcome.placement is not None and small is not problem:
        back = {ex.id: ex.index for ex in problem.exercises}
        outcome.placement = [(back[small.exercises[e].id], d, k, s) for e, d, k, s in outcome.placement]
    return outcome


class _EnoughPlan(Observer):
    """Stops the solve it watches at its first plan meeting every target."""

    def __init__(self, stop):
        self.stop = stop

    def solution(self, kind: str, stage: str, values: dict) -> None:
        if kind == "plan" and not values.get("shortfall", 1):
            self.stop.satisfied()


def _first_plan(problem, avoid: set[int], params: SolveParams):
    """:func:`_solve_pruned`, stopped at its first plan that meets every target."""
    stop = Stop()
    with stop.governing():
        return _solve_pruned(problem, avoid, replace(params, observer=_EnoughPlan(stop)))


def _preferred(mp, pw):
    """Week ``pw`` where every exercise with one of the week's preferred schemes keeps only those."""
    from ..programme import _restrict_schemes

    if pw.preferred is None:
        return pw
    return replace(pw, problem=_restrict_schemes(pw.problem, pw.preferred, mp.scheme_exempt, lenient=True))


def _dose_block(mp, block, pattern: set[tuple[int, int]], params: SolveParams, seconds: float, prefer: bool = True,
                first_only: bool = False):
    """Every week of ``block`` on ``pattern`` (deload weeks: a subset); one weighted solve.

    ``first_only``: stop at the first solution.
    Returns (placements per week or None, status)."""
    from ortools.sat.python import cp_model

    from .programme_model import build
    from .solve import _solver, placement_of

    # Only the pattern's exercises (and required and pinned ones) are modelled: a small model.
    from ..programme_pruning import restrict_programme

    first = mp.first
    keep = sorted({e for e, _ in pattern} | set(first.required) | {pin.exercise for pin in first.pins})
    mp = restrict_programme(mp, keep)
    pattern = {(keep.index(e), d) for e, d in pattern}
    # Each week's sets in its own rep schemes where the exercise has one: the schemes term
    # is then zero by construction, and the model smaller.
    if prefer:
        mp = replace(mp, weeks=tuple(_preferred(mp, pw) if pw.index in block.weeks else pw for pw in mp.weeks))
    model, pc = build(mp, daily=True, weeks=block.weeks)
    for w in block.weeks:
        v, p, subset = pc.vars[w], mp.weeks[w].problem, w in block.deload
        for ex in p.exercises:
            for d in p.days:
                on = v.on_day(ex.index, d.index)
                want = int((ex.index, d.index) in pattern)
                if isinstance(on, int):
                    if want and not subset:
                        return None, INFEASIBLE
                    continue
                model.add(on <= want if subset else on == want)
    # One solve, the lexicographic order approximated by weights far apart (internal units:
    # 1/scale set of shortfall, 1/(100 scale) of balance, sets, seconds, exercises).
    model.minimize(sum(LEX_WEIGHTS[n] * e for n, e in pc.terms().items()))
    solver = _solver(params, seconds)
    solver.parameters.stop_after_first_solution = first_only
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, INFEASIBLE if status == cp_model.INFEASIBLE else UNKNOWN
    return {w: [(keep[e], d, k, n) for e, d, k, n in placement_of(pc.vars[w], solver)] for w in block.weeks}, FEASIBLE


def _params(params: SolveParams, seconds: float) -> SolveParams:
    return replace(params, time_limit_s=seconds, extra=dict(params.extra), log=False, observer=None, wall_limit_s=None)


def _patient(attempt, done, seconds: float, clock):
    """``attempt(seconds)`` until ``done`` says it did not just run out of time, doubling
    the time while the budget lasts (a loaded machine needs more); None when it is spent."""
    while True:
        out = attempt(seconds)
        if done(out):
            return out
        left = clock.left()
        if left <= 0.05 or _halted():
            return None
        seconds = min(2 * seconds, left)


def _halted() -> bool:
    """Ctrl-C (a :class:`~.solve.Stop`): no more attempts; the Python work between them takes seconds."""
    from .solve import current_stop

    stop = current_stop()
    return stop is not None and stop.stopped


def _plan_block(mp, block, ref: int, previous: set[int], params: SolveParams, ref_s, dose_s, clock,
                prefer: bool = True, share: float | None = None, first_only: bool = False):
    """Block ``block`` on the pattern of week ``ref`` planned alone: {week: placement} or None.

    ``prefer``: each week's sets in its preferred rep schemes where the exercise has one.
    ``share``: the seconds this block may take, so that every block gets its turn (the
    reference week at most 70 % of it)."""
    t0 = time.perf_counter()
    left = clock.left()
    if left <= 0 or _halted():
        return None
    share = left if share is None else min(left, share)
    sub = _params(params, _seconds(params.time_limit_s, ref_s, REF_OF_SHARE * share))
    # Stopped at its first plan that meets every target (about 0.2-0.3 s on the imported
    # catalogue), the reference week may have all of the block's share for it: cut at the
    # usual 0.4 s it often had no plan yet and started again.
    ref_params = _params(params, REF_OF_SHARE * share) if first_only else sub
    rotation = previous - mp.rotation_exempt if mp.min_new_pct else set()
    # Exercises with no wanted scheme in some week of the block would cost scheme
    # penalties on a fixed pattern: leave them out too, if that still leaves a plan.
    off_scheme = {
        ex.index
        for w in block.weeks
        if mp.weeks[w].preferred is not None
        for ex in mp.weeks[w].problem.exercises
        if ex.index not in mp.scheme_exempt and not set(ex.schemes) & set(mp.weeks[w].preferred)
    }
    outcome = None
    tries = [rotation | off_scheme, rotation, set()]
    for avoid in [a for i, a in enumerate(tries) if a not in tries[:i]]:
        if outcome is not None and outcome.placement is not None:
            break
        week = _preferred(mp, mp.weeks[ref]) if prefer else mp.weeks[ref]
        solve = _first_plan if first_only else _solve_pruned
        outcome = _patient(lambda sec: solve(week.problem, avoid, _params(params, sec)),
                           lambda o: o.placement is not None or o.status == INFEASIBLE, ref_params.time_limit_s, clock)
        if outcome is None:
            return None
    if outcome.placement is None:
        return None
    pattern = {(e, d) for e, d, _, _ in outcome.placement}
    left = min(clock.left(), max(0.05, share - (time.perf_counter() - t0)))
    dosed = _patient(lambda sec: _dose_block(mp, block, pattern, sub, sec, prefer, first_only), lambda o: o[1] != UNKNOWN,
                     _seconds(params.time_limit_s, dose_s, left), clock)
    return None if dosed is None else dosed[0]


def _block_key(mp, dosed: dict) -> tuple:
    """How good a block's weeks are (smaller is better), as plans are compared."""
    from .programme_model import _key, programme_values

    weeks = sorted(dosed)
    return _key(mp, programme_values(replace(mp, weeks=tuple(mp.weeks[w] for w in weeks)), [dosed[w] for w in weeks]))


PASSES = {  # pass: (share of the limit, reference-week seconds, dosing seconds)
    "early": (HINT_SHARE, REF_S, DOSE_S),
    "quality": (QUALITY_SHARE, QUALITY_REF_S, QUALITY_DOSE_S),
    "better": (BETTER_SHARE, BETTER_REF_S, BETTER_DOSE_S),
}


def greedy_plan(mp, params: SolveParams, stats: dict, mode: str = "early", most_s: float | None = None) -> list | None:
    """Placements per week (every week), or None when some week could not be built.

    ``mode``: ``early`` (a plan first), ``quality`` (each reference week given the time to
    be proven) or ``better``: each week given more time, and each
    block planned on its heaviest training week's pattern as well as its first's (the
    lighter weeks may carry a pattern made for more sets better than the other way round),
    the better of the two kept. A block planned in the weeks' preferred schemes that misses
    a target, the balance or the pairing is planned again in any scheme. ``most_s``: the
    seconds the whole programme has left, a cap on the pass's share."""
    t0 = time.perf_counter()
    share, ref_s, dose_s = PASSES[mode]
    seconds = params.time_limit_s * share if most_s is None else min(most_s, params.time_limit_s * share)
    clock = clock_for(params, seconds)
    with clock.running():
        return _greedy_plan(mp, params, stats, t0, ref_s, dose_s, clock, mode)


def _greedy_plan(mp, params, stats, t0, ref_s, dose_s, clock, mode) -> list | None:
    better = mode == "better"
    placements: dict[int, list] = {}
    previous: set[int] = set()
    for i, block in enumerate(mp.blocks):
        share = clock.left() / (len(mp.blocks) - i)  # what is left, shared by the blocks to come
        note(f"{'an early' if mode == 'early' else 'a ' + mode} plan, block {block.index + 1} of {len(mp.blocks)}")
        refs = dict.fromkeys([block.training[-1], block.training[0]] if better else [block.training[0]])
        best = None
        for ref in refs:
            for prefer in (True, False) if better else (True,):
                dosed = _plan_block(mp, block, ref, previous, params, ref_s, dose_s, clock, prefer, share,
                                    first_only=mode == "early" and params.time_limit_s >= QUALITY_MIN_S)
                if dosed is not None and (best is None or _block_key(mp, dosed) < _block_key(mp, best)):
                    best = dosed
                # Only the week's schemes is the better start unless it misses a target,
                # the balance or the pairing (a small catalogue may need other schemes).
                if best is not None and not any(_block_key(mp, best)[:3]):
                    break
        if best is None:
            return None
        placements.update(best)
        previous = {e for w in block.weeks for e, *_ in placements[w]}
    stats["greedy_s" if mode == "early" else f"{mode}_s"] = round(time.perf_counter() - t0, 4)
    return [placements[w] for w in range(len(mp.weeks))]


def hint_stage_a(model, pc, placements) -> None:
    """Hint the weekly (stage A) variables with a day-level programme plan."""
    model.clear_hints()
    for w, v in pc.vars.items():
        totals = weekly_totals(pc.mp.weeks[w].problem, placements[w])
        for key in v.sets:
            sets, sessions = totals.get(key, (0, 0))
            model.add_hint(v.sets[key], sets)
            model.add_hint(v.sessions[key], sessions)
        used = {e for e, *_ in placements[w]}
        for e, var in v.used.items():
            model.add_hint(var, int(e in used))
