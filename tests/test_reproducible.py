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
