"""Progress on stderr: shown at a terminal, never on stdout, quiet otherwise or with --quiet."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
import typer

from optimizer import progress
from optimizer.cli import app
from optimizer.result import SolveResult

from .conftest import ROOT, SCENARIOS, assert_valid, load_example

SOLVE = [sys.executable, "-m", "optimizer.cli", "solve", str(SCENARIOS / "knee_safe.yaml"), "--format", "json",
         "--time-limit", "20", "--workers", "1", "--seed", "0"]


def run(args, progress_env: str | None):
    env = {k: v for k, v in os.environ.items() if k != progress.ENV}
    if progress_env is not None:
        env[progress.ENV] = progress_env
    return subprocess.run(args, capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def test_stdout_stays_clean_while_progress_shows(catalogue):
    proc = run(SOLVE, "1")  # shown as at a terminal, though stderr is a pipe here
    assert proc.returncode == 0, proc.stderr
    assert "Solving" in proc.stderr and "weekly totals" in proc.stderr  # the live line, with the stage
    assert "Solving" not in proc.stdout
    result = SolveResult.model_validate(json.loads(proc.stdout))  # stdout is the JSON, nothing else
    assert_valid(load_example("knee_safe"), catalogue, result)


def test_nothing_extra_on_stderr_when_it_is_not_a_terminal():
    proc = run(SOLVE, None)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    json.loads(proc.stdout)


def test_quiet_wins_over_a_forced_display():
    proc = run([*SOLVE, "--quiet"], "1")
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    json.loads(proc.stdout)


def _commands(cmd, path=()):
    import click

    if isinstance(cmd, click.Group) or hasattr(cmd, "commands"):
        for name, sub in cmd.commands.items():
            yield from _commands(sub, (*path, name))
    else:
        yield path, cmd


def test_every_command_accepts_quiet():
    commands = list(_commands(typer.main.get_command(app)))
    assert len(commands) >= 12
    for path, cmd in commands:
        assert any("--quiet" in p.opts for p in cmd.params), " ".join(path)
    for args in (["schema", "plan", "--quiet"], ["catalogue", "equipment", "-q"]):
        proc = subprocess.run([sys.executable, "-m", "optimizer.cli", *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
        assert proc.returncode == 0 and proc.stderr == "", (args, proc.stderr)


def test_library_reports_compare_progress(catalogue):
    """The library's notes reach an open display (here a forced terminal in memory)."""
    from rich.console import Console

    from optimizer.compare import compare, make_variants

    sc = load_example("time_crunched_20min")
    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=200)
    variants = make_variants(sc, catalogue, ["bodyweight", "balls_and_bands"], [], None)
    with progress.shown("Comparing", console=console):
        comparison = compare(sc, catalogue, variants, workers=1, seed=0, processes=1)
    assert "variants solved" in buf.getvalue()
    assert all(v.result.status.has_plan for v in comparison.variants)
    progress.note("no display open: nothing happens")  # and no error


@pytest.fixture(autouse=True)
def _not_quiet():
    progress.QUIET = False
    yield
    progress.QUIET = False
