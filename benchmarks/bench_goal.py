"""Benchmark: the single-week examples under the best_training goal, against a baseline tree.

    python benchmarks/bench_goal.py [--repeats 5] [--workers 2] [--baseline REV] [--instances DIR] [--no-least-time]

Issue 11, item 7: every example proven optimal in under 1 s on 2 cores, and the built-in
suite no slower than before the goal changed by more than 1.5x, as a ratio in one run.
The baseline (default 5620e6b, the last commit with the "fewest minutes" objective) is
exported with ``git archive`` into a temporary folder; each repeat runs one process per
tree, alternating, so both see the same load. Each process solves every example once
(ortools imported and the catalogue loaded beforehand) and reports solve wall times; the
figures are medians over repeats, and the load average is printed with them; beside them, the
CP-SAT deterministic time of every search of a solve, which does not depend on load. The current
tree is also run with ``goal: least_time`` (the old objective on the new model) unless
``--no-least-time``. ``--instances DIR``: the examples' namesakes in DIR, solved on the
catalogue in DIR/catalogue (``benchmarks/instances/near_duplicates``: about 200 exercises).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ["gym", "home_balls_and_bands", "seed000_split", "knee_safe", "time_crunched_20min", "infeasible_time_vs_volume",
            "home_and_gym"]  # an example the baseline does not have is left out of the ratio

# Runs inside a tree: solve each example once, print {name: [wall_s, status]} as JSON.
PROBE = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from optimizer import load_catalogue, load_scenario, solve
import ortools.sat.python.cp_model as cp
_solve, _det = cp.CpSolver.solve, [0.0]
def _counted(self, *a, **k):  # CP-SAT's deterministic time of every search: load-independent work
    st = _solve(self, *a, **k)
    _det[0] += self.deterministic_time
    return st
cp.CpSolver.solve = _counted
from pathlib import Path
cat = load_catalogue([Path(sys.argv[5])] if sys.argv[5] != "-" else None)
out = {}
import os
for name in sys.argv[6:]:
    path = f"{sys.argv[4] if sys.argv[4] != '-' else sys.argv[1] + '/scenarios'}/{name}.yaml"
    if not os.path.exists(path):
        continue
    sc = load_scenario(path)
    if sys.argv[3] != "default":
        sc = sc.model_copy(update={"goal": sys.argv[3]})
    _det[0] = 0.0
    r = solve(sc, cat, workers=int(sys.argv[2]), seed=0)
    out[name] = [r.wall_time_s, r.status.value, round(_det[0], 4)]
print(json.dumps(out))
"""


def export(rev: str, into: Path) -> Path:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    archive = into / "base.tar"
    archive.write_bytes(data)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "base")
    return into / "base"


def probe(tree: Path, workers: int, goal: str, instances: Path | None = None) -> dict:
    env = dict(os.environ, PROGRAMME_NO_CACHE="1")
    where = [str(instances), str(instances / "catalogue")] if instances else ["-", "-"]
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(tree), str(workers), goal, *where, *EXAMPLES], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--baseline", default="5620e6b")
    ap.add_argument("--instances", type=Path, help="solve DIR/NAME.yaml on DIR/catalogue instead of the examples")
    ap.add_argument("--no-least-time", action="store_true", help="skip the runs under goal least_time")
    args = ap.parse_args()
    instances = args.instances.resolve() if args.instances else None
    runs: dict[str, list[dict]] = {"best_training": [], "least_time": [], "baseline": []}
    load = [os.getloadavg()[0]]
    with tempfile.TemporaryDirectory() as tmp:
        base = export(args.baseline, Path(tmp))
        for _ in range(args.repeats):
            runs["best_training"].append(probe(ROOT, args.workers, "default", instances))
            runs["baseline"].append(probe(base, args.workers, "default", instances))
            runs["least_time"].append({} if args.no_least_time else probe(ROOT, args.workers, "least_time", instances))
            load.append(os.getloadavg()[0])
    print(f"{args.repeats} repeats, {args.workers} workers, seed 0; load average {min(load):.2f}-{max(load):.2f}")
    print(f"{'example':28s} {'best_training':>20s} {'least_time':>20s} {'baseline':>20s} {'ratio':>6s}")
    totals = {k: 0.0 for k in runs}
    det_line: list[str] = []
    for name in EXAMPLES:
        common = name in runs["baseline"][-1]
        cells = []
        for kind in ("best_training", "least_time", "baseline"):
            if name not in runs[kind][-1]:
                cells.append(f"{'-':>8s}   {'':>10s}")
                continue
            walls = [r[name][0] for r in runs[kind]]
            med = statistics.median(walls)
            if common:
                totals[kind] += med
            cells.append(f"{med:8.3f} s {runs[kind][-1][name][1]:>10s}")
        dets = [statistics.median(r[name][2] for r in runs[k]) if name in runs[k][-1] and len(runs[k][-1][name]) > 2 else float("nan")
                for k in ("best_training", "baseline")]
        det_line.append(f"{name}: {dets[0]:.3f} (baseline {dets[1]:.3f})")
        ratio = (statistics.median(r[name][0] for r in runs["best_training"]) / max(1e-9, statistics.median(r[name][0] for r in runs["baseline"]))) if common else float("nan")
        print(f"{name:28s} {cells[0]:>20s} {cells[1]:>20s} {cells[2]:>20s} {ratio:6.2f}")
    print(f"{'suite (common examples)':28s} {totals['best_training']:8.3f} s {'':10s} {totals['least_time']:8.3f} s {'':10s} "
          f"{totals['baseline']:8.3f} s {'':10s} {totals['best_training'] / totals['baseline']:6.2f}")
    print("CP-SAT deterministic time per solve (all searches, median; independent of load):")
    for line in det_line:
        print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
