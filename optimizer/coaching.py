"""Coaching rules the objective and the checker share, as data: what a coach expects of a
week beyond its hard rules (DOMAIN.md, "what makes a plan good").

No solver and no Problem here: the Problem (optimizer.problem) and the independent
checker (optimizer.checker) both read these definitions, each computing from them on
its own.
"""

from __future__ import annotations

from .catalogue import PRIMARY_THRESHOLD

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


# The ``form`` term: where the week can use two forms of one movement, the better one. ``b``
# is a better form of ``a`` when it is the same movement (pattern, mechanic, sides) on the
# same equipment with the same kind of load, takes no longer (set-up, seconds a rep), allows
# every rep scheme ``a`` does with the same main one, works no muscle less, and works some
# muscle of ``a``'s primary groups more, as a prime mover (at the primary threshold or
# above). More lower-back work in a hamstring exercise is not a better form, nor is an
# imported kickback whose list of secondary muscles is longer than the glute bridge's (the
# free-exercise-db import credits every secondary muscle alike). Seated leg curls, at a
# longer hamstring length, grew the hamstrings more than lying ones (Maeo and colleagues,
# 2021; the catalogue's activations say so); a range-limited leg press exists for a knee
# limit, and without one the full range works the vastus medialis more. Without the term
# these were ties on every other term and the seed chose: lying curls every time, and the
# range-limited press for a lifter with no limit.
def _movement(ex) -> tuple:
    """What two forms of one movement share: pattern, mechanic, sides, equipment, load."""
    equipment = frozenset(frozenset(i) if isinstance(i, list) else frozenset((i,)) for i in ex.equipment)
    return ex.pattern, ex.mechanic, ex.unilateral, equipment, ex.loading_class


def better_form(a, b, aimed: set[str]) -> bool:
    """Whether catalogue exercise ``b`` is a better form of ``a`` (see above); ``aimed``:
    the muscles of ``a``'s primary groups."""
    return _movement(a) == _movement(b) and _better_within(a, b, aimed)


def _better_within(a, b, aimed: set[str]) -> bool:
    """:func:`better_form` for two forms already known to share a movement."""
    if a.id == b.id:
        return False
    if b.setup_s > a.setup_s or b.seconds_per_rep > a.seconds_per_rep:
        return False
    if b.rep_schemes[0] != a.rep_schemes[0] or not set(a.rep_schemes) <= set(b.rep_schemes):
        return False
    more = {m: b.activation.get(m, 0) - a.activation.get(m, 0) for m in set(a.activation) | set(b.activation)}
    return min(more.values()) >= 0 and any(more[m] > 0 and b.activation[m] >= PRIMARY_THRESHOLD for m in aimed if m in more)


def lesser_forms(usable, aimed_muscles, prefer=(), avoid=()) -> set[str]:
    """Ids of the exercises in ``usable`` (catalogue exercises the week can use) that have a
    better form among them; ``aimed_muscles(ex)``: the muscles of its primary groups. The
    athlete's wishes come first: a preferred exercise is no lesser form, an avoided one no
    better form. Compared within movements only, so an imported catalogue stays quick."""
    movements: dict[tuple, list] = {}
    for ex in usable:
        movements.setdefault(_movement(ex), []).append(ex)
    out = set()
    for same in movements.values():
        if len(same) < 2:
            continue
        better = [b for b in same if b.id not in avoid]
        for a in same:
            if a.id in prefer:
                continue
            aimed = aimed_muscles(a)
            if any(_better_within(a, b, aimed) for b in better):
                out.add(a.id)
    return out


def knee_limit_applies(primary_groups, applies_to: str) -> bool:
    """Seed 003's knee rule is about quadriceps work: by default the limit binds exercises
    that load the quadriceps (primary: squats, lunges, leg press, sissy squat...), not
    hamstring curls; ``all`` binds every exercise."""
    return applies_to == "all" or QUADRICEPS in primary_groups


def targeted_groups(targets: dict, group_of_muscle: dict[str, str], groups) -> set[str]:
    """Groups the scenario asks volume of: a group target with a min, or a muscle target
    with a min (its group)."""
    return {u if u in groups else group_of_muscle[u] for u, t in targets.items() if t.min and (u in groups or u in group_of_muscle)}


def aimed_groups(targets: dict, balance: dict, group_of_muscle: dict[str, str], groups) -> set[str]:
    """The groups a week trains: those it asks volume of (:func:`targeted_groups`) and both
    sides of each balance it asks for."""
    return targeted_groups(targets, group_of_muscle, groups) | {g for key in balance for g in key.split("_to_", 1)}


def off_aim(primary_groups, aimed: set[str]) -> bool:
    """A coach picks an exercise for its prime movers: one whose primary groups include none
    the week trains is not used for the volume it credits the others as a synergist (a
    kettlebell high pull, primary traps, is no leg exercise for the half set it credits the
    quadriceps, hamstrings and glutes; nor is an adduction machine glute work). DOMAIN.md: a
    set credits its primary muscles fully and its secondary ones fractionally; the secondary
    credit counts, towards the muscles of an exercise chosen for its primary ones. A
    required, pinned or preferred exercise is the athlete's or coach's own choice and is
    kept (a preferred one is then weighed by the ``preferences`` term)."""
    return not set(primary_groups) & aimed


def aim_of(unit: str, target, targets: dict, group_of_muscle: dict[str, str]):
    """Effective sets above this count as overshoot: the target's point; by default its min,
    except for a muscle whose group has a target too (vastus medialis >= 6 inside
    quadriceps 14-20 is a floor, and the group's point is the aim). None: no overshoot."""
    if target.point is not None:
        return target.point
    if unit in group_of_muscle and group_of_muscle[unit] in targets:
        return None
    return target.min
