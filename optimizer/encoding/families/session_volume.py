"""Sets per group per session: at most ``rules.max_sets_per_group_per_session`` sets of
exercises loading a group (primary) in one session.

Past roughly 6-10 hard sets for one muscle in one session, extra sets add little
(DOMAIN.md, "spread and cap"); the default of 10 is the top of that range, overridable.
Exact per day; stage A's relaxation: per day class, at most the cap times its days.
"""

from __future__ import annotations

from ._labels import req, words


def _groups(p) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for ex in p.exercises:
        for g in sorted(ex.primary_groups):  # (a frozenset: its order follows the hash seed)
            out.setdefault(g, []).append(ex.index)
    return out


def _req(p, g):
    return req(
        "session_volume", g, f"at most {p.max_group_sets} {words(g)} sets in one session", "rules.max_sets_per_group_per_session"
    )


def weekly(ctx, v) -> None:
    p = ctx.problem
    for g, members in _groups(p).items():
        for c in range(len(p.classes)):
            keys = [key for e in members for key in v.items(e) if key[1] == c]
            room = p.max_group_sets * len(p.days_of_class(c))
            if keys:
                ctx.add(sum(v.sets[key] for key in keys) <= room, _req(p, g))


def daily(ctx, v) -> None:
    p = ctx.problem
    for g, members in _groups(p).items():
        for d in p.days:
            keys = [key for e in members for key in v.items(e) if key[1] == d.index]
            if keys and sum(v.most[key] for key in keys) > p.max_group_sets:
                ctx.add(sum(v.sets[key] for key in keys) <= p.max_group_sets, _req(p, g))
