"""Rotation: a share of each block's exercises is new compared with the block before.

``new[e]`` may be 1 only when e is used in the block and not in the one before;
``100 x sum(new) >= pct x (exercises of the block)``. Required and pinned exercises are
in every block by definition, so they count neither as new nor in the block's total.
"""

from __future__ import annotations

from ..families._labels import req


def add(pc) -> None:
    mp = pc.mp
    if mp.min_new_pct is None:
        return
    m = pc.model
    candidates = [e for e in range(mp.n_exercises) if e not in mp.rotation_exempt]
    present = {block.index for block in pc.blocks_present()}
    if not candidates:
        return
    in_block = {}
    for block in pc.blocks_present():
        for e in candidates:
            x = m.new_bool_var(f"in_block[{block.index + 1},{mp.first.exercises[e].id}]")
            used = [pc.vars[w].used[e] for w in block.weeks]
            for u in used:
                m.add(x >= u)
            m.add(x <= sum(used))
            in_block[block.index, e] = x
    for block in pc.blocks_present():
        b = block.index
        if b - 1 not in present:
            continue
        new = []
        for e in candidates:
            n = m.new_bool_var(f"new[{b + 1},{mp.first.exercises[e].id}]")
            m.add(n <= in_block[b, e])
            m.add(n <= 1 - in_block[b - 1, e])
            new.append(n)
        rq = req(
            "rotation",
            f"block{b + 1}",
            f"block {b + 1}: at least {mp.min_new_pct}% new exercises",
            "progression.rotation.min_new_share",
        )
        pc.ctx.add(100 * sum(new) >= mp.min_new_pct * sum(in_block[b, e] for e in candidates), rq)
