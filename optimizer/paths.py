"""Where the built-in data lives, in a source checkout and in an installed wheel.

A standard wheel carries copies (``hatch_build.py``): catalogue/ as optimizer/_catalogue,
scenarios/ as optimizer/_scenarios, benchmarks/presets/ as optimizer/_presets and
benchmarks/instances/ as optimizer/_instances, schemas/ as optimizer/_schemas. A checkout (editable install) reads them in place.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".toml", ".json")


def builtin_catalogue_dir() -> Path:
    """The packaged catalogue: optimizer/_catalogue in a wheel, ../catalogue in a checkout."""
    bundled = _PACKAGE / "_catalogue"
    if bundled.is_dir():
        return bundled
    checkout = _PACKAGE.parent / "catalogue"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(
        "the built-in catalogue is missing: expected optimizer/_catalogue (wheel) or "
        "catalogue/ beside the package (source checkout)"
    )


def repo_root() -> Path | None:
    """The source checkout's root, when running from one (scenarios/ and benchmarks/ live there)."""
    root = _PACKAGE.parent
    return root if (root / "scenarios").is_dir() else None


def _first_dir(*folders: Path) -> Path | None:
    return next((f for f in folders if f.is_dir()), None)


def examples_dir() -> Path | None:
    """The example scenarios: optimizer/_scenarios in a wheel, ../scenarios in a checkout."""
    return _first_dir(_PACKAGE / "_scenarios", _PACKAGE.parent / "scenarios")


def presets_dir() -> Path | None:
    """Solver presets: optimizer/_presets in a wheel, ../benchmarks/presets in a checkout."""
    return _first_dir(_PACKAGE / "_presets", _PACKAGE.parent / "benchmarks" / "presets")


def instances_dir() -> Path | None:
    """The benchmark instance suite: optimizer/_instances in a wheel, ../benchmarks/instances in a checkout."""
    return _first_dir(_PACKAGE / "_instances", _PACKAGE.parent / "benchmarks" / "instances")


def schemas_dir() -> Path | None:
    """The published JSON Schemas: optimizer/_schemas in a wheel, ../schemas in a checkout."""
    return _first_dir(_PACKAGE / "_schemas", _PACKAGE.parent / "schemas")


def documents(folder: Path | None) -> list[Path]:
    """The YAML, TOML and JSON files of a folder, by name."""
    return sorted(p for p in folder.iterdir() if p.suffix in DOCUMENT_SUFFIXES) if folder else []


def find_document(name: str, folder: Path | None) -> Path | None:
    """``folder/name.yaml`` (or .yml, .toml, .json) for a bare name, else None."""
    if folder is None or "/" in name or "\\" in name:
        return None
    return next((folder / f"{name}{s}" for s in DOCUMENT_SUFFIXES if (folder / f"{name}{s}").is_file()), None)


def find_example(name: str) -> Path | None:
    """The built-in example scenario called ``name`` (``gym``, ``knee_safe``...), if any."""
    return find_document(name, examples_dir())


def scenario_path(arg: str | Path) -> Path:
    """A scenario file that exists, or the built-in example of that name; else InputError with close names."""
    from .errors import InputError, close_matches

    path = Path(arg)
    if path.exists():
        return path
    found = find_example(str(arg))
    if found is not None:
        return found
    names = [p.stem for p in documents(examples_dir())]
    raise InputError(f"file not found{close_matches(str(arg), names) if names else ''}", file=str(arg))
