"""The stored benchmark instances (benchmarks/make_instances.py) load and mean what they say.

Solving them is the bench's business (programme bench), not a test's; here each one is
validated and built into a solver-ready problem against its catalogue, without a solver.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from optimizer import build_problem, load_catalogue, load_scenario
from optimizer.candidates import eligibility, usable_schemes

ROOT = Path(__file__).resolve().parent.parent
INSTANCES = ROOT / "benchmarks" / "instances"
NEAR = INSTANCES / "near_duplicates"

if not INSTANCES.is_dir():  # an installed wheel has no benchmarks/
    pytest.skip("no benchmarks/instances here", allow_module_level=True)


@pytest.fixture(scope="module")
def near_catalogue():
    return load_catalogue([NEAR / "catalogue"])


def test_every_instance_builds(catalogue, near_catalogue):
    files = sorted(INSTANCES.glob("*.yaml")) + sorted(NEAR.glob("*.yaml"))
    assert len(files) >= 20
    for path in files:
        cat = near_catalogue if path.parent == NEAR else catalogue
        problem = build_problem(load_scenario(path), cat)
        assert problem.exercises, path


def offered(path, catalogue) -> tuple[int, int]:
    """(exercises the athlete could use, the Problem's): the aim rule leaves out those that
    train no group the week asks for as a prime mover (adductor and shin work here)."""
    sc = load_scenario(path)
    usable = [ex for ex in catalogue.exercises if not eligibility(ex, sc, set(sc.equipment), catalogue) and usable_schemes(ex, sc)]
    return len(usable), len(build_problem(sc, catalogue).exercises)


def test_small_gym_tight_instances_have_50_exercises(catalogue):
    for name in ("gen_gym50_3d_20_tight", "gen_gym50_4d_15_tight_weighted"):
        can_use, in_problem = offered(INSTANCES / f"{name}.yaml", catalogue)
        assert can_use == 50 and 45 <= in_problem < 50, name


def test_near_duplicate_catalogue_is_about_200_close_variants(catalogue, near_catalogue):
    assert len(near_catalogue.exercises) == 3 * len(catalogue.exercises)
    for ex in catalogue.exercises:
        one, two = near_catalogue.exercise(f"{ex.id}_nd1"), near_catalogue.exercise(f"{ex.id}_nd2")
        # close, but neither a copy nor dominated by the original: each trades time for credit
        assert one.seconds_per_rep < ex.seconds_per_rep or ex.seconds_per_rep <= 0.5
        assert sum(one.activation.values()) <= sum(ex.activation.values())
        assert two.setup_s > ex.setup_s and sum(two.activation.values()) >= sum(ex.activation.values())
        assert one.equipment == ex.equipment == two.equipment and one.pattern == ex.pattern
    can_use, in_problem = offered(NEAR / "near_dup_gym_3d_20_tight.yaml", near_catalogue)
    assert can_use >= 190 and in_problem >= 180
