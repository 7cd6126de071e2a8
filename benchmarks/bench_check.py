"""Does ``programme check`` stay linear in the plan's size? Seconds per size, N doubling.

    .venv/bin/python benchmarks/bench_check.py [--sizes 5000 10000 20000 40000] [--repeats 3]

The gym example is solved once (``--format json``); for each size N its first training
day is given N exercise entries (its own, repeated), and ``programme check gym PLAN`` is
timed in a fresh process, the median over ``--repeats`` runs. The plan breaks rules (too
many exercises in a session, the same exercise twice a day): the checker must still read
and judge all of it, and say so in one line per violation. The ratio to the previous
size is about 2 for each doubling when it is linear, 4 when quadratic (issue 12 measured
84 s for 50,000 entries in a day before). Prints the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAMME = [sys.executable, "-m", "optimizer.cli"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5000, 10000, 20000, 40000])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    la = os.getloadavg()
    print(f"load average {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}; repeats {args.repeats}")
    solved = subprocess.run([*PROGRAMME, "solve", "gym", "--format", "json", "--workers", "2"], capture_output=True, text=True, cwd=ROOT)
    result = json.loads(solved.stdout)
    day = next(d for d in result["plan"]["days"] if d["exercises"])
    base = day["exercises"]
    print(f"{'entries':>8} {'MB':>6} {'median s':>9} {'ratio':>6}  violations")
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            day["exercises"] = [dict(base[i % len(base)]) for i in range(n)]
            path = Path(tmp) / f"plan_{n}.json"
            path.write_text(json.dumps(result))
            times, lines = [], 0
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                run = subprocess.run([*PROGRAMME, "check", "gym", str(path)], capture_output=True, text=True, cwd=ROOT)
                times.append(time.perf_counter() - t0)
                lines = run.stdout.count("VIOLATION")
                if run.returncode not in (0, 1) or "Error" in run.stderr:
                    raise SystemExit(f"check failed: {run.stderr.strip()[:300]}")
            med = statistics.median(times)
            ratio = f"{med / previous:6.2f}" if previous else "     -"
            print(f"{n:8d} {path.stat().st_size / 1e6:6.1f} {med:9.2f} {ratio}  {lines}")
            previous = med
    la = os.getloadavg()
    print(f"load average at the end {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
