"""Objective terms of a placement, recomputed from the problem data alone (no solver).

Every solve reports these values rather than the solver's, so a plan's terms never depend
on which model found it (stage A, the day-level model, HiGHS, a programme's week).
"""

from __future__ import annotations

from ..problem import Problem
from .objective import weighted_sum


def _final_values(problem: Problem, placement) -> dict[str, int]:
    """Objective terms of a placement, recomputed from the problem data (internal units)."""
    sets_by_ex: dict[int, int] = {}
    for e, _, _, s in placement:
        sets_by_ex[e] = sets_by_ex.get(e, 0) + s
    out: dict[str, int] = {}

    def volume(t) -> int:
        return t.offset + sum(t.coef[e] * s for e, s in sets_by_ex.items())

    soft = [t for t in problem.targets if t.min and not t.hard]
    if soft:
        out["shortfall"] = sum(t.weight * max(0, t.min - volume(t)) for t in soft)
    best = problem.goal == "best_training"
    if best and problem.coverage:
        out["coverage"] = sum(1 for _, providers in problem.coverage if not any(e in sets_by_ex for e in providers))
    if best and problem.spread_groups:
        missing = 0
        for g in problem.spread_groups:
            days = {d for e, d, _, _ in placement if g in problem.exercises[e].primary_groups}
            days |= {d for d, grp in problem.preloaded if grp == g}
            missing += max(0, 2 - len(days))
        out["spread"] = missing
    aimed = [t for t in problem.targets if t.aim is not None and any(t.coef)]
    if best and aimed:
        out["overshoot"] = sum(max(0, (volume(t) - t.aim) // problem.scale) for t in aimed)
    if best and any(ex.effect_pct < 100 for ex in problem.exercises):
        out["ineffective"] = sum((100 - problem.exercises[e].effect_pct) * s for e, s in sets_by_ex.items())
    if best and problem.isolation:
        out["isolation"] = sum(
            max(0, sum(sets_by_ex.get(e, 0) for e in iso) - sum(sets_by_ex.get(e, 0) for e in base))
            for _, iso, base in problem.isolation
        )
    if best and any(ex.lesser_form for ex in problem.exercises):
        out["form"] = sum(s for e, s in sets_by_ex.items() if problem.exercises[e].lesser_form)
    if best and problem.rep_range_term and any(k != ex.main_scheme for ex in problem.exercises for k in ex.schemes):
        out["rep_range"] = sum(s for e, _, k, s in placement if k != problem.exercises[e].main_scheme)
    if problem.prefer or problem.avoid:
        out["preferences"] = sum(1 for e in problem.prefer if e not in sets_by_ex) + sum(1 for e in problem.avoid if e in sets_by_ex)
    soft_r = [r for r in problem.ratios if not r.hard]
    if soft_r:
        total = 0
        for r in soft_r:
            q = 100 * (r.num_offset + sum(r.num_coef[e] * s for e, s in sets_by_ex.items()))
            h = r.den_offset + sum(r.den_coef[e] * s for e, s in sets_by_ex.items())
            total += max(0, r.lo_pct * h - q, q - r.hi_pct * h)
        out["balance"] = total
    if problem.pairing and not problem.pairing_hard:
        out["pairing"] = sum(
            s
            for g, label in problem.pairing
            for e, d, _, s in placement
            if g in problem.exercises[e].primary_groups and problem.days[d].label != label
        )
    out["exercises"] = len(sets_by_ex)
    seconds = sum(problem.exercises[e].setup_s + problem.exercises[e].seconds(k) * s for e, _, k, s in placement)
    out["minutes"] = -(-seconds // 60)
    if problem.objective == "weighted":
        out = {"weighted": weighted_sum(problem, out), **out}
    return out
