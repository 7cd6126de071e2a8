"""The validated catalogue, cached on disk: an unchanged catalogue loads without parsing YAML.

Parsing and validating the catalogue costs 0.2 s for the built-in one and seconds for an
imported one (free-exercise-db: about 800 exercises), before every command. The cache
holds the validated :class:`~optimizer.catalogue.Catalogue` as pydantic JSON, read back
with ``model_validate_json`` (0.03 s for 800 exercises; unlike a pickle, a cache file can
never run code, and a damaged one fails validation instead of loading).

- **Key**: a digest of every source file's name and bytes (in load order, per folder),
  the package version, the source of the schema module and of the loader that fills in
  defaults (an edited model or default invalidates it in a checkout too) and the pydantic version. The files are read once and the same
  bytes are hashed and, on a miss, parsed: an entry can never hold a catalogue other than
  the one its key names, so it is never stale.
- **Where**: ``$XDG_CACHE_HOME/programme-optimiser/`` (default ``~/.cache/...``);
  ``PROGRAMME_NO_CACHE=1`` turns it off.
- **Safe**: written to a temporary file and renamed into place (readers see a whole
  file or none; concurrent writers of one key write the same bytes). An unreadable,
  truncated or foreign file is ignored and rewritten; a cache that cannot be written
  (read-only home, full disk) is skipped. Only the newest ``KEEP`` entries are kept.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

DISABLE_ENV = "PROGRAMME_NO_CACHE"
FORMAT = b"programme-optimiser catalogue cache 1\n"
KEEP = 16


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is turned off."""
    if os.environ.get(DISABLE_ENV, "").strip() not in ("", "0"):
        return None
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # unset, empty or relative: the XDG spec says to use the default
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "programme-optimiser"


def _package_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("programme-optimiser")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def digest(sources: Iterable[tuple[int, str, bytes]], schema: bytes) -> str:
    """The key of a catalogue made of ``(folder index, relative path, bytes)`` files.

    ``schema``: the source of the module defining the models (so an edit to it counts).
    """
    import pydantic

    h = hashlib.blake2b(digest_size=20)
    for part in (FORMAT, _package_version().encode(), pydantic.VERSION.encode(), schema):
        h.update(len(part).to_bytes(8, "little") + part)
    for index, name, raw in sources:
        for part in (str(index).encode(), name.encode(), raw):
            h.update(len(part).to_bytes(8, "little") + part)
    return h.hexdigest()


def read_entry(path: Path, key: str, model: type[M]) -> M | None:
    """The ``model`` stored at ``path`` under ``key``, or None when missing or unusable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    header = FORMAT + key.encode() + b"\n"
    if not data.startswith(header):
        return None
    try:
        return model.model_validate_json(data[len(header) :])
    except ValueError:  # pydantic's ValidationError, bad JSON, bad UTF-8
        return None


def write_entry(path: Path, key: str, value: BaseModel) -> bool:
    """Store ``value`` at ``path`` atomically; False (and nothing written) when it cannot be."""
    from .errors import InputError
    from .io import write_atomic

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(path, FORMAT + key.encode() + b"\n" + value.model_dump_json().encode(), force=True)
    except (OSError, InputError):
        return False
    _prune(path.parent)
    return True


def _prune(folder: Path) -> None:
    """Keep the newest KEEP entries (another process may be reading or writing: best effort)."""
    try:
        entries = sorted(folder.glob("catalogue-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass


def load_cached(
    model: type[M], sources: list[tuple[int, str, bytes]], build: Callable[[], M], schema: Path | list[Path]
) -> M:
    """The ``model`` made of ``sources`` from the cache, or ``build()`` it and store it.

    ``schema``: the file(s) defining ``model`` and how it is built (their source is part of the key).
    """
    folder = cache_dir()
    if folder is None:
        return build()
    files = schema if isinstance(schema, list) else [schema]
    key = digest(sources, b"".join(len(b := f.read_bytes()).to_bytes(8, "little") + b for f in files))
    path = folder / f"catalogue-{key}.json"
    cached = read_entry(path, key, model)
    if cached is not None:
        return cached
    value = build()  # bad input raises here, and nothing is stored
    write_entry(path, key, value)
    return value
