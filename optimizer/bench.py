"""Benchmarking solver settings (``programme bench``): the runner and its results file.

Protocol (PERFORMANCE.md, the convention of the field): stored instance files; every
(instance, preset, seed) in its own fresh process, one at a time; each plan re-checked by
the independent checker; results appended to a CSV one whole row at a time, so an
interrupted bench resumes where it stopped.

This module runs the missing rows and keeps the CSV; the rest of the harness:

- :mod:`optimizer.bench_child`: one run in the fresh process, its CSV row;
- :mod:`optimizer.bench_metrics`: the metrics, pure functions on fixed numbers;
- :mod:`optimizer.bench_summary`: the summary per preset and instance, the adopt verdict.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .bench_child import catalogue_digest, file_digest, machine
from .errors import InputError

COLUMNS = [
    "scenario", "preset", "seed", "time_limit_s", "backend", "status", "checked", "objective", "bound", "gap",
    "terms", "values", "time_first_plan_s", "time_proof_s", "wall_s", "build_s", "presolve_s", "solutions",
    "method", "workers", "parameters", "trace", "preset_digest", "instance_digest", "catalogue_digest",
    "ortools", "programme_optimiser", "python", "machine", "load1", "started", "error",
]  # fmt: skip
KEY = ("scenario", "preset", "seed", "time_limit_s")


# ---------------------------------------------------------------------------------------
# The runner: one child process per run, rows appended whole.


@dataclass
class BenchPlan:
    instances: list[Path]
    presets: list  # optimizer.presets.Preset
    seeds: int = 3
    time_limit_s: float = 10.0
    output: Path = Path("results.csv")
    runs: list[tuple[Path, object, int]] = field(default_factory=list)


def read_results(path: Path) -> list[dict]:
    """Rows of a results CSV; a torn last line (a run killed mid-write) is dropped and repaired."""
    if not path.exists():
        return []
    from .io import read_text

    text = read_text(path)  # a folder, unreadable or non-UTF-8 file: one-line InputError
    if text and not text.endswith("\n"):
        from .io import write_atomic

        text = text[: text.rfind("\n") + 1]
        write_atomic(path, text, force=True)
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        return []
    if list(reader.fieldnames) != COLUMNS:
        missing = [c for c in COLUMNS if c not in reader.fieldnames]
        raise InputError(
            "not a results file of this version of programme bench" + (f" (missing columns: {', '.join(missing[:4])})" if missing else " (columns differ)"),
            file=str(path),
        )
    return list(reader)


def run_key(row: dict) -> tuple:
    """A run's identity in the results file: one row per (scenario, preset, seed, time limit)."""
    return (row["scenario"], row["preset"], int(row["seed"]), float(row["time_limit_s"]))


def append_row(path: Path, row: dict) -> None:
    """Append one whole row (with the header first when the file is new) and flush it to disk."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    new = not path.exists() or path.stat().st_size == 0
    if new:
        writer.writeheader()
    writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in COLUMNS})
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(buf.getvalue())  # one write per row: a kill leaves at most a torn last line
        fh.flush()
        os.fsync(fh.fileno())


def pending_runs(instances, presets, seeds: int, time_limit_s: float, existing: list[dict], output: Path, catalogues=()):
    """The (instance, preset, seed) runs not in ``existing``; refuses rows made with other files."""
    cat_digest = catalogue_digest(catalogues)
    done = {}
    for row in existing:
        if row["status"] != "ERROR":  # a crashed run is tried again on resume
            done[run_key(row)] = row
    todo = []
    for inst in instances:
        digest = file_digest(inst)
        for preset in presets:
            for seed in range(seeds):
                row = done.get((inst.stem, preset.name, seed, float(time_limit_s)))
                if row is None:
                    todo.append((inst, preset, seed))
                    continue
                if row["preset_digest"] != preset.digest:
                    raise InputError(f"preset {preset.name!r} changed since these rows were written; use a new --output or another preset name", file=str(output))
                if row["instance_digest"] != digest:
                    raise InputError(f"instance {inst.stem!r} changed since these rows were written; use a new --output", file=str(output))
                if row.get("catalogue_digest") and row["catalogue_digest"] != cat_digest:
                    raise InputError("these rows were made with another catalogue (--catalogue or edited data); use a new --output", file=str(output))
    return todo


def run_in_child(instance: Path, preset, seed: int, time_limit_s: float, catalogues=()) -> dict:
    """One run in a fresh interpreter; a crash or hang becomes an ERROR row, Ctrl-C stops all."""
    args = json.dumps(
        {"instance": str(instance), "preset": preset.source, "seed": seed, "time_limit_s": time_limit_s, "catalogues": [str(c) for c in catalogues]}
    )
    cmd = [sys.executable, "-m", "optimizer.bench_child", args]
    # Generous: build, checker and process start come on top of the solver's time limit.
    timeout = 3 * time_limit_s + 60
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return _error_row(instance, preset, seed, time_limit_s, f"no answer within {timeout:.0f} s: killed")
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return _error_row(instance, preset, seed, time_limit_s, f"exit {proc.returncode}: {tail}")
    return json.loads(lines[-1])


def _error_row(instance, preset, seed, time_limit_s, message) -> dict:
    return {
        "scenario": instance.stem,
        "preset": preset.name,
        "seed": seed,
        "time_limit_s": time_limit_s,
        "backend": preset.backend,
        "status": "ERROR",
        "preset_digest": preset.digest,
        "instance_digest": file_digest(instance),
        "machine": machine(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "error": message,
    }


def run_bench(instances, presets, seeds: int, time_limit_s: float, output: Path, progress=None, runner=None, catalogues=()) -> int:
    """Run every missing (instance, preset, seed) one at a time; returns how many ran.

    ``progress(done, total, instance, preset, seed, row)`` is called after each run;
    ``catalogues`` are extra catalogue folders every run merges with the built-in one.
    """
    import functools

    if runner is None:
        runner = functools.partial(run_in_child, catalogues=tuple(catalogues))
    from .io import check_output_path

    output = check_output_path(output, force=True)  # appended to, but only ever a regular file
    with _exclusive(output):
        existing = read_results(output)
        todo = pending_runs(instances, presets, seeds, time_limit_s, existing, output, catalogues)
        for i, (inst, preset, seed) in enumerate(todo, start=1):
            row = runner(inst, preset, seed, time_limit_s)
            append_row(output, row)
            if progress is not None:
                progress(i, len(todo), inst, preset, seed, row)
    return len(todo)


class _exclusive:
    """Hold a lock beside ``output`` while benching: two benches appending to one file
    would both run the missing rows (duplicates) and time each other's load."""

    def __init__(self, output: Path):
        self.path = output.with_name(output.name + ".lock")
        self.fh = None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, as before
            return self
        self.fh = open(self.path, "w")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.fh.close()
            self.fh = None
            raise InputError("another bench is writing to this file; wait for it or use another --output", file=str(self.path.with_suffix(""))) from None
        return self

    def __exit__(self, *exc):
        if self.fh is not None:
            self.fh.close()
            self.path.unlink(missing_ok=True)
        return False
