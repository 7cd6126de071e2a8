"""One bench run, in a fresh child process: ``python -m optimizer.bench_child ARGS``.

Solves one (instance, preset, seed), re-checks the plan with the independent checker and
prints the CSV row as JSON (:func:`optimizer.bench.run_in_child` starts it). Metrics per
run (raw, in the CSV): status, objective, bound, gap, time to first plan, time to proof,
build and presolve time, number of improving solutions, the trace of plans found (time,
objective terms), versions and parameters.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import sys
import time
from pathlib import Path

from .errors import InputError


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
