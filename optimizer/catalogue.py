"""The exercise catalogue: muscles, equipment, rep schemes and exercises (pydantic models).

The data lives in plain YAML files (the top-level ``catalogue/`` folder of the project;
``optimizer/_catalogue`` inside a wheel) so a coach can read and edit it:

- ``muscles.yaml``: muscle groups and their individual muscles or heads;
- ``equipment.yaml``: equipment ids;
- ``rep_schemes.yaml``: heavy, moderate, light;
- ``exercises/*.yaml``: the exercises, one list per file.

Activation scale (per individual muscle, per set):

=======  ===========================================================
1.0      primary mover: the muscle the exercise is chosen for
0.75     primary: a strong contributor
0.5      secondary: a synergist, credited half a set
0.25     minor: a stabiliser, credited a quarter of a set
=======  ===========================================================

A muscle is *primary* for an exercise at 0.75 or more. A set credits a group by the
largest activation among the group's muscles.

Effective sets. What a set is worth also depends on whether its load can rise with the
athlete (:data:`Loading`): sets taken close to failure count about alike across roughly
5-30 repetitions, and a set that cannot come near failure in that range counts less.
Each exercise has a loading class (given, or derived from its equipment by
:func:`derived_loading`), and ``effectiveness.yaml`` gives, per class and athlete level,
the share of a set that counts towards the volume targets (:data:`DEFAULT_EFFECTIVENESS`).
Rep schemes that are not hypertrophy work (``volume: false``, e.g. power work for Olympic
lifts and jumps) credit no volume at all.
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .limits import STRICT

from .errors import InputError, close_matches

Id = str
PRIMARY_THRESHOLD = 0.75
Level = Literal["beginner", "intermediate", "advanced"]
LEVEL_RANK = {"beginner": 0, "intermediate": 1, "advanced": 2}
Loading = Literal["progressive", "limited", "fixed"]
# Equipment whose load rises with the athlete; any id ending in "_machine" counts too.
PROGRESSIVE_EQUIPMENT = frozenset({"barbell", "dumbbell", "kettlebell", "ez_bar", "smith_machine", "leg_press", "cable_station"})
LIMITED_EQUIPMENT = frozenset({"resistance_band"})
# Share of a set that counts as an effective set, by loading class and athlete level
# (catalogue/effectiveness.yaml documents the sources; a catalogue folder may override it).
DEFAULT_EFFECTIVENESS: dict[str, dict[str, float]] = {
    "progressive": {"beginner": 1.0, "intermediate": 1.0, "advanced": 1.0},
    "limited": {"beginner": 1.0, "intermediate": 0.75, "advanced": 0.5},
    "fixed": {"beginner": 1.0, "intermediate": 0.5, "advanced": 0.25},
}
# Movement patterns the product knows the meaning of (coverage rules, the calf rule);
# the list is open: a catalogue may name others (e.g. rotation), which count as themselves.
KNOWN_PATTERNS = (
    "squat", "lunge", "hinge", "hip_extension", "knee_flexion", "knee_extension", "hip_abduction",
    "hip_adduction", "plantar_flexion", "dorsiflexion", "push", "pull", "core", "carry", "other",
)
ACTIVATION_GRID = 100  # activations are multiples of 1/100 (0.01)


class _Model(BaseModel):
    model_config = ConfigDict(**STRICT, frozen=True)  # strict types, finite numbers (optimizer.limits)


class Muscle(_Model):
    id: Id
    name: str
    function: str = ""
    origin: str = ""
    insertion: str = ""


class MuscleGroup(_Model):
    id: Id
    name: str
    region: Literal["legs", "upper", "other"] = "other"
    function: str = ""
    muscles: list[Muscle] = Field(min_length=1)


class Equipment(_Model):
    id: Id
    name: str
    description: str = ""


class RepScheme(_Model):
    id: Id
    name: str
    reps_min: int = Field(ge=1, le=1000)
    reps_max: int = Field(ge=1, le=1000)
    reps: int = Field(ge=1, le=1000, description="Reps planned per set; used for set time.")
    rest_s: int = Field(ge=0, le=3600, description="Rest after each set, in seconds.")
    intensity: str = ""
    unit: Literal["reps", "seconds"] = Field(
        "reps", description="'seconds': an isometric hold, reps_min..reps_max are seconds held per set."
    )
    volume: bool = Field(
        True, description="False: not hypertrophy work (power, skill); its sets credit no volume target."
    )

    @model_validator(mode="after")
    def _range(self) -> RepScheme:
        if not self.reps_min <= self.reps <= self.reps_max:
            raise ValueError(f"reps must lie in reps_min..reps_max ({self.reps_min}..{self.reps_max})")
        return self


class Exercise(_Model):
    id: Id
    name: str
    equipment: list[Id | list[Id]] = Field(
        description="All of these are needed; an inner list means any one of its items will do; [] needs nothing.",
    )
    activation: dict[Id, float] = Field(min_length=1, description="Per individual muscle, on the documented scale.")
    mechanic: Literal["compound", "isolation"]
    pattern: str = Field(description="A movement pattern: one of KNOWN_PATTERNS keeps its meaning; others are accepted.")
    knee_flexion_deg: int = Field(ge=0, le=170, description="Peak knee flexion over a rep, in degrees.")
    variant_of: Id | None = Field(None, description="The exercise this is a range-limited or easier variant of.")
    loading: Loading | None = Field(
        None,
        description="Whether the load can rise with the athlete: progressive (barbell, dumbbell, machine, cable), "
        "limited (band, hard bodyweight variants), fixed (bodyweight). Default: derived from the equipment.",
    )
    unilateral: bool = False
    level: Level = "beginner"
    setup_s: int = Field(ge=0, le=900, description="Seconds to set up before the first set.")
    seconds_per_rep: float = Field(gt=0, le=20)
    rep_schemes: list[Id] = Field(min_length=1)
    source: str = Field("", description="Where the muscle emphasis comes from.")
    description: str = ""

    @field_validator("activation")
    @classmethod
    def _scale(cls, v: dict[str, float]) -> dict[str, float]:
        from .errors import FieldError

        for muscle, a in v.items():
            if not 0 < a <= 1:
                raise FieldError((muscle,), f"activation of {muscle} must be in (0, 1], got {a}")
            if abs(a * ACTIVATION_GRID - round(a * ACTIVATION_GRID)) > 1e-9:
                raise FieldError((muscle,), f"activation of {muscle} must be a multiple of 0.01, got {a}")
        return v

    @field_validator("pattern")
    @classmethod
    def _pattern(cls, v: str) -> str:
        import re

        if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", v):
            raise ValueError(f"a pattern is a lower-case id (letters, digits, _), got {v!r}")
        return v

    def needs(self, owned: set[str]) -> bool:
        """True when ``owned`` equipment is enough for this exercise."""
        for item in self.equipment:
            if isinstance(item, list):
                if not owned.intersection(item):
                    return False
            elif item not in owned:
                return False
        return True

    def equipment_ids(self) -> set[str]:
        out: set[str] = set()
        for item in self.equipment:
            out.update(item if isinstance(item, list) else [item])
        return out

    @property
    def loading_class(self) -> str:
        return self.loading or derived_loading(self.equipment)

    def equipment_text(self) -> str:
        return " + ".join(" or ".join(i) if isinstance(i, list) else i for i in self.equipment) or "nothing"


def _progressive(item: str) -> bool:
    return item in PROGRESSIVE_EQUIPMENT or item.endswith("_machine")


def derived_loading(equipment: list) -> str:
    """The loading class an exercise gets from its equipment when it names none."""
    items = [i if isinstance(i, list) else [i] for i in equipment]
    if any(all(_progressive(x) for x in alts) for alts in items):
        return "progressive"
    if any(all(x in LIMITED_EQUIPMENT or _progressive(x) for x in alts) for alts in items):
        return "limited"
    return "fixed"


class Catalogue(_Model):
    groups: list[MuscleGroup]
    equipment: list[Equipment]
    rep_schemes: list[RepScheme]
    exercises: list[Exercise]
    effectiveness: dict[Loading, dict[Level, float]] = Field(
        default_factory=lambda: {k: dict(v) for k, v in DEFAULT_EFFECTIVENESS.items()},
        description="Share of a set counted as an effective set, per loading class and athlete level.",
    )
    defaults_used: dict[Id, list[str]] = Field(
        default_factory=dict, description="Per exercise, the fields left to their documented defaults (catalogue_load.DEFAULTS)."
    )

    @field_validator("effectiveness")
    @classmethod
    def _table(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for loading in DEFAULT_EFFECTIVENESS:
            row = v.get(loading)
            if row is None or set(row) != set(LEVEL_RANK):
                raise ValueError(f"effectiveness.{loading}: give beginner, intermediate and advanced")
            for level, x in row.items():
                if not 0 <= x <= 1 or abs(x * 20 - round(x * 20)) > 1e-9:
                    raise ValueError(f"effectiveness.{loading}.{level}: expected a multiple of 0.05 in 0..1, got {x}")
        return v

    def effect(self, ex: Exercise, level: str) -> float:
        """Share of one set of ``ex`` that counts towards volume targets for an athlete of ``level``."""
        if not any(self.scheme_by_id[r].volume for r in ex.rep_schemes):
            return 0.0
        return self.effectiveness[ex.loading_class][level]

    @model_validator(mode="after")
    def _references(self) -> Catalogue:
        def unique(kind: str, ids: list[str]) -> None:
            seen: set[str] = set()
            for i in ids:
                if i in seen:
                    raise ValueError(f"duplicate {kind} id {i!r}")
                seen.add(i)

        unique("muscle or group", [g.id for g in self.groups] + [m.id for g in self.groups for m in g.muscles])
        unique("equipment", [e.id for e in self.equipment])
        unique("rep scheme", [r.id for r in self.rep_schemes])
        unique("exercise", [e.id for e in self.exercises])
        muscles = {m.id for g in self.groups for m in g.muscles}
        equipment = {e.id for e in self.equipment}
        schemes = {r.id for r in self.rep_schemes}
        exercises = {e.id for e in self.exercises}
        for ex in self.exercises:
            for m in ex.activation:
                if m not in muscles:
                    raise ValueError(f"exercise {ex.id}: unknown muscle {m!r}{close_matches(m, muscles)}")
            for e in ex.equipment_ids():
                if e not in equipment:
                    raise ValueError(f"exercise {ex.id}: unknown equipment {e!r}{close_matches(e, equipment)}")
            for r in ex.rep_schemes:
                if r not in schemes:
                    raise ValueError(f"exercise {ex.id}: unknown rep scheme {r!r}{close_matches(r, schemes)}")
            if ex.variant_of is not None and ex.variant_of not in exercises:
                raise ValueError(f"exercise {ex.id}: variant_of names unknown exercise {ex.variant_of!r}")
            kinds = {self.scheme_by_id[r].volume for r in ex.rep_schemes}
            if len(kinds) > 1:
                raise ValueError(f"exercise {ex.id}: mixes volume and non-volume rep schemes; give one kind")
        return self

    # Lookups -----------------------------------------------------------------------

    @cached_property
    def exercise_by_id(self) -> dict[str, Exercise]:
        return {e.id: e for e in self.exercises}

    @cached_property
    def group_by_id(self) -> dict[str, MuscleGroup]:
        return {g.id: g for g in self.groups}

    @cached_property
    def muscle_by_id(self) -> dict[str, Muscle]:
        return {m.id: m for g in self.groups for m in g.muscles}

    @cached_property
    def group_of_muscle(self) -> dict[str, str]:
        return {m.id: g.id for g in self.groups for m in g.muscles}

    @cached_property
    def scheme_by_id(self) -> dict[str, RepScheme]:
        return {r.id: r for r in self.rep_schemes}

    @cached_property
    def equipment_by_id(self) -> dict[str, Equipment]:
        return {e.id: e for e in self.equipment}

    def group_activation(self, ex: Exercise) -> dict[str, float]:
        """Per group: the largest activation of the exercise on any of its muscles."""
        out: dict[str, float] = {}
        for m, a in ex.activation.items():
            g = self.group_of_muscle[m]
            out[g] = max(out.get(g, 0.0), a)
        return out

    def primary_groups(self, ex: Exercise) -> set[str]:
        return {g for g, a in self.group_activation(ex).items() if a >= PRIMARY_THRESHOLD}

    def unit_ids(self) -> set[str]:
        """Every id a volume target may name: groups and individual muscles."""
        return set(self.group_by_id) | set(self.muscle_by_id)

    def check_id(self, kind: str, value: str, known) -> None:
        if value not in known:
            raise InputError(f"unknown {kind} {value!r}{close_matches(value, known)}")

    def variant_root(self, ex: Exercise) -> str:
        """The exercise at the top of ``ex``'s variant_of chain (itself when it has none)."""
        seen = {ex.id}
        while ex.variant_of is not None and ex.variant_of not in seen:
            seen.add(ex.variant_of)
            ex = self.exercise_by_id[ex.variant_of]
        return ex.id

    def exercise(self, ex_id: str) -> Exercise:
        try:
            return self.exercise_by_id[ex_id]
        except KeyError:
            raise InputError(f"unknown exercise {ex_id!r}{close_matches(ex_id, self.exercise_by_id)}") from None
