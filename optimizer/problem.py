"""The solver-ready problem: frozen, integer-indexed, every id resolved, every fraction scaled.

Built once from a :class:`~optimizer.scenario.Scenario` and a
:class:`~optimizer.catalogue.Catalogue`; the CP-SAT encoding reads nothing else. This is
where:

- unknown ids in the scenario are answered with close matches;
- the candidates are chosen (:mod:`optimizer.candidates`): exercises the athlete cannot do
  (equipment, knee limit, level, exclusions) or that train no group the week asks for are
  left out and counted (equipment per day: an exercise whose equipment some day's place has
  stays, barred from the other days by ``PExercise.off_days``), except pinned or required
  ones, which stay as *blocked* candidates so that the conflict is reported rather than
  hidden;
- set and session times become whole seconds, activations and volume targets integers on
  one common scale (:attr:`Problem.scale` units per set), ratios whole percents.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from fractions import Fraction
from itertools import combinations

from .candidates import HEAVY, LIGHT, candidates, usable_schemes
from .catalogue import PRIMARY_THRESHOLD, Catalogue, Exercise
from .coaching import aim_of, targeted_groups
from .errors import InputError, close_matches
from .problem_coaching import coverage_rules, isolation_rules, lesser_form_ids
from .scenario import WEEKDAYS, Scenario
from .supersets import may_pair


@dataclass(frozen=True)
class PScheme:
    index: int
    id: str
    name: str
    reps: int
    reps_min: int
    reps_max: int
    rest_s: int
    unit: str = "reps"


@dataclass(frozen=True)
class PExercise:
    index: int
    id: str
    name: str
    setup_s: int
    schemes: tuple[int, ...]  # indices into Problem.schemes
    set_s: tuple[int, ...]  # seconds per set, aligned with ``schemes``
    primary_groups: frozenset[str]
    calf_raise: bool
    compound: bool
    knee_flexion_deg: int
    blocked: tuple[str, ...] = ()  # reasons it may not be used (only pinned/required ones are kept)
    equipment: tuple[tuple[str, ...], ...] = ()  # needed items, each as its alternatives
    level: str = "beginner"
    effect_pct: int = 100  # share of a set that counts as an effective set, in percent
    loading: str = "progressive"
    pattern: str = "other"
    family: str = ""  # the root of its variant_of chain: two of one family never share a session
    off_days: frozenset[int] = frozenset()  # days whose place lacks its equipment (Day.at): never done there
    main_scheme: int = -1  # its main rep scheme: the first of ``schemes`` the scenario allows (kept when pruned)
    lesser_form: bool = False  # the week can use a better form of it (optimizer.coaching, the form term)

    def seconds(self, scheme: int) -> int:
        return self.set_s[self.schemes.index(scheme)]

    def quickest(self, among=None) -> int:
        """The scheme (of ``among``, default all of its own) whose set is shortest; ties by index."""
        return min(self.schemes if among is None else among, key=lambda k: (self.seconds(k), k))


@dataclass(frozen=True)
class PDay:
    index: int
    weekday: int  # 0 = Monday
    name: str
    minutes: int
    budget_s: int
    warmup_s: int
    label: str | None
    cls: int  # index into Problem.classes
    at: str | None = None  # the location trained at (Day.at)

    @property
    def capacity_s(self) -> int:
        """Seconds left for exercises once the warm-up is done."""
        return max(0, self.budget_s - self.warmup_s)


@dataclass(frozen=True)
class PTarget:
    unit: str
    kind: str  # "group" or "muscle"
    min: int | None  # scaled
    max: int | None  # scaled
    hard: bool
    coef: tuple[int, ...]  # scaled effective credit per set, per exercise
    offset: int = 0  # scaled sets the days' upper_body sessions already credit
    aim: int | None = None  # scaled: effective sets above this are overshoot (point, else min)
    weight: int = 1  # each set short counts this many times
    raw_coef: tuple[int, ...] = ()  # scaled credit per set before effectiveness (reported beside)

    @property
    def label(self) -> str:
        return self.unit.replace("_", " ")


@dataclass(frozen=True)
class PRatio:
    key: str
    numerator: str
    denominator: str
    lo_pct: int
    hi_pct: int
    hard: bool
    num_coef: tuple[int, ...]
    den_coef: tuple[int, ...]
    num_offset: int = 0  # scaled sets from the days' upper_body sessions
    den_offset: int = 0


@dataclass(frozen=True)
class PPin:
    exercise: int
    day: int
    sets: int | None
    scheme: int | None


@dataclass(frozen=True)
class Problem:
    name: str
    scale: int
    schemes: tuple[PScheme, ...]
    exercises: tuple[PExercise, ...]
    days: tuple[PDay, ...]
    classes: tuple[str | None, ...]  # per class, its shares_with label (a class: the days of one label and place)
    targets: tuple[PTarget, ...]
    ratios: tuple[PRatio, ...]
    recovery_h: int
    close_days: tuple[tuple[int, int], ...]  # day pairs closer than the recovery gap
    recovery_groups: tuple[str, ...]  # groups some candidate loads as primary
    sets_min: int
    sets_max: int
    max_per_session: int
    max_days_per_exercise: int
    required: tuple[int, ...]
    pins: tuple[PPin, ...]
    calf_rule: bool
    heavy: int | None
    light: int | None
    pairing: tuple[tuple[str, str], ...]  # (group, label)
    pairing_hard: bool
    objective: str
    weights: dict[str, float]
    equipment: tuple[str, ...] = ()
    max_knee_flexion_deg: int | None = None
    level: str = "advanced"
    left_out: tuple[tuple[str, str], ...] = field(default=())  # (exercise id, reason)
    required_pos: tuple[int, ...] = ()  # position in scenario.required, aligned with ``required``
    exclude: tuple[str, ...] = ()  # athlete.exclude, in file order
    dominated: tuple[tuple[str, str], ...] = field(default=())  # dropped by optimizer.pruning: (id, why)
    preloaded: frozenset[tuple[int, str]] = frozenset()  # (day, group) loaded by the day's upper_body session
    goal: str = "best_training"
    max_group_sets: int = 10  # rules.max_sets_per_group_per_session
    spread_groups: tuple[str, ...] = ()  # targeted groups that should be trained on 2 days or more
    coverage: tuple[tuple[str, tuple[int, ...]], ...] = ()  # (what a coach expects, exercises that provide it)
    isolation: tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...] = ()  # (rule, isolation exercises, foundation ones)
    prefer: tuple[int, ...] = ()
    avoid: tuple[int, ...] = ()
    supersets: tuple[tuple[int, int], ...] = ()  # (a, b), a < b: exercises that may pair (rules.supersets)
    rep_range_term: bool = True  # False: no rep_range term (phase 1 of encoding.scheme_phase)

    def rest_s(self, scheme: int) -> int:
        return self.schemes[scheme].rest_s

    @cached_property
    def family_sizes(self) -> Counter:
        """Exercises per variant family (pruning asks it for every dominance pair: counted
        on each ask, it cost 1.2 s a programme on the imported catalogue)."""
        return Counter(x.family for x in self.exercises)

    def days_of_class(self, c: int) -> tuple[PDay, ...]:
        return tuple(d for d in self.days if d.cls == c)

    def independent_day_sets(self) -> list[tuple[int, ...]]:
        """Every set of days with no two closer than the recovery gap (at most 2^7)."""
        n = len(self.days)
        close = set(self.close_days)
        out = []
        for mask in range(1, 1 << n):
            members = [i for i in range(n) if mask >> i & 1]
            if all((a, b) not in close for a, b in combinations(members, 2)):
                out.append(tuple(members))
        return out


@lru_cache(maxsize=4096)
def _frac(x: float) -> Fraction:
    """``x`` as the nearest fraction with a denominator of at most 100 (cached: an imported
    catalogue asks for the same few activation values tens of thousands of times)."""
    return Fraction(x).limit_denominator(100)


def _set_seconds(ex: Exercise, reps: int, rest_s: int, unit: str = "reps") -> int:
    """A set's seconds: reps x tempo (or the seconds held, for a hold) per side, plus rest."""
    sides = 2 if ex.unilateral else 1
    per_rep = 1 if unit == "seconds" else ex.seconds_per_rep
    return math.ceil(reps * per_rep * sides - 1e-9) + rest_s


def circular_hours(a: int, b: int) -> int:
    d = abs(a - b) % 7
    return 24 * min(d, 7 - d)


def build_problem(
    scenario: Scenario,
    catalogue: Catalogue,
    source: str | None = None,
    keep_blocked: bool = False,
    scale_multiple: int = 1,
) -> Problem:
    """Resolve and scale ``scenario`` against ``catalogue``. Bad ids raise InputError.

    ``keep_blocked`` keeps every exercise, blocked ones marked with their reasons, for
    explaining what a relaxed requirement would allow. ``scale_multiple`` makes the scale
    a multiple of it (the weeks of a programme share one scale, so their terms add up).
    """

    def bad(field_name: str, message: str) -> InputError:
        return InputError(message, file=source, field=field_name).located()

    # Ids ---------------------------------------------------------------------------
    lists = [("equipment", scenario.equipment)] + [(f"locations.{n}", items) for n, items in scenario.locations.items()]
    for path, items in lists:
        for i, e in enumerate(items):
            if e not in catalogue.equipment_by_id:
                raise bad(f"{path}[{i}]", f"unknown equipment {e!r}{close_matches(e, catalogue.equipment_by_id)}")
    day_owned = [set(scenario.equipment_at(d)) for d in scenario.days]
    owned = set().union(*day_owned)  # owned somewhere: what a blocked exercise is measured against
    for name, items in scenario.equipment_profiles.items():
        for i, e in enumerate(items):
            if e not in catalogue.equipment_by_id:
                raise bad(
                    f"equipment_profiles.{name}[{i}]", f"unknown equipment {e!r}{close_matches(e, catalogue.equipment_by_id)}"
                )
    ex_ids = catalogue.exercise_by_id
    athlete = scenario.athlete
    for path, ids in (("athlete.exclude", athlete.exclude), ("athlete.prefer", athlete.prefer), ("athlete.avoid", athlete.avoid), ("required", scenario.required)):
        for i, x in enumerate(ids):
            if x not in ex_ids:
                raise bad(f"{path}[{i}]", f"unknown exercise {x!r}{close_matches(x, ex_ids)}")
    for i, pin in enumerate(scenario.pinned):
        if pin.exercise not in ex_ids:
            raise bad(f"pinned[{i}].exercise", f"unknown exercise {pin.exercise!r}{close_matches(pin.exercise, ex_ids)}")
        if pin.scheme is not None and pin.scheme not in ex_ids[pin.exercise].rep_schemes:
            raise bad(
                f"pinned[{i}].scheme",
                f"{pin.exercise} allows rep schemes {', '.join(ex_ids[pin.exercise].rep_schemes)}, not {pin.scheme!r}",
            )
        if pin.sets is not None and not scenario.rules.sets_per_exercise.min <= pin.sets <= scenario.rules.sets_per_exercise.max:
            raise bad(f"pinned[{i}].sets", "outside rules.sets_per_exercise")
    allowed_schemes = scenario.rules.rep_schemes
    for i, r in enumerate(allowed_schemes or []):
        if r not in catalogue.scheme_by_id:
            raise bad(f"rules.rep_schemes[{i}]", f"unknown rep scheme {r!r}{close_matches(r, catalogue.scheme_by_id)}")
    units = catalogue.unit_ids()
    for unit in scenario.targets:
        if unit not in units:
            raise bad(f"targets.{unit}", f"unknown muscle or group {unit!r}{close_matches(unit, units)}")
    for group in scenario.rules.pairing:
        if group not in catalogue.group_by_id:
            raise bad(f"rules.pairing.{group}", f"unknown group {group!r}{close_matches(group, catalogue.group_by_id)}")
    ratio_groups = []
    for key in scenario.balance:
        num, den = key.split("_to_", 1)
        for g in (num, den):
            if g not in catalogue.group_by_id:
                raise bad(f"balance.{key}", f"unknown group {g!r}{close_matches(g, catalogue.group_by_id)}")
        ratio_groups.append((key, num, den))

    # Candidates (optimizer.candidates: what the athlete can do, and what the week aims at)
    keep_anyway = set(scenario.required) | {p.exercise for p in scenario.pinned}
    chosen, left_out, off_days = candidates(scenario, catalogue, day_owned, owned, keep_anyway, keep_blocked)

    # Sets the shared upper-body sessions already do (Day.upper_body) -----------------
    already: dict[str, float] = {}
    preloaded = set()
    for i, d in enumerate(scenario.days):
        for unit, sets in d.upper_body.items():
            if unit not in units:
                raise bad(f"days[{i}].upper_body.{unit}", f"unknown muscle or group {unit!r}{close_matches(unit, units)}")
            group = unit if unit in catalogue.group_by_id else catalogue.group_of_muscle[unit]
            for u in {unit, group}:
                already[u] = already.get(u, 0.0) + sets
            if sets > 0:
                preloaded.add((i, group))

    # Effective sets: the share of a set that counts, by loading class and level ------
    effect = [_frac(catalogue.effect(ex, scenario.athlete.level)) for ex, _ in chosen]

    # Scale: the least common denominator of every credit and volume bound -----------
    fracs = [_frac(a) * f for (ex, _), f in zip(chosen, effect) for a in ex.activation.values()]
    fracs += [_frac(a) for ex, _ in chosen for a in ex.activation.values()]
    fracs += [_frac(v) for v in already.values()]
    for t in scenario.targets.values():
        fracs += [_frac(v) for v in (t.min, t.max, t.point) if v is not None]
    scale = scale_multiple
    for f in fracs:
        scale = math.lcm(scale, f.denominator)

    schemes = tuple(
        PScheme(i, r.id, r.name, r.reps, r.reps_min, r.reps_max, r.rest_s, r.unit) for i, r in enumerate(catalogue.rep_schemes)
    )
    scheme_index = {s.id: s.index for s in schemes}
    exercises = []
    group_credit = []
    lesser = lesser_form_ids(catalogue, chosen, scenario.athlete.prefer, scenario.athlete.avoid)
    for i, (ex, why) in enumerate(chosen):
        allowed = tuple(scheme_index[s] for s in usable_schemes(ex, scenario)) or tuple(scheme_index[s] for s in ex.rep_schemes)
        gact = catalogue.group_activation(ex)
        group_credit.append(gact)
        exercises.append(
            PExercise(
                index=i,
                id=ex.id,
                name=ex.name,
                setup_s=ex.setup_s,
                schemes=allowed,
                set_s=tuple(_set_seconds(ex, schemes[k].reps, schemes[k].rest_s, schemes[k].unit) for k in allowed),
                primary_groups=frozenset(g for g, a in gact.items() if a >= PRIMARY_THRESHOLD),
                calf_raise=ex.pattern == "plantar_flexion",
                compound=ex.mechanic == "compound",
                knee_flexion_deg=ex.knee_flexion_deg,
                blocked=why,
                equipment=tuple(tuple(i) if isinstance(i, list) else (i,) for i in ex.equipment),
                level=ex.level,
                effect_pct=round(effect[i] * 100),
                loading=ex.loading_class,
                pattern=ex.pattern,
                family=catalogue.variant_root(ex),
                off_days=off_days[ex.id],
                main_scheme=allowed[0],
                lesser_form=ex.id in lesser,
            )
        )

    def scaled(x: float | None) -> int | None:
        return None if x is None else int(_frac(x) * scale)

    def credit(credits: list[float], effective: bool = True) -> tuple[int, ...]:
        return tuple(int(_frac(a) * (f if effective else 1) * scale) for a, f in zip(credits, effect))

    def unit_credits(unit: str) -> list[float]:
        if unit in catalogue.group_by_id:
            return [gc.get(unit, 0.0) for gc in group_credit]
        return [ex.activation.get(unit, 0.0) for ex, _ in chosen]

    targets = []
    for unit, t in scenario.targets.items():
        kind = "group" if unit in catalogue.group_by_id else "muscle"
        credits = unit_credits(unit)
        targets.append(
            PTarget(
                unit, kind, scaled(t.min), scaled(t.max), t.hard, credit(credits), scaled(already.get(unit, 0.0)),
                aim=scaled(aim_of(unit, t, scenario.targets, catalogue.group_of_muscle)), weight=t.weight, raw_coef=credit(credits, effective=False),
            )
        )

    ratios = []
    for key, num, den in ratio_groups:
        r = scenario.balance[key]
        ratios.append(
            PRatio(
                key,
                num,
                den,
                round(r.min * 100),
                round(r.max * 100),
                r.hard,
                credit(unit_credits(num)),
                credit(unit_credits(den)),
                scaled(already.get(num, 0.0)),
                scaled(already.get(den, 0.0)),
            )
        )

    # Days --------------------------------------------------------------------------
    keys: list[tuple[str | None, str | None]] = []  # a day class: (shares_with label, place)
    for d in scenario.days:
        if (d.shares_with, d.at) not in keys:
            keys.append((d.shares_with, d.at))
    labels = [label for label, _ in keys]
    days = tuple(
        PDay(
            index=i,
            weekday=WEEKDAYS.index(d.day),
            name=d.day,
            minutes=d.minutes,
            budget_s=d.minutes * 60,
            warmup_s=60 * (d.warmup_minutes if d.warmup_minutes is not None else scenario.rules.warmup_minutes),
            label=d.shares_with,
            cls=keys.index((d.shares_with, d.at)),
            at=d.at,
        )
        for i, d in enumerate(scenario.days)
    )
    gap = scenario.recovery.min_hours_between_same_group
    close = tuple(
        (a.index, b.index) for a, b in combinations(days, 2) if circular_hours(a.weekday, b.weekday) < gap
    )
    day_index = {d.name: d.index for d in days}
    ex_index = {e.id: e.index for e in exercises}
    pins = tuple(
        PPin(ex_index[p.exercise], day_index[p.day], p.sets, scheme_index[p.scheme] if p.scheme else None)
        for p in scenario.pinned
    )
    for i, pin in enumerate(pins):
        if pin.day in exercises[pin.exercise].off_days:
            d = scenario.days[pin.day]
            ex = catalogue.exercise_by_id[exercises[pin.exercise].id]
            raise bad(f"pinned[{i}]", f"{ex.id} needs {ex.equipment_text()}, not all at {d.at or 'the top-level equipment'} ({d.day})")
    first_pos = {x: scenario.required.index(x) for x in scenario.required}
    required = tuple(sorted({ex_index[x] for x in scenario.required}))
    recovery_groups = tuple(sorted({g for e in exercises for g in e.primary_groups})) if close else ()
    targeted = targeted_groups(scenario.targets, catalogue.group_of_muscle, catalogue.group_by_id)
    loadable = {g for e in exercises if not e.blocked for g in e.primary_groups}
    spread_groups = tuple(sorted(targeted & loadable)) if len(days) > 1 else ()
    return Problem(
        name=scenario.name,
        scale=scale,
        schemes=schemes,
        exercises=tuple(exercises),
        days=days,
        classes=tuple(labels),
        targets=tuple(targets),
        ratios=tuple(ratios),
        recovery_h=gap,
        close_days=close,
        recovery_groups=recovery_groups,
        sets_min=scenario.rules.sets_per_exercise.min,
        sets_max=scenario.rules.sets_per_exercise.max,
        max_per_session=scenario.rules.max_exercises_per_session,
        max_days_per_exercise=scenario.rules.max_days_per_exercise,
        required=required,
        required_pos=tuple(first_pos[exercises[e].id] for e in required),
        exclude=tuple(scenario.athlete.exclude),
        pins=pins,
        calf_rule=scenario.rules.calves_heavy_and_light,
        heavy=scheme_index.get(HEAVY),
        light=scheme_index.get(LIGHT),
        pairing=tuple(sorted(scenario.rules.pairing.items())),
        pairing_hard=scenario.rules.pairing_hard,
        objective=scenario.objective,
        weights=scenario.weights.model_dump(),
        equipment=tuple(sorted(owned)) if scenario.locations else tuple(scenario.equipment),
        max_knee_flexion_deg=scenario.athlete.max_knee_flexion_deg,
        level=scenario.athlete.level,
        left_out=tuple(left_out),
        preloaded=frozenset(preloaded),
        goal=scenario.goal,
        max_group_sets=scenario.rules.max_sets_per_group_per_session,
        spread_groups=spread_groups,
        coverage=coverage_rules(exercises, targeted),
        isolation=isolation_rules(exercises, targeted),
        prefer=tuple(sorted({ex_index[x] for x in athlete.prefer if x in ex_index})),
        avoid=tuple(sorted({ex_index[x] for x in athlete.avoid if x in ex_index})),
        supersets=superset_pairs(exercises) if scenario.rules.supersets else (),
    )


def superset_pairs(exercises) -> tuple[tuple[int, int], ...]:
    """Every pair of exercises the superset rule allows (optimizer.supersets)."""
    return tuple(
        (a.index, b.index)
        for a, b in combinations(exercises, 2)
        if may_pair(a.primary_groups, b.primary_groups, a.equipment, b.equipment, a.family, b.family)
    )
