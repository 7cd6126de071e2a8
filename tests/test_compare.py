"""Comparing plans under different equipment: variants, side-by-side frames, diffs,
monotonicity and the value of each missing item. Every plan goes through the checker."""

from __future__ import annotations

from itertools import combinations

import pytest
from .conftest import EXAMPLES, assert_valid, load_example, make_scenario

from optimizer import check_plan, load_scenario
from optimizer.catalogue import Catalogue
from optimizer.compare import (
    BUILTIN_PROFILES,
    adopt_plan,
    Variant,
    compare,
    comparison_frames,
    diff_plans,
    load_profiles,
    make_variants,
    score,
    solve_variants,
    value_of_equipment,
    variant_scenario,
)
from optimizer.errors import InputError
from optimizer.problem import build_problem
from optimizer.result import Plan, PlannedDay, PlannedExercise, Status
from optimizer.scenario import Scenario
from optimizer.solver import solve

RUN = {"workers": 1, "seed": 0}


def assert_outcome_valid(scenario, catalogue, outcome, at=None):
    """The variant's plan passes the checker against the variant's own scenario."""
    if outcome.result.status.has_plan:
        assert_valid(variant_scenario(scenario, Variant(outcome.name, tuple(outcome.equipment), at)), catalogue, outcome.result)


# Variants ---------------------------------------------------------------------------


def test_builtin_ladder_is_nested(catalogue):
    variants = make_variants(load_example("gym"), catalogue, list(BUILTIN_PROFILES))
    sets = [set(v.equipment) for v in variants]
    assert all(a < b for a, b in zip(sets, sets[1:]))
    assert sets[-1] == {e.id for e in catalogue.equipment}


def test_profiles_from_scenario_file_and_ad_hoc(catalogue, tmp_path):
    sc = make_scenario(equipment_profiles={"home": ["bodyweight", "resistance_band"], "gym": ["bodyweight", "barbell"]})
    f = tmp_path / "p.toml"
    f.write_text('gym = ["bodyweight", "leg_press"]\n')
    got = make_variants(sc, catalogue, ["home", "gym", "scenario"], ["bands=resistance_band,bodyweight", "dumbbell"], f)
    assert [(v.name, v.equipment) for v in got] == [
        ("home", ("bodyweight", "resistance_band")),
        ("gym", ("bodyweight", "leg_press")),  # the profiles file wins over the scenario
        ("scenario", tuple(sorted(sc.equipment))),
        ("bands", ("bodyweight", "resistance_band")),
        ("dumbbell", ("dumbbell",)),
    ]
    # No names given: the scenario's own profiles.
    assert [v.name for v in make_variants(sc, catalogue)] == ["home", "gym"]
    assert [v.name for v in make_variants(make_scenario(), catalogue)] == list(BUILTIN_PROFILES)


def test_bad_profiles_are_input_errors(catalogue, tmp_path):
    sc = make_scenario(equipment_profiles={"home": ["bodyweight", "dumbell"]})
    with pytest.raises(InputError) as e:
        build_problem(sc, catalogue, "s.yaml")
    assert e.value.field == "equipment_profiles.home[1]" and "dumbbell" in e.value.message
    with pytest.raises(InputError) as e:
        make_variants(sc, catalogue, ["hom"])
    assert "home" in e.value.message
    with pytest.raises(InputError) as e:
        make_variants(make_scenario(), catalogue, [], ["bodyweight,leg_pres"])
    assert e.value.field == "--equipment 'bodyweight,leg_pres'" and "leg_press" in e.value.message
    bad = tmp_path / "p.yaml"
    bad.write_text("home: bodyweight\n")
    with pytest.raises(InputError) as e:
        load_profiles(bad)
    assert e.value.field == "home"
    with pytest.raises(ValueError):
        make_scenario(equipment_profiles={"empty": []})


# Diffs ------------------------------------------------------------------------------


def _x(ex_id: str, sets: int, scheme: str = "moderate") -> PlannedExercise:
    return PlannedExercise(
        exercise=ex_id, name=ex_id.replace("_", " "), sets=sets, scheme=scheme, reps="8-12", rest_s=90,
        set_seconds=120, setup_s=30, minutes=1.0, mechanic="compound",
    )


def _plan(days: dict[str, list[PlannedExercise]]) -> Plan:
    return Plan(days=[PlannedDay(day=d, minutes_budget=60, warmup_minutes=5, minutes_used=10, exercises=xs) for d, xs in days.items()])


def test_diff_on_a_constructed_case(catalogue):
    before = _plan(
        {
            "mon": [_x("bodyweight_squat", 3), _x("resistance_band_leg_curl", 3), _x("standing_calf_raise", 2, "light")],
            "wed": [_x("glute_bridge", 3), _x("toe_taps", 2, "light")],
            "fri": [],
        }
    )
    after = _plan(
        {
            "mon": [_x("parallel_squat", 3, "heavy"), _x("resistance_band_leg_curl", 4), _x("standing_calf_raise", 2, "light")],
            "wed": [_x("glute_bridge", 3), _x("lying_leg_curl", 3)],
            "fri": [_x("heavy_lever_calf_raise", 3, "heavy")],
        }
    )
    changes = {(c.day, c.change, c.exercise, c.replaces, c.before, c.after) for c in diff_plans(before, after, catalogue)}
    assert changes == {
        # The squat does the same job (quadriceps): a swap, not an add and a drop.
        ("mon", "swapped", "parallel_squat", "bodyweight_squat", "3 x moderate", "3 x heavy"),
        ("mon", "sets changed", "resistance_band_leg_curl", None, "3 x moderate", "4 x moderate"),
        # Toe taps (shins) and a leg curl (hamstrings) share no group or pattern.
        ("wed", "dropped", "toe_taps", None, "2 x light", None),
        ("wed", "added", "lying_leg_curl", None, None, "3 x moderate"),
        ("fri", "added", "heavy_lever_calf_raise", None, None, "3 x heavy"),
    }
    assert diff_plans(after, after, catalogue) == []


def _per_day(plan: Plan) -> dict[str, dict[str, tuple[int, str]]]:
    return {d.day: {x.exercise: (x.sets, x.scheme) for x in d.exercises} for d in plan.days}


def assert_diff_matches(before: Plan, after: Plan, changes) -> None:
    """Added/dropped/swapped/sets changed, recomputed from the two plans by set algebra."""
    b, a = _per_day(before), _per_day(after)
    for day in set(b) | set(a):
        bd, ad = b.get(day, {}), a.get(day, {})
        mine = [c for c in changes if c.day == day]
        assert {c.exercise for c in mine if c.change in ("added", "swapped")} == set(ad) - set(bd)
        assert {c.exercise if c.change == "dropped" else c.replaces for c in mine if c.change in ("dropped", "swapped")} == set(bd) - set(ad)
        assert {c.exercise for c in mine if c.change == "sets changed"} == {e for e in set(ad) & set(bd) if ad[e] != bd[e]}


# Side by side -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def home_comparison(catalogue):
    # The time-crunched home week: every rung proven in well under a second with one worker,
    # so the plans do not depend on the machine's load (the balls-and-bands week's
    # bodyweight rung is a tight packing that takes seconds).
    # A muscle target too (the plot's second panel).
    data = load_example("time_crunched_20min").model_dump(mode="json", exclude_unset=True)
    data["targets"]["vastus_medialis"] = {"min": 3}
    sc = Scenario.model_validate(data)
    variants = make_variants(sc, catalogue, ["bodyweight", "balls_and_bands", "home_dumbbells", "full_gym"])
    return sc, compare(sc, catalogue, variants, **RUN)


def test_side_by_side_frames_say_what_each_plan_says(catalogue, home_comparison):
    sc, comp = home_comparison
    frames = comparison_frames(comp.variants, catalogue)
    objective = frames["objective"].set_index("term")
    volume = frames["volume"].assign(unit=lambda d: d["unit"].str.strip()).set_index("unit")
    minutes = frames["minutes"].set_index("day")
    exercises = frames["exercises"].set_index("exercise")
    summary = frames["summary"].set_index("variant")
    for o in comp.variants:
        assert_outcome_valid(sc, catalogue, o)
        r, plan = o.result, o.result.plan
        assert summary.loc["status", o.name] == r.status.value
        for t in r.objective_terms:
            assert float(objective.loc[t.name, o.name]) == pytest.approx(t.value, abs=0.01)
        for v in plan.volume:
            assert float(volume.loc[v.unit, o.name].split(" ")[0]) == pytest.approx(v.sets)
            assert ("(-" in volume.loc[v.unit, o.name]) == (v.shortfall > 0)
        for d in plan.days:
            assert float(minutes.loc[d.day, o.name]) == pytest.approx(d.minutes_used, abs=0.05)
        assert float(minutes.loc["week", o.name]) == pytest.approx(sum(d.minutes_used for d in plan.days), abs=0.05)
        used = {x.name for _, x in plan.entries()}
        assert {n for n, cell in exercises[o.name].items() if cell and n != "distinct exercises"} == used
        assert exercises.loc["distinct exercises", o.name] == str(len(used))
    # The volume table covers every target, with its range.
    assert set(sc.targets) <= set(volume.index)
    assert volume.loc["quadriceps", "target"] == "8-12"
    # quad:ham always shown, equal to the plan's own ratio row.
    bal = frames["balance"].set_index("ratio").loc["quadriceps:hamstrings"]
    for o in comp.variants:
        r = o.result.plan.ratios[0]
        assert bal[o.name].startswith(f"{r.value:.2f}")
    # Each diff is the set algebra of the two plans.
    assert [(d.before, d.after) for d in comp.diffs] == list(zip([v.name for v in comp.variants], [v.name for v in comp.variants][1:]))
    for d in comp.diffs:
        assert_diff_matches(comp.outcome(d.before).result.plan, comp.outcome(d.after).result.plan, d.changes)


# Monotonicity -----------------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_monotone_on_nested_variants_of_every_example(catalogue, path):
    sc = load_scenario(path)
    at = "home" if sc.locations else None  # a week in two places: the home equipment varies
    variants = make_variants(sc, catalogue, list(BUILTIN_PROFILES) + ["scenario"], at=at)
    outcomes = solve_variants(sc, catalogue, variants, **RUN)
    for o in outcomes:
        assert_outcome_valid(sc, catalogue, o, at)
    nested = 0
    for a, b in combinations(outcomes, 2):
        for small, large in ((a, b), (b, a)):
            if set(small.equipment) <= set(large.equipment):
                nested += 1
                scored = small.result  # no plan: scores worst
                if small.result.status.has_plan:
                    # The smaller plan scored by the larger variant's rules (coverage asks
                    # for what the equipment allows), recomputed by the checker.
                    here = variant_scenario(sc, Variant(large.name, tuple(large.equipment), at))
                    scored = adopt_plan(here, catalogue, large.result, small.result, small.name)
                assert score(large.result) <= score(scored), (small.name, large.name)
    assert nested >= 6  # the four-rung ladder alone has six nested pairs


def test_monotone_when_time_runs_out(catalogue):
    """A time limit too short to prove anything: the guarantee must hold all the same."""
    sc = load_example("seed000_split").model_copy(update={"objective": "weighted"})
    variants = make_variants(sc, catalogue, ["scenario", "full_gym"])
    small, large = solve_variants(sc, catalogue, variants, time_limit_s=0.3, **RUN)
    for o in (small, large):
        assert_outcome_valid(sc, catalogue, o)
    assert score(large.result) <= score(small.result)
    if large.hinted_with or large.plan_from:
        assert large.note


def _degrade(result):
    """A worse, not-proven result, as a time limit could leave it (worse on the first term)."""
    first = result.objective_terms[0].name
    terms = [t.model_copy(update={"value": t.value + 100}) if t.name == first else t for t in result.objective_terms]
    return result.model_copy(update={"status": Status.FEASIBLE, "objective_terms": terms, "gap": 0.5})


@pytest.mark.parametrize("hint_helps", [True, False])
def test_a_worse_larger_variant_is_hinted_then_given_the_smaller_plan(catalogue, hint_helps):
    sc = load_example("home_balls_and_bands")
    small, large = Variant("bands", ("bodyweight", "resistance_band")), Variant("home", ("bodyweight", "exercise_ball", "resistance_band"))
    calls = []

    def runner(job):
        calls.append((tuple(job.scenario.equipment), job.hint is not None))
        r = solve(job.scenario, catalogue, hint=job.hint, **RUN)
        if job.scenario.equipment == list(large.equipment) and (job.hint is None or not hint_helps):
            r = _degrade(r)
        return r

    o_small, o_large = solve_variants(sc, catalogue, [small, large], runner=runner, **RUN)
    assert calls[-1] == (large.equipment, True)  # solved again, with the smaller plan as hint
    assert o_large.hinted_with == "bands"
    assert score(o_large.result) <= score(o_small.result)
    assert_outcome_valid(sc, catalogue, o_large)
    if hint_helps:
        assert o_large.plan_from is None and o_large.result.status == Status.OPTIMAL
    else:
        assert o_large.plan_from == "bands" and o_large.result.plan == o_small.result.plan
        assert o_large.result.status == Status.FEASIBLE and "bands" in o_large.result.message
        # The adopted terms are the checker's, against the larger variant.
        report = check_plan(variant_scenario(sc, large), catalogue, o_large.result.plan)
        assert {t.name: t.value for t in o_large.result.objective_terms} == report.terms


def test_a_hint_does_not_change_the_optimum(catalogue, solved):
    sc = load_example("time_crunched_20min")
    home = variant_scenario(sc, Variant("h", ("bodyweight",)))
    r_home, _ = solved(home)
    gym = variant_scenario(sc, Variant("g", tuple(e.id for e in catalogue.equipment)))
    r_plain, _ = solved(gym)
    r_hinted, _ = solved(gym, hint=r_home.plan)
    assert r_hinted.status == Status.OPTIMAL
    assert [(t.name, t.value) for t in r_hinted.objective_terms] == [(t.name, t.value) for t in r_plain.objective_terms]
    assert score(r_hinted) <= score(r_home)


# Value of equipment -----------------------------------------------------------------


def _usable(catalogue, sc, owned):
    """Usable exercises, by the checker's rules, computed here on their own."""
    from optimizer.checker import _usable as why_not

    sc = sc.model_copy(update={"equipment": sorted(owned)})
    return {ex.id for ex in catalogue.exercises if not why_not(ex, sc, catalogue)}


def test_value_of_equipment_ranks_items_each_gain_verified_alone(catalogue, solved):
    sc = load_example("time_crunched_20min")
    value = value_of_equipment(sc, catalogue, **RUN)
    base = _usable(catalogue, sc, sc.equipment)
    expected_items = {e.id for e in catalogue.equipment if e.id not in sc.equipment and _usable(catalogue, sc, {*sc.equipment, e.id}) - base}
    assert {v.items[0] for v in value.singles} == expected_items and len(expected_items) >= 5
    keys = [score(v.outcome.result) for v in value.singles]
    assert keys == sorted(keys)  # ranked, best first
    base_result, _ = solved(sc)
    assert [(t.name, t.value) for t in value.base.result.objective_terms] == [(t.name, t.value) for t in base_result.objective_terms]
    for v in value.singles:
        item = v.items[0]
        assert set(v.new_exercises) == _usable(catalogue, sc, {*sc.equipment, item}) - base
        alone, _ = solved(sc.model_copy(update={"equipment": [*sc.equipment, item]}))
        assert [(t.name, t.value) for t in v.outcome.result.objective_terms] == [(t.name, t.value) for t in alone.objective_terms], item
        assert v.improves == (score(alone) < score(base_result))
        assert score(alone) <= score(base_result)  # more equipment never hurts
        if not v.improves:
            assert v.gain == "no gain"
        else:
            assert v.gain != "no gain"


def _small_catalogue(catalogue) -> Catalogue:
    keep = {"bodyweight_squat", "glute_bridge", "standing_calf_raise", "parallel_squat", "romanian_deadlift", "lying_leg_curl", "leg_extension"}
    data = catalogue.model_dump()
    data["exercises"] = [e for e in data["exercises"] if e["id"] in keep]
    return Catalogue.model_validate(data)


def test_value_of_pairs_finds_items_that_only_work_together(catalogue):
    cat = _small_catalogue(catalogue)
    sc = make_scenario(
        equipment=["bodyweight"],
        targets={"quadriceps": {"min": 12}, "hamstrings": {"min": 8}},
        days=[{"day": "mon", "minutes": 30}, {"day": "thu", "minutes": 30}],
    )
    value = value_of_equipment(sc, cat, pairs=True, **RUN)
    singles = {v.items[0]: v for v in value.singles}
    assert "squat_rack" not in singles  # enables nothing on its own
    assert value.best_pair is not None and value.pairs_tried >= 1
    # barbell + squat_rack make the parallel squat usable, which neither does alone.
    assert "parallel_squat" in (_usable(cat, sc, {"bodyweight", "barbell", "squat_rack"}) - _usable(cat, sc, {"bodyweight", "barbell"}))
    best = value.best_pair
    pair_sc = sc.model_copy(update={"equipment": ["bodyweight", *best.items]})
    result = solve(pair_sc, cat, **RUN)
    assert_valid(pair_sc, cat, result)
    assert_valid(pair_sc, cat, best.outcome.result)
    assert [(t.name, t.value) for t in best.outcome.result.objective_terms] == [(t.name, t.value) for t in result.objective_terms]
    for v in value.singles:
        assert_valid(sc.model_copy(update={"equipment": v.outcome.equipment}), cat, v.outcome.result)
    for item in best.items:
        if item in singles:  # a pair never scores worse than one of its items
            assert score(best.outcome.result) <= score(singles[item].outcome.result)
    for v in value.singles:  # and the best pair is at least as good as any single
        assert score(best.outcome.result) <= score(v.outcome.result)


def test_describe_gain_names_the_shortfall(catalogue):
    """The words follow the numbers: a shortfall closed, minutes saved."""
    from optimizer.compare import describe_gain

    # Without the straight-leg bridge, a beginner with a 90-degree knee limit has no
    # bodyweight exercise primary for the hamstrings; a back extension is one.
    sc = make_scenario(
        equipment=["bodyweight"],
        athlete={"level": "beginner", "max_knee_flexion_deg": 90, "exclude": ["straight_leg_bridge"]},
        targets={"hamstrings": {"min": 6}},
        days=[{"day": "mon", "minutes": 20}],
    )
    outs = solve_variants(sc, catalogue, [Variant("bw", ("bodyweight",)), Variant("gym", ("bodyweight", "hyperextension_bench"))], **RUN)
    for o in outs:
        assert_outcome_valid(sc, catalogue, o)
    before = next(v for v in outs[0].result.plan.volume if v.unit == "hamstrings")
    after = next(v for v in outs[1].result.plan.volume if v.unit == "hamstrings")
    text = describe_gain(outs[0], outs[1], catalogue)
    assert before.shortfall > after.shortfall
    assert f"hamstrings shortfall {before.shortfall:g} -> {after.shortfall:g}" in text
    dm = outs[1].result.objective_terms[-2].value - outs[0].result.objective_terms[-2].value
    assert outs[0].result.objective_terms[-2].name == "minutes"
    assert f"{abs(dm):.1f}".rstrip("0").rstrip(".") + f" minutes {'less' if dm < 0 else 'more'} a week" in text
    assert score(outs[1].result) < score(outs[0].result)



def test_plot_bars_are_the_plans_volumes(catalogue, home_comparison):
    from optimizer.plot import volume_figure

    _, comp = home_comparison
    fig = volume_figure(comp.variants, catalogue, "t")
    groups = fig.axes[0]
    labels = [t.get_text().replace(" ", "_") for t in groups.get_xticklabels()]
    assert {"quadriceps", "hamstrings", "glutes", "calves"} <= set(labels)
    assert len(groups.containers) == len(comp.variants)  # one bar series per variant
    for o, bars in zip(comp.variants, groups.containers):
        vol = {v.unit: v.sets for v in o.result.plan.volume}
        assert [b.get_height() for b in bars] == pytest.approx([vol.get(u, 0.0) for u in labels])
    assert fig.axes[1].get_title() == "Targeted muscles"  # vastus_medialis has a target


@pytest.mark.parametrize("executor", ["threads", "processes"])
def test_same_plans_in_parallel_and_in_process(catalogue, home_comparison, executor):
    """Deterministic: threads (as ``home_comparison`` ran), processes and a plain
    one-after-another run give the same proven plans. (The bodyweight rung's tight week
    takes several seconds to prove with one worker; on a loaded machine its share of the
    clock may end first, and an unproven plan cut by the wall clock may differ.)"""
    sc, comp = home_comparison
    variants = [Variant(v.name, tuple(v.equipment)) for v in comp.variants[:2]]
    again = solve_variants(sc, catalogue, variants, processes=1 if executor == "threads" else 2, executor=executor, **RUN)
    proven = 0
    for a, b in zip(comp.variants, again):
        assert_outcome_valid(sc, catalogue, b)
        if a.result.status == b.result.status == Status.OPTIMAL:
            proven += 1
            assert a.result.plan == b.result.plan
            assert a.result.objective_terms == b.result.objective_terms
    assert proven >= 1


# Infeasible variants ----------------------------------------------------------------


def test_an_infeasible_chain_is_diagnosed_once_and_every_conflict_holds(catalogue):
    """gym's bodyweight, balls_and_bands and home_dumbbells rungs have no plan. Only the largest is
    diagnosed (a conflict with more exercises still conflicts with fewer); the smaller
    shows that conflict with its own equipment. Each is checked on the requirement-guarded
    day-level model, built here, with exactly the conflict's members on."""
    from optimizer.compare import _run_job
    from optimizer.explain import explain_problem

    from .test_explain import subset_status

    sc = load_example("gym")
    variants = make_variants(sc, catalogue, list(BUILTIN_PROFILES))
    jobs = []

    def runner(job):
        jobs.append(job)
        return _run_job(job)

    outcomes = solve_variants(sc, catalogue, variants, runner=runner, **RUN)
    infeasible = [o for o in outcomes if o.result.status == Status.INFEASIBLE]
    # home_dumbbells too: gym pins the barbell hip thrust.
    assert [o.name for o in infeasible] == ["bodyweight", "balls_and_bands", "home_dumbbells"]
    diagnosed = [tuple(j.scenario.equipment) for j in jobs if j.infeasible is not None]
    assert diagnosed == [tuple(infeasible[-1].equipment)]  # the maximal one only
    alone = solve(variant_scenario(sc, variants[2]), catalogue, **RUN)
    assert [c.key for c in infeasible[-1].result.conflict] == [c.key for c in alone.conflict]
    for o in infeasible:
        keys = [c.key for c in o.result.conflict]
        assert keys
        problem = explain_problem(variant_scenario(sc, Variant(o.name, tuple(o.equipment))), catalogue)
        assert subset_status(problem, keys) == "INFEASIBLE", o.name
    small = infeasible[0]
    assert "home_dumbbells" in small.note and "found for home_dumbbells" in small.result.message
    labels = {c.key: c.label for c in small.result.conflict}
    if "equipment:owned" in labels:
        assert labels["equipment:owned"] == "equipment: " + ", ".join(small.equipment)
    for o in outcomes:
        assert_outcome_valid(sc, catalogue, o)


def test_a_stop_token_ends_solves(catalogue):
    """What Ctrl-C in ``compare`` relies on: under a stopped token, searches end at once
    (no plan here: nothing was searched), and stop() reaches every search it watches."""
    from optimizer.solver import stop_token

    token = stop_token()
    token.stop()
    with token.governing():
        r = solve(load_example("gym"), catalogue, time_limit_s=60, **RUN)
    assert r.status == Status.UNKNOWN and r.plan is None
    assert r.exercises_considered == 0 and r.parameters["time_limit_s"] == 60  # not even built: nothing considered
    assert solve(load_example("gym"), catalogue, time_limit_s=60, **RUN).status == Status.OPTIMAL  # outside: no effect

    class Search:
        stopped = False

        def stop_search(self):
            self.stopped = True

    live = stop_token()
    search = Search()
    live.watch(search)
    assert not search.stopped
    live.stop()
    assert search.stopped and live.stopped


def test_one_clock_for_the_whole_compare():
    """--time-limit bounds the whole command: each round of solves side by side gets a share."""
    from optimizer.compare import SOLVE_SHARE, per_solve_limit

    assert per_solve_limit(10, 1, 2) == pytest.approx(SOLVE_SHARE * 10, abs=1e-3)  # to the millisecond
    assert per_solve_limit(10, 5, 2) == pytest.approx(SOLVE_SHARE * 10 / 3, abs=1e-3)  # three rounds
    assert per_solve_limit(9, 9, 1) == pytest.approx(SOLVE_SHARE, abs=1e-3)
    assert 3 * per_solve_limit(10, 5, 2) < 10  # every round fits, with time left for re-solves


def test_what_the_clock_cut_short_says_so(catalogue):
    from types import SimpleNamespace

    from optimizer.cli_guard import mark_outcomes

    sc = make_scenario(solver={"time_limit_s": 5, "workers": 1, "seed": 0})
    proven = solve(sc, catalogue)
    assert proven.status == Status.OPTIMAL
    cut = proven.model_copy(update={"status": Status.FEASIBLE, "message": "Time limit reached."})
    outcomes = [SimpleNamespace(result=proven.model_copy()), SimpleNamespace(result=cut)]
    mark_outcomes(False, outcomes, 7.0)
    assert "ended the command" not in outcomes[0].result.message  # proven before the clock ran out
    assert "The time limit (7 s) ended the command" in outcomes[1].result.message


def test_an_adopted_plan_keeps_only_the_bounds_that_hold_for_it(catalogue):
    """The larger variant's bounds are lexicographic: the smaller variant's plan takes one only
    while the terms before it are where those bounds put them; a term without a bound stays
    without one. No bound ends above the adopted plan's value (the checker)."""
    from optimizer import check_result

    sc = load_example("home_balls_and_bands")
    small, large = Variant("bands", ("bodyweight", "resistance_band")), Variant("home", ("bodyweight", "exercise_ball", "resistance_band"))
    here = variant_scenario(sc, large)
    own = solve(here, catalogue, **RUN)
    donor = solve(variant_scenario(sc, small), catalogue, **RUN)
    assert own.status == donor.status == Status.OPTIMAL
    adopted = adopt_plan(here, catalogue, own, donor, "bands")
    assert check_result(here, catalogue, adopted).ok
    # the proven optimum bounds the donor's plan up to the first term where they differ
    mine = {t.name: t.value for t in own.objective_terms}
    theirs = {t.name: t.value for t in adopted.objective_terms}
    first = next(n for n in mine if theirs[n] != mine[n])
    names = list(mine)
    bound = {t.name: t.bound for t in adopted.objective_terms}
    at = names.index(first)
    assert all(bound[n] == mine[n] for n in names[:at])
    # the first that differs keeps the optimum's bound, unless it is a wasted-set term: those
    # two are one stage of their sum, which bounds neither alone
    assert bound[first] == (0 if first in ("ineffective", "overshoot") else mine[first])
    assert all(bound[n] == 0 for n in names[at + 1:])
    # a term without a bound stays without one
    second = names[1]
    unbounded = own.model_copy(update={"objective_terms": [t.model_copy(update={"bound": None}) if t.name == second else t
                                                           for t in own.objective_terms]})
    again = {t.name: t.bound for t in adopt_plan(here, catalogue, unbounded, donor, "bands").objective_terms}
    assert again[second] is None
    assert all(again[n] == 0 for n in names[2:] if theirs[n] > 0)
