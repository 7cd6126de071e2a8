"""What every search here runs under: its parameters, budgets and stops.

:class:`SolveParams` (time limit, workers, seed, preset fields), the clocks that share a
budget between searches (wall clock, or CP-SAT's deterministic time with
``solver.reproducible``), :class:`Stop` (Ctrl-C ends every search at once, from any thread),
:func:`_solver` (a CpSolver with all of that set) and :class:`Outcome` (what a solve returns).
Split out of :mod:`.solve`, which re-exports these names.
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

from .parameters import enum_fields

OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN = "OPTIMAL", "FEASIBLE", "INFEASIBLE", "UNKNOWN"


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
    early_plan: bool = True  # a first plan from round one (.early_plan); off where only the final plan is read


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

    def __init__(self, deadline: float | None = None) -> None:
        self._lock = threading.Lock()
        self._stopped = False
        self._enough = False
        self._live: weakref.WeakSet = weakref.WeakSet()
        self._children: weakref.WeakSet = weakref.WeakSet()
        self.deadline = deadline  # a time.perf_counter() value no search under this Stop runs past
        parent = _STOP.get()  # made under another Stop (compare's pool under the CLI's): stopped with it
        if parent is not None:
            with parent._lock:
                parent._children.add(self)
                self._stopped, self._enough = parent._stopped, parent._enough
            if parent.deadline is not None:
                self.deadline = parent.deadline if deadline is None else min(deadline, parent.deadline)

    def seconds_left(self) -> float:
        """Wall-clock seconds until the deadline (infinite without one)."""
        return math.inf if self.deadline is None else max(0.0, self.deadline - time.perf_counter())

    @property
    def stopped(self) -> bool:
        return self._stopped

    @property
    def enough(self) -> bool:
        """Stopped by :meth:`satisfied`: the caller has the plan it wanted."""
        return self._enough

    def satisfied(self) -> None:
        """Stop because the caller has what it wanted (a first plan): unlike Ctrl-C, a solve
        then does no grace work to improve on the plan it has (placing a stopped round)."""
        with self._lock:
            self._enough = True
            children = list(self._children)
        for child in children:
            child.satisfied()
        self.stop()

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
                if self.deadline is not None:  # the command's clock: whatever budget the search was given
                    solver.parameters.max_time_in_seconds = min(solver.parameters.max_time_in_seconds, self.seconds_left())

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


class OutOfTime(Exception):
    """Ctrl-C or the command's deadline came while a large model was being built (a
    programme's every week: seconds of Python), so the build stopped: no search could use it."""


def check_time() -> None:
    """Raise :class:`OutOfTime` once the :class:`Stop` governing this thread has stopped or
    passed its deadline; building a large model calls it between weeks."""
    stop = _STOP.get()
    if stop is not None and (stop.stopped or stop.seconds_left() <= 0):
        raise OutOfTime


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

    @property
    def enough(self) -> bool:
        """Stopped because the caller has the plan it wanted (:meth:`Stop.satisfied`)."""
        return self.stop is not None and self.stop.enough

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
        command = self.stop.seconds_left() if self.stop is not None else math.inf  # the whole command's deadline
        return min([own, command, *(c.wall_left() for c in self.outer)])

    def part(self, share: float = 1.0, most: float = math.inf) -> "_Clock":
        """A clock for part of the work: ``share`` of what is left, at most ``most`` seconds
        (deterministic ones when the budget is: the wall clock then stays the safety net of
        the share, uncapped, so that the part repeats under load)."""
        wall = self.wall_left(share)
        return _Clock(min(most, self.left(share)), self.deterministic, wall=wall if self.deterministic else min(most, wall))

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


# One presolve pass, without probing, for every search (a preset may set its own). Most
# searches here are small and many (16 for an easy week: probes, stages, placements), and
# CP-SAT's default presolve (three passes with probing) cost 20-40 ms each where the search
# itself took a few (64 easy searches solved again alone: 1.44 -> 0.79 s; 167 of slow
# athletes: 15.2 -> 11.7 s). With the draft phase 1, batch athletes' solves 0.86x and the
# examples 0.83x (bench_athletes.py, bench_goal.py; benchmarks/README.md). Probing was off
# in the canonical solve before (every stage value fixed, it cost more than it saved).
LIGHT_PRESOLVE = {"max_presolve_iterations": 1, "cp_model_probing_level": 0}


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
    for key, value in LIGHT_PRESOLVE.items():
        setattr(s.parameters, key, value)
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
    if grace and stop is not None and (stop.stopped or stop.seconds_left() < grace):
        # Ctrl-C or the command's deadline: a placement of what was found still gets its grace
        s.parameters.max_time_in_seconds = grace if stop.stopped else max(s.parameters.max_time_in_seconds, grace)
    return s
