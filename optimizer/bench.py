"""Benchmarking solver settings: runner, metrics and summary (``programme bench``).

Protocol (PERFORMANCE.md, the convention of the field): stored instance files; every
(instance, preset, seed) in its own fresh process, one at a time; each plan re-checked by
the independent checker; results appended to a CSV one whole row at a time, so an
interrupted bench resumes where it stopped.

Metrics per run (raw, in the CSV): status, objective, bound, gap, time to first plan,
time to proof, build and presolve time, number of improving solutions, the trace of
plans found (time, objective terms), versions and parameters. Derived by the summary
from the traces, against the best plan known over the whole file (so that they stay
consistent as better plans become known): time to within 1 % of the best known, and the
primal integral.

Lexicographic objectives have no single number: plans are compared term by term, and the
*primal gap* of a plan is the relative difference |v - b| / max(|v|, |b|) on the first
term where it differs from the best known plan b (0 when equal, 1 with no plan).

Summary (per preset): runs proven / with a plan, proven within each fraction of the time
limit, shifted geometric means (shift 1 s) of each time metric with PAR2 (twice the
time limit) for runs that never got there, wins and losses per instance and ratios against
a baseline preset, and PERFORMANCE.md's rule: "adopt" only when the ratio is <= 0.8, no
instance loses its plan and none gets more than 2x slower.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from statistics import median

from .errors import InputError

SHIFT_S = 1.0
ADOPT_RATIO = 0.8
MAX_SLOWDOWN = 2.0
WITHIN = 0.01  # "within 1 % of the best known"
NOISE = 0.1  # per-instance ratios within 10 % of 1 are ties, neither win nor loss
LADDER = (0.1, 0.25, 0.5, 1.0)  # fractions of the time limit for "solved within"
TIME_METRICS = ("first_plan", "within_1pct", "proof")

COLUMNS = [
    "scenario", "preset", "seed", "time_limit_s", "backend", "status", "checked", "objective", "bound", "gap",
    "terms", "values", "time_first_plan_s", "time_proof_s", "wall_s", "build_s", "presolve_s", "solutions",
    "method", "workers", "parameters", "trace", "preset_digest", "instance_digest", "catalogue_digest",
    "ortools", "programme_optimiser", "python", "machine", "load1", "started", "error",
]  # fmt: skip
KEY = ("scenario", "preset", "seed", "time_limit_s")


# ---------------------------------------------------------------------------------------
# Metrics: pure functions on small inputs (tested on fixed numbers).


def shifted_geometric_mean(values, shift: float = SHIFT_S) -> float:
    """exp(mean(log(v + shift))) - shift: the field's mean for run times (damps tiny times)."""
    values = list(values)
    if not values:
        return math.nan
    if any(v < 0 for v in values):
        raise ValueError("times must be non-negative")
    return math.exp(sum(math.log(v + shift) for v in values) / len(values)) - shift


def par2(t: float | None, limit: float) -> float:
    """The time, or twice the time limit when the run never got there (None or beyond the limit)."""
    if t is None or (isinstance(t, float) and math.isnan(t)) or t > limit:
        return 2.0 * limit
    return t


def primal_gap(values, best) -> float:
    """Relative gap of a plan's term vector to the best known one, on the first differing term.

    ``values`` may hold None for terms not known yet (then: 1 unless an earlier term decides).
    Returns 0 for an equal vector, 1 for no plan or opposite signs.
    """
    if values is None:
        return 1.0
    for v, b in zip(values, best):
        if v is None:
            return 1.0
        if v == b:
            continue
        if v * b < 0:
            return 1.0
        return min(1.0, abs(v - b) / max(abs(v), abs(b)))
    return 0.0


def lex_key(values) -> tuple:
    return tuple(math.inf if v is None else v for v in values)


def time_to_within(trace, best, tol: float = WITHIN) -> float | None:
    """First time a plan in ``trace`` [(t, values)] is within ``tol`` of ``best``; None if never."""
    for t, values in trace:
        if primal_gap(values, best) <= tol:
            return t
    return None


def primal_integral(trace, best, horizon: float) -> float:
    """Integral over [0, horizon] of the incumbent's primal gap (1 before the first plan)."""
    area, gap, last = 0.0, 1.0, 0.0
    for t, values in trace:
        t = min(t, horizon)
        area += gap * (t - last)
        last = t
        gap = min(gap, primal_gap(values, best))
    return area + gap * max(0.0, horizon - last)


def adopt(ratio: float, lost_plans: int, worst_ratio: float) -> bool:
    """PERFORMANCE.md: ratio <= 0.8 overall, no lost plan, never more than 2x slower on an instance."""
    return ratio <= ADOPT_RATIO + 1e-12 and lost_plans == 0 and worst_ratio <= MAX_SLOWDOWN + 1e-12


def shifted_ratio(t: float, base: float, shift: float = SHIFT_S) -> float:
    """Per-instance slowdown with the same shift as the means: 0.05 s vs 0.11 s is noise, not 2x."""
    return (t + shift) / (base + shift)


# ---------------------------------------------------------------------------------------
# One run, in a fresh child process.


class Recorder:
    """An encoding observer: plan times, solution count, presolve time from the log."""

    def __init__(self):
        self.t0 = time.perf_counter()
        self.plans: list[tuple[float, dict]] = []
        self.solutions = 0
        self.presolve_s = 0.0
        self._presolve_start: float | None = None

    def now(self) -> float:
        return time.perf_counter() - self.t0

    def solution(self, kind: str, stage: str, values: dict) -> None:
        if kind != "final":
            self.solutions += 1
        if kind in ("plan", "final"):
            self.plans.append((self.now(), dict(values)))

    def log(self, line: str) -> None:
        # CP-SAT: "Starting presolve at ..." .. "Starting search at ..."; HiGHS: "Presolving model" .. "Solving MIP model".
        if line.startswith("Starting presolve") or line.startswith("Presolving model"):
            self._presolve_start = self.now()
        elif self._presolve_start is not None and (line.startswith("Starting search") or line.startswith("Solving MIP model") or line.startswith("Solving report")):
            self.presolve_s += self.now() - self._presolve_start
            self._presolve_start = None


def file_digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        files = sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p]
        for q in files:
            h.update(q.name.encode())
            h.update(q.read_bytes())
    return h.hexdigest()[:12]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, {platform.system()}"


def catalogue_digest(catalogues=()) -> str:
    """Digest of the catalogue a run solves against: the built-in folder plus any extra ones."""
    from .paths import builtin_catalogue_dir

    return file_digest(builtin_catalogue_dir(), *(Path(c) for c in catalogues))


def run_one(instance: str, preset_file: str, seed: int, time_limit_s: float, catalogues=()) -> dict:
    """Solve one instance with one preset and seed; the CSV row. Meant for a fresh process.

    ``catalogues``: extra catalogue folders merged with the built-in one (``--catalogue``)."""
    from .catalogue_load import load_catalogue
    from .checker import check_result
    from .encoding import solve as _warm  # noqa: F401  pay ortools' import before the clock starts
    from .presets import load_preset, solve_settings
    from .scenario import load_scenario
    from .solver import solve, version

    preset = load_preset(preset_file)
    if preset.backend == "highs":
        from .encoding import highs as _warm_highs  # noqa: F401
    scenario, catalogue = load_scenario(instance), load_catalogue(list(catalogues))
    kw = solve_settings(preset, time_limit_s=time_limit_s, seed=seed)
    row = {
        "scenario": Path(instance).stem,
        "preset": preset.name,
        "seed": seed,
        "time_limit_s": time_limit_s,
        "backend": preset.backend,
        "preset_digest": preset.digest,
        "instance_digest": file_digest(Path(instance)),
        "catalogue_digest": catalogue_digest(catalogues),
        "ortools": version("ortools"),
        "programme_optimiser": version("programme-optimiser"),
        "python": platform.python_version(),
        "machine": machine(),
        "load1": round(os.getloadavg()[0], 2),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
    }
    rec = Recorder()
    result = solve(scenario, catalogue, source=instance, diagnose=False, observer=rec, **kw)
    wall = rec.now()
    terms = ["weighted"] if result.objective == "weighted" else [t.name for t in result.objective_terms]
    status = result.status.value
    checked = ""
    if result.plan is not None:
        report = check_result(scenario, catalogue, result)
        checked = "ok" if report.ok else f"{len(report.violations)} violation(s): {report.violations[0]}"
        if not report.ok:
            status = "INVALID"  # a plan the checker rejects is no plan
    proven = result.status.value in ("OPTIMAL", "INFEASIBLE") and status != "INVALID"
    final = [t.value for t in result.objective_terms]
    if result.objective == "weighted":
        final = [result.objective_value]
    divisor = _divisors(scenario, catalogue)
    trace = [[round(t, 4), [None if n not in vals else round(vals[n] / divisor[n], 4) for n in terms]] for t, vals in rec.plans]
    row.update(
        status=status,
        checked=checked,
        objective=result.objective_value,
        bound=result.best_bound,
        gap=result.gap,
        terms=";".join(terms),
        values=json.dumps(final) if result.plan is not None else "",
        time_first_plan_s=round(rec.plans[0][0], 4) if rec.plans and status != "INVALID" else None,
        time_proof_s=round(wall, 4) if proven else None,
        wall_s=round(wall, 4),
        build_s=result.build_time_s,
        presolve_s=round(rec.presolve_s, 4),
        solutions=rec.solutions,
        method=result.method,
        workers=result.parameters.get("workers"),
        parameters=json.dumps(result.parameters, sort_keys=True),
        trace=json.dumps(trace),
        error="",
    )
    return row


def _divisors(scenario, catalogue) -> dict[str, int]:
    """Internal units per display unit of each term (the trace is stored in display units)."""
    from .encoding.objective import term_info
    from .problem import build_problem

    info = term_info(build_problem(scenario, catalogue))
    return {"weighted": 1} | {n: t.divisor for n, t in info.items()}


# ---------------------------------------------------------------------------------------
# The runner: one child process per run, rows appended whole.


@dataclass
class BenchPlan:
    instances: list[Path]
    presets: list  # optimizer.presets.Preset
    seeds: int = 3
    time_limit_s: float = 10.0
    output: Path = Path("results.csv")
    runs: list[tuple[Path, object, int]] = field(default_factory=list)


def read_results(path: Path) -> list[dict]:
    """Rows of a results CSV; a torn last line (a run killed mid-write) is dropped and repaired."""
    if not path.exists():
        return []
    from .io import read_text

    text = read_text(path)  # a folder, unreadable or non-UTF-8 file: one-line InputError
    if text and not text.endswith("\n"):
        from .io import write_atomic

        text = text[: text.rfind("\n") + 1]
        write_atomic(path, text, force=True)
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None:
        return []
    if list(reader.fieldnames) != COLUMNS:
        missing = [c for c in COLUMNS if c not in reader.fieldnames]
        raise InputError(
            "not a results file of this version of programme bench" + (f" (missing columns: {', '.join(missing[:4])})" if missing else " (columns differ)"),
            file=str(path),
        )
    return list(reader)


def _key(row: dict) -> tuple:
    return (row["scenario"], row["preset"], int(row["seed"]), float(row["time_limit_s"]))


def append_row(path: Path, row: dict) -> None:
    """Append one whole row (with the header first when the file is new) and flush it to disk."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    new = not path.exists() or path.stat().st_size == 0
    if new:
        writer.writeheader()
    writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in COLUMNS})
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(buf.getvalue())  # one write per row: a kill leaves at most a torn last line
        fh.flush()
        os.fsync(fh.fileno())


def pending_runs(instances, presets, seeds: int, time_limit_s: float, existing: list[dict], output: Path, catalogues=()):
    """The (instance, preset, seed) runs not in ``existing``; refuses rows made with other files."""
    cat_digest = catalogue_digest(catalogues)
    done = {}
    for row in existing:
        if row["status"] != "ERROR":  # a crashed run is tried again on resume
            done[_key(row)] = row
    todo = []
    for inst in instances:
        digest = file_digest(inst)
        for preset in presets:
            for seed in range(seeds):
                row = done.get((inst.stem, preset.name, seed, float(time_limit_s)))
                if row is None:
                    todo.append((inst, preset, seed))
                    continue
                if row["preset_digest"] != preset.digest:
                    raise InputError(f"preset {preset.name!r} changed since these rows were written; use a new --output or another preset name", file=str(output))
                if row["instance_digest"] != digest:
                    raise InputError(f"instance {inst.stem!r} changed since these rows were written; use a new --output", file=str(output))
                if row.get("catalogue_digest") and row["catalogue_digest"] != cat_digest:
                    raise InputError("these rows were made with another catalogue (--catalogue or edited data); use a new --output", file=str(output))
    return todo


def run_in_child(instance: Path, preset, seed: int, time_limit_s: float, catalogues=()) -> dict:
    """One run in a fresh interpreter; a crash or hang becomes an ERROR row, Ctrl-C stops all."""
    args = json.dumps(
        {"instance": str(instance), "preset": preset.source, "seed": seed, "time_limit_s": time_limit_s, "catalogues": [str(c) for c in catalogues]}
    )
    cmd = [sys.executable, "-m", "optimizer.bench", args]
    # Generous: build, checker and process start come on top of the solver's time limit.
    timeout = 3 * time_limit_s + 60
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return _error_row(instance, preset, seed, time_limit_s, f"no answer within {timeout:.0f} s: killed")
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return _error_row(instance, preset, seed, time_limit_s, f"exit {proc.returncode}: {tail}")
    return json.loads(lines[-1])


def _error_row(instance, preset, seed, time_limit_s, message) -> dict:
    return {
        "scenario": instance.stem,
        "preset": preset.name,
        "seed": seed,
        "time_limit_s": time_limit_s,
        "backend": preset.backend,
        "status": "ERROR",
        "preset_digest": preset.digest,
        "instance_digest": file_digest(instance),
        "machine": machine(),
        "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "error": message,
    }


def run_bench(instances, presets, seeds: int, time_limit_s: float, output: Path, progress=None, runner=None, catalogues=()) -> int:
    """Run every missing (instance, preset, seed) one at a time; returns how many ran.

    ``progress(done, total, instance, preset, seed, row)`` is called after each run;
    ``catalogues`` are extra catalogue folders every run merges with the built-in one.
    """
    import functools

    if runner is None:
        runner = functools.partial(run_in_child, catalogues=tuple(catalogues))
    from .io import check_output_path

    output = check_output_path(output, force=True)  # appended to, but only ever a regular file
    with _exclusive(output):
        existing = read_results(output)
        todo = pending_runs(instances, presets, seeds, time_limit_s, existing, output, catalogues)
        for i, (inst, preset, seed) in enumerate(todo, start=1):
            row = runner(inst, preset, seed, time_limit_s)
            append_row(output, row)
            if progress is not None:
                progress(i, len(todo), inst, preset, seed, row)
    return len(todo)


class _exclusive:
    """Hold a lock beside ``output`` while benching: two benches appending to one file
    would both run the missing rows (duplicates) and time each other's load."""

    def __init__(self, output: Path):
        self.path = output.with_name(output.name + ".lock")
        self.fh = None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock, as before
            return self
        self.fh = open(self.path, "w")
        try:
            fcntl.flock(self.fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.fh.close()
            self.fh = None
            raise InputError("another bench is writing to this file; wait for it or use another --output", file=str(self.path.with_suffix(""))) from None
        return self

    def __exit__(self, *exc):
        if self.fh is not None:
            self.fh.close()
            self.path.unlink(missing_ok=True)
        return False


# ---------------------------------------------------------------------------------------
# The summary.


def _num(x) -> float | None:
    if x is None or x == "":
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def derive(rows: list[dict]) -> list[dict]:
    """Per-run metrics against the best plan known per scenario over all ``rows``.

    Adds: limit, has_plan, proven, first_plan, within_1pct, proof (PAR2 seconds), primal_integral.
    """
    best: dict[str, tuple] = {}
    for r in rows:
        if r["status"] in ("OPTIMAL", "FEASIBLE") and r.get("values"):
            v = tuple(json.loads(r["values"]))
            if r["scenario"] not in best or lex_key(v) < lex_key(best[r["scenario"]]):
                best[r["scenario"]] = v
    out = []
    for r in rows:
        limit = float(r["time_limit_s"])
        d = dict(r)
        d["limit"] = limit
        d["seed"] = int(r["seed"])
        d["has_plan"] = r["status"] in ("OPTIMAL", "FEASIBLE")
        d["proven"] = r["status"] in ("OPTIMAL", "INFEASIBLE")
        b = best.get(r["scenario"])
        trace = [(t, vals) for t, vals in json.loads(r["trace"])] if r.get("trace") and r["status"] != "INVALID" else []
        d["best_known"] = json.dumps(list(b)) if b is not None else ""
        d["first_plan"] = par2(_num(r.get("time_first_plan_s")), limit) if b is not None else None
        d["within_1pct"] = par2(time_to_within(trace, b), limit) if b is not None else None
        d["proof"] = par2(_num(r.get("time_proof_s")), limit)
        d["primal_integral"] = round(primal_integral(trace, b, limit), 4) if b is not None else None
        out.append(d)
    return out


@dataclass
class Summary:
    presets: object  # pandas DataFrame, one row per preset
    instances: object  # pandas DataFrame, one row per scenario: median PAR2 time per preset
    runs: list[dict]
    baseline: str
    metric: str


def summarise(rows: list[dict], baseline: str | None = None, metric: str = "proof") -> Summary:
    """Per preset: counts, shifted geometric means, ratios, wins and losses, the adopt verdict."""
    import pandas as pd

    if metric not in TIME_METRICS:
        raise InputError(f"unknown metric {metric!r}, expected one of {', '.join(TIME_METRICS)}", field="--metric")
    runs = derive([r for r in rows if r["status"] != "ERROR"])
    if not runs:
        raise InputError("no runs to summarise")
    presets = list(dict.fromkeys(r["preset"] for r in runs))
    baseline = baseline or ("default" if "default" in presets else presets[0])
    if baseline not in presets:
        from .errors import close_matches

        raise InputError(f"baseline {baseline!r} is not among the presets run ({', '.join(presets)}){close_matches(baseline, presets)}", field="--baseline")
    ran = {_key(r) for r in runs}
    errors = {p: sum(1 for r in rows if r["status"] == "ERROR" and r["preset"] == p and _key(r) not in ran) for p in presets}
    by = {}
    for r in runs:
        by.setdefault((r["preset"], r["scenario"]), []).append(r)
    scenarios = list(dict.fromkeys(r["scenario"] for r in runs))

    def med(p, s, m):
        vals = [r[m] for r in by.get((p, s), []) if r[m] is not None]
        return median(vals) if vals else None

    def plans(p, s):
        return sum(r["has_plan"] for r in by.get((p, s), []))

    limit = max(r["limit"] for r in runs)
    table = []
    for p in presets:
        mine = [r for r in runs if r["preset"] == p]
        row = {"preset": p, "backend": mine[0]["backend"], "runs": len(mine), "errors": errors[p], "plans": sum(r["has_plan"] for r in mine), "proven": sum(r["proven"] for r in mine)}
        for f in LADDER:
            row[f"proven<={f * limit:g}s"] = sum(1 for r in mine if r["proven"] and r["proof"] <= f * limit)
        # Means over the (scenario, seed) pairs both this preset and the baseline ran: a
        # ratio of means over different runs would compare different things.
        base_keys = {(r["scenario"], r["seed"]) for r in runs if r["preset"] == baseline}
        common = [r for r in mine if (r["scenario"], r["seed"]) in base_keys]
        base_common = [r for r in runs if r["preset"] == baseline and (r["scenario"], r["seed"]) in {(c["scenario"], c["seed"]) for c in common}]
        for m in TIME_METRICS:
            row[f"sgm_{m}_s"] = round(shifted_geometric_mean([r[m] for r in mine if r[m] is not None]), 4)
        row["sgm_primal_integral"] = round(shifted_geometric_mean([r["primal_integral"] for r in mine if r["primal_integral"] is not None]), 4)
        mine_m = [r[metric] for r in common if r[metric] is not None]
        base_m = [r[metric] for r in base_common if r[metric] is not None]
        row["ratio"] = round(shifted_geometric_mean(mine_m) / max(shifted_geometric_mean(base_m), 1e-9), 3) if mine_m and base_m else None
        wins = losses = lost = 0
        worst = 0.0
        for s in scenarios:
            a, b = med(p, s, metric), med(baseline, s, metric)
            if a is None or b is None:
                continue
            q = shifted_ratio(a, b)
            worst = max(worst, q)
            wins += q <= 1 - NOISE
            losses += q >= 1 + NOISE
            lost += plans(p, s) < plans(baseline, s)
        row.update(wins=wins, losses=losses, lost_plans=lost, worst_ratio=round(worst, 3))
        if p == baseline:
            row["verdict"] = "baseline"
        elif row["ratio"] is None:
            row["verdict"] = "no common runs"
        elif adopt(row["ratio"], lost, worst):
            row["verdict"] = "adopt"
        else:
            why = []
            if row["ratio"] > ADOPT_RATIO:
                why.append(f"ratio > {ADOPT_RATIO}")
            if lost:
                why.append(f"loses plans on {lost}")
            if worst > MAX_SLOWDOWN:
                why.append(f"{worst:.1f}x slower on one")
            row["verdict"] = "keep baseline (" + ", ".join(why) + ")"
        table.append(row)
    inst = []
    for s in scenarios:
        row = {"scenario": s}
        for p in presets:
            v = med(p, s, metric)
            n = len(by.get((p, s), []))
            row[p] = "" if v is None else (f"{v:.3f}" + ("" if plans(p, s) == n or not any(r["has_plan"] for r in runs if r["scenario"] == s) else f" ({plans(p, s)}/{n} plans)"))
        best = next((r["best_known"] for r in runs if r["scenario"] == s), "")
        row["best_known"] = best or "(no plan)"
        inst.append(row)
    return Summary(pd.DataFrame(table), pd.DataFrame(inst), runs, baseline, metric)




def render_summary(summary: Summary, fmt: str) -> str:
    from .render import markdown_table, text_table

    note = (
        f"Baseline {summary.baseline}; ratios and verdicts on time to {summary.metric.replace('_', ' ')} "
        f"(shifted geometric mean, shift {SHIFT_S:g} s, PAR2 = 2 x time limit for runs that never got there); "
        f"adopt when ratio <= {ADOPT_RATIO}, no lost plan, never > {MAX_SLOWDOWN:g}x slower on one instance."
    )
    if fmt == "csv":
        return summary.presets.to_csv(index=False)
    if fmt == "markdown":
        return "\n".join([markdown_table(summary.presets), "", note, "", f"Median time to {summary.metric} (s) per instance:", "", markdown_table(summary.instances), ""])
    if fmt == "table":
        return "\n".join([text_table(summary.presets.T.reset_index().rename(columns={"index": ""}).pipe(_header)), "", note, "", f"Median time to {summary.metric} (s) per instance:", text_table(summary.instances), ""])
    raise InputError(f"unknown format {fmt!r} for a bench summary (table, markdown or csv)", field="--format")


def _header(df):
    # Transposed for the terminal (presets as columns): the first row holds the preset names.
    df.columns = df.iloc[0]
    return df.iloc[1:]


def _child_main(argv: list[str]) -> int:
    a = json.loads(argv[0])
    try:
        row = run_one(a["instance"], a["preset"], int(a["seed"]), float(a["time_limit_s"]), a.get("catalogues", ()))
    except InputError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(row, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(_child_main(sys.argv[1:]))
