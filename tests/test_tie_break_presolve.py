"""A tie-break stage the one-worker attempt did not prove searches after CP-SAT's own presolve.

Every search has a light presolve (one pass, no probing): most are small and many. The
tie-break stage that the one-worker attempt leaves unproven is the long one (the imported
catalogue's gym week: never proven at 10 s with the light presolve, proven in 4-7 s with
probing), so it and the canonical solve after it get CP-SAT's defaults.
"""

from __future__ import annotations

from optimizer import load_scenario
from optimizer.encoding import stage_settings, stages
from optimizer.encoding.solve import SolveParams, _Clock, build
from optimizer.problem import build_problem

from .conftest import SCENARIOS

_SOLVER = stages._solver


def _tie_break_searches(catalogue, monkeypatch, params: SolveParams, miss: bool):
    """(every search's (workers, presolve passes, probing level), the tie-break stage's
    searches among them, the stage values) for the gym week's weekly model; ``miss``: the
    one-worker attempt at the tie-breaks is given no time."""
    if miss:
        monkeypatch.setattr(stages, "CANON_STAGE_DTIME", 1e-6)
    made: list = []
    events: list = []

    def spy(params, seconds, *args, **kwargs):
        solver = _SOLVER(params, seconds, *args, **kwargs)
        made.append(solver)
        events.append(solver)
        return solver

    monkeypatch.setattr(stages, "_solver", spy)
    monkeypatch.setattr(stages, "_note", lambda text: events.append(text))
    problem = build_problem(load_scenario(SCENARIOS / "gym.yaml"), catalogue)
    model, ctx, v = build(problem, daily=False)
    status, _, values, _ = stages.optimise(problem, model, ctx, v, params, _Clock(60), 1.0, {})
    assert status == "OPTIMAL"
    at = next(i for i, e in enumerate(events) if isinstance(e, str) and "minutes+exercises" in e)
    tie_break = [e for e in events[at:] if not isinstance(e, str)]
    shape = lambda s: (s.parameters.num_workers, s.parameters.max_presolve_iterations, s.parameters.cp_model_probing_level)  # noqa: E731
    return [shape(s) for s in made], [shape(s) for s in tie_break], values


def test_only_the_stage_the_one_worker_attempt_missed_gets_the_full_presolve(catalogue, monkeypatch):
    params = SolveParams(time_limit_s=60, workers=2, seed=0)
    every, tie_break, missed_values = _tie_break_searches(catalogue, monkeypatch, params, miss=True)
    full = (stage_settings.FULL_PRESOLVE["max_presolve_iterations"], stage_settings.FULL_PRESOLVE["cp_model_probing_level"])
    # The one-worker attempt (light), then the stage on every worker and the canonical
    # solve (full), and nothing else.
    assert tie_break == [(1, 1, 0), (2, *full), (1, *full)]
    assert sum(s[1:] == full for s in every) == 2
    monkeypatch.undo()
    every, tie_break, values = _tie_break_searches(catalogue, monkeypatch, params, miss=False)
    assert all(s[1:] == (1, 0) for s in every)  # proven at once: nothing searched with it
    assert values == missed_values  # a proven optimum is the same either way


def test_a_presets_own_presolve_is_kept(catalogue, monkeypatch):
    params = SolveParams(time_limit_s=60, workers=2, seed=0, extra={"cp_model_probing_level": 1})
    every, tie_break, _ = _tie_break_searches(catalogue, monkeypatch, params, miss=True)
    assert all(s[2] == 1 for s in every)
    assert tie_break[1:] == [(2, 1, 1), (1, 1, 1)]
