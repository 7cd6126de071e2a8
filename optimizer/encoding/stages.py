"""Lexicographic optimisation of one model, stage by stage (:func:`optimise`).

Each term of :data:`~.objective.ORDER` is a stage: minimised, then fixed at its optimum for
the stages after it. The tie-breaks (minutes, exercises) are one exact stage, the wasted-set
terms (ineffective, overshoot) one stage of their sum. A probe first asks for every quality
term at its floor at once, and a stage whose term the plan in hand already has at its floor
is proven without a search (:mod:`.probe`). The plan handed on is canonical, so a seed and
worker count give the same plan: the tie-break stage searched on one worker without a hint
(:func:`_canonical_stage`) or, where that is not proven soon, a one-worker canonical solve
with every stage value fixed. Used for stage A and the day-level model alike
(:mod:`.solve`), and by multi-week programmes (:mod:`.programme`).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..problem import Problem
from ..progress import note as _note
from .context import Context
from .families import REGISTRY
from .objective import ORDER, TIE_BREAKS, WASTE, collect_terms, waste_sum, weighted_sum
from .probe import objective_floor, probe_floors
from .runtime import FEASIBLE, INFEASIBLE, OPTIMAL, UNKNOWN, SolveParams, _Clock, _solver
from .stage_settings import _full_presolve, _lp_bound_stage, _lp_params
from .variables import DailyVars, WeeklyVars, weekly_totals
CANON_PRESOLVE = True


class _Callback(cp_model.CpSolverSolutionCallback):
    """Tells the observer (if any) of every solution, and ``first`` (if any) of the first
    one: ``first(self)``, which reads the solution with ``self.value(var)``."""

    def __init__(self, observer, problem, stage: str, terms: dict, plan: bool, first=None):
        super().__init__()
        self.observer, self.problem, self.stage, self.terms, self.kind = observer, problem, stage, terms, "plan" if plan else "relaxed"
        self.first = first

    def on_solution_callback(self) -> None:
        if self.first is not None:
            first, self.first = self.first, None
            first(self)
        if self.observer is None:
            return
        values = {n: int(self.value(e)) for n, e in self.terms.items()}
        if self.problem.objective == "weighted":
            values = {"weighted": weighted_sum(self.problem, values), **values}
        self.observer.solution(self.kind, self.stage, values)


def build(problem: Problem, daily: bool, guard_mode: str = "off", families=None, loose: bool = False, context=Context):
    """A model with every family: stage A when not ``daily``, else the monolithic model.

    ``loose`` and ``context`` serve explaining (:mod:`.explain`): domains that assume no
    requirement, and a context whose hooks let a repair move bounds. ``families``
    defaults to the whole registry.
    """
    model = cp_model.CpModel()
    ctx = context(model, problem, guard_mode)
    v = DailyVars(model, problem, loose=loose) if daily else WeeklyVars(model, problem)
    for fam in REGISTRY if families is None else families:
        if hasattr(fam, "aggregate"):
            fam.aggregate(ctx, v)
        step = getattr(fam, "daily" if daily else "weekly", None)
        if step:
            step(ctx, v)
    return model, ctx, v


def _hint(model, solver, variables) -> None:
    """Hint ``variables`` (model variables, not negated literals) with ``solver``'s solution.

    Written into the proto's hint at once from the response: ``add_hint`` and ``value`` a
    variable at a time took 0.04 s a solve of the near-duplicate examples' 1 s (6,000
    variables: 38 ms against 4)."""
    solution = solver.response_proto.solution
    index = [var.index for var in variables]
    _set_hint(model, index, [solution[i] for i in index])


def _set_hint(model, index: list[int], values: list[int]) -> None:
    """The model's hint: variable ``index[i]`` at ``values[i]``, in place of any other."""
    model.clear_hints()
    hint = model.proto.solution_hint
    hint.vars.extend(index)
    hint.values.extend(values)


def complete_hint(model, params: SolveParams, seconds: float, variables: list) -> bool:
    """Hint every one of ``variables`` from a hint of some of them, when the hinted values
    fit the model (a short one-worker solve with them fixed); False, the hint left as it
    was, when they do not or time runs out.

    CP-SAT completes a partial hint itself, but on a big model it may fail to: twelve
    imported weeks, hinted with a plan's weekly totals (12,780 of 15,177 variables), found
    no solution in 13 s on the default two workers, and a worse one than the hint on
    max_lp and core; completed (0.2 s), the same stage was proven in 5-6 s on three seeds
    (benchmarks/README.md).
    """
    solver = _solver(params, seconds, workers=1)
    solver.parameters.fix_variables_to_their_hinted_value = True
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    _hint(model, solver, variables)
    return True


def _seed_values(v, placement) -> dict:
    """A known plan (``placement``) as values of ``v``'s decision variables, for a hint.

    Weekly containers get its totals per exercise, day class and scheme; daily ones its
    days. Variables the plan does not use are 0.
    """
    # A day-level item is one session; a weekly one sums the plan's sessions in its class.
    totals = {(e, d, k): (n, 1) for e, d, k, n in placement} if v.daily else weekly_totals(v.p, placement)
    used = {e for e, _, _, _ in placement}
    out = {var: totals.get(key, (0, 0))[0] for key, var in v.sets.items()}
    for key, var in getattr(v, "sessions", {}).items():
        out[var] = totals.get(key, (0, 0))[1]
    for key, var in getattr(v, "on", {}).items():
        out[var] = 1 if key in totals else 0
    for e, var in v.used.items():
        out[var] = 1 if e in used else 0
    days = {d for _, d, _, _ in placement}
    for d, var in getattr(v, "trained", {}).items():
        out[var] = 1 if d in days else 0
    return out


def optimise(
    problem: Problem, model, ctx, v, params: SolveParams, clock: _Clock, share: float, stats: dict, *,
    terms: dict | None = None, all_vars: list | None = None, split: bool = False, on_stage=None, seed=None,
    probe: bool = True, lower: dict | None = None, fixed: dict | None = None,
    draft: bool = False, on_first_solution=None, bounds_only: bool = False, canonical_first: bool = True,
    probe_budget: tuple[float, float] | None = None, widen=None,
):
    """Lexicographic (or weighted) optimisation, ending at a canonical plan.

    ``terms`` and ``all_vars`` default to those of one week's (ctx, v); a multi-week
    programme passes its own. ``split`` lets each stage but the last use at most half of the
    time left, rather than letting the first stage take all of it. ``on_stage(solver)`` is called
    with each stage's solution (a caller may turn the first into an early plan).
    ``probe``: first ask for every term but the tie-breaks at its floor at once
    (:func:`.probe.probe_floors`); ``probe_budget``: (deterministic seconds per probe,
    share of the time left for them all), default the probe's own (a multi-week
    programme, whose model is large, passes larger ones or turns the probe off).
    ``seed`` (optional): (a known plan as variable values, its term values). It hints
    every stage it is still feasible for and no worse than the previous stage's solution,
    so a time-limited optimisation never ends worse than the known plan.
    ``lower`` (optional): the term bounds of an earlier optimisation of a model with more
    solutions (stage A before a no-good cut, :mod:`.solve`). While every stage so far
    ends at its earlier value, the next stage's earlier bound still holds (its feasible
    set only shrank), so it is added as a constraint, and a stage whose solution in hand
    already meets it is proven without a search.
    ``fixed`` (optional): term -> value, terms settled elsewhere (:mod:`.scheme_phase`):
    each is constrained to its value and reported with it, and its stage is not run.
    ``draft=True``: a plan whose terms before the tie-breaks are what matter, as phase 1 of
    :mod:`.scheme_phase` needs (phase 2 optimises the tie-breaks again and its plan is
    only hinted with the draft's): no tie-break stage, and a canonical solve only for
    weekly totals on several workers (see the comment at the end). The tie-breaks
    searched for 0.05 deterministic seconds before: without them, 100 batch athletes'
    median solve 0.85x and the near-duplicate examples 0.7-1.0x (benchmarks/README.md).
    ``on_first_solution(sol)``: called with the first solution the first search finds
    (``sol.value(var)``), while it searches on (an early plan, :mod:`.solve`).
    ``bounds_only=True``: only the values and bounds are wanted, not a plan (a programme's
    weeks solved alone, :mod:`.programme_bounds`): no canonical solve.
    ``canonical_first`` (default True): once every stage before it is proven, the
    tie-break stage is searched first as the canonical plan (:func:`_canonical_stage`). A
    multi-week programme turns it off: its tie-break stage is rarely proven, and its
    search needs the hint.
    ``widen(solution)`` (optional): asked, with the solution in hand, before the tie-break
    stage searches on all workers with less than the whole time left (every stage before
    it proven); True lets it use the whole time (:func:`.solve._widen`).
    Returns (status, solver with the final solution or None, values, bounds).
    """
    with clock.running():
        return _optimise(
            problem, model, ctx, v, params, clock, share, stats, terms, all_vars, split, on_stage, seed, probe, lower, fixed,
            draft, on_first_solution, bounds_only, canonical_first, probe_budget, widen,
        )


def _stage_value(name, d: dict, m_: int) -> int | None:
    """One stage's value from per-term ``d`` (values or bounds), None if a term is missing."""
    parts = name if isinstance(name, tuple) else (name,)
    if any(n not in d for n in parts):
        return None
    if name == TIE_BREAKS:
        return m_ * d["minutes"] + d["exercises"]
    if name == WASTE:
        return waste_sum(d)
    return d[name]


def _optimise(
    problem, model, ctx, v, params, clock, share, stats, terms, all_vars, split, on_stage, seed, probe, lower, fixed,
    draft, on_first_solution, bounds_only=False, canonical_first=True, probe_budget=None, widen=None,
):
    if terms is None:
        terms = collect_terms(ctx, v)
    if all_vars is None:
        all_vars = [*v.sets.values(), *getattr(v, "sessions", {}).values(), *getattr(v, "on", {}).values(), *v.used.values()]
    if seed is not None:
        model.clear_hints()
        for var, value in seed[0].items():
            model.add_hint(var, value)
    if problem.objective == "weighted":
        stages = [("weighted", weighted_sum(problem, terms))]
    else:
        stages = [(n, terms[n]) for n in ORDER if n in terms]
        if len(stages) >= 2 and [n for n, _ in stages[-2:]] == list(TIE_BREAKS):
            # The tie-breaks in one stage, exactly lexicographic: minutes x M + exercises
            # with M above any exercise count. One proof instead of two (gym example,
            # deterministic time of the two stages 0.89 -> see benchmarks/README.md).
            m_ = len(problem.exercises) + 1
            stages[-2:] = [(TIE_BREAKS, m_ * terms["minutes"] + terms["exercises"])]
        names = [n for n, _ in stages]
        if all(n in names for n in WASTE):
            # Sets that do not count and sets beyond the point are both wasted sets: one
            # stage, their sum in hundredths of a set (ineffective is kept in hundredths),
            # so a plan never buys one ineffective set back with eight sets too many.
            at = names.index(WASTE[0])
            stages = [s for s in stages if s[0] not in WASTE]
            stages.insert(at, (WASTE, waste_sum(terms)))
    values: dict[str, int] = {}
    bounds: dict[str, int] = {}
    if fixed:
        # The wasted-set stage settles only its sum: fixing each part would keep the split
        # one run's search happened to end at, and the stages after it would be optimised
        # over fewer plans (a batch athlete was "proven" at rep_range 28 with ineffective 28
        # and overshoot 0, at 22 with 27 and 1: the same sum).
        whole = all(n in fixed and n in terms for n in WASTE)
        for n, value in fixed.items():
            if n not in terms:
                continue
            values[n] = bounds[n] = value
            if not (whole and n in WASTE):
                model.add(terms[n] == value)
        if whole:
            model.add(waste_sum(terms) == waste_sum(fixed))  # the stage's own expression
        stages = [(n, e) for n, e in stages if not all(x in fixed for x in (n if isinstance(n, tuple) else (n,)))]
    if draft and len(stages) > 1 and stages[-1][0] == TIE_BREAKS:
        stages = stages[:-1]
    proven = True
    # A draft's weekly totals are placed, and whether they fit the days decides how
    # phase 2 goes on (:mod:`.scheme_phase`): on several workers, which of the equally
    # good totals the search ends at varies from run to run, and the same tight week took
    # two paths to two plans. So they are made canonical too, unless one search already
    # gives one plan (one worker, or deterministic parallel search). A draft day-level
    # plan decides nothing: it only hints phase 2.
    canonical = not bounds_only and (not draft or (not getattr(v, "daily", False) and params.workers > 1 and not params.deterministic))
    quality = [s for s in stages if s[0] != TIE_BREAKS]
    m_ = len(problem.exercises) + 1
    if lower is not None and problem.objective == "weighted":
        lower = None
    # A stage's least value: its earlier bound where one is known (``lower``), which the
    # probe then asks for; a plan with every stage of a prefix at those bounds proves them all.
    lows = [(_stage_value(n, lower, m_) or 0) if lower else 0 for n, _ in quality]
    solver, at_floor = probe_floors(model, quality, params, clock.left(share), lows, *(probe_budget or ())) if probe else (None, 0)
    last_ok = solver
    if probe and len(quality) >= 2:
        stats["probe"] = "all at floor" if at_floor == len(quality) else f"{at_floor} of {len(quality)} at floor" if at_floor else "no"
    missed = False  # the one-worker attempt at the tie-breaks ran out: a hard stage (_full_presolve)
    for i, (name, expr) in enumerate(stages):
        if seed is not None and solver is not None and _seed_better(seed[1], values, name, solver.value(expr)):
            model.clear_hints()
            for var, value in seed[0].items():
                model.add_hint(var, value)
        model.minimize(expr)
        last = i == len(stages) - 1
        if lower and i and _stage_value(stages[i - 1][0], values, m_) != _stage_value(stages[i - 1][0], lower, m_):
            lower = None  # a stage ended above its earlier value: later bounds no longer hold
        lo = _stage_value(name, lower, m_) if lower else None
        if lo:
            model.add(expr >= lo)
        if solver is not None and name != TIE_BREAKS and solver.value(expr) <= (max(objective_floor(model), lo) if lo else objective_floor(model)):
            # The solution in hand already has this term at the least value its variables'
            # domains allow (nearly always 0): that is the stage's optimum, proven without a
            # search. Most quality terms are 0 in most plans, and each search costs a
            # presolve (gym example: 6 of 8 solves skipped).
            for n in name if isinstance(name, tuple) else (name,):
                values[n] = bounds[n] = round(solver.value(terms[n]))
            model.add(expr <= round(solver.value(expr)))
            stats["skipped"] = stats.get("skipped", 0) + 1
            continue
        _note(f"{'day-level model' if getattr(v, 'daily', False) else 'weekly totals'}: {_label(name)} ({i + 1} of {len(stages)})")
        part = 2 if split and not last else 1
        callback = None
        if params.observer is not None or on_first_solution is not None:
            label = "+".join(name) if isinstance(name, tuple) else name
            callback = _Callback(params.observer, problem, label, terms, getattr(v, "daily", False), on_first_solution)
            on_first_solution = None  # the first search only
        found = None
        if name == TIE_BREAKS and canonical and proven and canonical_first:
            cap = CANON_STAGE_DTIME_DAILY if getattr(v, "daily", False) else CANON_STAGE_DTIME
            found = _canonical_stage(model, params, clock.left(share), clock.wall_left(share), callback, stats, cap)
            if found is not None:
                solver, status = found, cp_model.OPTIMAL
                canonical = False  # this stage's plan is the canonical one
                stats.pop("canonical_missed", None)  # (an earlier round's plan, not placed)
            missed = found is None
        if found is None and name == TIE_BREAKS and widen is not None and proven and share < 1 and solver is not None and widen(solver):
            share = WIDE_SHARE  # the plan it starts from is placed: the rest of the time (and the canonical solve after it)
            stats["widened"] = True
        if found is None:
            solver = _solver(params, clock.left(share) / part, wall=clock.wall_left(share) / part)
            if _lp_bound_stage(name, v):
                _lp_params(solver, params)
            if missed:
                _full_presolve(solver, params)
            status = solver.solve(model, callback)
            stats["solves"] = stats.get("solves", 0) + 1
        if status == cp_model.INFEASIBLE:
            return INFEASIBLE, None, values, bounds
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # Out of time in a later stage: the previous stage's solution is still a plan
            # (stage values fixed so far hold for it), so hand it on rather than nothing.
            _waste_as_handed_on(values, bounds, terms, last_ok)
            return (UNKNOWN if not values else FEASIBLE), last_ok, values, bounds
        last_ok = solver
        if on_stage is not None:
            on_stage(solver)
        if name == TIE_BREAKS:
            m_ = len(problem.exercises) + 1
            for n in TIE_BREAKS:
                values[n] = int(solver.value(terms[n]))
            bound = round(solver.best_objective_bound)
            bounds["minutes"], bounds["exercises"] = bound // m_, (values["exercises"] if status == cp_model.OPTIMAL else 0)
            model.add(expr <= round(solver.objective_value))
            _hint(model, solver, all_vars)
            if status != cp_model.OPTIMAL:
                proven = False
            last_ok = solver
            continue
        if name == WASTE:  # proven: each at its value; else only the sum is bounded
            for n in WASTE:
                values[n] = int(solver.value(terms[n]))
                bounds[n] = values[n] if status == cp_model.OPTIMAL else 0
            model.add(expr <= round(solver.objective_value))
            _hint(model, solver, all_vars)
            if status != cp_model.OPTIMAL:
                proven = False
            continue
        values[name] = round(solver.objective_value)
        bounds[name] = round(solver.best_objective_bound)
        if status != cp_model.OPTIMAL:
            proven = False
        model.add(expr <= values[name])
        _hint(model, solver, all_vars)
    model.clear_objective()
    if proven and canonical:
        # Canonical plan: no hint, one worker, every stage value fixed.
        model.clear_hints()
        _note("the canonical plan")
        canon = _canonical_solver(params, clock.left(share))
        if missed:
            _full_presolve(canon, params)
        status = canon.solve(model)
        stats["solves"] += 1
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solver = canon
            stats.pop("canonical_missed", None)  # (an earlier round's plan, not placed)
        else:  # out of time: the plan is the stage's, one of the equally good ones
            stats["canonical_missed"] = True
    _waste_as_handed_on(values, bounds, terms, solver)
    return (OPTIMAL if proven else FEASIBLE), solver, values, bounds


# Deterministic seconds the tie-break stage may search as the canonical plan before the
# stage runs on every worker from its hint (see _canonical_stage). Of 129 such stages of
# the 100 batch athletes, the proven ones took up to 0.36, all but four under 0.15; the
# five that were not proven by 0.5 then ran as before, all on the day-level model
# (benchmarks/README.md). There the search without a hint may not find a plan at all: the
# stored gen_homedb_4d_25 week spent 0.8 s on nothing. So the day-level model gets less.
CANON_STAGE_DTIME = 0.5
CANON_STAGE_DTIME_DAILY = 0.15
# Of the time limit, for a tie-break stage whose start is placed (``widen``): the rest is
# for its canonical solve and placing its plan.
WIDE_SHARE = 0.97


def _canonical_stage(model, params: SolveParams, seconds: float, wall: float, callback, stats: dict, cap: float):
    """The tie-break stage searched as the canonical solve would be: one worker, no hint,
    the LP settings, at most ``cap`` deterministic seconds. The solver
    when it proves the stage, else None (the model's hint put back).

    Every stage before it is proven and fixed, so its model is the same on every run with
    a seed and worker count, and a one-worker search of it ends at one plan: the
    canonical plan, without a second solve. The two-worker stage and the canonical solve
    after it took 0.41 + 0.35 s on the near-duplicate gym week and 0.71 + 0.15 s on
    seed000_split; this, 0.31 and 0.35 s (captured models, three runs each; the LP bound
    proves these stages, and one thread of it is not slowed by a second).
    """
    hint = model.proto.solution_hint
    saved = (list(hint.vars), list(hint.values))
    model.clear_hints()
    solver = _canonical_solver(params, seconds, wall)
    solver.parameters.max_deterministic_time = min(solver.parameters.max_deterministic_time or cap, cap)
    status = solver.solve(model, callback)
    stats["solves"] = stats.get("solves", 0) + 1
    if status == cp_model.OPTIMAL:
        stats["canonical_stage"] = stats.get("canonical_stage", 0) + 1
        return solver
    stats["canonical_stage_missed"] = stats.get("canonical_stage_missed", 0) + 1
    _set_hint(model, *saved)
    return None


def _canonical_solver(params: SolveParams, seconds: float, wall: float | None = None):
    """A solver whose search ends at the canonical plan: one worker, the LP settings."""
    solver = _solver(params, seconds, workers=1, wall=wall)
    solver.parameters.cp_model_presolve = CANON_PRESOLVE
    _lp_params(solver, params)
    return solver


def _waste_as_handed_on(values: dict, bounds: dict, terms: dict, solver) -> None:
    """The wasted-set stage settles only its sum (ineffective + 100 x overshoot): a later
    stage or the canonical solve may split the same sum otherwise. Once that stage is
    proven, each part is its value in the solution handed on, not in the stage's own: a
    batch athlete's stage ended at ineffective 27 and overshoot 1, the plan at 28 and 0,
    and the result reported a bound of 1 on its overshoot of 0 (the checker's rule
    ``bound`` rejected it). An unproven stage bounds neither part (0): nothing to mend."""
    if solver is None or any(n not in terms or n not in values for n in WASTE):
        return
    if all(bounds.get(n) == values[n] for n in WASTE):
        for n in WASTE:
            values[n] = bounds[n] = round(solver.value(terms[n]))


def _label(name) -> str:
    return "+".join(name) if isinstance(name, tuple) else name


def _seed_better(seed_values: dict, fixed: dict, name, current: int) -> bool:
    """True when the seed plan meets every fixed stage value and beats ``current`` on ``name``
    (for the merged tie-breaks, on minutes then exercises)."""
    if any(seed_values.get(n, 0) > val for n, val in fixed.items()):
        return False
    if isinstance(name, tuple):
        return False  # ``current`` is a merged value; the hint of the stage before stands
    return seed_values.get(name, 0) < current


def _term_values(ctx, v, solver) -> dict[str, int]:
    return {n: int(solver.value(e)) for n, e in collect_terms(ctx, v).items()}
