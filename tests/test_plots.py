"""The charts: ``solve --plot`` (a week against its targets, a programme by week), compare's
volume bars (names that never run together, value labels clear of the target lines) and the
bench profile (an empty one says why). Positions are measured on the drawn figure."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from optimizer.checker import check_result
from optimizer.cli import app
from optimizer.plot import Series, programme_figure, volume_figure
from optimizer.programme_checker import check_programme_result
from optimizer.result import SolveResult
from optimizer.scenario import load_scenario

from .conftest import SCENARIOS, make_scenario

pytest.importorskip("matplotlib")
runner = CliRunner()


def extents(fig, artists):
    renderer = fig.canvas.get_renderer()
    return [a.get_window_extent(renderer) for a in artists]


@pytest.fixture(scope="module")
def knee_week(tmp_path_factory):
    """knee_safe solved by the CLI with --plot, the plan checked."""
    tmp = tmp_path_factory.mktemp("plot")
    r = runner.invoke(app, ["solve", "knee_safe", "--workers", "1", "--seed", "0", "-f", "json", "--plot", str(tmp / "week.png")])
    assert r.exit_code == 0, r.output
    result = SolveResult.model_validate_json(r.stdout)
    sc = load_scenario(SCENARIOS / "knee_safe.yaml")
    return sc, result, tmp / "week.png"


def test_solve_plot_writes_the_plans_own_chart(knee_week, catalogue):
    sc, result, png = knee_week
    assert check_result(sc, catalogue, result).ok
    assert png.read_bytes()[:4] == b"\x89PNG"
    fig = volume_figure([Series("this plan", result)], catalogue, sc.name)
    groups = fig.axes[0]
    labels = [t.get_text().replace("\n", "_").replace(" ", "_") for t in groups.get_xticklabels()]
    vol = {v.unit: v.sets for v in result.plan.volume}
    assert {"quadriceps", "hamstrings", "glutes", "calves"} <= set(labels)
    assert [b.get_height() for b in groups.containers[0]] == pytest.approx([vol.get(u, 0.0) for u in labels])


def test_solve_plot_is_refused_before_solving(tmp_path):
    r = runner.invoke(app, ["solve", "knee_safe", "--plot", str(tmp_path / "week.pdf")])
    assert r.exit_code == 1 and "expected .png or .svg" in r.output


def test_names_never_run_together_and_values_clear_the_lines(knee_week, catalogue):
    """One variant: the narrowest slots, where 'quadricepshamstrings' used to run together."""
    sc, result, _ = knee_week
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = volume_figure([Series("this plan", result)], catalogue, sc.name)
    FigureCanvasAgg(fig).draw()
    for ax in fig.axes:
        boxes = extents(fig, ax.get_xticklabels())
        for left, right in zip(boxes, boxes[1:]):
            assert left.x1 + 4 <= right.x0, "tick labels touch"
        # Every value label lies wholly above or below each target line of its bar.
        lines = [(seg, c) for c in ax.collections if hasattr(c, "get_segments") for seg in c.get_segments()]
        for text in ax.texts:
            box = extents(fig, [text])[0]
            for seg, _ in lines:
                (x0, y), (x1, _) = seg
                px0, py = ax.transData.transform((x0, y))
                px1, _ = ax.transData.transform((x1, y))
                if px0 < box.x1 and box.x0 < px1:
                    assert not (box.y0 - 1.5 < py < box.y1 + 1.5), f"value label {text.get_text()} on a line at {y}"


def test_programme_plot_is_volume_by_week(catalogue, tmp_path):
    from optimizer.programme_solver import solve_programme

    sc = make_scenario(weeks=2, progression={"deload": {"weeks": 1}})
    result = solve_programme(sc, catalogue, workers=1, seed=0, time_limit_s=20)
    assert result.status.has_plan and check_programme_result(sc, catalogue, result).ok
    fig = programme_figure(result, "t")
    ax = fig.axes[0]
    by_unit = {line.get_label(): list(line.get_ydata()) for line in ax.get_lines()}
    for unit in sc.targets:
        want = [next(v.sets for v in w.plan.volume if v.unit == unit) for w in result.weeks]
        assert by_unit[unit] == pytest.approx(want)
    assert any(p.get_x() == pytest.approx(1.5) for p in ax.patches)  # week 2, the deload, shaded


def summary_of(rows, path):
    from optimizer.bench import append_row, read_results
    from optimizer.bench_summary import summarise

    path.unlink(missing_ok=True)
    for r in rows:
        append_row(path, r)
    return summarise(read_results(path), "default", "proof")


def test_empty_bench_profile_says_why(tmp_path):
    from optimizer.plot_profile import profile_figure, profile_ratios

    from .test_bench import _row

    rows = [_row(s, p, 0, None) for s in ("a", "b") for p in ("default", "fast")]
    summary = summary_of(rows, tmp_path / "r.csv")
    ratios, kept, total = profile_ratios(summary)
    assert (kept, total) == (0, 2)
    fig = profile_figure(summary)
    words = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "no preset reached proof" in words and "2 instance(s)" in words
    assert fig.axes[0].get_lines() == []  # no flat lines that read as data

    rows += [_row("c", "default", 0, 2.0), _row("c", "fast", 0, 1.0)]
    summary = summary_of(rows, tmp_path / "r.csv")
    ratios, kept, total = profile_ratios(summary)
    assert (kept, total) == (1, 3) and ratios["fast"] == [1.0] and ratios["default"] == pytest.approx([3.0 / 2.0])
    fig = profile_figure(summary)
    assert "1 of 3 instances" in fig.axes[0].get_title() and len(fig.axes[0].get_lines()) == 2
