"""A group's isolation work no greater than its foundation (goal best_training), as a soft term.

For each rule of ``Problem.isolation`` (optimizer.coaching.ISOLATION_RULES): the weekly
sets of the group's isolation exercises (knee extensions; leg curls) above the sets of its
foundation exercises (squats, presses and lunges; hinges and hip extensions) count, in
sets. Without it the ``minutes`` tie-break filled an advanced lifter's quadriceps volume
with leg extensions, the quickest sets. Depends on weekly totals only.
"""

from __future__ import annotations

from ..variables import SETS_CAP


def aggregate(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    if p.goal != "best_training":
        return
    for i, (_, iso, base) in enumerate(p.isolation):
        excess = m.new_int_var(0, 7 * SETS_CAP * len(iso), f"isolation_excess[{i}]")
        m.add(excess >= sum(v.week_sets(e) for e in iso) - sum(v.week_sets(e) for e in base))
        ctx.add_term("isolation", excess)
