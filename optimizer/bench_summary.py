"""The bench's summary (``programme bench`` and ``--summary``): rows of a results file in,
one row per preset and one per instance out, with PERFORMANCE.md's verdict.

Derived from the traces, against the best plan known over the whole file (so that they
stay consistent as better plans become known): time to within 1 % of the best known, and
the primal integral.

Summary (per preset): runs proven / with a plan, proven within each fraction of the time
limit, shifted geometric means (shift 1 s) of each time metric with PAR2 (twice the
time limit) for runs that never got there, wins and losses per instance and ratios against
a baseline preset, and PERFORMANCE.md's rule: "adopt" only when the ratio is <= 0.8, no
instance loses its plan and none gets more than 2x slower.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from statistics import median

from .bench import run_key
from .bench_metrics import (
    ADOPT_RATIO,
    LADDER,
    MAX_SLOWDOWN,
    NOISE,
    SHIFT_S,
    TIME_METRICS,
    adopt,
    lex_key,
    par2,
    primal_integral,
    shifted_geometric_mean,
    shifted_ratio,
    time_to_within,
)
from .errors import InputError


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
    ran = {run_key(r) for r in runs}
    errors = {p: sum(1 for r in rows if r["status"] == "ERROR" and r["preset"] == p and run_key(r) not in ran) for p in presets}
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
