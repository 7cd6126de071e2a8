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
    barbell squats, lunges and overhead presses, a box for step-ups. An exercise whose
    instructions say it needs a partner, with no way without one, needs ``partner`` (a
    new equipment id: a manual-resistance leg curl is not for someone training alone).

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
    pistol. Level "expert" becomes "advanced". The corrections below then rewrite these
    defaults where they would make absurd plans.

Corrections (:mod:`.fedb_corrections`, each corrected exercise listed in the report)
    Olympic lifts (cleans, snatches, jerks, push presses, their hang, power and split
    variants) and jumps are ``power`` work only (no volume credit); power movements get
    the knee bend of their catch or dip (split jerk and landmine jammer 45 degrees, push
    press 30, power clean 90, squat clean 130) and work naming no leg muscle 0; only calf
    raises credit the calves (a squat, deadlift, clean or lunge lists them as secondary,
    but they only steady the ankle there); a hip adduction or abduction by name trains
    the adductors or the gluteus medius whatever the source lists (it files Cable Hip
    Adduction under the quadriceps), a banded hip flexion only the rectus femoris (0.5),
    and a lunge or squat filed under the hamstrings has the quadriceps as prime movers;
    isometric holds use ``hold``; ``loading`` is
    written only where it differs from the equipment's derived class (hard bodyweight
    variants limited; weighted work, trap bar and sled progressive).

Skipped, with the reason counted in the report: stretching, cardio, no muscles, an
unknown muscle or equipment value, special implements, an id clash, or ``skip:`` in the
override file.

Override file: YAML keyed by exercise id (the source id or the ``fedb_`` id); each value
replaces fields of the imported exercise (any catalogue field: activation, equipment,
knee_flexion_deg, seconds_per_rep, setup_s, rep_schemes, loading, pattern, mechanic,
unilateral, level, name, description, variant_of), or ``skip: <reason>`` leaves it out.
A field given there is never corrected, and the report does not list that correction. The
import is deterministic: sorted output, no timestamps; the same input gives byte-identical
files (written by :mod:`.writing`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError, close_matches
from . import fedb_corrections
from .fedb_fields import (  # noqa: F401  (the tables and field functions: their documented home is here)
    BASE_EQUIPMENT, COMPOUND_PATTERNS, EXTRAS, KNEE_BY_NAME, MACHINE_RULES, MUSCLE_SPLIT, NAME_RULES, NEW_EQUIPMENT,
    PATTERN_DEFAULTS, SETUP_S, UNILATERAL, guess_pattern, knee_flexion, map_activation, map_equipment, matches,
    on_grid, rep_schemes, seconds_per_rep,
)
from .writing import HEADER_START, PREFIX, dump_yaml, write_import  # noqa: F401  (write_import: its old path)

SKIP_CATEGORIES = {"stretching": "stretching", "cardio": "cardio"}
LEVELS = {"beginner": "beginner", "intermediate": "intermediate", "expert": "advanced"}
OVERRIDABLE = {"name", "equipment", "activation", "mechanic", "pattern", "knee_flexion_deg", "variant_of", "unilateral",
               "level", "setup_s", "seconds_per_rep", "rep_schemes", "source", "description", "loading", "skip"}
GUESS_FIELDS = ("pattern", "mechanic", "equipment", "knee_flexion_deg", "seconds_per_rep", "setup_s", "rep_schemes", "unilateral")


def snake(source_id: str) -> str:
    """``3_4_Sit-Up`` -> ``fedb_3_4_sit_up``."""
    return PREFIX + re.sub(r"[^a-z0-9]+", "_", source_id.lower()).strip("_")


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
                f"{'(no equipment given)' if v in (None, 'None') else v} -> " + ", ".join(f"{ids} {n}" for ids, n in m.items()) for v, m in self.equipment_values.items()
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
    from ..io import parse_text

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=str(path)) from None
    data = parse_text(text, "json", str(path))  # duplicates, depth, NaN, huge numbers: one-line errors
    if not isinstance(data, list):
        raise InputError("expected a JSON list of exercise records (free-exercise-db's exercises.json)", file=str(path))
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise InputError("expected an object", file=str(path), field=f"[{i}]")
        for key, (kinds, required) in RECORD_FIELDS.items():
            value = rec.get(key)
            if value is None and not required:
                continue
            if not isinstance(value, kinds) or (isinstance(value, list) and not all(isinstance(v, str) for v in value)):
                want = "a list of strings" if kinds is list else "a string"
                raise InputError(f"expected {want}, got {_json_kind(value)}", file=str(path), field=f"[{i}].{key}")
    return data, raw


# The fields the importer reads, their JSON types, and whether a record must have them.
RECORD_FIELDS: dict[str, tuple[type, bool]] = {
    "id": (str, True),
    "name": (str, True),
    "primaryMuscles": (list, True),
    "secondaryMuscles": (list, False),
    "instructions": (list, False),
    "equipment": (str, False),
    "category": (str, False),
    "mechanic": (str, False),
    "force": (str, False),
    "level": (str, False),
}


def _json_kind(value) -> str:
    return {bool: "true/false", int: "a number", float: "a number", str: "a string", list: "a list", dict: "an object"}.get(
        type(value), "null"
    )


def _load_overrides(path: Path | None, by_source: dict[str, str], origin: dict[str, str]) -> dict[str, dict]:
    """Overrides keyed by our id; source ids are accepted too (``origin``: our id -> the key as written)."""
    if path is None:
        return {}
    from ..io import load_document

    data = load_document(path) or {}
    if not isinstance(data, dict):
        raise InputError("expected a mapping of exercise id -> fields to replace", file=str(path))
    known = set(by_source.values())
    out: dict[str, dict] = {}
    origin.clear()
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
        origin[ours] = str(key)
    return out


def _check_override(ex: dict, fix: dict, path: Path, key: str) -> None:
    """A bad overridden value is an error naming the override file, its line and the field."""
    from ..catalogue import Exercise
    from ..io import validate, yaml_line

    try:
        validate(Exercise, ex, str(path))
    except InputError as err:
        top = re.split(r"[.\[]", err.field or "")[0]
        if top not in fix:
            raise
        text = path.read_text(encoding="utf-8") if path.suffix.lower() in (".yaml", ".yml") else None
        line = yaml_line(text, (key, top)) if text is not None else None
        raise InputError(err.message, file=str(path), field=f"{key}.{err.field}", line=line) from None


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
    equipment, why, eq_guessed = map_equipment(eq_value, name, " ".join(str(s) for s in (rec.get("instructions") or [])[:2]))
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
    unilateral = matches(UNILATERAL, name)
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
    from ..catalogue import Catalogue, derived_loading
    from ..catalogue_load import load_catalogue
    from ..io import validate

    source = Path(source)
    records, raw = _records(source)
    report = ImportReport(source=source.name, sha256=hashlib.sha256(raw).hexdigest(), records=len(records))
    by_source = {str(r["id"]): snake(str(r["id"])) for r in records}
    origin: dict[str, str] = {}
    override = _load_overrides(Path(overrides) if overrides else None, by_source, origin)
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
            _check_override(ex, fix, Path(overrides), origin[ours])
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
        files[rel] = header + dump_yaml({"exercises": by_file[rel]})
    if equipment_items:
        files["equipment.yaml"] = header + dump_yaml({"equipment": equipment_items})
    report.files = sorted(files)
    return ImportResult(files=files, report=report, exercises=[ex for _, ex in exercises])
