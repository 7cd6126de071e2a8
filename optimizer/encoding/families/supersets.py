"""Supersets (``rules.supersets``): paired exercises share one rest per round.

The rule and time model are in :mod:`optimizer.supersets` (README, "Rules, exactly"):
a pair the Problem allows (``Problem.supersets``) does ``min(sets A, sets B)`` rounds, each
saving ``min(rest A, rest B)`` seconds; an exercise is in at most one pair per session.
This family only *subtracts savings* from time: ``ctx.saved`` (class index in stage A,
day index in the day-level models) is what :mod:`.time_budget` and :mod:`.tie_breaks`
take off the work, and ``ctx.pair_saved`` what :mod:`.recovery`'s two-group relaxation
takes off (a pair loading both groups can save time inside it).

**Day level (exact).** Per day and allowed pair: ``z`` (they pair), ``rounds`` at most
either exercise's sets that day, ``saved <= rest x rounds`` for the scheme each of them
uses that day (big-M on its ``on`` literal), at most one ``z`` per exercise and day. A
plan's pairing is then recomputed exactly (the best pairing per session, a
maximum-weight matching: :func:`optimizer.supersets.best_pairing`), which saves at least
what the model counted, so every day budget and the minutes claim still hold.

**Stage A (a valid relaxation).** Per class and allowed pair: ``rounds`` and ``saved <=
(the smaller of the two exercises' longest rests) x rounds``; per exercise and class, its
rounds in all its pairs are at most its sets and their savings at most the rests of its
sets (a set is in at most one round, and a round saves at most the rest of each of its
sets). Every plan maps onto such values, so stage A's day minutes and its ``minutes``
term stay lower bounds.

**Exactness of the decomposition.** With supersets, minutes depend on how sets meet on
days, not on weekly totals alone. Stage B is therefore also asked to place the totals
within stage A's minutes (:func:`minutes_claim`, an assumption like the totals); a plan it
finds then has stage A's (proven) value. If the claim is in the infeasibility core, the
no-good cut asks stage A for more minutes (:func:`minutes_escape`). Valid: removing an
exercise or a set from a placement never lengthens it (a round saves at most the rest of
the partner's set, which leaves with it), so the other cuts' monotonicity still holds and
a smaller claim is only harder to meet.
"""

from __future__ import annotations

from ...supersets import round_saving


def _ub(model, var) -> int:
    return model.proto.variables[var.index].domain[-1]


def weekly(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    if not p.supersets:
        return
    mine: dict[tuple[int, int], list] = {}
    for a, b in p.supersets:
        for c, label in enumerate(p.classes):
            ka = [key for key in v.items(a) if key[1] == c]
            kb = [key for key in v.items(b) if key[1] == c]
            if not ka or not kb:
                continue
            most = min(sum(_ub(m, v.sets[key]) for key in ka), sum(_ub(m, v.sets[key]) for key in kb))
            rest = round_saving(max(p.rest_s(key[2]) for key in ka), max(p.rest_s(key[2]) for key in kb))
            if most <= 0 or rest <= 0:
                continue
            tag = f"{p.exercises[a].id}+{p.exercises[b].id},{label or 'free'}"
            rounds = m.new_int_var(0, most, f"rounds[{tag}]")
            saved = m.new_int_var(0, most * rest, f"saved[{tag}]")
            m.add(saved <= rest * rounds)
            for e in (a, b):
                mine.setdefault((e, c), []).append((rounds, saved))
            ctx.saved[c] = ctx.saved.get(c, 0) + saved
            ctx.pair_saved[a, b] = ctx.pair_saved.get((a, b), 0) + saved
    for (e, c), pairs in mine.items():
        keys = [key for key in v.items(e) if key[1] == c]
        m.add(sum(r for r, _ in pairs) <= v.class_sets(e, c))
        m.add(sum(s for _, s in pairs) <= sum(p.rest_s(key[2]) * v.sets[key] for key in keys))


def daily(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    if not p.supersets:
        return
    for d in p.days:
        mine: dict[int, list] = {}
        for a, b in p.supersets:
            ka = [key for key in v.items(a) if key[1] == d.index]
            kb = [key for key in v.items(b) if key[1] == d.index]
            if not ka or not kb:
                continue
            most = min(max(v.most[key] for key in ka), max(v.most[key] for key in kb))
            rest = round_saving(max(p.rest_s(key[2]) for key in ka), max(p.rest_s(key[2]) for key in kb))
            if most <= 0 or rest <= 0:
                continue
            tag = f"{p.exercises[a].id}+{p.exercises[b].id},{d.name}"
            z = m.new_bool_var(f"superset[{tag}]")
            rounds = m.new_int_var(0, most, f"rounds[{tag}]")
            saved = m.new_int_var(0, most * rest, f"saved[{tag}]")
            m.add(rounds <= most * z)
            big = most * rest
            for keys in (ka, kb):
                m.add(z <= sum(v.on[key] for key in keys))
                m.add(rounds <= sum(v.sets[key] for key in keys))
                for key in keys:  # the scheme done that day sets the rest
                    m.add(saved <= p.rest_s(key[2]) * rounds + big * (1 - v.on[key]))
            m.add(saved <= rest * rounds)
            for e in (a, b):
                mine.setdefault(e, []).append(z)
            ctx.saved[d.index] = ctx.saved.get(d.index, 0) + saved
            ctx.pair_saved[a, b] = ctx.pair_saved.get((a, b), 0) + saved
        for e, zs in mine.items():
            if len(zs) > 1:
                m.add_at_most_one(zs)


def total_saved(ctx):
    """Seconds every superset saves in the week (0 without supersets)."""
    return sum(ctx.saved.values())


def saved_within(ctx, members: set[int]):
    """Seconds saved by pairs of two ``members`` (0 when none pair)."""
    return sum(s for (a, b), s in ctx.pair_saved.items() if a in members and b in members)


def minutes_claim(ctx, v, minutes: int):
    """Stage B: a literal that, when true, keeps the week's work within stage A's ``minutes``."""
    m = ctx.model
    lit = m.new_bool_var(f"place[minutes<={minutes}]")
    m.add(v.work_seconds() - total_saved(ctx) <= 60 * minutes).only_enforce_if(lit)
    return lit


def minutes_escape(model, ctx, minutes: int):
    """A no-good's escape for a failed minutes claim: stage A takes more minutes than that."""
    lit = model.new_bool_var("")
    model.add(sum(ctx.terms["minutes"]) >= minutes + 1).only_enforce_if(lit)
    return lit
