"""Supersets (``rules.supersets``): paired exercises share one rest per round.

The rule and time model are in :mod:`optimizer.supersets` (README, "Rules, exactly"):
a pair the Problem allows (``Problem.supersets``) does ``min(sets A, sets B)`` rounds, each
saving ``min(rest A, rest B)`` seconds; an exercise is in at most one pair per session.
This family only *subtracts savings* from the day budgets: ``ctx.saved`` (class index in
stage A, day index in the day-level models) is what :mod:`.time_budget` takes off the
work, and ``ctx.pair_saved`` what :mod:`.recovery`'s two-group relaxation takes off (a
pair of a g exercise and an h exercise saves time inside the two groups' work; a group's
own exercises never pair, so its one-group relaxation stands as it is).

**Day level (exact).** Per day and allowed pair: ``z`` (they pair), ``rounds`` at most
either exercise's sets that day, ``saved <= rest x rounds`` for the scheme each of them
uses that day (big-M on its ``on`` literal), at most one ``z`` per exercise and day. A
plan's pairing is then recomputed exactly (the best pairing per session, a
maximum-weight matching: :func:`optimizer.supersets.best_pairing`), which saves at least
what the model counted, so every day budget still holds.

**Stage A (a valid relaxation).** Per class and allowed pair: ``rounds`` and ``saved <=
(the smaller of the two exercises' longest rests) x rounds``; ``together``, the sessions
the two share, bounds the rounds (the most sets a session may hold, each) and leaves each
exercise's other sessions their ``sets_min`` sets; per exercise and class, its rounds in
all its pairs are at most its sets, their savings at most the rests of its sets (a set is
in at most one round, and a round saves at most the rest of each of its sets) and its
shared sessions at most its sessions (one partner per session); a class's days hold at
most ``max_exercises_per_session // 2`` pairs each. Every plan maps onto such values, so
stage A's summed day capacities stay a relaxation.

**Exactness of the decomposition.** The objective does not see supersets: the ``minutes``
tie-break counts straight-set minutes, a function of weekly totals like every other term
(an exact paired-minutes tie-break depends on which sets meet on which day; tried, the
day-level model could not prove it on the time-crunched example in 150 s). So stage A's
optimum is still a lower bound, a placement still proves it, and the no-good cuts stay
valid: removing an exercise or a set from a placement never lengthens a day (a round
saves at most the rest of the partner's set, which leaves with it).
"""

from __future__ import annotations

from ...supersets import round_saving


def _most(p, v, key) -> int:
    """Stage A: the most weekly sets of an item (its per-session most times its sessions)."""
    return v.per_session_max[key] * min(len(p.days_of_class(key[1])), p.max_days_per_exercise)


def weekly(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    if not p.supersets:
        return
    mine: dict[tuple[int, int], list] = {}
    slots: dict[int, list] = {}
    for a, b in p.supersets:
        for c, label in enumerate(p.classes):
            ka = [key for key in v.items(a) if key[1] == c]
            kb = [key for key in v.items(b) if key[1] == c]
            if not ka or not kb:
                continue
            most = min(sum(_most(p, v, key) for key in ka), sum(_most(p, v, key) for key in kb))
            rest = round_saving(max(p.rest_s(key[2]) for key in ka), max(p.rest_s(key[2]) for key in kb))
            if most <= 0 or rest <= 0:
                continue
            tag = f"{p.exercises[a].id}+{p.exercises[b].id},{label or 'free'}"
            rounds = m.new_int_var(0, most, f"rounds[{tag}]")
            saved = m.new_int_var(0, most * rest, f"saved[{tag}]")
            days = min(len(p.days_of_class(c)), p.max_days_per_exercise)
            together = m.new_int_var(0, days, f"together[{tag}]")  # sessions the two share
            per_session = min(max(v.per_session_max[key] for key in ka), max(v.per_session_max[key] for key in kb))
            m.add(saved <= rest * rounds)
            m.add(rounds <= per_session * together)
            for e in (a, b):  # its sessions without the partner hold sets_min sets or more each
                m.add(rounds <= v.class_sets(e, c) - p.sets_min * (v.class_sessions(e, c) - together))
            for e in (a, b):
                mine.setdefault((e, c), []).append((rounds, saved, together))
            slots.setdefault(c, []).append(together)
            ctx.saved[c] = ctx.saved.get(c, 0) + saved
            ctx.pair_saved[a, b] = ctx.pair_saved.get((a, b), 0) + saved
    for c, together in slots.items():  # a session holds at most half its exercises' worth of pairs
        m.add(sum(together) <= len(p.days_of_class(c)) * (p.max_per_session // 2))
    for (e, c), pairs in mine.items():
        keys = [key for key in v.items(e) if key[1] == c]
        m.add(sum(r for r, _, _ in pairs) <= v.class_sets(e, c))
        m.add(sum(s for _, s, _ in pairs) <= sum(p.rest_s(key[2]) * v.sets[key] for key in keys))
        m.add(sum(t for _, _, t in pairs) <= v.class_sessions(e, c))  # one partner per session


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


def saved_within(ctx, members: set[int]):
    """Seconds saved by pairs of two ``members`` (0 when none pair)."""
    return sum(s for (a, b), s in ctx.pair_saved.items() if a in members and b in members)
