"""The athlete's soft wishes: ``athlete.prefer`` exercises used, ``athlete.avoid`` ones not.

One point per preferred exercise left out and per avoided exercise used. Depends on
which exercises are used only.
"""

from __future__ import annotations


def aggregate(ctx, v) -> None:
    p = ctx.problem
    missed = [1 - v.used[e] for e in p.prefer] + [v.used[e] for e in p.avoid]
    if missed:
        ctx.add_term("preferences", sum(missed))
