"""Benchmark: the 12-week, 3-block example's first-plan time and final gap.

For each time limit (10 s and 60 s by default) and each seed (0, 1, 2), one fresh process
solves ``scenarios/twelve_week_three_blocks.yaml`` with 2 workers and the plan is re-checked
by the independent checker. Reported per limit: the median time to the first complete plan
(the issue's target is under 2 s), the median final gap (relative, on the first objective
term not proven optimal; a plan with no bound on that term counts as 100 %) and the statuses. Runs are sequential, never in parallel. The
machine may be shared: quote the figures with the load they were measured under.

    .venv/bin/python benchmarks/bench_programme.py [--limits 10 60] [--seeds 0 1 2] [--catalogue DIR] [--baseline REV]

``--catalogue DIR`` merges an imported catalogue (e.g. free-exercise-db, issue 7) with the
built-in one; each run also reports its peak resident memory. ``--baseline REV`` solves
every (limit, seed) with that git revision's tree too, the two trees alternating which
goes first, so both are measured under the same load.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_goal import ROOT, export  # noqa: E402

SCENARIO = Path("scenarios") / "twelve_week_three_blocks.yaml"  # in the tree solved

CHILD = """
import json, resource, sys
from optimizer import check_programme_result, load_catalogue, load_scenario, solve_programme
sc = load_scenario(sys.argv[1]); cat = load_catalogue(sys.argv[4:])
r = solve_programme(sc, cat, time_limit_s=float(sys.argv[2]), workers=2, seed=int(sys.argv[3]))
ok = r.has_plan and check_programme_result(sc, cat, r).ok
terms = {t.name: [t.value, t.bound] for t in r.objective_terms}
print(json.dumps({"status": r.status.value, "first_plan_s": r.first_plan_s, "wall_s": r.wall_time_s,
                  "gap": r.gap, "checked": ok, "method": r.method, "terms": terms,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "exercises": r.exercises_considered, "dropped": r.exercises_dominated}))
"""


def run(limit: float, seed: int, catalogues: list[str], tree: Path = ROOT) -> dict:
    """One solve in a fresh process, importing ``optimizer`` from ``tree`` (the current
    folder comes first on ``python -c``'s path)."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(tree / SCENARIO), str(limit), str(seed), *(str(Path(c).resolve()) for c in catalogues)],
        capture_output=True, text=True, check=True, cwd=tree,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def report(name: str, limit: float, rows: list[dict]) -> None:
    firsts = [r["first_plan_s"] for r in rows if r["first_plan_s"] is not None]
    gaps = [r["gap"] if r["gap"] is not None else 1.0 for r in rows if r["checked"]]
    first = f"{statistics.median(firsts):.3f}" if firsts else "none"
    gap = f"{statistics.median(gaps):.1%}" if gaps else "none"
    detail = "; ".join(
        f"{r['status']}{'' if r['checked'] else ' (NOT CHECKED OK)'} {r['first_plan_s']} s, gap {r['gap']}" for r in rows
    )
    print(f"{name:>10} {limit:7g} {first:>22} {gap:>13}  {detail}")
    print(f"{'':>10}         exercises considered {rows[0]['exercises']} (pruned {rows[0].get('dropped')}), "
          f"wall {statistics.median(r['wall_s'] for r in rows):.2f} s (median), peak RSS {max(r['peak_rss_mb'] for r in rows):.0f} MB")
    for r in rows:
        print(f"{'':>10}         terms (value, bound):", json.dumps(r["terms"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limits", type=float, nargs="+", default=[10.0, 60.0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--catalogue", action="append", default=[], help="extra catalogue folder (repeatable)")
    ap.add_argument("--baseline", default=None, help="a git revision to measure beside this tree")
    args = ap.parse_args()
    loads = [Path("/proc/loadavg").read_text().split()[0]]
    extra = f"; catalogues: built-in + {', '.join(args.catalogue)}" if args.catalogue else "; built-in catalogue"
    print(f"12-week example, 2 workers, seeds {args.seeds}{extra}; baseline {args.baseline or 'none'}")
    print(f"{'tree':>10} {'limit_s':>7} {'first_plan_s (median)':>22} {'gap (median)':>13}  statuses / per-seed first plan, gap")
    with tempfile.TemporaryDirectory() as tmp:
        trees = [("this tree", ROOT)] + ([("baseline", export(args.baseline, Path(tmp)))] if args.baseline else [])
        for limit in args.limits:
            rows: dict[str, list] = {name: [] for name, _ in trees}
            for i, seed in enumerate(args.seeds):
                for name, tree in trees if i % 2 == 0 else trees[::-1]:
                    rows[name].append(run(limit, seed, args.catalogue, tree))
                    loads.append(Path("/proc/loadavg").read_text().split()[0])
            for name, _ in trees:
                report(name, limit, rows[name])
    print(f"load average (1 min) over the runs: {min(loads)}-{max(loads)}")


if __name__ == "__main__":
    main()
