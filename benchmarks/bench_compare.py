"""Comparing equipment variants against the slowest single solve among them.

    .venv/bin/python benchmarks/bench_compare.py [--scenario gym ...] [--repeats 5] [--workers 2]

Two measurements, each a median over ``--repeats`` runs, each a ratio against a
baseline measured in the same run (the target: comparing 4 variants takes about the
slowest single solve + 20 %, i.e. a ratio <= 1.2):

- library: ``compare()`` of the 4 built-in profiles vs ``solve()`` of the slowest of them,
  in this process (the worker pool is started fresh for every compare; the fork server
  stays up after the first, as it does in any long-running process);
- command line: ``programme compare SCENARIO`` vs ``programme solve`` of the slowest
  variant, each a fresh process (imports included, as a user sees it).

Solves are proven optimal, so every run finds the same plans; the script checks that
compare's results equal the single solves' (same terms) before timing anything.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from optimizer import load_catalogue, load_scenario, solve
from optimizer.compare import BUILTIN_PROFILES, compare, make_variants, variant_scenario
from optimizer.paths import examples_dir

PROGRAMME = str(Path(sys.executable).with_name("programme"))


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", nargs="+", default=["gym"], help="example names (several: one after another, a summary at the end)")
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument(
        "--workers", type=int, default=None,
        help="CP-SAT workers for every solve (default: the scenario's for single solves; compare shares the cores itself)",
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--executor", choices=["threads", "processes"], default="threads", help="how compare runs its solves")
    ap.add_argument("--no-cli", action="store_true", help="Skip the command-line measurement.")
    args = ap.parse_args()
    try:
        print("load average at start:", " ".join(Path("/proc/loadavg").read_text().split()[:3]))
    except OSError:
        pass
    rows = [bench(name, args) for name in args.scenario]
    if len(rows) > 1:
        print("\n| scenario | slowest single s | compare s | ratio | CLI solve s | CLI compare s | CLI ratio |")
        print("| --- | --- | --- | --- | --- | --- | --- |")
        for r in rows:
            print("| " + " | ".join(str(x) for x in r) + " |")


def bench(name: str, args) -> list:
    path = examples_dir() / f"{name}.yaml"
    sc, cat = load_scenario(path), load_catalogue()
    variants = make_variants(sc, cat, list(BUILTIN_PROFILES))
    run = {"seed": args.seed} if args.workers is None else {"workers": args.workers, "seed": args.seed}

    # Same answers first: compare's results are the single solves'.
    singles = {v.name: solve(variant_scenario(sc, v), cat, **run) for v in variants}
    comp = compare(sc, cat, variants, executor=args.executor, **run)
    for o in comp.variants:
        one = singles[o.name]
        assert o.result.status == one.status, o.name
        assert [(t.name, t.value) for t in o.result.objective_terms] == [(t.name, t.value) for t in one.objective_terms], o.name
    print(f"\nscenario {name}: variants " + ", ".join(f"{v.name} ({singles[v.name].status.value})" for v in variants))

    single_s = {
        v.name: statistics.median(timed(lambda v=v: solve(variant_scenario(sc, v), cat, **run)) for _ in range(args.repeats))
        for v in variants
    }
    slowest = max(single_s, key=single_s.get)
    compare_s = statistics.median(timed(lambda: compare(sc, cat, variants, executor=args.executor, **run)) for _ in range(args.repeats))
    print("library, median of", args.repeats, "runs:")
    for variant, s in single_s.items():
        print(f"  solve {variant:16s} {s:7.3f} s")
    print(f"  compare 4 variants     {compare_s:7.3f} s")
    print(f"  ratio compare / slowest single ({slowest}): {compare_s / single_s[slowest]:.2f}")

    row = [name, f"{single_s[slowest]:.3f}", f"{compare_s:.3f}", f"{compare_s / single_s[slowest]:.2f}"]
    if args.no_cli:
        return row + ["", "", ""]
    with tempfile.TemporaryDirectory() as tmp:
        # The slowest variant as a scenario file of its own, for `programme solve`.
        one = Path(tmp) / "slowest.yaml"
        data = yaml.safe_load(path.read_text())
        data["equipment"] = list(next(v for v in variants if v.name == slowest).equipment)
        one.write_text(yaml.safe_dump(data))
        flags = ["--seed", str(args.seed), "--format", "json"] + ([] if args.workers is None else ["--workers", str(args.workers)])

        def cli(*argv: str) -> None:
            # Exit 3 (no plan) is an outcome, not a failure: an infeasible variant is timed too.
            run = subprocess.run([PROGRAMME, *argv, *flags], capture_output=True)
            if run.returncode not in (0, 3):
                raise SystemExit(f"{' '.join(argv)} failed ({run.returncode}): {run.stderr.decode()[-300:]}")

        solve_cli = statistics.median(timed(lambda: cli("solve", str(one))) for _ in range(args.repeats))
        compare_cli = statistics.median(timed(lambda: cli("compare", str(path), "--executor", args.executor)) for _ in range(args.repeats))
    print("command line (fresh process each), median of", args.repeats, "runs:")
    print(f"  programme solve ({slowest})  {solve_cli:7.3f} s")
    print(f"  programme compare (4 variants) {compare_cli:7.3f} s")
    print(f"  ratio: {compare_cli / solve_cli:.2f}")
    return row + [f"{solve_cli:.3f}", f"{compare_cli:.3f}", f"{compare_cli / solve_cli:.2f}"]


if __name__ == "__main__":
    main()
