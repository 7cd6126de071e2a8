"""The scenario file: what a person who trains (or their coach) asks of a week.

One pydantic schema for YAML, TOML and JSON files; ``extra="forbid"`` everywhere, so a
misspelt field is an error naming its path rather than a silently ignored wish. Ids of
exercises, muscles and equipment are checked against the catalogue when the solver-ready
:class:`~optimizer.problem.Problem` is built, with close matches suggested.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from annotated_types import Ge, Le
from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from .errors import FieldError
from .limits import SEED_MAX, STRICT, WEIGHT_MAX, WORKERS_MAX

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Level = Literal["beginner", "intermediate", "advanced"]

Seed = Annotated[int, Ge(0), Le(SEED_MAX)]  # CP-SAT random seed
Workers = Annotated[int, Ge(1), Le(WORKERS_MAX)]
Weight = Annotated[float, Ge(0), Le(WEIGHT_MAX)]


class _Model(BaseModel):
    model_config = STRICT  # strict types, no NaN or infinity, no unknown field (optimizer.limits)


class Day(_Model):
    """A day the athlete can train, and the minutes that day."""

    day: Weekday = Field(description="mon, tue, wed, thu, fri, sat or sun; each day at most once.")
    minutes: int = Field(ge=0, le=600, description="Minutes available for this tool's work that day, warm-up included.")
    shares_with: str | None = Field(
        None, description="Label of the session this day's work shares its time with (e.g. back_chest)."
    )
    warmup_minutes: int | None = Field(None, ge=0, le=60, description="Overrides rules.warmup_minutes for this day.")
    at: str | None = Field(
        None, description="Where this day is trained: a key of the scenario's locations (default: the top-level equipment)."
    )
    upper_body: dict[str, float] = Field(
        default_factory=dict,
        description="Weekly-volume sets the shared session already does this day, per group or muscle "
        "(e.g. {back: 12, erector_spinae: 3}): a group key credits that group, a muscle key the muscle and its "
        "group. Counted into volume targets, balance and recovery (a group with sets here is loaded that day).",
    )

    @field_validator("upper_body")
    @classmethod
    def _sets(cls, v: dict[str, float]) -> dict[str, float]:
        for unit, sets in v.items():
            if not 0 <= sets <= 100:
                raise FieldError((unit,), f"sets must lie in 0..100, got {sets}")
        return v


class Athlete(_Model):
    """Who trains: their level and the exercises they cannot, would rather, or would rather not do."""

    level: Level = Field("advanced", description="Training level: how much of a set counts as effective (the catalogue's effectiveness table).")
    max_knee_flexion_deg: int | None = Field(None, ge=0, le=170, description="Exercises bending the knee further are left out.")
    knee_limit_applies_to: Literal["quadriceps", "all"] = Field(
        "quadriceps",
        description="quadriceps (seed 003): the knee limit applies to exercises that load the quadriceps (squats, "
        "lunges, leg press, sissy squat...), not to hamstring curls. all: a knee that must never bend further.",
    )
    exclude: list[str] = Field(default_factory=list, description="Exercise ids never to use.")
    prefer: list[str] = Field(default_factory=list, description="Exercise ids the athlete would like in the week (soft).")
    avoid: list[str] = Field(default_factory=list, description="Exercise ids the athlete would rather not do (soft).")


class Target(_Model):
    """Weekly sets for a group or an individual muscle."""

    min: float | None = Field(None, ge=0, le=100, description="Weekly effective sets at least (with hard: false, a shortfall is reported).")
    max: float | None = Field(None, ge=0, le=100, description="Weekly effective sets at most (always hard).")
    hard: bool = Field(False, description="True: no plan below min. False: a shortfall is minimised and reported.")
    point: float | None = Field(
        None, ge=0, le=100,
        description="The weekly sets aimed at: effective sets above it count as overshoot (default: min).",
    )
    weight: int = Field(1, ge=1, le=100, description="Each set short of min counts this many times in the shortfall term.")

    @model_validator(mode="after")
    def _bounds(self) -> Target:
        if self.min is None and self.max is None:
            raise ValueError("give min, max or both")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        if self.point is not None:
            if self.min is not None and self.point < self.min:
                raise ValueError(f"point ({self.point}) is below min ({self.min})")
            if self.max is not None and self.point > self.max:
                raise ValueError(f"point ({self.point}) is above max ({self.max})")
        return self


class RatioRange(_Model):
    """The range of a ratio of two groups' weekly sets (e.g. quadriceps to hamstrings)."""

    min: float = Field(gt=0, le=10, description="The ratio at least.")
    max: float = Field(gt=0, le=10, description="The ratio at most.")
    hard: bool = Field(False, description="True: no plan outside the range. False: the distance is minimised.")

    @model_validator(mode="after")
    def _bounds(self) -> RatioRange:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        return self


class Recovery(_Model):
    min_hours_between_same_group: int = Field(48, ge=0, le=144, description="Hours between two sessions loading the same group (24 per day apart).")


class SetsRange(_Model):
    min: int = Field(2, ge=1, le=10, description="Sets of an exercise in a session, at least.")
    max: int = Field(5, ge=1, le=10, description="Sets of an exercise in a session, at most.")

    @model_validator(mode="after")
    def _bounds(self) -> SetsRange:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) is above max ({self.max})")
        return self


class Rules(_Model):
    calves_heavy_and_light: bool = Field(False, description="The week has heavy and light calf-raise work (seed 000).")
    pairing: dict[str, str] = Field(
        default_factory=dict, description="Group -> the shares_with label of the days its work belongs on (seed 000)."
    )
    pairing_hard: bool = Field(False, description="True: a group's work only on its paired days. False: work elsewhere is minimised.")
    max_exercises_per_session: int = Field(6, ge=1, le=20, description="Exercises in one session at most.")
    sets_per_exercise: SetsRange = Field(default_factory=SetsRange, description="Sets of an exercise in a session.")
    max_days_per_exercise: int = Field(2, ge=1, le=7, description="Variety: the same exercise on at most this many days.")
    warmup_minutes: int = Field(5, ge=0, le=60, description="Minutes of warm-up on each training day, counted in its minutes.")
    max_sets_per_group_per_session: int = Field(
        10, ge=1, le=50,
        description="Most sets of exercises loading one group (primary) in one session: past roughly 6-10 hard "
        "sets for a muscle in a session, extra sets add little.",
    )
    rep_schemes: list[str] | None = Field(
        None,
        description="Rep schemes the plan may use (default: all). With calves_heavy_and_light, calf raises "
        "may still use heavy and light.",
    )
    supersets: bool = Field(
        False,
        description="Let the plan pair two exercises that load no group in common and share no equipment "
        "(bodyweight aside) as a superset: per round one set of each, then one rest (README, Rules).",
    )


class Pin(_Model):
    """An exercise the week must hold on a given day."""

    day: Weekday = Field(description="One of the scenario's days.")
    exercise: str = Field(description="An exercise id (programme catalogue list).")
    sets: int | None = Field(None, ge=1, le=10, description="Exactly this many sets (default: the solver chooses).")
    scheme: str | None = Field(None, description="This rep scheme (default: the solver chooses among the exercise's).")


class Weights(_Model):
    """Weights of the objective terms when ``objective: weighted``."""

    shortfall: Weight = Field(1000, description="Sets short of the targets' min.")
    balance: Weight = Field(100, description="Sets outside the balance ratios.")
    pairing: Weight = Field(10, description="Sets of a paired group off its paired days.")
    schemes: Weight = Field(10, description="Multi-week: sets off the week's rep schemes (progression.rep_schemes).")
    exercises: Weight = Field(5, description="Distinct exercises in the week.")
    minutes: Weight = Field(1, description="Minutes of exercise work.")
    coverage: Weight = Field(50, description="goal best_training: movement patterns a coach expects, missing.")
    spread: Weight = Field(30, description="goal best_training: targeted groups trained on fewer than 2 days.")
    overshoot: Weight = Field(10, description="goal best_training: effective sets above the targets' points.")
    ineffective: Weight = Field(10, description="goal best_training: sets that do not count as effective sets.")
    preferences: Weight = Field(10, description="Preferred exercises missing, avoided ones used.")
    isolation: Weight = Field(5, description="goal best_training: quadriceps and hamstring isolation sets beyond the group's squat or hinge sets.")
    form: Weight = Field(2, description="goal best_training: sets of a lesser form of a movement the week has a better form of (lying curls where seated ones are at hand).")
    rep_range: Weight = Field(3, description="goal best_training: sets outside the exercise's main rep range.")


class SolverSettings(_Model):
    time_limit_s: float = Field(10, gt=0, le=3600, description="Seconds the solver may search (the whole command's, for a programme).")
    workers: Workers = Field(2, description="CP-SAT workers; the same workers and seed give the same plan.")
    seed: Seed = Field(0, description="CP-SAT's random seed.")
    preset: str | None = Field(None, description="A solver preset name or TOML file (benchmarks/presets).")
    reproducible: bool = Field(
        False,
        description="true: budgets in CP-SAT's deterministic time and its deterministic parallel search, the same plan "
        "on a busy machine as on an idle one (README, 'Same plan on a busy machine'). false (default): wall-clock budgets.",
    )


class Block(_Model):
    """One block of a multi-week programme."""

    weeks: int = Field(ge=1, le=52, description="Weeks in this block, its deload weeks included.")
    volume: float = Field(1.0, gt=0, le=3, description="Scales every target's min and max in this block (season progression).")


class Ramp(_Model):
    """How volume rises over a block's training weeks: give ``factors`` or ``sets_per_week``."""

    factors: list[float] | None = Field(
        None, description="Per training week of a block: multiplies every target's min and max (e.g. [1.0, 1.1, 1.2])."
    )
    sets_per_week: float | dict[str, float] | None = Field(
        None, description="Sets added to min and max per training week after a block's first: one number for every target, or per target."
    )

    @field_validator("factors")
    @classmethod
    def _factors(cls, v: list[float] | None) -> list[float] | None:
        if v is not None:
            if not v:
                raise ValueError("give at least one factor")
            for i, f in enumerate(v):
                if not 0 < f <= 3:
                    raise FieldError((i,), f"{f}: expected above 0 and at most 3")
        return v

    @field_validator("sets_per_week")
    @classmethod
    def _sets(cls, v: float | dict[str, float] | None) -> float | dict[str, float] | None:
        for key, sets in (v.items() if isinstance(v, dict) else [("", v)] if v is not None else []):
            if not -100 <= sets <= 100:
                raise FieldError((key,) if key else (), f"expected -100..100 sets per week, got {sets}")
        return v

    @model_validator(mode="after")
    def _one(self) -> Ramp:
        if (self.factors is None) == (self.sets_per_week is None):
            raise ValueError("give exactly one of factors or sets_per_week")
        return self


class Deload(_Model):
    weeks: int = Field(1, ge=1, le=4, description="The last this-many weeks of every block are deload weeks.")
    factor: float = Field(
        0.5, gt=0, le=1,
        description="A deload week's targets are the base targets times this, and its sets at most this share of the block's last training week.",
    )


class Rotation(_Model):
    min_new_share: float = Field(
        0.5, ge=0, le=1, description="Share of a block's exercises (required and pinned ones aside) not used in the block before."
    )


class SchemeProgression(_Model):
    weeks: list[list[str]] = Field(
        min_length=1,
        description="Per week of a block, the rep schemes its sets should use (the last entry repeats), e.g. [[moderate], [moderate, heavy], [heavy]].",
    )
    hard: bool = Field(False, description="True: other schemes are forbidden. False: sets in other schemes are minimised.")


class Progression(_Model):
    """How a multi-week programme is structured (only with ``weeks`` above 1)."""

    blocks: int | list[int | Block] | None = Field(
        None, description="Block length in weeks, or the blocks in order; default one block of all the weeks."
    )
    ramp: Ramp | None = Field(None, description="How volume rises over a block's training weeks.")
    deload: Deload | None = Field(None, description="Deload weeks at the end of every block.")
    fixed_exercises_within_block: bool = Field(
        True, description="Within a block the same exercises on the same days every training week (deload weeks: a subset)."
    )
    rotation: Rotation | None = Field(None, description="New exercises in each block after the first.")
    rep_schemes: SchemeProgression | None = Field(None, description="The rep schemes of each week of a block.")


class Scenario(_Model):
    """What a person who trains (or their coach) asks of a week or a programme."""

    name: str = Field(description="A title for the plan.")
    description: str = Field("", description="Free text: who it is for, what it is about.")
    equipment: list[str] = Field(
        default_factory=list,
        description="Equipment ids (programme catalogue equipment) of the days with no `at` (required, non-empty, "
        "unless every day names a location).",
    )
    locations: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Places trained at and their equipment, e.g. {home: [dumbbell, bench], gym: [...]}; "
        "a day's `at` names one. An empty list: bodyweight only.",
    )
    athlete: Athlete = Field(default_factory=Athlete, description="Level, knee limit, exercises to leave out, prefer or avoid.")
    days: list[Day] = Field(min_length=1, max_length=7, description="The days to train and the minutes of each.")
    targets: dict[str, Target] = Field(
        default_factory=dict, description="Weekly sets per muscle group or muscle id (programme catalogue muscles)."
    )
    balance: dict[str, RatioRange] = Field(
        default_factory=dict, description="'<group>_to_<group>': the ratio of their weekly sets."
    )
    recovery: Recovery = Field(default_factory=Recovery, description="Rest between sessions loading the same group.")
    rules: Rules = Field(default_factory=Rules, description="Session limits, sets per exercise, variety, warm-up, pairing.")
    required: list[str] = Field(default_factory=list, description="Exercises the week must contain.")
    pinned: list[Pin] = Field(default_factory=list, description="Exercises fixed to a day.")
    goal: Literal["best_training", "least_time"] = Field(
        "best_training",
        description="best_training: after targets, balance and pairing, the best training that fits (movement coverage, "
        "spread over the week, no overshoot, effective sets), minutes and exercise count as tie-breaks. "
        "least_time: after targets, balance and pairing, the fewest minutes.",
    )
    objective: Literal["lexicographic", "weighted"] = Field(
        "lexicographic", description="lexicographic: each term in priority order. weighted: one sum with weights."
    )
    weights: Weights = Field(default_factory=Weights, description="The terms' weights with objective: weighted.")
    solver: SolverSettings = Field(default_factory=SolverSettings, description="Time limit, workers, seed and preset of the solver.")
    weeks: int = Field(1, ge=1, le=52, description="Weeks in the programme; above 1 the progression section applies.")
    progression: Progression | None = Field(None, description="Blocks, ramp, deloads and rotation of a multi-week programme.")
    equipment_profiles: dict[str, list[str]] = Field(
        default_factory=dict,
        description="Named equipment sets to compare (programme compare --profile NAME), e.g. {home: [...], gym: [...]}.",
    )

    @field_validator("equipment_profiles")
    @classmethod
    def _profiles(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, items in v.items():
            if not items:
                raise FieldError((name,), "a profile needs at least one equipment id")
        return v

    @field_validator("days")
    @classmethod
    def _distinct_days(cls, days: list[Day], info: ValidationInfo) -> list[Day]:
        from .errors import FieldError, close_matches

        places = info.data.get("locations") or {}
        for i, d in enumerate(days):  # file order, so the error points at the right line
            if d.at is not None and d.at not in places:
                known = close_matches(d.at, places) or (
                    f" (locations: {', '.join(sorted(places))})" if places else " (the scenario has no locations)"
                )
                raise FieldError((i, "at"), f"unknown location {d.at!r}{known}")
            if d.at is None and not info.data.get("equipment") and "equipment" in info.data:
                raise FieldError(
                    (i,), f"{d.day} names no location (at) and the scenario has no top-level equipment for such days"
                )
        seen: set[str] = set()
        for i, d in enumerate(days):
            if d.day in seen:
                raise FieldError((i, "day"), f"{d.day} is listed twice")
            seen.add(d.day)
        return sorted(days, key=lambda d: WEEKDAYS.index(d.day))

    @field_validator("balance")
    @classmethod
    def _ratio_keys(cls, v: dict[str, RatioRange]) -> dict[str, RatioRange]:
        for key in v:
            if "_to_" not in key:
                raise FieldError((key,), "expected '<group>_to_<group>', e.g. quadriceps_to_hamstrings")
        return v

    @model_validator(mode="after")
    def _labels(self) -> Scenario:
        from .errors import close_matches

        labels = {d.shares_with for d in self.days if d.shares_with}
        for group, label in self.rules.pairing.items():
            if label not in labels:
                hint = close_matches(label, labels) or (f" (days share with: {', '.join(sorted(labels))})" if labels else " (no day has shares_with)")
                raise FieldError(("rules", "pairing", group), f"no day shares_with {label!r}{hint}")
        pinned_days = {d.day for d in self.days}
        for i, pin in enumerate(self.pinned):
            if pin.day not in pinned_days:
                raise FieldError(("pinned", i, "day"), f"{pin.day} is not one of the scenario's days ({', '.join(d.day for d in self.days)})")
        validate_progression(self)
        return self

    def equipment_at(self, day: Day) -> list[str]:
        """The equipment of ``day``: its location's, or the top-level list when it names none."""
        return self.locations[day.at] if day.at is not None else self.equipment


# ---------------------------------------------------------------------------------------
# The blocks of a programme and the rules of ``weeks`` with ``progression``: part of what
# a valid scenario is (Scenario._labels checks them); optimizer.progression builds the
# calendar and the scaled targets on them.


def blocks_of(sc: Scenario) -> list[Block]:
    """The blocks in order (one block of every week when none are given)."""
    pr = sc.progression
    spec = pr.blocks if pr is not None else None
    if spec is None:
        return [Block(weeks=sc.weeks)]
    if isinstance(spec, int):
        return [Block(weeks=spec) for _ in range(max(1, sc.weeks // spec))]
    return [b if isinstance(b, Block) else Block(weeks=b) for b in spec]


def deload_weeks(sc: Scenario) -> int:
    pr = sc.progression
    return pr.deload.weeks if pr is not None and pr.deload is not None else 0


def validate_progression(sc: Scenario) -> None:
    """Cross-field checks of ``weeks`` and ``progression``; messages start with the field path."""
    pr = sc.progression
    if pr is None:
        return
    if sc.weeks == 1:
        raise _bad("progression: needs weeks above 1 (weeks is 1)")
    if isinstance(pr.blocks, int):
        if pr.blocks < 1 or sc.weeks % pr.blocks:
            raise _bad(f"progression.blocks: a block length of {pr.blocks} does not divide weeks ({sc.weeks})")
    elif pr.blocks is not None:
        if not pr.blocks:
            raise _bad("progression.blocks: give at least one block")
        total = sum(b if isinstance(b, int) else b.weeks for b in pr.blocks)
        if total != sc.weeks:
            raise _bad(f"progression.blocks: the blocks add up to {total} weeks, but weeks is {sc.weeks}")
        for i, b in enumerate(pr.blocks):
            if isinstance(b, int) and b < 1:
                raise _bad(f"progression.blocks[{i}]: a block lasts at least one week")
    blocks = blocks_of(sc)
    n_deload = deload_weeks(sc)
    for i, b in enumerate(blocks, start=1):
        if b.weeks <= n_deload:
            raise _bad(
                f"progression.deload.weeks: {n_deload} deload week(s) leave block {i} ({b.weeks} weeks) no training week"
            )
    longest = max(b.weeks for b in blocks) - n_deload
    if pr.ramp is not None:
        if pr.ramp.factors is not None and len(pr.ramp.factors) < longest:
            raise _bad(
                f"progression.ramp.factors: {len(pr.ramp.factors)} factor(s), but a block has {longest} training weeks"
            )
        if isinstance(pr.ramp.sets_per_week, dict):
            for unit in pr.ramp.sets_per_week:
                if unit not in sc.targets:
                    raise _bad(f"progression.ramp.sets_per_week.{unit}: not one of the targets")
    if pr.rotation is not None and len(blocks) < 2:
        raise _bad("progression.rotation: needs at least two blocks")
    if pr.rep_schemes is not None:
        for i, allowed in enumerate(pr.rep_schemes.weeks):
            if not allowed:
                raise _bad(f"progression.rep_schemes.weeks[{i}]: give at least one rep scheme")


def _bad(text: str) -> ValueError:
    """'progression.blocks: why' -> an error pydantic reports at progression.blocks (its line)."""
    from .locate import parse_field

    path, why = text.split(": ", 1)
    return FieldError(parse_field(path), why)


def scenario_warnings(scenario: Scenario) -> list[str]:
    """What a valid scenario probably did not mean: one that asks for nothing plans an empty week."""
    if scenario.targets:
        return []
    if not scenario.required and not scenario.pinned:
        return [
            "the scenario asks for nothing: no targets, required or pinned exercises, so the best week is an "
            "empty one (add targets, e.g. quadriceps: {min: 10, max: 16})"
        ]
    return ["the scenario has no targets: the week holds only its required and pinned exercises"]


def load_scenario(path: Path | str) -> Scenario:
    """A scenario file (YAML, TOML or JSON), or the name of a built-in example (``"gym"``)."""
    from .io import load_model
    from .paths import scenario_path

    return load_model(Scenario, scenario_path(path))
