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
import threading
import time
import weakref
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..problem import Problem
from .context import Context
from .families import REGISTRY
from .parameters import enum_fields
from ..progress import note as _note
from .objective import ORDER, WASTE, collect_terms, weighted_coefficients
from .variables import DailyVars, WeeklyVars

OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN = "OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN"
MAX_ROUNDS = 8  # cut rounds before the monolithic model takes over: budgets tight
# enough to need many cuts (bin packing the aggregate cannot see) leave the day-level
# model small enough to prove quickly (PERFORMANCE.md, "tight budgets")
LOOP_SHARE = 0.6  # of the time limit the decomposition may use before the fallback
CANON_PRESOLVE = True
TIE_BREAKS = ("minutes", "exercises")  # the last two lexicographic terms, solved as one stage


# Reproducible by default (README, "Same plan on a busy machine"): every search is bounded
# by CP-SAT's deterministic time (a count of work, not seconds), DET_PER_S units per second
# of the time limit, and several workers search in CP-SAT's deterministic parallel mode
# (interleave_search). Budgets between searches are counted in the same units, so which
# searches run, and for how long, does not depend on the machine's load. The wall clock
# stays a safety net: no search runs past the time limit itself (a run cut by it says so in
# its stats, "wall_cut", and may then differ from run to run).
DET_PER_S = 0.15
DETERMINISTIC = False  # the default: see README, "Same plan on a busy machine", for why not yet


@dataclass
class SolveParams:
    time_limit_s: float = 10.0
    workers: int = 2
    seed: int = 0
    extra: dict = field(default_factory=dict)  # further SatParameters fields (presets)
    log: bool = False
    observer: object | None = None  # optional: told of every improving solution (see Observer)
    deterministic: bool = DETERMINISTIC  # budgets in deterministic time (else wall-clock seconds)
    wall_limit_s: float | None = None  # the wall-clock safety net (default: time_limit_s)


PLACE_GRACE_S = 0.5  # after Ctrl-C, placing the weekly totals found so far may take this long

class Observer:
    """Optional hook (``SolveParams.observer``) for benchmarks; the default does nothing.

    ``solution(kind, stage, values)`` is called for every improving solution of every
    optimisation stage: ``kind`` is "relaxed" for stage A (weekly totals, not yet a plan)
    and "plan" for a plan (a stage-B placement, or a monolithic solution); ``values`` are
    the objective terms in internal units (plus "weighted" for a weighted objective), and
    may leave out terms not known yet. "final" re-states a plan already reported, now with
    every term (the HiGHS backend, whose log shows only the stage's own value).
    ``log(line)`` receives CP-SAT's search log (benchmarks read presolve times from it).
    """

    def solution(self, kind: str, stage: str, values: dict[str, int]) -> None:
        pass

    def log(self, line: str) -> None:
        pass


class Stop:
    """Ends, from any thread, every search started under it (``with stop.governing():``).

    ``compare`` runs variants in threads; on Ctrl-C it stops them all, so the threads end
    at once rather than when their time limits run out. A solve stopped keeps the best it
    had found (a status without proof, as at a time limit); searches that start after
    ``stop()`` end at once. It reaches every CpSolver made here (:func:`watched`): solves,
    diagnoses, programmes.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopped = False
        self._live: weakref.WeakSet = weakref.WeakSet()
        self._children: weakref.WeakSet = weakref.WeakSet()
        parent = _STOP.get()  # made under another Stop (compare's pool under the CLI's): stopped with it
        if parent is not None:
            with parent._lock:
                parent._children.add(self)
                self._stopped = parent._stopped

    @property
    def stopped(self) -> bool:
        return self._stopped

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            for solver in list(self._live):
                solver.stop_search()
            children = list(self._children)
        for child in children:
            child.stop()

    def watch(self, solver) -> None:
        with self._lock:
            if self._stopped:
                solver.parameters.max_time_in_seconds = 0.0
            else:
                self._live.add(solver)

    @contextmanager
    def governing(self):
        """Searches started in this block (in this thread) are stopped by :meth:`stop`."""
        token = _STOP.set(self)
        try:
            yield self
        finally:
            _STOP.reset(token)


_STOP: ContextVar[Stop | None] = ContextVar("optimizer_stop", default=None)


def current_stop() -> Stop | None:
    return _STOP.get()


class _Callback(cp_model.CpSolverSolutionCallback):
    def __init__(self, observer, problem, stage: str, terms: dict, plan: bool):
        super().__init__()
        self.observer, self.problem, self.stage, self.terms, self.kind = observer, problem, stage, terms, "plan" if plan else "relaxed"

    def on_solution_callback(self) -> None:
        values = {n: int(self.value(e)) for n, e in self.terms.items()}
        if self.problem.objective == "weighted":
            coef = weighted_coefficients(self.problem)
            values = {"weighted": sum(coef[n] * x for n, x in values.items()), **values}
        self.observer.solution(self.kind, self.stage, values)


@dataclass
class Outcome:
    """What the encoding returns: indices only; names are put back by the caller."""

    status: str
    placement: list[tuple[int, int, int, int]] | None  # (exercise, day, scheme, sets)
    values: dict[str, int] = field(default_factory=dict)  # term -> internal value
    bounds: dict[str, int] = field(default_factory=dict)  # term -> proven lower bound
    method: str = "two-stage"
    stats: dict = field(default_factory=dict)
    conflict: list = field(default_factory=list)  # requirements (when infeasible)


class _Clock:
    """A budget of ``limit`` seconds.

    Deterministic (the default): the seconds are counted as CP-SAT's deterministic time of
    the searches run under the clock, divided by :data:`DET_PER_S`, so what a budget buys
    does not depend on the machine's load. The wall clock is the safety net: ``wall``
    seconds (default ``limit``, and never past an enclosing clock's), shared out as the
    budget is; when it is the tighter of the two, it decides (as with ``deterministic=False``)
    and the clock remembers that the run may not repeat (:meth:`wall_cut`).

    Searches count towards every clock :meth:`running` in their thread when they are made
    (:func:`_solver`), so a clock inside another (a programme's week bounds) charges both.
    """

    def __init__(self, limit: float, deterministic: bool = DETERMINISTIC, wall: float | None = None):
        self.start = time.perf_counter()
        self.limit = limit
        self.wall = limit if wall is None else wall
        self.deterministic = deterministic
        self.outer = _CLOCKS.get()
        self.stop = _STOP.get()
        self.solvers: list = []
        self.wall_bound = False

    @property
    def stopped(self) -> bool:
        return self.stop is not None and self.stop.stopped

    def spent(self) -> float:
        """Deterministic seconds used (deterministic time / DET_PER_S)."""
        total = 0.0
        for s in self.solvers:
            try:
                total += s.deterministic_time
            except Exception:  # noqa: BLE001 - made, not yet solved: nothing spent
                pass
        return total / DET_PER_S

    def wall_left(self, share: float = 1.0) -> float:
        own = self.wall * share - (time.perf_counter() - self.start)
        return min([own, *(c.wall_left() for c in self.outer)])

    def left(self, share: float = 1.0) -> float:
        """Seconds of the budget left (of ``share`` of it): deterministic ones, or none
        once the wall-clock safety net for that share has run out."""
        if self.stopped:
            return 0.0
        wall = self.wall_left(share)
        if not self.deterministic:
            return wall
        det = self.limit * share - self.spent()
        if wall <= 0 < det:
            self.wall_bound = True
            return 0.0
        return det

    def wall_cut(self) -> bool:
        """True when the wall clock, not the deterministic budget, decided something (a busy
        or slow machine): such a run may not repeat exactly. Ctrl-C is not counted."""
        if not self.deterministic or self.stopped:
            return False
        if self.wall_bound:
            return True
        for s in self.solvers:
            try:
                p, r = s.parameters, s.response_proto
            except Exception:  # noqa: BLE001 - never solved
                continue
            if r.status in (cp_model.OPTIMAL, cp_model.INFEASIBLE):
                continue
            if r.wall_time >= 0.95 * p.max_time_in_seconds and r.deterministic_time < 0.95 * p.max_deterministic_time:
                return True
        return False

    @contextmanager
    def running(self):
        """Searches made in this block (in this thread) count towards this clock."""
        outer = _CLOCKS.get()
        token = _CLOCKS.set(outer if self in outer else (*outer, self))
        try:
            yield self
        finally:
            _CLOCKS.reset(token)


_CLOCKS: ContextVar[tuple] = ContextVar("optimizer_clocks", default=())


def clock_for(params: SolveParams, limit: float | None = None) -> _Clock:
    """A clock for ``params`` (``limit`` seconds, default its time limit)."""
    limit = params.time_limit_s if limit is None else limit
    wall = params.wall_limit_s if params.wall_limit_s is not None and limit == params.time_limit_s else None
    return _Clock(limit, params.deterministic, wall)


def new_solver() -> cp_model.CpSolver:
    """A CpSolver that catches Ctrl-C only in the main thread; finish it with :func:`watched`.

    CP-SAT's own SIGINT handler (``catch_sigint_signal``, on by default) ends a search
    gracefully, but it is process-wide and its registration is not thread-safe: solves in
    several threads at once (``compare``) crash the process on Ctrl-C. There the main
    thread gets the KeyboardInterrupt and ends the searches with a :class:`Stop`.
    """
    s = cp_model.CpSolver()
    s.parameters.catch_sigint_signal = threading.current_thread() is threading.main_thread()
    return s


def watched(s: cp_model.CpSolver) -> cp_model.CpSolver:
    """``s``, its parameters set, under the :class:`Stop` governing this thread (if any)."""
    stop = _STOP.get()
    if stop is not None:
        stop.watch(s)
    return s


def _solver(
    params: SolveParams, seconds: float, workers: int | None = None, grace: float = 0.0, wall: float | None = None
) -> cp_model.CpSolver:
    """A solver with ``params`` and ``seconds`` of budget; ``grace``: seconds it may still
    run after a :class:`Stop` (placing the plan found so far on days when Ctrl-C comes, so
    that there is a plan). ``wall``: the wall-clock safety net of a deterministic budget
    (default: what the clocks running leave)."""
    s = new_solver()
    clocks = _CLOCKS.get()
    s.parameters.num_workers = workers or params.workers
    s.parameters.max_time_in_seconds = max(0.05, seconds)
    if params.deterministic:
        s.parameters.max_deterministic_time = max(0.05, seconds) * DET_PER_S
        if wall is None:
            wall = min([c.wall_left() for c in clocks] or [params.wall_limit_s or params.time_limit_s])
        s.parameters.max_time_in_seconds = max(0.05, wall)
        # Several workers: CP-SAT's deterministic parallel mode, else the result depends
        # on how the threads were scheduled.
        if s.parameters.num_workers > 1:
            s.parameters.interleave_search = True
            # One task per worker per batch: the default (three) proved the gym example's
            # stages 1.5-2x slower (benchmarks/bench_determinism.py).
            s.parameters.interleave_batch_size = s.parameters.num_workers
    s.parameters.random_seed = params.seed
    s.parameters.log_search_progress = params.log
    for key, value in params.extra.items():
        if isinstance(value, list):  # repeated field, e.g. subsolvers
            field_ = getattr(s.parameters, key)
            field_.clear()
            field_.extend(value)
        elif isinstance(value, str) and key in enum_fields():  # pybind enums take their own type: set by name
            if not s.parameters.merge_text_format(f"{key}: {value}"):
                raise ValueError(f"CP-SAT rejected {key} = {value}")
        else:
            setattr(s.parameters, key, value)
    if params.observer is not None:
        s.parameters.log_search_progress = True
        s.parameters.log_to_stdout = params.log
        s.log_callback = params.observer.log
    s = watched(s)
    for clock in clocks:
        clock.solvers.append(s)
    stop = _STOP.get()
    if grace and stop is not None and stop.stopped:
        s.parameters.max_time_in_seconds = grace
    return s


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
    model.clear_hints()
    for var in variables:
        model.add_hint(var, solver.value(var))


def _seed_values(v, placement) -> dict:
    """A known plan (``placement``) as values of ``v``'s decision variables, for a hint.

    Weekly containers get its totals per exercise, day class and scheme; daily ones its
    days. Variables the plan does not use are 0.
    """
    p = v.p
    sets: dict = {}
    sessions: dict = {}
    for e, d, k, n in placement:
        key = (e, d, k) if v.daily else (e, p.days[d].cls, k)
        sets[key] = sets.get(key, 0) + n
        sessions[key] = sessions.get(key, 0) + 1
    used = {e for e, _, _, _ in placement}
    out = {var: sets.get(key, 0) for key, var in v.sets.items()}
    for key, var in getattr(v, "sessions", {}).items():
        out[var] = sessions.get(key, 0)
    for key, var in getattr(v, "on", {}).items():
        out[var] = 1 if key in sessions else 0
    for e, var in v.used.items():
        out[var] = 1 if e in used else 0
    days = {d for _, d, _, _ in placement}
    for d, var in getattr(v, "trained", {}).items():
        out[var] = 1 if d in days else 0
    return out


def optimise(
    problem: Problem, model, ctx, v, params: SolveParams, clock: _Clock, share: float, stats: dict, *,
    terms: dict | None = None, all_vars: list | None = None, split: bool = False, on_stage=None, seed=None,
    probe: bool = True,
):
    """Lexicographic (or weighted) optimisation, then a one-worker canonical solve.

    ``terms`` and ``all_vars`` default to those of one week's (ctx, v); a multi-week
    programme passes its own. ``split`` lets each stage but the last use at most half of the
    time left, rather than letting the first stage take all of it. ``on_stage(solver)`` is called
    with each stage's solution (a caller may turn the first into an early plan).
    ``probe``: first ask for every term but the tie-breaks at its floor at once
    (:func:`_probe_floors`); a multi-week programme, whose model is large and whose
    presolve the probe would pay again, turns it off.
    ``seed`` (optional): (a known plan as variable values, its term values). It hints
    every stage it is still feasible for and no worse than the previous stage's solution,
    so a time-limited optimisation never ends worse than the known plan.
    Returns (status, solver with the final solution or None, values, bounds).
    """
    with clock.running():
        return _optimise(problem, model, ctx, v, params, clock, share, stats, terms, all_vars, split, on_stage, seed, probe)


def _optimise(problem, model, ctx, v, params, clock, share, stats, terms, all_vars, split, on_stage, seed, probe):
    if terms is None:
        terms = collect_terms(ctx, v)
    if all_vars is None:
        all_vars = [*v.sets.values(), *getattr(v, "sessions", {}).values(), *getattr(v, "on", {}).values(), *v.used.values()]
    if seed is not None:
        model.clear_hints()
        for var, value in seed[0].items():
            model.add_hint(var, value)
    if problem.objective == "weighted":
        coef = weighted_coefficients(problem)
        stages = [("weighted", sum(coef[n] * e for n, e in terms.items()))]
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
            stages.insert(at, (WASTE, terms["ineffective"] + 100 * terms["overshoot"]))
    values: dict[str, int] = {}
    bounds: dict[str, int] = {}
    proven = True
    quality = [s for s in stages if s[0] != TIE_BREAKS]
    solver = last_ok = _probe_floors(model, quality, params, clock.left(share)) if probe else None
    if probe and len(quality) >= 2:
        stats["probe"] = "all at floor" if solver is not None else "no"
    for i, (name, expr) in enumerate(stages):
        if seed is not None and solver is not None and _seed_better(seed[1], values, name, solver.value(expr)):
            model.clear_hints()
            for var, value in seed[0].items():
                model.add_hint(var, value)
        model.minimize(expr)
        last = i == len(stages) - 1
        if solver is not None and name != TIE_BREAKS and solver.value(expr) <= _floor(model):
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
        solver = _solver(params, clock.left(share) / part, wall=clock.wall_left(share) / part)
        if name == TIE_BREAKS:
            _tie_break_params(solver, params)
        callback = None
        if params.observer is not None:
            label = "+".join(name) if isinstance(name, tuple) else name
            callback = _Callback(params.observer, problem, label, terms, getattr(v, "daily", False))
        status = solver.solve(model, callback)
        stats["solves"] = stats.get("solves", 0) + 1
        if status == cp_model.INFEASIBLE:
            return INFEASIBLE, None, values, bounds
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            # Out of time in a later stage: the previous stage's solution is still a plan
            # (stage values fixed so far hold for it), so hand it on rather than nothing.
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
    if proven:
        # Canonical plan: no hint, one worker, every stage value fixed. Presolve off: with
        # every stage bound fixed it only costs time (gym example: 0.62 s -> 0.035 s).
        model.clear_hints()
        _note("the canonical plan")
        canon = _solver(params, clock.left(share), workers=1)
        canon.parameters.cp_model_presolve = CANON_PRESOLVE
        _tie_break_params(canon, params)
        status = canon.solve(model)
        stats["solves"] += 1
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solver = canon
    return (OPTIMAL if proven else FEASIBLE), solver, values, bounds


PROBE_DTIME = 0.05  # deterministic seconds the all-at-floor probe may spend before giving up
PROBE_SHARE = 0.2  # and at most this share of the time left (its presolve is not in that count)


def _probe_floors(model, stages: list, params: SolveParams, seconds: float):
    """A solution with every stage term at its floor (see :func:`_floor`), or None.

    In most plans every quality term is 0. One feasibility solve that asks for all of them
    at once then proves every one of those stages (each is at its least possible value),
    where the stages one by one would pay a search and a presolve each. It is capped in
    deterministic time (so the outcome does not depend on the machine's load); when it
    fails or gives up, the stages run one by one as before, and only its time is lost.
    """
    if len(stages) < 2 or _STOP.get() is not None and _STOP.get().stopped:
        return None
    probe = model.new_bool_var("probe_floors")
    for _, expr in stages:
        model.minimize(expr)
        model.add(expr <= math.floor(_floor(model))).only_enforce_if(probe)
    model.clear_objective()
    model.add_assumptions([probe])
    solver = _solver(params, seconds * PROBE_SHARE)
    solver.parameters.max_deterministic_time = min(solver.parameters.max_deterministic_time or PROBE_DTIME, PROBE_DTIME)
    status = solver.solve(model)
    model.clear_assumptions()
    return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


def _floor(model) -> float:
    """The least value ``model``'s objective can take over its variables' domains alone."""
    obj = model.proto.objective
    low = obj.offset
    for ref, coef in zip(obj.vars, obj.coeffs):
        var, coef = (ref, coef) if ref >= 0 else (-ref - 1, -coef)
        domain = list(model.proto.variables[var].domain)  # (the proto's list takes no negative index)
        low += coef * (domain[0] if coef > 0 else domain[-1])
    return low


TIE_BREAK_SUBSOLVERS: list[str] = ["max_lp", "core"]  # for 2 workers or more; see _tie_break_params


def _tie_break_params(solver, params: SolveParams) -> None:
    """Search settings for the tie-break stage and the canonical solve after it, unless a
    preset chose its own.

    Minutes are a covering problem whose proof lives in the LP bound: CP-SAT's cuts at the
    highest linearisation level close it where the default portfolio wanders (gym example,
    deterministic time of the stage ~0.4 -> ~0.07; benchmarks/bench_goal.py). The canonical
    solve (every stage fixed, one worker) finds its plan by the same LP: gym 0.30 -> 0.08.
    """
    if {"subsolvers", "linearization_level", "extra_subsolvers", "ignore_subsolvers"} & set(params.extra):
        return
    if solver.parameters.num_workers <= 1:
        solver.parameters.linearization_level = 2
    elif TIE_BREAK_SUBSOLVERS:
        solver.parameters.subsolvers.extend(TIE_BREAK_SUBSOLVERS[: solver.parameters.num_workers])


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


def place(problem: Problem, chosen: dict, params: SolveParams, seconds: float, spread: dict | None = None):
    """Stage B: put stage A's weekly totals on days. Returns (placement, core keys).

    ``spread``: group -> the days stage A counted it trained on (families.spread); each
    claim is an assumption too, keyed ``("spread", group)`` in the core.
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
        return placement_of(v, solver), None
    if status == cp_model.INFEASIBLE:
        core = [i for i in solver.sufficient_assumptions_for_infeasibility() if i in assumptions] or list(assumptions)
        core = _shrink(model, params, sorted(core), seconds)
        return None, [assumptions[i] for i in core]
    return None, None


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
        outcome = _solve_problem(problem, params, hint, clock)
    if clock.wall_cut():
        outcome.stats["wall_cut"] = True
    return outcome


def _solve_problem(problem: Problem, params: SolveParams, hint, clock: _Clock) -> Outcome:
    hint_values = _final_values(problem, hint) if hint else None
    stats: dict = {"rounds": 0, "cuts": 0, "solves": 0}
    cuts: list[list] = []
    first_bounds: dict[str, int] | None = None
    t0 = time.perf_counter()
    while stats["rounds"] < MAX_ROUNDS and clock.left(LOOP_SHARE) > 0:
        stats["rounds"] += 1
        tb = time.perf_counter()
        model, ctx, v = build(problem, daily=False)
        for cut in cuts:
            _add_nogood(model, ctx, v, cut)
        stats["build_s"] = stats.get("build_s", 0) + time.perf_counter() - tb
        seed = (_seed_values(v, hint), hint_values) if hint else None
        status, solver, values, bounds = optimise(problem, model, ctx, v, params, clock, LOOP_SHARE, stats, seed=seed)
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
        placement, core = place(problem, chosen, params, max(0.05, clock.left()), claims)
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
        return Outcome(UNKNOWN, None, bounds=first_bounds or {}, stats=stats)
    return _fallback(problem, params, clock, stats, first_bounds or {}, hint)


def _fallback(problem, params, clock, stats, a_bounds, hint=None) -> Outcome:
    """The monolithic day-level model with whatever time is left; stage A's bound stands."""
    model, ctx, v = build(problem, daily=True)
    seed = (_seed_values(v, hint), _final_values(problem, hint)) if hint else None
    status, solver, values, bounds = optimise(problem, model, ctx, v, params, clock, 1.0, stats, seed=seed)
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


def _final_values(problem: Problem, placement) -> dict[str, int]:
    """Objective terms of a placement, recomputed from the problem data (internal units)."""
    from .objective import weighted_coefficients

    sets_by_ex: dict[int, int] = {}
    for e, _, _, s in placement:
        sets_by_ex[e] = sets_by_ex.get(e, 0) + s
    out: dict[str, int] = {}

    def volume(t) -> int:
        return t.offset + sum(t.coef[e] * s for e, s in sets_by_ex.items())

    soft = [t for t in problem.targets if t.min and not t.hard]
    if soft:
        out["shortfall"] = sum(t.weight * max(0, t.min - volume(t)) for t in soft)
    best = problem.goal == "best_training"
    if best and problem.coverage:
        out["coverage"] = sum(1 for _, providers in problem.coverage if not any(e in sets_by_ex for e in providers))
    if best and problem.spread_groups:
        missing = 0
        for g in problem.spread_groups:
            days = {d for e, d, _, _ in placement if g in problem.exercises[e].primary_groups}
            days |= {d for d, grp in problem.preloaded if grp == g}
            missing += max(0, 2 - len(days))
        out["spread"] = missing
    aimed = [t for t in problem.targets if t.aim is not None and any(t.coef)]
    if best and aimed:
        out["overshoot"] = sum(max(0, (volume(t) - t.aim) // problem.scale) for t in aimed)
    if best and any(ex.effect_pct < 100 for ex in problem.exercises):
        out["ineffective"] = sum((100 - problem.exercises[e].effect_pct) * s for e, s in sets_by_ex.items())
    if problem.prefer or problem.avoid:
        out["preferences"] = sum(1 for e in problem.prefer if e not in sets_by_ex) + sum(1 for e in problem.avoid if e in sets_by_ex)
    soft_r = [r for r in problem.ratios if not r.hard]
    if soft_r:
        total = 0
        for r in soft_r:
            q = 100 * (r.num_offset + sum(r.num_coef[e] * s for e, s in sets_by_ex.items()))
            h = r.den_offset + sum(r.den_coef[e] * s for e, s in sets_by_ex.items())
            total += max(0, r.lo_pct * h - q, q - r.hi_pct * h)
        out["balance"] = total
    if problem.pairing and not problem.pairing_hard:
        out["pairing"] = sum(
            s
            for g, label in problem.pairing
            for e, d, _, s in placement
            if g in problem.exercises[e].primary_groups and problem.days[d].label != label
        )
    out["exercises"] = len(sets_by_ex)
    seconds = sum(problem.exercises[e].setup_s + problem.exercises[e].seconds(k) * s for e, _, k, s in placement)
    out["minutes"] = -(-seconds // 60)
    if problem.objective == "weighted":
        coef = weighted_coefficients(problem)
        out = {"weighted": sum(coef[n] * val for n, val in out.items()), **out}
    return out
