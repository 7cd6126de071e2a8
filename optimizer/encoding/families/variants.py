"""An exercise never shares a session with its own variant (``variant_of`` in the catalogue).

A box squat beside the squat it limits, or a partial lunge beside the lunge, is the same
work twice: a coach picks one. Exact per day; stage A's relaxation: the sessions of one
variant family in a day class cannot outnumber the class's days. A fact of the catalogue,
not a requirement of the scenario: never switched off when explaining.
"""

from __future__ import annotations


def _families(p) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for ex in p.exercises:
        out.setdefault(ex.family, []).append(ex.index)
    return {f: members for f, members in out.items() if len(members) > 1}


def weekly(ctx, v) -> None:
    p = ctx.problem
    for family, members in _families(p).items():
        for c in range(len(p.classes)):
            sessions = sum(v.class_sessions(e, c) for e in members)
            if not isinstance(sessions, int):
                ctx.model.add(sessions <= len(p.days_of_class(c)))


def daily(ctx, v) -> None:
    p = ctx.problem
    for family, members in _families(p).items():
        for d in p.days:
            on = [v.on[key] for e in members for key in v.items(e) if key[1] == d.index]
            if len(on) > 1:
                ctx.model.add(sum(on) <= 1)
