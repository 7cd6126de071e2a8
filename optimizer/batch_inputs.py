"""What ``programme batch`` solves: athletes from scenario files, folders of them, or a
template scenario plus a table (CSV, or Parquet with pyarrow) of per-athlete overrides.

A bad file or row becomes an :class:`Athlete` with an ``error`` (one line naming the file,
the line, the field and what was expected) and the rest go on; a missing input, a table
without its template or an unknown column stops the command (exit 1) before anything runs.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .errors import InputError, close_matches
from .io import SUFFIXES
from .scenario import WEEKDAYS, Scenario

TABLES = (".csv", ".parquet")
ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")  # becomes a file name: plans/<id>.json
COLUMNS = {
    "id": "the athlete's id (letters, digits, . _ -), unique",
    "name": "the plan's name",
    "days": "training weekdays, e.g. mon,wed,fri",
    "minutes": "minutes per day: one number for every day, or one per day",
    "equipment": "equipment ids, e.g. bodyweight,dumbbell",
    "level": "beginner, intermediate or advanced",
    "max_knee_flexion_deg": "the knee limit in degrees",
    "exclude": "exercise ids never to use",
    "target_scale": "every target's min, max and point times this factor",
    "goal": "best_training or least_time",
}


@dataclass(frozen=True)
class Athlete:
    """One plan to make: its id, where it came from (``file`` or ``file:line``), and either
    the resolved scenario or the one-line error that stopped it."""

    id: str
    source: str
    scenario: Scenario | None = None
    error: str | None = None


def scenario_digest(scenario: Scenario, catalogue_digest: str, settings: dict) -> str:
    """The key a result is stored under: the resolved scenario, the catalogue, the settings."""
    text = json.dumps([scenario.model_dump(mode="json"), catalogue_digest, settings], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def catalogue_digest(catalogue: Catalogue) -> str:
    """The catalogue's content (every folder merged), not its paths."""
    return hashlib.sha256(catalogue.model_dump_json().encode()).hexdigest()[:16]


def collect(inputs: Sequence[Path | str], catalogue: Catalogue) -> list[Athlete]:
    """Every athlete the inputs describe, in order; ids unique (a repeat is a bad row)."""
    paths = [Path(p) for p in inputs]
    for p in paths:
        if not p.exists():
            raise InputError("file not found", file=str(p))
    tables = [p for p in paths if p.is_file() and p.suffix.lower() in TABLES]
    others = [p for p in paths if p not in tables]
    if tables:
        if len(others) != 1 or not others[0].is_file():
            raise InputError(
                "a table of athletes needs exactly one template scenario file beside it", file=str(tables[0])
            )
        template = _load(others[0])
        if template.error is not None:
            raise InputError(f"the template does not load: {template.error}", file=str(others[0]))
        athletes = [a for t in tables for a in from_table(template.scenario, t, catalogue)]
    else:
        athletes = [_load(f) for p in paths for f in _scenario_files(p)]
    seen: dict[str, str] = {}
    out = []
    for a in athletes:
        if a.error is None and a.id in seen:
            a = Athlete(a.id, a.source, error=f"{a.source}: id: {a.id!r} is already used by {seen[a.id]}")
        seen.setdefault(a.id, a.source)
        out.append(a)
    return out


def _scenario_files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    files = sorted(f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
    if not files:
        raise InputError("no scenario files (.yaml, .yml, .toml, .json) in this folder", file=str(path))
    return files


def _load(path: Path) -> Athlete:
    from .scenario import load_scenario

    try:
        return Athlete(path.stem, str(path), load_scenario(path))
    except InputError as exc:
        return Athlete(path.stem, str(path), error=str(exc))


# Tables -----------------------------------------------------------------------------


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) of a CSV (line in the file) or a Parquet table (row number, from 1)."""
    if path.suffix.lower() == ".parquet":
        try:
            import pyarrow  # noqa: F401 - pandas' Parquet engine
        except ImportError:
            raise InputError(
                "reading Parquet needs pyarrow: pip install 'programme-optimiser[parquet]', or give a CSV", file=str(path)
            ) from None
        try:
            import pandas as pd

            df = pd.read_parquet(path)
        except Exception as exc:  # noqa: BLE001 - any reader failure is a bad file
            raise InputError(f"not a readable Parquet file ({exc})", file=str(path)) from None
        _check_columns(path, [str(c) for c in df.columns])
        for i, rec in enumerate(df.to_dict("records"), start=1):
            yield i, {str(k): _parquet_cell(v) for k, v in rec.items()}
        return
    from .io import read_text

    reader = csv.DictReader(read_text(path).splitlines(keepends=True))
    _check_columns(path, reader.fieldnames or [])
    line = 1
    for rec in reader:
        line = reader.line_num
        yield line, {k: (v or "").strip() for k, v in rec.items() if k is not None}


def _parquet_cell(value) -> str:
    """A Parquet cell as the text a CSV cell would hold: a list (list<string> equipment) joined
    by commas, a whole float without its .0, a null empty."""
    if isinstance(value, (list, tuple)) or type(value).__name__ == "ndarray":
        return ",".join(_parquet_cell(v) for v in value)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return "" if text in ("nan", "None", "<NA>", "NaT") else text


def _check_columns(path: Path, names: list[str]) -> None:
    if "id" not in names:
        raise InputError("no 'id' column (one row per athlete, each with an id)", file=str(path), line=1)
    for name in names:
        if name not in COLUMNS:
            raise InputError(
                f"unknown column {name!r}{close_matches(name, COLUMNS)}, expected: {', '.join(COLUMNS)}",
                file=str(path),
                line=1,
                field=name,
            )


def from_table(template: Scenario, path: Path, catalogue: Catalogue) -> list[Athlete]:
    """One athlete per row: the template with the row's overrides (an empty cell keeps the
    template's value)."""
    from .io import validate

    out = []
    for line, row in _rows(path):
        where = f"{path}:{line}"
        athlete_id = row.get("id", "")
        try:
            if not ID.match(athlete_id):
                raise InputError(
                    f"expected an id of letters, digits, '.', '_' or '-', got {athlete_id!r}", file=str(path), line=line, field="id"
                )
            data = apply_overrides(template.model_dump(mode="json", exclude_unset=True), row, catalogue, str(path), line)
            scenario = validate(Scenario, data, where)
        except InputError as exc:
            out.append(Athlete(athlete_id or f"line{line}", where, error=str(exc)))
            continue
        out.append(Athlete(athlete_id, where, scenario))
    return out


def _split(text: str) -> list[str]:
    return [p for p in re.split(r"[,;\s]+", text) if p]


def apply_overrides(data: dict, row: dict[str, str], catalogue: Catalogue, file: str, line: int) -> dict:
    """The template's data with one row's overrides; bad cells raise a one-line InputError."""

    def bad(field: str, message: str) -> InputError:
        return InputError(message, file=file, line=line, field=field)

    data = json.loads(json.dumps(data))  # a deep copy the row may change
    if row.get("name"):
        data["name"] = row["name"]
    else:
        data["name"] = f"{data.get('name', 'plan')} ({row['id']})"
    if row.get("days"):
        names = [d.lower() for d in _split(row["days"])]
        for d in names:
            if d not in WEEKDAYS:
                raise bad("days", f"unknown weekday {d!r}{close_matches(d, WEEKDAYS)}, expected some of {', '.join(WEEKDAYS)}")
        if len(set(names)) != len(names):
            raise bad("days", "a weekday is given twice")
        old = {d["day"]: d for d in data["days"]}
        first = data["days"][0]
        data["days"] = [old.get(d, {"day": d, "minutes": first["minutes"]}) for d in sorted(names, key=WEEKDAYS.index)]
    if row.get("minutes"):
        try:
            minutes = [int(float(m)) for m in _split(row["minutes"])]
        except ValueError:
            raise bad("minutes", f"expected whole minutes (one number, or one per day), got {row['minutes']!r}") from None
        if len(minutes) == 1:
            minutes *= len(data["days"])
        if len(minutes) != len(data["days"]):
            raise bad("minutes", f"{len(minutes)} values for {len(data['days'])} days: give one, or one per day")
        data["days"] = [{**d, "minutes": m} for d, m in zip(data["days"], minutes)]
    if row.get("equipment"):
        items = _split(row["equipment"])
        for e in items:
            if e not in catalogue.equipment_by_id:
                raise bad("equipment", f"unknown equipment {e!r}{close_matches(e, catalogue.equipment_by_id)}")
        data["equipment"] = items
    if row.get("goal"):
        data["goal"] = row["goal"]
    athlete = data.setdefault("athlete", {})
    if row.get("level"):
        athlete["level"] = row["level"].lower()
    if row.get("max_knee_flexion_deg"):
        try:
            athlete["max_knee_flexion_deg"] = int(float(row["max_knee_flexion_deg"]))
        except ValueError:
            raise bad("max_knee_flexion_deg", f"expected degrees (a number), got {row['max_knee_flexion_deg']!r}") from None
    if row.get("exclude"):
        athlete["exclude"] = _split(row["exclude"])
    if row.get("target_scale"):
        try:
            scale = float(row["target_scale"])
        except ValueError:
            scale = -1.0
        if not scale > 0:
            raise bad("target_scale", f"expected a factor above 0, e.g. 0.8, got {row['target_scale']!r}")
        for target in data.get("targets", {}).values():
            for bound in ("min", "max", "point"):
                if target.get(bound) is not None:
                    target[bound] = round(target[bound] * scale, 2)
    return data
