"""Time ``programme explain`` on the example scenarios: median of repeats.

    .venv/bin/python benchmarks/bench_explain.py [--repeats 5] [--workers 1] [--repairs 3]

One process; the first (untimed) run of each scenario pays the imports. Target: under
2 s per scenario. For each: median, min and max wall seconds, what was explained (the
conflict size and repairs for a scenario with no plan; unmet goals and binding
requirements otherwise), and the ratio of the median to a plain solve of the same
scenario in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from optimizer import load_catalogue, load_scenario, solve  # noqa: E402
from optimizer.explain import explain  # noqa: E402

TARGET_S = 2.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--repairs", type=int, default=3)
    ap.add_argument("scenarios", nargs="*", help="scenario files (default: every scenarios/*.yaml)")
    args = ap.parse_args()
    catalogue = load_catalogue()
    paths = [Path(p) for p in args.scenarios] or sorted((ROOT / "scenarios").glob("*.yaml"))
    print(f"{'scenario':32} {'median s':>9} {'min':>6} {'max':>6} {'x solve':>8}  explained")
    worst = 0.0
    for path in paths:
        sc = load_scenario(path)
        explain(sc, catalogue, workers=args.workers, repair_count=args.repairs)  # warm-up
        times, solve_times = [], []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            expl = explain(sc, catalogue, workers=args.workers, repair_count=args.repairs)
            times.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            solve(sc, catalogue, workers=args.workers, seed=0, diagnose=False)
            solve_times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        worst = max(worst, med)
        if expl.conflict:
            what = f"conflict of {len(expl.conflict)}, {len(expl.repairs)} verified repair(s)"
        else:
            what = f"{len(expl.unmet)} unmet, {len(expl.binding)} binding, {len(expl.limits)} limit(s)"
        ratio = med / max(statistics.median(solve_times), 1e-9)
        print(f"{path.stem:32} {med:9.3f} {min(times):6.3f} {max(times):6.3f} {ratio:8.2f}  {what}")
    print(f"worst median {worst:.3f} s (target {TARGET_S} s): {'met' if worst < TARGET_S else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
