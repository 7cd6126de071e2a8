"""Each exercise in its own rep range (goal best_training): sets outside it are minimised.

An exercise's catalogue entry lists its rep schemes main first: moderate (8-12) for most
growth work, heavy first for calf raises. Every scheme from about 5 to 30 reps builds
muscle when taken near failure (see effectiveness), so the plan may use any; but without
this term the ``minutes`` tie-break alone chose the scheme, and the quickest (light,
45 s rests) won everywhere: a whole week of 15-25s. Here a set in a scheme other than
the exercise's main one costs one point, so other ranges appear only where a rule or the
time asks for them (seed 000's light calf work; a short day that fits more light sets).
The main scheme is the first the scenario allows (``PExercise.main_scheme``). In sets;
depends on weekly totals only.

The calf rule's least cost is the term's lower bound (a plain solve only: explaining may
switch the rule off): each of heavy and light that no calf raise has as its main scheme
costs at least one session of minimum sets. With it the stages' floor probe
(:mod:`..stages`) can prove the term at once.
"""

from __future__ import annotations

from ..variables import SETS_CAP


def calf_floor(p) -> int:
    """Least rep_range cost the calf rule forces (see the module docstring)."""
    if not p.calf_rule:
        return 0
    mains = {ex.main_scheme for ex in p.exercises if ex.calf_raise}
    return sum(p.sets_min for k in (p.heavy, p.light) if k is not None and k not in mains)


def aggregate(ctx, v) -> None:
    p = ctx.problem
    if p.goal != "best_training" or not p.rep_range_term:
        return
    off = [v.sets[key] for key in v.items() if key[2] != p.exercises[key[0]].main_scheme]
    if not off:
        return
    floor = calf_floor(p) if ctx.guard_mode == "off" else 0
    if floor:
        total = ctx.model.new_int_var(floor, 7 * SETS_CAP * len(p.exercises), "rep_range")
        ctx.model.add(total == sum(off))
        ctx.add_term("rep_range", total)
    else:
        ctx.add_term("rep_range", sum(off))
