"""Corrections to the free-exercise-db import's defaults where they would make absurd plans.

The field-by-field defaults of :mod:`.free_exercise_db` read the source literally: an
Olympic clean lists the calves as a secondary muscle, so it credited half a calf set at
8-12 reps; a split jerk has the pattern "push", so it carried 0 degrees of knee flexion;
a plank was prescribed in reps. Each rule below rewrites one field of one kind of
exercise, the import report lists every exercise it changed (``corrections``), and the
override file wins over all of them (a field given there is never corrected).

=============  =======================================================================
power          Olympic lifts (cleans, snatches, jerks, push presses, their hang, power,
               split and block variants, pulls and drills; any category) and jumps
               (plyometrics, jump squats, hops, bounds): rep scheme ``power`` only, so
               they credit no volume and are never picked for hypertrophy volume.
knee_flexion   Power movements get the knee bend of their catch or dip
               (:data:`POWER_KNEE`): a split jerk or a landmine jammer 45 degrees, a push
               press 30, a power clean 90, a squat clean or snatch 130, a kettlebell or
               dumbbell clean 45. Work naming no leg muscle at all (presses, throws, chest squeezes
               filed as plyometrics) carries 0: the knee is not loaded.
calves         Only plantar-flexion exercises (calf raises) credit the gastrocnemius and
               soleus. Squats, deadlifts, cleans, lunges and curls list the calves as
               secondary, but they steady the ankle there at most: no calf volume.
movement       A hip adduction or abduction (by name) trains the adductors or the gluteus
               medius, whatever the source lists: the source files Cable Hip Adduction
               under the quadriceps, which made it four sets of quadriceps work. A hip
               flexion (a standing knee raise against a band) is no squat: the rectus
               femoris flexes the hip, as a synergist (0.5), and the vasti do nothing.
               A lunge or squat the source files under the hamstrings (Lunge Pass
               Through) is knee-dominant: the quadriceps are its prime movers, the
               hamstrings synergists (0.5).
hold           Isometric holds (force "static", planks, wall sits, holds): rep scheme
               ``hold`` (seconds held, one second per "rep").
loading        Only where it differs from the catalogue's ``derived_loading``:
               hard bodyweight variants (single-leg, pistol, Nordic, sissy, glute-ham
               raise) with nothing that adds load are ``limited``; "weighted" bodyweight
               work (a belt or a plate), a trap bar and a sled are ``progressive``.
               Plain bodyweight stays ``fixed`` and band work ``limited`` (derived).
=============  =======================================================================
"""

from __future__ import annotations


from ..catalogue import PRIMARY_THRESHOLD, derived_loading
from .fedb_fields import MUSCLE_SPLIT, on_grid
from .fedb_fields import matches as _has

RULES: dict[str, str] = {
    "power": "Olympic lift or jump: rep scheme power only (credits no volume)",
    "knee_flexion": "knee flexion of the catch or dip of a power movement; 0 without a leg muscle",
    "calves": "calf credit dropped: only plantar-flexion exercises (calf raises) train the calves",
    "movement": "muscles of the movement its name gives (hip adduction, abduction, flexion; lunge, squat), not the source's",
    "hold": "isometric hold: rep scheme hold (seconds)",
    "loading": "loading class differs from the equipment's: hard bodyweight variant limited, weighted work progressive",
}

FIELD = {"power": "rep_schemes", "knee_flexion": "knee_flexion_deg", "calves": "activation", "movement": "activation", "hold": "rep_schemes",
         "loading": "loading"}  # the field each rule writes: an override of it wins

OLYMPIC = r"\bclean\b(?! grip)|snatch|\bjerk|push press|jammer|rack delivery"
JUMPS = r"\bjump|\bhops?\b|\bhopping\b|\bleaps?\b|\bbounds?\b|\bplyo"
NOT_POWER = r"deadlift|stiff"  # clean and snatch deadlifts are slow strength work
# First match wins; only for power movements. Degrees are the peak of the catch or dip.
POWER_KNEE: list[tuple[str, int]] = [
    (r"split (clean|snatch)", 100),  # caught in a deep split
    (r"split jerk|jerk balance|jammer", 45),  # a short dip, the front knee bent a little
    (r"squat jerk|snatch balance|clean and jerk", 130),  # a full squat (the clean's catch)
    (r"push press|jerk dip|\bjerk", 30),  # a dip and drive
    (r"shrug", 30),  # from the hang, knees a little bent
    (r"power|muscle|pull|clean and press", 90),  # pulled from the floor, caught above parallel
    (r"clean|snatch", 130),  # a squat clean or snatch: caught in a full squat
]
HOLD = r"^(?!.*push[- ]?up).*(\bplank\b|wall sit|\bholds?\b|\bl-sit\b)"
HARD_BODYWEIGHT = r"single[- ]leg|one[- ]leg|pistol|nordic|sissy|glute[- ]ham"
# Equipment that adds load to a hard bodyweight variant (it then inherits progressive).
LOADS = {"barbell", "dumbbell", "kettlebell", "ez_bar", "cable_station", "smith_machine", "leg_press", "trap_bar",
         "leg_extension_machine", "leg_curl_machine", "lever_calf_raise_machine", "hip_abduction_machine", "weight_plate"}
ALWAYS_PROGRESSIVE = {"trap_bar", "sled"}
LEG_MUSCLES = {"quadriceps", "hamstrings", "glutes", "calves", "adductors", "abductors"}
CALF_MUSCLES = ("gastrocnemius", "soleus")
MOVER = {"hip_adduction": "adductors", "hip_abduction": "abductors"}  # pattern -> the source muscle that moves it
HIP_FLEXION = r"\bhip flexion\b"
KNEE_DOMINANT = ("squat", "lunge")


def _prime(activation: dict[str, float], source_muscle: str) -> bool:
    """Whether ``activation`` has one of the source muscle's muscles as a prime mover."""
    return any(activation.get(m, 0) >= PRIMARY_THRESHOLD for m in MUSCLE_SPLIT[source_muscle])


def is_power(name: str, category: str) -> bool:
    """An Olympic lift or a jump: power work."""
    if _has(NOT_POWER, name):
        return False
    return category in ("olympic weightlifting", "plyometrics") and not _has(r"squat(?!.*(jerk|jump))", name) \
        or _has(OLYMPIC, name) or _has(JUMPS, name)


def is_hold(name: str, force: str | None) -> bool:
    return force == "static" or _has(HOLD, name)


SWING_LIKE = 45  # a kettlebell or dumbbell clean or snatch: swung up, caught standing


def power_knee(name: str, equipment: list) -> int | None:
    """The knee flexion of a power movement's catch or dip, by name (and implement); None if unknown."""
    if {"kettlebell", "dumbbell"} & set(equipment) and _has(r"clean|snatch", name) and not _has(r"split", name):
        return SWING_LIKE
    for pat, deg in POWER_KNEE:
        if _has(pat, name):
            return deg
    return None


def loading(name: str, equipment: list) -> str | None:
    """The loading class to write, or None when ``derived_loading`` already says it."""
    derived = derived_loading(equipment)
    ids = {e for item in equipment for e in (item if isinstance(item, list) else [item])}
    if derived == "fixed" and (ALWAYS_PROGRESSIVE & ids or _has(r"\bweighted\b", name) and "resistance_band" not in ids):
        wanted = "progressive"
    elif _has(HARD_BODYWEIGHT, name) and not LOADS & ids:
        wanted = "limited"
    else:
        wanted = derived
    return None if wanted == derived else wanted


def correct(ex: dict, category: str, force: str | None, muscles: list[str]) -> list[str]:
    """Apply every rule to the exercise dict in place; the names of the rules that changed it."""
    name = ex["name"]
    done: list[str] = []

    def put(rule: str, key: str, value) -> None:
        if ex.get(key) != value:
            ex[key] = value
            if rule not in done:
                done.append(rule)

    if is_hold(name, force):
        put("hold", "rep_schemes", ["hold"])
        ex["seconds_per_rep"] = 1.0
    elif is_power(name, category):
        put("power", "rep_schemes", ["power"])
    knee = power_knee(name, ex["equipment"]) if ex["rep_schemes"] == ["power"] else None
    if knee is None and not LEG_MUSCLES.intersection(muscles):
        knee = 0  # upper-body work: the knee is not loaded
    if knee is not None:
        put("knee_flexion", "knee_flexion_deg", knee)
    mover = MOVER.get(ex["pattern"])
    if mover and not _prime(ex["activation"], mover):
        put("movement", "activation", dict(MUSCLE_SPLIT[mover]))
    if ex["pattern"] in KNEE_DOMINANT and _prime(ex["activation"], "hamstrings") and not _prime(ex["activation"], "quadriceps"):
        hamstrings_at_half = {m: on_grid(a * 0.5) for m, a in MUSCLE_SPLIT["hamstrings"].items()}
        put("movement", "activation", {**ex["activation"], **hamstrings_at_half, **MUSCLE_SPLIT["quadriceps"]})
    if _has(HIP_FLEXION, name):
        put("movement", "activation", {"rectus_femoris": 0.5})
        put("movement", "pattern", "other")
        put("movement", "mechanic", "isolation")
    if ex["pattern"] != "plantar_flexion":
        kept = {m: a for m, a in ex["activation"].items() if m not in CALF_MUSCLES}
        if kept:
            put("calves", "activation", kept)
    wanted = loading(name, ex["equipment"])
    if wanted is not None:
        put("loading", "loading", wanted)
    return done
