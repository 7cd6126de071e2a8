"""The two-stage decomposition is exact: it agrees with the monolithic day-level model.

On instances small enough for the monolithic model to prove optimality, both must reach
the same value on every objective term, and the two-stage plan must pass the checker.
"""

from __future__ import annotations

import pytest

from optimizer.encoding.solve import SolveParams, _Clock, _fallback, solve_problem
from optimizer.problem import build_problem

from .conftest import assert_placement_valid, assert_two_stage_matches_monolithic, make_scenario

CASES = {
    "tight_budget": dict(
        equipment=["bodyweight", "resistance_band"],
        days=[{"day": "mon", "minutes": 14}, {"day": "thu", "minutes": 16}],
        targets={"quadriceps": {"min": 8}, "hamstrings": {"min": 6}, "calves": {"min": 4}},
    ),
    "recovery_and_pins": dict(
        equipment=["bodyweight", "exercise_ball", "resistance_band"],
        athlete={"level": "beginner"},
        days=[{"day": "mon", "minutes": 20}, {"day": "tue", "minutes": 20}, {"day": "thu", "minutes": 25}],
        targets={"quadriceps": {"min": 8, "max": 12}, "hamstrings": {"min": 6}, "glutes": {"min": 4}},
        pinned=[{"day": "tue", "exercise": "glute_bridge"}],
        balance={"quadriceps_to_hamstrings": {"min": 1.0, "max": 1.3}},
    ),
    "pairing_soft": dict(
        equipment=["bodyweight", "dumbbell"],
        days=[
            {"day": "tue", "minutes": 15, "shares_with": "back_chest", "warmup_minutes": 0},
            {"day": "thu", "minutes": 15, "shares_with": "arms_shoulders", "warmup_minutes": 0},
        ],
        targets={"quadriceps": {"min": 6}, "hamstrings": {"min": 6}, "calves": {"min": 3}},
        rules={"pairing": {"quadriceps": "arms_shoulders", "hamstrings": "back_chest"}},
    ),
    # Every best_training term and day rule at once: coverage (curl + hinge), spread over
    # three days, overshoot above a point, ineffective sets (advanced: bodyweight counts a
    # quarter), preferences, a weighted target, the per-session cap and variant families.
    "quality": dict(
        equipment=["bodyweight", "resistance_band", "dumbbell", "box"],
        athlete={"level": "advanced", "prefer": ["goblet_squat"], "avoid": ["lunge"]},
        days=[{"day": "mon", "minutes": 20}, {"day": "wed", "minutes": 20}, {"day": "fri", "minutes": 20}],
        targets={"quadriceps": {"min": 6, "max": 10, "point": 7}, "hamstrings": {"min": 4, "weight": 3}},
        rules={"max_sets_per_group_per_session": 5},
    ),
    "weighted": dict(
        equipment=["bodyweight", "resistance_band"],
        days=[{"day": "mon", "minutes": 20}, {"day": "wed", "minutes": 20}],
        targets={"quadriceps": {"min": 10}, "hamstrings": {"min": 8}},
        objective="weighted",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_two_stage_matches_monolithic(name, catalogue):
    assert_two_stage_matches_monolithic(make_scenario(**CASES[name]), catalogue)


def test_cuts_are_used_when_placement_fails(catalogue):
    """Budgets that stage A's summed capacity overestimates force no-good cuts; the result
    must still match the monolithic optimum."""
    scenario = make_scenario(
        equipment=["bodyweight", "resistance_band"],
        days=[{"day": "mon", "minutes": 11}, {"day": "wed", "minutes": 11}, {"day": "fri", "minutes": 11}],
        targets={"quadriceps": {"min": 9}, "hamstrings": {"min": 6}, "calves": {"min": 4}},
        rules={"warmup_minutes": 2},
    )
    problem = build_problem(scenario, catalogue)
    params = SolveParams(time_limit_s=30, workers=2, seed=0)
    two_stage = solve_problem(problem, params)
    mono = _fallback(problem, params, _Clock(30), {}, {})
    assert mono.status == "OPTIMAL"
    assert two_stage.status == "OPTIMAL"
    assert two_stage.values == mono.values
    for outcome in (two_stage, mono):  # both plans, by the independent checker
        assert_placement_valid(scenario, catalogue, problem, outcome.placement)


def test_symmetry_ordering_keeps_the_optimum(tmp_path, monkeypatch):
    """Exact copies of an exercise are ordered, not removed: on a catalogue with three
    copies of the band squat, the optimum with the symmetry family equals the optimum
    without it (copies do change the optimum against the plain catalogue: each copy is a
    new exercise for the variety rule)."""
    import yaml

    from optimizer import load_catalogue
    from optimizer.encoding import placement as placement_module
    from optimizer.encoding.families import REGISTRY, symmetry
    from optimizer.paths import builtin_catalogue_dir

    legs = yaml.safe_load((builtin_catalogue_dir() / "exercises" / "legs.yaml").read_text())["exercises"]
    band = next(e for e in legs if e["id"] == "resistance_band_squat")
    (tmp_path / "exercises").mkdir()
    clones = [dict(band, id=f"band_squat_copy_{i}", name=f"Band squat copy {i}") for i in range(3)]
    (tmp_path / "exercises" / "copies.yaml").write_text(yaml.safe_dump({"exercises": clones}))
    with_copies = load_catalogue([tmp_path])
    # One rep scheme: the copies are the question here, not the scheme choice (a tight week
    # with both of each exercise's schemes takes several seconds per solve: rep_range).
    sc = make_scenario(targets={"quadriceps": {"min": 14}, "hamstrings": {"min": 6}},
                       rules={"max_days_per_exercise": 1, "rep_schemes": ["moderate"]})
    problem = build_problem(sc, with_copies)
    groups = symmetry.copies(problem)
    assert any(len(g) == 4 for g in groups)  # the original and its three copies
    params = SolveParams(time_limit_s=30, workers=2, seed=0)
    ordered = solve_problem(problem, params)
    import optimizer.encoding.stages as stage_module

    for module in (placement_module, stage_module):  # stage A and the day-level model (stages), placement
        monkeypatch.setattr(module, "REGISTRY", tuple(f for f in REGISTRY if f is not symmetry))
    unordered = solve_problem(problem, params)
    assert ordered.status == unordered.status == "OPTIMAL"
    assert ordered.values == unordered.values
    monkeypatch.undo()
    for outcome in (ordered, unordered):  # both plans, by the independent checker
        assert_placement_valid(sc, with_copies, problem, outcome.placement)


@pytest.mark.parametrize("name", ["quality", "recovery_and_pins", "spread_only"])
def test_stages_proven_without_a_search_give_the_same_optimum(name, catalogue, monkeypatch):
    """A stage is skipped when the plan in hand already has its term at the floor its
    variables allow, or all at once by the floors probe; each stage searched instead must
    reach the same values."""
    import optimizer.encoding.stages as stages

    spec = CASES.get(name) or dict(targets={"quadriceps": {"min": 4}}, athlete={"level": "beginner"})
    problem = build_problem(make_scenario(**spec), catalogue)
    params = SolveParams(time_limit_s=30, workers=2, seed=0)
    quick = solve_problem(problem, params)
    if name == "spread_only":  # every quality term can be 0: the probe proves them at once
        assert quick.stats["probe"] == "all at floor" and quick.stats["skipped"] >= 2
    monkeypatch.setattr(stages, "objective_floor", lambda model: float("-inf"))
    monkeypatch.setattr(stages, "probe_floors", lambda *args: (None, 0))
    searched = solve_problem(problem, params)
    assert "skipped" not in searched.stats
    assert quick.status == searched.status == "OPTIMAL"
    assert quick.values == searched.values


def test_the_floor_of_a_term_reads_negative_coefficients(catalogue):
    """``2 - days`` with days in 0..2 has floor 0, not 2 (a sign or index slip would skip
    a stage that still needs a search)."""
    from ortools.sat.python import cp_model

    from optimizer.encoding.probe import objective_floor as _floor

    model = cp_model.CpModel()
    days = model.new_int_var(0, 2, "days")
    model.minimize(2 - days)
    assert _floor(model) == 0
    model.minimize(3 * days + 1)
    assert _floor(model) == 1


def test_a_pin_never_beats_the_free_optimum(catalogue, solved):
    """Pins only restrict, so the free week's optimum is at least as good. A spread cut
    that forgot an unchosen exercise could realise the claim "proved" a home-and-gym week
    with hamstrings on one day while a pinned Romanian deadlift at home gave two."""
    from optimizer.encoding.objective import lex_key
    from optimizer.scenario import Pin

    from .conftest import load_example

    free = load_example("home_and_gym")
    pinned = free.model_copy(update={"pinned": [Pin(day="wed", exercise="single_leg_romanian_deadlift"),
                                                Pin(day="mon", exercise="dumbbell_calf_raise")]})
    a, _ = solved(free, workers=2, time_limit_s=30)
    b, _ = solved(pinned, workers=2, time_limit_s=30)
    assert a.status.value == b.status.value == "OPTIMAL"

    def key(result):
        return lex_key({t.name: round(t.value * (100 if t.name == "ineffective" else 1)) for t in result.objective_terms})

    assert key(a) <= key(b)
    assert {t.name: t.value for t in a.objective_terms}["spread"] == 0


def test_tight_days_get_an_early_plan_that_hints_the_rest(catalogue, monkeypatch):
    """Where stage A's totals do not fit the days (a tight gym week: 3 days of 20 minutes),
    the first plan no longer waits for the cut rounds and the fallback: round one's first
    stage gives one (placed, or from a short day-level solve), the checker accepts it, and
    the final plan is no worse on the first term."""
    from pathlib import Path

    from optimizer import load_scenario
    from optimizer.encoding import early_plan
    from optimizer.encoding.runtime import Observer

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "instances" / "gen_gym_3d_20_tight.yaml"
    if not path.is_file():
        pytest.skip("no benchmarks/ (an installed wheel)")
    sc = load_scenario(path)
    problem = build_problem(sc, catalogue)
    quick: list = []

    def recorded(*args, **kw):
        placement = real(*args, **kw)
        quick.append(placement)
        return placement

    real = early_plan._quick_plan
    monkeypatch.setattr(early_plan, "_quick_plan", recorded)
    plans: list = []

    class Seen(Observer):
        def solution(self, kind, stage, values):
            if kind == "plan":
                plans.append((stage, values))

    # Deterministic budgets: the load must not decide whether the 0.3 s quick plan finds one.
    outcome = solve_problem(problem, SolveParams(time_limit_s=3, workers=1, seed=0, observer=Seen(), deterministic=True))
    assert plans and plans[0][0] == "early", [s for s, _ in plans]
    assert "first_plan_s" in outcome.stats
    assert quick and quick[0] is not None  # the first stage's totals did not fit: the day-level model gave it
    assert_placement_valid(sc, catalogue, problem, quick[0])
    assert outcome.placement is not None
    assert_placement_valid(sc, catalogue, problem, outcome.placement)
    assert outcome.values["shortfall"] <= plans[0][1]["shortfall"]  # the first term of the lexicographic order


@pytest.mark.parametrize("name", ["recovery_and_pins", "pairing_soft", "quality"])
def test_the_probe_asks_for_the_earlier_bounds(name, catalogue):
    """The day-level fallback knows stage A's proven values (``lower``): every day-level
    plan meets stage A's relaxation, so they bound its stages. The probe asks for every
    stage at that bound at once; where one plan meets them all, they are proven without a
    search each (these weeks have terms above 0, which a probe for the floors alone cannot
    prove), and the values are those of searching stage by stage."""
    from optimizer.encoding.runtime import clock_for
    from optimizer.encoding.placement import placement_of
    from optimizer.encoding.stages import build, optimise

    sc = make_scenario(**CASES[name])
    problem = build_problem(sc, catalogue)
    params = SolveParams(time_limit_s=30, workers=2, seed=0)
    model, ctx, v = build(problem, daily=False)
    status, _, weekly, _ = optimise(problem, model, ctx, v, params, clock_for(params), 1.0, {})
    assert status == "OPTIMAL" and any(weekly[n] for n in weekly if n not in ("minutes", "exercises"))
    runs = {}
    for lower in (None, weekly):
        model, ctx, v = build(problem, daily=True)
        stats: dict = {}
        status, solver, values, _ = optimise(problem, model, ctx, v, params, clock_for(params), 1.0, stats, lower=lower)
        assert status == "OPTIMAL"
        assert_placement_valid(sc, catalogue, problem, placement_of(v, solver))
        runs["bounded" if lower else "searched"] = (values, stats)
    (bounded, b_stats), (searched, s_stats) = runs["bounded"], runs["searched"]
    assert bounded == searched
    assert b_stats["probe"] == "all at floor"
    assert b_stats["solves"] == 1 < s_stats["solves"]  # the tie-breaks, searched as the canonical plan
    assert b_stats["canonical_stage"] == 1


def test_the_probe_follows_the_core_of_an_infeasible_probe(catalogue, monkeypatch):
    """Where the quality stages cannot all be at their floors, CP-SAT names a core of the
    stages that conflict: no prefix holding the last of them can be at its floors, so the
    next probe asks for the prefix just before it rather than bisecting. The same prefix is
    proven, the same values follow, with fewer probes (the seed000_split week's day-level
    model, whose plan is checked: 2 probes against 4)."""
    import sys

    from optimizer.encoding import probe, stages
    from optimizer.encoding.placement import placement_of
    from optimizer.encoding.runtime import clock_for

    from .conftest import load_example

    sc = load_example("seed000_split")
    problem = build_problem(sc, catalogue)
    params = SolveParams(time_limit_s=30, workers=1, seed=0)
    real = stages._solver
    runs = {}
    for mode in ("core", "bisection"):
        probes = [0]

        def counting(*args, **kwargs):
            probes[0] += sys._getframe(1).f_code.co_name == "probe"
            return real(*args, **kwargs)

        monkeypatch.setattr(probe, "_solver", counting)
        if mode == "bisection":
            monkeypatch.setattr(probe, "_core", lambda solver, lits: [])
        model, ctx, v = stages.build(problem, daily=True)
        stats: dict = {}
        status, solver, values, _ = stages.optimise(problem, model, ctx, v, params, clock_for(params), 1.0, stats)
        assert status == "OPTIMAL"
        assert_placement_valid(sc, catalogue, problem, placement_of(v, solver))
        runs[mode] = (stats["probe"], values, probes[0])
        monkeypatch.undo()
    (c_probe, c_values, c_count), (b_probe, b_values, b_count) = runs["core"], runs["bisection"]
    assert c_probe == b_probe and "of" in c_probe  # some stages at their floors, not all
    assert c_values == b_values
    assert c_count < b_count


def test_a_relaxation_bounds_a_term_only_while_the_stages_before_it_agree():
    """Stage A's lexicographic optimum is at most the true one as a whole, not term by term:
    a week proven at rep_range 5 against stage A's 4 may have fewer minutes than stage A's
    55 (a batch athlete: 53 proven, reported with a bound of 55 before)."""
    from optimizer.encoding.objective import lex_bounds, lex_prefix

    relaxed = {"shortfall": 0, "rep_range": 4, "minutes": 55, "exercises": 6}
    proven = {"shortfall": 0, "rep_range": 5, "minutes": 53, "exercises": 7}
    assert lex_bounds(proven, proven, relaxed) == proven
    # unproven from rep_range on: the relaxation bounds rep_range, nothing after it
    assert lex_bounds(proven, {"shortfall": 0, "rep_range": 3}, relaxed) == {"shortfall": 0, "rep_range": 4, "minutes": 0, "exercises": 0}
    # where the plan is where the relaxation put every stage so far, the next one is bounded too
    same = {"shortfall": 0, "rep_range": 4, "minutes": 58, "exercises": 7}
    assert lex_bounds(same, {}, relaxed) == {"shortfall": 0, "rep_range": 4, "minutes": 55, "exercises": 0}
    # the wasted-set terms are one stage of their sum: the same sum split otherwise bounds
    # neither term, and the stages after it are still bounded
    waste = {"ineffective": 100, "overshoot": 1, "rep_range": 5}
    assert lex_bounds(waste, {}, {"ineffective": 200, "overshoot": 0, "rep_range": 3}) == {"ineffective": 0, "overshoot": 0, "rep_range": 3}
    assert lex_bounds(waste, {}, {"ineffective": 300, "overshoot": 0, "rep_range": 3}) == {"ineffective": 0, "overshoot": 0, "rep_range": 0}
    # a weighted objective is one sum: its bound holds, proven or not; its terms bound nothing
    assert lex_bounds({"weighted": 90, "minutes": 40}, {}, {"weighted": 80, "minutes": 45}) == {"weighted": 80, "minutes": 0}
    assert lex_prefix({"weighted": 90, "minutes": 40}, {"weighted": 80, "minutes": 40}) == {"weighted": 80}
    # an unproven optimisation bounds up to its first open stage, that one included
    assert lex_prefix({"shortfall": 0, "rep_range": 5, "minutes": 60}, {"shortfall": 0, "rep_range": 3, "minutes": 58}) == {
        "shortfall": 0, "rep_range": 3}


def test_a_proven_wasted_set_stage_reports_the_split_of_the_plan_handed_on():
    """The wasted-set stage settles only its sum (ineffective + 100 x overshoot); a later
    stage may split the same sum otherwise. Each part is then reported, value and bound,
    as it is in the solution handed on: the stage's own split (here 0 + 1, from its hint)
    gave a batch athlete a bound of 1 on an overshoot of 0, which the checker rejects."""
    from types import SimpleNamespace

    from ortools.sat.python import cp_model

    from optimizer.encoding.runtime import clock_for
    from optimizer.encoding.stages import optimise

    m = cp_model.CpModel()
    ineffective, overshoot = m.new_int_var(0, 100, "ineffective"), m.new_int_var(0, 1, "overshoot")
    m.add(ineffective + 100 * overshoot >= 100)
    m.add_hint(ineffective, 0)
    m.add_hint(overshoot, 1)
    terms = {"ineffective": ineffective, "overshoot": overshoot, "isolation": 1 * overshoot}
    # Presolve and the LP off: the stage then keeps the split of its hint, as a search may.
    params = SolveParams(time_limit_s=10, workers=1, seed=0, extra={"cp_model_presolve": False, "linearization_level": 0})
    status, solver, values, bounds = optimise(
        SimpleNamespace(objective="lexicographic", exercises=[]), m, None, SimpleNamespace(daily=False), params,
        clock_for(params), 1.0, {}, terms=terms, all_vars=[ineffective, overshoot], probe=False,
    )
    assert status == "OPTIMAL"
    handed_on = {n: solver.value(terms[n]) for n in ("ineffective", "overshoot")}
    assert handed_on == {"ineffective": 100, "overshoot": 0}  # isolation moved the split
    for n, value in handed_on.items():
        assert values[n] == bounds[n] == value, (n, values, bounds)


def test_stage_b_models_only_the_chosen_items_and_places_their_totals(catalogue, monkeypatch):
    """Stage B's day-level model has variables only for the items stage A chose (an item
    left out is off in every placement anyway; building the whole catalogue's took 0.2 s a
    placement on the near-duplicate catalogue), and its placement meets their totals."""
    from optimizer.encoding import placement as placement_module
    from optimizer.encoding.variables import weekly_totals
    from optimizer.scenario import load_scenario

    from .conftest import SCENARIOS

    scenario = load_scenario(SCENARIOS / "gym.yaml")
    problem = build_problem(scenario, catalogue)
    params = SolveParams(time_limit_s=30, workers=1, seed=0)
    chosen = weekly_totals(problem, solve_problem(problem, params).placement)
    built = []
    real = placement_module.DailyVars
    monkeypatch.setattr(placement_module, "DailyVars", lambda *a, **k: built.append(real(*a, **k)) or built[-1])
    placed, core = placement_module.place(problem, chosen, params, 10.0)
    assert core is None and placed is not None
    assert {(e, problem.days[d].cls, k) for e, d, k in built[0].on} <= set(chosen)
    assert len(built[0].on) < sum(len(problem.days) * len(ex.schemes) for ex in problem.exercises) / 2
    assert weekly_totals(problem, placed) == chosen
    assert_placement_valid(scenario, catalogue, problem, placed)


def test_complete_hint_fills_every_variable_or_leaves_a_hint_that_does_not_fit():
    """A hint of some variables becomes a hint of all (auxiliaries too) when its values fit
    the model; when they do not, the hint stays as it was and the answer is False."""
    from ortools.sat.python import cp_model

    from optimizer.encoding.stages import complete_hint

    def model_with(hx: int, hy: int):
        model = cp_model.CpModel()
        x, y = model.new_int_var(0, 10, "x"), model.new_int_var(0, 10, "y")
        total = model.new_int_var(0, 20, "total")
        model.add(total == x + y)
        model.add(total <= 12)
        model.add_hint(x, hx)
        model.add_hint(y, hy)
        return model, [x, y, total]

    def hints(model) -> dict[int, int]:
        return dict(zip(model.proto.solution_hint.vars, model.proto.solution_hint.values))

    model, (x, y, total) = model_with(3, 4)
    assert complete_hint(model, SolveParams(5, 2, 0), 1.0, [x, y, total])
    assert hints(model) == {x.index: 3, y.index: 4, total.index: 7}

    model, (x, y, total) = model_with(10, 10)  # 20 > 12: not a solution
    assert not complete_hint(model, SolveParams(5, 2, 0), 1.0, [x, y, total])
    assert hints(model) == {x.index: 10, y.index: 10}


def test_deterministic_budgets_count_the_probes_in_deterministic_time(catalogue, monkeypatch):
    """Under deterministic budgets (``reproducible: true``) the probes' share of the time is
    counted in CP-SAT's deterministic time: how many probes run, and so which stages are
    proven without a search, does not depend on the machine's load. Here the probes' wall
    clock jumps a minute at every reading: with wall-clock budgets that ends the probing
    after the first probe; with deterministic ones nothing changes."""
    import sys
    import types

    from optimizer.encoding import probe, stages
    from optimizer.encoding.placement import placement_of
    from optimizer.encoding.runtime import clock_for

    from .conftest import load_example

    sc = load_example("seed000_split")
    problem = build_problem(sc, catalogue)
    real = probe._solver
    runs = {}
    for deterministic in (True, False):
        for jump in (False, True):
            probes = [0]

            def counting(*args, **kwargs):
                probes[0] += sys._getframe(1).f_code.co_name == "probe"
                return real(*args, **kwargs)

            monkeypatch.setattr(probe, "_solver", counting)
            if jump:
                ticks = iter(range(0, 10**6, 60))
                monkeypatch.setattr(probe, "time", types.SimpleNamespace(perf_counter=lambda: float(next(ticks))))
            params = SolveParams(time_limit_s=30, workers=1, seed=0, deterministic=deterministic)
            model, ctx, v = stages.build(problem, daily=True)
            stats: dict = {}
            status, solver, values, _ = stages.optimise(problem, model, ctx, v, params, clock_for(params), 1.0, stats)
            assert status == "OPTIMAL"
            assert_placement_valid(sc, catalogue, problem, placement_of(v, solver))
            runs[deterministic, jump] = (probes[0], stats["probe"], values)
            monkeypatch.undo()
    assert runs[True, False] == runs[True, True] and runs[True, False][0] >= 2
    assert runs[False, True][0] == 1 < runs[False, False][0]  # the wall clock decided
