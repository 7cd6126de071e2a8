"""Minutes per day: warm-up (on a day with any work) + set-up per exercise + sets x set time,
less the rests supersets save (``ctx.saved``, :mod:`.supersets`).

A set takes reps x seconds per rep (twice over for a unilateral exercise) plus the rep
scheme's rest; the Problem has already rounded it up to whole seconds.
"""

from __future__ import annotations

from ._labels import DAY_NAMES, req

MAX_MINUTES = 600  # the most a scenario day may have (scenario.Day.minutes)


def _day_req(day):
    return req("time_budget", day.name, f"{DAY_NAMES[day.name]}: {day.minutes} minutes", f"days[{day.index}].minutes")


def class_guards(ctx, c: int) -> list:
    """Enforcement literals of every day budget in class ``c`` (a relaxation needs them all)."""
    lits = []
    for day in ctx.problem.days_of_class(c):
        lits += ctx.guard(_day_req(day))
    return lits


def add_under_class_budgets(ctx, constraint, c: int) -> None:
    """Add a stage-A relaxation that holds only while every day budget of class ``c`` does."""
    ct = ctx.model.add(constraint)
    lits = class_guards(ctx, c)
    if lits:
        ct.only_enforce_if(lits)


def weekly(ctx, v) -> None:
    # Relaxation: all work placed on a class's days fits their capacities added up; each
    # single session fitting one day is already in the variables' bounds.
    p = ctx.problem
    for c in range(len(p.classes)):
        keys = [key for key in v.sets if key[1] == c]
        if not keys:
            continue
        cap = sum(d.capacity_s for d in p.days_of_class(c))
        saved = ctx.saved.get(c, 0)  # supersets: the most their rests can save (families.supersets)
        add_under_class_budgets(ctx, sum(v.item_seconds(key) for key in keys) - saved <= cap, c)


def daily(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    for d in p.days:
        keys = v.day_items(d.index)
        for key in keys:
            m.add(v.trained[d.index] >= v.on[key])
        work = sum(v.item_seconds(key) for key in keys) - ctx.saved.get(d.index, 0)
        r = _day_req(d)
        ctx.add(work + d.warmup_s * v.trained[d.index] <= d.budget_s + ctx.slack(r, 60, MAX_MINUTES - d.minutes), r)
