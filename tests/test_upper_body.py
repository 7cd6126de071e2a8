"""days[].upper_body: what the shared upper-body session already trains counts into volume,
balance and recovery (seed 000's split, legs on the back-and-chest day)."""

from __future__ import annotations

import pytest

from optimizer import InputError, build_problem, check_plan

from .conftest import make_scenario

DAYS = [
    {"day": "mon", "minutes": 30},
    {"day": "tue", "minutes": 30, "shares_with": "back_chest", "upper_body": {"hamstrings": 4, "back": 10}},
    {"day": "thu", "minutes": 30},
]


def _week_sets(result, catalogue, group, level="advanced"):
    """Effective sets the plan's exercises credit ``group`` (make_scenario's athlete is advanced)."""
    return sum(
        x.sets
        * catalogue.group_activation(catalogue.exercise_by_id[x.exercise]).get(group, 0.0)
        * catalogue.effect(catalogue.exercise_by_id[x.exercise], level)
        for _, x in result.plan.entries()
    )


def test_upper_body_sets_count_towards_targets(solved, catalogue):
    targets = {"hamstrings": {"min": 8, "hard": True}, "back": {"min": 10}}
    with_ub, _ = solved(make_scenario(days=DAYS, targets=targets, recovery={"min_hours_between_same_group": 0}))
    plain_days = [dict(d, upper_body={}) for d in DAYS]
    without, _ = solved(make_scenario(days=plain_days, targets=targets, recovery={"min_hours_between_same_group": 0}))
    assert _week_sets(without, catalogue, "hamstrings") >= 8
    assert 4 <= _week_sets(with_ub, catalogue, "hamstrings") < 8  # the back day's 4 sets are counted
    row = next(r for r in with_ub.plan.volume if r.unit == "back")
    assert row.sets == pytest.approx(10 + _week_sets(with_ub, catalogue, "back")) and row.shortfall == 0


def test_upper_body_loads_count_for_recovery(solved, catalogue):
    sc = make_scenario(days=DAYS, targets={"hamstrings": {"min": 8}}, recovery={"min_hours_between_same_group": 48})
    result, _ = solved(sc)
    for day, x in result.plan.entries():
        if "hamstrings" in catalogue.primary_groups(catalogue.exercise_by_id[x.exercise]):
            assert day != "mon"  # 24 h before Tuesday's hamstring work
    # The checker sees it too: the same plan with hamstring work moved to Monday breaks recovery.
    moved = result.plan.model_copy(deep=True)
    mon = next(d for d in moved.days if d.day == "mon")
    other = next(d for d in moved.days if d.day != "mon" and any(
        "hamstrings" in catalogue.primary_groups(catalogue.exercise_by_id[x.exercise]) for x in d.exercises))
    ham = [x for x in other.exercises if "hamstrings" in catalogue.primary_groups(catalogue.exercise_by_id[x.exercise])][:1]
    mon.exercises = ham + [x for x in mon.exercises if x.exercise != ham[0].exercise]
    other.exercises = [x for x in other.exercises if x is not ham[0]]
    report = check_plan(sc, catalogue, moved)
    assert any(v.rule == "recovery" and "hamstrings" in v.message for v in report.violations)


def test_two_close_upper_body_days_are_the_athletes_own_schedule(solved):
    days = [
        {"day": "mon", "minutes": 30, "upper_body": {"back": 8}},
        {"day": "tue", "minutes": 30, "upper_body": {"back": 8}},
        {"day": "fri", "minutes": 30},
    ]
    result, report = solved(make_scenario(days=days, targets={"quadriceps": {"min": 6}, "back": {"min": 16, "hard": True}}))
    assert report.ok and next(r for r in result.plan.volume if r.unit == "back").sets >= 16


def test_unknown_upper_body_unit_names_the_field(catalogue):
    days = [{"day": "mon", "minutes": 30, "upper_body": {"bak": 3}}]
    with pytest.raises(InputError, match=r"days\[0\]\.upper_body\.bak.*back"):
        build_problem(make_scenario(days=days), catalogue)
