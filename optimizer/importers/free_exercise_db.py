"""Import the public-domain free-exercise-db (or an export in its format) as a catalogue.

``programme catalogue import free-exercise-db exercises.json --output DIR`` writes
``DIR/exercises/fedb_<muscle>.yaml`` (one file per source primary muscle) and, only when
an exercise needs equipment the built-in catalogue lacks, ``DIR/equipment.yaml``. Load it
beside the built-in catalogue with ``--catalogue DIR``. Ids are ``fedb_`` + the snake_case
of the source id, so they never clash with built-in ones.

free-exercise-db gives, per exercise: one primary muscle (of 17 names), secondary muscles,
one equipment string (or null), force, mechanic (or null), level and category. Everything
else is a documented default, and an override file corrects any field of any exercise.

Muscles (:data:`MUSCLE_SPLIT`)
    A *primary* muscle credits 1.0 x its split, a *secondary* one 0.5 x its split, rounded
    to the catalogue's 0.05 grid; when two source muscles reach one of ours, the larger
    credit wins. Every split has a 1.0 entry, so group credit is exactly 1.0 (primary) or
    0.5 (secondary): one set of a quadriceps exercise is one quadriceps set.

    =============  ===========================================================================
    quadriceps     vastus lateralis, medialis, intermedius 1.0; rectus femoris 0.75
    hamstrings     biceps femoris long head, semitendinosus, semimembranosus 1.0; short head
                   0.75 (1.0 in knee-flexion exercises, 0.25 in hinges: it does not cross the hip)
    glutes         gluteus maximus lower 1.0; upper 0.5; gluteus medius 0.5
    abductors      gluteus medius 1.0, gluteus maximus upper 1.0 (group glutes)
    adductors      adductor magnus 1.0
    calves         gastrocnemius 1.0, soleus 0.75 (seated: soleus 1.0, gastrocnemius 0.5)
    chest          pectoralis major          lats         latissimus dorsi
    middle back    rhomboids, mid trapezius  traps        upper trapezius
    lower back     erector spinae            shoulders    deltoids
    biceps         biceps brachii            triceps      triceps brachii
    forearms       forearm muscles           abdominals   abdominals
    neck           neck muscles
    =============  ===========================================================================

Equipment (:data:`BASE_EQUIPMENT`, :data:`MACHINE_RULES`, :data:`NAME_RULES`, :data:`EXTRAS`)
    "body only" -> bodyweight, "bands" -> resistance_band, "exercise ball", "dumbbell",
    "barbell", "kettlebells" -> kettlebell, "cable" -> cable_station, "medicine ball",
    "foam roll" -> foam_roller, "e-z curl bar" -> ez_bar. "machine" is read from the name
    (leg press, leg extension, leg curl, calf, abductor/adductor, smith, reverse hyper;
    else other_machine). "other" and null are read from the name (pull-up bar, dip station,
    plate, sled, suspension trainer, box...); strongman and other special implements are
    skipped, and so is an "other" whose name names nothing known. Free weights gain what
    the name implies: a bench for bench, incline, seated, lying... work, a squat rack for
    barbell squats, lunges and overhead presses, a box for step-ups.

Movement pattern, then defaults by pattern (:func:`guess_pattern`, :data:`PATTERN_DEFAULTS`)
    The pattern comes from the name (calf raise, leg curl, lunge, deadlift...), else from
    the primary muscle and force. Peak knee flexion, tempo (seconds per rep) follow the
    pattern, with name adjustments (full/deep squats deeper, box/partial squats 90
    degrees, seated calf raises 90...); upper-body and core patterns carry 0 degrees (the
    knee is not loaded). Set-up time is the largest of the equipment's
    (:data:`SETUP_S`). Rep schemes follow category, mechanic and load: strongman heavy;
    olympic and powerlifting heavy + moderate; plyometrics moderate; static holds moderate;
    calf raises with a load heavy + moderate + light (seed 000 wants heavy and light calf
    work); loaded compounds heavy + moderate; everything else moderate + light. Unilateral
    when the name says one-arm, single-leg, alternating, lunge, split squat, step-up,
    pistol. Level "expert" becomes "advanced".

Skipped, with the reason counted in the report: stretching, cardio, no muscles, an
unknown muscle or equipment value, special implements, an id clash, or ``skip:`` in the
override file.

Override file: YAML keyed by exercise id (the source id or the ``fedb_`` id); each value
replaces fields of the imported exercise (any catalogue field: activation, equipment,
knee_flexion_deg, seconds_per_rep, setup_s, rep_schemes, pattern, mechanic, unilateral,
level, name, description, variant_of), or ``skip: <reason>`` leaves it out. The import
is deterministic: sorted output, no timestamps; the same input gives byte-identical files.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, close_matches
from . import fedb_corrections

PREFIX = "fedb_"
HEADER_START = "# Generated by `programme catalogue import free-exercise-db`"
GENERATED_GLOB = f"{PREFIX}*.yaml"
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
# Equipment the built-in catalogue lacks; written to DIR/equipment.yaml when used.
NEW_EQUIPMENT: dict[str, tuple[str, str]] = {
    "ab_roller": ("Ab roller", "A wheel with handles for roll-outs."),
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
SKIP_CATEGORIES = {"stretching": "stretching", "cardio": "cardio"}
LEVELS = {"beginner": "beginner", "intermediate": "intermediate", "expert": "advanced"}
OVERRIDABLE = {"name", "equipment", "activation", "mechanic", "pattern", "knee_flexion_deg", "variant_of", "unilateral",
               "level", "setup_s", "seconds_per_rep", "rep_schemes", "source", "description", "loading", "skip"}
GUESS_FIELDS = ("pattern", "mechanic", "equipment", "knee_flexion_deg", "seconds_per_rep", "setup_s", "rep_schemes", "unilateral")


def snake(source_id: str) -> str:
    """``3_4_Sit-Up`` -> ``fedb_3_4_sit_up``."""
    return PREFIX + re.sub(r"[^a-z0-9]+", "_", source_id.lower()).strip("_")


def on_grid(x: float) -> float:
    """Round to the catalogue's 0.05 grid (half up), at least 0.05."""
    return max(1, math.floor(x * 20 + 0.5 + 1e-9)) / 20


def _has(pattern: str, name: str) -> bool:
    return re.search(pattern, name, re.IGNORECASE) is not None


# Field by field ------------------------------------------------------------------------


def map_equipment(value: str | None, name: str) -> tuple[list[str] | None, str, bool]:
    """(equipment ids or None to skip, skip reason or how it was mapped, guessed from the name)."""
    if value in BASE_EQUIPMENT:
        ids = list(BASE_EQUIPMENT[value])
        guessed = False
    elif value == "machine":
        ids = [next((eq for pat, eq in MACHINE_RULES if _has(pat, name)), "other_machine")]
        guessed = True
    elif value in ("other", None):
        if value == "other" and _has(SPECIAL_IMPLEMENTS, name):
            return None, "special implement", True
        ids = []
        for pat, eq in NAME_RULES:
            if _has(pat, name) and eq not in ids:
                ids.append(eq)
        if not ids and (value is None or _has(BODYWEIGHT_WORDS, name)):
            ids = ["bodyweight"]
        if not ids:
            return None, "unknown equipment", True
        guessed = True
    else:
        return None, "unknown equipment", False
    for bases, pat, extra in EXTRAS:
        if extra not in ids and any(b in ids for b in bases) and _has(pat, name):
            ids.append(extra)
            guessed = True
    return ids, "", guessed


def guess_pattern(name: str, primary: str, force: str | None, mechanic: str | None) -> tuple[str, str]:
    """(pattern, where it came from: 'name' or 'muscles')."""
    for pattern, pat in PATTERN_RULES:
        if _has(pat, name):
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
            if m == "calves" and _has("seated", name):
                split.update(SEATED_CALVES)
            for ours, share in split.items():
                out[ours] = max(out.get(ours, 0.0), on_grid(ROLE[role] * share))
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def knee_flexion(pattern: str, name: str, category: str) -> int:
    """Peak knee flexion: 0 for upper-body and core work (the knee is not loaded)."""
    if pattern not in LEG_PATTERNS and category != "plyometrics":
        return 0
    for pat_for, pat, deg in KNEE_BY_NAME:
        if (pat_for is None or pat_for == pattern) and _has(pat, name):
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
        return ["heavy", "moderate"]
    return ["moderate", "light"]


# The import --------------------------------------------------------------------------


@dataclass
class ImportReport:
    """What was mapped, what was guessed (per field) and what was skipped and why."""

    source: str
    sha256: str
    records: int = 0
    imported: int = 0
    skipped: int = 0
    skipped_by_reason: dict[str, int] = field(default_factory=dict)
    skipped_items: list[dict] = field(default_factory=list)
    equipment_values: dict[str, dict[str, int]] = field(default_factory=dict)  # source value -> our ids -> count
    muscle_values: dict[str, int] = field(default_factory=dict)  # source muscle -> imported exercises naming it
    guessed: dict[str, int] = field(default_factory=dict)  # field -> exercises where it was guessed
    pattern_from_name: int = 0
    overrides_applied: int = 0
    corrections: dict[str, dict] = field(default_factory=dict)  # rule -> {"rule": what it does, "exercises": [ids]}
    loading: dict[str, int] = field(default_factory=dict)  # loading class -> imported exercises in it
    new_equipment: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def summary(self) -> str:
        lines = [
            f"free-exercise-db import of {self.source}: {self.records} records, {self.imported} imported, {self.skipped} skipped.",
            "Skipped: " + (", ".join(f"{r} {n}" for r, n in self.skipped_by_reason.items()) or "none") + ".",
            "Guessed (exercises): " + ", ".join(f"{f} {n}" for f, n in self.guessed.items())
            + f"; pattern from the name in {self.pattern_from_name}, from the muscles in {self.imported - self.pattern_from_name}.",
            "Equipment: " + "; ".join(
                f"{v} -> " + ", ".join(f"{ids} {n}" for ids, n in m.items()) for v, m in self.equipment_values.items()
            ) + ".",
            "Corrected (exercises; the report lists them): "
            + ", ".join(f"{r} {len(c['exercises'])}" for r, c in self.corrections.items())
            + ". Loading: " + ", ".join(f"{k} {n}" for k, n in self.loading.items()) + ".",
            f"Overrides applied: {self.overrides_applied}."
            + (f" New equipment ids: {', '.join(self.new_equipment)}." if self.new_equipment else ""),
        ]
        return "\n".join(lines) + "\n"


@dataclass
class ImportResult:
    files: dict[str, str]  # path relative to the output folder -> YAML text
    report: ImportReport
    exercises: list[dict]


def _records(path: Path) -> tuple[list[dict], bytes]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), file=str(path)) from None
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"not free-exercise-db JSON: {exc}", file=str(path)) from None
    if not isinstance(data, list):
        raise InputError("expected a JSON list of exercise records (free-exercise-db's exercises.json)", file=str(path))
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise InputError("expected an object", file=str(path), field=f"[{i}]")
        for key, kind in (("id", str), ("name", str), ("primaryMuscles", list)):
            if not isinstance(rec.get(key), kind):
                raise InputError(f"expected {kind.__name__}", file=str(path), field=f"[{i}].{key}")
    return data, raw


def _load_overrides(path: Path | None, by_source: dict[str, str]) -> dict[str, dict]:
    """Overrides keyed by our id; source ids are accepted too."""
    if path is None:
        return {}
    from ..io import load_document

    data = load_document(path) or {}
    if not isinstance(data, dict):
        raise InputError("expected a mapping of exercise id -> fields to replace", file=str(path))
    known = set(by_source.values())
    out: dict[str, dict] = {}
    for key, fields in data.items():
        ours = by_source.get(str(key), str(key))
        if ours not in known:
            raise InputError(f"unknown exercise {key!r}{close_matches(str(key), sorted(known | set(by_source)))}", file=str(path), field=str(key))
        if not isinstance(fields, dict):
            raise InputError("expected a mapping of fields", file=str(path), field=str(key))
        for f in fields:
            if f not in OVERRIDABLE:
                raise InputError(f"cannot override {f!r}{close_matches(f, OVERRIDABLE)}", file=str(path), field=f"{key}.{f}")
        out[ours] = fields
    return out


def convert(rec: dict) -> tuple[dict | None, str, dict]:
    """One record -> (exercise dict or None, skip reason or '', notes: guessed fields and mappings)."""
    name = rec["name"].strip()
    category = rec.get("category") or "strength"
    primary = list(rec.get("primaryMuscles") or [])
    secondary = [m for m in rec.get("secondaryMuscles") or [] if m not in primary]
    notes: dict = {"guessed": []}
    if category in SKIP_CATEGORIES:
        return None, SKIP_CATEGORIES[category], notes
    if not primary:
        return None, "no muscles", notes
    for m in primary + secondary:
        if m not in MUSCLE_SPLIT:
            return None, "unknown muscle", {**notes, "detail": m}
    eq_value = rec.get("equipment")
    equipment, why, eq_guessed = map_equipment(eq_value, name)
    if equipment is None:
        return None, why, {**notes, "detail": str(eq_value)}
    mechanic = rec.get("mechanic")
    force = rec.get("force")
    pattern, pattern_src = guess_pattern(name, primary[0], force, mechanic)
    guessed = ["pattern", "knee_flexion_deg", "seconds_per_rep", "setup_s", "rep_schemes"]
    if mechanic not in ("compound", "isolation"):
        mechanic = "compound" if pattern in COMPOUND_PATTERNS or len(primary) + len(secondary) > 2 else "isolation"
        guessed.append("mechanic")
    if eq_guessed:
        guessed.append("equipment")
    unilateral = _has(UNILATERAL, name)
    if unilateral:
        guessed.append("unilateral")
    exercise = {
        "id": snake(rec["id"]),
        "name": name,
        "equipment": equipment,
        "activation": map_activation(primary, secondary, pattern, name),
        "mechanic": mechanic,
        "pattern": pattern,
        "knee_flexion_deg": knee_flexion(pattern, name, category),
        "unilateral": unilateral,
        "level": LEVELS.get(rec.get("level") or "", "intermediate"),
        "setup_s": max(SETUP_S.get(e, 30) for e in equipment),
        "seconds_per_rep": seconds_per_rep(pattern, category, force),
        "rep_schemes": rep_schemes(category, mechanic, pattern, equipment, force),
        "source": f"free-exercise-db {rec['id']} (public domain); {category}; muscles {', '.join(primary)}"
        + (f" (secondary {', '.join(secondary)})" if secondary else "")
        + " by the importer's default split.",
        "description": " ".join(str(s).strip() for s in (rec.get("instructions") or [])[:1]),
    }
    if not exercise["description"]:
        del exercise["description"]
    notes["corrections"] = fedb_corrections.correct(exercise, category, force, primary + secondary)
    notes.update(guessed=guessed, equipment=(str(eq_value), " + ".join(equipment)), pattern_src=pattern_src, muscles=primary + secondary, file_key=primary[0])
    return exercise, "", notes


def import_free_exercise_db(source: Path | str, overrides: Path | str | None = None) -> ImportResult:
    """Convert a free-exercise-db JSON file into catalogue files (in memory) and a report.

    The result is validated against the built-in catalogue; bad input raises InputError.
    """
    from ..catalogue import Catalogue, derived_loading, load_catalogue
    from ..io import validate

    source = Path(source)
    records, raw = _records(source)
    report = ImportReport(source=source.name, sha256=hashlib.sha256(raw).hexdigest(), records=len(records))
    by_source = {str(r["id"]): snake(str(r["id"])) for r in records}
    override = _load_overrides(Path(overrides) if overrides else None, by_source)
    builtin = load_catalogue()
    taken = set(builtin.exercise_by_id)

    def skip(rec, reason: str, detail: str = "") -> None:
        report.skipped_by_reason[reason] = report.skipped_by_reason.get(reason, 0) + 1
        item = {"id": str(rec["id"]), "name": str(rec["name"]), "reason": reason}
        if detail:
            item["detail"] = detail
        report.skipped_items.append(item)

    exercises: list[tuple[str, dict]] = []
    guessed = {f: 0 for f in GUESS_FIELDS}
    corrected: dict[str, list[str]] = {rule: [] for rule in fedb_corrections.RULES}
    for rec in sorted(records, key=lambda r: str(r["id"])):
        ours = snake(str(rec["id"]))
        fix = override.get(ours, {})
        if "skip" in fix:
            skip(rec, "override", str(fix["skip"]))
            continue
        ex, why, notes = convert(rec)
        if ex is None:
            skip(rec, why, notes.get("detail", ""))
            continue
        if ours in taken:
            skip(rec, "duplicate id", ours)
            continue
        taken.add(ours)
        if fix:
            report.overrides_applied += 1
            ex.update(fix)
        for f in notes["guessed"]:
            if f not in fix:
                guessed[f] += 1
        for rule in notes["corrections"]:
            if fedb_corrections.FIELD[rule] not in fix:
                corrected[rule].append(ours)
        cls = ex.get("loading") or derived_loading(ex["equipment"])
        report.loading[cls] = report.loading.get(cls, 0) + 1
        report.pattern_from_name += notes["pattern_src"] == "name"
        value, ids = notes["equipment"]
        report.equipment_values.setdefault(value, {})
        report.equipment_values[value][ids] = report.equipment_values[value].get(ids, 0) + 1
        for m in notes["muscles"]:
            report.muscle_values[m] = report.muscle_values.get(m, 0) + 1
        exercises.append((re.sub(r"[^a-z0-9]+", "_", notes["file_key"]), ex))

    report.imported = len(exercises)
    report.skipped = len(report.skipped_items)
    report.guessed = guessed
    report.corrections = {r: {"rule": fedb_corrections.RULES[r], "exercises": ids} for r, ids in corrected.items()}
    report.loading = dict(sorted(report.loading.items()))
    report.skipped_by_reason = dict(sorted(report.skipped_by_reason.items(), key=lambda kv: (-kv[1], kv[0])))
    report.equipment_values = {
        v: dict(sorted(m.items(), key=lambda kv: (-kv[1], kv[0]))) for v, m in sorted(report.equipment_values.items())
    }
    report.muscle_values = dict(sorted(report.muscle_values.items()))

    used = sorted({e for _, ex in exercises for item in ex["equipment"] for e in ([item] if isinstance(item, str) else item)})
    new_eq = [e for e in used if e not in builtin.equipment_by_id and e in NEW_EQUIPMENT]
    report.new_equipment = new_eq
    equipment_items = [{"id": e, "name": NEW_EQUIPMENT[e][0], "description": NEW_EQUIPMENT[e][1]} for e in new_eq]

    # Validate the whole result beside the built-in catalogue before anything is written.
    merged = builtin.model_dump()
    merged["equipment"] += equipment_items
    merged["exercises"] += [ex for _, ex in exercises]
    name = f"{source} (imported)"
    validate(Catalogue, merged, name)

    header = (
        f"{HEADER_START} from {source.name}\n"
        f"# (sha256 {report.sha256[:16]}). free-exercise-db is public domain (The Unlicense).\n"
        "# Activations, knee flexion, tempo, set-up and rep schemes are the importer's documented\n"
        "# defaults (optimizer/importers/free_exercise_db.py); correct them with --overrides.\n"
    )
    files: dict[str, str] = {}
    by_file: dict[str, list[dict]] = {}
    for key, ex in exercises:
        by_file.setdefault(f"exercises/{PREFIX}{key}.yaml", []).append(ex)
    for rel in sorted(by_file):
        files[rel] = header + _dump({"exercises": by_file[rel]})
    if equipment_items:
        files["equipment.yaml"] = header + _dump({"equipment": equipment_items})
    report.files = sorted(files)
    return ImportResult(files=files, report=report, exercises=[ex for _, ex in exercises])


def _dump(data) -> str:
    """YAML like the hand-written catalogue: short lists and activations on one line."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def seq(dumper, value):
        flow = all(isinstance(v, (str, int, float)) for v in value)
        return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)

    def mapping(dumper, value):
        flow = bool(value) and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values())
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.items(), flow_style=flow)

    Dumper.add_representer(list, seq)
    Dumper.add_representer(dict, mapping)
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=110)


def _ours(path: Path) -> bool:
    """True for a file an import wrote (never delete anything else)."""
    if not path.is_file():
        return False
    with path.open(encoding="utf-8", errors="replace") as fh:
        return fh.readline().startswith(HEADER_START)


def write_import(result: ImportResult, output: Path | str, force: bool = False) -> list[Path]:
    """Write the files under ``output``; refuse to overwrite without ``force``.

    With ``force``, files an earlier import wrote (recognised by their first line) that
    this one no longer produces are removed, so the folder always matches the last import.
    """
    from ..io import write_atomic

    out = Path(output)
    if out.exists() and not out.is_dir():
        raise InputError("exists and is not a folder", file=str(out))
    targets = [out / rel for rel in sorted(result.files)]
    generated = [p for p in sorted((out / "exercises").glob(GENERATED_GLOB)) + [out / "equipment.yaml"] if _ours(p)]
    if not force:
        for path in targets + generated:
            if path.exists():
                raise InputError("already exists; pass --force to overwrite it", file=str(path))
    (out / "exercises").mkdir(parents=True, exist_ok=True)
    written = []
    for path in targets:
        write_atomic(path, result.files[str(path.relative_to(out))], force=force)
        written.append(path)
    for p in generated:  # an earlier import's files this one no longer produces
        if p not in targets:
            p.unlink()
    return written
