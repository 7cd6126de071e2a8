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


def test_a_days_minutes_are_its_exact_seconds(catalogue):
    """A day's minutes come from its whole seconds, not from its rows' rounded minutes
    added up: rows of 5.42, 4.17 and 9.92 minutes (325, 250 and 595 s) are a 19.5-minute
    session, not 19.51 (five such rows showed "45.01 of 45 min" on a day filled exactly).
    The checker holds the report to its rounding."""
    from optimizer import build_problem
    from optimizer.checker import check_plan
    from optimizer.solver import build_plan

    from .conftest import make_scenario

    sc = make_scenario(days=[{"day": "mon", "minutes": 25}])
    problem = build_problem(sc, catalogue)
    index = {ex.id: ex for ex in problem.exercises}
    scheme = {s.id: i for i, s in enumerate(problem.schemes)}
    rows = [("wall_sit", "hold", 3), ("sissy_squat", "moderate", 2), ("resistance_band_squat", "moderate", 5)]
    placement = [(index[e].index, 0, scheme[k], n) for e, k, n in rows]
    plan = build_plan(sc, catalogue, problem, placement)
    (day,) = [d for d in plan.days if d.exercises]
    assert sorted(x.minutes for x in day.exercises) == [4.17, 5.42, 9.92]
    assert day.minutes_used == 24.5  # 5 minutes of warm-up and 1,170 s of sets
    assert not [v for v in check_plan(sc, catalogue, plan).violations if v.rule == "report"]
    day.minutes_used = 24.51
    assert [v for v in check_plan(sc, catalogue, plan).violations if v.rule == "report"]
