"""What every constraint family receives: the model, the problem, and named guards.

Every hard requirement is added through :meth:`Context.add`, which names it in the
user's words and ties it to the place in the scenario it comes from. In a plain solve the
guard is nothing; when explaining infeasibility each requirement (or each family) gets a
named literal that the solver may switch off, so conflicts read as the user wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ..problem import Problem


@dataclass(frozen=True)
class Requirement:
    family: str
    key: str  # stable id, e.g. "time_budget:mon"
    label: str  # in the user's words, e.g. "Monday: 20 minutes"
    path: str  # where in the scenario file, e.g. "days[0].minutes"


@dataclass
class Context:
    model: cp_model.CpModel
    problem: Problem
    guard_mode: str = "off"  # "off", "family" or "requirement"
    literals: dict[str, cp_model.IntVar] = field(default_factory=dict)
    requirements: dict[str, Requirement] = field(default_factory=dict)
    terms: dict[str, list] = field(default_factory=dict)  # objective term name -> expressions
    spread_days: dict[str, object] = field(default_factory=dict)  # group -> days it is trained (families.spread)
    may_load: dict[str, dict] = field(default_factory=dict)  # stage A: group -> day -> may be loaded (recovery)
    saved: dict[int, object] = field(default_factory=dict)  # class (stage A) or day -> seconds supersets save (families.supersets)
    pair_saved: dict[tuple[int, int], object] = field(default_factory=dict)  # (a, b) -> seconds that pair saves in the week

    def guard(self, req: Requirement) -> list:
        """The enforcement literals for a requirement: [] when guards are off."""
        self.requirements.setdefault(req.key, req)
        if self.guard_mode == "off":
            return []
        name = req.family if self.guard_mode == "family" else req.key
        if name not in self.literals:
            self.literals[name] = self.model.new_bool_var(f"req[{name}]")
        return [self.literals[name]]

    def add(self, constraint, req: Requirement) -> None:
        """Add a hard constraint guarded by ``req``."""
        ct = self.model.add(constraint)
        lits = self.guard(req)
        if lits:
            ct.only_enforce_if(lits)

    # Repair hooks: how far a repair (see :mod:`.explain`) may move a requirement's bound.
    # Outside repairs every hook answers 0, so a family writes its rule once, e.g.
    # ``work <= budget + ctx.slack(r, 60, limit)``, and it means ``work <= budget``.
    def slack(self, req: Requirement, unit: int, limit: int, path: str | None = None):
        """Extra room, in ``unit``s (at most ``limit`` of them), a repair may give a bound."""
        return 0

    def relax_by(self, req: Requirement, amount: int, path: str | None = None):
        """1 when a repair moves the bound of ``req`` by at least ``amount`` (its own units)."""
        return 0

    def adds(self, req: Requirement, options: tuple[str, ...]):
        """1 when a repair adds one of the equipment ``options``."""
        return 0

    def add_term(self, name: str, expr) -> None:
        """Contribute to a soft objective term (see :mod:`.objective`)."""
        self.terms.setdefault(name, []).append(expr)
