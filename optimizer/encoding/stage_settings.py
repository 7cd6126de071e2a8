"""Search settings of the lexicographic stages (:mod:`.stages`) beyond every search's own
(:func:`.runtime._solver`): the LP-heavy settings of the stages whose proof is an LP bound,
and CP-SAT's full presolve for the long tie-break searches. A preset that sets the same
fields wins over both.
"""

from __future__ import annotations

from .runtime import SolveParams
from .objective import TIE_BREAKS


LP_SUBSOLVERS: list[str] = ["max_lp", "core"]  # for 2 workers or more; see _lp_params


def _lp_bound_stage(name, v) -> bool:
    """Whether stage ``name`` on ``v``'s model takes :func:`_lp_params`: the tie-breaks, and
    every stage of the day-level model.

    The day-level model is solved where the days are too short for the weekly totals
    (the fallback after the cut rounds): each of its stages then asks what fits
    each day, time packing like the minutes tie-break's, whose proof lives in the same LP
    bound. Day-level rep_range stages of 100 batch athletes, one worker, seeds 0 and 1:
    4.5-6.7 -> 0.6-1.2 s, 2.6-4.0 -> 0.4-0.8 s, 29 -> 5-12 s; the stored tight 50-exercise
    week proven in 12-13 s on two workers (three seeds) where 30 s did not prove it
    (benchmarks/README.md). On the weekly model the default portfolio did as well or
    better.
    """
    return name == TIE_BREAKS or getattr(v, "daily", False)


def _lp_params(solver, params: SolveParams) -> None:
    """Search settings for the stages whose proof is an LP bound (:func:`_lp_bound_stage`)
    and the canonical solve, unless a preset chose its own.

    Minutes are a covering problem whose proof lives in the LP bound: CP-SAT's cuts at the
    highest linearisation level close it where the default portfolio wanders (gym example,
    deterministic time of the stage ~0.4 -> ~0.07; benchmarks/bench_goal.py). The canonical
    solve (every stage fixed, one worker) finds its plan by the same LP: gym 0.30 -> 0.08.
    """
    if {"subsolvers", "linearization_level", "extra_subsolvers", "ignore_subsolvers"} & set(params.extra):
        return
    if solver.parameters.num_workers <= 1:
        solver.parameters.linearization_level = 2
    elif LP_SUBSOLVERS:
        solver.parameters.subsolvers.extend(LP_SUBSOLVERS[: solver.parameters.num_workers])


FULL_PRESOLVE = {"max_presolve_iterations": 3, "cp_model_probing_level": 2}  # CP-SAT's defaults


def _full_presolve(solver, params: SolveParams) -> None:
    """CP-SAT's own presolve, in place of the light one every search has
    (:data:`~.runtime.LIGHT_PRESOLVE`), unless a preset chose its own: for a tie-break
    stage the one-worker attempt did not prove, and the canonical solve after it, where
    the searches are long and probing pays.

    The imported catalogue's gym week (764 variables), captured stage, two workers, 10 s:
    not proven with the light presolve on any of six settings tried; proven in 4.3-5.6 s
    (three seeds) with this. Its canonical solve, one worker, seeds 0-5: 0.65-9.6 s
    (median 4.6) light, 0.59-8.1 s (median 1.7) with this (benchmarks/README.md)."""
    if set(FULL_PRESOLVE) & set(params.extra):
        return
    for key, value in FULL_PRESOLVE.items():
        setattr(solver.parameters, key, value)
