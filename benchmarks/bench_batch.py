"""``programme batch`` against one ``programme solve`` process per athlete, and its memory.

    .venv/bin/python benchmarks/bench_batch.py [--sizes 100 200] [--repeats 3] [--separate 100]

For each size N, N athletes are generated (seeded: varied days, minutes, equipment from
bodyweight to a full gym, levels, knee limits, target scales) as a table over the
``home_balls_and_bands`` template, then, each a fresh process, timed as a user sees it:

- **batch**: ``programme batch TEMPLATE TABLE --output DIR`` (the local pool, one
  process per core, one CP-SAT worker each), into a new folder every repeat; its peak
  memory is sampled from /proc (the command and all its worker processes, summed, and the
  command alone);
- **separate**: ``programme solve`` of the same resolved scenarios, one process each, as
  many at once as there are cores, ``--workers 1`` too, for the first ``--separate``
  athletes (throughput is per athlete, so a sample measures it).

Throughput is athletes per second (median over repeats); the ratio batch / separate is
taken within the same run. The script checks that batch and the separate solves agree
on every sampled athlete both proved optimal (an unproven plan depends on timing).
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


def terms(path: Path) -> tuple:
    r = json.loads(path.read_text())
    return r["status"], tuple((t["name"], round(t["value"], 6)) for t in r["objective_terms"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 200])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--separate", type=int, default=100, help="athletes solved as separate processes (a sample)")
    args = ap.parse_args()
    print("load average at start:", " ".join(Path("/proc/loadavg").read_text().split()[:3]), f"cores: {os.cpu_count()}")
    template = examples_dir() / "home_balls_and_bands.yaml"
    catalogue = load_catalogue()
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            table = tmp / "athletes.csv"
            table.write_text(athletes_table(n))
            scen = tmp / "scenarios"
            scen.mkdir()
            athletes = collect([template, table], catalogue)
            files = []
            for a in athletes[: min(n, args.separate)]:
                files.append(scen / f"{a.id}.json")
                files[-1].write_text(a.scenario.model_dump_json())
            sep_out = tmp / "separate"
            sep_out.mkdir()
            batch_walls, sep_walls, peaks, own_peaks = [], [], [], []
            for r in range(args.repeats):
                wall, peak, own = run_batch_cmd(template, table, tmp / f"batch{r}")
                batch_walls.append(wall)
                peaks.append(peak)
                own_peaks.append(own)
                sep_walls.append(run_separate(files, sep_out))
                if r == 0:
                    # Proven plans must agree; an unproven one (the time limit passed, as on a
                    # loaded machine) depends on timing, so it is counted, not compared.
                    unproven = 0
                    for f in files:
                        plan = tmp / "batch0" / "plans" / f"{f.stem}.json"
                        mine = sep_out / f"{f.stem}.json"
                        if plan.exists() and mine.exists():
                            a, b = terms(plan), terms(mine)
                            if a[0] == b[0] == "OPTIMAL":
                                assert a == b, f.stem
                            else:
                                unproven += 1
                    print(f"  N={n}: batch and separate agree on every athlete both proved; {unproven} not proven by both")
                summary = (tmp / f"batch{r}" / "summary.csv").read_text().splitlines()
                print(f"  N={n} repeat {r + 1}: batch {wall:.1f} s, separate ({len(files)}) {sep_walls[-1]:.1f} s, "
                      f"peak {peak / 1024:.0f} MiB (command {own / 1024:.0f} MiB), {len(summary) - 1} rows", flush=True)
            b = n / statistics.median(batch_walls)
            s = len(files) / statistics.median(sep_walls)
            print(
                f"N={n}: batch {statistics.median(batch_walls):.1f} s = {b:.2f} athletes/s; separate {s:.2f} athletes/s; "
                f"ratio {b / s:.1f}x; peak memory {statistics.median(peaks) / 1024:.0f} MiB "
                f"(command alone {statistics.median(own_peaks) / 1024:.0f} MiB)",
                flush=True,
            )
    print("load average at end:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))


if __name__ == "__main__":
    main()
