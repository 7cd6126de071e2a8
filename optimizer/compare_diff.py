"""Differences between two variants' plans (added, dropped, swapped, sets changed), what
adding equipment gained, in words, and one variant's plan taken as another's
(:func:`adopt_plan`)."""

from __future__ import annotations

from .catalogue import Catalogue
from .checker import check_plan
from .compare_types import ExerciseChange, PlanDiff, VariantOutcome
from .result import ObjectiveTerm, Plan, SolveResult, Status
from .scenario import Scenario


def _label(x) -> str:
    return f"{x.sets} x {x.scheme}"


def diff_plans(before: Plan, after: Plan, catalogue: Catalogue) -> list[ExerciseChange]:
    """Per day: exercises added, dropped, swapped, and sets (or scheme) changed.

    A swap is a dropped and an added exercise on the same day that share a primary group
    (or, failing that, a movement pattern): the new one does the old one's job. Pairs are
    matched most similar first; what is left is added or dropped.
    """
    out: list[ExerciseChange] = []
    days = [d.day for d in before.days] + [d.day for d in after.days if d.day not in {x.day for x in before.days}]
    b_days = {d.day: {x.exercise: x for x in d.exercises} for d in before.days}
    a_days = {d.day: {x.exercise: x for x in d.exercises} for d in after.days}
    cat = catalogue.exercise_by_id

    def similarity(old: str, new: str) -> tuple[int, int]:
        shared = 0
        if old in cat and new in cat:
            shared = len(catalogue.primary_groups(cat[old]) & catalogue.primary_groups(cat[new]))
            return shared, int(cat[old].pattern == cat[new].pattern)
        return 0, 0

    for day in days:
        b, a = b_days.get(day, {}), a_days.get(day, {})
        dropped = [e for e in b if e not in a]
        added = [e for e in a if e not in b]
        pairs = sorted(
            ((similarity(o, n), o, n) for o in dropped for n in added if similarity(o, n) != (0, 0)),
            key=lambda t: (-t[0][0], -t[0][1], dropped.index(t[1]), added.index(t[2])),
        )
        swapped_old: set[str] = set()
        swapped_new: set[str] = set()
        for _, o, n in pairs:
            if o in swapped_old or n in swapped_new:
                continue
            swapped_old.add(o)
            swapped_new.add(n)
            out.append(
                ExerciseChange(
                    day=day, change="swapped", exercise=n, name=a[n].name, replaces=o, replaces_name=b[o].name,
                    before=_label(b[o]), after=_label(a[n]),
                )
            )
        for o in dropped:
            if o not in swapped_old:
                out.append(ExerciseChange(day=day, change="dropped", exercise=o, name=b[o].name, before=_label(b[o])))
        for n in added:
            if n not in swapped_new:
                out.append(ExerciseChange(day=day, change="added", exercise=n, name=a[n].name, after=_label(a[n])))
        for e in b:
            if e in a and (b[e].sets != a[e].sets or b[e].scheme != a[e].scheme):
                out.append(
                    ExerciseChange(
                        day=day, change="sets changed", exercise=e, name=a[e].name, before=_label(b[e]), after=_label(a[e])
                    )
                )
    return out


def diff_outcomes(before: VariantOutcome, after: VariantOutcome, catalogue: Catalogue) -> PlanDiff:
    pb, pa = before.result.plan, after.result.plan
    if pb is None or pa is None:
        missing = [v.name for v, p in ((before, pb), (after, pa)) if p is None]
        return PlanDiff(before=before.name, after=after.name, note=f"no plan for {' and '.join(missing)}")
    changes = diff_plans(pb, pa, catalogue)
    return PlanDiff(before=before.name, after=after.name, changes=changes, note="" if changes else "the same plan")


def _num(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if abs(x - round(x)) > 1e-9 else str(int(round(x)))


QUALITY_WORDS = (
    ("coverage", "expected movement patterns missing"),
    ("spread", "days short of twice-a-week training"),
    ("ineffective", "ineffective sets"),
    ("overshoot", "sets above target"),
    ("isolation", "isolation sets beyond squat or hinge sets"),
    ("form", "sets of a lesser form (lying curls where seated ones are at hand)"),
    ("rep_range", "sets outside their main rep range"),
)


def describe_gain(before: VariantOutcome, after: VariantOutcome, catalogue: Catalogue) -> str:
    """What changes from ``before`` to ``after``, in words, e.g.
    'hamstrings shortfall 4 -> 0, 6 minutes less a week, uses lying leg curl'."""
    rb, ra = before.result, after.result
    if not ra.status.has_plan:
        return "still no plan" if not rb.status.has_plan else "no plan"
    if not rb.status.has_plan:
        return "makes a plan possible"
    parts = []
    vb = {v.unit: v for v in rb.plan.volume}
    for v in ra.plan.volume:
        if v.unit in vb and abs(vb[v.unit].shortfall - v.shortfall) > 1e-6:
            parts.append(f"{v.unit.replace('_', ' ')} shortfall {_num(vb[v.unit].shortfall)} -> {_num(v.shortfall)}")
    rbr = {r.name: r for r in rb.plan.ratios}
    for r in ra.plan.ratios:
        old = rbr.get(r.name)
        if old is not None and old.value != r.value and (old.outside > 1e-6 or r.outside > 1e-6):
            fmt = lambda x: "n/a" if x is None else f"{x:.2f}"  # noqa: E731
            parts.append(f"{r.name.replace('_to_', ':')} ratio {fmt(old.value)} -> {fmt(r.value)}")
    tb = {t.name: t.value for t in rb.objective_terms}
    ta = {t.name: t.value for t in ra.objective_terms}
    if "pairing" in ta and abs(ta["pairing"] - tb.get("pairing", 0)) > 1e-6:
        parts.append(f"sets off their paired day {_num(tb.get('pairing', 0))} -> {_num(ta['pairing'])}")
    for name, words in QUALITY_WORDS:
        if name in ta and abs(ta[name] - tb.get(name, 0)) > 1e-6:
            parts.append(f"{words} {_num(tb.get(name, 0))} -> {_num(ta[name])}")
    # Effective sets the plan's sets do per targeted unit, where they rose while the raw
    # sets did not (the new item's sets count for more): "hamstrings +4 effective sets".
    for v in ra.plan.volume:
        old = vb.get(v.unit)
        if old is not None and v.min is not None and v.raw_sets is not None and old.raw_sets is not None:
            ratio_a, ratio_b = v.sets / v.raw_sets if v.raw_sets else 1, old.sets / old.raw_sets if old.raw_sets else 1
            if ratio_a - ratio_b > 0.05:
                parts.append(f"{v.unit.replace('_', ' ')}: {_num(round(v.sets, 2))} of {_num(round(v.raw_sets, 2))} sets effective (was {_num(round(old.sets, 2))} of {_num(round(old.raw_sets, 2))})")
    dm = ta.get("minutes", 0) - tb.get("minutes", 0)
    if abs(dm) >= 0.05:
        n = round(abs(dm), 1)
        parts.append(f"{_num(n)} minute{'' if n == 1 else 's'} {'less' if dm < 0 else 'more'} a week")
    if ta.get("exercises") != tb.get("exercises"):
        parts.append(f"{_num(tb.get('exercises', 0))} -> {_num(ta.get('exercises', 0))} exercises")
    used_b = {x.exercise for _, x in rb.plan.entries()}
    new = sorted({x.name for _, x in ra.plan.entries() if x.exercise not in used_b})
    if new and parts:
        parts.append("uses " + ", ".join(n.lower() for n in new))
    return ", ".join(parts) if parts else "no gain"


def adopt_plan(scenario: Scenario, catalogue: Catalogue, own: SolveResult, donor: SolveResult, donor_name: str) -> SolveResult:
    """``own``'s result with ``donor``'s plan, valid for ``scenario`` (checked) and better.

    Term values are recomputed by the checker against ``scenario``; ``own``'s bounds are
    bounds for this scenario, but lexicographically: a term's holds for the donor's plan
    only while the stages before it are where ``own``'s bounds put them
    (:func:`.encoding.objective.lex_bounds`).
    """
    from .encoding.objective import lex_bounds, lex_prefix

    report = check_plan(scenario, catalogue, donor.plan)
    if not report.ok:  # cannot happen for a subset's plan: a bug if it does
        raise RuntimeError(f"{donor_name}'s plan is not valid here: {report.violations[0]}")
    bounds = {t.name: t.bound for t in own.objective_terms}
    if own.objective != "weighted":
        donor_values = {t.name: report.terms.get(t.name, t.value) for t in donor.objective_terms}
        mine = {t.name: t.value for t in own.objective_terms}
        # A term without a bound is read as bounded by 0: below a value above 0, that ends the chain.
        relaxed = lex_prefix(mine, {n: b for n, b in bounds.items() if b is not None})
        held = lex_bounds({n: donor_values.get(n, mine[n]) for n in mine}, {}, relaxed, waste_scale=1)
        bounds = {n: None if b is None else held[n] for n, b in bounds.items()}
    # This scenario's terms (own's, when it has them) and the donor's: a rule the donor's
    # equipment left out (coverage) may apply here.
    kinds = {t.name: t for t in donor.objective_terms} | {t.name: t for t in own.objective_terms}
    donor_value = {t.name: t.value for t in donor.objective_terms}
    terms = [
        ObjectiveTerm(
            name=t.name,
            value=report.terms.get(t.name, donor_value.get(t.name, 0.0)),
            bound=bounds.get(t.name),
            unit=t.unit,
            rank=t.rank,
            weight=t.weight,
        )
        for t in sorted(kinds.values(), key=lambda t: (t.rank or 0, t.name))
    ]
    message = (
        f"Plan of {donor_name} (whose exercises are all usable here): the solver's own plan within the time "
        "limit scored worse. Not proven optimal."
    )
    return own.model_copy(
        update={
            "status": Status.FEASIBLE,
            "message": message,
            "plan": donor.plan,
            "objective_terms": terms,
            "objective_value": terms[0].value if terms and own.objective != "weighted" else None,
            "best_bound": terms[0].bound if terms and own.objective != "weighted" else None,
            "gap": None,
            "method": own.method + " + plan of a subset",
        }
    )
