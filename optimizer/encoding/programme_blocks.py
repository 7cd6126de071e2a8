"""A better programme plan, block by block, when the time limit allows.

The early plan (:mod:`.programme_hint`) fixes each block's pattern from one week cut
short, which on an imported catalogue costs about half again the minutes the weeks need.
Here each block is solved as a programme of its own (its weeks, stability, deload and
scheme preferences; the two-stage decomposition of :mod:`.programme`), over the
exercises that an exact single-week pruning keeps in some week of the block. Rotation is
kept by leaving out the previous block's exercises (required and pinned ones aside), so
every block is wholly new: a valid plan, not an optimal one (the subset and the sequence
are heuristics); the programme's solve goes on from it.
"""

from __future__ import annotations

import time
from dataclasses import replace

from ..programme import MultiWeekProblem, PBlock
from .programme_hint import _preferred
from .solve import SolveParams


def block_problem(mp: MultiWeekProblem, block: PBlock, avoid: set[int]) -> tuple[MultiWeekProblem, list[int]]:
    """Block ``block`` as a programme of its own over a subset; and the subset's indices in ``mp``."""
    from ..programme_pruning import restrict_programme
    from ..pruning import prune, restrict

    start = block.weeks[0]
    weeks = tuple(
        replace(pw, index=w - start, spec=replace(pw.spec, block=1))
        for w in block.weeks
        for pw in [_preferred(mp, mp.weeks[w])]
    )
    sub = replace(
        mp,
        weeks=weeks,
        blocks=(PBlock(0, tuple(w - start for w in block.weeks), tuple(w - start for w in block.training), tuple(w - start for w in block.deload)),),
        min_new_pct=None,
    )
    first = sub.first
    special = set(first.required) | {pin.exercise for pin in first.pins}
    allowed = [e for e in range(len(first.exercises)) if e not in avoid or e in special]
    ids: set[str] = set()
    for pw in sub.weeks:
        ids |= {ex.id for ex in prune(restrict(pw.problem, allowed, ())).exercises}
    keep = [e for e in allowed if first.exercises[e].id in ids or e in special]
    return restrict_programme(sub, keep), keep


def block_plan(mp: MultiWeekProblem, params: SolveParams, stats: dict, budget_s: float) -> list | None:
    """Placements per week (every week), or None when some block found no plan in time."""
    from .programme import solve_programme_problem

    t0 = time.perf_counter()
    placements: dict[int, list] = {}
    previous: set[int] = set()
    for i, block in enumerate(mp.blocks):
        left = budget_s - (time.perf_counter() - t0)
        if left <= 0.1:
            return None
        sub, keep = block_problem(mp, block, previous - mp.rotation_exempt if mp.min_new_pct else set())
        seconds = left / (len(mp.blocks) - i)
        outcome = solve_programme_problem(sub, SolveParams(seconds, params.workers, params.seed, dict(params.extra)), inner=True)
        if outcome.placements is None:
            return None
        for j, w in enumerate(block.weeks):
            placements[w] = [(keep[e], d, k, s) for e, d, k, s in outcome.placements[j]]
        previous = {e for w in block.weeks for e, *_ in placements[w]}
    stats["block_plan_s"] = round(time.perf_counter() - t0, 4)
    return [placements[w] for w in range(len(mp.weeks))]
