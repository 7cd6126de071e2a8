"""Benchmark: the same week with and without supersets (rules.supersets), in one run.

    python benchmarks/bench_supersets.py [--repeats 3] [--workers 2] [--seed 0] [--time-limit 30]
                                         [--minutes N] [SCENARIO ...]

Per scenario (default: the time-crunched example), solved with ``rules.supersets`` false
and true, every plan re-checked by the independent checker: status, shortfall (effective
sets), targets met, the ``minutes`` tie-break (sets counted straight), the minutes the
week's days actually use (warm-ups included, pairs done as supersets), and the median solve
wall time. Then the ratios on/off of minutes used and of wall time. ``--minutes N`` sets
every day's budget to N minutes (tighter weeks, where supersets let more work fit). Not a
test: the machine is shared and noisy, so quote medians with the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run(path: str, repeats: int, workers: int, seed: int, limit: float, minutes: int | None) -> list[dict]:
    from optimizer import load_catalogue, load_scenario, solve
    from optimizer.checker import check_result
    from optimizer.paths import scenario_path

    catalogue = load_catalogue()
    base = load_scenario(scenario_path(path))
    if minutes is not None:
        base = base.model_copy(update={"days": [d.model_copy(update={"minutes": minutes}) for d in base.days]})
    rows = []
    for on in (False, True):
        sc = base.model_copy(update={"rules": base.rules.model_copy(update={"supersets": on})})
        walls, result = [], None
        for _ in range(repeats):
            result = solve(sc, catalogue, workers=workers, seed=seed, time_limit_s=limit)
            walls.append(result.wall_time_s)
        report = check_result(sc, catalogue, result)
        terms = {t.name: t.value for t in result.objective_terms}
        plan = result.plan
        rows.append(
            {
                "scenario": Path(path).stem + (f" @{minutes} min" if minutes else ""),
                "supersets": on,
                "status": result.status.value + ("" if report.ok else " INVALID"),
                "shortfall": terms.get("shortfall", 0.0),
                "targets_met": sum(1 for v in plan.volume if v.min is not None and v.shortfall == 0) if plan else None,
                "minutes_term": terms.get("minutes"),
                "minutes_used": round(sum(d.minutes_used for d in plan.days), 2) if plan else None,
                "pairs": sum(1 for _, x in plan.entries() if x.superset and x.superset.endswith("1")) if plan else 0,
                "wall_s": round(statistics.median(walls), 3),
            }
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scenarios", nargs="*", default=["time_crunched_20min"])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--time-limit", type=float, default=30.0)
    ap.add_argument("--minutes", type=int, default=None)
    a = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores; repeats {a.repeats}, workers {a.workers}, seed {a.seed}")
    cols = ["scenario", "supersets", "status", "shortfall", "targets_met", "minutes_term", "minutes_used", "pairs", "wall_s"]
    print("| " + " | ".join(cols) + " |")
    print("|" + " --- |" * len(cols))
    for path in a.scenarios:
        off, on = run(path, a.repeats, a.workers, a.seed, a.time_limit, a.minutes)
        for row in (off, on):
            print("| " + " | ".join(str(row[c]) for c in cols) + " |")
        if off["minutes_used"] and on["minutes_used"]:
            print(
                f"ratio on/off: minutes used {on['minutes_used'] / off['minutes_used']:.3f} "
                f"({off['minutes_used'] - on['minutes_used']:.2f} min saved), wall {on['wall_s'] / max(off['wall_s'], 1e-9):.2f}"
            )


if __name__ == "__main__":
    main()
