"""Reading scenario and catalogue documents (YAML, TOML, JSON) and writing outputs safely.

Every parse or validation failure becomes an :class:`InputError` naming the file, the line
where it can be found, and the field path.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
import stat
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import FieldError, InputError
from .locate import field_path, line_of, yaml_line  # noqa: F401 - yaml_line, field_path: used by importers
from .limits import INT_MAX, MAX_DEPTH, MAX_NODES

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
    """Parse a document and check it (:func:`check_document`): every parse failure is an InputError."""
    try:
        data = _parse(text, kind, name)
    except RecursionError:
        raise InputError(f"nested more than {MAX_DEPTH} levels deep", file=name) from None
    except ValueError as exc:  # an integer of more than 4,300 digits (Python's own limit)
        why = "an integer with too many digits" if "digits" in str(exc) else str(exc).splitlines()[0]
        raise InputError(f"{kind.upper()} value not readable: {why}", file=name) from None
    return check_document(data, name, text, kind)


def _parse(text: str, kind: str, name: str) -> Any:
    if kind == "yaml":
        import yaml

        try:
            # libyaml's C parser where PyYAML was built with it (about 7x faster), with
            # duplicate keys refused (_yaml_loader); the same safe constructors build the data.
            return yaml.load(text, Loader=_yaml_loader())  # noqa: S506 - a SafeLoader subclass
        except InputError as exc:  # a duplicate key
            exc.file = name
            raise
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
            import re

            at = re.search(r" \(at (?:line (\d+), column \d+|end of document)\)$", str(exc))
            what = str(exc)[: at.start()] if at else str(exc)
            line = (int(at[1]) if at[1] else text.count("\n") + (not text.endswith("\n"))) if at else None
            raise InputError(f"TOML syntax error: {what}", file=name, line=line) from None
    try:
        return json.loads(text, object_pairs_hook=_unique_pairs)
    except json.JSONDecodeError as exc:
        raise InputError(f"JSON syntax error: {exc.msg}", file=name, line=exc.lineno) from None
    except _DuplicateKey as dup:
        first, second = _json_duplicate_lines(text, dup.key)
        raise InputError(f"duplicate key {dup.key!r} (first on line {first})", file=name, line=second) from None


class _DuplicateKey(Exception):
    def __init__(self, key: str):
        self.key = key


def _unique_pairs(pairs: list) -> dict:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return out


def _json_duplicate_lines(text: str, key: str) -> tuple[int | None, int | None]:
    """The lines of the first duplicated ``key`` in one JSON object (only run on the error path).

    The pure-Python scanner reports where each object starts and ends; the duplicate is
    looked for among the object's own keys, outside the objects nested in it.
    """
    import re
    from json import decoder, scanner

    spans: list[tuple[int, int]] = []

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None, _w=decoder.WHITESPACE.match):
        start = s_and_end[1] - 1
        pairs, end = decoder.JSONObject(s_and_end, strict, scan_once, None, list, memo, _w)
        keys = [k for k, _ in pairs]
        if len(set(keys)) != len(keys):
            inner = [sp for sp in spans if start < sp[0] and sp[1] <= end]
            hits = [
                m.start()
                for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:", text[:end])
                if m.start() > start and not any(a <= m.start() < b for a, b in inner)
            ]
            if len(hits) >= 2:
                raise _Found(text.count("\n", 0, hits[0]) + 1, text.count("\n", 0, hits[1]) + 1)
        spans.append((start, end))
        return dict(pairs), end

    class _Found(Exception):
        pass

    dec = json.JSONDecoder()
    dec.parse_object = parse_object
    dec.scan_once = scanner.py_make_scanner(dec)
    try:
        dec.decode(text)
    except _Found as found:
        return found.args
    except Exception:  # noqa: BLE001 - only locating a problem already found
        pass
    return None, None


_LOADER = None


def _yaml_loader():
    """A safe loader that refuses a key given twice in one mapping, naming both lines."""
    global _LOADER
    if _LOADER is None:
        import yaml

        # libyaml when present: ten times faster on catalogues, and it caps nesting itself.
        class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            def construct_mapping(self, node, deep=False):
                if isinstance(node, yaml.MappingNode):
                    seen: dict = {}
                    for key_node, _ in node.value:
                        if key_node.tag == "tag:yaml.org,2002:merge":
                            continue
                        key = self.construct_object(key_node, deep=True)
                        line = key_node.start_mark.line + 1
                        try:
                            if key in seen:
                                raise InputError(f"duplicate key {key!r} (first on line {seen[key]})", line=line)
                            seen[key] = line
                        except TypeError:  # an unhashable key: the schema refuses it later
                            continue
                return super().construct_mapping(node, deep=deep)

        _LOADER = Loader
    return _LOADER


def check_document(data: Any, name: str, text: str | None = None, kind: str | None = None) -> Any:
    """Reject what no schema should see (see :mod:`optimizer.limits`); return ``data`` unchanged.

    No NaN or infinity, no integer beyond 64 bits, no lone surrogate, at most
    ``MAX_DEPTH`` levels and ``MAX_NODES`` values. Iterative, so a hostile file cannot
    exhaust the stack; bounded, because YAML aliases can make a small file a huge tree.
    """
    stack: list[tuple[Any, tuple, int]] = [(data, (), 0)]
    seen = 0
    while stack:
        value, loc, depth = stack.pop()
        seen += 1
        if seen > MAX_NODES:
            raise InputError(f"too many values (more than {MAX_NODES:,}); is an alias repeated?", file=name)
        problem = None
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, float):
            if not math.isfinite(value):
                problem = f"{value} is not a finite number"
        elif isinstance(value, int):
            if not -INT_MAX <= value <= INT_MAX:
                problem = "the number is too large (beyond 64-bit integers)"
        elif isinstance(value, str):
            problem = _unicode_problem(value)
        elif isinstance(value, (dict, list)):
            if depth >= MAX_DEPTH:
                problem = f"nested more than {MAX_DEPTH} levels deep"
            elif isinstance(value, dict):
                for key, item in value.items():
                    if isinstance(key, str) and _unicode_problem(key):
                        problem = f"a key is {_unicode_problem(key)}"
                        break
                    stack.append((item, loc + (key,), depth + 1))
            else:
                stack.extend((item, loc + (i,), depth + 1) for i, item in enumerate(value))
        if problem:
            line = None
            if text is not None and kind is not None:
                line = line_of(text, kind, loc)
            shown = field_path(tuple(_printable(p) for p in loc[:8])) + ("..." if len(loc) > 8 else "")
            raise InputError(problem, file=name, field=shown or None, line=line)
    return data


def _printable(part):
    return part.encode("utf-8", "backslashreplace").decode() if isinstance(part, str) else part


def _unicode_problem(s: str) -> str | None:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return "not valid Unicode text (a lone surrogate)"
    return None


def validate(model: type[M], data: Any, name: str, text: str | None = None, kind: str | None = None) -> M:
    """Validate ``data`` against ``model``; the first error becomes a one-line InputError."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        # A misspelt field is also a missing one: name the misspelling, which says both.
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc, msg = error_parts(err, model)
        line = line_of(text, kind, loc) if text is not None and kind is not None else None
        more = len(errors) - 1
        if more:
            msg += f" (and {more} more error{'s' if more > 1 else ''})"
        raise InputError(msg, file=name, field=field_path(loc) or None, line=line) from None


def error_parts(err: dict, model: type[BaseModel] | None = None) -> tuple[tuple, str]:
    """One pydantic error as (field location, message in the user's words); ``model`` (the
    one validated) lets an unknown field say which one was meant, and a wrong value which
    fields a mapping there takes."""
    loc = tuple(p for p in err["loc"] if not _union_tag(p))
    msg = err["msg"]
    if err["type"].endswith(("_type", "_parsing")) and "input" in err:
        msg += f", got {_shown(err['input'])}"
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, ") :]
    if err["type"] == "extra_forbidden":
        msg = "unknown field" + (_field_hint(model, loc) if model is not None else "")
    elif err["type"] == "missing":
        msg = "required field is missing"
    elif err["type"] in ("model_type", "model_attributes_type") and model is not None:
        fields = _fields_at(model, loc)
        msg = f"expected a mapping{f' with fields {fields}' if fields else ''}, got {_shown(err.get('input'))}"
    elif isinstance((err.get("ctx") or {}).get("error"), FieldError):  # a validator naming a field below it
        cause = err["ctx"]["error"]
        loc += cause.loc
        msg = str(cause)
    return loc, msg


def _field_hint(model: type[BaseModel], loc: tuple) -> str:
    """' (did you mean max_knee_flexion_deg?)' for a misspelt field: the model at ``loc[:-1]``'s fields."""
    from .errors import close_matches

    current: Any = model
    for part in loc[:-1]:
        current = _inner_model(current, part)
        if current is None:
            return ""
    names = list(current.model_fields)
    return close_matches(str(loc[-1]), names) if loc and names else ""


def _fields_at(model: type[BaseModel], loc: tuple) -> str:
    """'min, max, hard, point, weight': the fields of the model expected at ``loc``."""
    current: Any = model
    for part in loc:
        current = _inner_model(current, part)
    return ", ".join(current.model_fields) if isinstance(current, type) and issubclass(current, BaseModel) else ""


def _inner_model(model: Any, part) -> Any:
    """The pydantic model one step down ``model`` at ``part`` (a field name, a list index or a dict key)."""
    if isinstance(model, type) and issubclass(model, BaseModel):
        if isinstance(part, int) or part not in model.model_fields:
            return None
        return _unwrap(model.model_fields[part].annotation)
    return model.get(part) if isinstance(model, dict) else None


def _unwrap(annotation: Any) -> Any:
    """The model inside ``X | None``, ``list[X]`` or ``dict[str, X]``; a dict stands for 'any key'."""
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (list, dict) and args:
        inner = _unwrap(args[-1])
        return None if inner is None else _AnyKey(inner)
    for a in args:
        inner = _unwrap(a)
        if inner is not None:
            return inner
    return None


class _AnyKey(dict):
    """A list's or dict's items: every index or key leads to the same model."""

    def __init__(self, inner: Any):
        super().__init__()
        self.inner = inner

    def get(self, part, default=None):
        return self.inner


def _union_tag(part) -> bool:
    """pydantic's names for a union's members ('float', 'list[str]', 'function-after[...]') in a location."""
    return isinstance(part, str) and (part.startswith("function-") or part in ("int", "float", "str", "bool", "none") or "[" in part)


def _shown(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def load_model(model: type[M], path: Path | str) -> M:
    path = Path(path)
    kind = document_kind(path)
    text = read_text(path)
    data = parse_text(text, kind, str(path))
    if data is None:
        raise InputError("the file is empty", file=str(path))
    return validate(model, data, str(path), text, kind)


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISLNK, "a symbolic link"), (stat.S_ISFIFO, "a FIFO"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def check_output_path(path: Path | str, force: bool = False) -> Path:
    """Refuse, before any work, an output that is not (or would not be) a regular file.

    A directory, symbolic link, FIFO, device or socket is refused even with ``force``:
    replacing one with a regular file is never what was meant.
    """
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise InputError(f"cannot write here: {exc.strerror}", file=str(path)) from None
    if st is not None:
        for test, kind in _KINDS:
            if test(st.st_mode):
                raise InputError(f"is {kind}; --output writes only a regular file (or standard output)", file=str(path))
        if not force:
            raise InputError("already exists; pass --force to overwrite it", file=str(path))
    parent = path.parent
    if not parent.is_dir():
        raise InputError("its folder does not exist", file=str(path))
    return path


def write_atomic(path: Path | str, content: str | bytes, force: bool = False) -> None:
    """Write a whole regular file or nothing: a temporary file beside it, then an atomic rename.

    Refuses to replace an existing file unless ``force`` is set, and anything but a regular
    file always (:func:`check_output_path`). The temporary file is created with mode 0o666
    under the process umask by the kernel itself (the umask is never changed, so this is
    safe beside threads), then given the replaced file's mode. Any OS error is one
    InputError naming the file.
    """
    path = check_output_path(path, force)
    data = content.encode("utf-8") if isinstance(content, str) else content
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        try:
            old_mode = stat.S_IMODE(os.stat(path).st_mode)
        except FileNotFoundError:
            old_mode = None
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
                if old_mode is not None:
                    os.fchmod(fh.fileno(), old_mode)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=str(path)) from None
