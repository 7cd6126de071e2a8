"""Objective terms and how they combine.

Terms, in lexicographic order (the default), for the default goal ``best_training``:
meet the volume targets in effective sets (``shortfall``), keep opposing groups in
balance (``balance``), respect the day pairing (``pairing``), then train well: the
movement patterns a coach expects (``coverage``), each targeted group on two days or more
(``spread``), sets that count (``ineffective``), no volume above the targets' points
(``overshoot``), the athlete's wishes (``preferences``), no more isolation sets than
foundation sets for the quadriceps and hamstrings (``isolation``), the better form of a
movement where the week can use two (``form``: seated before lying curls), each exercise in
its own rep range (``rep_range``); and only then, as tie-breaks,
the fewest minutes (``minutes``) and distinct exercises (``exercises``). Goal
``least_time`` leaves out coverage, spread, overshoot, ineffective, isolation, form and rep_range: after the targets,
the shortest week. A term a goal leaves out is never added (the families check the goal),
so one order serves both goals. Minutes come before the exercise count because that order
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
ORDER = (
    "shortfall", "balance", "pairing", "coverage", "spread", "schemes", "ineffective", "overshoot", "preferences",
    "isolation", "form", "rep_range", "minutes", "exercises",
)


# Weighed together, as one lexicographic stage: wasted sets, those that do not count fully
# (ineffective) and those above a target's point (overshoot), both in sets.
WASTE = ("ineffective", "overshoot")
TIE_BREAKS = ("minutes", "exercises")  # the last two lexicographic terms, solved as one stage (.stages)


def rank_of(name: str) -> int:
    """A term's lexicographic priority (1 first): the terms of one stage share it."""
    return ORDER.index(WASTE[0] if name in WASTE else name) + 1


def lex_key(values: dict[str, int]) -> tuple:
    """Internal term values as a lexicographic key (smaller is better), one entry a stage:
    the wasted-set terms as their sum, in hundredths of a set."""
    out = []
    for name in ORDER:
        if name == WASTE[0]:
            out.append(values.get(WASTE[0], 0) + 100 * values.get(WASTE[1], 0))
        elif name != WASTE[1]:
            out.append(values.get(name, 0))
    return tuple(out)


def lex_bounds(values: dict, own: dict, relaxed: dict, waste_scale: int = 100) -> dict:
    """Per-term bounds of a plan (term ``values``) from its own search's bounds (``own``) and a
    relaxation's lexicographic optimum (``relaxed``: stage A's, every plan is at least it).

    The optimum is lexicographically at least ``relaxed``, not term by term: a term of it
    bounds the optimum's term only while every stage before it is where the relaxation put
    it. So, stage by stage: while the plan's stage value equals the relaxation's (the
    optimum, between the two, equals it too), each term takes the larger bound; the first
    stage where they differ takes the larger bound of its own (the wasted-set terms, one
    stage of their sum, only their own); after it, only the plan's own bounds hold (a week
    proven at rep_range 5 against stage A's 4 may have fewer minutes than stage A's).
    A proven term's own bound is its value, so a proven plan's bounds are its values. A
    weighted objective is one sum: the relaxation bounds the sum alone. ``relaxed`` from an
    unproven optimisation: its :func:`lex_prefix`. ``waste_scale``: 100 for internal units
    (ineffective in hundredths of a set), 1 for display units (both in sets).
    """
    out = {n: own.get(n, 0) for n in values}
    if "weighted" in values:  # one objective: the relaxation bounds its sum, not its terms
        out["weighted"] = max(out["weighted"], relaxed.get("weighted", 0))
        return out
    for stage in lex_stages(values):
        if len(stage) == 1:
            n = stage[0]
            out[n] = max(out[n], relaxed.get(n, 0))
            same = n in relaxed and values[n] == relaxed[n]
        else:
            same = all(n in relaxed for n in stage) and waste_sum(values, waste_scale) == waste_sum(relaxed, waste_scale)
        if not same:
            break
    return out


def lex_prefix(values: dict, bounds: dict) -> dict:
    """``bounds`` of the stages up to the first open one (a bound below its value), inclusive:
    what of an unproven optimisation bounds the optimum lexicographically. The stages after
    an open one were bounded given its value in hand, not the optimum's, so they are left
    out (:func:`lex_bounds` then bounds no term after it). A weighted objective: the sum's
    bound, which holds whatever the search proved."""
    if "weighted" in values:
        return {"weighted": bounds["weighted"]} if "weighted" in bounds else {}
    out = {}
    for stage in lex_stages(values):
        out.update({n: bounds[n] for n in stage if n in bounds})
        if any(bounds.get(n, 0) < values[n] for n in stage):
            break
    return out


def lex_stages(values: dict) -> list[tuple[str, ...]]:
    """The lexicographic stages of these terms, in order: the wasted-set terms together."""
    out: list[tuple[str, ...]] = []
    for name in ORDER:
        if name not in values:
            continue
        if name in WASTE:
            if name == WASTE[0] or WASTE[0] not in values:
                out.append(tuple(n for n in WASTE if n in values))
            continue
        out.append((name,))
    return out


def waste_sum(values: dict, scale: int = 100) -> int:
    """The wasted-set stage's value: ineffective + ``scale`` x overshoot (100: internal units)."""
    return values.get(WASTE[0], 0) + scale * values.get(WASTE[1], 0)


def plan_key(objective: str, values: dict[str, int]) -> tuple:
    """Ordering of plans by their term values (smaller is better): the weighted sum for a
    weighted objective, else the lexicographic key."""
    return (values.get("weighted", 0),) if objective == "weighted" else lex_key(values)


@dataclass(frozen=True)
class TermInfo:
    name: str
    unit: str
    divisor: int  # internal integer units per display unit


def term_info(problem) -> dict[str, TermInfo]:
    s = problem.scale
    return {
        "shortfall": TermInfo("shortfall", "effective sets below target", s),
        "coverage": TermInfo("coverage", "expected movement patterns missing", 1),
        "spread": TermInfo("spread", "days short of training each targeted group twice", 1),
        "overshoot": TermInfo("overshoot", "whole effective sets above target", 1),
        "ineffective": TermInfo("ineffective", "sets that do not count as effective", 100),
        "preferences": TermInfo("preferences", "preferred exercises missing, avoided ones used", 1),
        "isolation": TermInfo("isolation", "isolation sets beyond the group's squat or hinge sets", 1),
        "form": TermInfo("form", "sets of a lesser form of a movement the week has a better form of", 1),
        "rep_range": TermInfo("rep_range", "sets outside the exercise's main rep range", 1),
        "balance": TermInfo("balance", "sets outside the ratio range", 100 * s),
        "pairing": TermInfo("pairing", "sets off their paired day", 1),
        "schemes": TermInfo("schemes", "sets off the week's rep schemes", 1),
        "exercises": TermInfo("exercises", "distinct exercises", 1),
        "minutes": TermInfo("minutes", "minutes of exercise work, sets counted straight (whole, rounded up)", 1),
    }


def collect_terms(ctx, v) -> dict[str, object]:
    """Term name -> linear expression, for the terms this problem has (in :data:`ORDER`)."""
    terms = {name: sum(exprs) for name, exprs in ctx.terms.items() if exprs}
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


def weighted_sum(problem, terms: dict):
    """A weighted objective: each term (an expression or a value) times its weight."""
    coef = weighted_coefficients(problem)
    return sum(coef[n] * e for n, e in terms.items())
