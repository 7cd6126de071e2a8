"""Requirement names in the user's words, and where they sit in the scenario file."""

from __future__ import annotations

from ..context import Requirement

DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}


def words(unit: str) -> str:
    return unit.replace("_", " ")


def req(family: str, key: str, label: str, path: str) -> Requirement:
    return Requirement(family, f"{family}:{key}", label, path)


def never(ctx):
    """An expression that is always 0: ``ctx.add(never(ctx) >= 1, r)`` states r cannot hold."""
    return ctx.model.new_constant(0)
