"""Benchmark: every example scenario with fixed parameters, and the CLI's start-up.

    python benchmarks/bench_scenarios.py [--repeats 5] [--workers 2] [--seed 0] [SCENARIO ...]

Per scenario (medians over repeats, one process, ortools imported once beforehand):
build time, solve wall time, status, objective terms, gap, stage-A rounds. Then
`programme --help` wall time (median over repeats) beside `python -c pass` measured in
the same run, as a ratio. Goals (issue 2): every example proven optimal under 1 s wall
with 2 workers; `programme --help` under 0.35 s. Not a test: the machine is shared and
noisy, so run it on a quiet machine and quote medians.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def bench_solves(paths, repeats, workers, seed):
    from optimizer import load_catalogue, load_scenario, solve

    catalogue = load_catalogue()
    import ortools.sat.python.cp_model  # noqa: F401  (import cost excluded from timings)

    rows = []
    for path in paths:
        scenario = load_scenario(path)
        walls, builds, result = [], [], None
        for _ in range(repeats):
            result = solve(scenario, catalogue, workers=workers, seed=seed)
            walls.append(result.wall_time_s)
            builds.append(result.build_time_s)
        terms = ", ".join(f"{t.name}={t.value:g}" for t in result.objective_terms)
        rows.append(
            {
                "scenario": Path(path).stem,
                "status": result.status.value,
                "build_s": statistics.median(builds),
                "wall_s": statistics.median(walls),
                "max_wall_s": max(walls),
                "gap": result.gap,
                "rounds": result.stats.get("rounds"),
                "method": result.method,
                "objective": terms,
            }
        )
    return rows


def time_command(cmd, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("scenarios", nargs="*", type=Path)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    from optimizer import load_scenario

    paths = args.scenarios or sorted((ROOT / "scenarios").glob("*.yaml"))
    programmes = [p for p in paths if load_scenario(p).weeks > 1]
    paths = [p for p in paths if p not in programmes]  # multi-week: benchmarks/bench_programme.py
    rows = bench_solves(paths, args.repeats, args.workers, args.seed)
    print(f"# Example scenarios: workers={args.workers}, seed={args.seed}, medians of {args.repeats} runs")
    print(f"{'scenario':34} {'status':10} {'build_s':>8} {'wall_s':>8} {'max_s':>7} {'gap':>6} {'rounds':>6}  objective")
    for r in rows:
        gap = "-" if r["gap"] is None else f"{r['gap']:.3f}"
        print(
            f"{r['scenario']:34} {r['status']:10} {r['build_s']:8.4f} {r['wall_s']:8.3f} {r['max_wall_s']:7.3f} {gap:>6} "
            f"{r['rounds'] if r['rounds'] is not None else '-':>6}  {r['objective']}"
        )
    bad = [r["scenario"] for r in rows if r["status"] not in ("OPTIMAL", "INFEASIBLE") or r["wall_s"] >= 1.0]
    print(f"goal (proven optimal or infeasible, median wall < 1 s): {'met' if not bad else 'MISSED: ' + ', '.join(bad)}")
    if programmes:
        print("multi-week (see benchmarks/bench_programme.py): " + ", ".join(p.stem for p in programmes))
    exe = Path(sys.executable).parent / "programme"
    help_s = time_command([str(exe), "--help"], args.repeats * 2)
    base_s = time_command([sys.executable, "-c", "pass"], args.repeats * 2)
    print(f"\n# Start-up: programme --help {help_s:.3f} s; python -c pass {base_s:.3f} s; ratio {help_s / base_s:.2f}")
    print(f"goal (--help < 0.35 s): {'met' if help_s < 0.35 else 'MISSED'}")


if __name__ == "__main__":
    main()
