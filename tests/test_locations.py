"""Days at different places: ``locations`` and ``days[].at``.

An exercise is eligible on a day only when that day's place has its equipment. Every
plan goes through the independent checker, which recomputes each day's equipment from
the scenario alone.
"""

from __future__ import annotations

import pytest

from optimizer import check_plan, load_scenario
from optimizer.compare import Variant, make_variants, value_of_equipment, variant_scenario
from optimizer.errors import InputError
from optimizer.problem import build_problem
from optimizer.render import render_result
from optimizer.scenario import Scenario

from .conftest import assert_valid, load_example, make_scenario, assert_two_stage_matches_monolithic

HOME = ["bodyweight", "resistance_band"]
GYM = ["bodyweight", "resistance_band", "leg_curl_machine", "leg_extension_machine", "leg_press"]


def two_places(**overrides) -> Scenario:
    base = dict(
        equipment=[],
        locations={"home": HOME, "gym": GYM},
        days=[{"day": "mon", "minutes": 15, "at": "home"}, {"day": "thu", "minutes": 20, "at": "gym"}],
        targets={"quadriceps": {"min": 8}, "hamstrings": {"min": 6}},
    )
    base.update(overrides)
    return make_scenario(**base)


def needs_only(ex, owned) -> bool:
    return ex.needs(set(owned))


def test_example_uses_gym_only_exercises_on_gym_days_only(catalogue, solved):
    sc = load_example("home_and_gym")
    result, _ = solved(sc, workers=2)
    places = {d.day: d.at for d in sc.days}
    gym_only = 0
    for day in result.plan.days:
        assert day.at == places[day.day]
        for x in day.exercises:
            ex = catalogue.exercise_by_id[x.exercise]
            assert needs_only(ex, sc.equipment_at(next(d for d in sc.days if d.day == day.day)))
            if not needs_only(ex, sc.locations["home"]):
                gym_only += 1
                assert day.at == "gym", (day.day, ex.id)
    assert gym_only > 0  # the gym is used: the test is not vacuous


def test_checker_rejects_a_gym_exercise_on_a_home_day(catalogue, solved):
    sc = load_example("home_and_gym")
    result, _ = solved(sc, workers=2)
    plan = result.plan.model_copy(deep=True)
    gym = next(d for d in plan.days if d.at == "gym")
    home = next(d for d in plan.days if d.at == "home")
    moved = next(x for x in gym.exercises if not needs_only(catalogue.exercise_by_id[x.exercise], sc.locations["home"]))
    gym.exercises.remove(moved)
    home.exercises.append(moved)
    # The plan's own "at" is not trusted: clearing it changes nothing.
    for d in plan.days:
        d.at = None
    report = check_plan(sc, catalogue, plan)
    hits = [v for v in report.violations if v.rule == "equipment"]
    assert hits and moved.exercise in hits[0].message and "not at home" in hits[0].message


def test_problem_marks_days_without_the_equipment(catalogue):
    p = build_problem(two_places(), catalogue)
    curl = next(e for e in p.exercises if e.id == "lying_leg_curl")
    band = next(e for e in p.exercises if e.id == "resistance_band_squat")
    assert curl.off_days == frozenset({0}) and band.off_days == frozenset()
    assert [d.at for d in p.days] == ["home", "gym"]
    assert p.days[0].cls != p.days[1].cls  # a day class never mixes places
    # Nothing that needs a barbell (at neither place) is a candidate.
    assert all("barbell" not in str(e.equipment) for e in p.exercises)


CASES = {
    "home_and_gym": {},
    # Two days of one shares_with label at different places: one label, two classes.
    "label_split": dict(
        days=[
            {"day": "mon", "minutes": 15, "at": "home", "shares_with": "upper"},
            {"day": "wed", "minutes": 12, "at": "gym", "shares_with": "upper"},
            {"day": "fri", "minutes": 15, "at": "gym"},
        ],
        targets={"quadriceps": {"min": 8}, "hamstrings": {"min": 8}, "calves": {"min": 3}},
        rules={"pairing": {"hamstrings": "upper"}},
    ),
    # The top-level equipment for the days that name no place.
    "default_place": dict(
        equipment=HOME,
        days=[{"day": "mon", "minutes": 15}, {"day": "thu", "minutes": 15, "at": "gym"}],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_two_stage_matches_monolithic_at_two_places(name, catalogue):
    assert_two_stage_matches_monolithic(two_places(**CASES[name]), catalogue)


# Bad input ------------------------------------------------------------------------


def _load(tmp_path, text: str):
    f = tmp_path / "s.yaml"
    f.write_text(text)
    return load_scenario(f)


def test_unknown_location_names_file_line_and_field(tmp_path):
    text = (
        "name: t\nlocations:\n  home: [bodyweight]\n  gym: [bodyweight, leg_press]\n"
        "days:\n  - {day: sat, minutes: 30, at: gym}\n  - {day: mon, minutes: 30, at: gmy}\n"
    )
    with pytest.raises(InputError) as exc:
        _load(tmp_path, text)
    msg = str(exc.value)
    assert exc.value.line == 7 and exc.value.field == "days[1].at"  # file order, not weekday order
    assert "unknown location 'gmy'" in msg and "did you mean gym" in msg and "\n" not in msg


def test_a_day_without_a_place_needs_the_top_level_equipment(tmp_path):
    text = "name: t\nlocations:\n  gym: [bodyweight]\ndays:\n  - {day: mon, minutes: 30}\n"
    with pytest.raises(InputError) as exc:
        _load(tmp_path, text)
    assert exc.value.field == "days[0]" and "no top-level equipment" in str(exc.value)


def test_unknown_equipment_in_a_location_and_a_pin_where_its_equipment_is_not(catalogue):
    with pytest.raises(InputError) as exc:
        build_problem(two_places(locations={"home": ["bodyweight", "dumbell"], "gym": GYM}), catalogue)
    assert exc.value.field == "locations.home[1]" and "dumbbell" in str(exc.value)
    with pytest.raises(InputError) as exc:
        build_problem(two_places(pinned=[{"day": "mon", "exercise": "lying_leg_curl"}]), catalogue)
    assert exc.value.field == "pinned[0]" and "home" in str(exc.value)


def test_outputs_say_where_each_day_is(catalogue, solved):
    sc = two_places()
    result, _ = solved(sc)
    text = render_result(result, "table")
    assert "Mon at home" in text and "Thu at gym" in text
    assert '"at": "gym"' in render_result(result, "json")
    assert render_result(result, "csv").splitlines()[0].startswith("day,at,order")


# Compare and value of equipment per location ---------------------------------------


def test_value_of_equipment_at_one_place(catalogue, solved):
    sc = two_places(targets={"quadriceps": {"min": 8}, "hamstrings": {"min": 8}})
    value = value_of_equipment(sc, catalogue, at="home", workers=1, seed=0)
    assert value.parameters["at"] == "home" and tuple(value.base.equipment) == tuple(sorted(HOME))
    items = {v.items[0] for v in value.singles}
    assert "leg_curl_machine" in items  # not at home, so it is a candidate there
    def alone(v):
        return sc.model_copy(update={"locations": {"home": [*HOME, *v.items], "gym": GYM}})

    for v in value.singles:  # every plan, by the checker, against its own scenario
        assert not set(v.items) & set(HOME)
        assert variant_scenario(sc, Variant(v.name, tuple(v.outcome.equipment), "home")).locations == {
            "home": sorted({*HOME, *v.items}), "gym": GYM}
        if v.outcome.result.status.has_plan:
            assert_valid(alone(v), catalogue, v.outcome.result)
    # Three singles re-solved on their own (tests/test_compare.py re-solves every single of a one-place week).
    for v in [*value.singles[:2], next(v for v in value.singles if v.items[0] == "leg_curl_machine")]:
        own, _ = solved(alone(v))
        assert [(t.name, t.value) for t in v.outcome.result.objective_terms] == [(t.name, t.value) for t in own.objective_terms]


def test_compare_profiles_at_one_place_and_its_errors(catalogue):
    sc = two_places()
    variants = make_variants(sc, catalogue, ["scenario", "bodyweight"], at="gym")
    assert [(v.name, v.at) for v in variants] == [("scenario", "gym"), ("bodyweight", "gym")]
    assert variants[0].equipment == tuple(sorted(GYM))
    assert variant_scenario(sc, variants[1]).locations == {"home": HOME, "gym": ["bodyweight"]}
    with pytest.raises(InputError, match="unknown location 'hom'.*did you mean home"):
        make_variants(sc, catalogue, ["bodyweight"], at="hom")
    with pytest.raises(InputError, match="every day names a location"):
        value_of_equipment(sc, catalogue, workers=1, seed=0)
    lonely = two_places(locations={"home": HOME, "gym": GYM, "park": ["bodyweight"]})
    with pytest.raises(InputError, match="no day of the scenario is at park"):
        make_variants(lonely, catalogue, ["bodyweight"], at="park")


def test_cli_compare_at_an_unknown_place_is_one_line():
    from typer.testing import CliRunner

    from optimizer.cli import app

    r = CliRunner().invoke(app, ["compare", "home_and_gym", "--value-of-equipment", "--at", "hme", "--time-limit", "1"])
    assert r.exit_code == 1
    assert r.output.strip().count("\n") == 0 and "--at: unknown location 'hme' (did you mean home?)" in r.output
