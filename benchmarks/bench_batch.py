"""``programme batch`` against one ``programme solve`` process per athlete, and its memory.

    .venv/bin/python benchmarks/bench_batch.py [--sizes 100 1000] [--repeats 3 1] [--separate 30 60]

For each size N, N athletes are generated (seeded: varied days, minutes, equipment from
bodyweight to a full gym, levels, knee limits, target scales) as a table over the
``home_balls_and_bands`` template, then, each a fresh process, timed as a user sees it:

- **batch**: ``programme batch TEMPLATE TABLE --output DIR`` (the local pool, one
  process per core, one CP-SAT worker each), into a new folder every repeat; its peak
  memory is sampled from /proc (the command and all its worker processes, summed, and the
  command alone);
- **separate**: ``programme solve`` of the same resolved scenarios, one process each, as
  many at once as there are cores, ``--workers 1`` too. Not all N: a random sample of
  ``--separate`` athletes (seeded), timed in ``--chunks`` parts, and the time for all N
  extrapolated from its throughput (a process per athlete costs the same whichever
  athlete it is; the script says so in its output).

Throughput is athletes per second: batch, the median over repeats (``--repeats`` per
size: at 1,000 athletes one run is itself 1,000 solves); separate, the median over every
timed part of every repeat. The ratio batch / separate is taken within the same run. The
script checks that batch and the separate solves agree on every sampled athlete both
proved optimal (an unproven plan depends on timing), and compares the peak memory of
the largest size with the smallest's.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from optimizer import load_catalogue
from optimizer.batch_inputs import collect
from optimizer.compare import builtin_profiles
from optimizer.paths import examples_dir

PROGRAMME = str(Path(sys.executable).with_name("programme"))
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def athletes_table(n: int, seed: int = 0) -> str:
    """N varied athletes as a CSV over the template (deterministic for a seed)."""
    rng = random.Random(seed)
    profiles = builtin_profiles(load_catalogue())
    names = ["balls_and_bands", "home_dumbbells", "full_gym", "bodyweight"]
    rows = ["id,days,minutes,equipment,level,max_knee_flexion_deg,target_scale"]
    for i in range(n):
        days = sorted(rng.sample(DAYS, rng.choice([2, 3, 3, 4])), key=DAYS.index)
        minutes = ";".join(str(rng.choice([25, 30, 35, 40, 45])) for _ in days)
        equipment = ";".join(profiles[rng.choices(names, weights=[4, 3, 2, 1])[0]])
        level = rng.choice(["beginner", "intermediate", "advanced"])
        knee = rng.choice(["", "", "90", "120"])
        scale = rng.choice(["0.8", "1", "1", "1.2"])
        rows.append(f"a{i:04d},{' '.join(days)},{minutes},{equipment},{level},{knee},{scale}")
    return "\n".join(rows) + "\n"


def _tree_rss_kib(root: int) -> tuple[int, int]:
    """(RSS of ``root`` and all its descendants, RSS of ``root``) in KiB, from /proc."""
    parent: dict[int, int] = {}
    rss: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            stat = Path(f"/proc/{d}/stat").read_text()
            status = Path(f"/proc/{d}/status").read_text()
        except OSError:
            continue
        parent[int(d)] = int(stat.rsplit(")", 1)[1].split()[1])
        rss[int(d)] = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    tree, frontier = {root}, [root]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parent.items() if pp == p and c not in tree]
        tree.update(kids)
        frontier += kids
    return sum(rss.get(p, 0) for p in tree), rss.get(root, 0)


def run_batch_cmd(template: Path, table: Path, out: Path) -> tuple[float, int, int]:
    """Wall seconds, peak RSS of the command and its workers (KiB), peak of the command alone."""
    cmd = [PROGRAMME, "batch", str(template), str(table), "--output", str(out), "--seed", "0"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0, 0]

    def sample() -> None:
        while proc.poll() is None:
            total, own = _tree_rss_kib(proc.pid)
            peak[0], peak[1] = max(peak[0], total), max(peak[1], own)
            time.sleep(0.2)

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    watcher.join()
    if proc.returncode not in (0, 3):
        sys.exit(f"batch failed ({proc.returncode}): {err.strip()}")
    return wall, peak[0], peak[1]


def run_separate(files: list[Path], outdir: Path) -> float:
    """Wall seconds for one ``programme solve`` process per file, as many at once as cores."""

    def one(f: Path) -> None:
        subprocess.run(
            [PROGRAMME, "solve", str(f), "--format", "json", "--output", str(outdir / f"{f.stem}.json"), "--force",
             "--workers", "1", "--seed", "0"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(one, files))
    return time.perf_counter() - t0


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def terms(path: Path) -> tuple:
    r = json.loads(path.read_text())
    return r["status"], tuple((t["name"], round(t["value"], 6)) for t in r["objective_terms"])


def agree(files: list[Path], plans: Path, separate: Path) -> int:
    """Proven plans must agree; an unproven one (the time limit passed, as on a loaded
    machine) depends on timing, so it is counted, not compared. Returns that count."""
    unproven = 0
    for f in files:
        plan, mine = plans / f"{f.stem}.json", separate / f"{f.stem}.json"
        if plan.exists() and mine.exists():
            a, b = terms(plan), terms(mine)
            if a[0] == b[0] == "OPTIMAL":
                assert a == b, f.stem
                continue
        unproven += 1
    return unproven


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    ap.add_argument("--repeats", type=int, nargs="+", default=[3, 1], help="repeats per size (the last one for the rest)")
    ap.add_argument("--separate", type=int, nargs="+", default=[30, 60], help="athletes solved as separate processes, per size: a random sample")
    ap.add_argument("--chunks", type=int, default=3, help="parts the sample is timed in (their median is taken)")
    args = ap.parse_args()
    print(f"load average at start: {load()}, cores: {os.cpu_count()}", flush=True)
    template = examples_dir() / "home_balls_and_bands.yaml"
    catalogue = load_catalogue()
    results = {}
    for k, n in enumerate(args.sizes):
        repeats = args.repeats[min(k, len(args.repeats) - 1)]
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            table = tmp / "athletes.csv"
            table.write_text(athletes_table(n))
            scen = tmp / "scenarios"
            scen.mkdir()
            athletes = collect([template, table], catalogue)
            assert all(a.error is None for a in athletes)
            sample = random.Random(n).sample(athletes, min(n, args.separate[min(k, len(args.separate) - 1)]))
            files = []
            for a in sample:
                files.append(scen / f"{a.id}.json")
                files[-1].write_text(a.scenario.model_dump_json())
            parts = [files[i :: args.chunks] for i in range(args.chunks)]
            sep_out = tmp / "separate"
            sep_out.mkdir()
            batch_walls, sep_rates, peaks, own_peaks = [], [], [], []
            for r in range(repeats):
                wall, peak, own = run_batch_cmd(template, table, tmp / f"batch{r}")
                batch_walls.append(wall)
                peaks.append(peak)
                own_peaks.append(own)
                statuses = [line.split(",")[2] for line in (tmp / f"batch{r}" / "summary.csv").read_text().splitlines()[1:]]
                print(f"  N={n} repeat {r + 1}: batch {wall:.1f} s, {len(statuses)} rows "
                      f"({sum(s in ('OPTIMAL', 'FEASIBLE') for s in statuses)} with a plan, {statuses.count('OPTIMAL')} proven), "
                      f"peak {peak / 1024:.0f} MiB (command {own / 1024:.0f} MiB); load {load()}", flush=True)
                sep = [run_separate(part, sep_out) for part in parts]
                sep_rates += [len(part) / w for part, w in zip(parts, sep)]
                print(f"  N={n} repeat {r + 1}: separate, a random sample of {len(files)} in {len(parts)} parts: "
                      + ", ".join(f"{len(part)} in {w:.1f} s" for part, w in zip(parts, sep)) + f"; load {load()}", flush=True)
                if r == 0:
                    unproven = agree(files, tmp / "batch0" / "plans", sep_out)
                    print(f"  N={n}: batch and separate agree on every sampled athlete both proved; {unproven} not proven by both", flush=True)
            wall = statistics.median(batch_walls)
            b, s = n / wall, statistics.median(sep_rates)
            results[n] = (statistics.median(peaks), statistics.median(own_peaks))
            print(
                f"N={n}: batch {wall:.1f} s = {b:.2f} athletes/s (median of {repeats}); separate {s:.2f} athletes/s "
                f"(a random sample of {len(files)} of the {n} processes timed, all {n} extrapolated: {n / s:.0f} s); "
                f"ratio {b / s:.1f}x; peak memory {results[n][0] / 1024:.0f} MiB (command alone {results[n][1] / 1024:.0f} MiB)",
                flush=True,
            )
    if len(results) > 1:
        lo, hi = min(results), max(results)
        print(f"peak memory at N={hi} / N={lo}: command + workers {results[hi][0] / results[lo][0]:.3f}, "
              f"command alone {results[hi][1] / results[lo][1]:.3f}", flush=True)
    print("load average at end:", load(), flush=True)


if __name__ == "__main__":
    main()
