"""Multi-week programmes: the solver-ready :class:`MultiWeekProblem`.

A programme is one week-:class:`~optimizer.problem.Problem` per week (its targets ramped
or deloaded, :mod:`optimizer.progression`) plus the block structure and the cross-week
rules; every week shares one integer scale so that objective terms add up across weeks.
It is solved by :func:`optimizer.programme_solver.solve_programme` (the library entry),
pruned by :mod:`optimizer.programme_pruning` and modelled by :mod:`optimizer.encoding`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from .catalogue import Catalogue
from .errors import InputError
from .coaching import aim_of
from .problem import Problem, _frac, build_problem
from .progression import WeekSpec, week_scenario, week_scheme_ids, week_specs
from .scenario import Scenario


@dataclass(frozen=True)
class PWeek:
    index: int  # 0-based
    spec: WeekSpec
    problem: Problem
    preferred: tuple[int, ...] | None  # scheme indices the week's sets should use (soft); None: any


@dataclass(frozen=True)
class PBlock:
    index: int  # 0-based
    weeks: tuple[int, ...]  # week indices
    training: tuple[int, ...]
    deload: tuple[int, ...]


@dataclass(frozen=True)
class MultiWeekProblem:
    name: str
    weeks: tuple[PWeek, ...]
    blocks: tuple[PBlock, ...]
    fixed_within_block: bool
    deload_pct: int | None  # a deload week's sets <= this % of its block's last training week
    min_new_pct: int | None  # rotation: % of a block's (non-exempt) exercises new to it
    rotation_exempt: frozenset[int]  # required and pinned exercises: never count as new
    scheme_exempt: frozenset[int]  # calf raises when the calf rule decides their schemes

    @property
    def first(self) -> Problem:
        return self.weeks[0].problem

    @property
    def n_exercises(self) -> int:
        return len(self.first.exercises)


def _restrict_schemes(p: Problem, allowed: tuple[int, ...], exempt: frozenset[int], lenient: bool = False) -> Problem:
    """Hard scheme progression: each exercise keeps only the week's schemes (exempt ones all;
    ``lenient``: also those with none of the week's schemes)."""
    exercises = []
    for ex in p.exercises:
        keep = [i for i, k in enumerate(ex.schemes) if k in allowed]
        if ex.index in exempt or (lenient and not keep):
            exercises.append(ex)
            continue
        exercises.append(replace(ex, schemes=tuple(ex.schemes[i] for i in keep), set_s=tuple(ex.set_s[i] for i in keep)))
    return replace(p, exercises=tuple(exercises))


def week_problems(scenarios: list[Scenario], catalogue: Catalogue, source: str | None = None) -> list[Problem]:
    """``build_problem`` of every week, on one common scale.

    The weeks differ only in their targets' bounds, so one week is built (twice when the
    others' bounds need a finer scale) and the others get their own bounds: building every
    week cost about 0.05 s each on the imported 873-exercise catalogue, 0.6 s for 12 weeks.
    """
    base = build_problem(scenarios[0], catalogue, source)
    scale = base.scale
    for sc in scenarios[1:]:
        for t in sc.targets.values():
            for x in (t.min, t.max, t.point):
                if x is not None:
                    scale = math.lcm(scale, _frac(x).denominator)
    if scale != base.scale:
        base = build_problem(scenarios[0], catalogue, source, scale_multiple=scale)

    def scaled(x: float | None) -> int | None:
        return None if x is None else int(_frac(x) * scale)

    out = []
    for sc in scenarios:
        bounds = list(sc.targets.values())
        assert [t.unit for t in base.targets] == list(sc.targets), "weeks share their target units"
        targets = tuple(
            replace(t, min=scaled(b.min), max=scaled(b.max), aim=scaled(aim_of(t.unit, b, sc.targets, catalogue.group_of_muscle)))
            for t, b in zip(base.targets, bounds)
        )
        # Spread is a day-level term that the programme's block placement does not carry:
        # a programme keeps its days stable across a block instead (see README).
        out.append(replace(base, name=sc.name, targets=targets, spread_groups=(), supersets=()))  # supersets: single weeks only
    return out


def build_programme_problem(scenario: Scenario, catalogue: Catalogue, source: str | None = None) -> MultiWeekProblem:
    """One scaled Problem per week plus the block structure. Bad ids raise InputError."""
    specs = week_specs(scenario)
    scenarios = [week_scenario(scenario, s) for s in specs]
    problems = week_problems(scenarios, catalogue, source)

    pr = scenario.progression
    first = problems[0]
    scheme_index = {s.id: s.index for s in first.schemes}
    exempt = frozenset(e.index for e in first.exercises if first.calf_rule and e.calf_raise)
    weeks = []
    for i, (spec, p) in enumerate(zip(specs, problems)):
        preferred = None
        wanted = week_scheme_ids(scenario, spec)
        if wanted is not None:
            for j, sid in enumerate(wanted):
                if sid not in scheme_index:
                    from .errors import close_matches

                    row = min(spec.index_in_block, len(pr.rep_schemes.weeks) - 1)
                    raise InputError(
                        f"unknown rep scheme {sid!r}{close_matches(sid, scheme_index)}",
                        file=source,
                        field=f"progression.rep_schemes.weeks[{row}][{j}]",
                    )
            preferred = tuple(sorted(scheme_index[s] for s in wanted))
            if pr.rep_schemes.hard:
                p = _restrict_schemes(p, preferred, exempt)
                preferred = None  # forbidden outright: nothing left to prefer
        weeks.append(PWeek(i, spec, p, preferred))

    blocks = []
    for b in sorted({s.block for s in specs}):
        members = tuple(w.index for w in weeks if w.spec.block == b)
        blocks.append(
            PBlock(
                index=b - 1,
                weeks=members,
                training=tuple(w for w in members if not weeks[w].spec.deload),
                deload=tuple(w for w in members if weeks[w].spec.deload),
            )
        )
    exempt_rotation = frozenset(first.required) | frozenset(pin.exercise for pin in first.pins)
    return MultiWeekProblem(
        name=scenario.name,
        weeks=tuple(weeks),
        blocks=tuple(blocks),
        fixed_within_block=pr.fixed_exercises_within_block if pr is not None else True,
        deload_pct=round(pr.deload.factor * 100) if pr is not None and pr.deload is not None else None,
        min_new_pct=round(pr.rotation.min_new_share * 100) if pr is not None and pr.rotation is not None else None,
        rotation_exempt=exempt_rotation,
        scheme_exempt=exempt,
    )
