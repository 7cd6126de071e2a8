"""The bench's metrics: pure functions on small inputs (tested on fixed numbers).

Lexicographic objectives have no single number: plans are compared term by term, and the
*primal gap* of a plan is the relative difference |v - b| / max(|v|, |b|) on the first
term where it differs from the best known plan b (0 when equal, 1 with no plan).

The constants are PERFORMANCE.md's numbers, shared by the summary
(:mod:`optimizer.bench_summary`) and the performance profile (:mod:`optimizer.plot_profile`).
"""

from __future__ import annotations

import math

SHIFT_S = 1.0
ADOPT_RATIO = 0.8
MAX_SLOWDOWN = 2.0
WITHIN = 0.01  # "within 1 % of the best known"
NOISE = 0.1  # per-instance ratios within 10 % of 1 are ties, neither win nor loss
LADDER = (0.1, 0.25, 0.5, 1.0)  # fractions of the time limit for "solved within"
TIME_METRICS = ("first_plan", "within_1pct", "proof")


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
