"""Lower bounds of a programme from its weeks solved one by one (lexicographic objective).

Every programme rule only adds to a week's own rules, so each week's optimum is a lower
bound on what that week costs in any programme, and their sum bounds the programme. The
programme model of 12 weeks on an imported catalogue is too big for stage A to bound
``minutes`` at all within a minute (the gap stayed at 100 %); one week, pruned exactly
(:mod:`optimizer.pruning`), is proven optimal in about a second.

Lexicographically, a term's bound holds only among plans whose earlier terms are optimal.
So the weekly sums are used only once every earlier term is settled at zero in the plan
(shortfall, balance, pairing, schemes: then every optimal programme has them zero in
every week, so each of its weeks is a plan of that week's problem with those terms zero,
sets in the week's preferred rep schemes): the sum of the weeks' ``minutes`` bounds then
bounds the programme's minutes; and ``exercises`` only when every week's minutes are
proven and add up to the plan's.
"""

from __future__ import annotations

import time

from .objective import ORDER
from .solve import SolveParams, solve_problem

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


def week_bounds(mp, params: SolveParams, budget_s: float) -> list[dict[str, tuple[int, int]]]:
    """Per week: term -> (value, bound) of that week solved alone (empty when out of time).

    Weeks with the same problem are solved once."""
    t0 = time.perf_counter()
    out: list[dict[str, tuple[int, int]]] = []
    done: dict = {}
    for w in range(len(mp.weeks)):
        left = budget_s - (time.perf_counter() - t0)
        p = week_problem(mp, w)
        key = (p.targets, p.exercises)
        if key not in done:
            if left <= 0.05:
                done[key] = {}
            else:
                seconds = left / (len(mp.weeks) - w)  # an equal share of what is left
                o = solve_problem(p, SolveParams(seconds, params.workers, params.seed, dict(params.extra)))
                done[key] = {n: (o.values[n], o.bounds.get(n, 0)) for n in o.values} if o.placement is not None else {}
        out.append(done[key])
    return out


def combine(values: dict[str, int], weeks: list[dict[str, tuple[int, int]]]) -> dict[str, int]:
    """Valid bounds for a plan with term ``values`` (see the module docstring)."""
    out: dict[str, int] = {}
    for name in ORDER:
        if name not in values:
            continue
        if name in BEFORE:
            out[name] = 0
            if values[name] != 0:
                break
            continue
        out[name] = sum(wk.get(name, (0, 0))[1] for wk in weeks)
        proven = all(name in wk and wk[name][0] == wk[name][1] for wk in weeks)
        if not proven or sum(wk[name][0] for wk in weeks) != values[name]:
            break
    return out
