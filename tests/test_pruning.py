"""Exact pruning: dropping useless and dominated exercises never changes the optimum.

Each scenario is solved with and without pruning on a catalogue full of near-duplicates
(copies of built-in exercises that are slower to set up, slower per rep or credit less);
both plans go through the checker and, both proven optimal, must have the same objective
term vector.
"""

from __future__ import annotations

import pytest
import yaml

from optimizer import build_problem, load_catalogue, solve
from optimizer.pruning import prune

from .conftest import assert_valid, make_scenario

BASES = ["glute_bridge", "bodyweight_squat", "split_squat", "resistance_band_leg_curl", "standing_calf_raise",
         "exercise_ball_hamstring_roll", "banded_clamshell", "lunge"]


@pytest.fixture(scope="module")
def dup_catalogue(tmp_path_factory):
    """Built-in plus 6 variants of each base: exact copies, slower ones, weaker ones."""
    base = load_catalogue()
    folder = tmp_path_factory.mktemp("dups")
    (folder / "exercises").mkdir()
    items = []
    for ex_id in BASES:
        ex = base.exercise_by_id[ex_id].model_dump(exclude_none=True)
        for i in range(6):
            copy = dict(ex, id=f"{ex_id}_v{i}", name=f"{ex['name']} v{i}")
            copy["setup_s"] = ex["setup_s"] + 5 * (i % 3)
            copy["seconds_per_rep"] = ex["seconds_per_rep"] + 0.5 * (i // 3)
            if i == 5:  # weaker on its strongest muscle
                top = max(copy["activation"], key=copy["activation"].get)
                copy["activation"] = dict(copy["activation"], **{top: copy["activation"][top] - 0.25})
            items.append(copy)
    (folder / "exercises" / "dups.yaml").write_text(yaml.safe_dump({"exercises": items}, sort_keys=False))
    return load_catalogue([folder])


HOME = ["bodyweight", "exercise_ball", "resistance_band"]
SCENARIOS = {
    "two_short_days": dict(
        days=[{"day": "mon", "minutes": 25}, {"day": "thu", "minutes": 25}],
        rules={"max_exercises_per_session": 2},
        targets={"quadriceps": {"min": 6}, "hamstrings": {"min": 4}, "glutes": {"min": 4}},
    ),
    "caps_and_ratio": dict(
        days=[{"day": "mon", "minutes": 30}, {"day": "wed", "minutes": 30}, {"day": "fri", "minutes": 30}],
        rules={"max_exercises_per_session": 3},
        targets={"quadriceps": {"min": 8, "max": 12}, "hamstrings": {"min": 6, "max": 10}, "vastus_medialis": {"min": 3},
                 "gluteus_maximus_lower": {"min": 2}},  # the glutes' other muscles credit no minimum: useless
        balance={"quadriceps_to_hamstrings": {"min": 1.0, "max": 1.4}},
    ),
    "recovery_pairing_calves": dict(
        days=[{"day": "mon", "minutes": 30, "shares_with": "upper"}, {"day": "tue", "minutes": 30},
              {"day": "fri", "minutes": 30, "shares_with": "upper"}],
        rules={"max_exercises_per_session": 3, "calves_heavy_and_light": False, "pairing": {"quadriceps": "upper"}},
        targets={"quadriceps": {"min": 6}, "calves": {"min": 4}, "glutes": {"min": 4, "max": 8}},
        recovery={"min_hours_between_same_group": 48},
    ),
    "weighted_tight": dict(
        days=[{"day": "tue", "minutes": 25}, {"day": "sat", "minutes": 25}],
        rules={"max_exercises_per_session": 2, "sets_per_exercise": {"min": 2, "max": 4}},
        targets={"quadriceps": {"min": 6}, "hamstrings": {"min": 4}, "calves": {"min": 3}},
        objective="weighted",
    ),
    "required_copy": dict(
        days=[{"day": "mon", "minutes": 30}, {"day": "thu", "minutes": 30}],
        rules={"max_exercises_per_session": 2},
        targets={"glutes": {"min": 6}},
        required=["glute_bridge_v4"],
    ),
}


def _terms(result):
    return {t.name: t.value for t in result.objective_terms}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_pruning_never_changes_the_optimum(name, dup_catalogue):
    sc = make_scenario(equipment=HOME, **SCENARIOS[name])
    pruned = solve(sc, dup_catalogue, workers=1, seed=0, time_limit_s=20)
    full = solve(sc, dup_catalogue, workers=1, seed=0, time_limit_s=20, prune=False)
    assert_valid(sc, dup_catalogue, pruned)
    assert_valid(sc, dup_catalogue, full)
    assert pruned.exercises_dominated > 0 and full.exercises_dominated == 0
    assert pruned.exercises_considered + pruned.exercises_dominated == full.exercises_considered
    assert pruned.status.value == full.status.value == "OPTIMAL"  # else the comparison says nothing
    if sc.objective == "weighted":
        assert pruned.objective_value == pytest.approx(full.objective_value)
    else:
        assert _terms(pruned) == _terms(full)


def test_dominated_copies_are_dropped_but_never_required_or_pinned_ones(dup_catalogue):
    sc = make_scenario(equipment=HOME, **SCENARIOS["two_short_days"], pinned=[{"day": "mon", "exercise": "lunge_v5"}])
    p = build_problem(sc, dup_catalogue)
    q = prune(p)
    why = dict(q.dominated)
    assert any(w.startswith("dominated by") for w in why.values())
    assert "lunge_v5" not in why
    kept = {e.id for e in q.exercises}
    assert "lunge_v5" in kept
    # Whatever was dropped as dominated names a dominator the problem had.
    ids = {e.id for e in p.exercises}
    assert all(w.split()[-1] in ids for w in why.values() if w.startswith("dominated by"))


def test_exercises_crediting_no_minimum_are_useless(catalogue):
    # The glutes are trained (a muscle of theirs has a minimum), so glute exercises are in
    # the Problem (the aim rule); the clamshell works only the gluteus medius and upper
    # gluteus maximus, which no minimum asks for.
    sc = make_scenario(targets={"hamstrings": {"min": 6}, "gluteus_maximus_lower": {"min": 2}, "quadriceps": {"max": 10}})
    p = build_problem(sc, catalogue)
    q = prune(p)
    why = dict(q.dominated)
    clamshell = next(e for e in p.exercises if e.id == "banded_clamshell")
    assert why[clamshell.id].startswith("useless")
    assert not any(e.id == "bodyweight_squat" for e in p.exercises)  # capped quadriceps only: never aimed at
    assert all(any(t.coef[e.index] for t in q.targets if t.min) for e in q.exercises)
