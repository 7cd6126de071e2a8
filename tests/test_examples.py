"""End to end over every example scenario: solve, prove optimal, pass the checker."""

from __future__ import annotations

import pytest

from optimizer import Status, load_scenario, solve

from .conftest import EXAMPLES, FEASIBLE_EXAMPLES, assert_valid


@pytest.mark.parametrize("path", FEASIBLE_EXAMPLES, ids=lambda p: p.stem)
def test_example_is_proven_optimal_and_valid(path, catalogue):
    scenario = load_scenario(path)
    result = solve(scenario, catalogue, workers=2, seed=0)
    assert result.status == Status.OPTIMAL, result.message
    assert result.gap == 0.0
    report = assert_valid(scenario, catalogue, result)
    # The checker's recomputation of each term agrees with what the solver reports.
    for term in result.objective_terms:
        assert term.bound == pytest.approx(term.value)
        if term.name in report.terms:
            assert report.terms[term.name] == pytest.approx(term.value, abs=1e-3)


@pytest.mark.parametrize("path", [p for p in EXAMPLES if p.stem.startswith("infeasible")], ids=lambda p: p.stem)
def test_infeasible_example_names_the_families(path, catalogue):
    result = solve(load_scenario(path), catalogue, workers=2, seed=0)
    assert result.status == Status.INFEASIBLE
    assert result.plan is None
    families = {r.family for r in result.conflict}
    assert {"time_budget", "volume"} <= families


def test_days_follow_budget_and_order(catalogue):
    scenario = load_scenario(FEASIBLE_EXAMPLES[0])
    result = solve(scenario, catalogue, workers=1, seed=0)
    assert_valid(scenario, catalogue, result)
    for day in result.plan.days:
        assert day.minutes_used <= day.minutes_budget
        mechanics = [x.mechanic for x in day.exercises]
        # Compound work comes before isolation work within a session.
        assert mechanics == sorted(mechanics, key=lambda m: m != "compound")


def test_the_checker_rejects_a_bound_above_the_plan(catalogue):
    """A bound is a claim about the optimum, and the plan is a solution: a bound above the
    plan's own value is false, and the checker (which recomputes the value) says so."""
    from optimizer.checker import check_result

    scenario = load_scenario(FEASIBLE_EXAMPLES[0])
    result = solve(scenario, catalogue, workers=1, seed=0)
    assert check_result(scenario, catalogue, result).ok
    terms = [t.model_copy(update={"bound": t.value + 2}) if t.name == "minutes" else t for t in result.objective_terms]
    report = check_result(scenario, catalogue, result.model_copy(update={"objective_terms": terms}))
    assert [v.rule for v in report.violations] == ["bound"]
