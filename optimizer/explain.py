"""``programme explain``: what stops a plan, or what limits it, in the user's own words.

For a scenario with no plan:

- a **minimal conflict**: hard requirements that cannot hold together, such that removing
  any one of them makes the rest feasible (each named as in the file, e.g. "Monday: 15
  minutes", with its path, e.g. ``days[0].minutes``);
- the **cheapest repairs**: up to N distinct changes to the scenario, cheapest first under
  the documented cost (:data:`optimizer.encoding.explain.COSTS`), each *verified*: the
  repaired scenario is solved by :func:`optimizer.solve` and its plan re-checked by the
  independent checker, and the plan it gives is shown.

For a scenario with a plan: the soft requirements not met (shortfall per target, distance
outside a ratio range, sets off their paired day), the hard requirements that bind (a day
budget used to within one set, a cap met exactly, a ratio at its bound, a session full,
recovery keeping a short group off a free day, a limit leaving out useful exercises), and,
when goals are missed, the minimal set of requirements that keeps them from being met.

The CP-SAT parts live in :mod:`optimizer.encoding.explain`; this module only orchestrates,
words and renders. Explanations are deterministic: the explaining solves use one worker, a
fixed seed and a deterministic time limit.
"""

from __future__ import annotations

import time
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .catalogue import Catalogue
from .problem import build_problem
from .progress import note
from .repairs import (  # noqa: F401 - ConflictItem, Change, RepairOption, plan_summary, explain_problem: public here too
    Change,
    ConflictItem,
    RepairOption,
    explain_problem,
    minimal_conflict,
    plan_summary,
    repairs,
)
from .result import ObjectiveTerm, Plan, Status
from .scenario import WEEKDAYS, Scenario

FIRST_CHECK_SHARE = 0.3  # of an explicit limit, for the conflict check before the solve


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Unmet(_Model):
    kind: str = Field(description="shortfall, balance or pairing")
    label: str
    path: str
    amount: float = Field(description="Sets short, sets outside the range, or sets off the paired day.")
    detail: str = ""


class Binding(_Model):
    key: str
    label: str
    path: str
    detail: str


class Explanation(_Model):
    scenario: str
    status: Status = Field(description="Of the normal solve (INFEASIBLE: no plan exists).")
    message: str
    conflict: list[ConflictItem] = Field(
        default_factory=list, description="No plan: a minimal set of hard requirements that cannot hold together."
    )
    conflict_minimal: bool = Field(False, description="Every member was shown necessary (each removal tested).")
    repairs: list[RepairOption] = Field(default_factory=list)
    plan: Plan | None = None
    objective_terms: list[ObjectiveTerm] = Field(default_factory=list)
    unmet: list[Unmet] = Field(default_factory=list, description="Soft requirements the plan does not meet.")
    binding: list[Binding] = Field(default_factory=list, description="Hard requirements that limit the plan.")
    limits: list[ConflictItem] = Field(
        default_factory=list,
        description="With unmet goals: a minimal set of requirements (the goals made hard among them) that cannot all hold.",
    )
    wall_time_s: float = 0.0
    stats: dict = Field(default_factory=dict)


# Feasible scenarios: what the plan misses, and what limits it ---------------------------


def unmet_goals(scenario: Scenario, catalogue: Catalogue, plan: Plan) -> list[Unmet]:
    """Soft requirements ``plan`` does not meet: target shortfalls, ratios outside, pairing."""
    out = []
    for v in plan.volume:
        if v.shortfall > 1e-9 and v.min is not None and not v.hard:
            out.append(
                Unmet(
                    kind="shortfall",
                    label=f"{v.unit.replace('_', ' ')} at least {v.min:g} sets",
                    path=f"targets.{v.unit}.min",
                    amount=v.shortfall,
                    detail=f"{v.sets:g} of {v.min:g} sets: {v.shortfall:g} short",
                )
            )
    for r in plan.ratios:
        if r.outside > 1e-9 and not r.hard:
            words = r.name.replace("_to_", ":").replace("_", " ")
            value = "n/a" if r.value is None else f"{r.value:.2f}"
            out.append(
                Unmet(
                    kind="balance",
                    label=f"{words} between {r.min:g} and {r.max:g}",
                    path=f"balance.{r.name}",
                    amount=r.outside,
                    detail=f"ratio {value} ({r.numerator_sets:g} : {r.denominator_sets:g} sets), {r.outside:g} sets outside",
                )
            )
    if not scenario.rules.pairing_hard:
        labels = {d.day: d.shares_with for d in scenario.days}
        for g, home in scenario.rules.pairing.items():
            off = [
                (day, x) for day, x in plan.entries()
                if labels[day] != home and g in catalogue.primary_groups(catalogue.exercise_by_id[x.exercise])
            ]
            if off:
                sets = sum(x.sets for _, x in off)
                where = ", ".join(f"{x.name} on {day} ({x.sets} sets)" for day, x in off)
                out.append(
                    Unmet(
                        kind="pairing",
                        label=f"{g.replace('_', ' ')} on {home.replace('_', ' ')} days",
                        path=f"rules.pairing.{g}",
                        amount=float(sets),
                        detail=where,
                    )
                )
    return out


def _group_of(catalogue: Catalogue, unit: str) -> str:
    """The group a target unit (a group or a muscle) belongs to."""
    return unit if unit in catalogue.group_by_id else catalogue.group_of_muscle[unit]


def binding_requirements(scenario: Scenario, catalogue: Catalogue, plan: Plan, unmet: list[Unmet]) -> list[Binding]:
    """Hard requirements that limit ``plan`` (see the module doc for each test)."""
    from .encoding.explain import requirements
    from .problem import circular_hours

    problem = build_problem(scenario, catalogue)
    reqs = requirements(explain_problem(scenario, catalogue))
    usable = [e for e in problem.exercises if not e.blocked]
    shortest = min((s for e in usable for s in e.set_s), default=0)
    out: list[Binding] = []

    def bind(key: str, detail: str) -> None:
        r = reqs.get(key)
        if r is not None:
            out.append(Binding(key=key, label=r.label, path=r.path, detail=detail))

    spare: dict[str, float] = {}
    for d in plan.days:
        spare[d.day] = d.minutes_budget * 60 - d.minutes_used * 60
        if d.exercises and spare[d.day] < shortest - 1e-6:
            bind(f"time_budget:{d.day}", f"{d.minutes_used:g} of {d.minutes_budget} min used: not one more set fits")
        if len(d.exercises) >= scenario.rules.max_exercises_per_session:
            bind(f"session_limits:exercises:{d.day}", f"{len(d.exercises)} exercises: the session is full")
    for v in plan.volume:
        if v.max is not None and v.sets >= v.max - 1e-9:
            bind(f"volume:{v.unit}:max", f"{v.sets:g} sets: the cap is reached")
        if v.hard and v.min is not None and v.sets <= v.min + 1e-9:
            bind(f"volume:{v.unit}:min", f"{v.sets:g} sets: met exactly")
    for r in plan.ratios:
        if r.hard and r.value is not None:
            for end, bound in (("lower", r.min), ("upper", r.max)):
                if abs(r.numerator_sets - bound * r.denominator_sets) < 1e-6:
                    bind(f"balance:{r.name}", f"ratio {r.value:.2f}: at its {end} bound")
    smax = scenario.rules.sets_per_exercise.max
    full = [f"{x.name} on {day}" for day, x in plan.entries() if x.sets >= smax]
    if full:
        bind("session_limits:sets", f"at {smax} sets: " + ", ".join(full))
    days_of: dict[str, list[str]] = {}
    for day, x in plan.entries():
        days_of.setdefault(x.name, []).append(day)
    most = [name for name, ds in days_of.items() if len(ds) >= scenario.rules.max_days_per_exercise]
    if most and scenario.rules.max_days_per_exercise < len(scenario.days):
        bind("variety:days", "on the most days allowed: " + ", ".join(most))

    # Groups short of a goal: what keeps them from more work.
    short = [u for u in unmet if u.kind == "shortfall"]
    weekday = {d.day: WEEKDAYS.index(d.day) for d in scenario.days}
    gap = scenario.recovery.min_hours_between_same_group
    for u in short:
        unit = u.path.split(".")[1]
        group = _group_of(catalogue, unit)
        loaded = sorted(
            {day for day, x in plan.entries() if group in catalogue.primary_groups(catalogue.exercise_by_id[x.exercise])},
            key=WEEKDAYS.index,
        )
        blocked = []
        for d in scenario.days:
            if d.day in loaded or spare.get(d.day, 0) < shortest:
                continue
            near = [o for o in loaded if circular_hours(weekday[o], weekday[d.day]) < gap]
            if near:
                blocked.append(f"{d.day} (next to {', '.join(near)})")
        if blocked:
            bind(f"recovery:{group}", f"keeps {group} off days with time to spare: {'; '.join(blocked)}")
        reasons = {"equipment": "equipment:owned", "knee": "joint_limits:knee", "level": "level:level"}
        for prefix, key in reasons.items():
            names = []
            for ex_id, why in problem.left_out:
                ex = catalogue.exercise_by_id[ex_id]
                # "Training" a unit: credited at least half a set per set (secondary or more).
                credit = catalogue.group_activation(ex).get(unit, 0.0) if unit == group else ex.activation.get(unit, 0.0)
                trains = credit >= 0.5
                if trains and any(w.startswith(prefix) for w in why.split("; ")):
                    names.append(ex.name)
            if names:
                shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
                bind(key, f"leaves out {len(names)} exercise(s) training {unit.replace('_', ' ')}: {shown}")
    seen: dict[tuple[str, str], Binding] = {}
    for b in out:
        seen.setdefault((b.key, b.detail), b)
    return list(seen.values())


def goals_scenario(scenario: Scenario, unmet: list[Unmet]) -> Scenario:
    """``scenario`` with every unmet soft goal made a hard requirement."""
    data = scenario.model_dump(mode="python")
    for u in unmet:
        if u.kind == "shortfall":
            data["targets"][u.path.split(".")[1]]["hard"] = True
        elif u.kind == "balance":
            data["balance"][u.path.split(".")[1]]["hard"] = True
        else:
            data["rules"]["pairing_hard"] = True
    return Scenario.model_validate(data)


# The whole explanation ------------------------------------------------------------------


def explain(
    scenario: Scenario,
    catalogue: Catalogue,
    *,
    source: str | None = None,
    repair_count: int = 3,
    seed: int = 0,
    workers: int = 1,
    time_limit_s: float | None = None,
    limits: bool = True,
) -> Explanation:
    """Explain ``scenario``: a minimal conflict and verified repairs when no plan exists;
    unmet goals, binding requirements and what limits them when one does.

    The explaining solves use one worker; ``workers``, ``seed`` and ``time_limit_s`` apply
    to the plan solves (the scenario's own, and each repair's check).
    """
    from .solver import solve

    t0 = time.perf_counter()
    # An explicit limit is the whole command's: the conflict search, the solve, what limits
    # the unmet goals and the repairs' verifications share it, in that order.
    deadline = None if time_limit_s is None else t0 + time_limit_s

    def left() -> float | None:
        return None if deadline is None else max(0.0, deadline - time.perf_counter())

    # The deterministic day-level check first: when it proves there is no plan, the normal
    # solve (whose decomposition may take a while to prove that) is not needed at all. Under
    # a limit it gets a share: on a feasible week it only delays the plan (2.2 s of a 3 s
    # limit on the time-crunched week with supersets), and the solve decides too.
    note("looking for a conflict")
    first = None if deadline is None else t0 + FIRST_CHECK_SHARE * time_limit_s
    status, items, minimal, solves = minimal_conflict(scenario, catalogue, source, seed, deadline=first)
    stats: dict = {"conflict_solves": solves}
    if status == "INFEASIBLE":
        result = None
        expl = Explanation(scenario=scenario.name, status=Status.INFEASIBLE, message="")
    else:
        note("solving the plan")
        result = solve(scenario, catalogue, workers=workers, seed=seed, time_limit_s=left(), source=source, diagnose=False)
        expl = Explanation(scenario=scenario.name, status=result.status, message=result.message)
        stats["solve_s"] = result.wall_time_s
        if result.status == Status.INFEASIBLE and status != "INFEASIBLE":  # the solve decided: now the conflict
            note("looking for a conflict")
            status, items, minimal, solves = minimal_conflict(scenario, catalogue, source, seed, deadline=deadline)
            stats["conflict_solves"] += solves
    if result is not None and result.status.has_plan:
        expl.plan, expl.objective_terms = result.plan, result.objective_terms
        expl.unmet = unmet_goals(scenario, catalogue, result.plan)
        expl.binding = binding_requirements(scenario, catalogue, result.plan, expl.unmet)
        if expl.unmet and limits:
            if left() != 0:
                note("what limits the unmet goals")
                goals = goals_scenario(scenario, expl.unmet)
                status, items, minimal, solves = minimal_conflict(goals, catalogue, source, seed, deadline=deadline)
                stats["limit_solves"] = solves
                if status == "INFEASIBLE":
                    expl.limits = items
            if not expl.limits and left() == 0:
                stats["limits"] = "not found: time limit"
        expl.message = (
            f"{result.message} {len(expl.unmet)} soft requirement(s) not met; "
            f"{len(expl.binding)} hard requirement(s) bind."
        )
        if "limits" in stats:
            expl.message += " What limits the unmet goals was not found within the time limit."
    else:
        if status == "INFEASIBLE":
            expl.conflict, expl.conflict_minimal = items, minimal
            # An explicit limit is the whole command's: the verifications share what is left.
            expl.repairs = repairs(
                scenario, catalogue, repair_count, source=source, seed=seed, workers=workers, time_limit_s=time_limit_s,
                deadline=deadline, solve=solve,
            )
            n = len(items)
            expl.message = (
                f"No plan exists: these {n} requirement(s) cannot all hold"
                + (" (removing any one makes the rest possible)." if minimal else " (not proven minimal in the time allowed).")
            )
            if expl.repairs and expl.repairs[0].verified:
                expl.message += f" Simplest way out: {expl.repairs[0].text}."
            elif expl.repairs:
                expl.message += f" Simplest way out found, not verified in the time allowed: {expl.repairs[0].text}."
        elif status == "FEASIBLE":
            expl.message = "The requirements can all hold, but no plan was found in the time limit: try a longer --time-limit."
        else:
            expl.message = "The solver could not decide in the time allowed whether any plan exists."
    expl.wall_time_s = round(time.perf_counter() - t0, 4)
    expl.stats = stats
    return expl
