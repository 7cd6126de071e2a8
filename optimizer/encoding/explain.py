"""Why no plan exists, with CP-SAT: a minimal conflict, and the cheapest repairs.

Both work on the monolithic day-level model, which is exact (stage A of :mod:`.solve` is
only a relaxation, so a conflict proven there would prove nothing), built with *loose*
domains (:class:`~.variables.DailyVars` ``loose=True``: no day budget or sets range baked
into a variable's bounds) over a Problem that keeps every catalogue exercise
(``build_problem(..., keep_blocked=True)``): switching a requirement off, or moving its
bound, then really frees what it bound.

Every solve here is deterministic: one worker, a fixed seed, and a *deterministic* time
limit (CP-SAT's work units, not wall seconds), so the same scenario gets the same answer
every run, whatever ``--workers`` the caller solves with. (Conflict cores from
assumptions are only reliable that way in any case.)

Minimal conflict: every hard requirement has its own assumption literal
(``guard_mode="requirement"``); CP-SAT's sufficient assumptions give a first core, then a
deletion filter in key order shrinks it: a member stays only if the rest, with that
member switched off and every requirement outside the set switched off too, is feasible.
A rest that is still infeasible gives a new, smaller core (core refinement).

Repairs: the same model, where a :class:`RepairContext` turns each relaxable bound into a
slack (minutes, volume floors and caps, ratios, sets range, exercises per session, days
per exercise), a ladder (recovery hours, knee-flexion limit, level), an equipment
purchase, or a droppable requirement (pins, required exercises, exclusions, the calf
rule, hard pairing), and minimises, as a person would rank them, the number of changes
first and then the documented cost :data:`COSTS` (a single change that restores a plan
comes before any combination, however cheap; among single changes the amount is the least
that works, so lowering one floor says how much of it fits). Further options
forbid each previous option's pattern (the set of things it relaxed, and so every option
relaxing all of them too) and solve again.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..problem import Problem
from .context import Context, Requirement
from .families.volume import volume_expr
from .solve import build, new_solver, watched

#: Deterministic time per solve (CP-SAT work units, about a second of one core or less).
DETERMINISTIC_LIMIT = 10.0
#: Deterministic time for a whole minimal-conflict search; past it, the conflict found so
#: far is reported as not proven minimal.
CONFLICT_BUDGET = 40.0
#: A wall-clock safety net far above what the deterministic limit allows.
WALL_SAFETY_S = 60.0

#: Cost of each kind of repair, per unit. Minutes are the yardstick: one minute more on
#: a day costs 1; a set of a volume floor given up costs 4 (about two sets' time: a floor
#: is a training goal); a set more under a cap 3; a set outside a ratio range 4; one more
#: exercise per session, set per exercise or day per exercise 5; a day less of recovery
#: (24 h) 10; a degree more knee flexion 1 (so 90 -> 100 degrees costs 10); a level up 15;
#: an equipment item bought 15; a pin, required exercise, exclusion, the calf rule or a
#: hard pairing given up 12.
COSTS = {
    "minute": 1,
    "volume_min_set": 4,
    "volume_max_set": 3,
    "ratio_set": 4,
    "session_limit": 5,
    "recovery_day": 10,
    "knee_degree": 1,
    "level": 15,
    "equipment_item": 15,
    "drop": 12,
}
DROPPABLE = frozenset({"pinned", "required", "exclusions", "calves", "pairing"})
INFEASIBLE, FEASIBLE, UNKNOWN = "INFEASIBLE", "FEASIBLE", "UNKNOWN"


def _solver(seed: int, limit: float, wall: float = WALL_SAFETY_S) -> cp_model.CpSolver:
    s = new_solver()
    s.parameters.num_workers = 1
    s.parameters.random_seed = seed
    s.parameters.max_deterministic_time = limit
    s.parameters.max_time_in_seconds = wall
    return watched(s)


# Minimal conflict --------------------------------------------------------------------


@dataclass
class ConflictOutcome:
    status: str  # INFEASIBLE: ``keys`` is a conflict; FEASIBLE: none; UNKNOWN: undecided
    keys: list[str] = field(default_factory=list)
    requirements: dict[str, Requirement] = field(default_factory=dict)
    minimal: bool = False  # every deletion test was decided
    solves: int = 0
    work: float = 0.0  # deterministic time used


def conflict_model(problem: Problem):
    """The loose daily model with one assumption literal per hard requirement."""
    return build(problem, daily=True, guard_mode="requirement", loose=True)


def _wall_left(deadline: float | None) -> float:
    """Wall-clock seconds a check may take: the safety net, or what is left before ``deadline``
    (a ``time.perf_counter()`` value: the whole command's clock)."""
    return WALL_SAFETY_S if deadline is None else min(WALL_SAFETY_S, max(0.0, deadline - time.perf_counter()))


def check_subset(
    model, ctx, keys, seed: int = 0, limit: float = DETERMINISTIC_LIMIT, want_core: bool = False, wall: float = WALL_SAFETY_S
):
    """Solve with exactly the requirements ``keys`` on (the rest off).

    Returns (status, core). Without ``want_core`` the literals are fixed in a copy of the
    model, which presolve then simplifies: the fastest way to decide. With it they are
    assumptions, and when infeasible ``core`` is a subset of ``keys`` the solver found
    sufficient; half-enforced linear rules then need linearization level 2, or the LP
    misses them (a one-day scenario went from undecided in 10 s to proven in 0.02 s).
    """
    solver = _solver(seed, limit, wall)
    check_subset.last_work = 0.0
    if not want_core:
        m = model.clone()
        m.clear_assumptions()
        chosen = set(keys)
        for k, lit in ctx.literals.items():
            m.add(m.get_bool_var_from_proto_index(lit.index) == int(k in chosen))
        status = solver.solve(m)
    else:
        model.clear_assumptions()
        model.add_assumptions([ctx.literals[k] for k in keys])
        solver.parameters.linearization_level = 2
        status = solver.solve(model)
        model.clear_assumptions()
    check_subset.last_work = solver.deterministic_time
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return FEASIBLE, []
    if status == cp_model.INFEASIBLE:
        if not want_core:
            return INFEASIBLE, sorted(keys)
        by_index = {ctx.literals[k].index: k for k in keys}
        core = sorted(by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index)
        return INFEASIBLE, core or sorted(keys)
    return UNKNOWN, []


def minimal_conflict(
    problem: Problem,
    seed: int = 0,
    limit: float = DETERMINISTIC_LIMIT,
    budget: float = CONFLICT_BUDGET,
    deadline: float | None = None,
) -> ConflictOutcome:
    """A minimal set of hard requirements that cannot hold together (see module doc).

    ``deadline`` (a ``time.perf_counter()`` value): the command's clock. Past it, an
    undecided question is UNKNOWN and a conflict found so far is returned not proven
    minimal; without it only the deterministic limits (and the wall-clock safety net) apply."""
    model, ctx, _ = conflict_model(problem)
    out = ConflictOutcome(UNKNOWN, requirements=dict(ctx.requirements))
    everything = sorted(ctx.literals)
    status, _ = check_subset(model, ctx, everything, seed, limit, wall=_wall_left(deadline))  # decide first: fastest
    out.solves, work = 1, check_subset.last_work
    if status != INFEASIBLE:
        out.status = status
        return out
    status, members = check_subset(model, ctx, everything, seed, limit, want_core=True, wall=_wall_left(deadline))
    out.solves += 1
    work += check_subset.last_work
    if status != INFEASIBLE:
        members = everything  # no core in time: delete from everything
    necessary: list[str] = []
    proven = True
    i = 0
    while i < len(members):
        if work > budget or _wall_left(deadline) <= 0:
            proven = False
            break
        rest = members[:i] + members[i + 1 :]
        status, _ = check_subset(model, ctx, rest, seed, limit, wall=_wall_left(deadline))
        out.solves += 1
        work += check_subset.last_work
        if status == INFEASIBLE:
            members = rest
            if len(rest) - len(necessary) > 2:  # worth a core: it may drop several at once
                status, core = check_subset(model, ctx, rest, seed, limit / 4, want_core=True, wall=_wall_left(deadline))
                out.solves += 1
                work += check_subset.last_work
                if status == INFEASIBLE:
                    # Members before i are necessary, so any core of the rest holds them all.
                    keep = set(core) | set(necessary)
                    members = [k for k in rest if k in keep]
        else:
            proven &= status == FEASIBLE
            necessary.append(members[i])
            i += 1
    out.status, out.keys, out.minimal, out.work = INFEASIBLE, members, proven, round(work, 3)
    return out


# Repairs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Relaxation:
    """One change a repair makes, in the Problem's units; the caller turns it into words."""

    kind: str  # "slack", "ladder", "add" (equipment) or "drop"
    path: str  # where in the scenario ("equipment" for an addition)
    amount: int  # slack units, ladder amount in the bound's own units, 1 for add/drop
    cost: int
    item: str = ""  # the equipment id ("add") or the requirement key ("drop")


@dataclass
class RepairOutcome:
    relaxations: list[Relaxation]
    cost: int
    proven_cheapest: bool
    ratios: dict[str, tuple[int, int]] = field(default_factory=dict)  # balance key -> (num, den), scaled
    requirements: dict[str, Requirement] = field(default_factory=dict)


def _ladder_cost(family: str, amount: int) -> int:
    if family == "recovery":
        return math.ceil(COSTS["recovery_day"] * amount / 24)
    if family == "joint_limits":
        return COSTS["knee_degree"] * amount
    return COSTS["level"] * amount


def _slack_cost(req: Requirement, path: str) -> int:
    if req.family == "time_budget":
        return COSTS["minute"]
    if req.family == "volume":
        return COSTS["volume_min_set"] if path.endswith(".min") else COSTS["volume_max_set"]
    if req.family == "balance":
        return COSTS["ratio_set"]
    return COSTS["session_limit"]


class RepairContext(Context):
    """A context whose hooks let bounds move at a cost; droppable requirements keep a literal."""

    def __init__(self, model, problem, guard_mode="requirement"):
        super().__init__(model, problem, guard_mode)
        self.slacks: dict[str, tuple[cp_model.IntVar, int]] = {}  # path -> (units, cost per unit)
        self.ladders: dict[str, tuple[str, dict[int, cp_model.IntVar]]] = {}  # path -> (family, amount -> lit)
        self.additions: dict[str, cp_model.IntVar] = {}  # equipment id -> bought
        self.flags: dict[str, cp_model.IntVar] = {}  # pattern key -> "this is relaxed"
        self.most: dict[str, int] = {}  # slack path -> its largest value

    def guard(self, req: Requirement) -> list:
        self.requirements.setdefault(req.key, req)
        if req.family not in DROPPABLE:
            return []  # always holds; its hooks give it room
        return super().guard(req)

    def slack(self, req, unit, limit, path=None):
        path = path or req.path
        if limit <= 0:
            return 0
        if path not in self.slacks:
            self.slacks[path] = (self.model.new_int_var(0, limit, f"slack[{path}]"), _slack_cost(req, path))
            self.most[path] = limit
        return unit * self.slacks[path][0]

    def relax_by(self, req, amount, path=None):
        if amount <= 0:
            return 1
        path = path or req.path
        family, rungs = self.ladders.setdefault(path, (req.family, {}))
        if amount not in rungs:
            rungs[amount] = self.model.new_bool_var(f"relax[{path}>={amount}]")
        return rungs[amount]

    def adds(self, req, options):
        for q in options:
            if q not in self.additions:
                self.additions[q] = self.model.new_bool_var(f"buy[{q}]")
        return sum(self.additions[q] for q in options)

    def cost_expr(self):
        """Tie ladders together, define the pattern flags, and return the total cost."""
        m, terms = self.model, []
        for path, (var, cost) in sorted(self.slacks.items()):
            flag = m.new_bool_var(f"relaxed[{path}]")
            m.add(var >= 1).only_enforce_if(flag)
            m.add(var == 0).only_enforce_if(~flag)
            self.flags[path] = flag
            terms.append(cost * var)
        for path, (family, rungs) in sorted(self.ladders.items()):
            amounts = sorted(rungs)
            prev = 0
            for lo, hi in zip(amounts, amounts[1:]):
                m.add_implication(rungs[hi], rungs[lo])
            for a in amounts:
                terms.append((_ladder_cost(family, a) - _ladder_cost(family, prev)) * rungs[a])
                prev = a
            self.flags["ladder:" + path] = rungs[amounts[0]]
        for q, var in sorted(self.additions.items()):
            self.flags["add:" + q] = var
            terms.append(COSTS["equipment_item"] * var)
        for key, lit in sorted(self.literals.items()):
            dropped = lit.Not()
            self.flags["drop:" + key] = dropped
            terms.append(COSTS["drop"] * dropped)
        return sum(terms)

    def cost_bound(self) -> int:
        """A cost no repair reaches: every slack at its largest, every ladder at its top,
        every item bought, every droppable requirement dropped."""
        total = sum(cost * self.most[path] for path, (_, cost) in self.slacks.items())
        total += sum(_ladder_cost(family, max(rungs)) for family, rungs in self.ladders.values())
        total += COSTS["equipment_item"] * len(self.additions) + COSTS["drop"] * len(self.literals)
        return total + 1


def _read(problem: Problem, ctx: RepairContext, v, solver) -> tuple[list[Relaxation], dict]:
    out = []
    for path, (var, cost) in sorted(ctx.slacks.items()):
        n = solver.value(var)
        if n:
            out.append(Relaxation("slack", path, n, n * cost))
    for path, (family, rungs) in sorted(ctx.ladders.items()):
        on = [a for a in sorted(rungs) if solver.value(rungs[a])]
        if on:
            out.append(Relaxation("ladder", path, on[-1], _ladder_cost(family, on[-1])))
    for q, var in sorted(ctx.additions.items()):
        if solver.value(var):
            out.append(Relaxation("add", "equipment", 1, COSTS["equipment_item"], q))
    for key, lit in sorted(ctx.literals.items()):
        if not solver.value(lit):
            out.append(Relaxation("drop", ctx.requirements[key].path, 1, COSTS["drop"], key))
    ratios = {}
    for r in problem.ratios:
        if r.hard:
            num, den = volume_expr(v, r.num_coef), volume_expr(v, r.den_coef)
            ratios[r.key] = (int(solver.value(num)) if not isinstance(num, int) else 0, int(solver.value(den)) if not isinstance(den, int) else 0)
    return out, ratios


def cheapest_repairs(
    problem: Problem, count: int = 3, seed: int = 0, limit: float = DETERMINISTIC_LIMIT, deadline: float | None = None
) -> list[RepairOutcome]:
    """Up to ``count`` distinct repairs, fewest changes first, then cheapest (see module doc
    and :data:`COSTS`): a single change that restores a plan comes before any combination.
    ``deadline`` (a ``time.perf_counter()`` value): the command's clock; none are looked for
    past it."""
    model, ctx, v = build(problem, daily=True, guard_mode="requirement", loose=True, context=RepairContext)
    cost = ctx.cost_expr()
    changes = sum(ctx.flags.values())
    # Fewest changes first, then the cheapest: a person tries one change before a combination.
    model.minimize(ctx.cost_bound() * changes + cost)
    options: list[RepairOutcome] = []
    while len(options) < count and _wall_left(deadline) > 0:
        solver = _solver(seed, limit, _wall_left(deadline))
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        relaxations, ratios = _read(problem, ctx, v, solver)
        if not relaxations:
            break  # the scenario needs no repair
        options.append(RepairOutcome(relaxations, round(solver.value(cost)), status == cp_model.OPTIMAL, ratios, dict(ctx.requirements)))
        pattern = [ctx.flags[_flag_key(r)] for r in relaxations]
        model.add(sum(pattern) <= len(pattern) - 1)
    return options


def _flag_key(r: Relaxation) -> str:
    if r.kind == "slack":
        return r.path
    if r.kind == "ladder":
        return "ladder:" + r.path
    if r.kind == "add":
        return "add:" + r.item
    return "drop:" + r.item


def requirements(problem: Problem) -> dict[str, Requirement]:
    """Every hard requirement of ``problem``, by key, in the user's words. Supersets add no
    requirement, only pairs to weigh: built without them (their pairs took most of a second
    to build on the time-crunched week, only for these labels)."""
    from dataclasses import replace

    _, ctx, _ = conflict_model(replace(problem, supersets=()))
    return dict(ctx.requirements)
