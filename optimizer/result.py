"""Typed results: what a solve returns and what ``--format json`` writes.

"No plan" is a status here, never an exception. The JSON form of :class:`SolveResult` is
the stable machine format (``programme schema plan`` prints its JSON Schema); its
``plan`` section is what ``programme check`` re-verifies.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, Field

from .limits import STRICT


class Status(str, Enum):
    OPTIMAL = "OPTIMAL"  # proven best under the objective
    FEASIBLE = "FEASIBLE"  # a plan, not proven best (time limit): see gap
    INFEASIBLE = "INFEASIBLE"  # proven: no plan satisfies the hard requirements
    UNKNOWN = "UNKNOWN"  # time ran out before any plan was found
    INTERRUPTED = "INTERRUPTED"  # Ctrl-C or SIGTERM: the best plan found until then (optimizer.interrupt)

    @property
    def has_plan(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE, Status.INTERRUPTED)


class _Model(BaseModel):
    model_config = STRICT  # strict types, finite numbers (optimizer.limits)


class PlannedExercise(_Model):
    exercise: str
    name: str
    sets: int
    scheme: str
    reps: str = Field(description="The scheme's rep range, e.g. '8-12'.")
    rest_s: int
    set_seconds: int
    setup_s: int
    minutes: float = Field(description="Set-up plus all sets, in minutes (a superset's second exercise: less the rests the pair saves).")
    mechanic: str
    superset: str | None = Field(
        None,
        description="Superset label within the day (rules.supersets): A1 and A2 are done alternately, "
        "min(sets) rounds of one set each then one rest; null for straight sets.",
    )


class PlannedDay(_Model):
    day: str
    shares_with: str | None = None
    at: str | None = Field(None, description="Where the day is trained (the scenario's days[].at), when it names a place.")
    minutes_budget: int
    warmup_minutes: float
    minutes_used: float = Field(description="Warm-up plus every exercise's minutes (0 on a rest day).")
    exercises: list[PlannedExercise]


class VolumeRow(_Model):
    unit: str
    kind: str  # group or muscle
    sets: float  # effective sets: what the targets count (catalogue effectiveness x activation)
    raw_sets: float | None = None  # sets as done, each credited by activation alone
    min: float | None = None
    max: float | None = None
    hard: bool = False
    shortfall: float = 0.0


class RatioRow(_Model):
    name: str
    numerator_sets: float
    denominator_sets: float
    value: float | None
    min: float
    max: float
    hard: bool
    outside: float = Field(0.0, description="Sets of the numerator outside the range (0 when within).")


class Plan(_Model):
    days: list[PlannedDay]
    volume: list[VolumeRow] = Field(default_factory=list)
    ratios: list[RatioRow] = Field(default_factory=list)

    def entries(self):
        """(day, PlannedExercise) for every exercise in the week."""
        for d in self.days:
            for ex in d.exercises:
                yield d.day, ex


class ObjectiveTerm(_Model):
    name: str
    value: float
    bound: float | None = None
    unit: str
    rank: int | None = Field(None, description="Lexicographic priority (1 first); null when weighted.")
    weight: float | None = None


class Requirement(_Model):
    family: str
    label: str
    path: str
    key: str = Field("", description="Stable id of the requirement, e.g. time_budget:mon.")


class RunSummary(_Model):
    """What every solve reports besides its plan: status, objective, bound, gap, settings.

    Shared by one-week results and multi-week programmes (:mod:`optimizer.programme_result`).
    """

    scenario: str
    status: Status = Field(strict=False)  # a name in a file, the enum in Python
    message: str = ""
    objective: str = "lexicographic"
    objective_terms: list[ObjectiveTerm] = Field(default_factory=list)
    objective_value: float | None = None
    best_bound: float | None = None
    gap: float | None = Field(None, description="Relative gap of the first term not proven optimal; 0 when optimal.")
    conflict: list[Requirement] = Field(default_factory=list, description="When infeasible: a minimal set of requirements in conflict.")
    repair: str | None = Field(None, description="When infeasible: the cheapest verified change that gives a plan.")
    wall_time_s: float = 0.0
    build_time_s: float = 0.0
    method: str = ""
    stats: dict = Field(default_factory=dict)
    parameters: dict = Field(default_factory=dict)
    exercises_considered: int = 0
    exercises_left_out: int = 0
    exercises_dominated: int = Field(
        0, description="Usable exercises dropped before modelling because no optimal plan needs them (optimizer.pruning)."
    )
    ortools_version: str = ""
    programme_optimiser_version: str = ""


class SolveResult(RunSummary):
    """One week: the summary and its plan (None when there is no plan)."""

    plan: Plan | None = None
