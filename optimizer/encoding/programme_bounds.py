"""Lower bounds of a programme from its weeks solved one by one (lexicographic objective).

Every programme rule only adds to a week's own rules, so each week's optimum is a lower
bound on what that week costs in any programme, and their sum bounds the programme. The
programme model of 12 weeks on an imported catalogue is too big for stage A to bound
``minutes`` at all within a minute (the gap stayed at 100 %); one week, pruned exactly
(:mod:`optimizer.pruning`), is proven optimal in about a second.

Lexicographically, a term's bound holds only among plans whose earlier terms are optimal.
The terms every week's problem states alike at zero (shortfall, balance, pairing,
schemes) are bounded by zero, and the weeks are used only where the plan has them at zero:
then every optimal programme has them zero in every week, so each of its weeks is a plan
of that week's problem with those terms zero, sets in the week's preferred rep schemes.
From there a stage's bound is the sum of the weeks' bounds on it, and a stage the plan
meets at that sum is settled week by week, which lets the next stage's sum bound it too
(:func:`combine`). Each week's bounds come from its stage A alone (a relaxation of the
week; no placement, no ``exercises`` stage), which is all this needs.

Before, the sums stopped at the first term past those four: with goal best_training
(coverage comes next) the weeks bounded nothing that was open. On the twelve-week example
on the imported catalogue they now prove its ``rep_range`` and bound its ``minutes`` by
580 where the programme's own stage A had 534 (benchmarks/README.md).
"""

from __future__ import annotations

from dataclasses import replace

from ..progress import note
from .objective import ORDER, lex_stages, waste_sum
from .solve import SolveParams, clock_for

BEFORE = ("shortfall", "balance", "pairing", "schemes")  # bounded by zero here, not summed


def week_problem(mp, w: int):
    """Week ``w`` alone, exactly pruned, its sets in the week's preferred schemes."""
    from ..programme import _restrict_schemes
    from ..pruning import prune

    pw = mp.weeks[w]
    p = pw.problem
    if pw.preferred is not None:
        p = _restrict_schemes(p, pw.preferred, mp.scheme_exempt)
    return prune(p)


FIRST_PASS = 0.8  # of the budget: every week once; the rest goes to the weeks not yet proven
# A week's limit at least (an imported-catalogue week's minutes are proven in 1-2.5 s).
WEEK_MIN_S = 2.0


def stage_a_bounds(p, params: SolveParams, seconds: float) -> dict[str, tuple[int, int]]:
    """Term -> (value, bound) of week ``p``'s stage A, up to minutes.

    Stage A (:mod:`.solve`) is a relaxation of the week, so its bounds bound the week; no
    placement, no later term, no canonical plan (0.1-0.9 s a week on an imported catalogue):
    only what the programme's bound uses."""
    from .objective import collect_terms
    from .solve import build, clock_for, optimise

    model, ctx, v = build(p, daily=False)
    last = ORDER.index("minutes")
    terms = {n: e for n, e in collect_terms(ctx, v).items() if ORDER.index(n) <= last}
    sub = replace(params, time_limit_s=seconds, extra=dict(params.extra), log=False, observer=None, wall_limit_s=None)
    _, _, values, bounds = optimise(p, model, ctx, v, sub, clock_for(sub), 1.0, {}, terms=terms, bounds_only=True)
    return {n: (values[n], bounds.get(n, 0)) for n in values}


def week_bounds(mp, params: SolveParams, budget_s: float) -> list[dict[str, tuple[int, int]]]:
    """Per week: term -> (value, bound) of that week's relaxation (empty when out of time).

    Weeks with the same problem are solved once. Every week first gets an equal share of
    most of the budget (at least ``WEEK_MIN_S`` while it lasts); the weeks not proven then
    share what is left (a fresh solve; the better bound stands)."""
    clock = clock_for(params, budget_s)
    with clock.running():
        return _week_bounds(mp, params, budget_s, clock)


def _week_bounds(mp, params: SolveParams, budget_s: float, clock) -> list[dict[str, tuple[int, int]]]:
    problems = [week_problem(mp, w) for w in range(len(mp.weeks))]
    keys = list(dict.fromkeys((p.targets, p.exercises) for p in problems))
    problem_of = {(p.targets, p.exercises): p for p in problems}
    found: dict = {}  # key -> term -> (value, bound)

    def solve(key, seconds) -> None:
        new = stage_a_bounds(problem_of[key], params, seconds)
        for n, (value, bound) in found.get(key, {}).items():  # keep the better of both solves
            v, b = new.get(n, (value, bound))
            new[n] = (min(v, value), max(b, bound))
        found[key] = new

    def unproven(key) -> bool:
        return any(value != bound for value, bound in found[key].values())

    for i, key in enumerate(keys):
        note(f"bounds: week {i + 1} of {len(keys)} alone")
        left = clock.left(FIRST_PASS)
        if left > 0.05:
            solve(key, min(left, max(WEEK_MIN_S, left / (len(keys) - i))))
    again = [k for k in keys if k in found and unproven(k)]
    for i, key in enumerate(again):
        left = clock.left()
        if left > 0.05:
            solve(key, left / (len(again) - i))
    return [found.get((p.targets, p.exercises), {}) for p in problems]


def floors(weeks: list[dict[str, tuple[int, int]]]) -> dict[str, int]:
    """Term -> the sum of the weeks' bounds on it: ``lower`` for the programme's own stages
    (:func:`.stages.optimise`).

    The same argument as :func:`combine`, applied stage by stage while the search goes:
    a stage's sum bounds it among plans whose earlier stages are at their own sums, which
    ``optimise`` checks before using each (a stage ended above its sum drops the rest). A
    stage whose plan in hand meets its sum is then proven without a search, and one that
    reaches it during a search stops there: on twelve imported weeks the wasted-set stage
    found its optimum in a second or two and spent about 10 s more proving it, time the
    tie-breaks, which no search proves there, could use (benchmarks/README.md).
    ``exercises`` is not solved in the weeks: 0, so the tie-break stage is bounded by
    its minutes.
    """
    out = {n: 0 for n in BEFORE}
    for wk in weeks:
        for n, (_, bound) in wk.items():
            if n not in BEFORE:
                out[n] = out.get(n, 0) + bound
    if "minutes" in out:
        out["exercises"] = 0
    return out


def combine(values: dict[str, int], weeks: list[dict[str, tuple[int, int]]]) -> dict[str, int]:
    """Valid bounds for a plan with term ``values``, stage by stage (see the module docstring).

    A stage's bound is the sum of the weeks' bounds on it. Where the plan's value equals
    that sum, every optimal programme has each of its weeks at that week's bound (each week
    is at least its bound, and no programme does better than the sum), so each week is a
    plan its relaxation's later bounds hold for, and the next stage's sum is a bound too.
    Where it does not, the sum bounds this stage and nothing after it. The two wasted-set
    terms are one stage (ineffective + 100 x overshoot): their weekly sum bounds the
    stage, not either term, so they are bounded only where the stage is settled.
    ``exercises`` is not solved in the weeks (:func:`stage_a_bounds` stops at minutes).
    """
    out: dict[str, int] = {}

    def value(stage, d) -> int:
        return waste_sum(d) if len(stage) > 1 else d[stage[0]]

    for stage in lex_stages({n: x for n, x in values.items() if n != "exercises"}):
        if stage[0] in BEFORE:
            out[stage[0]] = 0
            if values[stage[0]] != 0:
                break
            continue
        bound = sum(value(stage, {n: wk.get(n, (0, 0))[1] for n in stage}) for wk in weeks)
        if value(stage, values) != bound:
            if len(stage) == 1:
                out[stage[0]] = bound
            break
        out.update({n: values[n] for n in stage})
    return out
