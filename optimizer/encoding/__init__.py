"""The CP-SAT encoding: the only package that imports ortools.

- :mod:`.variables`: the variable containers, weekly (stage A) and daily;
- :mod:`.families`: one module per constraint family, listed in one ordered registry;
- :mod:`.objective`: the objective terms and how they combine;
- :mod:`.solve`: the exact two-stage decomposition and its fallback.
"""

from .deferred_pandas import import_cp_model

import_cp_model()  # first, so that no module below makes cp_model import pandas (start-up)

from .solve import solve_problem  # noqa: E402

__all__ = ["solve_problem"]
