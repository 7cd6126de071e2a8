"""Benchmark: start-up (issue 13), this tree against a baseline tree, in one run.

    python benchmarks/bench_startup.py [--repeats 7] [--baseline main] [--fedb PATH]

Every measurement is a fresh process, median over repeats; the baseline and this tree
alternate run by run, so both see the same load. The baseline is ``git archive REF``
unpacked in a temporary folder and run with this venv's Python (``PYTHONPATH`` puts its
``optimizer`` first); ``--baseline none`` skips it.

- ``programme --help``: the whole process.
- ``programme solve home_balls_and_bands`` (2 workers, seed 0), ``--format json`` and the
  default table: the whole process beside the solve's own wall time (``wall_time_s`` in
  the JSON, measured in the same process), as a ratio.
- Loading the catalogue (``load_catalogue`` in a fresh process, timed in it, imports
  excluded): the built-in one, and the imported free-exercise-db (when
  ``../shared/datasets/free-exercise-db`` or ``--fedb`` exists), from YAML (the cache off)
  and from the cache.

Targets (issue 13): ``programme --help`` <= 0.25 s; a small example's whole process at most
3x its solve time. Not a test: the machine is shared and noisy; quote medians with the
load average printed at the start and the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "home_balls_and_bands"
SOLVE = ["solve", SCENARIO, "--workers", "2", "--seed", "0"]
LOAD = (
    "import sys, time; from optimizer.catalogue_load import load_catalogue; import pydantic, yaml; "
    "t = time.perf_counter(); c = load_catalogue(sys.argv[1:]); print(time.perf_counter() - t, len(c.exercises))"
)


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def baseline_tree(ref: str, into: Path) -> Path:
    """``git archive REF`` unpacked under ``into``: the baseline's source, with no git state touched."""
    tree = into / "baseline"
    tree.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", ref], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def runner(tree: Path, cache: Path | None):
    """Run ``python ARGS`` against ``tree``'s optimizer; cache None turns the catalogue cache off."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    env.pop("PROGRAMME_NO_CACHE", None)
    # As installed: pip compiles bytecode at install and Python keeps it; with writing it
    # off (some CI images), every run would compile the project's modules again (0.1-0.3 s).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cache is None:
        env["PROGRAMME_NO_CACHE"] = "1"
    else:
        env["XDG_CACHE_HOME"] = str(cache)

    def run(args: list[str]) -> tuple[float, str]:
        t = time.perf_counter()
        out = subprocess.run([sys.executable, *args], cwd=tree, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - t
        if out.returncode not in (0, 3):
            raise SystemExit(f"failed in {tree}: {' '.join(args)}\n{out.stderr[-2000:]}")
        return wall, out.stdout

    return run


def cli(args: list[str]) -> list[str]:
    return ["-m", "optimizer.cli", *args]


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--baseline", default="main", help="git ref to compare with, or 'none'")
    ap.add_argument("--fedb", type=Path, default=ROOT.parent / "shared" / "datasets" / "free-exercise-db" / "exercises.json")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    trees = {"this tree": ROOT}
    if args.baseline != "none":
        trees[f"baseline ({args.baseline})"] = baseline_tree(args.baseline, tmp)
    cache = tmp / "cache"
    runs = {name: {"cache": runner(tree, cache), "nocache": runner(tree, None)} for name, tree in trees.items()}

    catalogues = {"built-in": []}
    if args.fedb.is_file():
        fedb = tmp / "fedb"
        subprocess.run([sys.executable, *cli(["catalogue", "import", "free-exercise-db", str(args.fedb), "--output", str(fedb)])],
                       cwd=ROOT, check=True, capture_output=True)  # fmt: skip
        catalogues["free-exercise-db"] = [str(fedb)]

    print(f"# bench_startup: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average at start: {load_average()}; repeats {args.repeats}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    for name in trees:  # warm the cache and the OS file cache, unmeasured
        runs[name]["cache"](cli(SOLVE + ["--format", "json"]))
        for extra in catalogues.values():
            runs[name]["cache"](["-c", LOAD, *extra])

    samples: dict[tuple[str, str], list[float]] = {}

    def add(key, value):
        samples.setdefault(key, []).append(value)

    for _ in range(args.repeats):
        for name in trees:
            run = runs[name]["cache"]
            add((name, "help"), run(cli(["--help"]))[0])
            for fmt in ("json", "table"):
                wall, out = run(cli(SOLVE + ["--format", "json"])) if fmt == "json" else run(cli(SOLVE))
                add((name, f"solve {fmt} process"), wall)
                if fmt == "json":
                    add((name, "solve in-process"), json.loads(out)["wall_time_s"])
            for label, extra in catalogues.items():
                for mode in ("nocache", "cache"):
                    secs = float(runs[name][mode](["-c", LOAD, *extra])[1].split()[0])
                    add((name, f"load {label} ({'cache' if mode == 'cache' else 'no cache'})"), secs)

    rows = sorted({k[1]: None for k in samples})
    names = list(trees)
    print("| measurement (median s) | " + " | ".join(names) + (" | this / baseline |" if len(names) > 1 else " |"))
    print("| --- |" + " --- |" * (len(names) + (len(names) > 1)))
    for row in rows:
        vals = [median(samples[(n, row)]) for n in names]
        ratio = f" | {vals[0] / vals[1]:.2f} |" if len(names) > 1 and vals[1] > 0 else (" | |" if len(names) > 1 else " |")
        print(f"| {row} | " + " | ".join(f"{v:.3f}" for v in vals) + ratio)
    print()
    for n in names:
        solve_s = median(samples[(n, "solve in-process")])
        for fmt in ("json", "table"):
            proc = median(samples[(n, f"solve {fmt} process")])
            print(f"{n}: solve --format {fmt} whole process {proc:.3f} s = {proc / solve_s:.1f}x the solve ({solve_s:.3f} s)")
        print(f"{n}: programme --help {median(samples[(n, 'help')]):.3f} s (target <= 0.25 s)")
    print(f"\nload average at end: {load_average()}")
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
