"""The published JSON Schemas: scenario files, and the JSON a solve writes (a week or a programme).

Built from the pydantic models (their field descriptions included) and the built-in
catalogue: every field that takes an id gets an ``enum`` of the known ids, so an editor
flags ``hamstring`` or ``leg_curl`` as you type. The repository keeps the result in
``schemas/*.json`` (a standard wheel carries them as ``optimizer/_schemas``); regenerate
them after changing a model or the built-in catalogue with::

    programme schema --write schemas/

(``tests/test_schemas.py`` fails while they are out of date). The example scenarios point
at them with a first line ``# yaml-language-server: $schema=../schemas/scenario.json``,
which the YAML language server (VS Code's YAML extension and others) reads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

KINDS = ("scenario", "plan", "programme")
DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_LINE = "# yaml-language-server: $schema="


def schema_id(kind: str) -> str:
    """A stable name for the schema (a URN: it names the schema, it is not fetched)."""
    return f"urn:programme-optimiser:schema:{kind}"


def _model(kind: str):
    if kind == "scenario":
        from .scenario import Scenario

        return Scenario
    if kind == "programme":
        from .programme_result import ProgrammeResult

        return ProgrammeResult
    if kind == "plan":
        from .result import SolveResult

        return SolveResult
    raise ValueError(f"unknown schema kind {kind!r}, expected one of {', '.join(KINDS)}")


_TITLES = {
    "scenario": "A scenario file of programme-optimiser: what a week (or a programme) must hold",
    "plan": "The JSON of 'programme solve --format json' for one week",
    "programme": "The JSON of 'programme solve --format json' for a multi-week programme",
}

# (definition, property) -> (where in the property's schema, kind of id). Where: "" the
# value itself, "items" a list's items, "items.items" a list of lists, "keys" an object's
# keys, "values.items" the lists an object maps to.
_ID_FIELDS: dict[str, list[tuple[str, str, str, str]]] = {
    "scenario": [
        ("", "equipment", "items", "equipment"),
        ("", "required", "items", "exercise"),
        ("", "targets", "keys", "unit"),
        ("", "balance", "keys", "ratio"),
        ("", "equipment_profiles", "values.items", "equipment"),
        ("Athlete", "exclude", "items", "exercise"),
        ("Athlete", "prefer", "items", "exercise"),
        ("Athlete", "avoid", "items", "exercise"),
        ("Pin", "exercise", "", "exercise"),
        ("Pin", "scheme", "", "scheme"),
        ("Rules", "pairing", "keys", "group"),
        ("Rules", "rep_schemes", "items", "scheme"),
        ("Day", "upper_body", "keys", "unit"),
        ("Ramp", "sets_per_week", "keys", "unit"),
        ("SchemeProgression", "weeks", "items.items", "scheme"),
    ],
    "plan": [("PlannedExercise", "exercise", "", "exercise"), ("PlannedExercise", "scheme", "", "scheme")],
    "programme": [("PlannedExercise", "exercise", "", "exercise"), ("PlannedExercise", "scheme", "", "scheme")],
}


def catalogue_ids(catalogue) -> dict[str, list[str]]:
    """The ids each kind of field takes, sorted."""
    groups = sorted(catalogue.group_by_id)
    return {
        "equipment": sorted(catalogue.equipment_by_id),
        "exercise": sorted(catalogue.exercise_by_id),
        "scheme": sorted(catalogue.scheme_by_id),
        "group": groups,
        "unit": sorted(catalogue.unit_ids()),
        "ratio": [f"{a}_to_{b}" for a in groups for b in groups if a != b],
    }


def build_schema(kind: str, catalogue=None) -> dict[str, Any]:
    """The published schema of ``kind``, with the ids of ``catalogue`` (default: the built-in one)."""
    if catalogue is None:
        from .catalogue_load import load_catalogue

        catalogue = load_catalogue()
    schema = _model(kind).model_json_schema()
    ids = catalogue_ids(catalogue)
    used: set[str] = set()
    for definition, prop, where, id_kind in _ID_FIELDS[kind]:
        owner = schema if not definition else schema["$defs"][definition]
        _constrain(owner["properties"][prop], where.split(".") if where else [], f"#/$defs/{_ID_DEFS[id_kind][0]}")
        used.add(id_kind)
    for id_kind in sorted(used):
        name, what = _ID_DEFS[id_kind]
        schema["$defs"][name] = {"description": what, "enum": ids[id_kind], "type": "string"}
    schema["$defs"] = dict(sorted(schema["$defs"].items()))
    return {"$schema": DIALECT, "$id": schema_id(kind), "title": schema.pop("title"), "description": _TITLES[kind], **schema}


_ID_DEFS = {
    "equipment": ("EquipmentId", "An equipment id of the built-in catalogue (programme catalogue equipment)."),
    "exercise": ("ExerciseId", "An exercise id of the built-in catalogue (programme catalogue list)."),
    "scheme": ("RepSchemeId", "A rep scheme id of the built-in catalogue."),
    "group": ("GroupId", "A muscle group id of the built-in catalogue (programme catalogue muscles)."),
    "unit": ("MuscleOrGroupId", "A muscle group or muscle id of the built-in catalogue (programme catalogue muscles)."),
    "ratio": ("BalanceRatio", "'<group>_to_<group>': the ratio of two groups' weekly sets."),
}


def _constrain(node: dict, steps: list[str], ref: str) -> None:
    """Point what ``steps`` lead to in ``node`` at ``ref``, in every branch of a union that can hold it."""
    if "anyOf" in node:
        for branch in node["anyOf"]:
            if _fits(branch, steps):
                _constrain(branch, steps, ref)
        return
    if not steps:
        node["$ref"] = ref
    elif steps[0] == "items":
        _constrain(node["items"], steps[1:], ref)
    elif steps[0] == "keys":
        node["propertyNames"] = {"$ref": ref}
    elif steps[0] == "values":
        _constrain(node["additionalProperties"], steps[1:], ref)


def _fits(branch: dict, steps: list[str]) -> bool:
    want = {"items": "array", "keys": "object", "values": "object"}.get(steps[0], "") if steps else "string"
    return branch.get("type") == want or "anyOf" in branch


def dumps(schema: dict) -> str:
    """The file's text: two-space JSON, a final newline (what ``programme schema`` prints)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def published_dir() -> Path | None:
    """schemas/ in a checkout, optimizer/_schemas in a wheel."""
    from .paths import schemas_dir

    return schemas_dir()


def write_schemas(folder: Path, kinds=KINDS, catalogue=None) -> list[Path]:
    """Write ``<kind>.json`` for each kind into ``folder`` (each file whole or not at all)."""
    from .io import write_atomic

    written = []
    for kind in kinds:
        path = Path(folder) / f"{kind}.json"
        write_atomic(path, dumps(build_schema(kind, catalogue)), force=True)
        written.append(path)
    return written
