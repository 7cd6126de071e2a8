"""Programmes at the scale of an imported catalogue (issue 7): exact multi-week pruning,
copies ordered once per programme, the fast week build and the weeks' bounds.

Speed is measured by benchmarks/bench_programme.py, not here. Every programme a test
solves goes through the independent programme checker.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
import yaml

from optimizer import build_problem, check_programme_result, load_catalogue, load_scenario, solve_programme
from optimizer.encoding.objective import term_info
from optimizer.encoding.programme_bounds import combine, floors, week_bounds
from optimizer.encoding.solve import SolveParams
from optimizer.paths import builtin_catalogue_dir
from optimizer.programme import build_programme_problem
from optimizer.programme_pruning import prune_programme
from optimizer.progression import week_scenario, week_specs

from .conftest import MULTI_WEEK, make_scenario


def checked(scenario, catalogue, **kw):
    result = solve_programme(scenario, catalogue, workers=2, seed=0, **kw)
    assert result.has_plan, result.message
    report = check_programme_result(scenario, catalogue, result)
    assert report.ok, [str(v) for v in report.violations]
    return result


def values(result) -> dict[str, float]:
    return {t.name: t.value for t in result.objective_terms}


@pytest.fixture(scope="module")
def with_copies(tmp_path_factory):
    """The built-in catalogue plus seven exact copies of the band squat: eight exercises
    alike in every piece of model data, so one dominates the next (by catalogue order)."""
    legs = yaml.safe_load((builtin_catalogue_dir() / "exercises" / "legs.yaml").read_text())["exercises"]
    band = next(e for e in legs if e["id"] == "resistance_band_squat")
    folder = tmp_path_factory.mktemp("copies")
    (folder / "exercises").mkdir()
    clones = [dict(band, id=f"band_squat_copy_{i}", name=f"Band squat copy {i}") for i in range(7)]
    (folder / "exercises" / "copies.yaml").write_text(yaml.safe_dump({"exercises": clones}))
    return load_catalogue([folder])


@pytest.mark.parametrize("path", MULTI_WEEK, ids=lambda p: p.stem)
def test_week_problems_equal_building_every_week(path, catalogue):
    """The weeks are built once and given their own target bounds: the same Problems as
    building every week on the common scale (independently computed here)."""
    sc = load_scenario(path)
    mp = build_programme_problem(sc, catalogue)
    scenarios = [week_scenario(sc, s) for s in week_specs(sc)]
    scale = math.lcm(*(build_problem(x, catalogue).scale for x in scenarios))
    built = [build_problem(x, catalogue, scale_multiple=scale) for x in scenarios]
    hard = sc.progression.rep_schemes is not None and sc.progression.rep_schemes.hard
    for pw, p in zip(mp.weeks, built):
        assert pw.problem.targets == p.targets
        if not hard:
            # A programme's weeks carry no spread term (a single-week, day-level term).
            assert pw.problem == replace(p, spread_groups=())


# Exactness: pruning and the copies' ordering never change what is optimal ------------------

TARGETS = {"quadriceps": {"min": 4, "max": 6}, "hamstrings": {"min": 2}, "gluteus_maximus_lower": {"min": 1}}
# (the glutes are trained through one muscle: their other exercises are in the week but credit no minimum)
# goal least_time: the programme-level pruning arguments are checked on the minutes
# objective they were written for (tests/test_pruning.py checks best_training), and for a
# beginner, for whom a band set counts whole (the counting below assumes 1 credit a set).
PROGRAMMES = {
    # two one-week blocks, every exercise of block 2 new: a copy must take over
    "rotation": dict(weeks=2, targets=TARGETS, goal="least_time", athlete={"level": "beginner"}, progression={"blocks": [1, 1], "rotation": {"min_new_share": 1.0}}),
    # a deload week: useless exercises may pad the training week, so only dominance prunes
    "deload": dict(weeks=2, targets=TARGETS, goal="least_time", athlete={"level": "beginner"}, progression={"deload": {"weeks": 1, "factor": 0.5}}),
    # ramp within a block, days fixed
    "ramp": dict(weeks=2, targets=TARGETS, goal="least_time", athlete={"level": "beginner"}, progression={"ramp": {"factors": [1.0, 1.5]}}),
}


@pytest.mark.parametrize("name", sorted(PROGRAMMES))
def test_pruning_keeps_the_optimum_of_small_programmes(name, with_copies):
    sc = make_scenario(**PROGRAMMES[name])
    pruned = checked(sc, with_copies, time_limit_s=20)
    full = checked(sc, with_copies, time_limit_s=20, prune=False)
    assert pruned.status.value == full.status.value == "OPTIMAL"
    assert values(pruned) == values(full)
    assert pruned.exercises_dominated > 0  # something was dropped, and counted
    assert pruned.exercises_considered + pruned.exercises_dominated == full.exercises_considered


def test_pruning_counts_per_rule(with_copies):
    """Without a deload cap useless exercises go; with one they stay unless dominated.
    A week holds at most 3 of the copies (quadriceps max 6, at least 2 sets of 1 credit
    each), two blocks with rotation 3 + 3: so copies with six dominators or more (copy 5
    has the original and copies 0-4) go, and always the later ones (catalogue order)."""
    rot = build_programme_problem(make_scenario(**PROGRAMMES["rotation"]), with_copies)
    dl = build_programme_problem(make_scenario(**PROGRAMMES["deload"]), with_copies)
    why_rot = dict(prune_programme(rot).first.dominated)
    why_dl = dict(prune_programme(dl).first.dominated)
    assert any(w.startswith("useless") for w in why_rot.values())
    assert not any(w.startswith("useless") for w in why_dl.values())
    copies = [f"band_squat_copy_{i}" for i in range(7)]
    dropped = [c for c in copies if c in why_rot]
    assert dropped == copies[len(copies) - len(dropped):] and set(copies[5:]) <= set(dropped)


def test_copies_rotate_between_blocks(with_copies, monkeypatch):
    """With bands only, the band squat and its copies are the best quadriceps work, and
    every exercise of block 2 must be new. A copy takes over in block 2 at the same cost.
    Ordering the copies in every week (the single-week rule) made this programme
    infeasible: block 2 could not take a copy without the original."""
    from optimizer.encoding import programme_model

    sc = make_scenario(equipment=["resistance_band"], weeks=2, targets={"quadriceps": {"min": 4, "max": 6}},
                       progression={"blocks": [1, 1], "rotation": {"min_new_share": 1.0}})
    r = checked(sc, with_copies, time_limit_s=20, prune=False)
    assert r.status.value == "OPTIMAL"
    first, second = r.weeks
    assert first.terms["minutes"] == second.terms["minutes"]
    assert {b.exercises[0] for b in r.blocks} <= {"resistance_band_squat", *(f"band_squat_copy_{i}" for i in range(7))}
    monkeypatch.setattr(programme_model, "REGISTRY", programme_model.WEEK_REGISTRY)
    old = solve_programme(sc, with_copies, workers=2, seed=0, time_limit_s=20, prune=False)
    assert old.status.value == "INFEASIBLE"


# The weeks' bounds -------------------------------------------------------------------------


def test_week_bounds_stay_below_the_optimum(catalogue):
    """On a programme solved to optimality, the weekly sums never exceed its terms."""
    sc = make_scenario(**PROGRAMMES["ramp"])
    r = checked(sc, catalogue, time_limit_s=20)
    assert r.status.value == "OPTIMAL"
    mp = prune_programme(build_programme_problem(sc, catalogue))
    weekly = week_bounds(mp, SolveParams(10, 2, 0), 10)
    divisor = {"minutes": 60}
    internal = {t.name: round(t.value * divisor.get(t.name, 1) * (mp.first.scale if t.name == "shortfall" else 1)) for t in r.objective_terms}
    bounds = combine(internal, weekly)
    assert "minutes" in bounds and bounds["minutes"] > 0
    for name, bound in bounds.items():
        assert bound <= internal[name], name


def test_combine_uses_the_weeks_only_after_terms_settled_at_zero():
    weeks = [{"shortfall": (0, 0), "minutes": (100, 90)}] * 2
    assert combine({"shortfall": 0, "schemes": 0, "minutes": 200, "exercises": 6}, weeks) == {
        "shortfall": 0, "schemes": 0, "minutes": 180,
    }
    # a target missed: every later term's bound would need the weeks at that optimum
    assert combine({"shortfall": 3, "minutes": 200}, weeks) == {"shortfall": 0}
    # schemes off the week's preferences: the weeks (solved in their preferred schemes) say nothing
    assert combine({"shortfall": 0, "schemes": 2, "minutes": 200}, weeks) == {"shortfall": 0, "schemes": 0}
    assert combine({"minutes": 200, "exercises": 7}, [{}, {}]) == {"minutes": 0}  # weeks out of time


def test_combine_goes_on_past_each_stage_its_plan_settles():
    """A stage whose plan value equals the weeks' summed bound is settled in every optimal
    programme, week by week: the next stage's sum bounds it too. The two wasted-set terms
    are one stage, bounded together or not at all."""
    weeks = [{"coverage": (0, 0), "ineffective": (50, 50), "overshoot": (1, 1), "rep_range": (10, 9), "minutes": (30, 28)}] * 2
    plan = {"shortfall": 0, "coverage": 0, "ineffective": 100, "overshoot": 2, "rep_range": 18, "minutes": 70, "exercises": 9}
    assert combine(plan, weeks) == {
        "shortfall": 0, "coverage": 0, "ineffective": 100, "overshoot": 2, "rep_range": 18, "minutes": 56,
    }  # exercises: not solved in the weeks
    # rep_range above its sum: bounded by the sum, and nothing after it (its weeks need not be at their bounds)
    assert combine({**plan, "rep_range": 20}, weeks) == {
        "shortfall": 0, "coverage": 0, "ineffective": 100, "overshoot": 2, "rep_range": 18,
    }
    # the wasted sets settled as a stage (0 + 100 x 3 = 2 x (50 + 100)): each term is where it is
    assert combine({**plan, "ineffective": 0, "overshoot": 3}, weeks)["overshoot"] == 3
    # not settled: the sum bounds the stage, neither term alone, and nothing after it
    assert combine({**plan, "overshoot": 3}, weeks) == {"shortfall": 0, "coverage": 0}


def test_week_bounds_of_a_best_training_programme_stay_below_its_optimum(catalogue):
    """goal best_training: the weeks' sums go past the quality terms the plan settles, and
    each bound is at most the proven programme's value of that term."""
    sc = make_scenario(weeks=2, targets=TARGETS, progression={"ramp": {"factors": [1.0, 1.5]}})
    r = checked(sc, catalogue, time_limit_s=30)
    assert r.status.value == "OPTIMAL"
    mp = prune_programme(build_programme_problem(sc, catalogue))
    info = term_info(mp.first)
    internal = {t.name: round(t.value * info[t.name].divisor) for t in r.objective_terms}
    bounds = combine(internal, week_bounds(mp, SolveParams(10, 2, 0), 10))
    assert {"coverage", "ineffective", "overshoot", "rep_range", "minutes"} <= set(bounds)
    for name, bound in bounds.items():
        assert bound <= internal[name], name


def test_floors_sum_the_weeks_bounds_stage_by_stage():
    weeks = [{"coverage": (0, 0), "ineffective": (50, 40), "overshoot": (1, 1), "rep_range": (10, 9), "minutes": (30, 28)}, {}]
    assert floors(weeks) == {
        "shortfall": 0, "balance": 0, "pairing": 0, "schemes": 0,  # bounded by zero, as in combine
        "coverage": 0, "ineffective": 40, "overshoot": 1, "rep_range": 9, "minutes": 28,
        "exercises": 0,  # not solved in the weeks: the tie-break stage is bounded by its minutes
    }  # (the second week ran out of time: it adds nothing)


def _spy_floors(monkeypatch, change=None) -> list:
    """Record the ``lower`` the programme's stages get (optionally changing it first)."""
    import optimizer.encoding.programme as programme

    seen: list = []
    real = programme.optimise

    def spy(*a, lower=None, **kw):
        if lower is not None and change is not None:
            lower = change(lower)
        seen.append(lower)
        return real(*a, lower=lower, **kw)

    monkeypatch.setattr(programme, "optimise", spy)
    return seen


def test_the_weeks_floors_reach_the_programmes_stages_and_keep_its_optimum(catalogue, monkeypatch):
    """The weeks' summed bounds become each programme stage's floor (a stage that reaches
    its floor stops searching); the proven plan is the one found without them."""
    sc = make_scenario(weeks=2, targets=TARGETS, progression={"ramp": {"factors": [1.0, 1.5]}})
    import optimizer.encoding.programme as programme

    monkeypatch.setattr(programme, "floors", lambda weekly: None)
    without = checked(sc, catalogue, time_limit_s=30)
    monkeypatch.undo()
    seen = _spy_floors(monkeypatch)
    with_floors = checked(sc, catalogue, time_limit_s=30)
    assert without.status.value == with_floors.status.value == "OPTIMAL"
    assert values(with_floors) == values(without)
    assert with_floors.stats.get("hint_completed") is True  # stage A started from the early plan, every variable hinted
    used = [lower for lower in seen if lower]
    assert used and "minutes" in used[0] and used[0]["minutes"] > 0
    info = term_info(build_programme_problem(sc, catalogue).first)
    internal = {t.name: round(t.value * info[t.name].divisor) for t in with_floors.objective_terms}
    assert used[0]["minutes"] <= internal["minutes"]


def test_floors_that_cut_every_plan_are_dropped_not_believed(catalogue, monkeypatch):
    """Were the weeks' bounds ever wrong (here: forced far above the optimum), stage A would
    say infeasible though a plan is in hand: the stages go again without them and the
    programme is still proven, with the same plan."""
    sc = make_scenario(weeks=2, targets=TARGETS, progression={"ramp": {"factors": [1.0, 1.5]}})
    reference = checked(sc, catalogue, time_limit_s=30)
    _spy_floors(monkeypatch, change=lambda lower: {n: b + 10_000 for n, b in lower.items()})
    r = checked(sc, catalogue, time_limit_s=30)
    assert r.status.value == "OPTIMAL" and r.stats.get("floors_dropped") is True
    assert values(r) == values(reference)


def test_a_short_programme_solve_probes_the_floors_and_keeps_its_optimum(catalogue, monkeypatch):
    """Up to ``PROBE_MAX_S`` stage A first asks for every quality term at its floor at once,
    as a week's stages do: terms proven there need no search each. The proven plan's terms
    are those found stage by stage."""
    import optimizer.encoding.programme as programme

    sc = make_scenario(weeks=2, targets=TARGETS, progression={"ramp": {"factors": [1.0, 1.5]}})
    limit = programme.PROBE_MAX_S - 5  # a short limit (two weeks are proven well within it)
    probed = checked(sc, catalogue, time_limit_s=limit)
    monkeypatch.setattr(programme, "PROBE_MAX_S", 0.0)
    searched = checked(sc, catalogue, time_limit_s=limit)
    assert probed.status.value == searched.status.value == "OPTIMAL"
    assert "probe" in probed.stats and "probe" not in searched.stats
    assert values(probed) == values(searched)
