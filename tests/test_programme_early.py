"""The multi-week early plan when a better one follows, and a programme's builds within its time.

From a limit where the quality plan follows (``QUALITY_MIN_S``), the early plan's reference
weeks stop at their first plan that meets every target and its doses at their first
solution: it is a plan soon, and the quality plan is the answer. A stage-A build of every
week that runs out of time leaves the early plan standing, without building the larger
day-level model. Speed itself is measured by benchmarks/bench_programme.py, not here; every
plan here goes through the independent checker.
"""

from __future__ import annotations

import pytest

from optimizer import build_problem, check_programme_result, load_scenario, solve_programme
from optimizer.encoding import programme as programme_encoding
from optimizer.encoding import programme_hint
from optimizer.encoding.runtime import OutOfTime
from optimizer.encoding.solve import FEASIBLE, OPTIMAL, SolveParams

from .conftest import MULTI_WEEK, SCENARIOS, assert_placement_valid


@pytest.mark.parametrize("name", ["gym", "home_balls_and_bands"])
def test_first_plan_stops_at_a_plan_meeting_every_target(name, catalogue):
    sc = load_scenario(SCENARIOS / f"{name}.yaml")
    problem = build_problem(sc, catalogue)
    params = SolveParams(time_limit_s=20, workers=1, seed=0)
    full = programme_hint._solve_pruned(problem, set(), params)
    first = programme_hint._first_plan(problem, set(), params)
    assert full.status == OPTIMAL
    assert_placement_valid(sc, catalogue, problem, full.placement)
    # Stopped: no proof, phase 2 not run, fewer searches than the whole solve.
    assert first.status == FEASIBLE
    assert first.values["shortfall"] == 0
    assert first.stats["solves"] < full.stats["solves"]
    assert_placement_valid(sc, catalogue, problem, first.placement)


def test_the_stop_ends_only_the_first_plan_search(catalogue):
    """The Stop made for the first plan does not outlive it: a solve after it is proven."""
    sc = load_scenario(SCENARIOS / "knee_safe.yaml")
    problem = build_problem(sc, catalogue)
    params = SolveParams(time_limit_s=20, workers=1, seed=0)
    programme_hint._first_plan(problem, set(), params)
    after = programme_hint._solve_pruned(problem, set(), params)
    assert after.status == OPTIMAL
    assert_placement_valid(sc, catalogue, problem, after.placement)


def test_a_stage_a_build_out_of_time_leaves_the_early_plan(catalogue, monkeypatch):
    """No day-level model of every week is built once the stage-A one ran out of time (it
    took seconds more than the limit on twelve imported weeks)."""
    real = programme_encoding.build
    every_week_daily = []

    def build(mp, daily, weeks=None, **kw):
        if weeks is None and not daily:
            raise OutOfTime
        if weeks is None:
            every_week_daily.append(1)
        return real(mp, daily, weeks=weeks, **kw)

    monkeypatch.setattr(programme_encoding, "build", build)
    sc = load_scenario(next(p for p in MULTI_WEEK if p.stem == "four_week_block_deload"))
    result = solve_programme(sc, catalogue, time_limit_s=10, workers=1, seed=0)
    assert result.has_plan and result.stats.get("build_cut")
    assert result.method.startswith("early plan")
    assert every_week_daily == []
    report = check_programme_result(sc, catalogue, result)
    assert report.ok, [str(v) for v in report.violations]


def test_a_satisfied_stop_is_told_apart_from_ctrl_c():
    """Only a stop because the caller has its plan skips the grace work (placing the round
    in hand); Ctrl-C keeps it, to hand back the best plan it can."""
    from optimizer.encoding.runtime import Stop, _Clock

    ctrl_c, enough = Stop(), Stop()
    ctrl_c.stop()
    enough.satisfied()
    assert ctrl_c.stopped and not ctrl_c.enough
    assert enough.stopped and enough.enough
    with enough.governing():
        assert _Clock(1.0).enough and _Clock(1.0).left() == 0
    with ctrl_c.governing():
        assert not _Clock(1.0).enough
    parent = Stop()
    with parent.governing():
        child = Stop()
    parent.satisfied()
    assert child.stopped and child.enough
