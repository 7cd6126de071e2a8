"""Where the built-in data lives, in a source checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


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


def examples_dir() -> Path | None:
    """The example scenarios: optimizer/_scenarios in a wheel, ../scenarios in a checkout."""
    for folder in (_PACKAGE / "_scenarios", _PACKAGE.parent / "scenarios"):
        if folder.is_dir():
            return folder
    return None
