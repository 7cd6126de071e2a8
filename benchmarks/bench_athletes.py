"""Benchmark: a batch's solves alone, in one process, against a baseline tree.

    python benchmarks/bench_athletes.py [--athletes 30] [--repeats 3] [--baseline REV] [--time-limit 10]

What ``programme batch`` spends per athlete once start-up is paid: N generated athletes
(``bench_batch.athletes_table``: varied days, minutes, equipment, levels, knee limits and
targets over the ``home_balls_and_bands`` template) solved one after another in one
process, one CP-SAT worker, seed 0, through the batch worker's own call
(``batch.solve_task``: the same solve settings, and the checker). The baseline (a git
revision) is exported with ``git archive``; each repeat runs one process per tree,
alternating, so both see the same load. Per tree, the medians over repeats of: wall time
of all N, the median athlete, CPU time (every thread; less sensitive to the machine's
load than wall time), CP-SAT's deterministic time (independent of load) and how many were
proven optimal. Athletes proven by both trees must agree on every term (checked).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_goal import ROOT, export  # noqa: E402

# Runs inside a tree: solve every athlete of the table once, print one JSON line per athlete.
PROBE = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from optimizer import load_catalogue
from optimizer.batch_inputs import collect
from optimizer.paths import examples_dir
from optimizer.batch import Task, solve_task
import ortools.sat.python.cp_model as cp
_solve, _det = cp.CpSolver.solve, [0.0]
def _counted(self, *a, **k):
    st = _solve(self, *a, **k)
    _det[0] += self.deterministic_time
    return st
cp.CpSolver.solve = _counted
cat = load_catalogue()
athletes = collect([examples_dir() / "home_balls_and_bands.yaml", Path(sys.argv[2])], cat)
for a in athletes:
    if a.scenario is None:
        continue
    _det[0] = 0.0
    t, c = time.perf_counter(), time.process_time()
    row, plan = solve_task(Task(a.id, a.id, a.scenario, cat, float(sys.argv[3]), 1, 0, ""))
    terms = [x["value"] for x in json.loads(plan)["objective_terms"]] if plan else []
    print(json.dumps([a.id, row["status"], time.perf_counter() - t, time.process_time() - c, _det[0], terms]))
"""


def probe(tree: Path, table: Path, limit: float) -> list[list]:
    env = dict(os.environ, PROGRAMME_NO_CACHE="1")
    proc = subprocess.run([sys.executable, "-c", PROBE, str(tree), str(table), str(limit)], capture_output=True, text=True,
                          env=env, check=True)
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("[")]


def summary(runs: list[list[list]]) -> dict:
    med = statistics.median
    return {
        "wall": med(sum(a[2] for a in run) for run in runs),
        "median": med(med(a[2] for a in run) for run in runs),
        "cpu": med(sum(a[3] for a in run) for run in runs),
        "dtime": med(sum(a[4] for a in run) for run in runs),
        "proven": med(sum(a[1] == "OPTIMAL" for a in run) for run in runs),
    }


def main() -> int:
    from bench_batch import athletes_table

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--athletes", type=int, default=30)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--baseline", default="330fc1b")
    ap.add_argument("--time-limit", type=float, default=10.0)
    args = ap.parse_args()
    runs: dict[str, list] = {"this tree": [], "baseline": []}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        table = Path(tmp) / "athletes.csv"
        table.write_text(athletes_table(args.athletes))
        base = export(args.baseline, Path(tmp))
        for i in range(args.repeats):
            order = [("this tree", ROOT), ("baseline", base)]
            for name, tree in order if i % 2 == 0 else order[::-1]:
                runs[name].append(probe(tree, table, args.time_limit))
                load.append(os.getloadavg()[0])
    print(f"{args.athletes} athletes, {args.repeats} repeats, 1 worker, seed 0, {args.time_limit:g} s; "
          f"load average {min(load):.2f}-{max(load):.2f}; baseline {args.baseline}")
    sums = {k: summary(v) for k, v in runs.items()}
    print(f"{'':10s} {'wall, all':>10s} {'median':>8s} {'CPU':>8s} {'det. time':>10s} {'proven':>7s}")
    for name, s in sums.items():
        print(f"{name:10s} {s['wall']:8.1f} s {s['median']:6.2f} s {s['cpu']:6.1f} s {s['dtime']:10.2f} {s['proven']:7.0f}")
    ratio = {k: sums["this tree"][k] / max(1e-9, sums["baseline"][k]) for k in ("wall", "median", "cpu", "dtime")}
    print("ratio     " + "  ".join(f"{k} {v:.2f}" for k, v in ratio.items()))
    for mine, theirs in zip(runs["this tree"][-1], runs["baseline"][-1]):
        if mine[1] == theirs[1] == "OPTIMAL":
            assert mine[5] == theirs[5], f"{mine[0]}: proven plans differ: {mine[5]} against {theirs[5]}"
    return 0


if __name__ == "__main__":
    sys.exit(main())
