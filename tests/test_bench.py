"""The bench harness: metrics on fixed numbers, the summary's rule, resumable runs."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from optimizer.bench import COLUMNS, append_row, read_results, run_bench, run_in_child
from optimizer.bench_metrics import (
    adopt,
    par2,
    primal_gap,
    primal_integral,
    shifted_geometric_mean,
    time_to_within,
)
from optimizer.bench_summary import render_summary, summarise
from optimizer.cli import app
from optimizer.errors import InputError
from optimizer.presets import load_preset

from .conftest import SCENARIOS

# -- metrics ------------------------------------------------------------------------------


def test_shifted_geometric_mean_on_fixed_numbers():
    assert shifted_geometric_mean([1.0, 3.0]) == pytest.approx(math.sqrt(2 * 4) - 1)
    assert shifted_geometric_mean([1.0, 4.0], shift=0) == pytest.approx(2.0)
    assert shifted_geometric_mean([0.0, 0.0]) == pytest.approx(0.0)
    # The shift damps tiny times: 0.01 s vs 0.1 s is far from a 10x difference.
    assert shifted_geometric_mean([0.1]) / shifted_geometric_mean([0.01]) == pytest.approx(10.0)
    assert (shifted_geometric_mean([0.1]) + 1) / (shifted_geometric_mean([0.01]) + 1) < 1.1
    assert math.isnan(shifted_geometric_mean([]))
    with pytest.raises(ValueError):
        shifted_geometric_mean([-1.0])


def test_par2():
    assert par2(3.0, 10.0) == 3.0
    assert par2(10.0, 10.0) == 10.0
    assert par2(None, 10.0) == 20.0
    assert par2(10.5, 10.0) == 20.0
    assert par2(float("nan"), 5.0) == 10.0


def test_primal_gap_is_lexicographic():
    assert primal_gap([0, 10], [0, 10]) == 0.0
    assert primal_gap([0, 10], [0, 8]) == pytest.approx(0.2)
    assert primal_gap([1, 0], [0, 5]) == 1.0  # an earlier term decides
    assert primal_gap([0, None], [0, 5]) == 1.0  # not known yet
    assert primal_gap(None, [3]) == 1.0
    assert primal_gap([-2], [3]) == 1.0


def test_time_to_within_and_primal_integral():
    trace = [(1.0, [10]), (3.0, [8])]
    assert time_to_within(trace, [8]) == 3.0
    assert time_to_within(trace, [8], tol=0.25) == 1.0
    assert time_to_within(trace, [7]) is None
    # gap 1 for 1 s, 0.2 for 2 s, then 0 up to the horizon
    assert primal_integral(trace, [8], horizon=10.0) == pytest.approx(1.4)
    assert primal_integral([], [8], horizon=10.0) == pytest.approx(10.0)
    # a worse plan later does not raise the incumbent's gap
    assert primal_integral([(1.0, [8]), (2.0, [20])], [8], horizon=5.0) == pytest.approx(1.0)


@pytest.mark.parametrize(
    "ratio, lost, worst, expected",
    [
        (0.8, 0, 2.0, True),  # both limits are inclusive
        (0.5, 0, 1.0, True),
        (0.81, 0, 1.0, False),
        (0.5, 1, 1.0, False),  # loses a plan
        (0.5, 0, 2.01, False),  # more than 2x slower on one instance
    ],
)
def test_adopt_rule(ratio, lost, worst, expected):
    assert adopt(ratio, lost, worst) is expected


def _row(scenario, preset, seed, proof, plan=True, limit=10.0, values=(0, 5)):
    status = ("OPTIMAL" if proof is not None else "FEASIBLE") if plan else ("UNKNOWN" if proof is None else "INFEASIBLE")
    row = {c: "" for c in COLUMNS}
    row.update(
        scenario=scenario,
        preset=preset,
        seed=str(seed),
        time_limit_s=str(limit),
        backend="cp-sat",
        status=status,
        values=json.dumps(list(values)) if plan else "",
        time_first_plan_s="" if not plan else str(proof if proof is not None else 1.0),
        time_proof_s="" if proof is None else str(proof),
        trace=json.dumps([[proof if proof is not None else 1.0, list(values)]] if plan else []),
    )
    return row


def test_summary_ratio_wins_and_verdict():
    rows = []
    for seed in range(3):
        rows += [_row("a", "default", seed, 4.0), _row("b", "default", seed, 2.0)]
        rows += [_row("a", "fast", seed, 1.0), _row("b", "fast", seed, 1.0)]
        rows += [_row("a", "lossy", seed, 0.1), _row("b", "lossy", seed, None, plan=False)]
    s = summarise(rows, baseline="default")
    t = s.presets.set_index("preset")
    assert t.loc["default", "verdict"] == "baseline"
    assert t.loc["fast", "ratio"] == pytest.approx(1.0 / shifted_geometric_mean([4.0, 2.0] * 3), rel=1e-3)
    assert t.loc["fast", "verdict"] == "adopt"
    assert t.loc["fast", "wins"] == 2 and t.loc["fast", "losses"] == 0
    assert t.loc["lossy", "lost_plans"] == 1
    assert t.loc["lossy", "verdict"].startswith("keep baseline")
    assert t.loc["lossy", "proven<=1s"] == 3
    for fmt in ("table", "markdown", "csv"):
        assert "fast" in render_summary(s, fmt)
    with pytest.raises(InputError, match="baseline"):
        summarise(rows, baseline="defualt")


def test_slowdown_on_one_instance_blocks_adoption():
    rows = []
    for seed in range(3):
        rows += [_row(s, "default", seed, 8.0) for s in "abcd"] + [_row("e", "default", seed, 0.5)]
        rows += [_row(s, "mixed", seed, 1.0) for s in "abcd"] + [_row("e", "mixed", seed, 5.0)]
    t = summarise(rows).presets.set_index("preset")
    assert t.loc["mixed", "ratio"] <= 0.8
    assert t.loc["mixed", "worst_ratio"] == pytest.approx(6.0 / 1.5)
    assert "slower" in t.loc["mixed", "verdict"]


# -- presets ------------------------------------------------------------------------------


def test_every_committed_preset_loads():
    from optimizer.presets import available

    names = available()
    assert {"default", "highs"} <= set(names)
    for name in names:
        load_preset(name)


@pytest.mark.parametrize(
    "body, match",
    [
        ("[parameters]\nnum_worker = 8\n", "num_workers"),  # typo: close match offered
        ("[parameters]\nlinearisation_level = 2\n", "linearization_level"),
        ('[parameters]\nnum_workers = "8"\n', "integer"),
        ("[parameters]\ncp_model_presolve = 1\n", "true or false"),
        ('[parameters]\nsearch_branching = "FIXED"\n', "FIXED_SEARCH"),
        ("[parameters]\nnum_workers = 0\n", "at least 1"),
        ("[parameters]\nlog_search_progress = true\n", "--log"),
        ("[parameter]\nnum_workers = 8\n", "parameters"),
        ('backend = "gurobi"\n', "backend"),
        ('backend = "highs"\n[parameters]\nmip_gap = 0.1\n', "mip_rel_gap"),
    ],
)
def test_preset_validation_errors(tmp_path, body, match):
    f = tmp_path / "p.toml"
    f.write_text(body)
    with pytest.raises(InputError, match=match) as exc:
        load_preset(f)
    assert str(f) in str(exc.value)


def test_preset_values_and_precedence(tmp_path):
    from optimizer.presets import solve_settings

    f = tmp_path / "p.toml"
    f.write_text('[parameters]\nnum_workers = 8\nmax_time_in_seconds = 3\nsearch_branching = "FIXED_SEARCH"\nsubsolvers = ["default_lp", "max_lp"]\n')
    p = load_preset(f)
    assert p.parameters["search_branching"] == "FIXED_SEARCH"
    kw = solve_settings(p)
    assert kw["workers"] == 8 and kw["time_limit_s"] == 3.0 and kw["seed"] is None
    assert set(kw["extra_params"]) == {"search_branching", "subsolvers"}  # own settings are not passed through
    kw = solve_settings(p, time_limit_s=1.0, workers=2, seed=5)
    assert (kw["time_limit_s"], kw["workers"], kw["seed"]) == (1.0, 2, 5)  # explicit flags win
    with pytest.raises(InputError, match="preset not found"):
        load_preset("no_such_preset")


def test_solve_with_preset_parameters(solved, tmp_path):
    from optimizer.presets import solve_settings

    from .conftest import load_example

    f = tmp_path / "p.toml"
    f.write_text('[parameters]\nlinearization_level = 2\nsubsolvers = ["default_lp", "max_lp"]\nsearch_branching = 5\n')
    kw = solve_settings(load_preset(f), workers=2, seed=0)
    assert kw["extra_params"]["search_branching"] == "PORTFOLIO_WITH_QUICK_RESTART_SEARCH"
    result, _ = solved(load_example("home_balls_and_bands"), **kw)
    assert result.parameters["linearization_level"] == 2


# -- the runner ---------------------------------------------------------------------------


def test_bench_resumes_after_an_interruption(tmp_path):
    """A real bench (child processes), cut short, then resumed: only missing rows run."""
    out = tmp_path / "results.csv"
    inst = [SCENARIOS / "home_balls_and_bands.yaml"]
    presets = [load_preset("default")]
    assert run_bench(inst, presets, seeds=2, time_limit_s=5, output=out) == 2
    rows = read_results(out)
    assert [(r["seed"], r["status"], r["checked"]) for r in rows] == [("0", "OPTIMAL", "ok"), ("1", "OPTIMAL", "ok")]
    assert float(rows[0]["time_first_plan_s"]) <= float(rows[0]["time_proof_s"])
    # A kill in the middle of writing the second row leaves a torn line: it is dropped.
    text = out.read_text()
    out.write_text(text[: len(text) - len(text.splitlines()[-1]) // 2 - 1])
    assert len(read_results(out)) == 1
    ran = []
    assert run_bench(inst, presets, 2, 5, out, runner=lambda *a: ran.append(a[2]) or run_in_child(*a)) == 1
    assert ran == [1]
    assert sorted(r["seed"] for r in read_results(out)) == ["0", "1"]
    assert run_bench(inst, presets, 2, 5, out) == 0  # nothing left to do


def test_ctrl_c_leaves_whole_rows_and_changed_presets_are_refused(tmp_path):
    out = tmp_path / "r.csv"
    inst = [SCENARIOS / "home_balls_and_bands.yaml"]
    calls = []

    def runner(instance, preset, seed, limit):
        calls.append(seed)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return _row(instance.stem, preset.name, seed, 0.5, limit=limit) | {"preset_digest": preset.digest, "instance_digest": _digest(instance)}

    with pytest.raises(KeyboardInterrupt):
        run_bench(inst, [load_preset("default")], 3, 5, out, runner=runner)
    assert len(read_results(out)) == 1
    other = tmp_path / "default.toml"  # same name, other parameters
    other.write_text("[parameters]\nlinearization_level = 2\n")
    with pytest.raises(InputError, match="changed"):
        run_bench(inst, [load_preset(other)], 3, 5, out, runner=runner)


def _digest(path):
    from optimizer.bench_child import file_digest

    return file_digest(path)


def test_foreign_csv_is_refused(tmp_path):
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="results file"):
        read_results(f)


def test_cli_summary_and_plot(tmp_path):
    out = tmp_path / "r.csv"
    for seed in range(2):
        append_row(out, _row("a", "default", seed, 2.0))
        append_row(out, _row("a", "fast", seed, 1.0))
    runner = CliRunner()
    res = runner.invoke(app, ["bench", "--summary", str(out), "--format", "markdown", "--plot", str(tmp_path / "p.png")])
    assert res.exit_code == 0, res.output
    assert "| fast |" in res.stdout or "fast" in res.stdout
    assert (tmp_path / "p.png").read_bytes()[:4] == b"\x89PNG"
    res = runner.invoke(app, ["bench", "--summary", str(out), "--plot", str(tmp_path / "p.png")])
    assert res.exit_code == 1 and "already exists" in res.output
    res = runner.invoke(app, ["solve", "home_balls_and_bands", "--preset", "workers"])
    assert res.exit_code == 1 and "preset not found" in res.output


def test_bench_with_an_extra_catalogue_records_it_and_refuses_mixing(tmp_path):
    """--catalogue reaches every run; rows made with another catalogue are not resumed into."""
    import shutil

    import pytest

    from optimizer import InputError
    from optimizer.bench import read_results, run_bench
    from optimizer.bench_child import catalogue_digest
    from optimizer.paths import builtin_catalogue_dir
    from optimizer.presets import load_preset

    from .conftest import SCENARIOS

    extra = tmp_path / "mine"
    (extra / "exercises").mkdir(parents=True)
    src = builtin_catalogue_dir() / "exercises" / "legs.yaml"
    import yaml

    first = yaml.safe_load(src.read_text())["exercises"][0]
    (extra / "exercises" / "mine.yaml").write_text(yaml.safe_dump({"exercises": [dict(first, id="my_copy")]}))
    inst = [SCENARIOS / "home_balls_and_bands.yaml"]
    out = tmp_path / "r.csv"
    assert run_bench(inst, [load_preset("default")], 1, 5, out, catalogues=[extra]) == 1
    row = read_results(out)[0]
    assert row["status"] == "OPTIMAL" and row["checked"] == "ok"
    assert row["catalogue_digest"] == catalogue_digest([extra]) != catalogue_digest()
    with pytest.raises(InputError, match="another catalogue"):
        run_bench(inst, [load_preset("default")], 1, 5, out)
    shutil.rmtree(extra)


def test_a_second_bench_on_the_same_file_is_refused(tmp_path):
    """Two benches appending to one results file would duplicate rows and disturb each
    other's timings: while one holds the file, another is refused with a clear error."""
    import pytest

    from optimizer import InputError
    from optimizer.bench import _exclusive, run_bench
    from optimizer.presets import load_preset

    from .conftest import SCENARIOS

    out = tmp_path / "r.csv"
    with _exclusive(out):
        with pytest.raises(InputError, match="another bench"):
            run_bench([SCENARIOS / "home_balls_and_bands.yaml"], [load_preset("default")], 1, 5, out, runner=lambda *a: {})
    assert not (tmp_path / "r.csv.lock").exists()
