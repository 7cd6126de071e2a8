"""What a Python user expects of a command and a package: --version, -h, whole command
summaries, readable help, comma lists, catalogue listings, init, example names in the
library, and a wheel that works installed elsewhere (presets, bench instances, examples)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from optimizer import check_result, load_catalogue, load_scenario
from optimizer.cli import app
from optimizer.result import SolveResult

from .conftest import EXAMPLES, MULTI_WEEK, ROOT, SCENARIOS

MULTI_WEEK_NAMES = {p.stem for p in MULTI_WEEK}

runner = CliRunner()
COMMANDS = [[], ["solve"], ["check"], ["schema"], ["explain"], ["compare"], ["bench"], ["init"], ["catalogue"], ["catalogue", "list"],
            ["catalogue", "show"], ["catalogue", "equipment"], ["catalogue", "muscles"], ["catalogue", "import"], ["catalogue", "import", "free-exercise-db"]]


def invoke(*args: str):
    return runner.invoke(app, list(args), prog_name="programme")


def test_version_and_short_help():
    res = invoke("--version")
    assert res.exit_code == 0 and re.fullmatch(r"programme-optimiser \d+\.\d+\.\d+\S*\n", res.output)
    assert invoke("-h").output == invoke("--help").output
    assert invoke("solve", "-h").exit_code == 0 and "Usage: programme solve" in invoke("solve", "-h").output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "programme")
def test_help_has_whole_summaries_and_no_python_types(command):
    res = invoke(*command, "--help")
    assert res.exit_code == 0, res.output
    text = res.output
    usage, body = text.split("\n", 1)
    assert "..." not in body, text  # no summary cut short (the usage line may say COMMAND [ARGS]...)
    assert not re.search(r"<[a-z][\w\[\]|, ]*>", text), text  # <list[Path]>, <str>, <int>...
    assert "{" not in usage, text


def test_shell_completion_is_on():
    """Typer detects the shell from the process tree, which a test runner's workers may not
    show; its test switch makes --show-completion take the shell by name instead."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")
    from pathlib import Path

    command = Path(sys.executable).with_name("programme")  # the installed command: completion is keyed by its name
    res = subprocess.run([str(command), "--show-completion", "bash"], capture_output=True, text=True, env=env, timeout=60)
    assert res.returncode == 0 and "programme" in res.stdout and "complete" in res.stdout, res.stdout + res.stderr


def test_comma_lists_equal_repeated_options():
    one = invoke("catalogue", "list", "-e", "dumbbell,bench", "-e", "bodyweight", "-f", "json")
    many = invoke("catalogue", "list", "-e", "dumbbell", "-e", "bench", "-e", "bodyweight", "-f", "json")
    assert one.exit_code == 0 and json.loads(one.output) == json.loads(many.output)
    assert 0 < len(json.loads(one.output)) < len(json.loads(invoke("catalogue", "list", "-f", "json").output))
    bad = invoke("catalogue", "list", "-e", "dumbbell,dumbell")
    assert bad.exit_code == 1 and "did you mean dumbbell" in bad.output


def test_catalogue_list_search():
    rows = json.loads(invoke("catalogue", "list", "--search", "Calf RAISE", "-f", "json").output)
    cat = load_catalogue()
    expected = {e.id for e in cat.exercises if "calf" in (e.id + e.name + e.description).lower() and "raise" in (e.id + e.name + e.description).lower()}
    assert rows and {r["id"] for r in rows} == expected
    assert invoke("catalogue", "list", "--search", "no such exercise zzz").output.startswith("(none)")


def test_catalogue_equipment_and_muscles_list_every_id():
    cat = load_catalogue()
    eq = json.loads(invoke("catalogue", "equipment", "-f", "json").output)
    assert [r["id"] for r in eq] == [e.id for e in cat.equipment]
    assert {r["id"]: r["exercises"] for r in eq}["bodyweight"] == sum(1 for x in cat.exercises if "bodyweight" in x.equipment_ids())
    mus = json.loads(invoke("catalogue", "muscles", "-f", "json").output)
    assert {r["id"] for r in mus} == cat.unit_ids()
    assert {r["id"] for r in mus if r["kind"] == "group"} == set(cat.group_by_id)
    md = invoke("catalogue", "muscles", "-f", "markdown").output
    assert md.startswith("| id | kind |")


def test_init_writes_an_example_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "mine.yaml"
    assert invoke("init", str(out)).exit_code == 0
    example = (SCENARIOS / "home_balls_and_bands.yaml").read_text()
    # The same text, but for the schema line: the copy points at the installed schema (tests/test_schemas.py).
    assert out.read_text().split("\n", 1)[1] == example.split("\n", 1)[1]
    written = out.read_text()
    again = invoke("init", "gym", str(out))
    assert again.exit_code == 1 and "already exists" in again.output and out.read_text() == written
    assert invoke("init", "gym", str(out), "--force").exit_code == 0
    assert load_scenario(out) == load_scenario(SCENARIOS / "gym.yaml")
    js = tmp_path / "mine.json"
    assert invoke("init", "knee_safe", str(js)).exit_code == 0
    assert load_scenario(js) == load_scenario(SCENARIOS / "knee_safe.yaml")
    bad = invoke("init", "gymm", str(tmp_path / "x.yaml"))
    assert bad.exit_code == 1 and "did you mean gym" in bad.output and not (tmp_path / "x.yaml").exists()
    assert invoke("init", "gym", str(tmp_path / "x.txt")).exit_code == 1
    assert invoke("init", "a", "b", "c").exit_code == 2


def test_load_scenario_takes_example_names():
    assert load_scenario("gym") == load_scenario(SCENARIOS / "gym.yaml")
    from optimizer import InputError

    with pytest.raises(InputError, match="file not found"):
        load_scenario("no_such_example")


def test_license_and_py_typed():
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert (ROOT / "optimizer" / "py.typed").exists()


# A wheel installed elsewhere --------------------------------------------------------------


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build the wheel and install it (no dependencies: they are this interpreter's) into a
    folder outside the checkout; returns (site folder, environment to run it with)."""
    pytest.importorskip("hatchling")
    tmp = tmp_path_factory.mktemp("wheel")
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp / "dist"), str(ROOT)],
                           capture_output=True, text=True)
    assert build.returncode == 0, build.stderr
    wheel = next((tmp / "dist").glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert {"optimizer/py.typed", "optimizer/_presets/workers8.toml", "optimizer/_instances/gen_home_3d_30.yaml",
            "optimizer/_schemas/scenario.json", "optimizer/_schemas/plan.json", "optimizer/_schemas/programme.json"} <= set(names)
    assert any(n.endswith("licenses/LICENSE") for n in names)
    site = tmp / "site"
    inst = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(site), str(wheel)],
                          capture_output=True, text=True)
    assert inst.returncode == 0, inst.stderr
    return site, {"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin", "HOME": str(tmp)}


def run_installed(installed, cwd, *args, code=None):
    site, env = installed
    argv = [sys.executable, "-c", code] if code else [sys.executable, "-c", "from optimizer.cli import main; main()", *args]
    return subprocess.run(argv, capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


@pytest.mark.slow
def test_installed_wheel_runs_presets_bench_init_and_every_example(installed, tmp_path, catalogue):
    site, _ = installed
    where = run_installed(installed, tmp_path, code="import optimizer.paths as p; print(p.presets_dir(), p.instances_dir(), p.examples_dir())")
    assert where.returncode == 0 and all(part.startswith(str(site)) for part in where.stdout.split()), where.stdout + where.stderr

    solve = run_installed(installed, tmp_path, "solve", "gym", "--preset", "workers8", "--workers", "1", "-f", "json")
    assert solve.returncode == 0, solve.stderr
    result = SolveResult.model_validate_json(solve.stdout)
    assert result.parameters["workers"] == 1 and check_result(load_scenario("gym"), catalogue, result).ok

    bench = run_installed(installed, tmp_path, "bench", "gen_home_3d_30", "--preset", "default,workers8", "--seeds", "1", "--time-limit", "1",
                          "--output", str(tmp_path / "r.csv"), "-f", "csv")
    assert bench.returncode == 0, bench.stderr
    rows = (tmp_path / "r.csv").read_text().splitlines()
    assert len(rows) == 3 and all(",gen_home_3d_30," in r or "gen_home_3d_30" in r for r in rows[1:])

    init = run_installed(installed, tmp_path, "init", "seed000_split", "start.yaml")
    assert init.returncode == 0 and yaml.safe_load((tmp_path / "start.yaml").read_text())["name"] == load_scenario("seed000_split").name
    # The copy points at the schema inside the installed package, which 'programme schema' prints.
    first = (tmp_path / "start.yaml").read_text().splitlines()[0]
    assert first == f"# yaml-language-server: $schema={(site / 'optimizer' / '_schemas' / 'scenario.json').as_uri()}", first
    schema = run_installed(installed, tmp_path, "schema", "scenario")
    assert schema.returncode == 0 and schema.stdout == (site / "optimizer" / "_schemas" / "scenario.json").read_text()

    # Every example, by name, through the library of the installed wheel: loaded and built
    # into its solver-ready problem with the wheel's catalogue (solving each is
    # tests/test_examples.py's job, in-tree; the gym week above was solved from the wheel).
    code = (
        "import json; from optimizer import *; from optimizer.paths import documents, examples_dir\n"
        "cat = load_catalogue(); out = {}\n"
        "for p in documents(examples_dir()):\n"
        "    sc = load_scenario(p.stem)\n"
        "    out[p.stem] = [sc.weeks, len(build_problem(sc, cat).exercises)]\n"
        "print(json.dumps(out))\n"
    )
    every = run_installed(installed, tmp_path, code=code)
    assert every.returncode == 0, every.stderr
    built = json.loads(every.stdout)
    assert set(built) == {p.stem for p in EXAMPLES}
    for name, (weeks, exercises) in built.items():
        assert exercises > 0 and (weeks > 1) == (name in MULTI_WEEK_NAMES), (name, weeks, exercises)
