"""The shared runner: compare on a Dask LocalCluster gives what it gives locally."""

from __future__ import annotations

import pytest

from optimizer.compare import Variant, compare, variant_scenario
from optimizer.errors import InputError
from optimizer.runner import Runner

from .conftest import assert_valid, load_example

RUN = {"workers": 1, "seed": 0, "time_limit_s": 20}


def test_compare_on_a_dask_cluster_matches_compare_here(catalogue):
    distributed = pytest.importorskip("distributed")
    sc = load_example("home_balls_and_bands")
    variants = [Variant("home", tuple(sorted(sc.equipment))), Variant("dumbbells", tuple(sorted({*sc.equipment, "dumbbell", "bench"})))]
    here = compare(sc, catalogue, variants, **RUN)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        there = compare(sc, catalogue, variants, scheduler=cluster.scheduler_address, **RUN)
    for a, b in zip(here.variants, there.variants):
        assert a.result.status == b.result.status and a.result.plan == b.result.plan, a.name
        assert [(t.name, t.value) for t in a.result.objective_terms] == [(t.name, t.value) for t in b.result.objective_terms]
        assert_valid(variant_scenario(sc, Variant(b.name, tuple(b.equipment))), catalogue, b.result)
    assert [d.changes for d in here.diffs] == [d.changes for d in there.diffs]


def test_an_unknown_executor_is_one_line():
    with pytest.raises(InputError, match="unknown executor 'fibres', expected threads or processes"):
        Runner(2, "fibres")
