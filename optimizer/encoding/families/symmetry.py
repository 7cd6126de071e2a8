"""Symmetry: exercises that are exact copies in every piece of model data are ordered.

Real catalogues are full of near-duplicates, and many are exact duplicates as far as the
model can tell (same set-up, schemes and set times, same credit on every target and ratio,
same loads; for a blocked exercise, same equipment and level). Swapping two such exercises' whole assignments
gives another plan of the same value, so requiring the earlier one to carry at least as
many weekly sets (and be used whenever the later one is) loses no optimum; it spares the
solver from proving the same thing for every permutation. Pinned and required exercises
are never grouped. Not a user requirement: never switched off.
"""

from __future__ import annotations


def copies(p) -> list[list[int]]:
    """Groups (size >= 2) of interchangeable exercises, by index."""
    special = set(p.required) | {pin.exercise for pin in p.pins}
    family_size: dict[str, int] = {}
    for ex in p.exercises:
        family_size[ex.family] = family_size.get(ex.family, 0) + 1
    groups: dict[tuple, list[int]] = {}
    for ex in p.exercises:
        if ex.index in special:
            continue
        signature = (
            ex.setup_s,
            ex.schemes,
            ex.set_s,
            ex.primary_groups,
            ex.calf_raise,
            ex.blocked,
            # Equipment and level matter only while blocked (explain's repairs unblock by them).
            (ex.equipment, ex.level) if ex.blocked else None,
            # With supersets, stations decide who may pair (groups are in the signature).
            (ex.equipment, ex.family) if p.supersets else None,
            tuple(t.coef[ex.index] for t in p.targets),
            tuple((r.num_coef[ex.index], r.den_coef[ex.index]) for r in p.ratios),
            # And every soft term's view of it: its share that counts, its part in the coaching
            # rules, the athlete's wishes, a better form at hand; where it may be done, and
            # the variants it may not sit beside.
            ex.effect_pct,
            tuple(ex.index in providers for _, providers in p.coverage),
            tuple((ex.index in iso, ex.index in base) for _, iso, base in p.isolation),
            (ex.index in p.prefer, ex.index in p.avoid),
            ex.lesser_form,
            ex.off_days,
            ex.family if family_size[ex.family] > 1 else None,
        )
        groups.setdefault(signature, []).append(ex.index)
    return [g for g in groups.values() if len(g) > 1]


def aggregate(ctx, v) -> None:
    m = ctx.model
    for group in copies(ctx.problem):
        for a, b in zip(group, group[1:]):
            m.add(v.used[a] >= v.used[b])
            m.add(v.week_sets(a) >= v.week_sets(b))
