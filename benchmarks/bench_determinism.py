"""What reproducible budgets cost: deterministic time against wall-clock budgets, in one run.

    .venv/bin/python benchmarks/bench_determinism.py [--repeats 3] [--workers 2] [--load 0]

For each case (a scenario at a time limit), ``--repeats`` solves with
``solver.reproducible: true`` (the default: CP-SAT's deterministic time and its
deterministic parallel search, ``interleave_search``) and as many with ``false`` (the
wall-clock budgets and parallel portfolio used before), alternating so that both see the
same load. Printed per mode: the median wall seconds, the statuses, the median first
objective term and the number of different plans among the repeats (1: every run gave
the same plan), and the ratio of the medians (reproducible / wall-clock). A run the
wall-clock safety net cut (the machine too busy for the deterministic budget) is counted
as "cut". ``--load N`` runs N busy-loop processes meanwhile (a loaded machine on purpose);
``--det-per-s`` changes the units a second of the limit buys (a smaller budget shows
the mechanism on a machine too busy for the product's), ``--only`` and ``--time-limit``
pick cases.
Prints the load average, since the figures depend on it.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from optimizer import load_catalogue, load_scenario, solve  # noqa: E402

CASES = [
    (ROOT / "scenarios" / "gym.yaml", 10.0),
    (ROOT / "scenarios" / "seed000_split.yaml", 10.0),
    (ROOT / "scenarios" / "knee_safe.yaml", 10.0),
    (ROOT / "tests" / "fixtures" / "interrupt" / "long_week.yaml", 10.0),
]


def run(scenario, catalogue, limit: float, workers: int, reproducible: bool) -> dict:
    sc = scenario.model_copy(update={"solver": scenario.solver.model_copy(update={"reproducible": reproducible})})
    t0 = time.perf_counter()
    r = solve(sc, catalogue, time_limit_s=limit, workers=workers, seed=0, diagnose=False)
    wall = time.perf_counter() - t0
    plan = hashlib.sha256(repr(r.plan.model_dump() if r.plan else None).encode()).hexdigest()
    first = r.objective_terms[0].value if r.objective_terms else None
    return {"wall": wall, "status": r.status.value, "cut": bool(r.stats.get("wall_cut")), "plan": plan, "first": first}


def summary(rows: list[dict]) -> str:
    statuses = ",".join(sorted({r["status"] for r in rows}))
    firsts = [r["first"] for r in rows if r["first"] is not None]
    first = f"{statistics.median(firsts):g}" if firsts else "-"
    cut = sum(r["cut"] for r in rows)
    return f"{statistics.median(r['wall'] for r in rows):7.2f} {statuses:18} {first:>8} {len({r['plan'] for r in rows}):>5} {cut:>4}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--load", type=int, default=0, help="busy-loop processes to run meanwhile")
    ap.add_argument("--only", help="cases whose scenario name contains this")
    ap.add_argument("--time-limit", type=float, help="instead of each case's limit")
    ap.add_argument("--det-per-s", type=float, help="deterministic units per second of the limit (default: the product's)")
    args = ap.parse_args()
    if args.det_per_s:
        from optimizer.encoding import runtime as encoding_runtime

        encoding_runtime.DET_PER_S = args.det_per_s
    busy = [
        subprocess.Popen([sys.executable, "-c", "import time\nend = time.monotonic() + 3600\nwhile time.monotonic() < end:\n    pass\n"])
        for _ in range(args.load)
    ]
    try:
        la = os.getloadavg()
        print(f"load average {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}; workers {args.workers}; busy loops {args.load}; repeats {args.repeats}")
        catalogue = load_catalogue()
        head = f"{'median s':>7} {'status':18} {'1st term':>8} {'plans':>5} {'cut':>4}"
        print(f"{'scenario':22} {'limit':>5} | reproducible: {head} | wall-clock: {head} | ratio")
        for path, limit in CASES:
            if args.only and args.only not in path.stem:
                continue
            limit = args.time_limit or limit
            scenario = load_scenario(path)
            rows: dict[bool, list[dict]] = {True: [], False: []}
            for _ in range(args.repeats):
                for mode in (True, False):
                    rows[mode].append(run(scenario, catalogue, limit, args.workers, mode))
            ratio = statistics.median(r["wall"] for r in rows[True]) / statistics.median(r["wall"] for r in rows[False])
            print(f"{path.stem:22} {limit:5g} | {'':14}{summary(rows[True])} | {'':12}{summary(rows[False])} | {ratio:5.2f}")
        la = os.getloadavg()
        print(f"load average at the end {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}")
    finally:
        for p in busy:
            p.kill()
            p.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
