"""Which catalogue exercises a week's Problem is built from, and why the others are left out.

Two questions, each with its reason in ``Problem.left_out``:

- **Can the athlete do it?** (:func:`eligibility`) The equipment of some day's place, the
  knee limit (seed 003's rule binds quadriceps work unless ``knee_limit_applies_to: all``),
  the level, the athlete's exclusions, and a rep scheme the rules allow
  (:func:`usable_schemes`). Pinned and required exercises that fail stay as *blocked*
  candidates, so that the conflict is reported rather than hidden; when explaining, every
  exercise stays, blocked ones marked.
- **Is it aimed at what the week trains?** (:func:`optimizer.coaching.off_aim`) An exercise
  is chosen for its prime movers: one with no primary group the week trains is left out,
  unless required, pinned or preferred. This is not a limit of the athlete's, so explaining
  never relaxes it.
"""

from __future__ import annotations

from .catalogue import LEVEL_RANK, Catalogue, Exercise
from .coaching import aimed_groups, knee_limit_applies, off_aim
from .scenario import Scenario

HEAVY, LIGHT = "heavy", "light"


def eligibility(ex: Exercise, scenario: Scenario, owned: set[str], catalogue: Catalogue | None = None) -> list[str]:
    """Why an athlete may not use ``ex`` (empty when they may)."""
    why = []
    if not ex.needs(owned):
        why.append(f"equipment (needs {ex.equipment_text()})")
    limit = scenario.athlete.max_knee_flexion_deg
    if (
        limit is not None
        and ex.knee_flexion_deg > limit
        and (catalogue is None or knee_limit_applies(catalogue.primary_groups(ex), scenario.athlete.knee_limit_applies_to))
    ):
        why.append(f"knee flexion {ex.knee_flexion_deg} > {limit} degrees")
    if LEVEL_RANK[ex.level] > LEVEL_RANK[scenario.athlete.level]:
        why.append(f"level {ex.level} above {scenario.athlete.level}")
    if ex.id in scenario.athlete.exclude:
        why.append("excluded by the athlete")
    return why


def usable_schemes(ex: Exercise, scenario: Scenario) -> list[str]:
    """The exercise's rep schemes the scenario allows (calf raises keep heavy and light
    when the calves rule asks for both: that is the rule's point)."""
    allowed = scenario.rules.rep_schemes
    if allowed is None:
        return list(ex.rep_schemes)
    extra = {HEAVY, LIGHT} if scenario.rules.calves_heavy_and_light and ex.pattern == "plantar_flexion" else set()
    return [s for s in ex.rep_schemes if s in allowed or s in extra]


def candidates(
    scenario: Scenario, catalogue: Catalogue, day_owned: list[set[str]], owned: set[str], keep_anyway: set[str], keep_blocked: bool
) -> tuple[list[tuple[Exercise, tuple[str, ...]]], list[tuple[str, str]], dict[str, frozenset[int]]]:
    """(chosen: (exercise, reasons it is blocked), left out: (id, reason), per chosen exercise
    the days whose place lacks its equipment). ``day_owned``: each day's equipment;
    ``owned``: all of it; ``keep_anyway``: required and pinned ids; ``keep_blocked``: keep
    every exercise the athlete cannot do, marked (explaining)."""
    aimed = aimed_groups(scenario.targets, scenario.balance, catalogue.group_of_muscle, catalogue.group_by_id)
    own_choice = keep_anyway | set(scenario.athlete.prefer)  # the aim rule leaves these to the athlete
    left_out: list[tuple[str, str]] = []
    chosen: list[tuple[Exercise, tuple[str, ...]]] = []
    off_days: dict[str, frozenset[int]] = {}
    for ex in catalogue.exercises:
        primary = catalogue.primary_groups(ex)
        if ex.id not in own_choice and off_aim(primary, aimed):  # not the athlete's limit: never relaxed
            left_out.append((ex.id, f"aim: no group the week trains is a prime mover (primary: {', '.join(sorted(primary)) or 'none'})"))
            continue
        allows = [ex.needs(o) for o in day_owned]  # per day: its place has the equipment
        why = eligibility(ex, scenario, day_owned[allows.index(True)] if any(allows) else owned, catalogue)
        off_days[ex.id] = frozenset(i for i, a in enumerate(allows) if not a) if any(allows) else frozenset()
        if not usable_schemes(ex, scenario):
            why.append("none of its rep schemes is allowed (rules.rep_schemes)")
        if why and ex.id not in keep_anyway and not keep_blocked:
            left_out.append((ex.id, "; ".join(why)))
        else:
            chosen.append((ex, tuple(why)))
    return chosen, left_out, off_days
