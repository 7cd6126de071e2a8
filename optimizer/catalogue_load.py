"""Merging catalogue folders into one :class:`~optimizer.catalogue.Catalogue`, with the
documented defaults filled in and every error located in its own file.

A catalogue folder added with ``--catalogue DIR`` extends the built-in one:

- **Groups.** A group whose id is already defined *extends* it: its muscles are added to
  the group (the first definition's name, region and function stand). A new id is a new
  group (``region`` defaults to ``other``). A muscle's ``name`` defaults to its id in
  words. A muscle id defined twice is an error naming both files.
- **Exercises.** Fields left out get the defaults in :data:`DEFAULTS` (README "Bring your
  own catalogue"); the catalogue records which ones each exercise uses
  (``Catalogue.defaults_used``), and ``programme catalogue show`` lists them.
- **Errors.** Every error names its file, its line (YAML) and the entry's id
  (``exercise cable_woodchop: activation``), never a position in the merged list; all
  of them are gathered and the first :data:`SHOWN` shown.

No ortools here; :mod:`optimizer.catalogue` calls :func:`build` on a cache miss.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from .catalogue import PRIMARY_THRESHOLD, Catalogue, Exercise, MuscleGroup, RepScheme, Equipment
from .errors import InputError, InputErrors, close_matches

SHOWN = 20  # errors shown at once; the count says how many more there are
KIND = {"groups": "group", "equipment": "equipment", "rep_schemes": "rep scheme", "exercises": "exercise"}
MODEL = {"groups": MuscleGroup, "equipment": Equipment, "rep_schemes": RepScheme, "exercises": Exercise}
COMPOUND_AT = 0.5  # default mechanic: compound when muscles of two groups or more work at this or above
KNEE_BY_PATTERN = {"squat": 100, "lunge": 90, "knee_flexion": 90, "knee_extension": 90}  # else 0
DEFAULT_SCHEMES = ("heavy", "moderate", "light")
# Field -> the default in words (README and ``catalogue show``).
DEFAULTS = {
    "equipment": "none (the exercise needs nothing; its loading derives as fixed)",
    "mechanic": f"compound when it works muscles of two groups or more at {COMPOUND_AT} or above, else isolation",
    "pattern": "other",
    "knee_flexion_deg": "by pattern: squat 100, lunge 90, knee_flexion 90, knee_extension 90, else 0",
    "setup_s": "30 s with equipment, 10 s without",
    "seconds_per_rep": "3 s",
    "rep_schemes": "heavy, moderate and light (those the catalogue has)",
}


class _Errors:
    """Gathers located errors; lines are looked up only for those shown."""

    def __init__(self) -> None:
        self.found: list[tuple[Path, str | None, tuple, str, str]] = []  # file, text, loc, field, message

    def add(self, path: Path, text: str | None, loc: tuple, field: str | None, message: str) -> None:
        self.found.append((path, text, loc, field, message))

    def raise_if_any(self) -> None:
        if not self.found:
            return
        from .io import yaml_line

        errors = []
        for i, (path, text, loc, field, message) in enumerate(self.found):
            line = None
            if i < SHOWN and text is not None and path.suffix.lower() in (".yaml", ".yml"):
                line = yaml_line(text, loc)
            errors.append(InputError(message, file=str(path), field=field, line=line))
        raise InputErrors(errors, SHOWN)


def _words(loc: tuple) -> str:
    from .io import field_path

    return field_path(loc)


def build(folders: list[Path], sources: list[tuple[int, str, Path, bytes]]) -> Catalogue:
    """The merged, validated catalogue of ``sources`` (see the module docstring)."""
    from .io import decode, error_parts, validate

    errors = _Errors()
    merged: dict[str, list] = {"groups": [], "equipment": [], "rep_schemes": [], "exercises": []}
    effectiveness = None
    origin: dict[tuple[str, str], tuple[Path, str | None, int]] = {}  # (key, id) -> where it is defined
    muscle_at: dict[str, tuple[Path, str]] = {}  # muscle id -> (file, group)
    texts: dict[Path, str] = {}
    for _, key, path, raw in sources:
        text = texts[path] = decode(raw, path)
        if key == "effectiveness":  # a later folder's table replaces an earlier one's
            effectiveness = _read_part(path, key, raw, dict)
            continue
        for i, item in enumerate(_read_part(path, key, raw)):
            item_id = item.get("id") if isinstance(item, dict) else None
            if not isinstance(item_id, str):
                got = "" if item_id is None else f", got {type(item_id).__name__}"
                errors.add(path, text, (key, i), f"{key}[{i}].id", f"each entry needs an id (a string{got})")
                continue
            where = f"{KIND[key]} {item_id}"
            if key == "groups" and ("groups", item_id) in origin:
                _extend_group(merged, origin, muscle_at, errors, path, text, i, item)
                continue
            if (key, item_id) in origin:
                errors.add(path, text, (key, i, "id"), where, f"id {item_id!r} is already defined in {origin[(key, item_id)][0]}")
                continue
            origin[(key, item_id)] = (path, text, i)
            if key == "groups":
                item = dict(item)
                item["muscles"] = _new_muscles(item, item_id, muscle_at, errors, path, text, i)
            merged[key].append(item)
    groups = {g["id"] for g in merged["groups"]}
    for m, (path, group) in muscle_at.items():
        if m in groups:
            gpath = origin[("groups", m)][0]
            errors.add(path, texts.get(path), (), f"muscle {m}", f"id {m!r} is a group too (defined in {gpath})")

    # Entries one by one: errors carry the entry's own file, line and id.
    group_of = {m: g for m, (_, g) in muscle_at.items()}
    scheme_ids = [r.get("id") for r in merged["rep_schemes"]]
    defaults_used: dict[str, list[str]] = {}
    checked: dict[str, list] = {k: [] for k in merged}
    for key, items in merged.items():
        for item in items:
            path, text, i = origin[(key, item["id"])]
            if key == "exercises" and isinstance(item, dict):
                item, used = fill_defaults(item, group_of, scheme_ids)
                if used:
                    defaults_used[item["id"]] = used
            try:
                checked[key].append(MODEL[key].model_validate(item))
            except ValidationError as exc:
                for err in exc.errors(include_url=False):
                    loc, msg = error_parts(err)
                    errors.add(path, text, (key, i) + loc, f"{KIND[key]} {item['id']}" + (f": {_words(loc)}" if loc else ""), msg)
    _references(checked, origin, errors)
    errors.raise_if_any()
    data: dict = {k: [m.model_dump() for m in v] for k, v in checked.items()}
    if effectiveness is not None:
        data["effectiveness"] = effectiveness
    data["defaults_used"] = defaults_used
    return validate(Catalogue, data, " + ".join(str(f) for f in folders))


def _new_muscles(item, group_id, muscle_at, errors, path, text, i) -> list:
    """The muscles of a group entry, names defaulted, each id checked against every file so far."""
    muscles = item.get("muscles")
    if not isinstance(muscles, list):
        return muscles  # the schema says what is wrong
    out = []
    for j, m in enumerate(muscles):
        if isinstance(m, dict) and isinstance(m.get("id"), str):
            if m["id"] in muscle_at:
                first, group = muscle_at[m["id"]]
                errors.add(
                    path, text, ("groups", i, "muscles", j, "id"), f"group {group_id}: muscle {m['id']}",
                    f"muscle id {m['id']!r} is already defined in {first} (group {group})",
                )
                continue
            muscle_at[m["id"]] = (path, group_id)
            if "name" not in m:
                m = {**m, "name": m["id"].replace("_", " ").capitalize()}
        out.append(m)
    return out


def _extend_group(merged, origin, muscle_at, errors, path, text, i, item) -> None:
    """A group already defined: its muscles are added to the first definition."""
    group_id = item["id"]
    first = next(g for g in merged["groups"] if g.get("id") == group_id)
    extra = _new_muscles(item, group_id, muscle_at, errors, path, text, i)
    if not isinstance(extra, list):
        errors.add(path, text, ("groups", i, "muscles"), f"group {group_id}: muscles", "expected a list of muscles")
        return
    first["muscles"] = list(first.get("muscles") or []) + extra


def fill_defaults(item: dict, group_of: dict[str, str], scheme_ids: list) -> tuple[dict, list[str]]:
    """``item`` with the documented defaults (:data:`DEFAULTS`) for the fields it leaves out,
    and the names of those fields."""
    out = dict(item)
    used = []

    def default(field: str, value) -> None:
        if field not in out:
            out[field] = value
            used.append(field)

    default("equipment", [])
    act = out.get("activation") if isinstance(out.get("activation"), dict) else {}
    worked = {group_of.get(m) for m, a in act.items() if isinstance(a, (int, float)) and a >= COMPOUND_AT}
    default("mechanic", "compound" if len(worked - {None}) >= 2 else "isolation")
    default("pattern", "other")
    pattern = out["pattern"] if isinstance(out["pattern"], str) else "other"
    default("knee_flexion_deg", KNEE_BY_PATTERN.get(pattern, 0))
    default("setup_s", 30 if out["equipment"] else 10)
    default("seconds_per_rep", 3)
    default("rep_schemes", [s for s in DEFAULT_SCHEMES if s in scheme_ids])
    return out, used


def _references(checked: dict[str, list], origin, errors: _Errors) -> None:
    """Ids an exercise names that no file defines, each at the exercise's own file and line."""
    muscles = {m.id for g in checked["groups"] for m in g.muscles}
    equipment = {e.id for e in checked["equipment"]}
    schemes = {r.id: r for r in checked["rep_schemes"]}
    exercises = {e.id for e in checked["exercises"]}
    for ex in checked["exercises"]:
        path, text, i = origin[("exercises", ex.id)]

        def bad(field: tuple, message: str) -> None:
            errors.add(path, text, ("exercises", i) + field, f"exercise {ex.id}: {_words(field)}", message)

        for m in ex.activation:
            if m not in muscles:
                bad(("activation", m), f"unknown muscle {m!r}{close_matches(m, muscles)}")
        for e in sorted(ex.equipment_ids()):
            if e not in equipment:
                bad(("equipment",), f"unknown equipment {e!r}{close_matches(e, equipment)}")
        for r in ex.rep_schemes:
            if r not in schemes:
                bad(("rep_schemes",), f"unknown rep scheme {r!r}{close_matches(r, schemes)}")
        if ex.variant_of is not None and ex.variant_of not in exercises:
            bad(("variant_of",), f"names unknown exercise {ex.variant_of!r}{close_matches(ex.variant_of, exercises)}")
        if len({schemes[r].volume for r in ex.rep_schemes if r in schemes}) > 1:
            bad(("rep_schemes",), "mixes volume and non-volume rep schemes; give one kind")


# Loading ---------------------------------------------------------------------------


def _read_part(path: Path, key: str, raw: bytes, kind: type = list):
    """The ``key`` section of one catalogue file: a list of entries, or (effectiveness.yaml)
    a table; an empty file is an empty list."""
    from .io import decode, document_kind, parse_text

    data = parse_text(decode(raw, path), document_kind(path), str(path))
    if data is None and kind is list:
        return []
    if not isinstance(data, dict) or not isinstance(data.get(key), kind):
        what = "a list" if kind is list else "a table"
        raise InputError(f"expected a mapping with {what} under {key!r}", file=str(path))
    return data[key]


def catalogue_sources(folder: Path) -> list[tuple[str, Path]]:
    """The files a catalogue folder is made of, in load order, each with the key it fills."""
    if not folder.is_dir():
        raise InputError("catalogue folder not found", file=str(folder))
    sources = [
        (key, f)
        for key, files in (
            ("groups", [folder / "muscles.yaml"]),
            ("equipment", [folder / "equipment.yaml"]),
            ("rep_schemes", [folder / "rep_schemes.yaml"]),
            ("exercises", sorted((folder / "exercises").glob("*.y*ml")) + sorted(folder.glob("exercises.y*ml"))),
            ("effectiveness", [folder / "effectiveness.yaml"]),
        )
        for f in files
        if f.is_file()
    ]
    if not sources:
        raise InputError(
            "no catalogue files found (expected muscles.yaml, equipment.yaml, rep_schemes.yaml or exercises/*.yaml)",
            file=str(folder),
        )
    return sources


def load_catalogue(extra: list[Path | str] | None = None, builtin: bool = True) -> Catalogue:
    """Load the built-in catalogue, merged with any extra catalogue folders.

    A later folder may add muscles to a group, new groups, and exercises with documented
    defaults (below); other ids must be unique across all
    folders: a clash is an error naming both files. The
    validated result is cached on disk, keyed by the files' content
    (:mod:`optimizer.catalogue_cache`): an unchanged catalogue loads without parsing.
    """
    from .catalogue_cache import load_cached
    from .io import read_bytes
    from .paths import builtin_catalogue_dir

    folders = ([builtin_catalogue_dir()] if builtin else []) + [Path(p) for p in (extra or [])]
    # Each file is read once: the cache key and, on a miss, the parse use the same bytes.
    sources = [(i, key, path, read_bytes(path)) for i, folder in enumerate(folders) for key, path in catalogue_sources(folder)]
    keyed = [(i, path.relative_to(folders[i]).as_posix(), raw) for i, _, path, raw in sources]
    here = Path(__file__)  # both modules' source is part of the key: the schema and the defaults
    return load_cached(Catalogue, keyed, lambda: _build(folders, sources), [here.with_name("catalogue.py"), here])


def _build(folders: list[Path], sources: list[tuple[int, str, Path, bytes]]) -> Catalogue:
    """Merge and validate (a cache miss): :func:`build`."""
    return build(folders, sources)
