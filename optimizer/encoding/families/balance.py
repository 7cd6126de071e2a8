"""Balance between opposing groups: numerator sets / denominator sets within [min, max].

In whole percents: 100 x num >= lo x den and 100 x num <= hi x den. Soft by default: the
distance outside the range (in hundredths of a set) is the ``balance`` objective term.
"""

from __future__ import annotations

from ._labels import req, words
from .volume import volume_expr


def aggregate(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    for r in p.ratios:
        num = volume_expr(v, r.num_coef) + r.num_offset
        den = volume_expr(v, r.den_coef) + r.den_offset
        if r.hard:
            label = f"{words(r.numerator)}:{words(r.denominator)} between {r.lo_pct / 100:g} and {r.hi_pct / 100:g}"
            rq = req("balance", r.key, label, f"balance.{r.key}")
            # A repair's slack is in whole sets of the numerator outside the range.
            unit = 100 * p.scale
            ctx.add(100 * num + ctx.slack(rq, unit, 100, f"balance.{r.key}.min") >= r.lo_pct * den, rq)
            ctx.add(100 * num <= r.hi_pct * den + ctx.slack(rq, unit, 100, f"balance.{r.key}.max"), rq)
        else:
            dev = m.new_int_var(0, 10**9, f"imbalance[{r.key}]")
            m.add(100 * num + dev >= r.lo_pct * den)
            m.add(100 * num - dev <= r.hi_pct * den)
            ctx.add_term("balance", dev)
