"""Constraint families, one module each, in the order they are added.

Each module may define:

- ``aggregate(ctx, v)``: rules that only look at weekly totals, written once for both
  variable containers (:class:`~..variables.WeeklyVars` and :class:`~..variables.DailyVars`);
- ``weekly(ctx, v)``: a valid relaxation of a day-level rule, for stage A;
- ``daily(ctx, v)``: the exact day-level rule, for placement and the monolithic model.

Order matters only for readability of solver logs; no family reads another's variables
except through the containers.
"""

from . import (
    balance,
    calves,
    coverage,
    effectiveness,
    eligibility,
    form,
    isolation,
    pairing,
    preferences,
    recovery,
    rep_range,
    selection,
    session_limits,
    session_volume,
    spread,
    supersets,
    symmetry,
    tie_breaks,
    time_budget,
    variants,
    variety,
    volume,
)

REGISTRY = (
    eligibility,  # equipment, joint limits, level, exclusions
    selection,  # required and pinned exercises
    session_limits,  # sets per exercise, exercises per session, used-links
    variety,  # the same exercise at most once a day and on at most N days
    variants,  # an exercise never beside its own variant in a session
    session_volume,  # sets per group per session, capped
    supersets,  # paired exercises share one rest per round (rules.supersets): before the time rules
    time_budget,  # minutes per day: warm-up + set-up + sets x set time
    recovery,  # hours between sessions loading the same group (the week wraps)
    volume,  # weekly sets per group and per muscle (soft min -> shortfall term)
    balance,  # ratio of two groups' weekly sets (soft -> balance term)
    calves,  # heavy and light calf work (seed 000)
    pairing,  # leg groups on the upper-body days they belong with (seed 000)
    coverage,  # movement patterns a coach expects (soft; goal best_training)
    spread,  # each targeted group on two days or more (soft; goal best_training)
    effectiveness,  # sets that do not count as effective sets (soft; goal best_training)
    preferences,  # the athlete's prefer and avoid lists (soft)
    isolation,  # a group's isolation sets no more than its foundation's (soft; goal best_training)
    form,  # the better form of a movement where the week has two (soft; goal best_training)
    rep_range,  # each exercise in its own rep range (soft; goal best_training)
    tie_breaks,  # fewest whole minutes, then fewest distinct exercises
    symmetry,  # exact copies ordered (no requirement; saves proving permutations)
)

__all__ = ["REGISTRY"]
