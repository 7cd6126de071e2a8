"""Reading scenario and catalogue documents (YAML, TOML, JSON) and writing outputs safely.

Every parse or validation failure becomes an :class:`InputError` naming the file, the line
where it can be found, and the field path.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import InputError

M = TypeVar("M", bound=BaseModel)

SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("file not found", file=str(path)) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", file=str(path)) from None
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), file=str(path)) from None


def decode(data: bytes, path: Path | str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason})", file=str(path)) from None


def read_text(path: Path) -> str:
    return decode(read_bytes(path), path)


def load_document(path: Path | str) -> Any:
    """Parse a YAML, TOML or JSON file by its suffix."""
    path = Path(path)
    kind = document_kind(path)
    return parse_text(read_text(path), kind, str(path))


def document_kind(path: Path) -> str:
    """'yaml', 'toml' or 'json' by the file's suffix; anything else is bad input."""
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(
            f"unknown file type {path.suffix!r}, expected .yaml, .yml, .toml or .json",
            file=str(path),
        )
    return kind


def parse_text(text: str, kind: str, name: str) -> Any:
    if kind == "yaml":
        import yaml

        try:
            # libyaml's C parser where PyYAML was built with it (about 7x faster); the same
            # safe constructors build the data, so the result is the same.
            return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError:
            pass
        try:  # bad YAML: the pure parser again, for its message and line, as before
            return yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            raise InputError(
                f"YAML syntax error: {problem}",
                file=name,
                line=mark.line + 1 if mark else None,
            ) from None
    if kind == "toml":
        import tomllib

        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"TOML syntax error: {exc}", file=name) from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON syntax error: {exc.msg}", file=name, line=exc.lineno) from None


def field_path(loc: tuple) -> str:
    """('days', 1, 'minutes') -> 'days[1].minutes'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def yaml_line(text: str, loc: tuple) -> int | None:
    """The 1-based line of the node at ``loc`` in a YAML text, as near as it can be found."""
    import yaml

    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for key, value in node.value:
                if key.value == part:
                    nxt = value
                    line = key.start_mark.line + 1
                    break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            node = None
    if node is not None:
        line = node.start_mark.line + 1
    return line


def validate(model: type[M], data: Any, name: str, text: str | None = None, kind: str | None = None) -> M:
    """Validate ``data`` against ``model``; the first error becomes a one-line InputError."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        if err["type"] == "extra_forbidden":
            msg = "unknown field"
        elif err["type"] == "missing":
            msg = "required field is missing"
        line = yaml_line(text, loc) if text is not None and kind == "yaml" else None
        more = len(exc.errors()) - 1
        if more:
            msg += f" (and {more} more error{'s' if more > 1 else ''})"
        raise InputError(msg, file=name, field=field_path(loc) or None, line=line) from None


def load_model(model: type[M], path: Path | str) -> M:
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    data = load_document(path)
    if data is None:
        raise InputError("the file is empty", file=str(path))
    text = read_text(path) if kind == "yaml" else None
    return validate(model, data, str(path), text, kind)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path | str, content: str | bytes, force: bool = False) -> None:
    """Write a whole file or nothing: a temporary file beside it, then an atomic rename.

    Refuses to replace an existing file unless ``force`` is set.
    """
    path = Path(path)
    if path.exists() and not force:
        raise InputError("already exists; pass --force to overwrite it", file=str(path))
    if not path.parent.exists():
        raise InputError("its folder does not exist", file=str(path))
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        # mkstemp makes the file private (0600); give it the mode a plain write would: the
        # replaced file's, or the default under the umask.
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
