"""``programme init``: copy a built-in example scenario to start from."""

from __future__ import annotations

import json
from pathlib import Path

from .errors import InputError, close_matches
from .paths import documents, examples_dir, find_example

DEFAULT_EXAMPLE = "home_balls_and_bands"


def example_names() -> list[str]:
    return [p.stem for p in documents(examples_dir())]


def init_scenario(dest: Path, example: str = DEFAULT_EXAMPLE, force: bool = False) -> Path:
    """Write the example ``example`` to ``dest`` (YAML as it is, comments kept; or JSON); return the source."""
    from .io import load_document, write_atomic

    source = find_example(example)
    if source is None:
        names = example_names()
        raise InputError(f"no example called {example!r}{close_matches(example, names)} (examples: {', '.join(names)})", field="EXAMPLE")
    suffix = dest.suffix.lower()
    if suffix in (".yaml", ".yml"):
        text = _schema_line(source.read_text(encoding="utf-8"))
    elif suffix == ".json":
        text = json.dumps(load_document(source), indent=2) + "\n"
    else:
        raise InputError(f"expected a .yaml, .yml or .json file name, got {dest.suffix or 'no suffix'!r}", file=str(dest))
    write_atomic(dest, text, force=force)
    return source


def _schema_line(text: str) -> str:
    """The example's ``yaml-language-server`` line pointed at the published schema where it is
    installed (the example's relative path means nothing beside the copy)."""
    from .schemas import SCHEMA_LINE, published_dir

    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].startswith(SCHEMA_LINE):
        return text
    folder = published_dir()
    schema = folder / "scenario.json" if folder is not None else None
    head = [f"{SCHEMA_LINE}{schema.as_uri()}\n"] if schema is not None and schema.is_file() else []
    return "".join(head + lines[1:])
