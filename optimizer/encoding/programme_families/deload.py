"""Deload: a deload week's sets are at most its factor of the block's last training week.

Its targets are already scaled by the factor (:mod:`optimizer.progression`); this rule
ties the drop to what the block actually did, so a deload is a deload even when the
targets alone would allow more. Totals only: exact in stage A.
"""

from __future__ import annotations

from ..families._labels import req


def add(pc) -> None:
    mp = pc.mp
    if mp.deload_pct is None:
        return
    n = mp.n_exercises
    for block in pc.blocks_present():
        ref = pc.vars[block.training[-1]]
        before = sum(ref.week_sets(e) for e in range(n))
        for w in block.deload:
            v = pc.vars[w]
            rq = req(
                "deload",
                f"week{w + 1}",
                f"week {w + 1}: at most {mp.deload_pct}% of week {block.training[-1] + 1}'s sets",
                "progression.deload.factor",
            )
            pc.ctx.add(100 * sum(v.week_sets(e) for e in range(n)) <= mp.deload_pct * before, rq)
