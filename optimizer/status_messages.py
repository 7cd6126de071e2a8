"""What a result's message says about how the solve ended: the text, in one place."""

from __future__ import annotations

WALL_CUT = (
    " The wall clock ended the search before its deterministic budget (a busy or slow machine):"
    " this run may not repeat exactly."
)
NO_PLAN_IN_TIME = "Time limit reached before any plan was found; try a longer --time-limit."
NOT_CANONICAL = (
    " The search for the canonical plan among equally good ones ran out of time: another run"
    " may give another plan of the same value."
)


TIME_UP = "Time limit reached: "
EARLY_END = 0.9  # an unproven run that ends before this share of its limit did not reach it


def ended_early(message: str, wall_s: float, params, halted: bool = False) -> str:
    """An unproven plan's message, true to when the run ended. Each unproven search has
    its share of the limit, the rest kept for what may follow (the day-level model after
    the weekly rounds, phase 2 after phase 1): when that needed less, the run ends before
    the limit, and "Time limit reached" would send the user to a longer limit for nothing
    they can see (the 200-exercise tight week ended at 21.7 s of 30 with the plan it has
    at 45). Not in reproducible mode, whose budget is not wall-clock seconds, nor when a
    stop (Ctrl-C, the command's deadline) ended it (``halted``)."""
    if not message.startswith(TIME_UP) or params.deterministic or halted or wall_s >= EARLY_END * params.time_limit_s:
        return message
    return (
        f"Stopped at {wall_s:.1f} s of the {params.time_limit_s:g} s limit: the search left unproven had used its share,"
        f" and what the rest was kept for needed less; {message.removeprefix(TIME_UP)}"
    )


def gap_note(gap, first_open, terms) -> str:
    """The end of an unproven plan's message: its gap, and on a lexicographic objective which
    term it is on. A gap of 100 % on a later term whose bound is 0 read like a bad plan where
    every term before it was proven (the tight full-gym week: shortfall proven, balance 4
    against 0)."""
    if gap is None:
        return "."
    if first_open is None:
        return f" (gap {gap:.1%})."
    before = terms[: terms.index(first_open)]
    proven = "; every term before it is proven" if before and all(t.bound is not None for t in before) else ""
    return f" (gap {gap:.1%} on {first_open.name}, {first_open.value:g} against a bound of {first_open.bound:g}{proven})."
