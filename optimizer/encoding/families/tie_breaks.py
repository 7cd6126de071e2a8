"""The tie-breaks: fewest minutes of exercise work, then fewest distinct exercises.

Minutes are whole minutes of the week's work, rounded up: as a tie-break a second's
difference means nothing, and the coarse term leaves the stages after it, and the
canonical solve, far fewer plans to tell apart (gym example, one worker: deterministic
time 1.01 -> 0.24). Both depend on weekly totals only.
"""

from __future__ import annotations

MAX_MINUTES = 7 * 24 * 60


def aggregate(ctx, v) -> None:
    m = ctx.model
    whole = m.new_int_var(0, MAX_MINUTES, "minutes")
    m.add(60 * whole >= v.work_seconds())
    ctx.add_term("minutes", whole)
    ctx.add_term("exercises", sum(v.used.values()))
