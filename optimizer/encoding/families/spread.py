"""Spread (goal best_training): each targeted group trained on at least two days a week.

At equal weekly volume, training a muscle on two or more days is the usual advice
(DOMAIN.md, "spread and cap"). The term counts, per targeted group that some usable
exercise loads (Problem.spread_groups), the days short of two; a day counts when an
exercise loading the group (primary) is done on it, or the day's upper-body session
loads it. Recovery still holds, so when the days allow only one, the term says so.

Exact per day. Stage A has no days: its relaxation lets a group reach as many days as
the sessions of exercises loading it and as the days recovery lets it load
and per day class at most the class's days (``Context.spread_days`` holds that count, at most 2). Stage B must then realise that claim: :func:`~..solve.place` adds it as an assumption,
so a failure names it in the core and the no-good cut lowers the claim (see solve.py).
"""

from __future__ import annotations

TWICE = 2


def _members(p, g) -> list[int]:
    return [ex.index for ex in p.exercises if g in ex.primary_groups]


def weekly(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    for g in p.spread_groups:
        pre = sum(1 for d in p.days if (d.index, g) in p.preloaded)
        days = m.new_int_var(0, TWICE, f"spread_days[{g}]")
        # Per day class, the group reaches at most as many days as the class has, and as
        # its members' sessions there (two curls in Saturday's class are one day).
        reach = []
        for c in range(len(p.classes)):
            sessions = sum(v.class_sessions(e, c) for e in _members(p, g))
            if isinstance(sessions, int):
                continue
            most = min(TWICE, len(p.days_of_class(c)))
            r = m.new_int_var(0, most, f"spread_reach[{g},{c}]")
            m.add(r <= sessions)
            reach.append(r)
        m.add(days <= sum(reach) + pre)
        if g in ctx.may_load:  # recovery's relaxation: the days the group may be loaded
            m.add(days <= sum(ctx.may_load[g].values()))
        ctx.spread_days[g] = days
        ctx.add_term("spread", TWICE - days)


def daily(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    for g in p.spread_groups:
        members = _members(p, g)
        loaded = []
        for d in p.days:
            if (d.index, g) in p.preloaded:
                loaded.append(1)
                continue
            on = [v.on[key] for e in members for key in v.items(e) if key[1] == d.index]
            if on:
                b = m.new_bool_var(f"spread_loads[{g},{d.name}]")
                m.add(b <= sum(on))
                loaded.append(b)
        total = sum(loaded)
        miss = m.new_int_var(0, TWICE, f"spread_missing[{g}]")
        m.add(miss >= TWICE - total)
        ctx.spread_days[g] = total
        ctx.add_term("spread", miss)
