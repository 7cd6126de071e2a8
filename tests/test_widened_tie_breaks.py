"""The tie-break stage takes the time the loop keeps for the fallback once it need not.

The two-stage loop keeps part of the limit for the day-level model, in case the round's
weekly totals do not fit the days. When the totals the tie-break stage starts from (every
quality term at its proven value) are placed before it searches, that plan is in hand,
the fallback is not needed, and the stage may search with the whole limit.
"""

from __future__ import annotations

import sys

from optimizer import load_scenario
from optimizer.encoding import stages
from optimizer.encoding.solve import SolveParams, _Clock, _solve_problem, build
from optimizer.problem import build_problem

from .conftest import SCENARIOS, assert_placement_valid


_SOLVER = stages._solver


def _budgets(monkeypatch) -> list[float]:
    """The seconds every search is given, in order."""
    seen: list[float] = []

    def spy(params, seconds, *args, **kwargs):
        seen.append(seconds)
        return _SOLVER(params, seconds, *args, **kwargs)

    monkeypatch.setattr(stages, "_solver", spy)
    return seen


def test_a_placed_start_lets_the_tie_break_stage_search_with_the_whole_limit(catalogue, monkeypatch):
    """Asked with the solution in hand, before the tie-break stage's search on every
    worker: told no, every search keeps within the share; told yes, that stage gets the
    rest of the limit. The terms are the same either way (the week is proven well within
    both)."""
    monkeypatch.setattr(stages, "CANON_STAGE_DTIME", 1e-6)  # the stage searches on every worker
    problem = build_problem(load_scenario(SCENARIOS / "gym.yaml"), catalogue)
    params = SolveParams(time_limit_s=60, workers=2, seed=0)
    share = 0.4
    runs = {}
    for answer in (False, True):
        asked = []
        budgets = _budgets(monkeypatch)
        model, ctx, v = build(problem, daily=False)

        def widen(solution, asked=asked, answer=answer):
            asked.append(solution is not None)
            return answer

        status, solver, values, _ = stages.optimise(problem, model, ctx, v, params, _Clock(60), share, {}, widen=widen)
        assert status == "OPTIMAL" and solver is not None
        assert asked == [True]  # once, with a solution
        runs[answer] = (values, budgets)
    (kept, kept_budgets), (widened, wide_budgets) = runs.values()
    assert kept == widened
    assert max(kept_budgets) <= 60 * share
    assert max(wide_budgets) > 60 * share
    assert max(wide_budgets) <= 60 * stages.WIDE_SHARE


def test_the_loop_widens_the_tie_breaks_of_totals_that_place(catalogue, monkeypatch):
    """End to end: the gym week's totals place before its tie-breaks, so the stage is
    widened, and the plan is proven and valid."""
    monkeypatch.setattr(stages, "CANON_STAGE_DTIME", 1e-6)
    scenario = load_scenario(SCENARIOS / "gym.yaml")
    problem = build_problem(scenario, catalogue)
    clock = _Clock(60)
    with clock.running():
        outcome = _solve_problem(problem, SolveParams(time_limit_s=60, workers=2, seed=0), None, clock)
    assert outcome.status == "OPTIMAL" and outcome.stats.get("widened")
    assert_placement_valid(scenario, catalogue, problem, outcome.placement)


def test_where_the_widened_totals_do_not_place_the_plan_in_hand_is_kept(catalogue, monkeypatch):
    """The totals the widened stage ends at are placed as every round's are; where they do
    not fit (forced here: that placement fails and names no core), the plan placed before
    the stage hints what follows, so the week ends with the quality terms it had proven."""
    from optimizer.encoding import solve as encoding_solve

    monkeypatch.setattr(stages, "CANON_STAGE_DTIME", 1e-6)
    scenario = load_scenario(SCENARIOS / "gym.yaml")
    problem = build_problem(scenario, catalogue)
    real = encoding_solve.place
    held = []

    def place(problem, chosen, params, seconds, spread=None, balance=True, **kwargs):
        if sys._getframe(1).f_code.co_name == "widen":
            held.append(real(problem, chosen, params, seconds, spread, balance, **kwargs)[0])
            return held[-1], None
        return None, None  # the round's own placement: no plan, no core

    monkeypatch.setattr(encoding_solve, "place", place)
    real_fallback, hints = encoding_solve._fallback, []

    def fallback(problem, params, clock, stats, a_bounds, hint=None, *args):
        hints.append(hint)
        return real_fallback(problem, params, clock, stats, a_bounds, hint, *args)

    monkeypatch.setattr(encoding_solve, "_fallback", fallback)
    params = SolveParams(time_limit_s=20, workers=2, seed=0)
    clock = _Clock(20)
    with clock.running():
        outcome = _solve_problem(problem, params, None, clock, rounds=1)
    assert held and held[0] is not None
    assert hints == [held[0]]  # the day-level model starts from it
    assert outcome.placement is not None
    assert_placement_valid(scenario, catalogue, problem, outcome.placement)
    start = encoding_solve._final_values(problem, held[0])
    quality = [n for n in start if n not in stages.TIE_BREAKS]
    assert {n: outcome.values[n] for n in quality} == {n: start[n] for n in quality}
