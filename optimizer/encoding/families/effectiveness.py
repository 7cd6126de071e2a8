"""Effective sets (goal best_training): sets that do not count fully are minimised.

A set of an exercise counts ``effect_pct`` percent towards the volume targets (its loading
class and the athlete's level; see catalogue.effectiveness). The volume family already
credits only that share; this term also prefers, among plans that meet the targets, the
one whose sets are real work: a bodyweight squat set for an advanced lifter is three
quarters ineffective. In hundredths of a set. Depends on weekly totals only.
"""

from __future__ import annotations


def aggregate(ctx, v) -> None:
    p = ctx.problem
    if p.goal != "best_training":
        return
    waste = [(100 - ex.effect_pct) * v.week_sets(ex.index) for ex in p.exercises if ex.effect_pct < 100 and v.items(ex.index)]
    if waste:
        ctx.add_term("ineffective", sum(waste))
