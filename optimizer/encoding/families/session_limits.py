"""Sets per exercise (min..max when used) and exercises per session.

Also the links that define ``used[e]`` and one rep scheme per exercise per day; those are
definitions, not requirements, so they are never switched off.
"""

from __future__ import annotations

from ._labels import DAY_NAMES, req


def _sets_req(p):
    return req("session_limits", "sets", f"{p.sets_min}-{p.sets_max} sets per exercise", "rules.sets_per_exercise")


def _count_req(p, day_or_class: str):
    return req(
        "session_limits",
        f"exercises:{day_or_class}",
        f"at most {p.max_per_session} exercises per session",
        "rules.max_exercises_per_session",
    )


def weekly(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    for key, n in v.sessions.items():
        s = v.sets[key]
        ctx.add(s >= p.sets_min * n, _sets_req(p))
        m.add(s <= v.per_session_max[key] * n)
        m.add(n <= p.max_days_per_exercise * v.used[key[0]])
    for ex in p.exercises:
        m.add(v.used[ex.index] <= sum(v.sessions[key] for key in v.items(ex.index)))
    for c in range(len(p.classes)):
        n_days = len(p.days_of_class(c))
        keys = [key for key in v.sessions if key[1] == c]
        if keys:
            ctx.add(sum(v.sessions[key] for key in keys) <= p.max_per_session * n_days, _count_req(p, "all"))


def daily(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    for key, on in v.on.items():
        s = v.sets[key]
        ctx.add(s >= p.sets_min * on, _sets_req(p))
        m.add(s <= v.most[key] * on)
        m.add(on <= v.used[key[0]])
    for ex in p.exercises:
        keys = v.items(ex.index)
        m.add(v.used[ex.index] <= sum(v.on[key] for key in keys))
        for d in p.days:
            day_keys = [key for key in keys if key[1] == d.index]
            if len(day_keys) > 1:
                m.add_at_most_one(v.on[key] for key in day_keys)
    for d in p.days:
        keys = v.day_items(d.index)
        if len(keys) > p.max_per_session:
            ctx.add(sum(v.on[key] for key in keys) <= p.max_per_session, _count_req(p, "all"))
