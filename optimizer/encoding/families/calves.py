"""Calves: the week holds heavy low-rep and light high-rep calf-raise work (seed 000)."""

from __future__ import annotations

from ._labels import never, req


def aggregate(ctx, v) -> None:
    p = ctx.problem
    if not p.calf_rule:
        return
    rq = req("calves", "heavy_and_light", "calves: heavy and light work", "rules.calves_heavy_and_light")
    for k in (p.heavy, p.light):
        raises = [ex.index for ex in p.exercises if ex.calf_raise and k is not None and k in ex.schemes]
        expr = sum(v.scheme_sessions(e, k) for e in raises) if raises else never(ctx)
        ctx.add(expr >= 1, rq)
