"""Recovery: days loading the same muscle group are at least N hours apart (the week wraps).

A group is *loaded* on a day by any exercise for which it is primary (activation 0.75 or
more on one of its muscles), or by the day's upper-body session when ``Day.upper_body``
gives it sets (``Problem.preloaded``). Two close days both loaded by those sessions are
the athlete's own schedule, not ours to forbid. Day pairs closer than the gap are
computed in the Problem.
"""

from __future__ import annotations

from ...problem import circular_hours
from ._labels import req, words
from .supersets import saved_within
from .time_budget import add_under_class_budgets


def _req(p, g):
    return req("recovery", g, f"recovery {p.recovery_h} h between {words(g)} sessions", "recovery.min_hours_between_same_group")


def weekly(ctx, v) -> None:
    # Relaxation: per group, choose the days it may be loaded (pairwise far enough apart);
    # an exercise's sessions in a class cannot outnumber those days, and the group's work
    # there fits their capacities.
    p, m = ctx.problem, ctx.model
    for g in p.recovery_groups:
        loads = {d.index: m.new_bool_var(f"may_load[{g},{d.name}]") for d in p.days}
        ctx.may_load[g] = loads  # families.spread: a group's days are among these
        for d in p.days:
            if (d.index, g) in p.preloaded:
                m.add(loads[d.index] == 1)
        for a, b in p.close_days:
            if (a, g) not in p.preloaded or (b, g) not in p.preloaded:
                ctx.add(loads[a] + loads[b] <= 1, _req(p, g))
        members = [ex for ex in p.exercises if g in ex.primary_groups]
        for c in range(len(p.classes)):
            days = p.days_of_class(c)
            allowed = sum(loads[d.index] for d in days)
            work = 0
            for ex in members:
                keys = [key for key in v.items(ex.index) if key[1] == c]
                if keys:
                    m.add(sum(v.sessions[key] for key in keys) <= allowed)
                    work += sum(v.item_seconds(key) for key in keys)
            if members:
                add_under_class_budgets(ctx, work <= sum(d.capacity_s * loads[d.index] for d in days), c)
    _pairs(ctx, v)


def _pairs(ctx, v) -> None:
    """Two groups' work together fits the days either may load: with recovery, a group that
    must skip a day leaves its partner's work fewer days too (seed 000's quadriceps and
    hamstrings on two of three close days). Valid: in a plan, every exercise loading
    either group is done on a day loading it."""
    p, m = ctx.problem, ctx.model
    groups = [g for g in p.recovery_groups if g in ctx.may_load]
    for i, g in enumerate(groups):
        for h in groups[i + 1:]:
            members = [ex.index for ex in p.exercises if g in ex.primary_groups or h in ex.primary_groups]
            keys = [key for e in members for key in v.items(e)]
            if not keys:
                continue
            either = []
            for d in p.days:
                b = m.new_bool_var(f"may_load[{g}|{h},{d.name}]")
                m.add_max_equality(b, [ctx.may_load[g][d.index], ctx.may_load[h][d.index]])
                either.append(d.capacity_s * b)
            # Supersets: a pair of a g exercise and an h exercise saves time inside this work.
            m.add(sum(v.item_seconds(key) for key in keys) - saved_within(ctx, set(members)) <= sum(either))


def daily(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    for g in p.recovery_groups:
        members = [ex.index for ex in p.exercises if g in ex.primary_groups]
        loads = {}
        for d in p.days:
            keys = [key for e in members for key in v.items(e) if key[1] == d.index]
            if keys:
                loads[d.index] = m.new_bool_var(f"loads[{g},{d.name}]")
                for key in keys:
                    m.add(loads[d.index] >= v.on[key])
        for a, b in p.close_days:
            pre_a, pre_b = (a, g) in p.preloaded, (b, g) in p.preloaded
            if pre_a and pre_b:
                continue  # both loaded by the athlete's own sessions: not ours to move
            r = _req(p, g)
            # A repair lowering the gap to these days' distance lets both load g.
            relax = ctx.relax_by(r, p.recovery_h - circular_hours(p.days[a].weekday, p.days[b].weekday))
            if pre_a and b in loads:
                ctx.add(loads[b] <= relax, r)
            elif pre_b and a in loads:
                ctx.add(loads[a] <= relax, r)
            elif a in loads and b in loads:
                ctx.add(loads[a] + loads[b] <= 1 + relax, r)
