"""The library entry point: scenario + catalogue -> :class:`~optimizer.result.SolveResult`.

Everything the CLI's ``solve`` does is here, callable from Python::

    from optimizer import load_catalogue, load_scenario, solve
    result = solve(load_scenario("scenarios/gym.yaml"), load_catalogue())

ortools is imported only when a solve starts (it costs about 0.3 s), so the CLI's help
stays fast.
"""

from __future__ import annotations

import time
from functools import cache
from importlib import metadata

from .catalogue import Catalogue
from .errors import InputError
from .problem import Problem, build_problem
from .result import (
    ObjectiveTerm,
    Plan,
    PlannedDay,
    PlannedExercise,
    RatioRow,
    Requirement,
    SolveResult,
    Status,
    VolumeRow,
)
from .scenario import Scenario
from .status_messages import NO_PLAN_IN_TIME, NOT_CANONICAL, TIME_UP, WALL_CUT, ended_early, gap_note
from .supersets import day_pairings, pair_saving

SCHEME_ORDER = {"heavy": 0, "moderate": 1, "light": 2}
FAMILY_LABELS = {
    "equipment": "the equipment owned",
    "joint_limits": "the knee-flexion limit",
    "level": "the athlete's level",
    "exclusions": "excluded exercises",
    "required": "required exercises",
    "pinned": "pinned exercises",
    "session_limits": "sets per exercise and exercises per session",
    "variety": "days per exercise",
    "time_budget": "minutes per day",
    "recovery": "recovery between sessions",
    "volume": "hard volume targets",
    "balance": "hard balance ratios",
    "calves": "heavy and light calf work",
    "pairing": "hard day pairing",
}


@cache  # read from the installed metadata once per process (batch and compare report it on every solve)
def version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "unknown"


def solve_params(
    scenario: Scenario, time_limit_s=None, workers=None, seed=None, extra_params=None, log=False, observer=None, early_plan=True,
):
    """Solver parameters: the arguments given, else the scenario's ``solver`` section."""
    from .encoding.solve import SolveParams

    return SolveParams(
        time_limit_s=time_limit_s if time_limit_s is not None else scenario.solver.time_limit_s,
        workers=workers if workers is not None else scenario.solver.workers,
        seed=seed if seed is not None else scenario.solver.seed,
        extra=dict(extra_params or {}),
        log=log,
        observer=observer,
        deterministic=scenario.solver.reproducible,
        early_plan=early_plan,
    )


def stop_token(deadline: float | None = None):
    """A :class:`optimizer.encoding.solve.Stop`: solves run ``with token.governing():`` (in
    any thread) end when another thread calls ``token.stop()``, and none runs past
    ``deadline`` (a ``time.perf_counter()`` value), if given."""
    from .encoding.solve import Stop

    return Stop(deadline)


def stopped() -> bool:
    """True once Ctrl-C (a :class:`~optimizer.encoding.solve.Stop` governing this thread) stopped the work."""
    from .encoding.solve import current_stop

    stop = current_stop()
    return stop is not None and stop.stopped


def solve(
    scenario: Scenario,
    catalogue: Catalogue,
    *,
    time_limit_s: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
    extra_params: dict | None = None,
    source: str | None = None,
    log: bool = False,
    diagnose: bool = True,
    repair: bool = True,
    prune: bool = True,
    hint: Plan | None = None,
    backend: str = "cp-sat",
    observer=None,
    first_plan_soon: bool = True,
) -> SolveResult:
    """Solve one week. Arguments left as None take the scenario's ``solver`` section.

    With no plan and ``diagnose``, the result names a minimal conflict and, with
    ``repair``, when one is found and verified, the cheapest repair (``programme explain``
    shows more; benchmarks turn diagnosing off to time the solve alone, ``compare`` turns
    the repair off: its table shows the conflict).
    ``prune`` drops exercises no optimal plan needs before modelling (exact:
    :mod:`optimizer.pruning`); turn it off only to compare.
    ``hint``: a known valid plan to start the search from (e.g. the plan for a subset of
    the equipment, which is valid here too); it never changes what is optimal.
    ``backend="highs"`` solves the monolithic day-level model as a MILP with HiGHS (a
    cross-check, see :mod:`optimizer.encoding.highs`); ``observer`` (an
    :class:`optimizer.encoding.solve.Observer`) sees every improving solution.
    ``first_plan_soon=False`` skips the early plan (:mod:`optimizer.encoding.early_plan`),
    for callers that read only the final plan (a batch): a proven plan is the same either
    way (the canonical solve), and 100 batch athletes' solves took 0.93x the time without it.
    """
    from .encoding.solve import Outcome, solve_problem
    from .pruning import prune as prune_problem

    t0 = time.perf_counter()
    if stopped() and backend in ("cp-sat", "highs"):
        # Ctrl-C or the command's clock came before this solve started (compare's queued
        # variants, a batch's): no work at all, not even the model's build (value of
        # equipment with pairs queues about ninety; building each after the stop took a second).
        return not_started(scenario, solve_params(scenario, time_limit_s, workers, seed, extra_params, log, observer))
    full = build_problem(scenario, catalogue, source)
    halted = stopped()
    problem = prune_problem(full) if prune and not halted else full
    params = solve_params(scenario, time_limit_s, workers, seed, extra_params, log, observer, first_plan_soon)
    build_s = time.perf_counter() - t0
    placement_hint = plan_placement(problem, hint) if hint is not None else None
    if halted:  # Ctrl-C came before this solve started (compare's later variants): no new work
        outcome = Outcome("UNKNOWN", None)
    elif backend == "highs":
        from .encoding.highs import solve_highs

        outcome = solve_highs(problem, params)
    elif backend == "cp-sat":
        outcome = solve_problem(problem, params, hint=placement_hint)
    else:
        raise InputError(f"unknown backend {backend!r}, expected cp-sat or highs", field="backend")
    result = to_result(scenario, catalogue, problem, outcome, params)
    if backend != "cp-sat":
        result.parameters["backend"] = backend
    if result.status == Status.INFEASIBLE and diagnose:
        # From the scenario, unpruned: pruning assumes every rule holds.
        diagnose_infeasible(scenario, catalogue, result, params, source, repair=repair, deadline=_diagnosis_deadline(t0 + params.time_limit_s))
    result.wall_time_s = round(time.perf_counter() - t0, 4)
    result.build_time_s = round(build_s + outcome.stats.get("build_s", 0.0), 4)
    result.message = ended_early(result.message, result.wall_time_s, params, halted=stopped())
    return result


def reported_parameters(params) -> dict:
    """The solver settings a result reports."""
    return {"time_limit_s": params.time_limit_s, "workers": params.workers, "seed": params.seed,
            "reproducible": params.deterministic, **params.extra}


def not_started(scenario: Scenario, params) -> SolveResult:
    """The result of a solve stopped before it began: no plan, nothing considered."""
    return SolveResult(
        scenario=scenario.name,
        status=Status.UNKNOWN,
        message=NO_PLAN_IN_TIME,
        objective=scenario.objective,
        parameters=reported_parameters(params),
        ortools_version=version("ortools"),
        programme_optimiser_version=version("programme-optimiser"),
    )


def _diagnosis_deadline(own: float) -> float:
    """The earlier of this solve's deadline (``own``) and the command's (the
    :class:`~optimizer.encoding.runtime.Stop` governing this thread, if any): the command's
    clock starts before the catalogue loads, so its searches end first, and the diagnosis
    must know it to say that the clock, not the search, ended it."""
    from .encoding.solve import current_stop

    stop = current_stop()
    return own if stop is None or stop.deadline is None else min(own, stop.deadline)


REPAIR_CUT_S = 0.25  # no repair and less than this left: the clock, not the search, ended it


def diagnose_infeasible(
    scenario: Scenario,
    catalogue: Catalogue,
    result: SolveResult,
    params,
    source: str | None,
    *,
    repair: bool = True,
    deadline: float | None = None,
) -> None:
    """Name a minimal conflict in ``result`` and, with ``repair`` and a conflict found, the
    cheapest verified repair.

    Deterministic (one worker, deterministic limits) unless ``deadline`` (a
    ``time.perf_counter()`` value: the solve's own clock) cuts it short; the repair's check
    solve gets half the time limit at most, so solving an infeasible scenario stays quick.
    """
    from .repairs import minimal_conflict, repairs

    if stopped():
        return
    status, items, minimal, _ = minimal_conflict(scenario, catalogue, source, seed=params.seed, deadline=deadline)
    if status == "UNKNOWN":
        result.message += " The search for a conflict ran out of time (programme explain looks further)."
    if status != "INFEASIBLE":
        return
    note_conflict(result, [Requirement(family=c.family, label=c.label, path=c.path, key=c.key) for c in items], minimal)
    if not minimal:
        result.message += " Not proven minimal: the search for a smaller one ran out of time."
    if not repair:
        return
    options = repairs(
        scenario, catalogue, 1, source=source, seed=params.seed, time_limit_s=max(0.5, params.time_limit_s / 2), solve=solve,
        deadline=deadline,
    )
    if options and options[0].verified:
        result.repair = options[0].text
        result.message += f" Cheapest repair: {options[0].text}."
    elif options and options[0].status == Status.UNKNOWN:  # its check solve ran out of time
        result.message += f" Cheapest repair found, not verified within the time limit: {options[0].text}."
    elif not options and deadline is not None and deadline - time.perf_counter() < REPAIR_CUT_S:
        result.message += " The time limit ended the search for a repair (programme explain looks further)."
    elif not options:
        result.message += " No repair was found within the search's limit (programme explain looks further)."
    else:  # found, and its check solve ended without a plan the checker accepts
        result.message += f" Cheapest repair found, not verified (its check: {options[0].status.value}): {options[0].text}."


def note_conflict(result: SolveResult, conflict: list[Requirement], minimal: bool, found_for: str | None = None) -> None:
    """Put a conflict in ``result`` (and its message); ``found_for``: the variant it was found
    for, when it is another's (with more exercises, so it holds here too)."""
    result.conflict = list(conflict)
    word = "Minimal conflict" if minimal else "Conflict"
    where = f" (found for {found_for}, which has every exercise usable here and more: it holds here too)" if found_for else ""
    result.message += f" {word}{where}: " + "; ".join(c.label for c in conflict) + "."


def plan_placement(problem: Problem, plan: Plan) -> list[tuple[int, int, int, int]]:
    """A plan as problem indices (exercise, day, scheme, sets); entries the problem lacks are left out."""
    ex = {e.id: e.index for e in problem.exercises}
    days = {d.name: d.index for d in problem.days}
    schemes = {k.id: k.index for k in problem.schemes}
    return [
        (ex[x.exercise], days[day], schemes[x.scheme], x.sets)
        for day, x in plan.entries()
        if x.exercise in ex and day in days and x.scheme in schemes
    ]


def volume_by_unit(plan_sets: dict[str, int], catalogue: Catalogue, level: str | None = None) -> dict[str, float]:
    """Weekly sets credited to every group and muscle by {exercise id: weekly sets}:
    effective sets for an athlete of ``level``, raw sets when it is None."""
    out: dict[str, float] = {}
    for ex_id, sets in plan_sets.items():
        ex = catalogue.exercise_by_id[ex_id]
        f = 1.0 if level is None else catalogue.effect(ex, level)
        for m, a in ex.activation.items():
            out[m] = out.get(m, 0.0) + a * f * sets
        for g, a in catalogue.group_activation(ex).items():
            out[g] = out.get(g, 0.0) + a * f * sets
    return out


def upper_body_sets(scenario: Scenario, catalogue: Catalogue) -> dict[str, float]:
    """Weekly sets the days' upper_body sessions credit: a group key its group, a muscle key the muscle and its group."""
    out: dict[str, float] = {}
    for d in scenario.days:
        for unit, sets in d.upper_body.items():
            group = unit if unit in catalogue.group_by_id else catalogue.group_of_muscle[unit]
            for u in {unit, group}:
                out[u] = out.get(u, 0.0) + sets
    return out


def build_plan(scenario: Scenario, catalogue: Catalogue, problem: Problem, placement) -> Plan:
    """Names, sound order within each day (compound first, heavy first), volumes, ratios."""
    by_day: dict[int, list] = {d.index: [] for d in problem.days}
    for e, d, k, sets in placement:
        by_day[d].append((e, k, sets))
    pairings = day_pairings(problem, placement)
    days = []
    weekly_sets: dict[str, int] = {}
    for d in problem.days:
        rows = []
        work_s = 0  # whole seconds: the rows' minutes are rounded (see below)
        for e, k, sets in by_day[d.index]:
            pe, sch = problem.exercises[e], problem.schemes[k]
            cat_ex = catalogue.exercise_by_id[pe.id]
            weekly_sets[pe.id] = weekly_sets.get(pe.id, 0) + sets
            seconds = pe.setup_s + sets * pe.seconds(k)
            work_s += seconds
            rows.append(
                PlannedExercise(
                    exercise=pe.id,
                    name=pe.name,
                    sets=sets,
                    scheme=sch.id,
                    reps=f"{sch.reps_min}-{sch.reps_max}" + (" s" if sch.unit == "seconds" else ""),
                    rest_s=sch.rest_s,
                    set_seconds=pe.seconds(k),
                    setup_s=pe.setup_s,
                    minutes=round(seconds / 60, 2),
                    mechanic=cat_ex.mechanic,
                )
            )
        rows.sort(key=lambda r: (r.mechanic != "compound", SCHEME_ORDER.get(r.scheme, 9), -r.sets, r.exercise))
        if d.index in pairings:
            rows = superset_rows(rows, [(problem.exercises[a].id, problem.exercises[b].id) for a, b in pairings[d.index][1]])
        # From whole seconds, not the rows' rounded minutes: five rows of x.x7 added up to a
        # day of "45.01 of 45 min" whose sets fill exactly 45.
        work = (work_s - pairings.get(d.index, (0, []))[0]) / 60
        warm = d.warmup_s / 60 if rows else 0.0
        days.append(
            PlannedDay(
                day=d.name,
                shares_with=d.label,
                at=d.at,
                minutes_budget=d.minutes,
                warmup_minutes=warm,
                minutes_used=round(warm + work, 2),
                exercises=rows,
            )
        )
    vol = volume_by_unit(weekly_sets, catalogue, scenario.athlete.level)
    raw = volume_by_unit(weekly_sets, catalogue)
    for unit, sets in upper_body_sets(scenario, catalogue).items():
        vol[unit] = vol.get(unit, 0.0) + sets
        raw[unit] = raw.get(unit, 0.0) + sets
    volume = []
    for unit, t in scenario.targets.items():
        sets = round(vol.get(unit, 0.0), 3)
        volume.append(
            VolumeRow(
                unit=unit,
                kind="group" if unit in catalogue.group_by_id else "muscle",
                sets=sets,
                raw_sets=round(raw.get(unit, 0.0), 3),
                min=t.min,
                max=t.max,
                hard=t.hard,
                shortfall=round(max(0.0, (t.min or 0) - sets), 3),
            )
        )
    targeted = set(scenario.targets)
    for g in catalogue.groups:  # the rest of the picture: every group and muscle trained
        for unit, kind in [(g.id, "group")] + [(m.id, "muscle") for m in g.muscles]:
            if unit not in targeted and raw.get(unit, 0) > 0:
                volume.append(VolumeRow(unit=unit, kind=kind, sets=round(vol.get(unit, 0.0), 3), raw_sets=round(raw[unit], 3)))
    ratios = []
    for key, r in scenario.balance.items():
        num, den = key.split("_to_", 1)
        q, h = vol.get(num, 0.0), vol.get(den, 0.0)
        outside = max(0.0, r.min * h - q, q - r.max * h)
        ratios.append(
            RatioRow(
                name=key,
                numerator_sets=round(q, 3),
                denominator_sets=round(h, 3),
                value=round(q / h, 3) if h else None,
                min=r.min,
                max=r.max,
                hard=r.hard,
                outside=round(outside, 3),
            )
        )
    return Plan(days=days, volume=volume, ratios=ratios)


def superset_rows(rows: list[PlannedExercise], pairs: list[tuple[str, str]]) -> list[PlannedExercise]:
    """``rows`` with each pair adjacent (the earlier first), labelled A1/A2, B1/B2... in
    order; the second of a pair carries the rests the pair saves off its minutes."""
    at = {r.exercise: i for i, r in enumerate(rows)}
    partner = {}
    for a, b in pairs:
        first, second = sorted((a, b), key=at.__getitem__)
        partner[first] = second
    out: list[PlannedExercise] = []
    placed: set[str] = set()
    for r in rows:
        if r.exercise in placed:
            continue
        if r.exercise not in partner:
            out.append(r)
            placed.add(r.exercise)
            continue
        other = rows[at[partner[r.exercise]]]
        letter = chr(ord("A") + sum(1 for x in out if x.superset and x.superset.endswith("1")))
        saved = pair_saving(r.sets, r.rest_s, other.sets, other.rest_s)
        mins = round((other.setup_s + other.sets * other.set_seconds - saved) / 60, 2)
        out += [r.model_copy(update={"superset": f"{letter}1"}), other.model_copy(update={"superset": f"{letter}2", "minutes": mins})]
        placed |= {r.exercise, other.exercise}
    return out


def to_result(scenario, catalogue, problem: Problem, outcome, params) -> SolveResult:
    from .encoding.objective import ORDER, rank_of, term_info

    status = Status(outcome.status)
    info = term_info(problem)
    terms = []
    for name in ORDER:
        if name not in outcome.values:
            continue
        rank = rank_of(name)
        t = info[name]
        bound = outcome.bounds.get(name)
        terms.append(
            ObjectiveTerm(
                name=name,
                value=round(outcome.values[name] / t.divisor, 4),
                bound=None if bound is None else round(bound / t.divisor, 4),
                unit=t.unit,
                rank=rank if problem.objective == "lexicographic" else None,
                weight=problem.weights[name] if problem.objective == "weighted" else None,
            )
        )
    value = bound = gap = first_open = None
    if problem.objective == "weighted" and "weighted" in outcome.values:
        value = float(outcome.values["weighted"])
        bound = float(outcome.bounds.get("weighted", value))
        gap = 0.0 if status == Status.OPTIMAL else (value - bound) / max(abs(value), 1e-9)
    elif terms:
        first_open = next((t for t in terms if t.bound is not None and t.bound < t.value - 1e-9), None)
        value, bound = terms[0].value, terms[0].bound
        if status == Status.OPTIMAL or first_open is None:
            gap = 0.0 if status == Status.OPTIMAL else None
        else:
            gap = round((first_open.value - first_open.bound) / max(abs(first_open.value), 1e-9), 4)
    plan = build_plan(scenario, catalogue, problem, outcome.placement) if outcome.placement is not None else None
    messages = {
        Status.OPTIMAL: "Proven optimal plan.",
        Status.FEASIBLE: TIME_UP + "this plan is not proven optimal" + gap_note(gap, first_open, terms),
        Status.INFEASIBLE: "No plan exists: the hard requirements cannot all hold.",
        Status.UNKNOWN: NO_PLAN_IN_TIME,
    }
    message = messages[status]
    if outcome.stats.get("wall_cut") and status in (Status.FEASIBLE, Status.UNKNOWN):
        message += WALL_CUT
    if outcome.stats.get("canonical_missed") and status == Status.OPTIMAL:
        message += NOT_CANONICAL
    return SolveResult(
        scenario=scenario.name,
        status=status,
        message=message,
        plan=plan,
        objective=problem.objective,
        objective_terms=terms,
        objective_value=value,
        best_bound=bound,
        gap=gap,
        wall_time_s=0.0,
        build_time_s=0.0,
        method=outcome.method,
        stats={k: (round(v, 4) if isinstance(v, float) else v) for k, v in outcome.stats.items()},
        parameters=reported_parameters(params),
        exercises_considered=len(problem.exercises),
        exercises_left_out=len(problem.left_out),
        exercises_dominated=len(problem.dominated),
        ortools_version=version("ortools"),
        programme_optimiser_version=version("programme-optimiser"),
    )
