"""Objective terms and how they combine.

Terms, in lexicographic order (the default): meet the volume targets (``shortfall``), then
keep opposing groups in balance (``balance``), then respect the day pairing
(``pairing``), then spend the fewest minutes (``minutes``), then use the fewest distinct
exercises (``exercises``). Minutes come before the exercise count because that order
proves optimality about 30 times faster on the full gym catalogue (6.8 s -> 0.22 s,
stage A, 2 workers): the count's set-cover bound is weak on its own, tight once minutes
are fixed. ``weighted`` minimises one weighted sum of the same terms in their
display units. Every term depends only on weekly totals, which is what makes the
two-stage decomposition in :mod:`.solve` exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

# "schemes" only exists in multi-week programmes (encoding/programme.py).
ORDER = ("shortfall", "balance", "pairing", "schemes", "minutes", "exercises")


@dataclass(frozen=True)
class TermInfo:
    name: str
    unit: str
    divisor: int  # internal integer units per display unit


def term_info(problem) -> dict[str, TermInfo]:
    s = problem.scale
    return {
        "shortfall": TermInfo("shortfall", "sets below target", s),
        "balance": TermInfo("balance", "sets outside the ratio range", 100 * s),
        "pairing": TermInfo("pairing", "sets off their paired day", 1),
        "schemes": TermInfo("schemes", "sets off the week's rep schemes", 1),
        "exercises": TermInfo("exercises", "distinct exercises", 1),
        "minutes": TermInfo("minutes", "minutes of exercise work", 60),
    }


def collect_terms(ctx, v) -> dict[str, object]:
    """Term name -> linear expression, for the terms this problem has."""
    terms = {name: sum(exprs) for name, exprs in ctx.terms.items() if exprs}
    terms["exercises"] = sum(v.used.values())
    terms["minutes"] = v.work_seconds()
    return {name: terms[name] for name in ORDER if name in terms and not isinstance(terms[name], int)}


def weighted_coefficients(problem) -> dict[str, int]:
    """Integer coefficients making sum(coef x internal value) proportional to sum(weight x display value)."""
    info = term_info(problem)
    lcm = 1
    for t in info.values():
        lcm = math.lcm(lcm, t.divisor)
    coef = {}
    for name, t in info.items():
        w = Fraction(problem.weights[name]).limit_denominator(1000)
        coef[name] = w * lcm / t.divisor
    den = 1
    for c in coef.values():
        den = math.lcm(den, c.denominator)
    return {name: int(c * den) for name, c in coef.items()}
