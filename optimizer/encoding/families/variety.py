"""Variety: the same exercise on at most ``max_days_per_exercise`` days a week."""

from __future__ import annotations

from ._labels import req


def aggregate(ctx, v) -> None:
    p = ctx.problem
    r = req("variety", "days", f"the same exercise on at most {p.max_days_per_exercise} days a week", "rules.max_days_per_exercise")
    for ex in p.exercises:
        if v.items(ex.index):
            ctx.add(v.week_sessions(ex.index) <= p.max_days_per_exercise + ctx.slack(r, 1, 7 - p.max_days_per_exercise), r)


def weekly(ctx, v) -> None:
    # Once a day at most: an exercise cannot have more sessions in a class than it has days.
    p, m = ctx.problem, ctx.model
    for ex in p.exercises:
        for c in range(len(p.classes)):
            keys = [key for key in v.items(ex.index) if key[1] == c]
            if len(keys) > 1:
                m.add(sum(v.sessions[key] for key in keys) <= len(p.days_of_class(c)))
