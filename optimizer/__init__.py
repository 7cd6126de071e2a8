"""programme-optimiser: training programmes chosen by a constraint solver.

The library does everything the ``programme`` command does::

    from optimizer import load_catalogue, load_scenario, solve, check_result

    scenario = load_scenario("scenarios/home_balls_and_bands.yaml")
    catalogue = load_catalogue()
    result = solve(scenario, catalogue, workers=2, seed=0)
    assert check_result(scenario, catalogue, result).ok

Importing the package does not import ortools or pandas.
"""

from .catalogue import Catalogue, Exercise, load_catalogue
from .checker import CheckReport, check_plan, check_result
from .errors import InputError
from .problem import Problem, build_problem
from .programme import MultiWeekProblem, build_programme_problem, solve_programme
from .programme_checker import check_programme, check_programme_result
from .programme_result import ProgrammeResult
from .result import Plan, SolveResult, Status
from .scenario import Scenario, load_scenario
from .solver import solve

__all__ = [
    "Catalogue",
    "CheckReport",
    "Exercise",
    "InputError",
    "MultiWeekProblem",
    "Plan",
    "Problem",
    "ProgrammeResult",
    "Scenario",
    "SolveResult",
    "Status",
    "build_problem",
    "build_programme_problem",
    "check_plan",
    "check_programme",
    "check_programme_result",
    "check_result",
    "load_catalogue",
    "load_scenario",
    "solve",
    "solve_programme",
]
