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

Nothing here imports ortools: each solve runs :func:`optimizer.solver.solve` through the
shared runner (:mod:`optimizer.runner`: threads, processes or a Dask cluster). The typed
outcomes are in :mod:`optimizer.compare_types`, the differences in
:mod:`optimizer.compare_diff`, the frames and text in :mod:`optimizer.compare_render`.
"""

from __future__ import annotations

import os
import time
from contextlib import nullcontext
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations

from .catalogue import Catalogue
from .progress import advance
from .compare_diff import adopt_plan, describe_gain, diff_outcomes, diff_plans  # noqa: F401 - diff_plans: public here too
from .compare_render import comparison_frames, diff_frame, render_comparison, render_value, value_frame  # noqa: F401
from .compare_types import (  # noqa: F401 - the public names of comparisons live here too
    BUILTIN_PROFILES,
    SCENARIO_PROFILE,
    Comparison,
    EquipmentValue,
    ExerciseChange,
    ItemValue,
    PlanDiff,
    Variant,
    VariantOutcome,
    builtin_profiles,
    check_place,
    load_profiles,
    make_variants,
    place_equipment,
    score,
    usable_exercises,
    variant_scenario,
)
from .problem import build_problem
from .result import Plan, SolveResult, Status
from .runner import POLL_S, Executor, Runner
from .runner import completed as _completed
from .runner import result as _result
from .scenario import Scenario

# Solving ----------------------------------------------------------------------------

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


SOLVE_SHARE = 0.8  # of a whole compare's time limit, for the first solve of every variant
RESOLVE_MIN_S = 0.1  # with less left of compare's total, a hinted re-solve is not started


def per_solve_limit(total_s: float, jobs: int, at_once: int) -> float:
    """Seconds per solve when ``jobs`` solves, ``at_once`` side by side, share ``total_s``."""
    rounds = -(-jobs // max(1, at_once))
    return round(max(0.05, SOLVE_SHARE * total_s / max(1, rounds)), 3)  # to the millisecond: reported as is


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
    scheduler: str | None = None,
    total_time_s: float | None = None,
) -> list[VariantOutcome]:
    """One plan per variant, same parameters and seed, monotone (see the module docstring).

    Variants with the same usable exercises are the same problem: solved once. Jobs start
    largest first (the slowest, typically). ``processes``: solves run at once (default:
    one per job up to the CPU count; 1 solves one after another in this thread);
    ``executor``: in threads (default) or processes (:class:`optimizer.runner.Runner`);
    ``scheduler``: on the Dask cluster at that address instead. Without ``workers``,
    variants running side by side share the cores: each gets cores / processes CP-SAT
    workers when the scenario's count would oversubscribe them. ``runner`` (tests): runs
    one job in this thread instead. ``total_time_s``: the whole call's seconds (the CLI's
    ``--time-limit``): each solve gets :data:`SOLVE_SHARE` of it divided by the rounds of
    solves running side by side, the rest is left for re-solves and diagnoses (the CLI
    stops whatever still runs a second after the total).
    """
    t0 = time.perf_counter()
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
        if workers is None and n > 1 and scheduler is None and scenario.solver.workers * n > cores:
            # Share the cores rather than oversubscribe them (4 variants x 2 workers on 2
            # cores ran 1.5-1.6x the slowest single solve). A proven plan does not depend on
            # the worker count: the canonical one-worker solve picks it.
            workers = max(1, cores // n)
        own = Runner(n, executor, scheduler)
        submit = lambda job: own.submit(_run_job, job)  # noqa: E731
    else:
        n = 1
        submit = lambda job: _completed(runner, job)  # noqa: E731
    if total_time_s is not None:
        time_limit_s = per_solve_limit(total_time_s, len(keys), n)

    def job(key, hint=None, infeasible=None, limit=None) -> _Job:
        limit = time_limit_s if limit is None else limit
        return _Job(variant_scenario(scenario, rep[key]), catalogue, limit, workers, seed, source, hint, infeasible)

    def again(key, hint) -> SolveResult | None:
        """A re-solve with a hint: its share, and no more than the whole call has left; None
        once the call's time is out (each would still build and prune its model, 0.1-0.3 s
        past the limit; the smaller variant's plan is adopted all the same)."""
        limit = None
        if total_time_s is not None:
            limit = min(time_limit_s, total_time_s - (time.perf_counter() - t0))
            if limit < RESOLVE_MIN_S:
                return None
        return _result(submit(job(key, hint, limit=limit)))

    interrupted = True
    try:
        results, found_for = _solve_all(keys, job, submit)
        notes = _make_monotone(scenario, catalogue, keys, results, rep, again)
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
            advance(len(results), len(keys), f"{len(results)} of {len(keys)} variants solved")
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
        # A subset's plan scored by this variant's rules: coverage and spread ask for what
        # the equipment allows, so the same plan may score worse here than where it was
        # made, never better. So only subsets whose own score beats this one need it.
        better = [k for k in subsets if score(results[k]) < score(results[key])]
        if not better:
            continue
        here = variant_scenario(scenario, rep[key])
        scored = {k: adopt_plan(here, catalogue, results[key], results[k], rep[k].name) for k in better}
        donor = min(better, key=lambda k: (score(scored[k]), len(k)))
        if score(results[key]) <= score(scored[donor]):
            continue
        name = rep[donor].name
        again = resolve(key, results[donor].plan) or results[key]  # None: no time to solve again
        if score(again) <= score(scored[donor]):
            results[key] = again
            notes[key] = (name, None, f"solved again with {name}'s plan as a hint: the first result scored worse")
            continue
        results[key] = adopt_plan(here, catalogue, again, results[donor], name)
        notes[key] = (name, name, results[key].message)
    return notes


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
    scheduler: str | None = None,
    total_time_s: float | None = None,
) -> Comparison:
    """Solve every variant and diff each plan against the previous variant's."""
    t0 = time.perf_counter()
    outcomes = solve_variants(
        scenario, catalogue, variants, time_limit_s=time_limit_s, workers=workers, seed=seed, processes=processes,
        executor=executor, source=source, scheduler=scheduler, total_time_s=total_time_s,
    )
    diffs = [diff_outcomes(a, b, catalogue) for a, b in zip(outcomes, outcomes[1:])]
    places = {v.at for v in variants}
    return Comparison(
        scenario=scenario.name,
        parameters=_parameters(scenario, time_limit_s, workers, seed, total_time_s, outcomes, places.pop() if len(places) == 1 else None),
        variants=outcomes,
        diffs=diffs,
        wall_time_s=round(time.perf_counter() - t0, 4),
    )


def _parameters(scenario: Scenario, time_limit_s, workers, seed, total_time_s=None, outcomes=(), at: str | None = None) -> dict:
    s = scenario.solver
    out = {
        "time_limit_s": time_limit_s if time_limit_s is not None else s.time_limit_s,
        "workers": workers if workers is not None else s.workers,
        "seed": seed if seed is not None else s.seed,
    }
    if at is not None:  # the equipment varied is this location's; the other places stay as they are
        out["at"] = at
    if total_time_s is not None:  # one clock for the whole command
        out["time_limit_s"] = total_time_s
        per = [o.result.parameters.get("time_limit_s") for o in outcomes if o.result.parameters.get("time_limit_s")]
        if per:
            out["time_limit_per_solve_s"] = round(max(per), 3)
    if scenario.weeks > 1:
        # Said, not silently done: a programme's ramp, deloads and rotation are not compared.
        out["scope"] = (
            f"one week at the scenario's base targets; its {scenario.weeks}-week progression "
            "(ramp, deloads, rotation) is not compared: solve each variant with `programme solve`"
        )
    return out


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
    scheduler: str | None = None,
    at: str | None = None,
    total_time_s: float | None = None,
) -> EquipmentValue:
    """What adding each missing item (or pair) to the scenario's equipment would gain
    (``at``: to that location's equipment only, the other places unchanged).

    Only items that make at least one more exercise usable are tried (an item that does
    not cannot change the plan); with ``pairs``, every pair that makes usable something
    neither item does alone, or two useful items. Ranked best first by the lexicographic
    key of the result (:func:`score`), ties by name.
    """
    t0 = time.perf_counter()
    check_place(scenario, at)
    base_eq = tuple(sorted(set(place_equipment(scenario, at))))
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
    base = Variant("current", base_eq, at)
    variants = [base] + [Variant("".join("+" + i for i in items), tuple(sorted({*base_eq, *items})), at) for items in enables]
    outcomes = solve_variants(
        scenario, catalogue, variants, time_limit_s=time_limit_s, workers=workers, seed=seed, processes=processes,
        executor=executor, source=source, scheduler=scheduler, total_time_s=total_time_s,
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
        parameters=_parameters(scenario, time_limit_s, workers, seed, total_time_s, outcomes, at),
        base=base_out,
        singles=singles,
        best_pair=doubles[0] if doubles else None,
        pairs_tried=len(doubles),
        wall_time_s=round(time.perf_counter() - t0, 4),
    )
