"""`programme compare`: every format, --output/--force, --plot, and exit codes."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest
import yaml
from .conftest import SCENARIOS, assert_valid, load_example
from typer.testing import CliRunner

from optimizer import load_scenario
from optimizer.cli import app
from optimizer.compare import Comparison, EquipmentValue, Variant, render_value, variant_scenario

RUN = ["--workers", "1", "--seed", "0"]
HOME = str(SCENARIOS / "home_balls_and_bands.yaml")
# Both variants proven in well under their share (the home example's bodyweight-only week
# is a tight packing that may not be, and an unproven plan depends on the machine's load).
QUICK = str(SCENARIOS / "time_crunched_20min.yaml")
TWO = [QUICK, "--profile", "bodyweight", "--profile", "balls_and_bands", *RUN]


def invoke(*args):
    return CliRunner().invoke(app, ["compare", *args])


@pytest.fixture(scope="module")
def as_json(catalogue):
    res = invoke(*TWO, "--format", "json")
    assert res.exit_code == 0, res.output
    return Comparison.model_validate_json(res.stdout)


def test_json_holds_both_variants_with_valid_plans(as_json, catalogue):
    sc = load_example("time_crunched_20min")
    assert [v.name for v in as_json.variants] == ["bodyweight", "balls_and_bands"]
    params = dict(as_json.parameters)
    per_solve = params.pop("time_limit_per_solve_s")
    assert params == {"time_limit_s": 10.0, "workers": 1, "seed": 0}  # the whole command's limit
    assert 0 < per_solve <= 8.0  # its share for each round of solves side by side
    assert all(v.result.parameters["time_limit_s"] == per_solve for v in as_json.variants)
    for v in as_json.variants:
        assert_valid(variant_scenario(sc, Variant(v.name, tuple(v.equipment))), catalogue, v.result)
    assert [(d.before, d.after) for d in as_json.diffs] == [("bodyweight", "balls_and_bands")]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_text_formats_show_every_section(fmt, as_json):
    res = invoke(*TWO, "--format", fmt)
    assert res.exit_code == 0, res.output
    for heading in ("Status", "Objective terms", "Weekly volume", "Balance", "Minutes used", "Exercises", "Differences"):
        assert heading in res.stdout
    for v in as_json.variants:  # same plans as the json run: same exercise names appear
        for _, x in v.result.plan.entries():
            assert x.name in res.stdout
    if fmt == "markdown":
        assert "| term | unit | bodyweight | balls_and_bands |" in res.stdout


def test_csv_is_tidy_and_matches_json(as_json):
    res = invoke(*TWO, "--format", "csv")
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout), keep_default_na=False)
    assert list(df.columns) == ["section", "item", "column", "value"]
    terms = df[df.section == "Objective terms"]
    for v in as_json.variants:
        for t in v.result.objective_terms:
            cell = terms[(terms["item"] == t.name) & (terms["column"] == v.name)]["value"]
            assert float(cell.iloc[0]) == pytest.approx(t.value, abs=0.01)


def test_output_force_and_plot(tmp_path):
    out, png, svg = tmp_path / "c.md", tmp_path / "v.png", tmp_path / "v.svg"
    res = invoke(*TWO, "--format", "markdown", "--output", str(out), "--plot", str(png))
    assert res.exit_code == 0, res.output
    assert out.read_text().startswith("# Equipment compared")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Existing files: refused before any solve, untouched; --force replaces them.
    before = out.read_text()
    res = invoke(*TWO, "--output", str(out))
    assert res.exit_code == 1 and "already exists" in res.stderr and out.read_text() == before
    res = invoke(*TWO, "--plot", str(png))
    assert res.exit_code == 1 and "already exists" in res.stderr
    res = invoke(*TWO, "--plot", str(svg), "--output", str(out), "--force")
    assert res.exit_code == 0, res.output
    assert "<svg" in svg.read_text()


@pytest.mark.parametrize(
    "args, code, words",
    [
        ([HOME, "--profile", "hom_dumbbells"], 1, "did you mean home_dumbbells"),
        ([HOME, "--equipment", "bodyweight,dumbell"], 1, "did you mean dumbbell"),
        ([HOME, "--plot", "x.pdf"], 1, ".png or .svg"),
        ([HOME, "--pairs"], 2, "--value-of-equipment"),
        ([HOME, "--value-of-equipment", "--profile", "bodyweight"], 2, "--profile"),
        ([HOME, "--format", "yaml"], 2, "yaml"),
        (["no_such_scenario"], 1, "file not found"),
    ],
)
def test_bad_input_and_usage(args, code, words):
    res = invoke(*args)
    assert res.exit_code == code, res.output
    assert words in res.stderr
    assert "Traceback" not in res.output


def test_profiles_file(tmp_path):
    f = tmp_path / "mine.json"
    f.write_text(json.dumps({"bands": ["bodyweight", "resistance_band"]}))
    res = invoke(HOME, "--profiles", str(f), "--profile", "bands", *RUN, "--format", "json")
    assert res.exit_code == 0, res.output
    comp = Comparison.model_validate_json(res.stdout)
    assert [(v.name, v.equipment) for v in comp.variants] == [("bands", ["bodyweight", "resistance_band"])]
    f.write_text(json.dumps({"bands": ["bodyweight", "resistance_bands"]}))
    res = invoke(HOME, "--profiles", str(f), "--profile", "bands")
    assert res.exit_code == 1 and f"{f}:1: bands[1]: unknown equipment 'resistance_bands'" in res.stderr


def test_no_plan_for_any_variant_exits_3():
    res = invoke(str(SCENARIOS / "infeasible_time_vs_volume.yaml"), "--profile", "bodyweight", "--profile", "scenario", *RUN)
    assert res.exit_code == 3, res.output
    assert "INFEASIBLE" in res.stdout


def test_value_of_equipment_formats(tmp_path, catalogue):
    # Everything but two items: two candidates, quick.
    data = yaml.safe_load((SCENARIOS / "home_balls_and_bands.yaml").read_text())
    data["equipment"] = [e.id for e in catalogue.equipment if e.id not in ("box", "leg_press")]
    data["athlete"] = {"level": "intermediate"}
    f = tmp_path / "s.yaml"
    f.write_text(yaml.safe_dump(data))
    res = invoke(str(f), "--value-of-equipment", "--pairs", *RUN, "--format", "json")
    assert res.exit_code == 0, res.output
    value = EquipmentValue.model_validate_json(res.stdout)
    assert sorted(v.items[0] for v in value.singles) == ["box", "leg_press"]
    assert value.best_pair is not None and value.best_pair.items == ["box", "leg_press"]
    sc = load_scenario(f)
    for o in [value.base, value.best_pair.outcome] + [v.outcome for v in value.singles]:
        assert_valid(sc.model_copy(update={"equipment": o.equipment}), catalogue, o.result)
    # The other formats render the same value (rendering is the library's, as the CLI's).
    df = pd.read_csv(io.StringIO(render_value(value, "csv")), keep_default_na=False)
    assert list(df["add"])[1:3] == [v.name for v in value.singles]  # same ranking
    assert df["rank"].iloc[-1] == "best pair" and df["add"].iloc[-1] == "Box or step + Leg press"
    for fmt in ("table", "markdown"):
        text = render_value(value, fmt)
        assert "Adding one item" in text
        # The solves shared the command's limit: the header says so, with each one's most.
        per = value.parameters["time_limit_per_solve_s"]
        assert f"in all, at most {per:g} s a solve" in " ".join(text.split())


def test_help_imports_nothing_heavy():
    code = (
        "import sys, optimizer.cli; "
        "print(sorted(m for m in ('pandas', 'ortools', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out.replace("'", '"')) == []


def test_a_programme_scenario_says_only_one_week_is_compared(catalogue):
    """A multi-week scenario is compared as one week at its base targets, and says so."""
    path = str(SCENARIOS / "four_week_block_deload.yaml")
    res = invoke(path, "--profile", "full_gym", *RUN)
    assert res.exit_code == 0, res.output
    assert "one week at the scenario's base targets; its 4-week progression" in res.stdout
    data = Comparison.model_validate_json(invoke(path, "--profile", "full_gym", *RUN, "--format", "json").stdout)
    assert "4-week" in data.parameters["scope"]
    sc = load_scenario(path)
    assert_valid(variant_scenario(sc, Variant("full_gym", tuple(data.variants[0].equipment))), catalogue, data.variants[0].result)
    assert "scope" not in Comparison.model_validate_json(invoke(*TWO, "--format", "json").stdout).parameters
