"""Solving a multi-week programme: the two-stage decomposition, lifted to blocks of weeks.

One CP-SAT model holds every week (:mod:`.programme_model` builds it): each week gets its own variable container and
:class:`~.context.Context` over the shared model, and every single-week family runs on it
unchanged (so every weekly rule holds in every week); the cross-week families of
:mod:`.programme_families` then tie the weeks together. Each objective term is summed over
the weeks and the terms are optimised lexicographically (or weighted) as for one week.

Why it is exact (as for one week, :mod:`.solve`): every term and every cross-week rule
depends only on weekly totals per exercise, day class and rep scheme, except the
"same days" half of stability, which stage A relaxes to "the same sessions per day
class". Stage A (weekly containers, every week) is therefore a relaxation with the same
objective; stage B places each block's weeks jointly with the day pattern tied across
them; when a block cannot be placed, its infeasibility core becomes a no-good on stage A.

The no-good forbids repeating the stage-A values of *every* item (each week of the block,
each day class and scheme, zeros included) of the exercises in the core plus the pinned
ones. Placement is monotone under removing whole exercises from every week of a block
(budgets, recovery, session counts, variety and the tie all stay satisfied), so any
stage-A solution that agrees on those items is unplaceable too: the cut is valid.

When the loop has not converged within its share of the time, the monolithic daily model
of all weeks gets the rest, hinted with the blocks already placed, and stage A's first
bounds are reported beside its plan.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..programme import MultiWeekProblem, PBlock
from .objective import ORDER, WASTE, lex_bounds, lex_prefix
from .programme_bounds import BEFORE, combine, floors, week_bounds
from .programme_hint import BETTER_MAX_S, BETTER_MIN_S, QUALITY_MIN_S, greedy_plan, hint_stage_a
from .programme_model import _key, build, programme_values
from ..progress import note
from .runtime import OutOfTime, Stop
from .solve import FEASIBLE, INFEASIBLE, OPTIMAL, UNKNOWN, SolveParams, _Clock, clock_for, _solver, optimise, placement_of, require_totals
from .stages import complete_hint

# Of the time limit the decomposition may use before the fallback: more than for one week
# (0.6), because placing a block is quick and the monolithic model of every week is slow.
LOOP_SHARE = 0.85
# Of the time left after the early plans, at most, for bounding the weeks one by one.
WEEK_BOUND_SHARE = 0.75
MAX_ROUNDS = 100
FALLBACK_MIN_S = 1.0
FALLBACK_BUILD_FACTOR = 3.0  # the monolithic model's build time, in stage-A builds
HINT_COMPLETION_S = 2.0  # at most, for completing the first stage's hint (0.2 s on twelve imported weeks)
# Up to this limit stage A first asks for every quality term at its floor (the weeks'
# sum) at once, with probes of up to 1 deterministic second taking at most half the time left.
# Twelve built-in weeks at 10 s had four stages proven at 0 at about a second each, and
# the time ran out before the wasted-set and rep-range stages: with the probe, overshoot
# 3, 3, 3 sets and rep_range 45, 30, 51 on three seeds against 7, 72, 3 and 45, 107, 46.
# At 20 s the plans were alike either way; at 30 s stage A settles every quality term
# without it, and the probe's two seconds cost the tie-breaks 1-4 minutes of 692; on
# twelve imported weeks at 60 s it found nothing in 4 s (benchmarks/README.md).
PROBE_MAX_S = 20.0
PROBE_BUDGET = (1.0, 0.5)
BUILD_S_PER_VAR = 2e-4  # a stage-A build's seconds per model variable (12-week example: 5,718 variables, 1-3 s)


@dataclass
class ProgrammeOutcome:
    status: str
    placements: list[list[tuple[int, int, int, int]]] | None  # per week: (exercise, day, scheme, sets)
    values: dict[str, int] = field(default_factory=dict)
    bounds: dict[str, int] = field(default_factory=dict)
    method: str = "two-stage (blocks)"
    stats: dict = field(default_factory=dict)


def place_block(mp: MultiWeekProblem, block: PBlock, chosen: dict, params: SolveParams, seconds: float):
    """Stage B for one block: its weeks' stage-A totals on days, the day pattern tied.

    ``chosen[w][(e, c, k)] = (sets, sessions)``. Returns ({week: placement}, None) or
    (None, core exercises) or (None, None) when time ran out.
    """
    model, pc = build(mp, daily=True, weeks=block.weeks, placement_only=True)
    assumptions = {}
    for w in block.weeks:
        p, v = mp.weeks[w].problem, pc.vars[w]
        on_items = {key for key, (_, n) in chosen[w].items() if n}
        for (e, c, k), (sets, sessions) in chosen[w].items():
            if not sessions:
                continue
            keys = [key for key in v.items(e) if key[2] == k and p.days[key[1]].cls == c]
            lit = require_totals(model, v, keys, sets, sessions, f"place[{w},{e},{c},{k}]")
            assumptions[lit.index] = e
        for key in v.on:
            e, d, k = key
            if (e, p.days[d].cls, k) not in on_items:
                model.add(v.on[key] == 0)
    model.add_assumptions([model.get_bool_var_from_proto_index(i) for i in assumptions])
    solver = _solver(params, seconds, workers=1)
    status = solver.solve(model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {w: placement_of(pc.vars[w], solver) for w in block.weeks}, None
    if status == cp_model.INFEASIBLE:
        core = {assumptions[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in assumptions}
        return None, core or set(assumptions.values())
    return None, None


def _build_within(mp: MultiWeekProblem, daily: bool, clock: _Clock, seconds: float):
    """The model of every week (:func:`.programme_model.build`), or :class:`OutOfTime` once
    ``seconds`` of wall clock have passed: it takes seconds on an imported catalogue (3 s for
    stage A of twelve weeks). A cut build is the wall clock deciding: the clock says so."""
    try:
        with Stop(deadline=time.perf_counter() + seconds).governing():
            return build(mp, daily=daily)
    except OutOfTime:
        clock.wall_bound |= clock.deterministic and not clock.stopped
        raise


def _add_nogood(model, pc, cut) -> None:
    """Forbid stage-A solutions that repeat every (week, item, sets, sessions) in ``cut``."""
    diffs = []
    for w, key, sets, sessions in cut:
        v = pc.vars[w]
        differs = model.new_bool_var("")
        model.add(v.sets[key] * 100 + v.sessions[key] != sets * 100 + sessions).only_enforce_if(differs)
        diffs.append(differs)
    model.add_bool_or(diffs)


def _every_var(model) -> list:
    """Every variable: a complete hint between stages, auxiliaries included, lets a stage
    start from the previous plan at once (a partial one cost up to a second on 12 weeks)."""
    return [model.get_int_var_from_proto_index(i) for i in range(len(model.proto.variables))]


def _run(mp, model, pc, params, clock, share, stats, on_stage=None, known: dict | None = None, lower: dict | None = None):
    """Optimise every term; ``known`` (a feasible plan's term values) settles leading zeros;
    ``lower``: the weeks' bounds (:func:`.programme_bounds.floors`), see ``optimise``.

    Every term is a sum of non-negative variables, so when a feasible plan (the hint) has
    value 0 on the first terms of the lexicographic order, those stages are proven optimal
    without a solve: each costs about a second of presolve on 12 weeks, for nothing.
    """
    terms = pc.terms()
    settled: dict[str, int] = {}
    if known is not None and mp.first.objective == "lexicographic":
        for name in ORDER:
            if name not in terms:
                continue
            if known.get(name) != 0 or name in WASTE and any(known.get(n) != 0 for n in WASTE if n in terms):
                break  # (the wasted-set terms are one stage: settled together or not at all)
            model.add(terms.pop(name) <= 0)
            settled[name] = 0
    if not terms:
        terms = {"exercises": sum(v for w in pc.vars.values() for v in w.used.values())}
    every = _every_var(model)
    if model.proto.has_solution_hint():  # a plan's totals (or days): every variable, auxiliaries too
        stats["hint_completed"] = complete_hint(model, params, min(HINT_COMPLETION_S, 0.1 * clock.left(share)), every)
    status, solver, values, bounds = optimise(
        mp.first, model, None, None, params, clock, share, stats,
        terms=terms, all_vars=every, split=True, on_stage=on_stage, lower=lower, canonical_first=False,
        probe=params.time_limit_s <= PROBE_MAX_S, probe_budget=PROBE_BUDGET,
    )
    stats["settled_by_hint"] = sorted(settled)
    return status, solver, {**settled, **values}, {**settled, **bounds}


class _Placer:
    """Stage B for every block of a stage-A solution, remembering what was placed."""

    def __init__(self, mp: MultiWeekProblem, params: SolveParams, clock: _Clock):
        self.mp, self.params, self.clock = mp, params, clock
        self.placed: dict[int, dict] = {}  # block -> {week: placement} of the latest placeable choice
        self.cache: dict[tuple, dict | None] = {}

    def chosen(self, pc, solver) -> dict:
        return {w: {key: (solver.value(v.sets[key]), solver.value(v.sessions[key])) for key in v.sets} for w, v in pc.vars.items()}

    def place(self, pc, chosen, cuts: list | None = None):
        """Placements per week, or None; unplaceable blocks add a no-good to ``cuts``."""
        mp, ok = self.mp, True
        for block in mp.blocks:
            sig = tuple(sorted((w, key, val) for w in block.weeks for key, val in chosen[w].items() if val[1]))
            if sig in self.cache and self.cache[sig] is not None:
                self.placed[block.index] = self.cache[sig]
                continue
            if sig in self.cache:
                ok = False
                continue
            result, core = place_block(mp, block, chosen, self.params, max(0.05, self.clock.left()))
            if result is not None or core is not None:
                self.cache[sig] = result
            if result is not None:
                self.placed[block.index] = result
                continue
            ok = False
            if core is None:  # out of time
                break
            if cuts is not None:
                exercises = core | {pin.exercise for w in block.weeks for pin in mp.weeks[w].problem.pins}
                cuts.append([(w, key, *chosen[w][key]) for w in block.weeks for key in pc.vars[w].sets if key[0] in exercises])
        if not ok:
            return None
        return [self.placed[mp.weeks[w].spec.block - 1][w] for w in range(len(mp.weeks))]


def solve_programme_problem(mp: MultiWeekProblem, params: SolveParams) -> ProgrammeOutcome:
    """Solve ``mp`` exactly when time allows; see the module docstring.

    First a complete plan is built block by block (:mod:`.programme_hint`): it is the
    early plan and hints stage A. Failing that, the first stage-A solution is placed at
    once. The early plan stands if the loop does not converge in time.

    With time enough, a second plan is built the same way with more time per week, and
    each week's relaxation is solved alone for bounds (:mod:`.programme_bounds`).
    """
    clock = clock_for(params)
    with clock.running():
        outcome = _solve_programme_problem(mp, params, clock)
    if clock.wall_cut():
        outcome.stats["wall_cut"] = True
    return outcome


def _solve_programme_problem(mp: MultiWeekProblem, params: SolveParams, clock: _Clock) -> ProgrammeOutcome:
    t0 = time.perf_counter()
    stats: dict = {"rounds": 0, "cuts": 0, "solves": 0, "weeks": len(mp.weeks), "blocks": len(mp.blocks)}
    cuts: list[list] = []
    placer = _Placer(mp, params, clock)
    incumbent: list = []
    first_bounds: dict[str, int] | None = None

    greedy = greedy_plan(mp, params, stats)
    if greedy is not None:
        incumbent.append(greedy)
        stats["first_plan_s"] = time.perf_counter() - t0
        for mode, from_s, until_s in (("quality", QUALITY_MIN_S, math.inf), ("better", BETTER_MIN_S, BETTER_MAX_S)):  # when the limit allows
            if not from_s <= params.time_limit_s < until_s:
                continue
            other = greedy_plan(mp, params, stats, mode=mode, most_s=clock.left())
            if other is not None and _key(mp, programme_values(mp, other)) < _key(mp, programme_values(mp, incumbent[0])):
                incumbent[0] = other
    weekly = []
    # The weeks bound the plan's terms only where it has shortfall and the like at zero (.programme_bounds).
    if mp.first.objective == "lexicographic" and incumbent and not any(programme_values(mp, incumbent[0]).get(n) for n in BEFORE):
        tb = time.perf_counter()
        weekly = week_bounds(mp, params, WEEK_BOUND_SHARE * clock.left())
        stats["week_bounds_s"] = time.perf_counter() - tb
    lower = floors(weekly) if weekly else None

    def early(pc):
        def on_stage(solver):
            if incumbent:
                return
            placements = placer.place(pc, placer.chosen(pc, solver))
            if placements is not None:
                incumbent.append(placements)
                stats["first_plan_s"] = time.perf_counter() - t0

        return on_stage

    while stats["rounds"] < MAX_ROUNDS and clock.left(LOOP_SHARE) > 0:
        stats["rounds"] += 1
        note(f"every week's totals, round {stats['rounds']}")
        tb = time.perf_counter()
        try:
            # Not past the loop's share of the wall clock: a round begun late overran the
            # limit by 2-3 s when the early plans came sooner.
            model, pc = _build_within(mp, False, clock, clock.wall_left(LOOP_SHARE))
        except OutOfTime:
            stats["build_cut"] = True  # nor is there time to build the larger day-level model (_fallback)
            break
        for cut in cuts:
            _add_nogood(model, pc, cut)
        if incumbent:
            hint_stage_a(model, pc, incumbent[0])
        stats["build_s"] = stats.get("build_s", 0) + time.perf_counter() - tb
        stats["build_vars"] = stats.get("build_vars", 0) + len(model.proto.variables)
        known = programme_values(mp, incumbent[0]) if incumbent and not cuts else None
        status, solver, values, bounds = _run(mp, model, pc, params, clock, LOOP_SHARE, stats, early(pc), known, lower)
        if status == INFEASIBLE and lower:
            # Cannot be: a plan is in hand. Were the weeks' bounds ever wrong, this would
            # be where it shows; the stages go again without them rather than say so.
            stats["floors_dropped"] = True
            lower = None
            continue
        if first_bounds is None:
            first_bounds = lex_prefix(values, bounds)
        if status == INFEASIBLE:
            stats["wall_s"] = time.perf_counter() - t0
            return ProgrammeOutcome(INFEASIBLE, None, stats=stats)
        if solver is None:
            break
        placements = placer.place(pc, placer.chosen(pc, solver), cuts)
        stats["cuts"] = len(cuts)
        if placements is not None:
            values = programme_values(mp, placements)
            if status == OPTIMAL:
                bounds = dict(values)
            stats["wall_s"] = time.perf_counter() - t0
            stats.setdefault("first_plan_s", stats["wall_s"])
            return _finish(mp, ProgrammeOutcome(status, placements, values, bounds, "two-stage (blocks)", stats), incumbent, weekly)
    return _finish(mp, _fallback(mp, params, clock, stats, first_bounds or {}, placer.placed, incumbent, t0, lower), incumbent, weekly)


def _finish(mp: MultiWeekProblem, outcome: ProgrammeOutcome, incumbent: list, weekly: list) -> ProgrammeOutcome:
    """The better of the outcome's plan and the early one, its bounds raised by the weeks'."""
    if outcome.placements is None or outcome.status == OPTIMAL:
        return outcome
    if incumbent:
        known = programme_values(mp, incumbent[0])
        if _key(mp, known) < _key(mp, outcome.values):
            # The bounds were the other plan's: what of them bounds the optimum, for this one.
            outcome.bounds = lex_bounds(known, {}, lex_prefix(outcome.values, outcome.bounds))
            outcome.placements, outcome.values = incumbent[0], known
            outcome.method = "early plan (two-stage did not improve on it)"
    if weekly:
        extra = combine(outcome.values, weekly)
        outcome.bounds = {n: max(outcome.bounds.get(n, 0), extra.get(n, 0)) for n in outcome.values}
        outcome.method += "; bounds from the weeks solved alone"
    return outcome


def _build_cost(params: SolveParams, stats: dict) -> float:
    """Seconds the stage-A builds took: measured, or (deterministic budgets, where a
    busy machine must not change the decision) estimated from the models' sizes."""
    if params.deterministic:
        return stats.get("build_vars", 0) * BUILD_S_PER_VAR
    return stats.get("build_s", 0.0)


def _fallback(mp, params, clock, stats, a_bounds, placed, incumbent, t0, lower=None) -> ProgrammeOutcome:
    """The monolithic model of every week with the time left, hinted with the best plan known.

    The hint is the early plan when there is one (feasible by construction), else the
    blocks placed so far. With less time left than building the model of every week takes
    (about three stage-A builds; seconds on an imported catalogue), or when a stage-A build
    itself ran out of time, the early plan stands.
    """
    def early_plan() -> ProgrammeOutcome:
        """The early plan (0 bounds every term not bounded before), or no plan."""
        stats["wall_s"] = time.perf_counter() - t0
        if not incumbent:
            return ProgrammeOutcome(UNKNOWN, None, bounds=a_bounds, stats=stats, method="monolithic")
        values = programme_values(mp, incumbent[0])
        bounds = lex_bounds(values, {}, a_bounds)
        return ProgrammeOutcome(FEASIBLE, incumbent[0], values, bounds, "early plan (two-stage did not converge)", stats)

    if (
        incumbent and (stats.get("build_cut") or clock.left() < max(FALLBACK_MIN_S, FALLBACK_BUILD_FACTOR * _build_cost(params, stats)))
        or clock.stopped or clock.wall_left() <= 0  # Ctrl-C or the deadline: the build (seconds) would be for nothing
    ):
        return early_plan()
    note("the day-level model of every week")
    try:
        model, pc = _build_within(mp, True, clock, clock.wall_left())
    except OutOfTime:  # the time ran out while building it (no stage-A build told how long it would take)
        return early_plan()
    hint = dict(enumerate(incumbent[0])) if incumbent else {w: pl for b in placed.values() for w, pl in b.items()}
    for w, placement in hint.items():
        v = pc.vars[w]
        on = {(e, d, k): s for e, d, k, s in placement}
        for key in v.sets:
            model.add_hint(v.sets[key], on.get(key, 0))
            model.add_hint(v.on[key], int(key in on))
    status, solver, values, bounds = _run(mp, model, pc, params, clock, 1.0, stats, lower=lower)
    if status == INFEASIBLE and lower:  # as in the loop: cannot be, and not taken on trust
        stats["floors_dropped"] = True
        return early_plan()
    stats["fallback"] = True
    stats["wall_s"] = time.perf_counter() - t0
    if status == INFEASIBLE:
        return ProgrammeOutcome(INFEASIBLE, None, stats=stats, method="monolithic")
    if solver is not None:
        placements = [placement_of(pc.vars[w], solver) for w in range(len(mp.weeks))]
        method = "monolithic (two-stage did not converge)"
    elif incumbent:
        placements, method, status = incumbent[0], "early plan (two-stage did not converge)", FEASIBLE
    else:
        return ProgrammeOutcome(UNKNOWN, None, bounds=a_bounds, stats=stats, method="monolithic")
    stats.setdefault("first_plan_s", stats["wall_s"])
    values = programme_values(mp, placements)
    merged = lex_bounds(values, bounds, a_bounds)
    final = OPTIMAL if status == OPTIMAL else FEASIBLE
    return ProgrammeOutcome(final, placements, values, merged, method, stats)
