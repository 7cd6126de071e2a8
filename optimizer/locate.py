"""Where a field is in a YAML, JSON or TOML text: the 1-based line an error message names.

Only run on the error path. ``loc`` is a field path as a tuple (``('days', 1, 'minutes')``);
each finder returns the line of the deepest part of it found in the text, so a bad value
inside an inline list still points at its key's line.
"""

from __future__ import annotations

import re
from pathlib import Path

SUFFIXES = {".yaml": "yaml", ".yml": "yaml", ".toml": "toml", ".json": "json"}


def field_path(loc: tuple) -> str:
    """('days', 1, 'minutes') -> 'days[1].minutes'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def parse_field(field: str) -> tuple:
    """'days[1].minutes' -> ('days', 1, 'minutes'): the inverse of :func:`field_path`."""
    return tuple(int(m[1]) if m[1] is not None else m[2] for m in _PART.finditer(field))


def line_of(text: str, kind: str, loc: tuple) -> int | None:
    """The line of ``loc`` in ``text`` of ``kind`` ('yaml', 'json' or 'toml'), or None."""
    finder = {"yaml": yaml_line, "json": json_line, "toml": toml_line}.get(kind)
    if finder is None or not loc:
        return None
    try:
        return finder(text, loc)
    except (RecursionError, ValueError, IndexError):
        return None


def file_line(path: str | Path, field: str) -> int | None:
    """The line of ``field`` (a path like 'targets.hamstring') in the document at ``path``."""
    kind = SUFFIXES.get(Path(path).suffix.lower())
    if kind is None or not field:
        return None
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    return line_of(text, kind, parse_field(field))


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


_WS = re.compile(r"\s*")


def json_line(text: str, loc: tuple) -> int | None:
    """The line of ``loc`` in a JSON text: a walk that skips the values it does not descend into."""
    import json
    from json.decoder import scanstring

    skip = json.JSONDecoder().raw_decode
    pos = _WS.match(text, 0).end()
    line = None
    for part in loc:
        if pos >= len(text):
            break
        found = None
        if text[pos] == "{":
            pos = _WS.match(text, pos + 1).end()
            while pos < len(text) and text[pos] == '"':
                key_at = pos
                key, pos = scanstring(text, pos + 1)
                pos = _WS.match(text, pos).end() + 1  # the colon
                pos = _WS.match(text, pos).end()
                if key == part:
                    found = key_at
                    break
                pos = _WS.match(text, skip(text, pos)[1]).end()
                if text[pos : pos + 1] == ",":
                    pos = _WS.match(text, pos + 1).end()
        elif text[pos] == "[" and isinstance(part, int):
            pos = _WS.match(text, pos + 1).end()
            for _ in range(part):
                if text[pos : pos + 1] == "]":
                    break
                pos = _WS.match(text, skip(text, pos)[1]).end()
                if text[pos : pos + 1] == ",":
                    pos = _WS.match(text, pos + 1).end()
            else:
                if text[pos : pos + 1] not in ("]", ""):
                    found = pos
        if found is None:
            break
        line = text.count("\n", 0, found) + 1
    return line


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _keys(dotted: str) -> tuple[str, ...]:
    return tuple(k.strip().strip("\"'") for k in re.findall(r"""(?:"[^"]*"|'[^']*'|[^.]+)""", dotted))


def toml_line(text: str, loc: tuple) -> int | None:
    """The line of ``loc`` in a TOML text: tables, arrays of tables and (dotted) keys by line.

    A value inside an inline table or a list is placed at its key's line."""
    where: dict[tuple, int] = {}
    counts: dict[tuple, int] = {}
    table: tuple = ()
    for n, raw in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(raw)
        if header and not _KEY.match(raw):
            path = _keys(header[2])
            if header[1] == "[[":
                index = counts.get(path, -1) + 1
                counts[path] = index
                where.setdefault(path, n)
                table = _resolve(path, counts) + (index,)
            else:
                table = _resolve(path, counts)
            where.setdefault(table, n)
            continue
        key = _KEY.match(raw)
        if key:
            where.setdefault(table + _keys(key[1]), n)
    for end in range(len(loc), 0, -1):
        if loc[:end] in where:
            return where[loc[:end]]
    return None


def _resolve(path: tuple, counts: dict) -> tuple:
    """A header's path with the current index of each array of tables along it."""
    out: tuple = ()
    for i, part in enumerate(path):
        out += (part,)
        if path[: i + 1] in counts and i + 1 < len(path):
            out += (counts[path[: i + 1]],)
    return out
