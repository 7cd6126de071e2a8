"""Plans under different equipment, side by side, and what each missing item is worth.

A *variant* is the scenario with another equipment list; everything else (days, targets,
rules, solver parameters, seed) stays the same. :func:`compare` solves one plan per
variant, in parallel processes, and guarantees the comparison is *monotone*: a variant
whose usable exercises include another's never scores worse (lexicographically, term by
term), because the smaller variant's plan is valid for it too. When a larger variant's
own result is worse (only possible when it was not proven optimal), it is solved again
with that plan as a hint and, if still worse, given that plan, re-checked by the
independent checker, and the result says so.

:func:`value_of_equipment` asks, from the scenario's own equipment, what adding each
single missing item (and optionally each pair) would gain, ranked, in words.

Nothing here imports ortools: each solve runs :func:`optimizer.solver.solve` in a worker
process that imports it itself. pandas is imported only when frames are built.
"""

from __future__ import annotations

import os
import time
from contextlib import nullcontext
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from .catalogue import Catalogue
from .checker import check_plan
from .errors import InputError, close_matches
from .problem import build_problem, eligibility
from .render import _range  # the solve tables' "10-16", ">= 6" target text
from .result import ObjectiveTerm, Plan, SolveResult, Status
from .scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

BALLS_AND_BANDS = ("bodyweight", "exercise_ball", "resistance_band")
# The equipment ladder a person choosing between home and gym thinks in; each is a subset
# of the next. ``full_gym`` is every item of the catalogue in use (filled in at run time).
BUILTIN_PROFILES: dict[str, tuple[str, ...] | None] = {
    "bodyweight": ("bodyweight",),
    "balls_and_bands": BALLS_AND_BANDS,
    "home_dumbbells": (*BALLS_AND_BANDS, "dumbbell", "bench"),
    "full_gym": None,
}
SCENARIO_PROFILE = "scenario"  # the scenario's own equipment list


# Variants ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Variant:
    """A name and an equipment list (sorted, no duplicates)."""

    name: str
    equipment: tuple[str, ...]


def builtin_profiles(catalogue: Catalogue) -> dict[str, list[str]]:
    """The built-in ladder: bodyweight < balls_and_bands < home_dumbbells < full_gym."""
    every = [e.id for e in catalogue.equipment]
    return {name: list(items) if items is not None else every for name, items in BUILTIN_PROFILES.items()}


def load_profiles(path: Path | str) -> dict[str, list[str]]:
    """A profiles file (YAML, TOML or JSON): a mapping of profile name -> equipment ids."""
    from .io import load_document

    data = load_document(path)
    if not isinstance(data, dict) or not data:
        raise InputError("expected a mapping of profile name -> list of equipment ids", file=str(path))
    out: dict[str, list[str]] = {}
    for name, items in data.items():
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise InputError("expected a non-empty list of equipment ids", file=str(path), field=str(name))
        out[str(name)] = items
    return out


def _check_ids(items: Sequence[str], catalogue: Catalogue, file: str | None, field: str) -> None:
    for i, e in enumerate(items):
        if e not in catalogue.equipment_by_id:
            raise InputError(
                f"unknown equipment {e!r}{close_matches(e, catalogue.equipment_by_id)}", file=file, field=f"{field}[{i}]"
            )


def make_variants(
    scenario: Scenario,
    catalogue: Catalogue,
    profiles: Sequence[str] = (),
    equipment: Sequence[Sequence[str] | str] = (),
    profiles_file: Path | str | None = None,
    source: str | None = None,
) -> list[Variant]:
    """Resolve profile names and ad hoc equipment lists into variants, ids checked.

    A profile name is looked up in ``profiles_file``, then the scenario's
    ``equipment_profiles``, then the built-in ladder (:data:`BUILTIN_PROFILES`); ``scenario``
    is the scenario's own equipment. An ad hoc list may be ``"a,b,c"`` or ``"name=a,b,c"``.
    With no profile and no list: the scenario's profiles if it has any, else the ladder.
    """
    known: dict[str, tuple[list[str], str | None, str]] = {}  # name -> (items, file, field prefix)
    for name, items in builtin_profiles(catalogue).items():
        known[name] = (items, None, f"profile {name}")
    for name, items in scenario.equipment_profiles.items():
        known[name] = (items, source, f"equipment_profiles.{name}")
    if profiles_file is not None:
        for name, items in load_profiles(profiles_file).items():
            known[name] = (items, str(profiles_file), name)
    known[SCENARIO_PROFILE] = (list(scenario.equipment), source, "equipment")
    if not profiles and not equipment:
        profiles = list(scenario.equipment_profiles) or list(BUILTIN_PROFILES)
    out: list[Variant] = []
    for name in profiles:
        if name not in known:
            raise InputError(f"unknown profile {name!r}{close_matches(name, known)} (known: {', '.join(sorted(known))})", field="--profile")
        items, file, field = known[name]
        _check_ids(items, catalogue, file, field)
        out.append(Variant(name, tuple(sorted(set(items)))))
    for i, spec in enumerate(equipment):
        name = None
        if isinstance(spec, str):
            if "=" in spec:
                name, spec = spec.split("=", 1)
            spec = [s.strip() for s in spec.split(",") if s.strip()]
        if not spec:
            raise InputError("an empty equipment list", field=f"--equipment[{i}]")
        _check_ids(spec, catalogue, None, f"--equipment[{i}]")
        out.append(Variant(name or "+".join(spec), tuple(sorted(set(spec)))))
    names = [v.name for v in out]
    for n in names:
        if names.count(n) > 1:
            raise InputError(f"variant {n!r} is given twice", field="--profile")
    if not out:
        raise InputError("nothing to compare: give --profile or --equipment", field="--profile")
    return out


def variant_scenario(scenario: Scenario, variant: Variant) -> Scenario:
    """The scenario with the variant's equipment; everything else unchanged."""
    return scenario.model_copy(update={"equipment": list(variant.equipment)})


def usable_exercises(scenario: Scenario, catalogue: Catalogue, equipment: Sequence[str]) -> frozenset[str]:
    """Exercises the athlete may do with ``equipment`` (level, knee limit, exclusions applied)."""
    owned = set(equipment)
    return frozenset(ex.id for ex in catalogue.exercises if not eligibility(ex, scenario, owned, catalogue))


# Results ----------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VariantOutcome(_Model):
    name: str
    equipment: list[str]
    usable_exercises: int = Field(description="Exercises the athlete may do with this equipment.")
    result: SolveResult
    hinted_with: str | None = Field(None, description="Solved again with this variant's plan as a hint (monotonicity).")
    plan_from: str | None = Field(None, description="The plan is this variant's (valid here too, re-checked).")
    note: str = ""


class ExerciseChange(_Model):
    day: str
    change: Literal["added", "dropped", "swapped", "sets changed"]
    exercise: str = Field(description="The exercise added, dropped or changed; for a swap, the new one.")
    name: str
    replaces: str | None = Field(None, description="For a swap: the exercise it replaces.")
    replaces_name: str | None = None
    before: str | None = Field(None, description="e.g. '3 x moderate'")
    after: str | None = None


class PlanDiff(_Model):
    before: str
    after: str
    changes: list[ExerciseChange] = Field(default_factory=list)
    note: str = ""


class Comparison(_Model):
    scenario: str
    parameters: dict
    variants: list[VariantOutcome]
    diffs: list[PlanDiff] = Field(default_factory=list, description="Each variant against the one before it.")
    wall_time_s: float = 0.0

    def outcome(self, name: str) -> VariantOutcome:
        return next(v for v in self.variants if v.name == name)


class ItemValue(_Model):
    items: list[str] = Field(description="The equipment added: one item, or two with --pairs.")
    name: str
    new_exercises: list[str] = Field(description="Exercises it makes usable.")
    improves: bool
    gain: str = Field(description="What changes in the plan, in words.")
    outcome: VariantOutcome


class EquipmentValue(_Model):
    scenario: str
    parameters: dict
    base: VariantOutcome
    singles: list[ItemValue] = Field(description="Each missing item that enables an exercise, best first.")
    best_pair: ItemValue | None = None
    pairs_tried: int = 0
    wall_time_s: float = 0.0


# Scoring ----------------------------------------------------------------------------


def score(result: SolveResult) -> tuple:
    """The lexicographic key of a result: no plan is worst; lower is better.

    ``lexicographic``: the term values in priority order. ``weighted``: the weighted sum
    of the display values (internal units differ between variants, display units do not).
    """
    if not result.status.has_plan:
        return (1,)
    terms = sorted(result.objective_terms, key=lambda t: (t.rank or 0))
    if result.objective == "weighted":
        return (0, round(sum((t.weight or 0) * t.value for t in terms), 6))
    return (0, *(round(t.value, 6) for t in terms))


# Solving ----------------------------------------------------------------------------

Executor = Literal["threads", "processes"]


@dataclass(frozen=True)
class _Job:
    """One solve; or, with ``infeasible``, finding a conflict for that result of it."""

    scenario: Scenario
    catalogue: Catalogue
    time_limit_s: float | None
    workers: int | None
    seed: int | None
    source: str | None
    hint: Plan | None = None
    infeasible: SolveResult | None = None


def _run_job(job: _Job, stop=None) -> SolveResult:
    """Solve (no diagnosis: :func:`_solve_all` decides which variants need one), or diagnose.

    A diagnosis names a conflict only: the side-by-side table shows no repair, and
    ``value_of_equipment`` is the better answer to "what would make this work". ``stop``
    (threads): every search of the job ends when it is stopped.
    """
    from .solver import diagnose_infeasible, solve, solve_params

    with stop.governing() if stop is not None else nullcontext():
        if job.infeasible is None:
            return solve(
                job.scenario,
                job.catalogue,
                time_limit_s=job.time_limit_s,
                workers=job.workers,
                seed=job.seed,
                source=job.source,
                hint=job.hint,
                diagnose=False,
            )
        t0 = time.perf_counter()
        result = job.infeasible.model_copy(deep=True)
        params = solve_params(job.scenario, job.time_limit_s, job.workers, job.seed)
        diagnose_infeasible(job.scenario, job.catalogue, result, params, job.source, repair=False)
        result.wall_time_s = round(result.wall_time_s + time.perf_counter() - t0, 4)
        return result


def _pool(processes: int):
    """A process pool whose workers start clean: forked from a fork server where there is one.

    fork would copy a parent that may hold solver threads (a test run, a notebook) and
    spawn re-imports everything in every worker. The fork server is one fresh process
    that never solves: it imports the solver (ortools) once, and each worker forked from
    it has its own copy, ready, with no threads. (Scripts calling :func:`compare` with
    ``executor="processes"`` need the usual ``if __name__ == "__main__":`` guard.)
    """
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    if "forkserver" in mp.get_all_start_methods():
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["__main__", "optimizer.solver", "optimizer.encoding.solve"])
    else:
        ctx = mp.get_context("spawn")
    return ProcessPoolExecutor(max_workers=processes, mp_context=ctx)


POLL_S = 0.1  # how often a waiting main thread looks for Ctrl-C


def _result(f: Future) -> SolveResult:
    """``f.result()``, waking every :data:`POLL_S` so that Ctrl-C is seen (see :func:`_solve_all`)."""
    while True:
        try:
            return f.result(timeout=POLL_S)
        except TimeoutError:
            continue


def _completed(fn: Callable[[_Job], SolveResult], job: _Job) -> Future:
    """``fn(job)`` run now, as a finished future (in-process runs and test runners)."""
    f: Future = Future()
    try:
        f.set_result(fn(job))
    except Exception as exc:  # noqa: BLE001 - handed on through the future, as a pool does
        f.set_exception(exc)
    return f


class _Runner:
    """Runs jobs side by side, ``processes`` at a time, in threads or processes.

    Threads are the default: CP-SAT releases the GIL while it searches, so solves run in
    parallel as they would in processes, without a process start-up (a fork server's
    imports cost about half a second, more than a whole solve of the examples) or
    pickling; Ctrl-C stops every running search at once. ``processes`` isolates each
    solve in a process of its own.
    """

    def __init__(self, processes: int, executor: Executor = "threads"):
        from concurrent.futures import ThreadPoolExecutor

        self.stop = None
        if processes <= 1:
            self.pool = None
        elif executor == "threads":
            from .solver import stop_token

            self.stop = stop_token()
            self.pool = ThreadPoolExecutor(max_workers=processes, thread_name_prefix="compare")
        elif executor == "processes":
            self.pool = _pool(processes)
        else:
            raise InputError(f"unknown executor {executor!r}, expected threads or processes", field="--executor")

    def submit(self, job: _Job) -> Future:
        if self.pool is None:
            return _completed(_run_job, job)
        if self.stop is not None:
            return self.pool.submit(_run_job, job, self.stop)
        return self.pool.submit(_run_job, job)

    def close(self, interrupted: bool = False) -> None:
        if self.stop is not None and interrupted:
            self.stop.stop()  # running searches end now; their threads finish at once
        if self.pool is not None:
            self.pool.shutdown(wait=not interrupted, cancel_futures=True)


def solve_variants(
    scenario: Scenario,
    catalogue: Catalogue,
    variants: Sequence[Variant],
    *,
    time_limit_s: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
    processes: int | None = None,
    executor: Executor = "threads",
    source: str | None = None,
    runner: Callable[[_Job], SolveResult] | None = None,
) -> list[VariantOutcome]:
    """One plan per variant, same parameters and seed, monotone (see the module docstring).

    Variants with the same usable exercises are the same problem: solved once. Jobs start
    largest first (the slowest, typically). ``processes``: solves run at once (default:
    one per job up to the CPU count; 1 solves one after another in this thread);
    ``executor``: in threads (default) or processes (:class:`_Runner`). Without
    ``workers``, variants running side by side share the cores: each gets cores / processes
    CP-SAT workers when the scenario's count would oversubscribe them. ``runner`` (tests):
    runs one job in this thread instead.
    """
    build_problem(scenario, catalogue, source)  # bad ids fail here, before any solve starts
    usable = {v.name: usable_exercises(scenario, catalogue, v.equipment) for v in variants}
    keys = sorted({usable[v.name] for v in variants}, key=lambda u: (-len(u), sorted(u)))
    rep = {}  # usable set -> the variant solved for it
    for v in variants:
        rep.setdefault(usable[v.name], v)

    own = None
    if runner is None:
        cores = os.cpu_count() or 1
        n = max(1, min(processes or min(len(keys), cores), len(keys)))
        if workers is None and n > 1 and scenario.solver.workers * n > cores:
            # Share the cores rather than oversubscribe them (4 variants x 2 workers on 2
            # cores ran 1.5-1.6x the slowest single solve). A proven plan does not depend on
            # the worker count: the canonical one-worker solve picks it.
            workers = max(1, cores // n)
        own = _Runner(n, executor)
        submit = own.submit
    else:
        submit = lambda job: _completed(runner, job)  # noqa: E731

    def job(key, hint=None, infeasible=None) -> _Job:
        return _Job(variant_scenario(scenario, rep[key]), catalogue, time_limit_s, workers, seed, source, hint, infeasible)

    interrupted = True
    try:
        results, found_for = _solve_all(keys, job, submit)
        notes = _make_monotone(scenario, catalogue, keys, results, rep, lambda k, hint: _result(submit(job(k, hint))))
        interrupted = False
    finally:
        if own is not None:
            own.close(interrupted)
    out = []
    for v in variants:
        key = usable[v.name]
        hinted, plan_from, note = notes.get(key, (None, None, ""))
        if rep[key] is not v and not note:
            note = f"same usable exercises as {rep[key].name}: solved once"
        elif key in found_for and not note:
            note = f"no plan with fewer exercises than {rep[found_for[key]].name}, which has none: its conflict holds here too"
        out.append(
            VariantOutcome(
                name=v.name,
                equipment=list(v.equipment),
                usable_exercises=len(key),
                result=_with_conflict_of(results[key], results, found_for.get(key), rep, v.equipment),
                hinted_with=hinted,
                plan_from=plan_from,
                note=note,
            )
        )
    return out


def _solve_all(keys, job, submit) -> tuple[dict, dict]:
    """Every key solved side by side; the infeasible ones diagnosed, once per chain.

    Feasibility is monotone in the exercises: with more, a plan that exists still does;
    with fewer, a conflict (requirements that cannot all hold) still cannot. So only a
    *maximal* infeasible variant (no infeasible variant has all its exercises and more)
    is diagnosed, as soon as that is known (a proven plan of any variant settles every
    superset of it); the others get the conflict of their largest infeasible superset.
    Which variants are diagnosed depends on the statuses only, never on timing.
    Returns (results, found_for): found_for[key] is the key whose conflict it shows.

    Every variant is then as a single solve would leave it, the repair aside; a diagnosis
    runs only for the variants that need one, and the cores that are free by then.
    """
    from concurrent.futures import FIRST_COMPLETED, wait

    results: dict = {}
    running = {submit(job(k)): k for k in keys}
    waiting: set = set()  # proven infeasible, not yet known to be maximal or not
    diagnosed: set = set()

    def infeasible(k) -> bool:
        return k in results and results[k].status == Status.INFEASIBLE

    def settled(s) -> bool:  # known not to be proven infeasible
        if s in results and results[s].status != Status.INFEASIBLE:
            return True
        return any(t <= s and t in results and results[t].status.has_plan for t in keys)

    while running:
        # A timeout, so that Ctrl-C is seen: the signal may land on a solver thread, and
        # a main thread blocked without one would never wake to raise KeyboardInterrupt.
        done, _ = wait(running, timeout=POLL_S, return_when=FIRST_COMPLETED)
        for f in done:
            k = running.pop(f)
            results[k] = f.result()
            if k not in diagnosed and infeasible(k):
                waiting.add(k)
        for k in sorted(waiting, key=lambda u: (-len(u), sorted(u))):
            supersets = [s for s in keys if k < s]
            if any(infeasible(s) for s in supersets):
                waiting.discard(k)  # not maximal: takes a conflict below
            elif all(settled(s) for s in supersets):
                waiting.discard(k)
                diagnosed.add(k)
                running[submit(job(k, infeasible=results[k]))] = k
    found_for = {}
    for k in keys:
        donors = [s for s in keys if k < s and infeasible(s)]
        if infeasible(k) and k not in diagnosed and donors:
            # The largest is maximal (a larger infeasible superset would be larger still): diagnosed.
            found_for[k] = max(donors, key=lambda u: (len(u), sorted(u)))
    return results, found_for


def _with_conflict_of(result: SolveResult, results: dict, donor, rep, equipment: Sequence[str]) -> SolveResult:
    """``result`` with the conflict found for ``donor`` (a superset of it), if any; its
    equipment requirement, if in it, is this variant's own (smaller) equipment."""
    if donor is None or not results[donor].conflict:
        return result
    from .solver import note_conflict

    conflict = [
        c.model_copy(update={"label": "equipment: " + ", ".join(equipment)}) if c.key == "equipment:owned" else c
        for c in results[donor].conflict
    ]
    result = result.model_copy(deep=True)
    # Minimal for the donor; with fewer exercises a smaller set may already conflict.
    note_conflict(result, conflict, minimal=False, found_for=rep[donor].name)
    return result


def _make_monotone(scenario, catalogue, keys, results, rep, resolve) -> dict:
    """Make every result at least as good as every result of a subset of its exercises.

    Smallest first, so each variant's subsets are final when it is looked at. Returns
    {key: (hinted with, plan from, note)} for the variants it changed.
    """
    notes = {}
    for key in sorted(keys, key=len):
        subsets = [k for k in keys if k < key and results[k].status.has_plan]
        if not subsets or results[key].status == Status.OPTIMAL:
            continue  # proven optimal: no subset's plan (valid here) can beat it
        donor = min(subsets, key=lambda k: (score(results[k]), len(k)))
        if score(results[key]) <= score(results[donor]):
            continue
        name = rep[donor].name
        again = resolve(key, results[donor].plan)
        if score(again) <= score(results[donor]):
            results[key] = again
            notes[key] = (name, None, f"solved again with {name}'s plan as a hint: the first result scored worse")
            continue
        results[key] = adopt_plan(variant_scenario(scenario, rep[key]), catalogue, again, results[donor], name)
        notes[key] = (name, name, results[key].message)
    return notes


def adopt_plan(scenario: Scenario, catalogue: Catalogue, own: SolveResult, donor: SolveResult, donor_name: str) -> SolveResult:
    """``own``'s result with ``donor``'s plan, valid for ``scenario`` (checked) and better.

    Term values are recomputed by the checker against ``scenario``; ``own``'s bounds stay
    (they are bounds for this scenario).
    """
    report = check_plan(scenario, catalogue, donor.plan)
    if not report.ok:  # cannot happen for a subset's plan: a bug if it does
        raise RuntimeError(f"{donor_name}'s plan is not valid here: {report.violations[0]}")
    bounds = {t.name: t.bound for t in own.objective_terms}
    terms = [
        ObjectiveTerm(
            name=t.name,
            value=report.terms.get(t.name, t.value),
            bound=bounds.get(t.name),
            unit=t.unit,
            rank=t.rank,
            weight=t.weight,
        )
        for t in donor.objective_terms
    ]
    message = (
        f"Plan of {donor_name} (whose exercises are all usable here): the solver's own plan within the time "
        "limit scored worse. Not proven optimal."
    )
    return own.model_copy(
        update={
            "status": Status.FEASIBLE,
            "message": message,
            "plan": donor.plan,
            "objective_terms": terms,
            "objective_value": terms[0].value if terms and own.objective != "weighted" else None,
            "best_bound": terms[0].bound if terms and own.objective != "weighted" else None,
            "gap": None,
            "method": own.method + " + plan of a subset",
        }
    )


def compare(
    scenario: Scenario,
    catalogue: Catalogue,
    variants: Sequence[Variant],
    *,
    time_limit_s: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
    processes: int | None = None,
    executor: Executor = "threads",
    source: str | None = None,
) -> Comparison:
    """Solve every variant and diff each plan against the previous variant's."""
    t0 = time.perf_counter()
    outcomes = solve_variants(
        scenario, catalogue, variants, time_limit_s=time_limit_s, workers=workers, seed=seed, processes=processes,
        executor=executor, source=source
    )
    diffs = [diff_outcomes(a, b, catalogue) for a, b in zip(outcomes, outcomes[1:])]
    return Comparison(
        scenario=scenario.name,
        parameters=_parameters(scenario, time_limit_s, workers, seed),
        variants=outcomes,
        diffs=diffs,
        wall_time_s=round(time.perf_counter() - t0, 4),
    )


def _parameters(scenario: Scenario, time_limit_s, workers, seed) -> dict:
    s = scenario.solver
    out = {
        "time_limit_s": time_limit_s if time_limit_s is not None else s.time_limit_s,
        "workers": workers if workers is not None else s.workers,
        "seed": seed if seed is not None else s.seed,
    }
    if scenario.weeks > 1:
        # Said, not silently done: a programme's ramp, deloads and rotation are not compared.
        out["scope"] = (
            f"one week at the scenario's base targets; its {scenario.weeks}-week progression "
            "(ramp, deloads, rotation) is not compared: solve each variant with `programme solve`"
        )
    return out


# Differences ------------------------------------------------------------------------


def _label(x) -> str:
    return f"{x.sets} x {x.scheme}"


def diff_plans(before: Plan, after: Plan, catalogue: Catalogue) -> list[ExerciseChange]:
    """Per day: exercises added, dropped, swapped, and sets (or scheme) changed.

    A swap is a dropped and an added exercise on the same day that share a primary group
    (or, failing that, a movement pattern): the new one does the old one's job. Pairs are
    matched most similar first; what is left is added or dropped.
    """
    out: list[ExerciseChange] = []
    days = [d.day for d in before.days] + [d.day for d in after.days if d.day not in {x.day for x in before.days}]
    b_days = {d.day: {x.exercise: x for x in d.exercises} for d in before.days}
    a_days = {d.day: {x.exercise: x for x in d.exercises} for d in after.days}
    cat = catalogue.exercise_by_id

    def similarity(old: str, new: str) -> tuple[int, int]:
        shared = 0
        if old in cat and new in cat:
            shared = len(catalogue.primary_groups(cat[old]) & catalogue.primary_groups(cat[new]))
            return shared, int(cat[old].pattern == cat[new].pattern)
        return 0, 0

    for day in days:
        b, a = b_days.get(day, {}), a_days.get(day, {})
        dropped = [e for e in b if e not in a]
        added = [e for e in a if e not in b]
        pairs = sorted(
            ((similarity(o, n), o, n) for o in dropped for n in added if similarity(o, n) != (0, 0)),
            key=lambda t: (-t[0][0], -t[0][1], dropped.index(t[1]), added.index(t[2])),
        )
        swapped_old: set[str] = set()
        swapped_new: set[str] = set()
        for _, o, n in pairs:
            if o in swapped_old or n in swapped_new:
                continue
            swapped_old.add(o)
            swapped_new.add(n)
            out.append(
                ExerciseChange(
                    day=day, change="swapped", exercise=n, name=a[n].name, replaces=o, replaces_name=b[o].name,
                    before=_label(b[o]), after=_label(a[n]),
                )
            )
        for o in dropped:
            if o not in swapped_old:
                out.append(ExerciseChange(day=day, change="dropped", exercise=o, name=b[o].name, before=_label(b[o])))
        for n in added:
            if n not in swapped_new:
                out.append(ExerciseChange(day=day, change="added", exercise=n, name=a[n].name, after=_label(a[n])))
        for e in b:
            if e in a and (b[e].sets != a[e].sets or b[e].scheme != a[e].scheme):
                out.append(
                    ExerciseChange(
                        day=day, change="sets changed", exercise=e, name=a[e].name, before=_label(b[e]), after=_label(a[e])
                    )
                )
    return out


def diff_outcomes(before: VariantOutcome, after: VariantOutcome, catalogue: Catalogue) -> PlanDiff:
    pb, pa = before.result.plan, after.result.plan
    if pb is None or pa is None:
        missing = [v.name for v, p in ((before, pb), (after, pa)) if p is None]
        return PlanDiff(before=before.name, after=after.name, note=f"no plan for {' and '.join(missing)}")
    changes = diff_plans(pb, pa, catalogue)
    return PlanDiff(before=before.name, after=after.name, changes=changes, note="" if changes else "the same plan")


# Value of equipment -----------------------------------------------------------------


def value_of_equipment(
    scenario: Scenario,
    catalogue: Catalogue,
    *,
    pairs: bool = False,
    time_limit_s: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
    processes: int | None = None,
    executor: Executor = "threads",
    source: str | None = None,
) -> EquipmentValue:
    """What adding each missing item (or pair) to the scenario's equipment would gain.

    Only items that make at least one more exercise usable are tried (an item that does
    not cannot change the plan); with ``pairs``, every pair that makes usable something
    neither item does alone, or two useful items. Ranked best first by the lexicographic
    key of the result (:func:`score`), ties by name.
    """
    t0 = time.perf_counter()
    base_eq = tuple(sorted(set(scenario.equipment)))
    base_usable = usable_exercises(scenario, catalogue, base_eq)
    missing = [e.id for e in catalogue.equipment if e.id not in base_eq]
    enables = {}
    for item in missing:
        new = usable_exercises(scenario, catalogue, (*base_eq, item)) - base_usable
        if new:
            enables[(item,)] = new
    if pairs:
        for a, b in combinations(missing, 2):
            new = usable_exercises(scenario, catalogue, (*base_eq, a, b)) - base_usable
            alone = enables.get((a,), frozenset()) | enables.get((b,), frozenset())
            if new and (new != alone or ((a,) in enables and (b,) in enables)):
                enables[(a, b)] = new
    base = Variant("current", base_eq)
    variants = [base] + [Variant("".join("+" + i for i in items), tuple(sorted({*base_eq, *items}))) for items in enables]
    outcomes = solve_variants(
        scenario, catalogue, variants, time_limit_s=time_limit_s, workers=workers, seed=seed, processes=processes,
        executor=executor, source=source
    )
    base_out, rest = outcomes[0], outcomes[1:]
    values = []
    for items, out in zip(enables, rest):
        gain = describe_gain(base_out, out, catalogue)
        values.append(
            ItemValue(
                items=list(items),
                name=" + ".join(catalogue.equipment_by_id[i].name for i in items),
                new_exercises=sorted(enables[items]),
                improves=score(out.result) < score(base_out.result),
                gain=gain,
                outcome=out,
            )
        )
    values.sort(key=lambda v: (score(v.outcome.result), v.name))
    singles = [v for v in values if len(v.items) == 1]
    doubles = [v for v in values if len(v.items) == 2]
    if doubles and singles and score(doubles[0].outcome.result) >= score(singles[0].outcome.result):
        doubles[0].gain += f" (no better than {singles[0].name} alone)"
    return EquipmentValue(
        scenario=scenario.name,
        parameters=_parameters(scenario, time_limit_s, workers, seed),
        base=base_out,
        singles=singles,
        best_pair=doubles[0] if doubles else None,
        pairs_tried=len(doubles),
        wall_time_s=round(time.perf_counter() - t0, 4),
    )


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if abs(x - round(x)) > 1e-9 else str(int(round(x)))


QUALITY_WORDS = (
    ("coverage", "expected movement patterns missing"),
    ("spread", "days short of twice-a-week training"),
    ("ineffective", "ineffective sets"),
    ("overshoot", "sets above target"),
)


def describe_gain(before: VariantOutcome, after: VariantOutcome, catalogue: Catalogue) -> str:
    """What changes from ``before`` to ``after``, in words, e.g.
    'hamstrings shortfall 4 -> 0, 6 minutes less a week, uses lying leg curl'."""
    rb, ra = before.result, after.result
    if not ra.status.has_plan:
        return "still no plan" if not rb.status.has_plan else "no plan"
    if not rb.status.has_plan:
        return "makes a plan possible"
    parts = []
    vb = {v.unit: v for v in rb.plan.volume}
    for v in ra.plan.volume:
        if v.unit in vb and abs(vb[v.unit].shortfall - v.shortfall) > 1e-6:
            parts.append(f"{v.unit.replace('_', ' ')} shortfall {_num(vb[v.unit].shortfall)} -> {_num(v.shortfall)}")
    rbr = {r.name: r for r in rb.plan.ratios}
    for r in ra.plan.ratios:
        old = rbr.get(r.name)
        if old is not None and old.value != r.value and (old.outside > 1e-6 or r.outside > 1e-6):
            fmt = lambda x: "n/a" if x is None else f"{x:.2f}"  # noqa: E731
            parts.append(f"{r.name.replace('_to_', ':')} ratio {fmt(old.value)} -> {fmt(r.value)}")
    tb = {t.name: t.value for t in rb.objective_terms}
    ta = {t.name: t.value for t in ra.objective_terms}
    if "pairing" in ta and abs(ta["pairing"] - tb.get("pairing", 0)) > 1e-6:
        parts.append(f"sets off their paired day {_num(tb.get('pairing', 0))} -> {_num(ta['pairing'])}")
    for name, words in QUALITY_WORDS:
        if name in ta and abs(ta[name] - tb.get(name, 0)) > 1e-6:
            parts.append(f"{words} {_num(tb.get(name, 0))} -> {_num(ta[name])}")
    # Effective sets the plan's sets do per targeted unit, where they rose while the raw
    # sets did not (the new item's sets count for more): "hamstrings +4 effective sets".
    for v in ra.plan.volume:
        old = vb.get(v.unit)
        if old is not None and v.min is not None and v.raw_sets is not None and old.raw_sets is not None:
            ratio_a, ratio_b = v.sets / v.raw_sets if v.raw_sets else 1, old.sets / old.raw_sets if old.raw_sets else 1
            if ratio_a - ratio_b > 0.05:
                parts.append(f"{v.unit.replace('_', ' ')}: {_num(round(v.sets, 2))} of {_num(round(v.raw_sets, 2))} sets effective (was {_num(round(old.sets, 2))} of {_num(round(old.raw_sets, 2))})")
    dm = ta.get("minutes", 0) - tb.get("minutes", 0)
    if abs(dm) >= 0.05:
        parts.append(f"{_num(round(abs(dm), 1))} minutes {'less' if dm < 0 else 'more'} a week")
    if ta.get("exercises") != tb.get("exercises"):
        parts.append(f"{_num(tb.get('exercises', 0))} -> {_num(ta.get('exercises', 0))} exercises")
    used_b = {x.exercise for _, x in rb.plan.entries()}
    new = sorted({x.name for _, x in ra.plan.entries() if x.exercise not in used_b})
    if new and parts:
        parts.append("uses " + ", ".join(n.lower() for n in new))
    return ", ".join(parts) if parts else "no gain"


# Frames and rendering ---------------------------------------------------------------


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _shorten(items: list[str], sign: str, most: int = 3) -> str:
    """'+a +b +c (+4 more)': equipment lists stay readable in a column."""
    shown = " ".join(sign + i for i in items[:most])
    return shown + (f" ({sign}{len(items) - most} more)" if len(items) > most else "")


def comparison_frames(outcomes: Sequence[VariantOutcome], catalogue: Catalogue) -> dict[str, pd.DataFrame]:
    """Side-by-side frames, one column per variant: summary, objective, volume, balance,
    minutes, exercises."""
    import pandas as pd

    names = [o.name for o in outcomes]
    frames: dict[str, pd.DataFrame] = {}

    def frame(rows: list[dict], first: list[str]) -> pd.DataFrame:
        return pd.DataFrame(rows, columns=first + names).fillna("")

    rows = []
    prev = {o.name: (outcomes[i - 1].equipment if i else []) for i, o in enumerate(outcomes)}
    for label, get in (
        ("equipment", lambda o: f"{len(o.equipment)} item" + ("s" if len(o.equipment) != 1 else "")),
        ("vs previous", lambda o: _shorten(sorted(set(o.equipment) - set(prev[o.name])), "+")
         + (" " if set(prev[o.name]) - set(o.equipment) and set(o.equipment) - set(prev[o.name]) else "")
         + _shorten(sorted(set(prev[o.name]) - set(o.equipment)), "-")),
        ("usable exercises", lambda o: str(o.usable_exercises)),
        ("status", lambda o: o.result.status.value),
        ("gap", lambda o: "" if o.result.gap is None else f"{o.result.gap:.1%}"),
        ("no plan because", lambda o: "; ".join(r.label for r in o.result.conflict)),
        ("wall s", lambda o: f"{o.result.wall_time_s:.2f}"),
        ("note", lambda o: o.note),
    ):
        rows.append({"variant": label, **{o.name: get(o) for o in outcomes}})
    frames["summary"] = frame(rows, ["variant"])

    term_rows: dict[str, dict] = {}
    for o in outcomes:
        for t in o.result.objective_terms:
            row = term_rows.setdefault(t.name, {"term": t.name, "unit": t.unit})
            row[o.name] = _fmt(round(t.value, 2))
    frames["objective"] = frame(list(term_rows.values()), ["term", "unit"])

    # Volume: every group (and muscle) targeted or trained by some variant, catalogue order.
    vols = {o.name: {v.unit: v for v in (o.result.plan.volume if o.result.plan else [])} for o in outcomes}
    units = set().union(*[set(v) for v in vols.values()]) if vols else set()
    rows = []
    for g in catalogue.groups:
        for unit, kind in [(g.id, "group")] + [(m.id, "muscle") for m in g.muscles]:
            if unit not in units:
                continue
            any_row = next(v[unit] for v in vols.values() if unit in v)
            row = {"unit": unit if kind == "group" else f"  {unit}", "target": _range(any_row.min, any_row.max)}
            for o in outcomes:
                v = vols[o.name].get(unit)
                if o.result.plan is None:
                    row[o.name] = ""
                elif v is None:
                    row[o.name] = "0" + (f" (-{_fmt(any_row.min)})" if any_row.min else "")
                else:
                    row[o.name] = _fmt(v.sets) + (f" (-{_fmt(v.shortfall)})" if v.shortfall > 1e-9 else "")
            rows.append(row)
    frames["volume"] = frame(rows, ["unit", "target"])

    rows = []
    ratio_names = []
    for o in outcomes:
        for r in o.result.plan.ratios if o.result.plan else []:
            if r.name not in ratio_names:
                ratio_names.append(r.name)
    if "quadriceps_to_hamstrings" not in ratio_names:
        ratio_names.insert(0, "quadriceps_to_hamstrings")
    for name in ratio_names:
        num, den = name.split("_to_", 1)
        row = {"ratio": name.replace("_to_", ":"), "range": ""}
        for o in outcomes:
            plan = o.result.plan
            if plan is None:
                row[o.name] = ""
                continue
            r = next((r for r in plan.ratios if r.name == name), None)
            if r is not None:
                row["range"] = f"{r.min:g}-{r.max:g}"
                q, h = r.numerator_sets, r.denominator_sets
            else:
                vol = {v.unit: v.sets for v in plan.volume}
                q, h = vol.get(num, 0.0), vol.get(den, 0.0)
            row[o.name] = (f"{q / h:.2f}" if h else "n/a") + f" ({q:g}:{h:g})"
        rows.append(row)
    frames["balance"] = frame(rows, ["ratio", "range"])

    rows = []
    first_plan = next((o.result.plan for o in outcomes if o.result.plan), None)
    if first_plan is not None:
        for i, d in enumerate(first_plan.days):
            row = {"day": d.day, "budget": str(d.minutes_budget)}
            for o in outcomes:
                row[o.name] = _fmt(round(o.result.plan.days[i].minutes_used, 2)) if o.result.plan else ""
            rows.append(row)
        row = {"day": "week", "budget": str(sum(d.minutes_budget for d in first_plan.days))}
        for o in outcomes:
            row[o.name] = _fmt(round(sum(d.minutes_used for d in o.result.plan.days), 2)) if o.result.plan else ""
        rows.append(row)
    frames["minutes"] = frame(rows, ["day", "budget"])

    used: dict[str, dict[str, list[str]]] = {}  # exercise -> variant -> ["3 mon", ...]
    names_of: dict[str, str] = {}
    for o in outcomes:
        for day, x in o.result.plan.entries() if o.result.plan else []:
            names_of[x.exercise] = x.name
            used.setdefault(x.exercise, {}).setdefault(o.name, []).append(f"{x.sets} {day}")
    order = {e.id: i for i, e in enumerate(catalogue.exercises)}
    rows = [
        {"exercise": names_of[e], **{n: " + ".join(used[e].get(n, [])) for n in names}}
        for e in sorted(used, key=lambda e: (order.get(e, 10**6), e))
    ]
    rows.append({"exercise": "distinct exercises", **{o.name: str(len({x.exercise for _, x in o.result.plan.entries()})) if o.result.plan else "" for o in outcomes}})
    frames["exercises"] = frame(rows, ["exercise"])
    return frames


def diff_frame(diffs: Sequence[PlanDiff]) -> pd.DataFrame:
    import pandas as pd

    cols = ["from", "to", "day", "change", "exercise", "detail"]
    rows = []
    for d in diffs:
        if not d.changes:
            rows.append({"from": d.before, "to": d.after, "day": "", "change": "", "exercise": "", "detail": d.note})
        for c in d.changes:
            if c.change == "swapped":
                what, detail = f"{c.replaces_name} -> {c.name}", f"{c.before} -> {c.after}"
            elif c.change == "sets changed":
                what, detail = c.name, f"{c.before} -> {c.after}"
            else:
                what, detail = c.name, c.after or c.before or ""
            rows.append({"from": d.before, "to": d.after, "day": c.day, "change": c.change, "exercise": what, "detail": detail})
    return pd.DataFrame(rows, columns=cols)


def value_frame(value: EquipmentValue) -> pd.DataFrame:
    import pandas as pd

    term_names = [t.name for t in sorted(value.base.result.objective_terms, key=lambda t: t.rank or 0)]
    rows = []

    def row(rank, label, n_new, out: VariantOutcome, gain: str) -> dict:
        terms = {t.name: t.value for t in out.result.objective_terms}
        return {
            "rank": rank,
            "add": label,
            "new exercises": n_new,
            "status": out.result.status.value,
            **{n: _fmt(terms.get(n)) for n in term_names},
            "what changes": gain,
        }

    rows.append(row("", "(nothing: current equipment)", "", value.base, ""))
    for i, v in enumerate(value.singles, start=1):
        rows.append(row(str(i), v.name, str(len(v.new_exercises)), v.outcome, v.gain))
    if value.best_pair is not None:
        v = value.best_pair
        rows.append(row("best pair", v.name, str(len(v.new_exercises)), v.outcome, v.gain))
    return pd.DataFrame(rows)


def _sections(title: str, lines: list[str], frames: list[tuple[str, pd.DataFrame]], fmt: str) -> str:
    from .render import markdown_table, text_table

    md = fmt == "markdown"
    table = markdown_table if md else text_table
    out = [f"# {title}" if md else title, *lines]
    for heading, df in frames:
        out.append(f"\n## {heading}\n" if md else f"\n{heading}\n{'=' * len(heading)}")
        out.append(table(df))
    return "\n".join(out) + "\n"


def _long_csv(frames: list[tuple[str, pd.DataFrame]], key_cols: dict[str, list[str]]) -> str:
    """Every frame as tidy rows: section, item, column, value (one CSV for all sections)."""
    import pandas as pd

    rows = []
    for section, df in frames:
        keys = key_cols.get(section, [df.columns[0]])
        for rec in df.to_dict("records"):
            item = " / ".join(str(rec[k]).strip() for k in keys if str(rec[k]).strip())
            for col, val in rec.items():
                if col not in keys:
                    rows.append({"section": section, "item": item, "column": col, "value": val})
    return pd.DataFrame(rows, columns=["section", "item", "column", "value"]).to_csv(index=False)


def render_comparison(comp: Comparison, catalogue: Catalogue, fmt: str) -> str:
    """table, markdown, csv (tidy: section, item, column, value) or json."""
    if fmt == "json":
        return comp.model_dump_json(indent=2) + "\n"
    frames = comparison_frames(comp.variants, catalogue)
    sections = [
        ("Status", frames["summary"]),
        ("Objective terms", frames["objective"]),
        ("Weekly volume (sets; shortfall in brackets)", frames["volume"]),
        ("Balance", frames["balance"]),
        ("Minutes used", frames["minutes"]),
        ("Exercises (sets per day)", frames["exercises"]),
        ("Differences (each variant against the one before)", diff_frame(comp.diffs)),
    ]
    if fmt == "csv":
        keys = {
            "Objective terms": ["term"],
            "Weekly volume (sets; shortfall in brackets)": ["unit"],
            "Differences (each variant against the one before)": ["from", "to", "day"],
        }
        return _long_csv(sections, keys)
    p = comp.parameters
    lines = [
        f"Compared {len(comp.variants)} variants: {', '.join(v.name for v in comp.variants)}; same days, targets and rules; "
        f"workers {p['workers']}, seed {p['seed']}, time limit {p['time_limit_s']} s each; wall {comp.wall_time_s:.2f} s."
    ] + ([f"Compared: {p['scope']}."] if "scope" in p else [])
    return _sections(f"Equipment compared: {comp.scenario}", lines, sections, fmt)


def render_value(value: EquipmentValue, fmt: str) -> str:
    if fmt == "json":
        return value.model_dump_json(indent=2) + "\n"
    df = value_frame(value)
    if fmt == "csv":
        return df.to_csv(index=False)
    p = value.parameters
    lines = [
        f"From: {', '.join(value.base.equipment)} ({value.base.usable_exercises} usable exercises). "
        f"{len(value.singles)} missing items enable at least one exercise"
        + (f"; {value.pairs_tried} pairs tried" if value.pairs_tried else "")
        + f". Workers {p['workers']}, seed {p['seed']}, time limit {p['time_limit_s']} s each; wall {value.wall_time_s:.2f} s.",
        "Ranked by lexicographic improvement (best first).",
    ] + ([f"Compared: {p['scope']}."] if "scope" in p else [])
    return _sections(f"Value of equipment: {value.scenario}", lines, [("Adding one item", df)], fmt)
