"""Rep schemes last: the terms before ``rep_range`` solved with each exercise's quickest scheme.

Under goal best_training a set credits the same volume in any scheme, so every term
before ``rep_range`` (shortfall to preferences) sees a set's scheme only through its
length, and the quickest scheme serves them best: swapping a set to it keeps every rule
and no such term grows (the exchange argument of :func:`optimizer.pruning.quickest_schemes`).
Their lexicographic optimum is therefore the same when each exercise keeps its quickest
scheme alone: phase 1 solves that model, one scheme per exercise, as fast as before the
term existed, as a draft (no day balancing, its minutes and exercises not searched: only
its terms and a plan to hint with are needed, and phase 2 optimises the tie-breaks; its
weekly totals are canonical on several workers, as whether they fit the days decides
phase 2's rounds: :func:`.stages.optimise`). Phase 2 solves the whole
problem (main schemes too) with those terms fixed at that optimum
(``optimise(fixed=...)``: every lexicographically optimal plan has them), hinted with
phase 1's plan, so only ``rep_range`` and the tie-breaks are searched.

Measured on a tight two-day week (tests/test_pruning.py ``two_short_days``, 1 worker):
one model with both schemes took 10.8 s to prove; the two phases 2.3 s (0.63 s before
the term existed: where the days are tight, how many sets must be quick to fit them is
a packing question of its own).

When phase 1 is not proven, its values are fixed all the same (its plan meets them, so
phase 2 never ends worse than it) and the result is FEASIBLE, with phase 1's bounds. Not
for weighted objectives (the terms trade against each other), supersets (a scheme's rest
changes which pairs fit, so pruning keeps every scheme there) or other goals (no
rep_range term).
"""

from __future__ import annotations

from dataclasses import replace

from .objective import ORDER, WASTE
from .runtime import FEASIBLE, OPTIMAL, Outcome, _Clock
from .term_values import _final_values

PHASE1_SHARE = 0.7  # of the time left, at most, for phase 1; phase 2 has the rest
PHASE1_ROUNDS = 1  # cut rounds in phase 1 before the day-level model (see solve_in_two_phases)
PHASE2_ROUNDS = 2  # the same in phase 2
FALLBACK_ROUND_S = 0.5  # phase 2's one weekly round after phase 1's day-level model: its cap


def applies(problem) -> bool:
    """Whether the problem has a rep_range term the two phases can put last."""
    return (
        problem.goal == "best_training"
        and problem.objective != "weighted"
        and not problem.supersets
        and problem.rep_range_term
        and any(k != ex.main_scheme for ex in problem.exercises for k in ex.schemes)
    )


def _merged_stats(first: dict, second: dict) -> dict:
    """Both phases' counts added up (solves, rounds, cuts, skipped stages, build time),
    phase 1's probe outcome, and phase 1's own figures under ``phase1``."""
    out = {**first, **second}
    for k in ("rounds", "cuts", "solves", "skipped", "build_s"):
        if k in first or k in second:
            out[k] = first.get(k, 0) + second.get(k, 0)
    if "probe" in first:
        out["probe"] = first["probe"]
    out["phase1"] = {k: first[k] for k in ("rounds", "cuts", "solves", "probe", "skipped", "fallback") if k in first}
    return out


def toward_main(problem, placement) -> list[tuple[int, int, int, int]]:
    """``placement`` with each set moved to its exercise's main scheme where its day still
    fits: a plan as valid, with the same volume, days and every term before rep_range, and
    no more sets off their range. Calf raises under the calf rule and pinned items keep
    their scheme. Greedy, day by day in a fixed order, so the same input gives the same
    plan: phase 2's hint, and the plan when phase 2 has no time (compare's and batch's
    short budgets would otherwise get a week of 15-25s)."""
    used: dict[int, int] = {}
    for e, d, k, n in placement:
        ex = problem.exercises[e]
        used[d] = used.get(d, 0) + ex.setup_s + n * ex.seconds(k)
    pinned = {(pin.exercise, pin.day) for pin in problem.pins}
    out = list(placement)
    for i in sorted(range(len(out)), key=lambda i: (out[i][1], out[i][0])):
        e, d, k, n = out[i]
        ex = problem.exercises[e]
        main = ex.main_scheme
        if k == main or main not in ex.schemes or (e, d) in pinned or (problem.calf_rule and ex.calf_raise):
            continue
        extra = n * (ex.seconds(main) - ex.seconds(k))
        if used[d] + extra <= problem.days[d].capacity_s:
            out[i] = (e, d, main, n)
            used[d] += extra
    return out


def solve_in_two_phases(problem, params, hint, clock: _Clock, run) -> Outcome:
    """``run(problem, params, hint, clock, fixed=None)`` is the one-phase solve (:mod:`.solve`)."""
    from ..pruning import quickest_schemes

    quick = replace(quickest_schemes(problem, keep_main=False), rep_range_term=False)
    inner = clock.part(PHASE1_SHARE)
    if hint:  # in phase 1's schemes: a set moved to its exercise's quickest stays valid
        hint = [(e, d, k if k in quick.exercises[e].schemes else quick.exercises[e].quickest(), n) for e, d, k, n in hint]
    # Where a round's weekly totals do not fit the days, more rounds rarely pay: each cut
    # teaches the relaxation one packing, and every round re-solves each stage. After one,
    # the day-level model (batch athletes with tight days, 1 worker, 20 s: eight of the
    # slowest of 40 took 71.4 s with up to nine rounds, 44.3 s with two; 100 athletes at
    # 10 s, bench_athletes.py: 126.5 s with two rounds, 116.2 s with one; see
    # benchmarks/README.md). Easy weeks place in round one and do not notice.
    with inner.running():
        first = run(quick, params, hint, inner, draft=True, rounds=PHASE1_ROUNDS)
    if first.placement is None:
        return first  # infeasible (so is the whole problem), or no plan in time
    last = ORDER.index("rep_range")
    prefix = {n: x for n, x in first.values.items() if ORDER.index(n) < last}
    # Where the days are tight, rep_range asks how many sets must be quick to fit them: a
    # packing question the weekly relaxation answers round after round, each cut teaching
    # it one packing. So phase 2 turns to the day-level model after two rounds (the home
    # example with bodyweight only: 8.3 s with eight rounds first, 3.1 s with two, 4.5 s
    # with none; the gym week 1.0 s with two, 4.0 s with none: 2 workers; with one, two of
    # 100 batch athletes took 1.5 and 10 s in the day-level model, 0.6 and 0.7 s with a
    # second round that placed). When phase 1 already needed it, phase 2 tries one weekly
    # round capped at FALLBACK_ROUND_S seconds first: with the longer main schemes the
    # totals often fit no better, and an uncapped round cost 0.5-1.9 s on most such
    # athletes (100 athletes: 126.4 s against 117.8 s without it), but where it places it
    # is proven at once where the day-level model ran to the limit (a0021: 10 s unproven,
    # rep_range 5, against 3.5 s proven, rep_range 0). Capped: 100 athletes 121.8 s against
    # 133.7 s, 98 proven against 97 (bench_athletes.py; benchmarks/README.md).
    start = toward_main(problem, first.placement)

    def phase_one(stats: dict) -> Outcome:
        """Phase 1's plan, moved toward the main schemes, with phase 1's bounds."""
        return Outcome(FEASIBLE, start, _final_values(problem, start), {n: first.bounds.get(n, 0) for n in prefix}, first.method, stats)

    if clock.stopped:  # Ctrl-C, or a caller that wanted the first plan only: no phase 2
        return phase_one(_merged_stats(first.stats, {}))
    fell_back = first.stats.get("fallback")
    rounds = (1 if FALLBACK_ROUND_S > 0 else 0) if fell_back else PHASE2_ROUNDS
    second = run(problem, params, start, clock, fixed=prefix, rounds=rounds, round_s=FALLBACK_ROUND_S if fell_back else None)
    stats = _merged_stats(first.stats, second.stats)
    if second.placement is None:  # out of time
        return phase_one(stats)
    bounds = {**second.bounds, **{n: first.bounds.get(n, 0) for n in prefix}}
    if all(n in prefix and first.bounds.get(n) == first.values[n] for n in WASTE):
        # Phase 1 proved the wasted-set sum, which phase 2 kept and may split otherwise
        # (stages.optimise, ``fixed``): each part is proven at its value in the plan.
        bounds.update({n: second.values[n] for n in WASTE})
    status = OPTIMAL if first.status == OPTIMAL and second.status == OPTIMAL else FEASIBLE
    return Outcome(status, second.placement, second.values, bounds, second.method, stats)
