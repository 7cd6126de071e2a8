"""The HiGHS cross-check: the same day-level model as a MILP; both answers checked and compared."""

from __future__ import annotations

import pytest
from .conftest import ROOT, assert_valid, load_example

from optimizer import load_scenario, solve

INSTANCES = ROOT / "benchmarks" / "instances"


@pytest.fixture(scope="module")
def highs_available():
    try:
        from datetime import timedelta

        from ortools.math_opt.python import mathopt

        m = mathopt.Model()
        x = m.add_integer_variable(lb=0, ub=3)
        m.add_linear_constraint(x >= 2)
        m.minimize(x)
        res = mathopt.solve(m, mathopt.SolverType.HIGHS, params=mathopt.SolveParameters(time_limit=timedelta(seconds=5)))
        assert res.objective_value() == pytest.approx(2)
    except Exception as exc:  # no HiGHS in this ortools build: nothing to cross-check
        pytest.skip(f"HiGHS through MathOpt is unavailable: {exc}")


def _agree(a: float, b: float, rel: float = 1e-4) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


@pytest.mark.parametrize(
    "scenario",
    [
        load_example("seed000_split"),  # lexicographic, every term compared (pairing too)
        load_example("knee_safe"),
        load_example("knee_safe").model_copy(update={"objective": "weighted"}),  # weighted: one number
    ],
    ids=["seed000_split", "knee_safe", "knee_safe_weighted"],
)
def test_highs_and_cpsat_agree_where_both_prove_optimality(highs_available, catalogue, scenario):
    cp = solve(scenario, catalogue, workers=2, seed=0, time_limit_s=60)
    hi = solve(scenario, catalogue, workers=2, seed=0, time_limit_s=60, backend="highs")
    assert_valid(scenario, catalogue, cp)
    assert_valid(scenario, catalogue, hi)  # the MILP's solution, turned back into a plan, passes the checker
    if cp.status.value != "OPTIMAL" or hi.status.value != "OPTIMAL":
        pytest.skip("not both proven optimal on this machine in time")
    cp_terms = {t.name: t.value for t in cp.objective_terms}
    hi_terms = {t.name: t.value for t in hi.objective_terms}
    if scenario.objective == "weighted":
        assert _agree(cp.objective_value, hi.objective_value)
        assert hi.best_bound <= cp.objective_value + 1e-6  # HiGHS' bound never above the proven optimum
    else:
        assert cp_terms.keys() == hi_terms.keys()
        for name in cp_terms:
            assert _agree(cp_terms[name], hi_terms[name]), (name, cp_terms[name], hi_terms[name])


def test_infeasible_agrees(highs_available, catalogue):
    sc = load_example("infeasible_time_vs_volume")
    hi = solve(sc, catalogue, workers=1, seed=0, time_limit_s=30, backend="highs", diagnose=False)
    assert hi.status.value == "INFEASIBLE"


def test_only_a_pure_milp_is_translated():
    from ortools.sat.python import cp_model

    from optimizer.encoding.highs import NotAMilp, _linear, to_mathopt

    m = cp_model.CpModel()
    x, y = m.new_int_var(0, 5, "x"), m.new_bool_var("y")
    m.add(x + 2 * y <= 4)
    model, xs = to_mathopt(m.proto)
    (ct,) = list(model.linear_constraints())
    assert {v.name: ct.get_coefficient(v) for v in model.row_nonzeros(ct)} == {"x": 1.0, "y": 2.0}
    assert (ct.lower_bound, ct.upper_bound) == (-float("inf"), 4.0)
    # A repeated column is merged (HiGHS rejects duplicates); a negated literal is 1 - y.
    expr, const = _linear(xs, [(0, 1), (0, 2), (-2, 3)])
    assert const == 3.0
    from ortools.math_opt.python import mathopt

    assert {v.name: c for v, c in mathopt.as_flat_linear_expression(expr).terms.items()} == {"x": 3.0, "y": -3.0}
    m.add(x >= 2).only_enforce_if(y)
    with pytest.raises(NotAMilp, match="enforcement"):
        to_mathopt(m.proto)
    holes = cp_model.CpModel()
    holes.new_int_var_from_domain(cp_model.Domain.from_values([0, 2, 4]), "z")
    with pytest.raises(NotAMilp, match="holes"):
        to_mathopt(holes.proto)
