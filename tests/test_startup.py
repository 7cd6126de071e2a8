"""Start-up (issue 13): the catalogue cache, the C YAML loader's error lines, lazy imports.

Speed itself is measured by benchmarks/bench_startup.py, never here: these tests check
what must hold for it to be right (a cache that is never stale, what a command imports).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from optimizer import catalogue_load as catalogue_module
from optimizer import tables
from optimizer import load_catalogue
from optimizer.catalogue import Catalogue
from optimizer.catalogue_cache import FORMAT, cache_dir, read_entry, write_entry
from optimizer.errors import InputError
from optimizer.paths import builtin_catalogue_dir

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh cache folder, and a counter of real (uncached) catalogue builds."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("PROGRAMME_NO_CACHE", raising=False)
    builds = []
    real = catalogue_module._build

    def counting(*args):
        builds.append(1)
        return real(*args)

    monkeypatch.setattr(catalogue_module, "_build", counting)
    return builds


@pytest.fixture
def folder(tmp_path):
    """A private copy of the built-in catalogue, to edit."""
    dst = tmp_path / "cat"
    shutil.copytree(builtin_catalogue_dir(), dst)
    return dst


def entries() -> list[Path]:
    return sorted(cache_dir().glob("catalogue-*.json"))


def test_hit_after_miss_and_same_catalogue(cache, folder):
    first = load_catalogue([folder], builtin=False)
    assert len(cache) == 1 and len(entries()) == 1
    again = load_catalogue([folder], builtin=False)
    assert len(cache) == 1, "the second load should come from the cache"
    assert again == first
    assert again.exercise_by_id.keys() == first.exercise_by_id.keys()


def test_content_change_invalidates_and_touch_does_not(cache, folder):
    legs = folder / "exercises" / "legs.yaml"
    load_catalogue([folder], builtin=False)
    legs.write_bytes(legs.read_bytes())  # new mtime, same content: still a hit
    load_catalogue([folder], builtin=False)
    assert len(cache) == 1
    text = legs.read_text()
    ex = load_catalogue([folder], builtin=False).exercises[0]
    legs.write_text(text.replace(f"name: {ex.name}", "name: Renamed for the test", 1))
    changed = load_catalogue([folder], builtin=False)
    assert len(cache) == 2
    assert changed.exercise(ex.id).name == "Renamed for the test"
    legs.write_text(text)  # back to the original content: its entry is still there
    assert load_catalogue([folder], builtin=False).exercise(ex.id).name == ex.name
    assert len(cache) == 2 and len(entries()) == 2


def test_added_file_and_extra_folder_change_the_key(cache, folder, tmp_path):
    base = load_catalogue()
    extra = tmp_path / "extra"
    (extra / "exercises").mkdir(parents=True)
    one = base.exercises[0].model_dump(exclude_none=True, exclude={"variant_of"}) | {"id": "cache_test_copy"}
    (extra / "exercises" / "mine.yaml").write_text(yaml.safe_dump({"exercises": [one]}))
    merged = load_catalogue([extra])
    assert "cache_test_copy" in merged.exercise_by_id
    assert "cache_test_copy" not in load_catalogue().exercise_by_id
    (extra / "exercises" / "more.yaml").write_text(yaml.safe_dump({"exercises": [one | {"id": "cache_test_two"}]}))
    assert "cache_test_two" in load_catalogue([extra]).exercise_by_id


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]),  # torn
        lambda p: p.write_bytes(b"\x00\xff garbage"),  # not ours at all
        lambda p: p.write_bytes(p.read_bytes().replace(b'"exercises"', b'"exercisez"', 1)),  # fails validation
        lambda p: p.write_bytes(FORMAT + b"0" * 40 + b"\n" + p.read_bytes().split(b"\n", 2)[2]),  # another key
    ],
    ids=["truncated", "garbage", "invalid", "wrong-key"],
)
def test_corrupt_entry_is_ignored_and_rewritten(cache, folder, damage):
    good = load_catalogue([folder], builtin=False)
    (entry,) = entries()
    damage(entry)
    assert load_catalogue([folder], builtin=False) == good
    assert len(cache) == 2, "a damaged entry must be rebuilt, not used"
    assert load_catalogue([folder], builtin=False) == good
    assert len(cache) == 2, "and the rebuilt entry is used next time"


def test_unreadable_entry_is_ignored(cache, folder):
    good = load_catalogue([folder], builtin=False)
    (entry,) = entries()
    entry.unlink()
    entry.mkdir()  # unreadable as a file, and it cannot be replaced either
    assert load_catalogue([folder], builtin=False) == good
    assert len(cache) == 2 and entry.is_dir()


def test_disabled_by_environment(cache, folder, monkeypatch):
    monkeypatch.setenv("PROGRAMME_NO_CACHE", "1")
    assert cache_dir() is None
    load_catalogue([folder], builtin=False)
    load_catalogue([folder], builtin=False)
    assert len(cache) == 2
    assert not (Path(os.environ["XDG_CACHE_HOME"])).exists()


def test_cache_dir_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv("PROGRAMME_NO_CACHE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "programme-optimiser"
    for unusable in ("", "relative/cache"):  # the XDG spec: ignore these, use ~/.cache
        monkeypatch.setenv("XDG_CACHE_HOME", unusable)
        assert cache_dir() == tmp_path / ".cache" / "programme-optimiser"
    monkeypatch.setenv("PROGRAMME_NO_CACHE", "0")
    assert cache_dir() is not None


def test_unwritable_cache_still_loads(cache, folder, tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_catalogue([folder], builtin=False).exercises
    assert load_catalogue([folder], builtin=False).exercises
    assert len(cache) == 2


def test_bad_input_is_reported_with_its_line_and_not_cached(cache, folder):
    legs = folder / "exercises" / "legs.yaml"
    lines = legs.read_text().splitlines()
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("- id:")) + 1
    lines.insert(at, "    name: [unclosed, flow")  # a YAML syntax error on line at + 1
    legs.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as err:
        load_catalogue([folder], builtin=False)
    assert err.value.file == str(legs) and err.value.line is not None and at + 1 <= err.value.line <= at + 3
    assert "YAML syntax error" in str(err.value)
    assert not cache_dir().exists() or not entries()


def test_c_and_pure_yaml_loaders_agree_on_the_catalogue():
    if not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    for path in sorted(builtin_catalogue_dir().rglob("*.yaml")):
        text = path.read_text()
        assert yaml.load(text, Loader=yaml.CSafeLoader) == yaml.safe_load(text), path


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from optimizer import load_catalogue
    from optimizer.catalogue import Catalogue
    from optimizer.catalogue_cache import read_entry, write_entry

    path, key, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    cat = load_catalogue()
    for _ in range(rounds):
        assert write_entry(path, key, cat)
        got = read_entry(path, key, Catalogue)  # the other writer may have replaced it: whole, or not at all
        assert got == cat, "a torn or foreign entry was read"
    print("ok")
    """
)


def test_concurrent_writers_do_not_corrupt(tmp_path):
    path, key = tmp_path / "c" / ("catalogue-" + "a" * 40 + ".json"), "a" * 40
    env = dict(os.environ, PROGRAMME_NO_CACHE="1")
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), key, "25"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1][-2000:] for o in outs]
    assert read_entry(path, key, Catalogue) == load_catalogue()
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name], "no temporary file left behind"


def test_concurrent_first_loads_share_one_entry(tmp_path):
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    code = "from optimizer import load_catalogue; print(len(load_catalogue().exercises))"
    procs = [subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    n = len(load_catalogue().exercises)
    assert outs == [f"{n}\n", f"{n}\n"]
    files = list((tmp_path / "xdg" / "programme-optimiser").iterdir())
    assert len(files) == 1 and files[0].name.startswith("catalogue-")


def test_write_entry_refuses_quietly_when_it_cannot(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert write_entry(blocker / "sub" / "catalogue-x.json", "x", load_catalogue()) is False


# What a command imports --------------------------------------------------------------

HEAVY = ("ortools", "pandas", "numpy", "pydantic", "yaml", "matplotlib")


def imported_after(argv: list[str], env: dict | None = None) -> tuple[set[str], str]:
    """Top-level packages imported by running ``programme ARGV`` in a fresh interpreter."""
    code = textwrap.dedent(
        f"""
        import json, sys
        sys.argv = ["programme"] + {argv!r}
        from optimizer.cli import main
        try:
            main()
        except SystemExit:
            pass
        sys.stdout.flush()
        print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}})), file=sys.stderr)
        """
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    return set(json.loads(run.stderr.strip().splitlines()[-1])), run.stdout


@pytest.mark.parametrize("argv", [["--help"], ["catalogue", "--help"], ["solve", "--help"], ["bench", "--help"]])
def test_help_imports_nothing_heavy(argv):
    mods, out = imported_after(argv)
    assert "Usage" in out
    # A command's own options go through typer's parameter adapters, which import
    # pydantic (typer's choice, not ours); the top-level help does not.
    heavy = set(HEAVY) - ({"pydantic"} if argv != ["--help"] else set())
    assert not mods.intersection(heavy), sorted(mods.intersection(heavy))


SOLVE_WITHOUT_PANDAS = textwrap.dedent(
    """
    import json, sys
    from optimizer import check_result, load_catalogue, load_scenario, solve
    from optimizer.render import render_result

    sc, cat = load_scenario(sys.argv[1]), load_catalogue()
    result = solve(sc, cat, workers=1, seed=0)
    out = "".join(render_result(result, f) for f in ("json", "table", "markdown"))
    report = check_result(sc, cat, result)
    before = "pandas" in sys.modules
    # cp_model's own pandas helpers still work: they import pandas when called.
    import pandas as pd
    from ortools.sat.python import cp_model

    m = cp_model.CpModel()
    xs = m.new_int_var_series("x", pd.Index(range(3)), 0, 5)
    m.add(sum(xs) >= 4)
    m.minimize(xs.iloc[0] + 2 * xs.iloc[1] + 3 * xs.iloc[2])
    s = cp_model.CpSolver()
    s.parameters.num_workers = 1
    s.parameters.random_seed = 0
    assert s.solve(m) == cp_model.OPTIMAL
    print(json.dumps({"status": result.status.value, "ok": report.ok, "pandas_before": before,
                      "values": s.values(xs).tolist(), "json": len(out)}))
    """
)


def test_a_solve_does_not_import_pandas_and_cp_model_pandas_helpers_still_work():
    scenario = ROOT / "scenarios" / "home_balls_and_bands.yaml"
    run = subprocess.run([sys.executable, "-c", SOLVE_WITHOUT_PANDAS, str(scenario)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["status"] == "OPTIMAL" and got["ok"], got  # the plan passed the independent checker
    assert got["pandas_before"] is False, "solving imported pandas"
    assert got["values"] == [4, 0, 0]


# Tables without pandas (optimizer/tables.py) print what pandas prints -------------------


_floats = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False) | st.sampled_from([0.0, 1e-7, 2.5e-5, 1234567.5, 0.1 + 0.2])
_text = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=12)
_column = st.one_of(
    st.lists(st.integers(-10**6, 10**6), min_size=1, max_size=6),
    st.lists(_floats, min_size=1, max_size=6),
    st.lists(st.one_of(st.integers(-999, 999), _floats), min_size=1, max_size=6),
    st.lists(st.one_of(st.none(), _floats), min_size=1, max_size=6),
    st.lists(st.booleans(), min_size=1, max_size=6),
    st.lists(_text, min_size=1, max_size=6),
    st.lists(st.one_of(_text, _floats, st.integers(-99, 99), st.none()), min_size=1, max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.text("abcxyz_", min_size=1, max_size=9), _column), min_size=1, max_size=4))
def test_text_and_markdown_tables_match_pandas(spec):
    pd = pytest.importorskip("pandas")
    from optimizer.render import markdown_table as pandas_markdown

    n = min(len(values) for _, values in spec)
    columns = [f"{name}{j}" for j, (name, _) in enumerate(spec)]
    rows = [[values[i] for _, values in spec] for i in range(n)]
    for j in range(len(columns)):  # text with gaps: pandas 2 prints None, pandas 3 NaN (no plan table has one)
        col = [r[j] for r in rows]
        assume(not (None in col and any(isinstance(v, str) for v in col) and all(isinstance(v, (str, type(None))) for v in col)))
    df = pd.DataFrame(rows, columns=columns)
    assert tables.plain_text_table(columns, rows) == df.to_string(index=False)
    assert tables.markdown_table(columns, rows) == pandas_markdown(df)


def test_plan_tables_print_as_pandas_frames(solved):
    pd = pytest.importorskip("pandas")
    from optimizer import load_scenario
    from optimizer.render import plan_tables

    for name in ("home_balls_and_bands", "seed000_split"):
        result, _ = solved(load_scenario(ROOT / "scenarios" / f"{name}.yaml"))  # checked by the checker
        found = plan_tables(result)
        assert {"sessions", "days", "volume", "objective"} <= set(found)
        for columns, rows in found.values():
            frame = pd.DataFrame(rows, columns=columns)
            assert tables.plain_text_table(columns, rows) == frame.to_string(index=False)
            for day in {r[0] for r in found["sessions"][1]}:  # the per-day views, a filtered frame
                sub = frame[frame[columns[0]] == day] if columns == found["sessions"][0] else frame
                assert tables.plain_text_table(columns, sub.values.tolist()) == sub.to_string(index=False)


@pytest.mark.parametrize(
    "argv", [["catalogue", "list"], ["catalogue", "list", "--format", "markdown"], ["catalogue", "show", "glute_bridge"]]
)
def test_catalogue_commands_import_neither_ortools_nor_pandas(argv):
    mods, out = imported_after(argv)
    assert "glute_bridge" in out or "Glute bridge" in out
    assert not mods.intersection({"ortools", "pandas", "numpy"}), sorted(mods.intersection({"ortools", "pandas", "numpy"}))


def test_an_edit_shows_in_the_next_command(tmp_path):
    """Across processes, as a user sees it: cached, then edited, then shown edited."""
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg"))
    env.pop("PROGRAMME_NO_CACHE", None)
    extra = tmp_path / "extra"
    (extra / "exercises").mkdir(parents=True)
    mine = extra / "exercises" / "mine.yaml"
    one = load_catalogue().exercise("glute_bridge").model_dump(exclude_none=True, exclude={"variant_of"})

    def show() -> str:
        cmd = [sys.executable, "-m", "optimizer.cli", "catalogue", "show", "my_bridge", "--catalogue", str(extra), "--format", "json"]
        run = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)["name"]

    mine.write_text(yaml.safe_dump({"exercises": [one | {"id": "my_bridge", "name": "First name"}]}))
    assert show() == "First name"
    assert show() == "First name"  # from the cache
    assert len(list((tmp_path / "xdg" / "programme-optimiser").glob("catalogue-*.json"))) == 1
    mine.write_text(yaml.safe_dump({"exercises": [one | {"id": "my_bridge", "name": "Second name"}]}))
    assert show() == "Second name"
