"""Cross-check backend: the monolithic day-level model solved as a MILP by HiGHS.

The very model CP-SAT's fallback solves (``build(problem, daily=True)``, guards off) is a
pure MILP: linear constraints, at-most-one constraints and integer variables with
interval domains. It is read from the CP-SAT model proto and handed to the HiGHS that
OR-Tools' MathOpt bundles (``highspy`` cannot share a process with ortools 9.15).
Anything else in the proto (an enforcement literal, a domain with holes, another
constraint kind) is refused rather than silently dropped: a dropped row would give a
wrong "optimal" answer.

Lexicographic objectives are solved stage by stage, like CP-SAT's: minimise a term, fix
it at the value found (``term <= value``), go on. HiGHS stops at its relative gap
(default 1e-4, as HiGHS itself), so a stage "proven" within that gap may be slightly off
its exact optimum; the bound reported is HiGHS' dual bound. MathOpt has no solution
callback for HiGHS: the observer learns of improving solutions from HiGHS' log table.
MathOpt cannot set HiGHS' thread count (a HiGHS global): HiGHS' branch and bound runs on
one thread whatever ``workers`` says.
"""

from __future__ import annotations

import math
import re
import time
from datetime import timedelta

from ortools.math_opt.python import mathopt

from ..problem import Problem
from .objective import ORDER, WASTE, collect_terms, weighted_coefficients
from .solve import FEASIBLE, INFEASIBLE, OPTIMAL, UNKNOWN, Outcome, SolveParams, _final_values, build

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
DEFAULT_GAP = 1e-4  # HiGHS' own default mip_rel_gap
# A B&B log row with a source letter is a new incumbent: "Src Proc InQueue Leaves Expl% BestBound BestSol ...".
_INCUMBENT = re.compile(r"^\s?([A-Za-z])\s+\d+\s+\d+\s+\d+\s+[\d.]+%\s+\S+\s+(-?[\d.eE+-]+)\s")


class NotAMilp(ValueError):
    """The CP-SAT model uses something a MILP cannot say as is."""


def _bound(x: int) -> float:
    return -math.inf if x <= INT64_MIN else math.inf if x >= INT64_MAX else float(x)


def _linear(xs, pairs) -> tuple[object, float]:
    """(sum of coef x var, constant) from (proto literal or var index, coef) pairs; duplicates merged."""
    merged: dict[int, float] = {}
    const = 0.0
    for ref, coef in pairs:
        if ref < 0:  # a negated literal: not(x) = 1 - x
            const += coef
            merged[-ref - 1] = merged.get(-ref - 1, 0.0) - coef
        else:
            merged[ref] = merged.get(ref, 0.0) + coef
    expr = mathopt.LinearExpression() + sum(c * xs[i] for i, c in merged.items() if c)
    return expr, const


def _kind(ct) -> str:
    """Which constraint a (pybind) ConstraintProto holds: the one whose has_<kind>() is true."""
    for attr in dir(ct):
        if attr.startswith("has_") and getattr(ct, attr)():
            return attr[4:]
    return "empty"


def to_mathopt(proto) -> tuple[mathopt.Model, list]:
    """A MathOpt model equal to a CP-SAT model proto that is a pure MILP; NotAMilp otherwise."""
    m = mathopt.Model(name="programme")
    xs = []
    for i, var in enumerate(proto.variables):
        if len(var.domain) != 2:
            raise NotAMilp(f"variable {var.name or i} has a domain with holes: {list(var.domain)}")
        xs.append(m.add_integer_variable(lb=_bound(var.domain[0]), ub=_bound(var.domain[1]), name=var.name or f"x{i}"))
    for j, ct in enumerate(proto.constraints):
        if ct.enforcement_literal:
            raise NotAMilp(f"constraint {ct.name or j} has an enforcement literal")
        kind = _kind(ct)
        if kind == "linear":
            if len(ct.linear.domain) != 2:
                raise NotAMilp(f"constraint {ct.name or j} has a domain with holes")
            expr, const = _linear(xs, zip(ct.linear.vars, ct.linear.coeffs))
            lo, hi = _bound(ct.linear.domain[0]), _bound(ct.linear.domain[1])
            m.add_linear_constraint(lb=lo - const, ub=hi - const, expr=expr)
        elif kind in ("at_most_one", "exactly_one", "bool_or"):
            lits = getattr(ct, kind).literals
            expr, const = _linear(xs, ((lit, 1) for lit in lits))
            lo, hi = {"at_most_one": (-math.inf, 1), "exactly_one": (1, 1), "bool_or": (1, math.inf)}[kind]
            m.add_linear_constraint(lb=lo - const, ub=hi - const, expr=expr)
        else:
            raise NotAMilp(f"constraint {ct.name or j} is a {kind} constraint")
    if proto.has_objective() or proto.has_floating_point_objective():
        raise NotAMilp("the model already has an objective")
    if len(list(m.variables())) != len(proto.variables):  # guard against a silently empty model
        raise NotAMilp("variables were lost in translation")
    return m, xs


def _term_exprs(model, ctx, v, xs) -> dict[str, tuple[object, float]]:
    """Objective terms as MathOpt expressions, read back through CP-SAT's own objective proto."""
    out = {}
    for name, expr in collect_terms(ctx, v).items():
        model.minimize(expr)
        obj = model.proto.objective
        lin, const = _linear(xs, zip(obj.vars, obj.coeffs))
        out[name] = (lin, const + obj.offset)
        model.clear_objective()
    return out


def _parameters(params: SolveParams, seconds: float) -> mathopt.SolveParameters:
    extra = params.extra
    presolve = extra.get("presolve")
    return mathopt.SolveParameters(
        time_limit=timedelta(seconds=max(0.05, seconds)),
        random_seed=params.seed,
        relative_gap_tolerance=extra.get("mip_rel_gap", DEFAULT_GAP),
        absolute_gap_tolerance=extra.get("mip_abs_gap", 1e-6),
        presolve=None if presolve is None or presolve else mathopt.Emphasis.OFF,
        enable_output=params.log,
    )


def solve_highs(problem: Problem, params: SolveParams) -> Outcome:
    """Solve ``problem`` with HiGHS (lexicographic stages or one weighted objective)."""
    t0 = time.perf_counter()
    model, ctx, v = build(problem, daily=True, guard_mode="off")
    m, xs = to_mathopt(model.proto)
    terms = _term_exprs(model, ctx, v, xs)
    stats: dict = {"solves": 0, "build_s": time.perf_counter() - t0, "rows": m.get_num_linear_constraints()}
    if problem.objective == "weighted":
        coef = weighted_coefficients(problem)
        stages = [("weighted", sum(coef[n] * e for n, (e, _) in terms.items()), sum(coef[n] * c for n, (_, c) in terms.items()))]
    else:
        stages = [(n, *terms[n]) for n in ORDER if n in terms]
        if all(n in terms for n in WASTE):  # one stage, as in CP-SAT (encoding.objective.WASTE)
            (e1, c1), (e2, c2) = terms[WASTE[0]], terms[WASTE[1]]
            at = [n for n, _, _ in stages].index(WASTE[0])
            stages = [s for s in stages if s[0] not in WASTE]
            stages.insert(at, (WASTE, e1 + 100 * e2, c1 + 100 * c2))
    observer = params.observer
    fixed: dict[str, int] = {}
    bounds: dict[str, int] = {}
    proven, result = True, None
    for name, expr, const in stages:
        m.minimize(expr)
        left = params.time_limit_s - (time.perf_counter() - t0)
        msg_cb = _log_reader(observer, "+".join(name) if isinstance(name, tuple) else name, fixed, const) if observer is not None else None
        res = mathopt.solve(m, mathopt.SolverType.HIGHS, params=_parameters(params, left), msg_cb=msg_cb)
        stats["solves"] += 1
        reason = res.termination.reason
        if reason == mathopt.TerminationReason.INFEASIBLE:
            return Outcome(INFEASIBLE, None, stats=stats, method="highs (monolithic MILP)")
        if reason not in (mathopt.TerminationReason.OPTIMAL, mathopt.TerminationReason.FEASIBLE, mathopt.TerminationReason.NO_SOLUTION_FOUND):
            raise RuntimeError(f"HiGHS stopped with {reason.name}: {res.termination.detail}")
        if not res.has_primal_feasible_solution():
            status = UNKNOWN if result is None else FEASIBLE
            return _outcome(problem, v, xs, result, status, bounds, stats)
        value = round(res.objective_value() + const)
        if isinstance(name, tuple):  # merged stage: members bounded only when proven
            proven_here = reason == mathopt.TerminationReason.OPTIMAL
            got = _plan_values(problem, v, xs, res)
            for n in name:
                fixed[n] = got.get(n, 0)
                bounds[n] = got.get(n, 0) if proven_here else 0
        else:
            fixed[name] = value
            bounds[name] = math.ceil(res.best_objective_bound() + const - 1e-6)
        proven = proven and reason == mathopt.TerminationReason.OPTIMAL
        result = res
        if observer is not None:
            observer.solution("final", name, _plan_values(problem, v, xs, res))
        m.add_linear_constraint(expr + const <= value)
        if reason != mathopt.TerminationReason.OPTIMAL:
            break  # out of time: later stages get none
    return _outcome(problem, v, xs, result, OPTIMAL if proven else FEASIBLE, bounds, stats)


def _placement(v, xs, res) -> list[tuple[int, int, int, int]]:
    val = res.variable_values()
    return [(e, d, k, round(val[xs[v.sets[e, d, k].index]])) for (e, d, k) in v.sets if val[xs[v.on[e, d, k].index]] > 0.5]


def _plan_values(problem, v, xs, res) -> dict[str, int]:
    return _final_values(problem, _placement(v, xs, res))


def _outcome(problem, v, xs, res, status, bounds, stats) -> Outcome:
    if res is None:
        return Outcome(UNKNOWN, None, bounds=bounds, stats=stats, method="highs (monolithic MILP)")
    placement = _placement(v, xs, res)
    values = _final_values(problem, placement)
    return Outcome(status, placement, values, bounds, "highs (monolithic MILP)", stats)


def _log_reader(observer, stage: str, fixed: dict, const: float):
    """A MathOpt message callback: every log line to the observer; incumbents as plan events.

    An incumbent line gives only this stage's value: earlier stages are fixed, later ones
    unknown (left out of the values).
    """

    def read(lines):
        for line in lines:
            observer.log(line)
            hit = _INCUMBENT.match(line)
            if hit and hit.group(2) not in ("inf", "-inf"):
                try:
                    value = round(float(hit.group(2)) + const)
                except ValueError:
                    continue
                observer.solution("plan", stage, {**fixed, stage: value})

    return read
