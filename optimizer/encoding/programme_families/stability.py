"""Stability: within a block, the same exercises on the same days every training week.

Loads can only progress on exercises that stay in place. Deload weeks use a subset of
the block's sessions (no new exercises, some sessions may be dropped). Rep schemes and
sets may change from week to week (the ramp and the scheme progression need that).

Daily containers tie the on/off pattern of every (exercise, day); weekly containers (stage
A) tie what that pattern implies: ``used[e]`` and the sessions per day class, a valid
relaxation that stage B's placement makes exact.
"""

from __future__ import annotations

from ..families._labels import req


def _tie(ctx, a, b, subset: bool, rq) -> None:
    if isinstance(a, int) and isinstance(b, int):
        if (b > a) if subset else (b != a):
            ctx.add(ctx.model.new_constant(0) >= 1, rq)
        return
    ctx.add(b <= a if subset else b == a, rq)


def add_block(pc, block) -> None:
    mp = pc.mp
    ref = block.training[0]
    vref = pc.vars[ref]
    p = mp.weeks[ref].problem
    rq = req(
        "stability",
        f"block{block.index + 1}",
        f"block {block.index + 1}: the same exercises on the same days every week",
        "progression.fixed_exercises_within_block",
    )
    for w in block.weeks:
        if w == ref:
            continue
        v, subset = pc.vars[w], w in block.deload
        for ex in p.exercises:
            e = ex.index
            if pc.daily:
                for d in p.days:
                    _tie(pc.ctx, vref.on_day(e, d.index), v.on_day(e, d.index), subset, rq)
            else:
                _tie(pc.ctx, vref.used[e], v.used[e], subset, rq)
                for c in range(len(p.classes)):
                    _tie(pc.ctx, vref.class_sessions(e, c), v.class_sessions(e, c), subset, rq)


def add(pc) -> None:
    if not pc.mp.fixed_within_block:
        return
    for block in pc.blocks_present():
        add_block(pc, block)
