"""Random valid scenarios give either a plan the checker accepts or a clean 'no plan'."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from optimizer import Status, check_result, load_catalogue, solve
from optimizer.scenario import WEEKDAYS, Scenario

CAT = load_catalogue()
EQUIPMENT = sorted(CAT.equipment_by_id)
UNITS = ["quadriceps", "hamstrings", "glutes", "calves", "shins", "vastus_medialis", "vastus_lateralis", "gluteus_maximus_upper"]


@st.composite
def scenarios(draw):
    days = draw(st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=5, unique=True))
    labels = draw(st.lists(st.sampled_from([None, "back_chest", "arms_shoulders"]), min_size=len(days), max_size=len(days)))
    targets = {}
    for unit in draw(st.lists(st.sampled_from(UNITS), min_size=1, max_size=4, unique=True)):
        lo = draw(st.integers(0, 12))
        hi = draw(st.one_of(st.none(), st.integers(lo, 20)))
        targets[unit] = {"min": lo, "max": hi, "hard": draw(st.booleans())} if hi is not None else {"min": lo, "hard": draw(st.booleans())}
    used_labels = sorted({x for x in labels if x})
    pairing = {}
    if used_labels and draw(st.booleans()):
        pairing = {"quadriceps": draw(st.sampled_from(used_labels))}
    data = {
        "name": "random",
        "equipment": ["bodyweight"] + draw(st.lists(st.sampled_from(EQUIPMENT), max_size=6, unique=True)),
        "athlete": {
            "level": draw(st.sampled_from(["beginner", "intermediate", "advanced"])),
            "max_knee_flexion_deg": draw(st.one_of(st.none(), st.sampled_from([60, 90, 120]))),
        },
        "days": [
            {"day": d, "minutes": draw(st.integers(5, 45)), "shares_with": lab} for d, lab in zip(days, labels)
        ],
        "targets": targets,
        "recovery": {"min_hours_between_same_group": draw(st.sampled_from([0, 24, 48, 72]))},
        "rules": {
            "calves_heavy_and_light": draw(st.booleans()),
            "pairing": pairing,
            "pairing_hard": draw(st.booleans()),
            "max_exercises_per_session": draw(st.integers(1, 5)),
            "max_days_per_exercise": draw(st.integers(1, 3)),
        },
        "objective": draw(st.sampled_from(["lexicographic", "weighted"])),
    }
    if draw(st.booleans()):
        data["balance"] = {"quadriceps_to_hamstrings": {"min": 1.0, "max": 1.3, "hard": draw(st.booleans())}}
    return Scenario.model_validate(data)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(scenarios())
def test_random_scenarios_give_a_valid_plan_or_a_clean_no_plan(scenario):
    result = solve(scenario, CAT, workers=1, seed=0, time_limit_s=5)
    if result.status.has_plan:
        report = check_result(scenario, CAT, result)
        assert report.ok, [str(v) for v in report.violations]
    else:
        assert result.status in (Status.INFEASIBLE, Status.UNKNOWN)
        assert result.plan is None and result.message
