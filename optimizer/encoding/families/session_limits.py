"""Sets per exercise (min..max when used) and exercises per session.

Also the links that define ``used[e]`` and one rep scheme per exercise per day; those are
definitions, not requirements, so they are never switched off.
"""

from __future__ import annotations

from ..variables import SETS_CAP
from ._labels import DAY_NAMES, req

MAX_PER_SESSION = 20  # scenario.Rules.max_exercises_per_session's upper limit


def _sets_req(p):
    return req("session_limits", "sets", f"{p.sets_min}-{p.sets_max} sets per exercise", "rules.sets_per_exercise")


def _count_req(p, day):
    # One requirement per day: a conflict names the day whose session is too short.
    return req(
        "session_limits",
        f"exercises:{day.name}",
        f"{DAY_NAMES[day.name]}: at most {p.max_per_session} exercise{'s' if p.max_per_session > 1 else ''}",
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
            # Relaxation of every day's count in the class: holds when all of them do.
            ct = m.add(sum(v.sessions[key] for key in keys) <= p.max_per_session * n_days)
            lits = [lit for d in p.days_of_class(c) for lit in ctx.guard(_count_req(p, d))]
            if lits:
                ct.only_enforce_if(lits)


def daily(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    r = _sets_req(p)
    for key, on in v.on.items():
        s = v.sets[key]
        ctx.add(s >= p.sets_min * on - ctx.slack(r, 1, p.sets_min - 1, "rules.sets_per_exercise.min"), r)
        m.add(s <= v.most[key] * on)
        if v.most[key] > p.sets_max:  # only loose domains (explaining) exceed the range
            ctx.add(s <= p.sets_max * on + ctx.slack(r, 1, SETS_CAP - p.sets_max, "rules.sets_per_exercise.max"), r)
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
            r = _count_req(p, d)
            ctx.add(sum(v.on[key] for key in keys) <= p.max_per_session + ctx.slack(r, 1, MAX_PER_SESSION - p.max_per_session), r)
