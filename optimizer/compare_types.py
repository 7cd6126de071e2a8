"""What a comparison of equipment variants is made of: profiles and variants, the typed
outcomes, and the lexicographic score that ranks them (shared by :mod:`optimizer.compare`,
its differences and its renderers)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .catalogue import Catalogue
from .errors import InputError, close_matches
from .candidates import eligibility
from .result import SolveResult
from .scenario import Scenario


@dataclass(frozen=True)
class Variant:
    """A name and an equipment list (sorted, no duplicates); ``at``: the scenario location
    whose equipment it replaces (None: the top-level ``equipment``)."""

    name: str
    equipment: tuple[str, ...]
    at: str | None = None


BALLS_AND_BANDS = ("bodyweight", "exercise_ball", "resistance_band")
# The equipment ladder a person choosing between home and gym thinks in; each is a subset
# of the next. ``full_gym`` is every item of the catalogue in use (filled in at run time).
BUILTIN_PROFILES: dict[str, tuple[str, ...] | None] = {
    "bodyweight": ("bodyweight",),
    "balls_and_bands": BALLS_AND_BANDS,
    "home_dumbbells": (*BALLS_AND_BANDS, "dumbbell", "bench"),
    "full_gym": None,
}
SCENARIO_PROFILE = "scenario"  # the scenario's own equipment list


def builtin_profiles(catalogue: Catalogue) -> dict[str, list[str]]:
    """The built-in ladder: bodyweight < balls_and_bands < home_dumbbells < full_gym."""
    every = [e.id for e in catalogue.equipment]
    return {name: list(items) if items is not None else every for name, items in BUILTIN_PROFILES.items()}


def load_profiles(path: Path | str) -> dict[str, list[str]]:
    """A profiles file (YAML, TOML or JSON): a mapping of profile name -> equipment ids."""
    from .io import load_document

    data = load_document(path)
    if not isinstance(data, dict) or not data:
        raise InputError("expected a mapping of profile name -> list of equipment ids", file=str(path))
    out: dict[str, list[str]] = {}
    for name, items in data.items():
        if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
            raise InputError("expected a non-empty list of equipment ids", file=str(path), field=str(name))
        out[str(name)] = items
    return out


def _check_ids(items: Sequence[str], catalogue: Catalogue, file: str | None, field: str, indexed: bool = True) -> None:
    """Every id known; ``indexed``: the field names the item (``equipment[2]``), else the whole list
    (an option as typed: ``--equipment 'home=dumbbell,bogus'``)."""
    for i, e in enumerate(items):
        if e not in catalogue.equipment_by_id:
            raise InputError(
                f"unknown equipment {e!r}{close_matches(e, catalogue.equipment_by_id)}",
                file=file, field=f"{field}[{i}]" if indexed else field,
            ).located()


def check_place(scenario: Scenario, at: str | None) -> None:
    """Refuse a place to vary that the week does not train at (``--at``)."""
    places = scenario.locations
    if at is not None:
        if at not in places:
            known = close_matches(at, places) or (f" (locations: {', '.join(sorted(places))})" if places else " (the scenario has no locations)")
            raise InputError(f"unknown location {at!r}{known}", field="--at")
        if not any(d.at == at for d in scenario.days):
            raise InputError(f"no day of the scenario is at {at}: its equipment cannot change the plan", field="--at")
    elif places and all(d.at is not None for d in scenario.days):
        raise InputError(
            f"every day names a location: say which one's equipment to vary with --at ({', '.join(sorted(places))})",
            field="--at",
        )


def place_equipment(scenario: Scenario, at: str | None) -> list[str]:
    """The equipment a variant replaces: location ``at``'s, or the top-level list."""
    return list(scenario.locations[at]) if at is not None else list(scenario.equipment)


def make_variants(
    scenario: Scenario,
    catalogue: Catalogue,
    profiles: Sequence[str] = (),
    equipment: Sequence[Sequence[str] | str] = (),
    profiles_file: Path | str | None = None,
    source: str | None = None,
    at: str | None = None,
) -> list[Variant]:
    """Resolve profile names and ad hoc equipment lists into variants, ids checked.

    A profile name is looked up in ``profiles_file``, then the scenario's
    ``equipment_profiles``, then the built-in ladder (:data:`BUILTIN_PROFILES`); ``scenario``
    is the scenario's own equipment. An ad hoc list may be ``"a,b,c"`` or ``"name=a,b,c"``.
    With no profile and no list: the scenario's profiles if it has any, else the ladder.
    ``at``: each variant is the equipment of that location (``scenario``: its own list).
    """
    check_place(scenario, at)
    known: dict[str, tuple[list[str], str | None, str]] = {}  # name -> (items, file, field prefix)
    for name, items in builtin_profiles(catalogue).items():
        known[name] = (items, None, f"profile {name}")
    for name, items in scenario.equipment_profiles.items():
        known[name] = (items, source, f"equipment_profiles.{name}")
    if profiles_file is not None:
        for name, items in load_profiles(profiles_file).items():
            known[name] = (items, str(profiles_file), name)
    known[SCENARIO_PROFILE] = (place_equipment(scenario, at), source, f"locations.{at}" if at else "equipment")
    if not profiles and not equipment:
        profiles = list(scenario.equipment_profiles) or list(BUILTIN_PROFILES)
    out: list[Variant] = []
    for name in profiles:
        if name not in known:
            raise InputError(f"unknown profile {name!r}{close_matches(name, known)} (known: {', '.join(sorted(known))})", field="--profile")
        items, file, field = known[name]
        _check_ids(items, catalogue, file, field)
        out.append(Variant(name, tuple(sorted(set(items))), at))
    for i, spec in enumerate(equipment):
        name = None
        # As typed on the command line ('a,b' or 'name=a,b'), or a list from Python (equipment[i]).
        field = f"--equipment {spec!r}" if isinstance(spec, str) else f"equipment[{i}]"
        if isinstance(spec, str):
            if "=" in spec:
                name, spec = spec.split("=", 1)
            spec = [s.strip() for s in spec.split(",") if s.strip()]
        if not spec:
            raise InputError("an empty equipment list", field=field)
        _check_ids(spec, catalogue, None, field, indexed=not field.startswith("--"))
        out.append(Variant(name or "+".join(spec), tuple(sorted(set(spec))), at))
    names = [v.name for v in out]
    for n in names:
        if names.count(n) > 1:
            raise InputError(f"variant {n!r} is given twice", field="--profile")
    if not out:
        raise InputError("nothing to compare: give --profile or --equipment", field="--profile")
    return out


def variant_scenario(scenario: Scenario, variant: Variant) -> Scenario:
    """The scenario with the variant's equipment (at its location); everything else unchanged."""
    if variant.at is not None:
        return scenario.model_copy(update={"locations": {**scenario.locations, variant.at: list(variant.equipment)}})
    return scenario.model_copy(update={"equipment": list(variant.equipment)})


def usable_exercises(scenario: Scenario, catalogue: Catalogue, equipment: Sequence[str]) -> frozenset[str]:
    """Exercises the athlete may do with ``equipment`` (level, knee limit, exclusions applied)."""
    owned = set(equipment)
    return frozenset(ex.id for ex in catalogue.exercises if not eligibility(ex, scenario, owned, catalogue))


# Results ----------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class VariantOutcome(_Model):
    name: str
    equipment: list[str]
    usable_exercises: int = Field(description="Exercises the athlete may do with this equipment.")
    result: SolveResult
    hinted_with: str | None = Field(None, description="Solved again with this variant's plan as a hint (monotonicity).")
    plan_from: str | None = Field(None, description="The plan is this variant's (valid here too, re-checked).")
    note: str = ""


class ExerciseChange(_Model):
    day: str
    change: Literal["added", "dropped", "swapped", "sets changed"]
    exercise: str = Field(description="The exercise added, dropped or changed; for a swap, the new one.")
    name: str
    replaces: str | None = Field(None, description="For a swap: the exercise it replaces.")
    replaces_name: str | None = None
    before: str | None = Field(None, description="e.g. '3 x moderate'")
    after: str | None = None


class PlanDiff(_Model):
    before: str
    after: str
    changes: list[ExerciseChange] = Field(default_factory=list)
    note: str = ""


class Comparison(_Model):
    scenario: str
    parameters: dict
    variants: list[VariantOutcome]
    diffs: list[PlanDiff] = Field(default_factory=list, description="Each variant against the one before it.")
    wall_time_s: float = 0.0

    def outcome(self, name: str) -> VariantOutcome:
        return next(v for v in self.variants if v.name == name)


class ItemValue(_Model):
    items: list[str] = Field(description="The equipment added: one item, or two with --pairs.")
    name: str
    new_exercises: list[str] = Field(description="Exercises it makes usable.")
    improves: bool
    gain: str = Field(description="What changes in the plan, in words.")
    outcome: VariantOutcome


class EquipmentValue(_Model):
    scenario: str
    parameters: dict
    base: VariantOutcome
    singles: list[ItemValue] = Field(description="Each missing item that enables an exercise, best first.")
    best_pair: ItemValue | None = None
    pairs_tried: int = 0
    wall_time_s: float = 0.0


# Scoring ----------------------------------------------------------------------------


MAX_RANK = 20  # above any term's rank (encoding.objective.rank_of)


def score(result: SolveResult) -> tuple:
    """The lexicographic key of a result: no plan is worst; lower is better.

    ``lexicographic``: the term values in priority order. ``weighted``: the weighted sum
    of the display values (internal units differ between variants, display units do not).
    """
    if not result.status.has_plan:
        return (1,)
    terms = sorted(result.objective_terms, key=lambda t: (t.rank or 0))
    if result.objective == "weighted":
        return (0, round(sum((t.weight or 0) * t.value for t in terms), 6))
    by_rank: dict[int, float] = {}
    for t in terms:  # terms of one stage (equal rank) count as their sum
        by_rank[t.rank or 0] = by_rank.get(t.rank or 0, 0.0) + t.value
    # Every rank in place, 0 where a variant has no such term (no set could incur it):
    # otherwise a term one variant lacks shifts the others (a gym's rep_range against a
    # home week's minutes).
    return (0, *(round(by_rank.get(r, 0.0), 6) for r in range(MAX_RANK + 1)))
