"""A fixed seed and worker count give the same plan."""

from __future__ import annotations

import subprocess
import sys

import pytest

from optimizer import load_scenario, solve
from optimizer.encoding import runtime as encoding_runtime
from optimizer.result import Status

from .conftest import FIXTURES, SCENARIOS, assert_valid


@pytest.mark.parametrize("name,workers", [("gym", 2), ("seed000_split", 2), ("home_balls_and_bands", 1)])
def test_same_seed_same_plan(name, workers, catalogue):
    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    plans = []
    for _ in range(2):
        # A limit long enough that the wall-clock safety net does not end the search on a
        # busy machine (a proof ends it well before on a quiet one).
        result = solve(scenario, catalogue, workers=workers, seed=0, time_limit_s=60)
        assert_valid(scenario, catalogue, result)
        assert not result.stats.get("wall_cut")
        plans.append(result.plan.model_dump())
    assert plans[0] == plans[1]


def test_a_week_proven_on_the_day_level_model_is_reproducible(catalogue):
    """A tight week on two workers: whether phase 1's weekly totals fit the days decides
    the path (encoding.scheme_phase), so they are canonical; then the day-level model's
    stages, its canonical solve and the balancing of its days (placement.rebalanced). The
    same seed gives the same plan (without canonical phase-1 totals, six runs of another such
    week gave two)."""
    scenario = load_scenario(FIXTURES / "tight_weekend.yaml")
    plans = []
    for _ in range(3):
        result = solve(scenario, catalogue, workers=2, seed=0, time_limit_s=60)
        assert_valid(scenario, catalogue, result)
        assert result.method.startswith("monolithic") and result.status == Status.OPTIMAL
        assert not result.stats.get("wall_cut")
        plans.append(result.plan.model_dump())
    assert plans[0] == plans[1] == plans[2]


@pytest.mark.parametrize("workers,canonical", [(2, True), (1, False)])
def test_phase_one_totals_are_canonical_on_several_workers(workers, canonical, catalogue, monkeypatch):
    """Phase 1 is a draft, but its weekly totals decide phase 2's path: on several workers
    its stages end with the canonical one-worker solve; on one worker the search is
    already one plan and skips it."""
    from dataclasses import replace

    from optimizer.encoding import stages
    from optimizer.encoding.solve import SolveParams, build, clock_for, optimise
    from optimizer.problem import build_problem
    from optimizer.pruning import prune, quickest_schemes

    problem = prune(build_problem(load_scenario(FIXTURES / "tight_three_days.yaml"), catalogue))
    quick = replace(quickest_schemes(problem, keep_main=False), rep_range_term=False)
    notes = []
    monkeypatch.setattr(stages, "_note", notes.append)
    params = SolveParams(time_limit_s=30, workers=workers, seed=0)
    model, ctx, v = build(quick, daily=False)
    clock = clock_for(params)
    with clock.running():
        status, solver, _, _ = optimise(quick, model, ctx, v, params, clock, 1.0, {}, draft=True)
    assert status == "OPTIMAL" and solver is not None
    assert ("the canonical plan" in notes) == canonical


def test_the_model_does_not_depend_on_the_hash_seed():
    """Same scenario, two processes with different PYTHONHASHSEED: byte-identical models
    (both stages), so a seed and worker count mean the same search in every process."""
    import os
    import subprocess
    import sys

    code = (
        "import hashlib, sys\n"
        "from optimizer import load_catalogue, load_scenario\n"
        "from optimizer.problem import build_problem\n"
        "from optimizer.pruning import prune\n"
        "from optimizer.encoding.solve import build\n"
        "p = prune(build_problem(load_scenario('gym'), load_catalogue()))\n"
        "for daily in (False, True):\n"
        "    m, _, _ = build(p, daily=daily)\n"
        "    print(hashlib.sha256(str(m.proto).encode()).hexdigest())\n"
    )
    out = []
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out.append(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout)
    assert out[0] == out[1] == out[2] and len(out[0].split()) == 2


def _busy_loops(n: int, seconds: float) -> list[subprocess.Popen]:
    """``n`` processes spinning on the CPU, each ending by itself after ``seconds``."""
    code = f"import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"
    return [subprocess.Popen([sys.executable, "-c", code]) for _ in range(n)]


def test_same_plan_on_an_idle_and_a_loaded_machine(catalogue, monkeypatch):
    """A search ended by its budget, not by a proof, gives the same plan under CPU load.

    The long week is not proven in this budget, so its plan is wherever the search stood
    when the budget ran out: with wall-clock budgets that depends on the machine's speed
    (a busy machine gets less far). Budgets are counted in CP-SAT's deterministic time;
    here a small one (0.12 units for the 30 s limit) keeps the wall clock, which is only a
    safety net, from ending it even on a busy shared machine.
    """
    monkeypatch.setattr(encoding_runtime, "DET_PER_S", 0.004)
    scenario = load_scenario(FIXTURES / "interrupt" / "long_week.yaml")
    scenario = scenario.model_copy(update={"solver": scenario.solver.model_copy(update={"reproducible": True})})

    def run():
        result = solve(scenario, catalogue, time_limit_s=30, workers=2, seed=0, diagnose=False)
        assert_valid(scenario, catalogue, result)
        assert result.status == Status.FEASIBLE  # not proven: the budget ended it, so timing could matter
        assert not result.stats.get("wall_cut"), "the wall clock cut the search: the machine is far too busy"
        return result.plan.model_dump()

    idle = run()
    loops = _busy_loops(3, 90)
    try:
        loaded = run()
    finally:
        for p in loops:
            p.kill()
            p.wait()
    assert idle == loaded


def test_the_tie_break_stage_proven_on_one_worker_is_the_canonical_plan(catalogue, monkeypatch):
    """With every stage before it proven and fixed, the tie-break stage is searched first on
    one worker without a hint: that search ends at one plan on every run, so no canonical
    solve follows it. Where it is not proven within its budget (forced here), the stage runs
    on both workers from its hint and the canonical solve follows, as before: the same
    terms, a plan as valid, one more canonical solve for each stage not proven."""
    from optimizer.encoding import stages

    scenario = load_scenario(SCENARIOS / "gym.yaml")
    runs = {}
    for budget in (stages.CANON_STAGE_DTIME, 1e-6):
        notes: list[str] = []
        monkeypatch.setattr(stages, "_note", notes.append)
        monkeypatch.setattr(stages, "CANON_STAGE_DTIME", budget)
        monkeypatch.setattr(stages, "CANON_STAGE_DTIME_DAILY", min(budget, stages.CANON_STAGE_DTIME_DAILY))
        result = solve(scenario, catalogue, workers=2, seed=0, time_limit_s=60)
        assert_valid(scenario, catalogue, result)
        assert result.status == Status.OPTIMAL and not result.stats.get("wall_cut")
        runs[budget] = (result, notes.count("the canonical plan"))
    (first, solves_first), (missed, solves_missed) = runs.values()
    assert first.stats["canonical_stage"] >= 1 and "canonical_stage_missed" not in first.stats
    assert "canonical_stage" not in missed.stats and missed.stats["canonical_stage_missed"] == first.stats["canonical_stage"]
    assert solves_missed == solves_first + first.stats["canonical_stage"]
    assert [(t.name, t.value) for t in first.objective_terms] == [(t.name, t.value) for t in missed.objective_terms]


def test_a_proven_plan_says_so_when_the_canonical_search_ran_out_of_time(catalogue, monkeypatch):
    """Where the one-worker canonical solve gets no time (forced here, with the tie-break
    stage not proven on one worker first), the plan is the stage's: as good, but another
    run may give another, and the message says so. With the time, it does not."""
    from optimizer.encoding import stages
    from optimizer.status_messages import NOT_CANONICAL

    scenario = load_scenario(SCENARIOS / "gym.yaml")
    monkeypatch.setattr(stages, "CANON_STAGE_DTIME", 1e-6)
    result = solve(scenario, catalogue, workers=2, seed=0, time_limit_s=60)
    assert_valid(scenario, catalogue, result)
    assert result.status == Status.OPTIMAL and NOT_CANONICAL not in result.message
    real = stages._canonical_solver

    def starved(params, seconds, wall=None):
        solver = real(params, seconds, wall)
        solver.parameters.max_deterministic_time = 1e-9  # no time to find anything
        return solver

    monkeypatch.setattr(stages, "_canonical_solver", starved)
    result = solve(scenario, catalogue, workers=2, seed=0, time_limit_s=60)
    assert_valid(scenario, catalogue, result)
    assert result.status == Status.OPTIMAL and result.message.endswith(NOT_CANONICAL)
    assert result.stats.get("canonical_missed")
