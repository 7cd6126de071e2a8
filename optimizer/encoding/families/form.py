"""The better of two forms of one movement where the week can use both (goal best_training), as a soft term.

Counts the weekly sets of exercises with ``PExercise.lesser_form``: those the week could
swap for a better form of the same movement (optimizer.coaching.better_form: seated leg
curls before lying ones, the full-range leg press before the range-limited one when the
knee allows it). Without it these were ties on every term and the seed chose. Depends on
weekly totals only.
"""

from __future__ import annotations


def aggregate(ctx, v) -> None:
    p = ctx.problem
    if p.goal != "best_training":
        return
    lesser = [e for e in range(len(p.exercises)) if p.exercises[e].lesser_form]
    if lesser:
        ctx.add_term("form", sum(v.week_sets(e) for e in lesser))
