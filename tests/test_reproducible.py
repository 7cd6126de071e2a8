"""A fixed seed and worker count give the same plan."""

from __future__ import annotations

import pytest

from optimizer import load_scenario, solve

from .conftest import SCENARIOS, assert_valid


@pytest.mark.parametrize("name,workers", [("gym", 2), ("seed000_split", 2), ("home_balls_and_bands", 1)])
def test_same_seed_same_plan(name, workers, catalogue):
    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    plans = []
    for _ in range(3):
        result = solve(scenario, catalogue, workers=workers, seed=0)
        assert_valid(scenario, catalogue, result)
        plans.append(result.plan.model_dump())
    assert plans[0] == plans[1] == plans[2]
