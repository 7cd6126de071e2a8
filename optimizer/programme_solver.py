"""The library entry of multi-week programmes: :func:`solve_programme`.

Everything ``programme solve`` does for a scenario with ``weeks`` above 1 is callable
from Python::

    from optimizer import load_catalogue, load_scenario, solve_programme
    result = solve_programme(load_scenario("scenarios/four_week_block_deload.yaml"), load_catalogue())

It builds the :class:`~optimizer.programme.MultiWeekProblem`, prunes it, solves it with
the programme model (:mod:`optimizer.encoding.programme`) and returns the typed result,
as :func:`optimizer.solver.solve` does for one week.
"""

from __future__ import annotations

import time
from dataclasses import replace

from .catalogue import Catalogue
from .programme import build_programme_problem
from .scenario import Scenario


def solve_programme(
    scenario: Scenario,
    catalogue: Catalogue,
    *,
    time_limit_s: float | None = None,
    workers: int | None = None,
    seed: int | None = None,
    extra_params: dict | None = None,
    source: str | None = None,
    log: bool = False,
    prune: bool = True,
):
    """Solve a multi-week programme (any ``weeks``, 1 included). Returns a ProgrammeResult.

    ``prune`` drops exercises no optimal programme needs before modelling (exact:
    :mod:`optimizer.programme_pruning`); turn it off only to compare. The time limit
    counts from this call: building the problem spends part of it.
    """
    from .encoding.programme import solve_programme_problem
    from .programme_pruning import prune_programme
    from .programme_result import to_programme_result
    from .solver import solve_params, stopped
    from .status_messages import ended_early

    t0 = time.perf_counter()
    mp = build_programme_problem(scenario, catalogue, source)
    if prune:
        mp = prune_programme(mp)
    params = solve_params(scenario, time_limit_s, workers, seed, extra_params, log)
    build_s = time.perf_counter() - t0
    left = max(0.1 * params.time_limit_s, params.time_limit_s - build_s)
    # Building took wall-clock time: it shortens the safety net, not the deterministic budget.
    outcome = solve_programme_problem(mp, replace(params, wall_limit_s=left) if params.deterministic else replace(params, time_limit_s=left))
    result = to_programme_result(scenario, catalogue, mp, outcome, params)
    result.wall_time_s = round(time.perf_counter() - t0, 4)
    result.build_time_s = round(build_s + outcome.stats.get("build_s", 0.0), 4)
    result.message = ended_early(result.message, result.wall_time_s, params, halted=stopped())
    if outcome.stats.get("first_plan_s") is not None:
        result.first_plan_s = round(build_s + outcome.stats["first_plan_s"], 4)
    return result
