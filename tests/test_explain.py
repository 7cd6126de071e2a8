"""``programme explain``: minimal conflicts, verified repairs, and what limits a plan.

The infeasible fixtures (tests/fixtures/infeasible/) were each written around one
conflict, named in its title; ``DESIGNED`` lists the requirements that conflict must
contain by that design (the solver may add others that take part, e.g. the equipment
that decides how fast a set is). Minimality is checked here independently of the
deletion filter: the test builds the requirement-guarded day-level model itself and
solves it with exactly the conflict's members on, then with each one off.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optimizer import Scenario, check_result, load_scenario, solve
from optimizer.cli import app
from optimizer.explain import explain, explain_problem

# Paths as in conftest (not imported from it: tests/ may or may not be a package).
ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

INFEASIBLE = sorted((FIXTURES / "infeasible").glob("*.yaml")) + [SCENARIOS / "infeasible_time_vs_volume.yaml"]

DESIGNED = {
    "time_vs_volume": {"time_budget:mon", "time_budget:thu", "volume:quadriceps:min"},
    "equipment_vs_targets": {"equipment:owned", "volume:shins:min"},
    "knee_vs_quadriceps": {"joint_limits:knee", "volume:quadriceps:min"},
    "ratio_vs_caps": {"balance:quadriceps_to_hamstrings", "volume:hamstrings:max", "volume:quadriceps:min"},
    "pins_vs_recovery": {"pinned:0", "pinned:1", "recovery:quadriceps"},
    "calves_vs_equipment": {"calves:heavy_and_light", "equipment:owned"},
    "pinned_vs_equipment": {"pinned:0", "equipment:owned"},
    "sessions_vs_volume": {"session_limits:exercises:mon", "session_limits:exercises:thu", "session_limits:sets", "volume:hamstrings:min"},
    "required_vs_knee": {"required:full_squat", "joint_limits:knee"},
    "pairing_vs_days": {"pairing:quadriceps", "time_budget:thu", "volume:quadriceps:min"},
    "variety_vs_pins": {"pinned:0", "pinned:1", "pinned:2", "variety:days"},
    "level_vs_required": {"required:sissy_squat", "level:level"},
    "exclusion_vs_pin": {"pinned:0", "exclusions:glute_bridge"},
    "head_vs_group_cap": {"volume:quadriceps:max", "volume:vastus_medialis:min"},
    "infeasible_time_vs_volume": {"time_budget:mon", "volume:quadriceps:min"},
}


@pytest.fixture(scope="module")
def explained(catalogue):
    cache = {}

    def get(path):
        if path not in cache:
            sc = load_scenario(path)
            cache[path] = (sc, explain(sc, catalogue, repair_count=2, workers=1, seed=0))
        return cache[path]

    return get


def subset_status(problem, keys) -> str:
    """Solve the requirement-guarded day-level model with exactly ``keys`` on."""
    from ortools.sat.python import cp_model

    from optimizer.encoding.solve import build

    model, ctx, _ = build(problem, daily=True, guard_mode="requirement", loose=True)
    assert set(keys) <= set(ctx.literals)
    for k, lit in ctx.literals.items():
        model.add(lit == int(k in keys))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = 20
    return solver.status_name(solver.solve(model))


def test_at_least_ten_kinds():
    assert len(INFEASIBLE) >= 10
    assert {p.stem for p in INFEASIBLE} == set(DESIGNED)


@pytest.mark.parametrize("path", INFEASIBLE, ids=lambda p: p.stem)
def test_conflict_is_minimal(path, catalogue, explained):
    sc, expl = explained(path)
    assert not expl.status.has_plan
    keys = [c.key for c in expl.conflict]
    assert expl.conflict_minimal
    assert keys == sorted(keys), "members come in key order"
    assert DESIGNED[path.stem] <= set(keys)
    problem = explain_problem(sc, catalogue)
    assert subset_status(problem, keys) == "INFEASIBLE"
    for k in keys:
        assert subset_status(problem, [x for x in keys if x != k]) == "OPTIMAL", f"{k} is not needed"


@pytest.mark.parametrize("path", INFEASIBLE, ids=lambda p: p.stem)
def test_repairs_are_verified(path, catalogue, explained, solved):
    sc, expl = explained(path)
    assert expl.repairs, "at least one repair"
    ranks = [(len(r.changes), r.cost) for r in expl.repairs]
    assert ranks == sorted(ranks)  # fewest changes first, then cheapest
    patterns = [frozenset(c.path for c in r.changes) for r in expl.repairs]
    assert len(set(patterns)) == len(patterns), "options are distinct"
    for r in expl.repairs:
        assert r.verified and r.plan is not None and r.changes
        assert r.scenario is not None and r.scenario != sc
        # Re-solved here through solve() and the independent checker.
        result, _ = solved(r.scenario)
        assert result.status.has_plan


def test_repair_changes_only_relax(catalogue, explained):
    """Each change moves its bound the permissive way (or drops the requirement)."""
    for path in INFEASIBLE:
        _, expl = explained(path)
        for r in expl.repairs:
            for c in r.changes:
                if c.path.endswith(".min") and c.path.startswith(("targets", "balance", "rules.sets")):
                    assert c.new < c.old
                elif c.path.endswith((".max", "minutes", "max_knee_flexion_deg", "max_exercises_per_session", "max_days_per_exercise")):
                    assert c.new > c.old
                elif c.path.startswith("recovery"):
                    assert c.new < c.old


def test_example_explanation_names_the_time_and_the_floor(explained):
    _, expl = explained(SCENARIOS / "infeasible_time_vs_volume.yaml")
    assert [(c.label, c.path) for c in expl.conflict] == [
        ("Monday: 15 minutes", "days[0].minutes"),
        ("quadriceps at least 10 sets", "targets.quadriceps.min"),
    ]
    texts = [r.text for r in expl.repairs]
    assert texts[0].startswith("raise Monday to ")
    assert any(t.startswith("lower quadriceps to ") for t in texts)


def _stable(expl) -> str:
    data = expl.model_dump(mode="json", exclude={"wall_time_s", "stats"})
    return json.dumps(data, sort_keys=True)


def test_deterministic_across_runs_and_workers(catalogue):
    sc = load_scenario(FIXTURES / "infeasible" / "sessions_vs_volume.yaml")
    first = _stable(explain(sc, catalogue, repair_count=2, workers=1, seed=0))
    assert '"conflict": [{' in first and '"repairs": [{' in first
    assert _stable(explain(sc, catalogue, repair_count=2, workers=1, seed=0)) == first  # again
    assert _stable(explain(sc, catalogue, repair_count=2, workers=2, seed=0)) == first  # and with two workers


def test_requirement_paths_point_into_the_file(catalogue):
    """Every requirement's path names a field the scenario file has (or may have)."""
    from optimizer.encoding.explain import requirements

    for path in INFEASIBLE:
        sc = load_scenario(path)
        data = sc.model_dump()
        for r in requirements(explain_problem(sc, catalogue)).values():
            node = data
            for part in r.path.replace("]", "").replace("[", ".").split("."):
                node = node[int(part)] if part.isdigit() else node[part]
            assert node is not None or r.family == "joint_limits", r


def test_feasible_examples_pass_the_day_level_check(catalogue):
    from optimizer.encoding.explain import minimal_conflict

    for name in ("gym", "seed000_split", "home_balls_and_bands"):
        sc = load_scenario(SCENARIOS / f"{name}.yaml")
        assert minimal_conflict(explain_problem(sc, catalogue)).status == "FEASIBLE"


def test_solve_reports_the_minimal_conflict_and_a_repair(catalogue):
    sc = load_scenario(SCENARIOS / "infeasible_time_vs_volume.yaml")
    result = solve(sc, catalogue, workers=2, seed=0)
    assert result.status.value == "INFEASIBLE" and result.plan is None
    assert [c.key for c in result.conflict] == ["time_budget:mon", "volume:quadriceps:min"]
    assert result.repair and result.repair.startswith("raise Monday to")
    assert "Minimal conflict: Monday: 15 minutes; quadriceps at least 10 sets." in result.message


def test_feasible_scenario_lists_unmet_goals_and_limits(catalogue):
    sc = Scenario.model_validate(
        {
            "name": "short days, big goals",
            "equipment": ["bodyweight", "exercise_ball", "resistance_band"],
            "days": [{"day": "mon", "minutes": 20}, {"day": "thu", "minutes": 20}],
            "targets": {"quadriceps": {"min": 14}, "hamstrings": {"min": 10, "max": 12}},
            "balance": {"quadriceps_to_hamstrings": {"min": 1.0, "max": 1.3}},
        }
    )
    expl = explain(sc, catalogue, workers=1, seed=0)
    assert expl.status.has_plan
    report = check_result(sc, catalogue, _as_result(expl))
    assert report.ok, [str(v) for v in report.violations]
    short = {u.path: u.amount for u in expl.unmet if u.kind == "shortfall"}
    assert short, "20-minute days cannot hold 24 sets"
    assert sum(short.values()) == pytest.approx(report.terms["shortfall"])
    # The unmet goals are among the limits, with what keeps them out of reach.
    limit_paths = {c.path for c in expl.limits}
    assert limit_paths & set(short)
    assert any(c.family == "time_budget" for c in expl.limits)
    # Which rule binds depends on which of the equally good plans is chosen: the minutes, or
    # the sets cap of an exercise whose day has less than one more set's time left.
    assert any(b.key.startswith(("time_budget:", "session_limits:")) for b in expl.binding)


def _as_result(expl):
    from optimizer.result import SolveResult

    return SolveResult(
        scenario=expl.scenario,
        status=expl.status,
        plan=expl.plan,
        objective_terms=expl.objective_terms,
        wall_time_s=0,
        build_time_s=0,
    )


runner = CliRunner()


def test_cli_explain_infeasible_exits_3_in_every_format(tmp_path):
    res = runner.invoke(app, ["explain", "infeasible_time_vs_volume", "--repairs", "1"])
    assert res.exit_code == 3
    assert "Minimal conflict" in res.stdout and "days[0].minutes" in res.stdout
    res = runner.invoke(app, ["explain", "infeasible_time_vs_volume", "--repairs", "1", "-f", "json"])
    assert res.exit_code == 3
    data = json.loads(res.stdout)
    assert [c["key"] for c in data["conflict"]] == ["time_budget:mon", "volume:quadriceps:min"]
    assert data["repairs"][0]["verified"] is True
    out = tmp_path / "why.md"
    res = runner.invoke(app, ["explain", "infeasible_time_vs_volume", "--repairs", "1", "-f", "markdown", "-o", str(out)])
    assert res.exit_code == 3 and out.read_text().startswith("# ")
    res = runner.invoke(app, ["explain", "infeasible_time_vs_volume", "-o", str(out)])
    assert res.exit_code == 1 and "exists" in res.stderr
    res = runner.invoke(app, ["explain", "infeasible_time_vs_volume", "--repairs", "0", "-o", str(out), "--force"])
    assert res.exit_code == 3


def test_cli_explain_feasible_exits_0():
    res = runner.invoke(app, ["explain", "home_balls_and_bands", "-f", "markdown"])
    assert res.exit_code == 0, res.stderr
    assert "## Hard requirements that bind" in res.stdout


def test_cli_explain_bad_input_is_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nequipment: [bodyweight]\ndays: [{day: mon, minutes: 20}]\nrequired: [squatt]\n")
    res = runner.invoke(app, ["explain", str(bad)])
    assert res.exit_code == 1
    assert res.stderr.startswith("Error: ") and "required[0]" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_repairs_ranked_as_a_person_would(catalogue):
    """One change that restores a plan comes before any combination, however cheap; lowering
    the one requirement out of reach says how much fits (the issue's 100-quadriceps week)."""
    sc = load_scenario(FIXTURES / "interrupt" / "hard_100_quadriceps.yaml")
    expl = explain(sc, catalogue, repair_count=2, workers=1, seed=0, time_limit_s=60)
    assert expl.repairs
    first = expl.repairs[0]
    assert len(first.changes) == 1, first.text
    change = first.changes[0]
    assert change.path == "targets.quadriceps.min" and 0 < change.new < 100
    if first.proven_cheapest:
        assert f"at most {change.new:g} quadriceps sets fit this week" in first.text
    ranks = [(len(r.changes), r.cost) for r in expl.repairs]
    assert ranks == sorted(ranks)  # fewest changes, then cheapest
    for r in expl.repairs:
        if r.plan is not None:
            report = check_result(r.scenario, catalogue, r)
            assert report.ok, report.violations
    if first.proven_cheapest:  # the floor is the most that fits: with one set more, no plan
        more = sc.model_copy(deep=True)
        more.targets["quadriceps"].min = change.new + 1
        assert not solve(more, catalogue, workers=1, seed=0, time_limit_s=20, diagnose=False).status.has_plan
