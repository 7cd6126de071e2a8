"""Symmetry across a programme: exact copies are ordered by their first week only.

The single-week family (:mod:`..families.symmetry`) orders copies in *each* week, which
is not exact once weeks are tied: rotation wants a different copy in the next block
(``used[a] >= used[b]`` in every week forbids block 2 from taking ``b`` alone after block 1
took ``a``), and stability keeps each copy's days while its sets change from week to week,
so the weeks need not all sort the same way. What is a symmetry of a programme is
renaming copies in *every* week at once: copies are exercises alike in every week's
problem (rep schemes can differ by week), and every cross-week rule treats them alike
(neither is required or pinned; both are calf raises or neither). So sorting the copies
by their first week's sets, and only that, loses no optimum. Added only when every week
is in the model (stage A and the monolithic model).
"""

from __future__ import annotations

from ..families.symmetry import copies


def add(pc) -> None:
    mp = pc.mp
    if len(pc.vars) != len(mp.weeks):
        return
    groups: dict[tuple, list[int]] = {}
    per_week = [{e: i for i, g in enumerate(copies(pw.problem)) for e in g} for pw in mp.weeks]
    for e in range(mp.n_exercises):
        if all(e in of for of in per_week):
            groups.setdefault(tuple(of[e] for of in per_week), []).append(e)
    v = pc.vars[0]
    for group in groups.values():
        for a, b in zip(group, group[1:]):
            pc.model.add(v.used[a] >= v.used[b])
            pc.model.add(v.week_sets(a) >= v.week_sets(b))
