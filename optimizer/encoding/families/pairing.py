"""Pairing (seed 000): a group's work goes on the days shared with a given session.

Seed 000 puts quadriceps on the arms-and-shoulders day and calves and hamstrings on the
back-and-chest day. Sets of exercises loading the group (primary) placed on other days
count against the ``pairing`` term, or are forbidden when ``pairing_hard``.
"""

from __future__ import annotations

from ._labels import req, words


def aggregate(ctx, v) -> None:
    p = ctx.problem
    for g, label in p.pairing:
        off = sum(  # classes of other labels (a label's days may be at several places: several classes)
            v.class_sets(ex.index, c)
            for ex in p.exercises
            if g in ex.primary_groups
            for c in range(len(p.classes))
            if p.classes[c] != label
        )
        if isinstance(off, int):
            continue
        if p.pairing_hard:
            ctx.add(off == 0, req("pairing", g, f"{words(g)} only on {words(label)} days", f"rules.pairing.{g}"))
        else:
            ctx.add_term("pairing", off)
