"""Does ``--time-limit`` bound the whole command? Wall seconds of real ``programme`` runs.

    .venv/bin/python benchmarks/bench_limits.py [--repeats 3] [--time-limit 3] [--every]

For each case (the command, the scenario), the median wall time of a fresh process over
``--repeats`` runs, next to the limit, and the overhead: the median minus the limit and
minus the start-up (``programme schema plan`` measured in the same run: imports and
nothing else). Cases: the slow infeasible fixture for ``solve`` and ``explain`` (a minimal
conflict and repairs, which ran far past the limit before issue 12), a long single
week and the 12-week programme. ``--every``: every command (``solve``, ``explain``,
``compare --value-of-equipment``, the same with ``--pairs``) on every example and fixture
scenario, and the largest overhead of all. ``--fuzz N``: also ``solve`` on N scenario
files mutated by the test suite's own Hypothesis strategy (``tests/test_fuzz.py``: hostile
values, deep nesting, duplicated keys; derandomised, so the same N files every run), most
of which end in one ``Error:`` line before any solve. Prints the load average, since the
figures depend on it.
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
COMMANDS = [["solve"], ["explain"], ["compare", "--value-of-equipment"], ["compare", "--value-of-equipment", "--pairs"]]


def every_case() -> list[tuple[list[str], Path]]:
    files = sorted((ROOT / "scenarios").glob("*.yaml")) + sorted(FIX.glob("*.yaml"))
    return [(command, path) for path in files for command in COMMANDS]


def fuzz_files(n: int) -> list[Path]:
    """``n`` scenario files from the fuzz suite's strategy, written to a temporary folder."""
    import tempfile

    from hypothesis import HealthCheck, given, settings

    sys.path.insert(0, str(ROOT))
    from tests.test_fuzz import mutated

    texts: list[tuple[str, str]] = []

    @settings(max_examples=n, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(case=mutated())
    def collect(case):
        texts.append(case)

    collect()
    folder = Path(tempfile.mkdtemp(prefix="bench_limits_fuzz_"))
    out = []
    for i, (text, suffix) in enumerate(texts[:n]):
        path = folder / f"fuzz{i:03d}{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        out.append(path)
    return out


def wall(args: list[str]) -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = subprocess.run(PROGRAMME + args, capture_output=True, cwd=ROOT)
    return time.perf_counter() - t0, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--time-limit", type=float, default=3.0)
    ap.add_argument("--every", action="store_true", help="every command on every example and fixture")
    ap.add_argument("--fuzz", type=int, default=0, metavar="N", help="also solve N fuzzed scenario files")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}; time limit {args.time_limit:g} s")
    startup = statistics.median(wall(["schema", "plan"])[0] for _ in range(args.repeats))
    print(f"start-up (programme schema plan): {startup:.2f} s median")
    print(f"{'command':38} {'scenario':28} {'median s':>9} {'max':>6} {'overhead':>9}  exit")
    cases = every_case() if args.every else [([c], p) for c, p in CASES]
    if args.fuzz:
        cases += [(["solve"], p) for p in fuzz_files(args.fuzz)]
    worst = 0.0
    for command, path in cases:
        argv = [*command[:1], str(path), *command[1:], "--time-limit", f"{args.time_limit:g}", "--workers", "2"]
        runs = [wall(argv) for _ in range(args.repeats)]
        times = [t for t, _ in runs]
        med = statistics.median(times)
        codes = sorted({c for _, c in runs})
        worst = max(worst, max(times) - args.time_limit - startup)
        print(f"{' '.join(command):38} {path.stem:28} {med:9.2f} {max(times):6.2f} {med - args.time_limit - startup:9.2f}  {codes}")
    la = os.getloadavg()
    print(f"largest overhead (slowest run - limit - start-up): {worst:.2f} s; load average at the end {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
