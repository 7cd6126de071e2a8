"""The independent checker of multi-week programmes: every week, then the cross-week rules.

Like :mod:`optimizer.checker` it reads only the scenario, the catalogue and the plans,
never the Problem or the encoding. It lays out the blocks and scales each week's targets
itself (not through :mod:`optimizer.progression`), re-verifies each week with
:func:`~optimizer.checker.check_plan` against that week's targets, and then checks:

- stability: within a block every training week has the same (day, exercise) sessions,
  and a deload week a subset of them;
- deload: a deload week's sets are at most the factor times its block's last training week;
- rotation: at least ``min_new_share`` of a block's exercises (required and pinned ones
  aside) were not used in the block before;
- hard rep-scheme progression: each week's sets use that week's schemes (calf raises are
  free when the calf rule is on);
- the reported objective terms equal the recomputed sums over the weeks.
"""

from __future__ import annotations

from fractions import Fraction

from .catalogue import Catalogue
from .checker import CheckReport, Violation, check_bounds, check_plan
from .scenario import Scenario


def _layout(sc: Scenario) -> list[tuple[int, int | None, Fraction, int]]:
    """Per week: (block, training index or None for deload, block volume, index in block)."""
    pr = sc.progression
    spec = pr.blocks if pr is not None else None
    if spec is None:
        lengths = [(sc.weeks, 1.0)]
    elif isinstance(spec, int):
        lengths = [(spec, 1.0)] * (sc.weeks // spec)
    else:
        lengths = [(b, 1.0) if isinstance(b, int) else (b.weeks, b.volume) for b in spec]
    n_deload = pr.deload.weeks if pr is not None and pr.deload is not None else 0
    out = []
    for b, (n, volume) in enumerate(lengths, start=1):
        for i in range(n):
            out.append((b, i if i < n - n_deload else None, Fraction(str(volume)), i))
    return out


def _targets(sc: Scenario, training: int | None, volume: Fraction) -> dict:
    pr = sc.progression
    out = {}
    for unit, t in sc.targets.items():
        factor, add = volume, Fraction(0)
        if training is None:
            factor *= Fraction(str(pr.deload.factor))
        elif pr is not None and pr.ramp is not None:
            if pr.ramp.factors is not None:
                factor *= Fraction(str(pr.ramp.factors[training]))
            else:
                step = pr.ramp.sets_per_week
                add = Fraction(str(step.get(unit, 0.0) if isinstance(step, dict) else step)) * training

        def scale(x):
            return None if x is None else round(float(factor * (Fraction(str(x)) + add)), 2)

        out[unit] = t.model_copy(update={"min": scale(t.min), "max": scale(t.max)})
    return out


def check_programme(scenario: Scenario, catalogue: Catalogue, weeks, reported: dict[str, float] | None = None) -> CheckReport:
    """Re-verify a programme: ``weeks`` is a list of ProgrammeWeek (as in ProgrammeResult)."""
    sc, cat = scenario, catalogue
    rep = CheckReport()

    def bad(rule: str, message: str) -> None:
        rep.violations.append(Violation(rule, message))

    layout = _layout(sc)
    if len(weeks) != len(layout):
        bad("weeks", f"{len(weeks)} weeks in the plan, the scenario has {len(layout)}")
        return rep
    pr = sc.progression
    totals: dict[str, Fraction] = {}
    sessions: list[set[tuple[str, str]]] = []
    sets_of: list[int] = []
    used: list[set[str]] = []
    calf_free = sc.rules.calves_heavy_and_light
    off_scheme = 0
    for n, (pw, (block, training, volume, index)) in enumerate(zip(weeks, layout), start=1):
        if pw.week != n or pw.block != block or pw.deload != (training is None):
            bad("weeks", f"week {n}: reported as week {pw.week}, block {pw.block}, deload {pw.deload}; expected block {block}, deload {training is None}")
        sc_w = sc.model_copy(update={"targets": _targets(sc, training, volume), "weeks": 1, "progression": None})
        week_rep = check_plan(sc_w, cat, pw.plan, {k: v for k, v in pw.terms.items() if k != "schemes"}, spread=False)
        for v in week_rep.violations:
            bad(v.rule, f"week {n}: {v.message}")
        for name, value in week_rep.terms.items():
            totals[name] = totals.get(name, Fraction(0)) + Fraction(str(value))
        entries = list(pw.plan.entries())
        sessions.append({(d, x.exercise) for d, x in entries})
        sets_of.append(sum(x.sets for _, x in entries))
        used.append({x.exercise for _, x in entries})
        if pr is not None and pr.rep_schemes is not None:
            rows = pr.rep_schemes.weeks
            allowed = set(rows[min(index, len(rows) - 1)])
            for d, x in entries:
                ex = cat.exercise_by_id.get(x.exercise)
                if x.scheme in allowed or (calf_free and ex is not None and ex.pattern == "plantar_flexion"):
                    continue
                if pr.rep_schemes.hard:
                    bad("rep_schemes", f"week {n}: {x.exercise} on {d} uses {x.scheme}, the week allows {', '.join(sorted(allowed))}")
                off_scheme += x.sets
    if pr is not None and pr.rep_schemes is not None and not pr.rep_schemes.hard:
        totals["schemes"] = Fraction(off_scheme)

    blocks: dict[int, list[int]] = {}
    for i, (block, *_rest) in enumerate(layout):
        blocks.setdefault(block, []).append(i)
    fixed = pr.fixed_exercises_within_block if pr is not None else True
    for b, members in blocks.items():
        training = [i for i in members if layout[i][1] is not None]
        deloads = [i for i in members if layout[i][1] is None]
        if fixed:
            ref = training[0]
            for i in training[1:]:
                if sessions[i] != sessions[ref]:
                    diff = sorted(sessions[i] ^ sessions[ref])
                    bad("stability", f"block {b}: week {i + 1} differs from week {ref + 1} in {diff[:3]}")
            for i in deloads:
                extra = sorted(sessions[i] - sessions[ref])
                if extra:
                    bad("stability", f"block {b}: deload week {i + 1} adds {extra[:3]} to week {ref + 1}'s sessions")
        if pr is not None and pr.deload is not None:
            last = training[-1]
            for i in deloads:
                if Fraction(sets_of[i]) > Fraction(str(pr.deload.factor)) * sets_of[last]:
                    bad("deload", f"week {i + 1}: {sets_of[i]} sets, more than {pr.deload.factor:g} x {sets_of[last]} (week {last + 1})")
    if pr is not None and pr.rotation is not None:
        exempt = set(sc.required) | {p.exercise for p in sc.pinned}
        order = sorted(blocks)
        for prev, b in zip(order, order[1:]):
            before = set().union(*(used[i] for i in blocks[prev]))
            now = set().union(*(used[i] for i in blocks[b])) - exempt
            new = now - before
            if now and Fraction(len(new), len(now)) < Fraction(str(pr.rotation.min_new_share)):
                bad("rotation", f"block {b}: {len(new)} of {len(now)} exercises new, at least {pr.rotation.min_new_share:g} asked")

    rep.terms = {name: round(float(v), 4) for name, v in totals.items()}
    for name, value in (reported or {}).items():
        if name in rep.terms and abs(rep.terms[name] - value) > 1e-3 * max(1, len(weeks)):
            bad("objective", f"{name}: reported {value:g}, recomputed {rep.terms[name]:g}")
    return rep


def check_programme_result(scenario: Scenario, catalogue: Catalogue, result) -> CheckReport:
    """Check a ProgrammeResult's weeks and its reported objective terms."""
    rep = check_programme(scenario, catalogue, result.weeks, {t.name: t.value for t in result.objective_terms})
    return check_bounds(rep, scenario, result)
