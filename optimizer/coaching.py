"""Coaching rules the objective and the checker share, as data: what a coach expects of a
week beyond its hard rules (DOMAIN.md, "what makes a plan good").

No solver and no Problem here: the Problem (optimizer.problem) and the independent
checker (optimizer.checker) both read these definitions, each computing from them on
its own.
"""

from __future__ import annotations

QUADRICEPS, HAMSTRINGS = "quadriceps", "hamstrings"
SPREAD_DAYS = 2  # each targeted group on at least this many days a week

# Movement coverage (the ``coverage`` term): the hamstrings bend the knee and extend the
# hip, so a week that targets them has a leg curl and a hinge or hip extension (seated
# curls grew the hamstrings more than lying ones: Maeo and colleagues, 2021); squats grow
# the vasti but little rectus femoris (Kubo and colleagues, 2019), knee extensions reach
# it (Ema and colleagues, 2013); and a leg programme's quadriceps work is built on a
# knee-dominant compound (a squat, leg press or lunge), which no amount of knee extensions
# replaces (seed 000 and seed 003 both start from one). Each rule applies only when some
# usable exercise provides it: (group it serves, movement patterns that provide it, in a
# coach's words).
COVERAGE_RULES = (
    (HAMSTRINGS, ("knee_flexion",), "hamstrings: a knee-flexion exercise (leg curl)"),
    (HAMSTRINGS, ("hinge", "hip_extension"), "hamstrings: a hip-extension exercise (hinge, back extension)"),
    (QUADRICEPS, ("knee_extension",), "quadriceps: a knee-extension exercise (rectus femoris)"),
    (QUADRICEPS, ("squat", "lunge"), "quadriceps: a squat, leg press or lunge (a knee-dominant compound)"),
)


# The ``isolation`` term: a group's isolation work should not outweigh its foundation. An
# advanced lifter's quadriceps grow on squats, presses and lunges, with knee extensions
# added for the rectus femoris (Kubo and colleagues, 2019; Ema and colleagues, 2013), not
# on ten sets of leg extensions and four of lunges; the hamstrings' hip extension (seed
# 000's best hamstring work: back extensions, reverse hyperextensions, straight-leg
# bridges; and hinges) deserves as many sets as their leg curls. Each rule counts, in
# sets of exercises with the group as a primary group, the isolation sets above the
# foundation's: (group, isolation patterns, foundation patterns, in a coach's words).
# A rule applies only when the week can use both kinds.
ISOLATION_RULES = (
    (QUADRICEPS, ("knee_extension",), ("squat", "lunge"), "quadriceps: knee extensions beyond squat, press and lunge sets"),
    (HAMSTRINGS, ("knee_flexion",), ("hinge", "hip_extension"), "hamstrings: leg curls beyond hinge and hip-extension sets"),
)


def knee_limit_applies(primary_groups, applies_to: str) -> bool:
    """Seed 003's knee rule is about quadriceps work: by default the limit binds exercises
    that load the quadriceps (primary: squats, lunges, leg press, sissy squat...), not
    hamstring curls; ``all`` binds every exercise."""
    return applies_to == "all" or QUADRICEPS in primary_groups


def targeted_groups(targets: dict, group_of_muscle: dict[str, str], groups) -> set[str]:
    """Groups the scenario asks volume of: a group target with a min, or a muscle target
    with a min (its group)."""
    return {u if u in groups else group_of_muscle[u] for u, t in targets.items() if t.min and (u in groups or u in group_of_muscle)}


def aim_of(unit: str, target, targets: dict, group_of_muscle: dict[str, str]):
    """Effective sets above this count as overshoot: the target's point; by default its min,
    except for a muscle whose group has a target too (vastus medialis >= 6 inside
    quadriceps 14-20 is a floor, and the group's point is the aim). None: no overshoot."""
    if target.point is not None:
        return target.point
    if unit in group_of_muscle and group_of_muscle[unit] in targets:
        return None
    return target.min
