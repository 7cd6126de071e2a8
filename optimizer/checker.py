"""The independent plan checker: every hard rule re-verified, the objective recomputed.

It reads only the scenario, the catalogue and the plan, never the solver-ready Problem
or the encoding, and does its sums with exact fractions: a bug in scaling, in an encoding
family or in the renderer shows up here as a violation. Rule semantics (documented in
README "Rules"):

- an exercise is usable on a day when that day's place has its equipment (all of the
  list; one of an inner list; the place is ``locations[day.at]``, else ``equipment``), its peak knee flexion is within the limit, its level is not above the
  athlete's and it is not excluded;
- a set lasts ceil(reps x seconds per rep x sides) + rest seconds (sides = 2 when
  unilateral); a day's minutes are its warm-up (when anything is done) plus each
  exercise's set-up plus its sets, less, per superset (labels A1/A2, only with
  ``rules.supersets``), min(sets) rounds times the shorter of the two rests (the
  ``minutes`` tie-break still counts every set straight); a pair is
  legal when no group is loaded by both, no equipment but bodyweight is needed by both
  (either-or alternatives included) and they are not variants of one exercise;
- a group is *loaded* by an exercise whose activation on one of its muscles is 0.75 or
  more; days loading the same group are at least the recovery gap apart, the week
  wrapping round;
- a set credits a muscle by its activation and a group by its largest activation, times
  the share of a set that counts as effective (catalogue.effect: loading class x level);
  targets and balance are in effective sets;
- every exercise, unless required, pinned or preferred, has a primary group the week trains (a
  group with a volume target's min, or either side of a balance): a synergist's credit
  counts only from exercises chosen for their prime movers;
- the knee limit binds exercises loading the quadriceps (primary) unless
  ``athlete.knee_limit_applies_to`` is ``all``; a hold's set lasts its seconds held;
- an exercise never shares a day with another of its variant family, and no day has more
  than ``rules.max_sets_per_group_per_session`` sets of exercises loading one group;
- ``days[].upper_body`` sets count into volume (a group key credits the group, a muscle
  key the muscle and its group) and load their groups that day; two close days both
  loaded by those sessions are the athlete's own schedule, not a violation.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations

from .catalogue import Catalogue
from .coaching import (
    COVERAGE_RULES,
    ISOLATION_RULES,
    SPREAD_DAYS,
    aim_of,
    aimed_groups,
    knee_limit_applies,
    lesser_forms,
    off_aim,
    targeted_groups,
)
from .result import Plan
from .scenario import WEEKDAYS, Scenario

LEVELS = ["beginner", "intermediate", "advanced"]


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.message}"


@dataclass
class CheckReport:
    violations: list[Violation] = field(default_factory=list)
    terms: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.violations


def _f(x) -> Fraction:
    return Fraction(str(x))


def _groups(cat: Catalogue, activation: dict[str, float]) -> dict[str, Fraction]:
    out: dict[str, Fraction] = {}
    for g in cat.groups:
        credits = [_f(activation[m.id]) for m in g.muscles if m.id in activation]
        if credits:
            out[g.id] = max(credits)
    return out


def _primary(cat: Catalogue, ex) -> set[str]:
    return {g for g, a in _groups(cat, ex.activation).items() if a >= Fraction(3, 4)}


def _usable(ex, sc: Scenario, cat: Catalogue, day=None) -> list[str]:
    # The day's own place: its location's equipment, or the top-level list when it names none.
    at = day.at if day is not None else None
    owned = set(sc.locations[at] if at is not None else sc.equipment)
    where = f" (not at {at})" if at is not None else ""
    why = []
    for item in ex.equipment:
        options = item if isinstance(item, list) else [item]
        if not owned.intersection(options):
            why.append(f"needs {' or '.join(options)}{where}")
    lim = sc.athlete.max_knee_flexion_deg
    if lim is not None and ex.knee_flexion_deg > lim and knee_limit_applies(_primary(cat, ex), sc.athlete.knee_limit_applies_to):
        why.append(f"bends the knee to {ex.knee_flexion_deg} degrees, limit {lim}")
    if LEVELS.index(ex.level) > LEVELS.index(sc.athlete.level):
        why.append(f"is {ex.level}, athlete is {sc.athlete.level}")
    if ex.id in sc.athlete.exclude:
        why.append("is excluded")
    return why


def _schemes_ok(ex, sc: Scenario) -> bool:
    allowed = sc.rules.rep_schemes
    calf = {"heavy", "light"} if sc.rules.calves_heavy_and_light and ex.pattern == "plantar_flexion" else set()
    return allowed is None or any(r in allowed or r in calf for r in ex.rep_schemes)


def _main_scheme(ex, sc: Scenario) -> str:
    """The exercise's main rep scheme: the first its catalogue entry lists that the scenario allows."""
    allowed = sc.rules.rep_schemes
    calf = {"heavy", "light"} if sc.rules.calves_heavy_and_light and ex.pattern == "plantar_flexion" else set()
    ok = [r for r in ex.rep_schemes if allowed is None or r in allowed or r in calf]
    return (ok or ex.rep_schemes)[0]


def _stations(ex) -> set[str]:
    """Equipment an exercise occupies: every alternative of every item, bodyweight aside."""
    out = set()
    for item in ex.equipment:
        out.update(item if isinstance(item, list) else [item])
    return out - {"bodyweight"}


def _superset_saving(pd, sc: Scenario, cat: Catalogue, schemes: dict, bad) -> int:
    """Seconds a day's supersets (labels A1/A2, B1/B2...) save: per pair, min(sets) rounds
    each saving the shorter of the two rests. Illegal or malformed pairs are violations
    and save nothing."""
    labelled = [x for x in pd.exercises if x.superset is not None]
    if not labelled:
        return 0
    if not sc.rules.supersets:
        bad("supersets", f"{pd.day}: the plan has supersets but rules.supersets is off")
        return 0
    pairs: dict[str, dict[str, object]] = {}
    for x in labelled:
        label = x.superset
        if len(label) != 2 or not label[0].isupper() or label[1] not in "12":
            bad("supersets", f"{pd.day}: {x.exercise} has superset label {label!r}, expected a letter and 1 or 2 (A1)")
            continue
        if label[1] in pairs.setdefault(label[0], {}):
            bad("supersets", f"{pd.day}: superset label {label} appears twice")
            continue
        pairs[label[0]][label[1]] = x
    total = 0
    for letter, members in sorted(pairs.items()):
        if set(members) != {"1", "2"}:
            bad("supersets", f"{pd.day}: superset {letter} needs exactly {letter}1 and {letter}2")
            continue
        a, b = members["1"], members["2"]
        ea, eb = cat.exercise_by_id.get(a.exercise), cat.exercise_by_id.get(b.exercise)
        if ea is None or eb is None or a.scheme not in schemes or b.scheme not in schemes:
            continue  # reported above
        both = _primary(cat, ea) & _primary(cat, eb)
        shared = _stations(ea) & _stations(eb)
        if both:
            bad("supersets", f"{pd.day}: {ea.id} and {eb.id} both load {', '.join(sorted(both))}: they may not pair")
        elif shared:
            bad("supersets", f"{pd.day}: {ea.id} and {eb.id} share {', '.join(sorted(shared))}: they may not pair")
        elif cat.variant_root(ea) == cat.variant_root(eb):
            bad("supersets", f"{pd.day}: {ea.id} and {eb.id} are variants of one exercise: they may not pair")
        else:
            total += min(a.sets, b.sets) * min(schemes[a.scheme].rest_s, schemes[b.scheme].rest_s)
    return total


def check_plan(
    scenario: Scenario, catalogue: Catalogue, plan: Plan, reported: dict[str, float] | None = None, spread: bool = True
) -> CheckReport:
    """Re-verify ``plan``; compare recomputed objective terms with ``reported`` ones if given.

    ``spread``: whether the goal's spread term applies (single weeks; a programme's weeks
    do without it)."""
    sc, cat = scenario, catalogue
    rep = CheckReport()

    def bad(rule: str, message: str) -> None:
        rep.violations.append(Violation(rule, message))

    days = {d.day: d for d in sc.days}
    trained = aimed_groups(sc.targets, sc.balance, cat.group_of_muscle, cat.group_by_id)
    chosen_by_coach = set(sc.required) | {p.exercise for p in sc.pinned} | set(sc.athlete.prefer)

    def on_aim(ex) -> bool:
        return ex.id in chosen_by_coach or not off_aim(_primary(cat, ex), trained)

    smin, smax = sc.rules.sets_per_exercise.min, sc.rules.sets_per_exercise.max
    schemes = {r.id: r for r in cat.rep_schemes}
    weekly: dict[str, int] = {}
    days_of: dict[str, list[str]] = {}
    loaded: dict[str, set[str]] = {}
    placed: list[tuple[str, str, int, str]] = []  # day, exercise, sets, scheme
    work_seconds = 0
    seen_days = set()
    for pd in plan.days:
        if pd.day not in days:
            bad("days", f"{pd.day} is not one of the scenario's days")
            continue
        if pd.day in seen_days:
            bad("days", f"{pd.day} appears twice in the plan")
        seen_days.add(pd.day)
        day = days[pd.day]
        warm = sc.rules.warmup_minutes if day.warmup_minutes is None else day.warmup_minutes
        seconds = 60 * warm if pd.exercises else 0
        group_sets: dict[str, int] = {}
        ids_today = [x.exercise for x in pd.exercises]
        counts = Counter(ids_today)  # linear: a plan of 50,000 entries in a day took 84 s with list.count
        for dup in sorted(i for i, n in counts.items() if n > 1):
            bad("session_limits", f"{pd.day}: {dup} appears more than once")
        if len(pd.exercises) > sc.rules.max_exercises_per_session:
            bad("session_limits", f"{pd.day}: {len(pd.exercises)} exercises, at most {sc.rules.max_exercises_per_session}")
        for x in pd.exercises:
            ex = cat.exercise_by_id.get(x.exercise)
            if ex is None:
                bad("catalogue", f"{pd.day}: unknown exercise {x.exercise}")
                continue
            for why in _usable(ex, sc, cat, day):
                rule = "equipment" if why.startswith("needs") else "joint_limits" if "knee" in why else "eligibility"
                bad(rule, f"{pd.day}: {ex.id} {why}")
            if not on_aim(ex):
                bad("aim", f"{pd.day}: {ex.id} trains no group the week asks for as a prime mover")
            if x.scheme not in ex.rep_schemes or x.scheme not in schemes:
                bad("rep_schemes", f"{pd.day}: {ex.id} does not allow the {x.scheme} scheme")
                continue
            allowed = sc.rules.rep_schemes
            calf_exempt = sc.rules.calves_heavy_and_light and ex.pattern == "plantar_flexion" and x.scheme in ("heavy", "light")
            if allowed is not None and x.scheme not in allowed and not calf_exempt:
                bad("rep_schemes", f"{pd.day}: {ex.id} uses {x.scheme}, not in rules.rep_schemes")
            if not smin <= x.sets <= smax:
                bad("session_limits", f"{pd.day}: {ex.id} has {x.sets} sets, expected {smin}-{smax}")
            r = schemes[x.scheme]
            sides = 2 if ex.unilateral else 1
            per_rep = 1 if r.unit == "seconds" else _f(ex.seconds_per_rep)
            set_s = math.ceil(_f(r.reps) * per_rep * sides) + r.rest_s
            if x.set_seconds != set_s:
                bad("report", f"{pd.day}: {ex.id} reports {x.set_seconds} s a set, recomputed {set_s}")
            seconds += ex.setup_s + x.sets * set_s
            work_seconds += ex.setup_s + x.sets * set_s
            weekly[ex.id] = weekly.get(ex.id, 0) + x.sets
            days_of.setdefault(ex.id, []).append(pd.day)
            placed.append((pd.day, ex.id, x.sets, x.scheme))
            for g in _primary(cat, ex):
                loaded.setdefault(g, set()).add(pd.day)
                group_sets[g] = group_sets.get(g, 0) + x.sets
        seconds -= _superset_saving(pd, sc, cat, schemes, bad)  # day budgets only: the minutes term counts straight sets
        for fam in {cat.variant_root(cat.exercise_by_id[i]) for i in ids_today if i in cat.exercise_by_id}:
            members = [i for i in ids_today if i in cat.exercise_by_id and cat.variant_root(cat.exercise_by_id[i]) == fam]
            if len(members) > 1:
                bad("variants", f"{pd.day}: {', '.join(members)} are variants of one exercise in one session")
        for g, n in group_sets.items():
            if n > sc.rules.max_sets_per_group_per_session:
                bad("session_volume", f"{pd.day}: {n} sets loading {g}, at most {sc.rules.max_sets_per_group_per_session}")
        if seconds > day.minutes * 60:
            bad("time_budget", f"{pd.day}: {seconds / 60:.2f} minutes, budget {day.minutes}")
        if abs(seconds / 60 - pd.minutes_used) > 0.0051:  # the report rounds to 0.01 min, no more
            bad("report", f"{pd.day}: reports {pd.minutes_used} minutes used, recomputed {seconds / 60:.2f}")

    for ex_id, ds in days_of.items():
        if len(ds) > sc.rules.max_days_per_exercise:
            bad("variety", f"{ex_id} on {len(ds)} days, at most {sc.rules.max_days_per_exercise}")
    for x in sc.required:
        if x not in weekly:
            bad("required", f"{x} is required but not in the plan")
    for pin in sc.pinned:
        hits = [p for p in placed if p[0] == pin.day and p[1] == pin.exercise]
        if not hits:
            bad("pinned", f"{pin.exercise} is pinned on {pin.day} but not there")
        elif (pin.sets and hits[0][2] != pin.sets) or (pin.scheme and hits[0][3] != pin.scheme):
            bad("pinned", f"{pin.exercise} on {pin.day} does not match the pin's sets or scheme")

    preloaded: dict[str, set[str]] = {}
    extra: dict[str, Fraction] = {}
    for d in sc.days:
        for unit, sets in d.upper_body.items():
            group = unit if unit in cat.group_by_id else cat.group_of_muscle.get(unit, unit)
            for u in {unit, group}:
                extra[u] = extra.get(u, Fraction(0)) + _f(sets)
            if sets > 0:
                preloaded.setdefault(group, set()).add(d.day)
    gap = sc.recovery.min_hours_between_same_group
    for g in set(loaded) | set(preloaded):
        ds = loaded.get(g, set()) | preloaded.get(g, set())
        for a, b in combinations(sorted(ds, key=WEEKDAYS.index), 2):
            if {a, b} <= preloaded.get(g, set()):
                continue  # the athlete's own upper-body schedule, not the plan's doing
            d = abs(WEEKDAYS.index(a) - WEEKDAYS.index(b))
            hours = 24 * min(d, 7 - d)
            if hours < gap:
                bad("recovery", f"{g} loaded on {a} and {b}, {hours} h apart, at least {gap} h")

    volume: dict[str, Fraction] = dict(extra)  # effective sets
    ineffective = Fraction(0)
    for ex_id, sets in weekly.items():
        ex = cat.exercise_by_id[ex_id]
        effect = _f(cat.effect(ex, sc.athlete.level))
        ineffective += (1 - effect) * sets
        for m, a in ex.activation.items():
            volume[m] = volume.get(m, Fraction(0)) + _f(a) * effect * sets
        for g, a in _groups(cat, ex.activation).items():
            volume[g] = volume.get(g, Fraction(0)) + a * effect * sets
    shortfall = Fraction(0)
    overshoot = 0
    for unit, t in sc.targets.items():
        got = volume.get(unit, Fraction(0))
        if t.max is not None and got > _f(t.max):
            bad("volume", f"{unit}: {float(got):g} effective sets, at most {t.max:g}")
        if t.min is not None and got < _f(t.min):
            if t.hard:
                bad("volume", f"{unit}: {float(got):g} effective sets, at least {t.min:g}")
            else:
                shortfall += t.weight * (_f(t.min) - got)
        aim = aim_of(unit, t, sc.targets, cat.group_of_muscle)
        if aim is not None and got > _f(aim):
            overshoot += math.floor(got - _f(aim))  # whole sets above the point
    outside = Fraction(0)
    for key, r in sc.balance.items():
        num, den = key.split("_to_", 1)
        q, h = volume.get(num, Fraction(0)), volume.get(den, Fraction(0))
        out = max(Fraction(0), _f(r.min) * h - q, q - _f(r.max) * h)
        if r.hard and out > 0:
            bad("balance", f"{key}: {float(q):g}/{float(h):g} sets outside {r.min:g}-{r.max:g}")
        elif not r.hard:
            outside += out
    if sc.rules.calves_heavy_and_light:
        for k in ("heavy", "light"):
            if not any(s == k and cat.exercise_by_id[e].pattern == "plantar_flexion" for _, e, _, s in placed):
                bad("calves", f"no {k} calf-raise work in the week")
    off_pair = 0
    for g, label in sc.rules.pairing.items():
        for day, e, sets, _ in placed:
            if days[day].shares_with != label and _groups(cat, cat.exercise_by_id[e].activation).get(g, 0) >= Fraction(3, 4):
                if sc.rules.pairing_hard:
                    bad("pairing", f"{e} loads {g} on {day}, which is not a {label} day")
                off_pair += sets

    # The goal's quality terms, from the scenario and catalogue alone.
    usable = [e for e in cat.exercises if on_aim(e) and any(not _usable(e, sc, cat, d) for d in sc.days) and _schemes_ok(e, sc)]
    targeted = targeted_groups(sc.targets, cat.group_of_muscle, cat.group_by_id)
    best = sc.goal == "best_training"

    def growth_work(group: str, patterns) -> set[str]:  # usable, the group primary, with a volume scheme
        return {
            e.id for e in usable
            if e.pattern in patterns and group in _primary(cat, e) and any(cat.scheme_by_id[r].volume for r in e.rep_schemes)
        }

    coverage_rules = []
    for group, patterns, label in COVERAGE_RULES:
        providers = growth_work(group, patterns)
        if group in targeted and providers:
            coverage_rules.append(providers)
    isolation_rules = []
    for group, iso_patterns, base_patterns, _ in ISOLATION_RULES:
        iso, base = growth_work(group, iso_patterns), growth_work(group, base_patterns)
        if group in targeted and iso and base:
            isolation_rules.append((iso, base))
    spread_groups = targeted & {g for e in usable for g in _primary(cat, e)} if spread and len(sc.days) > 1 else set()

    rep.terms = {"minutes": float(math.ceil(Fraction(work_seconds, 60))), "exercises": float(len(weekly))}
    if best and coverage_rules:
        rep.terms["coverage"] = float(sum(1 for providers in coverage_rules if not providers & set(weekly)))
    if best and isolation_rules:
        rep.terms["isolation"] = float(
            sum(max(0, sum(weekly.get(e, 0) for e in iso) - sum(weekly.get(e, 0) for e in base)) for iso, base in isolation_rules)
        )
    if best:

        def aimed(e) -> set[str]:  # the muscles of its primary groups
            primary = _primary(cat, e)
            return {m for m, g in cat.group_of_muscle.items() if g in primary}

        lesser = lesser_forms(usable, aimed, set(sc.athlete.prefer), set(sc.athlete.avoid))
        if lesser:
            rep.terms["form"] = float(sum(n for e, n in weekly.items() if e in lesser))
    if best and spread_groups:
        rep.terms["spread"] = float(
            sum(max(0, SPREAD_DAYS - len(loaded.get(g, set()) | preloaded.get(g, set()))) for g in spread_groups)
        )
    if best and any(t.min is not None or t.point is not None for t in sc.targets.values()):
        rep.terms["overshoot"] = float(overshoot)
    if best:
        rep.terms["ineffective"] = round(float(ineffective), 4)
    if best:
        rep.terms["rep_range"] = float(sum(n for _, e, n, k in placed if k != _main_scheme(cat.exercise_by_id[e], sc)))
    if sc.athlete.prefer or sc.athlete.avoid:
        rep.terms["preferences"] = float(
            sum(1 for e in set(sc.athlete.prefer) & {u.id for u in usable} if e not in weekly)
            + sum(1 for e in set(sc.athlete.avoid) if e in weekly)
        )
    if any(t.min and not t.hard for t in sc.targets.values()):
        rep.terms["shortfall"] = round(float(shortfall), 4)
    if any(not r.hard for r in sc.balance.values()):
        rep.terms["balance"] = round(float(outside), 4)
    if sc.rules.pairing and not sc.rules.pairing_hard:
        rep.terms["pairing"] = float(off_pair)
    for name, value in (reported or {}).items():
        if name in rep.terms and abs(rep.terms[name] - value) > 1e-3:
            bad("objective", f"{name}: reported {value:g}, recomputed {rep.terms[name]:g}")
    return rep


def check_result(scenario: Scenario, catalogue: Catalogue, result) -> CheckReport:
    """Check a SolveResult's plan and its reported objective terms and bounds."""
    reported = {t.name: t.value for t in result.objective_terms}
    return check_bounds(check_plan(scenario, catalogue, result.plan, reported), scenario, result)


def check_bounds(rep: CheckReport, scenario: Scenario, result) -> CheckReport:
    """A reported bound is a claim about the optimum; the plan in hand is a solution, so a
    bound above its value (recomputed here where the checker can) is false. Lexicographic:
    every term's bound; weighted: the sum's (a term's value in a weighted optimum bounds
    nothing)."""
    if scenario.objective == "weighted":
        value, bound = getattr(result, "objective_value", None), getattr(result, "best_bound", None)
        if bound is not None and value is not None and bound > value + 1e-6:
            rep.violations.append(Violation("bound", f"bound {bound:g} above the plan's value {value:g}"))
        return rep
    for t in result.objective_terms:
        value = rep.terms.get(t.name, t.value)
        if t.bound is not None and t.bound > value + 1e-6:
            rep.violations.append(Violation("bound", f"{t.name}: bound {t.bound:g} above the plan's value {value:g}"))
    return rep
