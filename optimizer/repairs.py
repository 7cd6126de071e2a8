"""Why no plan exists: a minimal conflict, and repairs ranked as a person would rank them.

The words and the scenario changes; the CP-SAT parts are :mod:`optimizer.encoding.explain`.

- :func:`minimal_conflict`: hard requirements that cannot hold together, each named as in
  the file ("Monday: 15 minutes", ``days[0].minutes``).
- :func:`repairs`: up to N distinct changes to the scenario, **fewest changes first**, then
  cheapest under the documented costs (:data:`optimizer.encoding.explain.COSTS`; README,
  "When no plan exists"): a single change that restores a plan comes before any
  combination, and when it lowers the one requirement out of reach, by the least that
  works, the text says how much fits ("at most 33 quadriceps sets fit this week"). Each is
  *verified*: the repaired scenario is solved (the verifications share the time left) and
  its plan re-checked by the independent checker.

Imports one way: :mod:`optimizer.solver` and :mod:`optimizer.explain` use this module; it
takes the solve function it verifies with as an argument rather than importing the solver.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .catalogue import LEVEL_RANK, Catalogue
from .problem import Problem, build_problem
from .progress import note
from .result import ObjectiveTerm, Plan, Status
from .scenario import WEEKDAYS, Scenario

LEVELS = sorted(LEVEL_RANK, key=LEVEL_RANK.get)
DAY_NAMES = {d: n for d, n in zip(WEEKDAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"))}
VERIFY_MIN_S = 0.05  # with less than this left on the command's clock, a repair is shown unverified (UNKNOWN)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ConflictItem(_Model):
    key: str = Field(description="Stable id of the requirement, e.g. time_budget:mon.")
    family: str
    label: str = Field(description="In the scenario's words, e.g. 'Monday: 15 minutes'.")
    path: str = Field(description="Where it is set in the scenario file, e.g. days[0].minutes.")


class Change(_Model):
    path: str
    old: Any = None
    new: Any = None
    text: str


class RepairOption(_Model):
    rank: int
    cost: int = Field(description="Under the documented repair costs (README, 'programme explain').")
    proven_cheapest: bool = Field(
        description="The solver proved no option with fewer changes, or as few and cheaper, exists (given the earlier ones)."
    )
    text: str
    changes: list[Change]
    verified: bool = Field(description="The repaired scenario was solved and its plan passed the checker.")
    status: Status
    plan: Plan | None = None
    objective_terms: list[ObjectiveTerm] = Field(default_factory=list)
    summary: list[str] = Field(default_factory=list, description="The plan, one line per training day.")
    scenario: Scenario | None = Field(None, exclude=True, description="The repaired scenario (not written out).")


# Conflicts ---------------------------------------------------------------------------


def explain_problem(scenario: Scenario, catalogue: Catalogue, source: str | None = None) -> Problem:
    """The Problem explaining works on: every catalogue exercise, blocked ones marked."""
    return build_problem(scenario, catalogue, source, keep_blocked=True)


def minimal_conflict(
    scenario: Scenario, catalogue: Catalogue, source: str | None = None, seed: int = 0, deadline: float | None = None
):
    """(status, [ConflictItem], minimal, solves): a minimal conflict of ``scenario``'s hard requirements.

    ``status`` is INFEASIBLE when a conflict was found, FEASIBLE when the requirements can
    all hold, UNKNOWN when the deterministic limit (or ``deadline``, a ``time.perf_counter()``
    value) was reached first.
    """
    from .encoding.explain import minimal_conflict as mus

    out = mus(explain_problem(scenario, catalogue, source), seed=seed, deadline=deadline)
    items = [_item(out.requirements[k]) for k in out.keys]
    return out.status, items, out.minimal, out.solves


def _item(r) -> ConflictItem:
    return ConflictItem(key=r.key, family=r.family, label=r.label, path=r.path)


# Repairs: from the encoding's relaxations to scenario changes --------------------------


def _article(name: str) -> str:
    low = name[0].lower() + name[1:]
    if low.endswith("s"):
        return low
    return ("an " if low[0] in "aeiou" else "a ") + low


def _changes(scenario: Scenario, catalogue: Catalogue, problem: Problem, outcome) -> tuple[dict, list[Change]]:
    """The repaired scenario (as data) and the changes, worded."""
    data = scenario.model_dump(mode="python")
    changes: list[Change] = []
    drops: dict[str, list[int]] = {}
    for r in outcome.relaxations:
        path, n = r.path, r.amount
        if r.kind == "slack" and path.startswith("days["):
            i = int(path[5 : path.index("]")])
            day = data["days"][i]
            old = day["minutes"]
            day["minutes"] = old + n
            changes.append(Change(path=path, old=old, new=old + n, text=f"raise {DAY_NAMES[day['day']]} to {old + n} minutes (from {old})"))
        elif r.kind == "slack" and path.startswith("targets."):
            _, unit, end = path.split(".")
            t = data["targets"][unit]
            old = t[end]
            new = max(0.0, old - n) if end == "min" else old + n
            t[end] = new
            word = unit.replace("_", " ")
            if end == "max":
                text = f"raise the {word} cap to {new:g} sets (from {old:g})"
            elif new > 0:
                text = f"lower {word} to {new:g} sets (from {old:g})"
            else:
                text = f"give up the {word} floor (was {old:g} sets)"
            changes.append(Change(path=path, old=old, new=new, text=text))
        elif r.kind == "slack" and path.startswith("balance."):
            _, key, end = path.split(".")
            b = data["balance"][key]
            num, den = outcome.ratios.get(key, (0, 0))
            pct = 100 * num / den if den else None
            words = key.replace("_to_", ":").replace("_", " ")
            if pct is not None and end == "min" and math.floor(pct / 5) * 5 > 0:
                new = math.floor(pct / 5) * 5 / 100
                changes.append(Change(path=path, old=b["min"], new=new, text=f"allow {words} down to {new:g} (from {b['min']:g})"))
                b["min"] = new
            elif pct is not None and end == "max" and math.ceil(pct / 5) * 5 <= 1000:
                new = math.ceil(pct / 5) * 5 / 100
                changes.append(Change(path=path, old=b["max"], new=new, text=f"allow {words} up to {new:g} (from {b['max']:g})"))
                b["max"] = new
            elif b["hard"]:
                b["hard"] = False
                changes.append(Change(path=f"balance.{key}.hard", old=True, new=False, text=f"make {words} a preference, not a rule"))
        elif r.kind == "slack" and path.startswith("rules.sets_per_exercise."):
            end = path.rsplit(".", 1)[1]
            s = data["rules"]["sets_per_exercise"]
            old = s[end]
            s[end] = old - n if end == "min" else old + n
            text = f"allow {s[end]} set{'s' if s[end] > 1 else ''} per exercise (from at least {old})" if end == "min" else f"allow up to {s[end]} sets per exercise (from {old})"
            changes.append(Change(path=path, old=old, new=s[end], text=text))
        elif r.kind == "slack":  # rules.max_exercises_per_session, rules.max_days_per_exercise
            field = path.split(".", 1)[1]
            old = data["rules"][field]
            data["rules"][field] = old + n
            what = "exercises per session" if field == "max_exercises_per_session" else "days per exercise"
            changes.append(Change(path=path, old=old, new=old + n, text=f"allow {old + n} {what} (from {old})"))
        elif r.kind == "ladder" and path.startswith("recovery"):
            old = data["recovery"]["min_hours_between_same_group"]
            new = old - n
            data["recovery"]["min_hours_between_same_group"] = new
            changes.append(Change(path=path, old=old, new=new, text=f"shorten recovery to {new} h (from {old} h)"))
        elif r.kind == "ladder" and path.startswith("athlete.max_knee"):
            old = data["athlete"]["max_knee_flexion_deg"]
            data["athlete"]["max_knee_flexion_deg"] = old + n
            changes.append(Change(path=path, old=old, new=old + n, text=f"allow knee flexion to {old + n} degrees (from {old})"))
        elif r.kind == "ladder":  # athlete.level
            old = data["athlete"]["level"]
            new = LEVELS[min(len(LEVELS) - 1, LEVEL_RANK[old] + n)]
            data["athlete"]["level"] = new
            changes.append(Change(path=path, old=old, new=new, text=f"raise the athlete level to {new} (from {old})"))
        elif r.kind == "add":
            data["equipment"].append(r.item)
            name = catalogue.equipment_by_id[r.item].name
            changes.append(Change(path="equipment", old=None, new=r.item, text=f"add {_article(name)}"))
        else:  # drop
            family, _, rest = r.item.partition(":")
            req = outcome.requirements.get(r.item)
            label = req.label if req else r.item
            if family in ("pinned", "required", "exclusions"):
                i = int(path[path.index("[") + 1 : path.index("]")])
                drops.setdefault(path[: path.index("[")], []).append(i)
                verb = {"pinned": "drop the pin", "required": "stop requiring", "exclusions": "stop excluding"}[family]
                changes.append(Change(path=path, old=label, new=None, text=f"{verb}: {label}"))
            elif family == "calves":
                data["rules"]["calves_heavy_and_light"] = False
                changes.append(Change(path=path, old=True, new=False, text="drop the heavy-and-light calf rule"))
            elif family == "pairing":
                label_days = data["rules"]["pairing"].pop(rest)
                changes.append(
                    Change(path=path, old=label_days, new=None, text=f"let {rest.replace('_', ' ')} work go on any day (drop its pairing)")
                )
    for where, idx in drops.items():
        seq = data["athlete"]["exclude"] if where == "athlete.exclude" else data[where]
        for i in sorted(set(idx), reverse=True):
            del seq[i]
    return data, changes


def _is_floor(change: Change) -> bool:
    return change.path.startswith("targets.") and change.path.endswith(".min")


def _unlocked(scenario: Scenario, repaired: Scenario, catalogue: Catalogue, plan: Plan | None) -> list[str]:
    """Names of exercises in ``plan`` that ``scenario`` did not allow but ``repaired`` does."""
    from .candidates import eligibility

    if plan is None:
        return []
    owned_old, names = set(scenario.equipment), []
    for _, x in plan.entries():
        ex = catalogue.exercise_by_id[x.exercise]
        if eligibility(ex, scenario, owned_old, catalogue) and x.name not in names:
            names.append(ex.name)
    return names


def plan_summary(plan: Plan | None) -> list[str]:
    if plan is None:
        return []
    lines = []
    for d in plan.days:
        if d.exercises:
            items = ", ".join(f"{x.name} {x.sets}x{x.reps} {x.scheme}" for x in d.exercises)
            lines.append(f"{d.day}: {items} ({d.minutes_used:g} of {d.minutes_budget} min)")
    return lines


def repairs(
    scenario: Scenario,
    catalogue: Catalogue,
    count: int = 3,
    *,
    source: str | None = None,
    seed: int = 0,
    workers: int = 1,
    time_limit_s: float | None = None,
    deadline: float | None = None,
    solve: Callable,
) -> list[RepairOption]:
    """The ``count`` best distinct repairs (fewest changes, then cheapest), each verified by
    solving the repaired scenario. ``deadline`` (a ``time.perf_counter()`` value): the
    verifications share the time left until it, so that every one gets its turn. ``solve``:
    the function that verifies (:func:`optimizer.solve`; passed in, so that this module does
    not import the solver, which imports it)."""
    from .checker import check_result
    from .encoding.explain import cheapest_repairs

    problem = explain_problem(scenario, catalogue, source)
    out = []
    note("finding the cheapest repairs")
    for rank, outcome in enumerate(cheapest_repairs(problem, count, seed=seed, deadline=deadline), start=1):
        note(f"verifying repair {rank}")
        data, changes = _changes(scenario, catalogue, problem, outcome)
        repaired = Scenario.model_validate(data)
        limit = time_limit_s
        if deadline is not None:
            share = max(0.0, deadline - time.perf_counter()) / max(1, count - rank + 1)
            limit = share if limit is None else min(limit, share)
        if limit is not None and limit < VERIFY_MIN_S:  # the clock is out: shown, not verified
            status, plan, terms, verified = Status.UNKNOWN, None, [], False
        else:
            result = solve(repaired, catalogue, workers=workers, seed=seed, time_limit_s=limit, diagnose=False)
            verified = result.status.has_plan and check_result(repaired, catalogue, result).ok
            status, plan, terms = result.status, result.plan, result.objective_terms
        added = _unlocked(scenario, repaired, catalogue, plan)
        text = "; ".join(c.text for c in changes)
        if len(changes) == 1 and outcome.proven_cheapest and _is_floor(changes[0]) and changes[0].new:
            # The one out-of-reach requirement, lowered by the least that works: this is how much fits.
            unit = changes[0].path.split(".")[1].replace("_", " ")
            text += f": at most {changes[0].new:g} {unit} sets fit this week"
        if added:
            text += f" (adds {', '.join(added)})"
        out.append(
            RepairOption(
                rank=rank,
                cost=outcome.cost,
                proven_cheapest=outcome.proven_cheapest,
                text=text,
                changes=changes,
                verified=verified,
                status=status,
                plan=plan,
                objective_terms=terms,
                summary=plan_summary(plan),
                scenario=repaired,
            )
        )
    return out
