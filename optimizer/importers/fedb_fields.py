"""The free-exercise-db import's field-by-field defaults: the tables and the functions that
read them (documented in :mod:`.free_exercise_db`; corrected by :mod:`.fedb_corrections`)."""

from __future__ import annotations

import math
import re

ROLE = {"primary": 1.0, "secondary": 0.5}

MUSCLE_SPLIT: dict[str, dict[str, float]] = {
    "quadriceps": {"vastus_lateralis": 1.0, "vastus_medialis": 1.0, "vastus_intermedius": 1.0, "rectus_femoris": 0.75},
    "hamstrings": {"biceps_femoris_long": 1.0, "semitendinosus": 1.0, "semimembranosus": 1.0, "biceps_femoris_short": 0.75},
    "glutes": {"gluteus_maximus_lower": 1.0, "gluteus_maximus_upper": 0.5, "gluteus_medius": 0.5},
    "abductors": {"gluteus_medius": 1.0, "gluteus_maximus_upper": 1.0},
    "adductors": {"adductor_magnus": 1.0},
    "calves": {"gastrocnemius": 1.0, "soleus": 0.75},
    "chest": {"pectoralis_major": 1.0},
    "lats": {"latissimus_dorsi": 1.0},
    "middle back": {"rhomboids_mid_trapezius": 1.0},
    "traps": {"upper_trapezius": 1.0},
    "lower back": {"erector_spinae": 1.0},
    "shoulders": {"deltoids": 1.0},
    "biceps": {"biceps_brachii": 1.0},
    "triceps": {"triceps_brachii": 1.0},
    "forearms": {"forearms": 1.0},
    "abdominals": {"abdominals": 1.0},
    "neck": {"neck_muscles": 1.0},
}
# Splits that depend on the movement: (source muscle, pattern) -> entries replaced.
PATTERN_SPLIT: dict[tuple[str, str], dict[str, float]] = {
    ("hamstrings", "knee_flexion"): {"biceps_femoris_short": 1.0},
    ("hamstrings", "hinge"): {"biceps_femoris_short": 0.25},
}
SEATED_CALVES = {"soleus": 1.0, "gastrocnemius": 0.5}  # a bent knee slackens the gastrocnemius

BASE_EQUIPMENT: dict[str, list[str]] = {
    "body only": ["bodyweight"],
    "bands": ["resistance_band"],
    "exercise ball": ["exercise_ball"],
    "dumbbell": ["dumbbell"],
    "barbell": ["barbell"],
    "kettlebells": ["kettlebell"],
    "cable": ["cable_station"],
    "medicine ball": ["medicine_ball"],
    "foam roll": ["foam_roller"],
    "e-z curl bar": ["ez_bar"],
}
# "machine": the first rule whose pattern is in the name; else other_machine.
MACHINE_RULES: list[tuple[str, str]] = [
    (r"smith", "smith_machine"),
    (r"leg press", "leg_press"),
    (r"calf", "lever_calf_raise_machine"),
    (r"leg extension", "leg_extension_machine"),
    (r"leg curl", "leg_curl_machine"),
    (r"abduct|adduct", "hip_abduction_machine"),
    (r"reverse hyper", "reverse_hyper_machine"),
]
# "other" and null: skipped when the name names a special implement ...
SPECIAL_IMPLEMENTS = (
    r"atlas|keg|\blog\b|tire|yoke|conan|circus bell|axle|car deadlift|rickshaw|sandbag|power stairs|crucifix"
    r"|chain|battling rope|heavy bag|sledgehammer|wrist roller|balance board|rope climb|london bridge|head harness"
)
# ... else every rule whose pattern is in the name adds its equipment.
NAME_RULES: list[tuple[str, str]] = [
    (r"smith", "smith_machine"),
    (r"hyperextension|back extension", "hyperextension_bench"),
    (r"pull[- ]?ups?\b|chin|muscle up", "pull_up_bar"),
    (r"suspended|straps|\brings?\b", "suspension_trainer"),
    (r"(?<!bench )(?<!ring )\bdips?\b|parallel bar", "dip_station"),
    (r"\bbands?\b", "resistance_band"),
    (r"\bbox\b|depth jump", "box"),
    (r"bench", "bench"),
    (r"plate|svend|otis", "weight_plate"),
    (r"sled|drag", "sled"),
    (r"trap bar", "trap_bar"),
    (r"ab roller", "ab_roller"),
    (r"farmer", "dumbbell"),
    (r"inverted row|mid row", "suspension_trainer"),
]
# Null, or "other" with nothing above: bodyweight drills, when the name says so.
BODYWEIGHT_WORDS = r"jump|hop|leap|bound|sprint|skip|cone|shuffle|push-?off|push-?up|stride|drill|climber|carioca|claw|hamstring|calf raise|squat|lunge|glute-ham"
# Free weights (and bodyweight) gain what the name implies.
EXTRAS: list[tuple[tuple[str, ...], str, str]] = [
    (("barbell", "dumbbell", "ez_bar", "kettlebell"), r"bench|incline|decline|pullover|preacher|skull|\bfl(y|ye|yes|ies)\b|seated|lying", "bench"),
    (("bodyweight",), r"bench|incline|decline", "bench"),
    (("barbell",), r"squat|rack|good ?morning|lunge|military|overhead|shoulder press|push press|jerk", "squat_rack"),
    (("barbell", "dumbbell", "kettlebell", "bodyweight"), r"\bbox\b|step[- ]?ups?\b", "box"),
    (("bodyweight",), r"pull[- ]?ups?\b|chin[- ]?ups?\b|hanging", "pull_up_bar"),
]
# An exercise whose first instructions say it needs a partner (and offer no way without
# one) needs a "partner" in the athlete's equipment: a manual-resistance leg curl is no
# exercise for someone training alone.
NEEDS_PARTNER = r"\bneed\b[^.]{0,30}\bpartner\b"
PARTNER_OPTIONAL = r"\black(ing)?\b|\bor\b[^.]{0,20}\bwall\b"

# Equipment the built-in catalogue lacks; written to DIR/equipment.yaml when used.
NEW_EQUIPMENT: dict[str, tuple[str, str]] = {
    "ab_roller": ("Ab roller", "A wheel with handles for roll-outs."),
    "partner": ("Training partner", "Someone to give resistance by hand, or to throw to."),
    "dip_station": ("Dip station", "Parallel bars to dip between."),
    "sled": ("Sled", "A weighted sled to push or drag."),
    "suspension_trainer": ("Suspension trainer", "Straps or rings hung from an anchor."),
    "trap_bar": ("Trap bar", "A hexagonal deadlift bar."),
    "weight_plate": ("Weight plate", "A single barbell plate held by hand."),
}
SETUP_S: dict[str, int] = {
    "bodyweight": 10, "resistance_band": 20, "exercise_ball": 15, "medicine_ball": 15, "foam_roller": 15,
    "dumbbell": 20, "kettlebell": 15, "ez_bar": 30, "barbell": 60, "squat_rack": 120, "bench": 20, "box": 15,
    "cable_station": 40, "leg_press": 60, "leg_curl_machine": 40, "leg_extension_machine": 40,
    "lever_calf_raise_machine": 45, "hip_abduction_machine": 30, "smith_machine": 60, "other_machine": 45,
    "hyperextension_bench": 30, "reverse_hyper_machine": 45, "pull_up_bar": 10, "ab_roller": 10,
    "dip_station": 10, "sled": 60, "suspension_trainer": 45, "trap_bar": 60, "weight_plate": 15,
}
LOADED = {"barbell", "dumbbell", "kettlebell", "ez_bar", "cable_station", "smith_machine", "leg_press", "trap_bar",
          "other_machine", "lever_calf_raise_machine", "leg_curl_machine", "leg_extension_machine",
          "hip_abduction_machine", "reverse_hyper_machine", "sled"}

PATTERN_RULES: list[tuple[str, str]] = [
    ("pull", r"shrug|upright row"),
    ("dorsiflexion", r"toe raise|tibialis|dorsiflex"),
    ("plantar_flexion", r"calf|calves|heel raise"),
    ("knee_extension", r"leg extension|sissy"),
    ("knee_flexion", r"leg curl|hamstring curl|glute[- ]ham|nordic|hamstring slide|manual hamstring"),
    ("hip_abduction", r"abduct|clam|lateral walk|monster walk|fire hydrant"),
    ("hip_adduction", r"adduct"),
    ("lunge", r"lunge|split squat|step[- ]?ups?\b|split jump"),
    ("squat", r"squat|leg press|wall sit|thruster"),
    ("hinge", r"deadlift|good ?morning|romanian|\brdl\b|swing|pull-?through|clean|snatch"),
    ("push", r"jerk|push press"),
    ("pull", r"\bcurls?\b|\brows?\b|pull-?down|pull[- ]?ups?\b|chin"),
    ("hip_extension", r"hip thrust|bridge|hip raise|hip lift|hyperextension|back extension|kickback|donkey kick|reverse hyper"),
    ("carry", r"carry|farmer|walk|yoke|drag"),
    ("core", r"crunch|sit-?up|plank|leg raise|knee raise|twist|russian|ab roll|rollout|v-up|jackknife|flutter|woodchop|side bend|hollow|dead bug"),
]
PATTERN_FROM_MUSCLE = {
    "calves": "plantar_flexion", "quadriceps": "squat", "glutes": "hip_extension", "abductors": "hip_abduction",
    "adductors": "hip_adduction", "abdominals": "core",
}
LEG_PATTERNS = {"squat", "lunge", "hinge", "hip_extension", "knee_flexion", "knee_extension", "hip_abduction",
                "hip_adduction", "plantar_flexion", "dorsiflexion"}
COMPOUND_PATTERNS = {"squat", "lunge", "hinge", "push", "pull", "carry"}
# pattern -> (peak knee flexion in degrees, seconds per rep)
PATTERN_DEFAULTS: dict[str, tuple[int, float]] = {
    "squat": (100, 3.0), "lunge": (100, 2.5), "hinge": (20, 3.0), "hip_extension": (10, 2.5),
    "knee_flexion": (120, 3.0), "knee_extension": (90, 2.5), "hip_abduction": (0, 2.5), "hip_adduction": (0, 2.5),
    "plantar_flexion": (0, 2.0), "dorsiflexion": (0, 2.0), "push": (0, 2.5), "pull": (0, 2.5), "core": (0, 2.5),
    "carry": (0, 2.0), "other": (0, 2.5),
}
# (pattern or None for any, name pattern, knee degrees): first match adjusts the default.
KNEE_BY_NAME: list[tuple[str | None, str, int]] = [
    ("squat", r"box|half|quarter|partial|chair|wall sit", 90),
    ("squat", r"full|deep|ass to grass|pistol|hack|front|overhead|zercher|goblet|narrow", 120),
    ("hinge", r"clean|snatch", 110),
    ("hinge", r"deadlift|sumo", 60),
    ("hinge", r"swing|pull-?through", 30),
    ("hip_extension", r"bridge|thrust|hip raise|hip lift|donkey", 90),
    ("knee_flexion", r"glute[- ]ham|nordic", 90),
    ("hip_abduction", r"seated|machine|thigh abductor|clam", 90),
    ("hip_adduction", r"seated|machine|thigh adductor", 90),
    ("plantar_flexion", r"seated", 90),
    (None, r"jump|hop|leap|bound", 90),
]
UNILATERAL = r"\b(one|single)[- ]?(arm|leg|legged|side)\b|alternat|unilateral|lunge|split squat|step[- ]?ups?\b|pistol"
def on_grid(x: float) -> float:
    """Round to the catalogue's 0.05 grid (half up), at least 0.05."""
    return max(1, math.floor(x * 20 + 0.5 + 1e-9)) / 20


def matches(pattern: str, name: str) -> bool:
    """True when the regular expression occurs in the name, ignoring case."""
    return re.search(pattern, name, re.IGNORECASE) is not None


# Field by field ------------------------------------------------------------------------


def map_equipment(value: str | None, name: str, instructions: str = "") -> tuple[list[str] | None, str, bool]:
    """(equipment ids or None to skip, skip reason or how it was mapped, guessed from the
    name or the instructions)."""
    if value in BASE_EQUIPMENT:
        ids = list(BASE_EQUIPMENT[value])
        guessed = False
    elif value == "machine":
        ids = [next((eq for pat, eq in MACHINE_RULES if matches(pat, name)), "other_machine")]
        guessed = True
    elif value in ("other", None):
        if value == "other" and matches(SPECIAL_IMPLEMENTS, name):
            return None, "special implement", True
        ids = []
        for pat, eq in NAME_RULES:
            if matches(pat, name) and eq not in ids:
                ids.append(eq)
        if not ids and (value is None or matches(BODYWEIGHT_WORDS, name)):
            ids = ["bodyweight"]
        if not ids:
            return None, "unknown equipment", True
        guessed = True
    else:
        return None, "unknown equipment", False
    for bases, pat, extra in EXTRAS:
        if extra not in ids and any(b in ids for b in bases) and matches(pat, name):
            ids.append(extra)
            guessed = True
    if matches(NEEDS_PARTNER, instructions) and not matches(PARTNER_OPTIONAL, instructions):
        ids.append("partner")
        guessed = True
    return ids, "", guessed


def guess_pattern(name: str, primary: str, force: str | None, mechanic: str | None) -> tuple[str, str]:
    """(pattern, where it came from: 'name' or 'muscles')."""
    for pattern, pat in PATTERN_RULES:
        if matches(pat, name):
            return pattern, "name"
    if primary in PATTERN_FROM_MUSCLE:
        return PATTERN_FROM_MUSCLE[primary], "muscles"
    if primary == "hamstrings":
        return ("knee_flexion" if mechanic == "isolation" else "hinge"), "muscles"
    if primary == "lower back":
        return ("hinge" if mechanic == "compound" else "hip_extension"), "muscles"
    if force in ("push", "pull"):
        return force, "muscles"
    return "other", "muscles"


def map_activation(primary: list[str], secondary: list[str], pattern: str, name: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for role, muscles in (("primary", primary), ("secondary", secondary)):
        for m in muscles:
            split = dict(MUSCLE_SPLIT[m])
            split.update(PATTERN_SPLIT.get((m, pattern), {}))
            if m == "calves" and matches("seated", name):
                split.update(SEATED_CALVES)
            for ours, share in split.items():
                out[ours] = max(out.get(ours, 0.0), on_grid(ROLE[role] * share))
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def knee_flexion(pattern: str, name: str, category: str) -> int:
    """Peak knee flexion: 0 for upper-body and core work (the knee is not loaded)."""
    if pattern not in LEG_PATTERNS and category != "plyometrics":
        return 0
    for pat_for, pat, deg in KNEE_BY_NAME:
        if (pat_for is None or pat_for == pattern) and matches(pat, name):
            return deg
    return 90 if category == "plyometrics" else PATTERN_DEFAULTS[pattern][0]


def seconds_per_rep(pattern: str, category: str, force: str | None) -> float:
    if force == "static":
        return 3.0  # a hold: ten "reps" make a 30-second hold
    if category == "plyometrics":
        return 1.5
    if category == "olympic weightlifting":
        return 2.0
    return PATTERN_DEFAULTS[pattern][1]


def rep_schemes(category: str, mechanic: str, pattern: str, equipment: list[str], force: str | None) -> list[str]:
    loaded = bool(LOADED.intersection(equipment))
    if category == "strongman":
        return ["heavy"]
    if category in ("olympic weightlifting", "powerlifting"):
        return ["heavy", "moderate"]
    if category == "plyometrics" or force == "static":
        return ["moderate"]
    if pattern == "plantar_flexion":
        return ["heavy", "moderate", "light"] if loaded else ["moderate", "light"]
    if mechanic == "compound" and loaded:
        return ["moderate", "heavy"]  # main first: 8-12 for growth work (term rep_range)
    return ["moderate", "light"]
