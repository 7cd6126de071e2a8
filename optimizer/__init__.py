"""programme-optimiser: training programmes chosen by a constraint solver.

The library does everything the ``programme`` command does::

    from optimizer import load_catalogue, load_scenario, solve, check_result

    scenario = load_scenario("scenarios/home_balls_and_bands.yaml")
    catalogue = load_catalogue()
    result = solve(scenario, catalogue, workers=2, seed=0)
    assert check_result(scenario, catalogue, result).ok

Importing the package imports nothing heavy: names load on first use (PEP 562), so
``programme --help`` stays fast; ortools and pandas load only when a solve or a render starts.
"""

from importlib import import_module
from typing import TYPE_CHECKING

# Public name -> the module that defines it.
_EXPORTS = {
    "Catalogue": "catalogue",
    "Exercise": "catalogue",
    "load_catalogue": "catalogue_load",
    "CheckReport": "checker",
    "check_plan": "checker",
    "check_result": "checker",
    "InputError": "errors",
    "Problem": "problem",
    "build_problem": "problem",
    "MultiWeekProblem": "programme",
    "build_programme_problem": "programme",
    "solve_programme": "programme_solver",
    "check_programme": "programme_checker",
    "check_programme_result": "programme_checker",
    "ProgrammeResult": "programme_result",
    "Plan": "result",
    "SolveResult": "result",
    "Status": "result",
    "Scenario": "scenario",
    "load_scenario": "scenario",
    "solve": "solver",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)


if TYPE_CHECKING:  # for type checkers and IDEs: the same names, eagerly
    from .catalogue import Catalogue, Exercise
    from .catalogue_load import load_catalogue
    from .checker import CheckReport, check_plan, check_result
    from .errors import InputError
    from .problem import Problem, build_problem
    from .programme import MultiWeekProblem, build_programme_problem
    from .programme_checker import check_programme, check_programme_result
    from .programme_result import ProgrammeResult
    from .programme_solver import solve_programme
    from .result import Plan, SolveResult, Status
    from .scenario import Scenario, load_scenario
    from .solver import solve
