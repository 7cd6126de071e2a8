"""Solver presets: named sets of solver parameters kept in TOML files.

A preset file (``benchmarks/presets/NAME.toml``)::

    description = "8 workers: extra first-solution strategies start at 5"
    backend = "cp-sat"            # or "highs" (the MILP cross-check); default cp-sat

    [parameters]                  # any CP-SAT SatParameters field, by its real name
    num_workers = 8
    linearization_level = 2
    search_branching = "FIXED_SEARCH"   # enums by name

Every key is checked against the real ``SatParameters`` fields (name and value type)
when the preset is loaded, before anything runs: a typo is an :class:`InputError` with
close matches, never a crash in the middle of a bench.

Three parameters overlap the solver's own settings and are not passed through blindly:
``max_time_in_seconds``, ``num_workers`` and ``random_seed`` become the solve's time
limit, workers and seed (see :meth:`Preset.settings`), because the encoding runs several
solves per plan and sets these per solve (e.g. one worker for the canonical solve).
Explicit ``--time-limit/--workers/--seed`` beat the preset; the preset beats the
scenario's ``solver`` section. ``log_search_progress`` belongs to ``--log``.

This module never imports ortools itself; validation reads the field list that
:mod:`optimizer.encoding.parameters` takes from the ``SatParameters`` descriptor.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError, close_matches
from .limits import SEED_MAX, TIME_LIMIT_MAX_S, WORKERS_MAX

BACKENDS = ("cp-sat", "highs")
# SatParameters fields the solve sets itself, mapped to SolveParams / solve() arguments.
OWN = {"max_time_in_seconds": "time_limit_s", "num_workers": "workers", "random_seed": "seed"}
FORBIDDEN = {
    "log_search_progress": "use --log",
    "log_to_stdout": "use --log",
    "num_search_workers": "deprecated alias: use num_workers",
    "enumerate_all_solutions": "the solve relies on improving solutions only",
    "stop_after_first_solution": "the solve would report unproven stages as optimal",
    "fill_tightened_domains_in_response": "not used by the solve",
}
# HiGHS options the cross-check backend understands (see optimizer.encoding.highs).
HIGHS_KEYS = {"mip_rel_gap": float, "mip_abs_gap": float, "presolve": bool, "time_limit": float, "random_seed": int}
# HiGHS' own ranges for them (its option table); the time limit is this tool's.
HIGHS_RANGES = {"mip_rel_gap": (0, 1), "mip_abs_gap": (0, 10**12), "time_limit": (0.001, TIME_LIMIT_MAX_S), "random_seed": (0, SEED_MAX)}


@dataclass(frozen=True)
class Preset:
    name: str
    parameters: dict = field(default_factory=dict)
    description: str = ""
    backend: str = "cp-sat"
    source: str = ""

    def settings(self) -> tuple[dict, dict]:
        """(own settings {time_limit_s, workers, seed} found in the preset, the other parameters)."""
        own, extra = {}, {}
        for key, value in self.parameters.items():
            if self.backend == "cp-sat" and key in OWN:
                own[OWN[key]] = value
            elif self.backend == "highs" and key in ("time_limit", "random_seed"):
                own[{"time_limit": "time_limit_s", "random_seed": "seed"}[key]] = value
            else:
                extra[key] = value
        return own, extra

    @property
    def digest(self) -> str:
        """A short hash of what the preset makes the solver do (resumed benches compare it)."""
        blob = json.dumps({"backend": self.backend, "parameters": self.parameters}, sort_keys=True)
        return hashlib.sha256(blob.encode()).hexdigest()[:12]


def presets_dir() -> Path | None:
    """benchmarks/presets in a source checkout, optimizer/_presets in an installed wheel."""
    from .paths import presets_dir as folder

    return folder()


def available() -> list[str]:
    folder = presets_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder else []


def resolve(name_or_path: str | Path) -> Path:
    """A preset file, or the name of one in benchmarks/presets/."""
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.exists():
        return path
    folder = presets_dir()
    if folder is not None and "/" not in str(name_or_path):
        candidate = folder / f"{name_or_path}.toml"
        if candidate.is_file():
            return candidate
    hint = close_matches(str(name_or_path), available())
    raise InputError(f"preset not found (a .toml file or one of: {', '.join(available()) or 'none'}){hint}", file=str(name_or_path))


def load_preset(name_or_path: str | Path) -> Preset:
    """Load and validate a preset; every problem is an InputError naming the file and key."""
    from .io import load_document

    path = resolve(name_or_path)
    data = load_document(path)
    name = str(path)
    if not isinstance(data, dict):
        raise InputError("expected a TOML table", file=name)
    unknown = set(data) - {"description", "backend", "parameters"}
    for key in sorted(unknown):
        hint = close_matches(key, ["description", "backend", "parameters"])
        raise InputError(f"unknown key (put solver parameters under [parameters]){hint}", file=name, field=key)
    backend = data.get("backend", "cp-sat")
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}, expected one of {', '.join(BACKENDS)}", file=name, field="backend")
    params = data.get("parameters", {})
    if not isinstance(params, dict):
        raise InputError("expected a table of parameter = value", file=name, field="parameters")
    if backend == "cp-sat":
        params = validate_sat_parameters(params, name)
    else:
        params = _validate_highs(params, name)
    return Preset(path.stem, params, str(data.get("description", "")), backend, name)


def _kind(value) -> str:
    return type(value).__name__


def validate_sat_parameters(params: dict, file: str | None = None) -> dict:
    """Check names and value types against SatParameters; enums are kept by name (numbers become names).

    Returns a new dict ready for ``setattr`` on ``CpSolver.parameters`` (lists for repeated
    fields). Raises InputError with close matches for an unknown name. The field list comes
    from :mod:`optimizer.encoding.parameters`, the one reader of ortools' descriptor.
    """
    from .encoding.parameters import parameter_fields

    fields = parameter_fields()
    out = {}
    for key, value in params.items():
        where = f"parameters.{key}"
        if key not in fields:
            raise InputError(f"not a CP-SAT parameter{close_matches(key, fields)}", file=file, field=where)
        if key in FORBIDDEN:
            raise InputError(f"not allowed in a preset: {FORBIDDEN[key]}", file=file, field=where)
        f = fields[key]
        if f.repeated and not isinstance(value, list):
            raise InputError(f"expected a list, got {_kind(value)}", file=file, field=where)
        values = value if f.repeated else [value]
        checked = [_check_value(f, v, file, where) for v in values]
        out[key] = checked if f.repeated else checked[0]
    return out


def _check_value(f, v, file, where):
    if f.kind == "bool":
        if not isinstance(v, bool):
            raise InputError(f"expected true or false, got {v!r}", file=file, field=where)
        return v
    if f.kind == "int":
        if isinstance(v, bool) or not isinstance(v, int):
            raise InputError(f"expected an integer, got {v!r}", file=file, field=where)
        lo = 0 if f.unsigned else -(2 ** (f.bits - 1))
        hi = 2**f.bits - 1 if f.unsigned else 2 ** (f.bits - 1) - 1
        if not lo <= v <= hi:
            raise InputError(f"{v} is out of range for a {f.bits}-bit integer", file=file, field=where)
        if f.name == "num_workers" and v < 1:
            raise InputError("expected at least 1 (0 would use every core: not reproducible)", file=file, field=where)
        if f.name == "num_workers" and v > WORKERS_MAX:
            raise InputError(f"expected at most {WORKERS_MAX} workers, got {v}", file=file, field=where)
        return v
    if f.kind == "float":
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise InputError(f"expected a number, got {v!r}", file=file, field=where)
        if f.name == "max_time_in_seconds" and not 0 < v <= TIME_LIMIT_MAX_S:
            raise InputError(f"expected a positive number of seconds, at most {TIME_LIMIT_MAX_S:g}", file=file, field=where)
        return float(v)
    if f.kind == "enum":
        names = f.enum
        if isinstance(v, str) and v in names:
            return v
        if isinstance(v, int) and not isinstance(v, bool) and v in names.values():
            return next(n for n, i in names.items() if i == v)  # kept by name: readable in results
        raise InputError(f"expected one of {', '.join(names)}, got {v!r}{close_matches(str(v), names)}", file=file, field=where)
    if f.kind == "string":
        if not isinstance(v, str):
            raise InputError(f"expected a string, got {v!r}", file=file, field=where)
        return v
    raise InputError("parameters of this type are not supported in presets", file=file, field=where)


def _validate_highs(params: dict, file: str) -> dict:
    out = {}
    for key, value in params.items():
        where = f"parameters.{key}"
        if key not in HIGHS_KEYS:
            raise InputError(f"not a supported HiGHS option{close_matches(key, HIGHS_KEYS)} (supported: {', '.join(HIGHS_KEYS)})", file=file, field=where)
        want = HIGHS_KEYS[key]
        ok = isinstance(value, bool) if want is bool else (not isinstance(value, bool) and isinstance(value, (int, float) if want is float else int))
        if not ok:
            raise InputError(f"expected {want.__name__}, got {value!r}", file=file, field=where)
        lo, hi = HIGHS_RANGES.get(key, (None, None))
        if lo is not None and not lo <= value <= hi:
            raise InputError(f"expected {lo}..{hi}, got {value!r}", file=file, field=where)
        out[key] = want(value)
    return out


def solve_settings(preset: Preset | None, time_limit_s=None, workers=None, seed=None) -> dict:
    """solve() keyword arguments from a preset and explicit overrides (explicit ones win).

    Arguments left None fall to the preset, then (inside solve) to the scenario.
    """
    if preset is None:
        return {"time_limit_s": time_limit_s, "workers": workers, "seed": seed, "extra_params": None}
    own, extra = preset.settings()
    out = {
        "time_limit_s": time_limit_s if time_limit_s is not None else own.get("time_limit_s"),
        "workers": workers if workers is not None else own.get("workers"),
        "seed": seed if seed is not None else own.get("seed"),
        "extra_params": extra,
    }
    if preset.backend != "cp-sat":
        out["backend"] = preset.backend
    return out
