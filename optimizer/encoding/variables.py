"""Variable containers whose accessors say what they mean.

Both containers answer the same questions about a week (sets of an exercise, sessions of
it, sets placed on days of one class...), so the families that only look at weekly totals
(volume, balance, calves, pairing, variety) are written once for both.

:class:`WeeklyVars` (stage A) has no days: per exercise, day class and rep scheme, the
weekly sets and the number of sessions. :class:`DailyVars` places each exercise's sets on
days. A day *class* is the set of days sharing one ``shares_with`` label and one place
(``Day.at``): days within a class differ only in minutes and calendar position, which
stage A relaxes; an exercise has stage-A variables only in classes whose place has its
equipment, so its weekly sets never exceed what its eligible days can hold.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ..problem import PDay, PExercise, Problem


def max_sets_in_session(p: Problem, ex: PExercise, k: int, day: PDay) -> int:
    """Most sets of ``ex`` with scheme ``k`` that fit one session on ``day``; < sets_min: unusable
    (0 too where the day's place lacks its equipment)."""
    if day.index in ex.off_days:
        return 0
    room = day.capacity_s - ex.setup_s
    if room <= 0:
        return 0
    return min(p.sets_max, room // ex.seconds(k))


def weekly_totals(p: Problem, placement) -> dict[tuple[int, int, int], tuple[int, int]]:
    """A plan's weekly totals as stage A has them: (exercise, day class, scheme) -> (sets,
    sessions)."""
    out: dict[tuple[int, int, int], tuple[int, int]] = {}
    for e, d, k, n in placement:
        key = (e, p.days[d].cls, k)
        sets, sessions = out.get(key, (0, 0))
        out[key] = (sets + n, sessions + 1)
    return out


class WeeklyVars:
    """Stage A: sets[e, c, k] and sessions[e, c, k] per exercise, day class, scheme."""

    daily = False

    def __init__(self, model: cp_model.CpModel, p: Problem):
        self.p = p
        self.sets: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.sessions: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.per_session_max: dict[tuple[int, int, int], int] = {}
        self.used: dict[int, cp_model.IntVar] = {}
        self._by_ex: dict[int, list[tuple[int, int, int]]] = {}
        for ex in p.exercises:
            self.used[ex.index] = model.new_bool_var(f"used[{ex.id}]")
            for c, label in enumerate(p.classes):
                days = p.days_of_class(c)
                for k in ex.schemes:
                    most = max(max_sets_in_session(p, ex, k, d) for d in days)
                    if most < p.sets_min:
                        continue
                    n = min(len(days), p.max_days_per_exercise)
                    at = f"@{days[0].at}" if days[0].at else ""
                    tag = f"{ex.id},{label or 'free'}{at},{p.schemes[k].id}"
                    self.sessions[ex.index, c, k] = model.new_int_var(0, n, f"sessions[{tag}]")
                    self.sets[ex.index, c, k] = model.new_int_var(0, most * n, f"sets[{tag}]")
                    self.per_session_max[ex.index, c, k] = most
                    self._by_ex.setdefault(ex.index, []).append((ex.index, c, k))

    # Questions both containers answer -----------------------------------------------
    def items(self, e: int | None = None):
        return list(self.sets) if e is None else self._by_ex.get(e, [])

    def week_sets(self, e: int):
        return sum(self.sets[key] for key in self.items(e))

    def scheme_sets(self, e: int, k: int):
        return sum(self.sets[key] for key in self.items(e) if key[2] == k)

    def scheme_sessions(self, e: int, k: int):
        return sum(self.sessions[key] for key in self.items(e) if key[2] == k)

    def week_sessions(self, e: int):
        return sum(self.sessions[key] for key in self.items(e))

    def class_sets(self, e: int, c: int):
        return sum(self.sets[key] for key in self.items(e) if key[1] == c)

    def class_sessions(self, e: int, c: int):
        return sum(self.sessions[key] for key in self.items(e) if key[1] == c)

    def item_seconds(self, key):
        """Seconds of work of one item: set-up once per session, plus its sets."""
        ex = self.p.exercises[key[0]]
        return ex.setup_s * self.sessions[key] + ex.seconds(key[2]) * self.sets[key]

    def work_seconds(self):
        return sum(self.item_seconds(key) for key in self.sets)


SETS_CAP = 10  # the most sets per exercise any scenario allows (rules.sets_per_exercise.max)


class DailyVars:
    """Sets[e, d, k] and on[e, d, k] per exercise, day, scheme; one scheme per exercise and day.

    ``loose``: domains assume no requirement at all (every exercise, day and scheme, up to
    :data:`SETS_CAP` sets), so that switching a requirement off really frees what it
    bound: explaining needs that; solving does not (tight domains are faster).
    ``only``: the (exercise, day class, scheme) items to model, all others off (stage B
    places stage A's chosen items; the rest of the catalogue would only be switched off).
    """

    daily = True

    def __init__(self, model: cp_model.CpModel, p: Problem, loose: bool = False, only: set | None = None):
        self.p = p
        self.loose = loose
        self.sets: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.on: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.most: dict[tuple[int, int, int], int] = {}
        self.used: dict[int, cp_model.IntVar] = {}
        self.trained: dict[int, cp_model.IntVar] = {}
        self._by_ex: dict[int, list[tuple[int, int, int]]] = {}
        self._by_day: dict[int, list[tuple[int, int, int]]] = {}
        for d in p.days:
            self.trained[d.index] = model.new_bool_var(f"trained[{d.name}]")
        for ex in p.exercises:
            self.used[ex.index] = model.new_bool_var(f"used[{ex.id}]")
            for d in p.days:
                for k in ex.schemes:
                    if d.index in ex.off_days:  # the day's place lacks its equipment
                        continue
                    if only is not None and (ex.index, d.cls, k) not in only:
                        continue
                    most = SETS_CAP if loose else max_sets_in_session(p, ex, k, d)
                    if most < p.sets_min:
                        continue
                    tag = f"{ex.id},{d.name},{p.schemes[k].id}"
                    self.on[ex.index, d.index, k] = model.new_bool_var(f"on[{tag}]")
                    self.sets[ex.index, d.index, k] = model.new_int_var(0, most, f"sets[{tag}]")
                    self.most[ex.index, d.index, k] = most
                    self._by_ex.setdefault(ex.index, []).append((ex.index, d.index, k))
                    self._by_day.setdefault(d.index, []).append((ex.index, d.index, k))

    def items(self, e: int | None = None):
        return list(self.sets) if e is None else self._by_ex.get(e, [])

    def day_items(self, d: int):
        return self._by_day.get(d, [])

    def on_day(self, e: int, d: int):
        """1 when exercise e is done on day d (any scheme)."""
        return sum(self.on[key] for key in self.items(e) if key[1] == d)

    def week_sets(self, e: int):
        return sum(self.sets[key] for key in self.items(e))

    def scheme_sets(self, e: int, k: int):
        return sum(self.sets[key] for key in self.items(e) if key[2] == k)

    def scheme_sessions(self, e: int, k: int):
        return sum(self.on[key] for key in self.items(e) if key[2] == k)

    def week_sessions(self, e: int):
        return sum(self.on[key] for key in self.items(e))

    def class_sets(self, e: int, c: int):
        return sum(self.sets[key] for key in self.items(e) if self.p.days[key[1]].cls == c)

    def class_sessions(self, e: int, c: int):
        return sum(self.on[key] for key in self.items(e) if self.p.days[key[1]].cls == c)

    def item_seconds(self, key):
        """Seconds of work of one item: its set-up (when done) plus its sets."""
        ex = self.p.exercises[key[0]]
        return ex.setup_s * self.on[key] + ex.seconds(key[2]) * self.sets[key]

    def work_seconds(self):
        return sum(self.item_seconds(key) for key in self.sets)
