"""Issue 12, item 10: a fuzz suite of our own.

1. Scenario files mutated by Hypothesis (a field replaced by a hostile value: wrong types,
   NaN, infinity, huge or negative numbers, unicode and lone surrogates, deep nesting;
   fields dropped or made up; keys duplicated) and fed to the CLI as YAML or JSON. Every
   run ends with exit 0 (a plan, which the independent checker accepts), 1 (one
   ``Error:`` line) or 3 (no plan), and never a traceback.
2. A mutation test of the checker: a valid plan changed so that it breaks a hard rule
   is always rejected.

Bounded and derandomised (the same examples every run), with small time limits: a few
seconds to tens of seconds of suite time.
"""

from __future__ import annotations

import json
import math

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from optimizer import load_catalogue, load_scenario
from optimizer.checker import check_plan
from optimizer.cli import app
from optimizer.result import Plan, SolveResult

from .conftest import SCENARIOS

runner = CliRunner()
BASE_PATH = SCENARIOS / "home_balls_and_bands.yaml"
BASE = yaml.safe_load(BASE_PATH.read_text())
FUZZ = settings(
    max_examples=30, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def leaves(doc, path=()):
    """Every (path, value) in a document, containers included."""
    yield path, doc
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from leaves(v, path + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from leaves(v, path + (i,))


PATHS = [p for p, _ in leaves(BASE) if p]

hostile = st.one_of(
    st.booleans(),
    st.none(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, -1, 2**31, 2**63, 10**400, 1e308, -1e308, 1e-320]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["\ud800", "x\udfff", "mon", "quadriceps", "moderate", "", "💪", "a" * 5000]),
    st.lists(st.integers(0, 5), max_size=3),
    st.dictionaries(st.sampled_from(["min", "max", "hard", "day", "x"]), st.integers(-3, 30), max_size=3),
    st.integers(min_value=60, max_value=400).map(lambda n: "[" * n + "]" * n),  # nested (as text)
)


def plausible(old):
    if isinstance(old, bool):
        return st.booleans()
    if isinstance(old, int):
        return st.integers(-2, 700)
    if isinstance(old, float):
        return st.floats(-1, 150, allow_nan=False)
    if isinstance(old, str):
        return st.sampled_from([old, old.upper(), "mon", "sun", "quadriceps", "glute_bridge", "dumbbell", "heavy"])
    return st.just(old)


def set_at(doc, path, value):
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def drop_at(doc, path):
    node = doc
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]


@st.composite
def mutated(draw):
    """(text, suffix): the base scenario with one to three mutations, as YAML or JSON."""
    doc = json.loads(json.dumps(BASE))
    nested = None
    for _ in range(draw(st.integers(1, 2))):
        paths = [p for p, _ in leaves(doc) if p]
        path = draw(st.sampled_from(paths))
        kind = draw(st.sampled_from(["plausible", "plausible", "plausible", "replace", "replace", "drop", "add"]))
        try:
            if kind == "plausible":  # the same type, any size: often still a valid scenario
                old = dict(leaves(doc))[path]
                set_at(doc, path, draw(plausible(old)))
            elif kind == "drop":
                drop_at(doc, path)
            elif kind == "add":
                node = doc
                for part in path[:-1]:
                    node = node[part]
                if isinstance(node, dict):
                    node[draw(st.sampled_from(["extra", "minutes", "min", "hard", "day"]))] = draw(hostile)
            else:
                value = draw(hostile)
                if isinstance(value, str) and value.startswith("[["):
                    nested, value = value, "NESTED"
                set_at(doc, path, value)
        except (KeyError, IndexError, TypeError):
            pass
    suffix = draw(st.sampled_from([".yaml", ".json"]))
    if suffix == ".json":
        text = json.dumps(doc, allow_nan=True, ensure_ascii=draw(st.booleans()))
        if nested:
            text = text.replace('"NESTED"', nested)
    else:
        text = yaml.safe_dump(doc, allow_unicode=False)
        if nested:
            text = text.replace("NESTED", nested)
        if draw(st.integers(0, 4)) == 0:  # a key given twice
            text += draw(st.sampled_from(["name: again\n", "weeks: 2\n", "solver: {workers: 1}\n"]))
    return text, suffix


@FUZZ
@given(case=mutated())
def test_mutated_scenarios_never_crash_the_cli(tmp_path_factory, case):
    text, suffix = case
    path = tmp_path_factory.mktemp("fuzz") / f"s{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    res = runner.invoke(app, ["solve", str(path), "--format", "json", "--time-limit", "0.3", "--workers", "1", "--seed", "0"])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert res.exit_code in (0, 1, 3), (res.exit_code, res.output)
    assert "Traceback" not in res.output
    if res.exit_code == 1:
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr
    elif res.exit_code == 0:
        data = json.loads(res.stdout)
        if data.get("kind") == "programme":
            return  # a mutated 'weeks' made a programme: its plan is checked in test_programme
        result = SolveResult.model_validate(data)
        report = check_plan(load_scenario(path), load_catalogue(), result.plan)
        assert report.ok, [str(v) for v in report.violations]


@FUZZ
@given(text=st.text(max_size=200), suffix=st.sampled_from([".yaml", ".json", ".toml"]))
def test_arbitrary_text_is_a_one_line_error(tmp_path_factory, text, suffix):
    path = tmp_path_factory.mktemp("junk") / f"s{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    res = runner.invoke(app, ["solve", str(path), "--time-limit", "0.3", "--workers", "1"])
    assert res.exit_code == 1 and res.exception is None or isinstance(res.exception, SystemExit), (res.exit_code, repr(res.exception))
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr


@settings(max_examples=30, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_hostile_plan_files_for_check(base_plan, tmp_path_factory, data):
    sc, cat, plan = base_plan
    doc = {"days": plan.model_dump()["days"]}
    paths = [p for p, _ in leaves(doc) if p]
    set_at(doc, data.draw(st.sampled_from(paths)), data.draw(hostile))
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    path.write_text(json.dumps(doc, allow_nan=True), encoding="utf-8", errors="surrogatepass")
    res = runner.invoke(app, ["check", str(BASE_PATH), str(path)])
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert res.exit_code in (0, 1) and "Traceback" not in res.output
    if res.exit_code == 1 and "VIOLATION" not in res.stdout:
        lines = res.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), res.stderr


# Mutation test of the checker --------------------------------------------------------


@pytest.fixture(scope="module")
def base_plan():
    sc = load_scenario(BASE_PATH)
    cat = load_catalogue()
    from optimizer import solve

    result = solve(sc, cat, workers=1, seed=0, time_limit_s=10)
    assert result.status.has_plan
    assert check_plan(sc, cat, result.plan).ok
    return sc, cat, result.plan


def _unusable(sc, cat):
    owned = set(sc.equipment)
    return [e.id for e in cat.exercises if not e.needs(owned)]


MUTATIONS = ["sets_high", "sets_low", "unowned", "foreign_day", "duplicate", "crowd", "scheme", "unknown", "every_day", "drop_required", "overtime"]


@settings(max_examples=60, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(MUTATIONS), pick=st.integers(0, 10_000))
def test_every_mutated_plan_is_rejected(base_plan, kind, pick):
    sc, cat, plan = base_plan
    data = plan.model_dump()
    busy = [d for d in data["days"] if d["exercises"]]
    day = busy[pick % len(busy)]
    entry = day["exercises"][pick % len(day["exercises"])]
    smin, smax = sc.rules.sets_per_exercise.min, sc.rules.sets_per_exercise.max
    if kind == "sets_high":
        entry["sets"] = smax + 1 + pick % 5
    elif kind == "sets_low":
        entry["sets"] = smin - 1 - pick % max(1, smin)
    elif kind == "unowned":
        entry["exercise"] = _unusable(sc, cat)[pick % len(_unusable(sc, cat))]
    elif kind == "foreign_day":
        free = [d for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun") if d not in {x.day for x in sc.days}]
        day["day"] = free[pick % len(free)]
    elif kind == "duplicate":
        day["exercises"].append(dict(entry))
    elif kind == "crowd":
        others = [e.id for e in cat.exercises if e.needs(set(sc.equipment)) and e.id not in {x["exercise"] for x in day["exercises"]}]
        while len(day["exercises"]) <= sc.rules.max_exercises_per_session:
            day["exercises"].append(dict(entry, exercise=others.pop(pick % len(others))))
    elif kind == "scheme":
        ex = cat.exercise_by_id[entry["exercise"]]
        entry["scheme"] = ([s.id for s in cat.rep_schemes if s.id not in ex.rep_schemes] or ["no_such_scheme"])[0]
    elif kind == "unknown":
        entry["exercise"] = f"no_such_exercise_{pick}"
    elif kind == "every_day":
        for d in data["days"]:
            if all(x["exercise"] != entry["exercise"] for x in d["exercises"]):
                d["exercises"].append(dict(entry))
        assert len(data["days"]) > sc.rules.max_days_per_exercise
    elif kind == "drop_required":
        if not sc.required:
            return
        for d in data["days"]:
            d["exercises"] = [x for x in d["exercises"] if x["exercise"] not in sc.required]
    elif kind == "overtime":
        budget = next(x.minutes for x in sc.days if x.day == day["day"])
        entry["sets"] = smax
        while sum(x["sets"] * x["set_seconds"] + x["setup_s"] for x in day["exercises"]) <= budget * 60:
            day["exercises"].append(dict(entry, exercise=f"{entry['exercise']}"))  # a repeat: more time, and a duplicate
    report = check_plan(sc, cat, Plan.model_validate(data))
    assert not report.ok, (kind, data)
    assert all(math.isfinite(v) for v in report.terms.values())
