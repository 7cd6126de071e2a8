"""A fixed wasted-set stage fixes its sum, not the split one run ended at.

The wasted-set terms (ineffective, overshoot) are one lexicographic stage of their sum.
Phase 2 of the rep-scheme split (:mod:`optimizer.encoding.scheme_phase`) fixes phase 1's
values; it fixed each part, so the split phase 1's search happened to end at narrowed the
plans phase 2 chose from: a batch athlete was "proven" at rep_range 28 in one run and 22
in another, with ineffective 28 and overshoot 0 against 27 and 1 (the same sum).
"""

from __future__ import annotations

from optimizer import load_scenario
from optimizer.encoding.objective import ORDER, WASTE, waste_sum
from optimizer.encoding.solve import SolveParams, _Clock, _solve_problem, solve_problem
from optimizer.problem import build_problem

from .conftest import SCENARIOS, assert_placement_valid


def test_another_split_of_the_same_wasted_sets_gives_the_same_optimum(catalogue):
    scenario = load_scenario(SCENARIOS / "home_balls_and_bands.yaml")
    problem = build_problem(scenario, catalogue)
    params = SolveParams(time_limit_s=30, workers=1, seed=0)
    free = solve_problem(problem, params)
    assert free.status == "OPTIMAL" and free.values["overshoot"] >= 1  # a split to move
    last = ORDER.index("rep_range")
    prefix = {n: x for n, x in free.values.items() if ORDER.index(n) < last}
    # The same sum, split otherwise: one set beyond the point counted as ineffective.
    prefix["ineffective"], prefix["overshoot"] = prefix["ineffective"] + 100, prefix["overshoot"] - 1
    clock = _Clock(30)
    with clock.running():
        fixed = _solve_problem(problem, params, None, clock, fixed=prefix)
    assert fixed.status == "OPTIMAL"
    assert_placement_valid(scenario, catalogue, problem, fixed.placement)
    assert waste_sum(fixed.values) == waste_sum(free.values)
    later = [n for n in ORDER if ORDER.index(n) >= last or n not in prefix]
    assert {n: fixed.values.get(n) for n in later if n not in WASTE} == {n: free.values.get(n) for n in later if n not in WASTE}
