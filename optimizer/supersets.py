"""Supersets (``rules.supersets``): which exercises may pair, and what a pair saves.

The rule (README, "Rules, exactly"):

- two exercises may be done as a superset when they **load no group in common** (no group
  is primary, activation 0.75 or more on one of its muscles, for both: the threshold that
  defines a load for recovery and pairing) and **share no station**: no equipment id
  appears in both exercises' needs, counting every alternative of an either-or item, with
  ``bodyweight`` the one exception (the floor is everywhere). Two variants of one
  exercise never pair (they never share a session anyway);
- a superset of A and B does ``rounds = min(sets A, sets B)`` rounds of one set of A, one
  set of B, then one rest: the longer of the two schemes' rests. Each round therefore
  saves ``min(rest A, rest B)`` seconds against straight sets; the unmatched extra sets of
  the exercise with more sets are straight sets. Both set-ups are still paid;
- an exercise is in at most one superset per session.

Supersets change time only: a set counts for volume, balance and every other term exactly
as a straight set does.

No ortools here: the Problem builder, the solver's recomputation and the renderers share
these definitions; the independent checker re-derives them on its own.
"""

from __future__ import annotations

from functools import lru_cache

STATION_FREE = frozenset({"bodyweight"})  # equipment two exercises of a superset may both need


def stations(equipment) -> frozenset[str]:
    """Equipment ids an exercise occupies: every alternative of every item, bodyweight aside."""
    out = set()
    for item in equipment:
        out.update(item if isinstance(item, (list, tuple)) else (item,))
    return frozenset(out) - STATION_FREE


def may_pair(groups_a, groups_b, equipment_a, equipment_b, family_a: str = "", family_b: str = "") -> bool:
    """The pairing rule: no group loaded by both, no station shared, not one exercise's variants."""
    if set(groups_a) & set(groups_b):
        return False
    if family_a and family_a == family_b:
        return False
    return not stations(equipment_a) & stations(equipment_b)


def round_saving(rest_a: int, rest_b: int) -> int:
    """Seconds a superset round saves against two straight sets: the shorter rest."""
    return min(rest_a, rest_b)


def pair_saving(sets_a: int, rest_a: int, sets_b: int, rest_b: int) -> int:
    """Seconds a superset of two exercises saves: one shorter rest per round."""
    return min(sets_a, sets_b) * round_saving(rest_a, rest_b)


def best_pairing(items: list[tuple[int, int, int]], legal) -> tuple[int, list[tuple[int, int]]]:
    """The pairing of one session that saves the most: (seconds saved, [(a, b), ...]).

    ``items``: (exercise, sets, rest_s) per exercise of the session; ``legal(a, b)``: may
    they pair. A maximum-weight matching, exact (memoised over the exercises still
    unmatched; a session has at most 20 exercises and few legal pairs). Ties go to the
    pairing found first in ``items`` order, so the result is deterministic.
    """
    items = sorted(items)
    n = len(items)
    weight = {}
    for i in range(n):
        for j in range(i + 1, n):
            a, b = items[i], items[j]
            if legal(a[0], b[0]):
                w = pair_saving(a[1], a[2], b[1], b[2])
                if w > 0:
                    weight[i, j] = w
    if not weight:
        return 0, []

    @lru_cache(maxsize=None)
    def best(mask: int) -> tuple[int, tuple]:
        if mask == 0:
            return 0, ()
        i = (mask & -mask).bit_length() - 1
        rest = mask & ~(1 << i)
        top = best(rest)  # i stays unpaired
        for j in range(i + 1, n):
            if rest >> j & 1 and (i, j) in weight:
                saved, pairs = best(rest & ~(1 << j))
                if saved + weight[i, j] > top[0]:
                    top = (saved + weight[i, j], ((i, j), *pairs))
        return top

    saved, pairs = best((1 << n) - 1)
    return saved, [(items[i][0], items[j][0]) for i, j in pairs]


def day_pairings(problem, placement) -> dict[int, tuple[int, list[tuple[int, int]]]]:
    """Per day of a placement [(exercise, day, scheme, sets)]: (seconds saved, pairs), the
    best pairing of that session under ``problem.supersets`` (days without one left out)."""
    if not problem.supersets:
        return {}
    allowed = set(problem.supersets)

    def legal(a: int, b: int) -> bool:
        return (min(a, b), max(a, b)) in allowed

    by_day: dict[int, list[tuple[int, int, int]]] = {}
    for e, d, k, s in placement:
        by_day.setdefault(d, []).append((e, s, problem.rest_s(k)))
    out = {}
    for d, items in by_day.items():
        saved, pairs = best_pairing(items, legal)
        if pairs:
            out[d] = (saved, pairs)
    return out

