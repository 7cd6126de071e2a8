"""Output that fits: every command's table output within 120 columns (and 80 where it can),
rich tables on a terminal, and --format markdown that a GFM parser reads as intended."""

from __future__ import annotations

import pandas as pd
import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from optimizer import interrupt, termtable
from optimizer.cli import app

from .conftest import FIXTURES, ROOT

RESULTS = ROOT / "benchmarks" / "results" / "latest.csv"
SOLVE = ["--workers", "1", "--seed", "0"]
COMMANDS = {
    "catalogue list": ["catalogue", "list"],
    "catalogue show": ["catalogue", "show", "lunge"],
    "catalogue equipment": ["catalogue", "equipment"],
    "catalogue muscles": ["catalogue", "muscles"],
    "solve": ["solve", "knee_safe", *SOLVE],
    "solve programme": ["solve", "four_week_block_deload", "--time-limit", "2.5", *SOLVE],  # a plan, not a proof: widths only (1.5 s gives none)
    # Widths are the question, not the plans: short limits keep each quick.
    "explain infeasible": ["explain", "infeasible_time_vs_volume", "--repairs", "2", "--time-limit", "2"],
    "explain plan": ["explain", "time_crunched_20min", "--time-limit", "2"],
    "compare": ["compare", "knee_safe", "-p", "bodyweight,balls_and_bands,home_dumbbells,full_gym", "--processes", "1",
                "--time-limit", "2", *SOLVE],
    "bench summary": ["bench", "--summary", str(RESULTS)],
}


@pytest.fixture(scope="module")
def outputs():
    """Each command's table and markdown output at the default width and at 80 columns.

    Widths are the question: each command's searches run once, and its three outputs
    render that one result (the searches all go through ``run_interruptible``)."""
    runner = CliRunner()
    got: dict = {}
    done: dict = {}
    real = interrupt.run_interruptible

    def once(work, *args, **kw):
        if name not in done:
            done[name] = real(work, *args, **kw)
        return done[name]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(interrupt, "run_interruptible", once)
        for name, args in COMMANDS.items():
            if name == "bench summary" and not RESULTS.exists():
                continue
            for fmt in ("table", "markdown"):
                for cols in ("", "80"):
                    if fmt == "markdown" and cols:
                        continue
                    res = runner.invoke(app, [*args, "--format", fmt], env={"COLUMNS": cols} if cols else {"COLUMNS": ""})
                    assert res.exit_code in (0, 3), (name, res.output)
                    got[name, fmt, cols] = res.stdout
    assert set(done) == {"solve", "solve programme", "explain infeasible", "explain plan", "compare"}  # every search reused
    return got


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


@pytest.mark.parametrize("name", list(COMMANDS))
def test_table_output_fits_120_and_80_columns(outputs, name):
    if (name, "table", "") not in outputs:
        pytest.skip("no benchmark results file")
    assert widest(outputs[name, "table", ""]) <= 120
    assert widest(outputs[name, "table", "80"]) <= 80


def test_import_summary_fits_and_shows_no_python_none(tmp_path):
    res = CliRunner().invoke(app, ["catalogue", "import", "free-exercise-db", str(FIXTURES / "free_exercise_db_subset.json"), "-o", str(tmp_path / "cat")])
    assert res.exit_code == 0, res.output
    assert widest(res.stdout) <= 120 and "None ->" not in res.stdout


def test_wrapped_tables_keep_every_word_whole():
    df = pd.DataFrame({"id": ["gluteus_maximus_lower", "x"], "note": ["a long note " * 12, "short"], "n": [1.5, 2.0]})
    text = termtable.fit_table(df, 60)
    assert widest(text) <= 60 and "gluteus_maximus_lower" in text and text.count("long") == 12
    from collections import Counter

    ink = Counter(c for c in " ".join([*map(str, df.columns), *(termtable._cell(v) for v in df.astype(object).to_numpy().ravel())]) if not c.isspace())
    for cols in (60, 30):  # nothing is cut off, however narrow
        assert Counter(c for c in termtable.fit_table(df, cols) if not c.isspace()) == ink
    assert termtable.fit_table(df.head(0).assign(id=[]), 60) is not None
    narrow = pd.DataFrame({"a": [1], "b": ["x"]})
    assert termtable.fit_table(narrow, 60) == narrow.to_string(index=False)  # fits: unchanged


def test_a_terminal_gets_a_rich_table_at_its_width(monkeypatch):
    monkeypatch.setattr(termtable, "is_terminal", lambda: True)
    monkeypatch.setattr(termtable.shutil, "get_terminal_size", lambda fallback=None: type("S", (), {"columns": 70})())
    df = pd.DataFrame({"exercise": ["Hip thrust (bodyweight, shoulders on bench)"] * 3, "why": ["because " * 10] * 3})
    text = termtable.fit_table(df)
    assert termtable.width() == 70 and widest(termtable._strip_ansi(text)) <= 70 and "─" in text


# Markdown --------------------------------------------------------------------------------


def check_gfm(text: str) -> int:
    """Every table row is a '|' line of ours, and no two lines merge into one paragraph; returns the tables."""
    lines = text.split("\n")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    for t in tokens:
        if t.type == "tr_open":
            assert lines[t.map[0]].startswith("|"), f"read as a table row: {lines[t.map[0]]!r}"
        if t.type == "paragraph_open":
            assert t.map[1] - t.map[0] == 1, f"lines merged into one paragraph: {lines[t.map[0]:t.map[1]]}"
            assert not lines[t.map[0]].startswith("|"), f"a table that did not parse: {lines[t.map[0]]!r}"
    return sum(1 for t in tokens if t.type == "table_open")


@pytest.mark.parametrize("name", list(COMMANDS))
def test_markdown_is_valid_gfm(outputs, name):
    if (name, "markdown", "") not in outputs:
        pytest.skip("no benchmark results file")
    text = outputs[name, "markdown", ""]
    pipes = sum(1 for i, line in enumerate(text.split("\n")) if line.startswith("| ") and (i == 0 or not text.split("\n")[i - 1].startswith("|")))
    assert check_gfm(text) == pipes  # every block of '|' lines is one parsed table


def test_the_gfm_check_catches_the_old_faults():
    with pytest.raises(AssertionError, match="read as a table row"):
        check_gfm("| a | b |\n| --- | --- |\n| 1 | 2 |\n(plus 5 min warm-up)\n")
    with pytest.raises(AssertionError, match="merged"):
        check_gfm("Status: OPTIMAL.\nObjective: lexicographic\n")
