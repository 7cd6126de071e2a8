"""Exact pruning: exercises no optimal plan needs are dropped before modelling.

Two rules, both exact: whenever some plan is feasible, the pruned problem keeps at least
one plan that is optimal for the full problem (same objective term vector, lexicographic
or weighted). The encoding is untouched; the result counts what was dropped
(:attr:`SolveResult.exercises_dominated`).

**Useless.** (The aim rule, :func:`optimizer.coaching.off_aim`, has already left out of the
Problem every exercise with no primary group the week trains; what this rule still finds
is work aimed at a group through one muscle's target that misses that muscle: a clamshell
when only the lower gluteus maximus has a minimum.) An exercise that credits no volume
target with a minimum and neither side of any balance ratio, is not a calf raise under the calf rule, is no foundation exercise
of an isolation rule (it could offset leg curls or knee extensions), and is neither required
nor pinned. Deleting it from any plan keeps every hard rule (less time per day, fewer
exercises per session, fewer days loading its groups, volume only lower where only a
maximum applies) and no objective term grows.

**Dominated.** ``b`` dominates ``a`` when both are usable, ``a`` is neither required nor
pinned, and:

- ``b`` allows every rep scheme ``a`` allows, each set no longer than ``a``'s, and its
  set-up is no longer; under goal best_training, a scheme that is ``a``'s main one is
  ``b``'s main one too (the ``rep_range`` term);
- ``b`` credits every target with a minimum at least as much as ``a``, every target with
  a maximum at most as much (so equally when it has both), and both sides of every
  balance ratio exactly as much;
- both load the same groups as primary (recovery and pairing see them alike), both
  are calf raises or neither, both play the same part in every coverage and isolation rule,
  and both may be done on the same days (``Day.at``);
- under goal best_training, ``b`` is a lesser form (the ``form`` term) only if ``a`` is.

Replacing ``a`` by ``b`` on the same days, with the same sets and schemes, then keeps every
hard rule and lowers no term's quality, **provided ``b`` is not already in the plan**
(the same exercise cannot appear twice in a day, nor on more than N days). Hence the
counting argument: order exercises strictly by ``b > a`` iff ``b`` dominates ``a`` and
(``a`` does not dominate ``b``, or ``b`` comes first in the catalogue). Take an optimal
plan; while it uses some ``a`` with an unused ``b > a``, swap. Each swap raises the plan's
position in a linear extension of ``>``, so this stops, at an optimal plan in which every
used ``a`` has *all* its dominators used too. Such a plan holds ``a`` and its ``D(a)``
dominators: ``|D(a)| + 1`` distinct exercises with the same primary groups, each taking at
least ``c = min over D(a) of (set-up + min sets x shortest set)`` seconds in a session. At
most ``n_d = min(max exercises per session, capacity_d // c)`` of them fit on day ``d``,
and when they load a group and recovery applies, their days are pairwise far enough
apart; so at most ``K(a) = max over allowed day sets of sum n_d`` of them fit in a week.
Each of them also adds at least ``min sets x credit`` to every capped target they all
credit (dominators credit a target with a minimum and a maximum exactly as ``a`` does),
so ``K(a)`` is also at most ``max // (min sets x least credit)`` for each such target.
Dropping ``a`` when ``|D(a)| >= K(a)`` therefore loses no optimal plan: the plan above
cannot use it. Useless exercises are removed first and the argument runs on the rest.

No ortools here: the Problem in, a smaller Problem out.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from .problem import Problem


def useless(p: Problem) -> set[int]:
    """Exercises no optimal plan needs at all (see the module docstring)."""
    keep_anyway = set(p.required) | {pin.exercise for pin in p.pins}
    min_targets = [t for t in p.targets if t.min]
    out = set()
    for ex in p.exercises:
        e = ex.index
        if e in keep_anyway or ex.blocked or (p.calf_rule and ex.calf_raise) or e in p.prefer:
            continue
        if any(e in providers for _, providers in p.coverage) or any(e in base for _, _, base in p.isolation):
            continue
        if any(t.coef[e] for t in min_targets) or any(r.num_coef[e] or r.den_coef[e] for r in p.ratios):
            continue
        out.add(e)
    return out


def week_capacity(p: Problem, cost: int, loads_group: bool) -> int:
    """Most distinct exercises of at least ``cost`` seconds a session one week can hold."""
    day_sets = None
    if loads_group and p.close_days:
        # Cached: the counting argument asks once per pruned exercise (and per week).
        key = (len(p.days), p.close_days)
        day_sets = _DAY_SETS.get(key) or _DAY_SETS.setdefault(key, tuple(p.independent_day_sets()))
    return _capacity(tuple(d.capacity_s for d in p.days), day_sets, p.max_per_session, cost)


_DAY_SETS: dict[tuple, tuple] = {}


@lru_cache(maxsize=4096)
def _capacity(capacities: tuple[int, ...], day_sets, max_per_session: int, cost: int) -> int:
    per_day = [min(max_per_session, c // cost) if cost > 0 else max_per_session for c in capacities]
    if day_sets is not None:
        return max(sum(per_day[i] for i in s) for s in day_sets)
    return sum(per_day)


def buckets(p: Problem, candidates: list[int]) -> list[list[int]]:
    """Usable candidates grouped by what dominance needs equal (primary groups, calf tag,
    ratio credits); only groups of two or more."""
    out: dict[tuple, list[int]] = {}
    for e in candidates:
        ex = p.exercises[e]
        if ex.blocked:
            continue
        key = (
            ex.primary_groups,
            ex.calf_raise,
            tuple((r.num_coef[e], r.den_coef[e]) for r in p.ratios),
            tuple(e in providers for _, providers in p.coverage),  # coverage sees them alike
            tuple((e in iso, e in base) for _, iso, base in p.isolation),  # and the isolation term
            ex.off_days,  # done at the same places (Day.at): a swap keeps every day's session possible
        )
        out.setdefault(key, []).append(e)
    return [m for m in out.values() if len(m) > 1]


def strict_dominance(problems: list[Problem], members: list[int]):
    """``strict[b, a]`` (positions in ``members``): ``b`` dominates ``a`` in every one of
    ``problems`` (same exercises, e.g. the weeks of a programme) and, when they dominate
    each other, ``b`` comes first in the catalogue. A strict partial order."""
    import numpy as np

    inf = np.iinfo(np.int64).max
    feats = []  # "at least as good" features: larger is better in each column
    for p in problems:
        feats += [np.array([t.coef[e] for e in members]) for t in p.targets if t.min]
        feats += [-np.array([t.coef[e] for e in members]) for t in p.targets if t.max is not None]
        if p.goal == "best_training":
            # Overshoot: no more credit where a target has an aim; ineffective: no less effect.
            feats += [-np.array([t.coef[e] for e in members]) for t in p.targets if t.aim is not None]
            feats.append(np.array([p.exercises[e].effect_pct for e in members]))
            feats.append(-np.array([int(p.exercises[e].lesser_form) for e in members]))  # form
        feats.append(-np.array([p.exercises[e].setup_s for e in members]))
        for k in range(len(p.schemes)):
            secs = [p.exercises[e].seconds(k) if k in p.exercises[e].schemes else inf for e in members]
            feats.append(-np.array(secs, dtype=np.int64))
            if p.goal == "best_training":
                # rep_range: a set in scheme k off b's main scheme only where it is off a's too
                # (a scheme a lacks constrains nothing; one b lacks is ruled out by the seconds).
                off = [
                    -int(k != p.exercises[e].main_scheme) if k in p.exercises[e].schemes else -2 for e in members
                ]
                feats.append(np.array(off, dtype=np.int64))
    f = np.stack(feats, axis=1)  # members x features
    dom = np.all(f[:, None, :] >= f[None, :, :], axis=2)  # dom[b, a]: b dominates a
    np.fill_diagonal(dom, False)
    m = np.array(members)
    return dom & (~(dom & dom.T) | (m[:, None] < m[None, :]))


def swappable(p: Problem, a: int, b: int) -> bool:
    """Rules outside the dominance features that replacing ``a`` by ``b`` must not break:
    the athlete's wishes (``a`` not preferred, ``b`` not avoided) and variant families
    (``b`` has no variants, or is of ``a``'s own family, so no session gains a pair)."""
    ea, eb = p.exercises[a], p.exercises[b]
    if a in p.prefer or b in p.avoid:
        return False
    return eb.family == ea.family or p.family_sizes[eb.family] == 1


def week_bound(p: Problem, a: int, doms: list[int]) -> int:
    """Most of ``a`` and its dominators ``doms`` one week of ``p`` can hold (distinct
    exercises of the same primary groups; see the module docstring)."""
    costs = [p.exercises[b].setup_s + p.sets_min * min(p.exercises[b].set_s) for b in doms if p.exercises[b].set_s]
    if not costs:  # none has a rep scheme this week (hard progression.rep_schemes): none can be in it
        return 0
    cost = min(costs)
    bound = week_capacity(p, cost, bool(p.exercises[a].primary_groups))
    for t in p.targets:  # every one of them adds at least min sets x its credit to a capped target
        if t.max is not None:
            least = min(t.coef[b] for b in doms)
            if least > 0:
                bound = min(bound, t.max // (p.sets_min * least))
    return bound


def dominated(p: Problem, candidates: list[int]) -> dict[int, int]:
    """Exercise -> one of its dominators, for those dropped by the counting argument."""
    import numpy as np

    keep_anyway = set(p.required) | {pin.exercise for pin in p.pins}
    out: dict[int, int] = {}
    for members in buckets(p, candidates):
        strict = strict_dominance([p], members)
        for j, a in enumerate(members):
            if a in keep_anyway:
                continue
            doms = [members[b] for b in np.nonzero(strict[:, j])[0] if swappable(p, a, members[b])]
            if doms and len(doms) >= week_bound(p, a, doms):
                out[a] = doms[0]
    return out


def restrict(p: Problem, keep: list[int], dropped: tuple[tuple[str, str], ...]) -> Problem:
    """The problem over ``keep`` only (re-indexed), recording ``dropped``."""
    new = {old: i for i, old in enumerate(keep)}
    exercises = tuple(replace(p.exercises[old], index=i) for i, old in enumerate(keep))
    targets = tuple(replace(t, coef=tuple(t.coef[old] for old in keep)) for t in p.targets)
    ratios = tuple(
        replace(r, num_coef=tuple(r.num_coef[old] for old in keep), den_coef=tuple(r.den_coef[old] for old in keep))
        for r in p.ratios
    )
    recovery_groups = tuple(sorted({g for e in exercises for g in e.primary_groups})) if p.close_days else ()
    targets = tuple(replace(t, raw_coef=tuple(t.raw_coef[old] for old in keep)) if t.raw_coef else t for t in targets)
    return replace(
        p,
        exercises=exercises,
        targets=targets,
        coverage=tuple((label, tuple(new[e] for e in providers if e in new)) for label, providers in p.coverage),
        isolation=tuple(
            (label, tuple(new[e] for e in iso if e in new), tuple(new[e] for e in base if e in new))
            for label, iso, base in p.isolation
        ),
        prefer=tuple(new[e] for e in p.prefer if e in new),
        avoid=tuple(new[e] for e in p.avoid if e in new),
        ratios=ratios,
        recovery_groups=recovery_groups,
        required=tuple(new[e] for e in p.required),
        pins=tuple(replace(pin, exercise=new[pin.exercise]) for pin in p.pins),
        dominated=p.dominated + dropped,
        supersets=tuple((new[a], new[b]) for a, b in p.supersets if a in new and b in new),
    )


def reasons(p: Problem, gone: set[int], beaten: dict[int, int], where: str = "") -> tuple[tuple[str, str], ...]:
    """(id, why) of each exercise dropped as useless (``gone``) or dominated (``beaten``)."""
    return tuple((p.exercises[e].id, "useless: credits no minimum target or ratio") for e in sorted(gone)) + tuple(
        (p.exercises[a].id, f"dominated by {p.exercises[b].id}{where}") for a, b in sorted(beaten.items())
    )


def quickest_schemes(p: Problem, keep_main: bool = True) -> Problem:
    """Keep, per exercise, only its quickest rep scheme (exact for one week).

    A set credits the same volume in any scheme, so a scheme whose sets are no shorter
    than another allowed one's is never needed: swapping it for the quicker one keeps every
    rule (a day's minutes only fall, more sets fit a session) and no term grows (minutes
    only fall; under goal best_training the ``rep_range`` term sees only whether a set is in
    the main scheme, so every other scheme costs alike there). Kept anyway: the main scheme
    (best_training), the schemes of a pinned exercise's pins, and heavy and light for calf
    raises under the calf rule.
    Not for programmes, whose ``schemes`` term depends on the scheme. ``keep_main=False``
    drops the main scheme too (for a model without the rep_range term: phase 1 of
    :mod:`optimizer.encoding.scheme_phase`)."""
    pinned = {(pin.exercise, pin.scheme) for pin in p.pins}
    out = []
    for ex in p.exercises:
        keep = {k for k in ex.schemes if (ex.index, k) in pinned}
        if p.calf_rule and ex.calf_raise:
            keep |= {k for k in ex.schemes if k in (p.heavy, p.light)}
        if keep_main and p.goal == "best_training" and ex.main_scheme in ex.schemes:
            keep.add(ex.main_scheme)  # the rep_range term prefers it
        free = [k for k in ex.schemes if k not in keep]
        if free:
            keep.add(ex.quickest(free))
        if any(pin.exercise == ex.index and pin.scheme is None for pin in p.pins):
            keep = set(ex.schemes)  # a pin without a scheme: leave its choice whole
        if len(keep) < len(ex.schemes):
            schemes = tuple(k for k in ex.schemes if k in keep)
            ex = replace(ex, schemes=schemes, set_s=tuple(ex.seconds(k) for k in schemes))
        out.append(ex)
    return replace(p, exercises=tuple(out))


def prune(p: Problem) -> Problem:
    """Drop useless and dominated exercises, and slower rep schemes (exact; see the module docstring)."""
    if p.supersets:
        # With supersets only the useless rule stays exact (removing an exercise never
        # lengthens a day); a slower scheme (longer rest) or a dominated exercise (another
        # station or groups) may pair where its replacement cannot.
        gone = useless(p)
        return restrict(p, [e for e in range(len(p.exercises)) if e not in gone], reasons(p, gone, {})) if gone else p
    p = quickest_schemes(p)
    gone = useless(p)
    rest = [e for e in range(len(p.exercises)) if e not in gone]
    beaten = dominated(p, rest)
    dropped = reasons(p, gone, beaten)
    if not dropped:
        return p
    keep = [e for e in rest if e not in beaten]
    return restrict(p, keep, dropped)
