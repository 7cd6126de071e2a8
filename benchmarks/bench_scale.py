"""Speed at scale: the built-in catalogue against built-in + imported free-exercise-db.

For every example scenario (one week), every catalogue and every seed, in a fresh process
(one run at a time, never two in parallel):

- **first plan**: a solve with a 1-second limit; did it return a plan?
- **full solve**: a solve with the time limit (default 10 s): status, gap, wall time;
- **peak RSS** of the process (resource.getrusage), and how many exercises were modelled
  and how many pruning dropped.

Prints a Markdown table of medians over the seeds, and the imported/built-in ratio of
median wall times. Usage::

    .venv/bin/python benchmarks/bench_scale.py                     # imports ../shared/...
    .venv/bin/python benchmarks/bench_scale.py --catalogue DIR --seeds 0 1 2 --time-limit 10
    .venv/bin/python benchmarks/bench_scale.py --no-prune          # pruning off, to compare

Twelve-week targets are not measured here: multi-week plans are another issue's work.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT.parent / "shared" / "datasets" / "free-exercise-db" / "exercises.json"


def child(scenario: str, catalogue: str | None, seed: int, limit: float, workers: int, prune: bool, params: str) -> dict:
    import resource
    import time

    from optimizer import check_result, load_catalogue, load_scenario, solve

    cat = load_catalogue([catalogue] if catalogue else None)
    sc = load_scenario(ROOT / "scenarios" / f"{scenario}.yaml")
    extra = json.loads(params) if params else None
    t0 = time.perf_counter()
    first = solve(sc, cat, time_limit_s=1.0, workers=workers, seed=seed, prune=prune, extra_params=extra)
    first_s = time.perf_counter() - t0
    full = solve(sc, cat, time_limit_s=limit, workers=workers, seed=seed, prune=prune, extra_params=extra)
    ok = full.status.has_plan and check_result(sc, cat, full).ok
    return {
        "first_plan": first.status.has_plan,
        "first_s": round(first_s, 3),
        "status": full.status.value,
        "checked": ok,
        "gap": full.gap,
        "wall_s": full.wall_time_s,
        "considered": full.exercises_considered,
        "dominated": full.exercises_dominated,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run(scenario, catalogue, seed, args) -> dict:
    cmd = [sys.executable, __file__, "--child", scenario, catalogue or "", str(seed), str(args.time_limit),
           str(args.workers), "0" if args.no_prune else "1", args.params or ""]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        s, c, seed, limit, workers, prune, params = sys.argv[2:9]
        print(json.dumps(child(s, c or None, int(seed), float(limit), int(workers), prune == "1", params)))
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--catalogue", help="an imported catalogue folder (default: import the shared dataset)")
    ap.add_argument("--scenarios", nargs="*", default=["gym", "home_balls_and_bands", "knee_safe", "seed000_split", "time_crunched_20min"])
    ap.add_argument("--seeds", nargs="*", type=int, default=[0, 1, 2])
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-prune", action="store_true")
    ap.add_argument("--params", default="", help='extra SatParameters as JSON, e.g. \'{"linearization_level": 2}\'')
    args = ap.parse_args()
    tmp = None
    imported = args.catalogue
    if imported is None:
        sys.path.insert(0, str(ROOT))
        from optimizer.importers import import_free_exercise_db, write_import

        tmp = tempfile.TemporaryDirectory()
        write_import(import_free_exercise_db(DATASET), tmp.name)
        imported = tmp.name
    rows = []
    print(f"time limit {args.time_limit} s, {args.workers} workers, seeds {args.seeds}, pruning {'off' if args.no_prune else 'on'}"
          + (f", params {args.params}" if args.params else ""))
    print("| scenario | catalogue | modelled | pruned | plan in 1 s | status (per seed) | median wall s | median gap | peak RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for scenario in args.scenarios:
        medians = {}
        for label, cat in (("built-in", None), ("+ imported", imported)):
            res = [run(scenario, cat, seed, args) for seed in args.seeds]
            wall = statistics.median(r["wall_s"] for r in res)
            gaps = [r["gap"] for r in res if r["gap"] is not None]
            medians[label] = wall
            statuses = ",".join(r["status"][:3] + ("" if r["checked"] or not r["status"] in ("OPTIMAL", "FEASIBLE") else "!") for r in res)
            print(f"| {scenario} | {label} | {res[0]['considered']} | {res[0]['dominated']} | "
                  f"{sum(r['first_plan'] for r in res)}/{len(res)} | {statuses} | {wall:.2f} | "
                  f"{(f'{statistics.median(gaps):.1%}' if gaps else '-')} | {max(r['peak_rss_mb'] for r in res):.0f} |")
            rows.append((scenario, label, res))
        print(f"|  | ratio imported / built-in (median wall) | | | | | {medians['+ imported'] / max(medians['built-in'], 1e-9):.1f}x | | |")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
