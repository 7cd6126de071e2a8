"""Does ``--time-limit`` bound the whole command? Wall seconds of real ``programme`` runs.

    .venv/bin/python benchmarks/bench_limits.py [--repeats 3] [--time-limit 3]

For each case (the command, the scenario), the median wall time of a fresh process over
``--repeats`` runs, next to the limit, and the overhead: the median minus the limit and
minus the start-up (``programme schema plan`` measured in the same run: imports and
nothing else). Cases: the slow infeasible fixture for ``solve`` and ``explain`` (a minimal
conflict and repairs, which ran far past the limit before issue 12), a long single
week and the 12-week programme. Prints the load average, since the figures depend on it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = [sys.executable, "-m", "optimizer.cli"]
FIX = ROOT / "tests" / "fixtures" / "interrupt"
CASES = [
    ("solve", FIX / "hard_100_quadriceps.yaml"),
    ("explain", FIX / "hard_100_quadriceps.yaml"),
    ("solve", FIX / "long_week.yaml"),
    ("solve", ROOT / "scenarios" / "twelve_week_three_blocks.yaml"),
]


def wall(args: list[str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = subprocess.run(PROGRAMME + args, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t0, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=3.0)
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}; time limit {args.time_limit:g} s")
    startup = statistics.median(wall(["schema", "plan"])[0] for _ in range(args.repeats))
    print(f"start-up (programme schema plan): {startup:.2f} s median")
    print(f"{'command':8} {'scenario':28} {'median s':>9} {'max':>6} {'overhead':>9}  exit")
    for command, path in CASES:
        runs = [wall([command, str(path), "--time-limit", f"{args.time_limit:g}", "--workers", "2"]) for _ in range(args.repeats)]
        times = [t for t, _ in runs]
        med = statistics.median(times)
        codes = sorted({c for _, c in runs})
        print(f"{command:8} {path.stem:28} {med:9.2f} {max(times):6.2f} {med - args.time_limit - startup:9.2f}  {codes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
