"""How loading a large catalogue scales: N valid exercises, N doubling, seconds per size.

    .venv/bin/python benchmarks/bench_catalogue_load.py [--sizes 2500 5000 10000 20000] [--repeats 3]

Each size is a catalogue folder (in a temporary directory) holding only an
``exercises/generated.yaml`` of N valid exercises, copies of the built-in ones under new
ids (merged with the built-in catalogue, as ``--catalogue DIR`` does). For each size: the
file's size, the median seconds of ``load_catalogue([folder])`` in a fresh process over
``--repeats`` runs (the built-in cache is warm; the new folder is read for the first time),
and the ratio to the previous size: about 2 for each doubling is linear, 4 quadratic.
Prints the load average, since the figures depend on it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CODE = """
import sys, time
from pathlib import Path
from optimizer.catalogue_load import load_catalogue
load_catalogue()  # the built-in one (warm, as in any command)
t = time.perf_counter()
cat = load_catalogue([Path(sys.argv[1])])
print(time.perf_counter() - t, len(cat.exercises))
"""


def generate(folder: Path, n: int) -> int:
    from optimizer.catalogue_load import load_catalogue

    base = [e.model_dump(mode="json", exclude_none=True) for e in load_catalogue().exercises]
    out = []
    for i in range(n):
        e = dict(base[i % len(base)])
        e["id"] = f"gen_{i:06d}_{e['id']}"
        e["name"] = f"{e['name']} (generated {i})"
        e.pop("variant_of", None)
        out.append(e)
    (folder / "exercises").mkdir(parents=True)
    path = folder / "exercises" / "generated.yaml"
    path.write_text(yaml.safe_dump({"exercises": out}, sort_keys=False))
    return path.stat().st_size


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[2500, 5000, 10000, 20000])
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    la = os.getloadavg()
    print(f"load average {la[0]:.2f} {la[1]:.2f} {la[2]:.2f}; repeats {args.repeats}")
    print(f"{'exercises':>9} {'MB':>6} {'median s':>9} {'ratio':>6}")
    prev = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            folder = Path(tmp) / f"n{n}"
            size = generate(folder, n)
            times = []
            for _ in range(args.repeats):
                out = subprocess.run([sys.executable, "-c", CODE, str(folder)], capture_output=True, text=True, cwd=ROOT)
                if out.returncode:
                    print(out.stderr.strip().splitlines()[-1])
                    return 1
                times.append(float(out.stdout.split()[0]))
            med = statistics.median(times)
            ratio = f"{med / prev:6.2f}" if prev else "     -"
            print(f"{n:9d} {size / 1e6:6.1f} {med:9.2f} {ratio}")
            prev = med
    return 0


if __name__ == "__main__":
    sys.exit(main())
