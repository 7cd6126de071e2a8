"""Exact pruning of a multi-week programme: exercises no optimal programme needs.

The one-week rules of :mod:`optimizer.pruning` are not exact as they stand once weeks are
tied together: rotation counts exercises *new* to a block, stability ties each block's
weeks, and the deload caps a deload week's sets by its block's last training week. Both
rules are re-argued here, block by block; whenever some programme is feasible, the pruned
programme keeps one that is optimal for the full one (same objective term vector,
lexicographic or weighted).

**Useless** exercises (credit no target with a minimum and no ratio, no calf raise under
the calf rule, neither required nor pinned) go when the programme has no deload cap.
Deleting one from every week of a block keeps each week's rules (the one-week argument),
stability (the block's weeks lose the same sessions), the schemes term (it only drops)
and rotation: the block's count of exercises drops by one and its count of new ones by at
most one (``100 (n - 1) >= pct (t - 1)`` follows from ``100 n >= pct t``, ``pct <= 100``);
the next block's new count can only grow. With a deload cap it would not be exact:
``100 x deload sets <= pct x training sets`` can fail when the deleted exercise had more
sets in the training week than in the deload week (the padding of a training week may be
what lets the deload meet its targets), so there useless exercises are only dropped when
dominated, below.

**Dominated.** ``b`` dominates ``a`` when it does in *every* week's problem (the one-week
conditions on each week's targets and allowed rep schemes, :func:`~optimizer.pruning.strict_dominance`).
Swap ``a`` for ``b`` in every week of one block ``j`` (same days, sets and schemes), with
``b`` unused in blocks ``j-1``, ``j`` and ``j+1``: each week's rules and terms hold as for
one week (no term grows), stability and the deload totals are untouched, and rotation
holds: ``b`` is new to block ``j`` (so its new count does not drop, its size is the same),
and block ``j+1`` does not hold ``b`` while ``a`` (if there) can only become new. Without
rotation only ``b`` unused in block ``j`` is needed. Each swap raises the programme's
position in a linear extension of the strict order (summed over (exercise, block) pairs
used), so swapping stops at an optimal programme where every ``a`` used in a block ``j``
has all its dominators ``D(a)`` used in blocks ``j-1..j+1``.

Block ``j`` holds at most ``K_j`` of ``a`` and its dominators, where ``K_w`` is the one-week
count bound of week ``w`` (:func:`~optimizer.pruning.week_bound`) and ``K_j`` the least
``K_w`` over its training weeks when exercises are fixed within blocks (every training
week holds every exercise of the block; a deload week a subset), else their sum over its
weeks. So such a programme has ``|D(a)| <= K_{j-1} + (K_j - 1) + K_{j+1}`` (only ``K_j``
without rotation), and ``a`` is dropped when ``|D(a)|`` reaches that for every block ``j``:
no such programme can use it.

No ortools here: the MultiWeekProblem in, a smaller one out (every week restricted to the
same exercises, so indices still line up across weeks).
"""

from __future__ import annotations

from dataclasses import replace

from .programme import MultiWeekProblem
from .pruning import buckets, reasons, restrict, strict_dominance, swappable, useless, week_bound


def block_bounds(mp: MultiWeekProblem, per_week: list[int]) -> list[int]:
    """``K_j`` per block from the per-week bounds (see the module docstring)."""
    out = []
    for b in mp.blocks:
        if mp.fixed_within_block:
            out.append(min(per_week[w] for w in b.training))
        else:
            out.append(sum(per_week[w] for w in b.weeks))
    return out


def needed(mp: MultiWeekProblem, per_block: list[int]) -> int:
    """How many dominators make ``a`` unusable in every block."""
    if not mp.min_new_pct:
        return max(per_block)
    return max(sum(per_block[max(0, j - 1) : j + 2]) for j in range(len(per_block)))


def programme_dominated(mp: MultiWeekProblem, candidates: list[int]) -> dict[int, int]:
    """Exercise -> one of its dominators, for those dropped by the counting argument."""
    import numpy as np

    problems = [pw.problem for pw in mp.weeks]
    first = problems[0]
    keep_anyway = set(first.required) | {pin.exercise for pin in first.pins}
    out: dict[int, int] = {}
    for members in buckets(first, candidates):
        strict = strict_dominance(problems, members)
        for j, a in enumerate(members):
            if a in keep_anyway:
                continue
            doms = [members[b] for b in np.nonzero(strict[:, j])[0] if swappable(first, a, members[b])]
            if not doms:
                continue
            per_week = [week_bound(p, a, doms) for p in problems]
            if len(doms) >= needed(mp, block_bounds(mp, per_week)):
                out[a] = doms[0]
    return out


def prune_programme(mp: MultiWeekProblem) -> MultiWeekProblem:
    """Drop exercises no optimal programme needs (exact; see the module docstring).

    Every week's Problem records what was dropped in ``dominated`` (so the result counts it).
    """
    first = mp.first
    gone = set.intersection(*(useless(pw.problem) for pw in mp.weeks)) if mp.deload_pct is None else set()
    rest = [e for e in range(len(first.exercises)) if e not in gone]
    beaten = programme_dominated(mp, rest)
    dropped = reasons(first, gone, beaten, " in every week")
    if not dropped:
        return mp
    return restrict_programme(mp, [e for e in rest if e not in beaten], dropped)


def restrict_programme(mp: MultiWeekProblem, keep: list[int], dropped: tuple[tuple[str, str], ...] = ()) -> MultiWeekProblem:
    """The programme over ``keep`` only (re-indexed alike in every week), recording ``dropped``.

    Required and pinned exercises must be kept."""
    new = {old: i for i, old in enumerate(keep)}
    weeks = tuple(replace(pw, problem=restrict(pw.problem, keep, dropped)) for pw in mp.weeks)
    return replace(
        mp,
        weeks=weeks,
        rotation_exempt=frozenset(new[e] for e in mp.rotation_exempt),
        scheme_exempt=frozenset(new[e] for e in mp.scheme_exempt if e in new),
    )
