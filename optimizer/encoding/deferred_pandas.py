"""Import ortools' ``cp_model`` without importing pandas until pandas is really used.

``cp_model`` imports pandas at its top (0.3-0.9 s, most of a small solve's start-up) for
its optional pandas helpers only: ``new_int_var_series`` and the like, ``values()`` of a
Series. Its module body touches nothing of pandas but ``pd.Index`` and ``pd.Series`` in
type annotations, and this project's models use none of the helpers. So while
``cp_model`` is first imported, ``pandas`` is a stand-in whose attributes are inert
placeholder classes; then the stand-in leaves ``sys.modules`` (an ``import pandas`` gets
the real one) and stays as ``cp_model.pd``, forwarding every attribute to the real pandas,
imported on first use. The helpers keep working; they just import pandas when called.

Only the importing thread sees placeholders, and only during that import: another
thread's attribute lookup waits for the import to finish and then gets the real pandas.
If pandas is already imported, or the stand-in cannot be installed, cp_model is imported
as usual. ``tests/test_startup.py`` checks both that a solve leaves pandas unimported and
that cp_model's pandas helpers still work.
"""

from __future__ import annotations

import importlib
import sys
import threading
import types

_lock = threading.RLock()


class _DeferredPandas(types.ModuleType):
    def __init__(self) -> None:
        super().__init__("pandas", "stand-in for pandas, imported on first use (optimizer.encoding.deferred_pandas)")
        self._owner: int | None = threading.get_ident()

    def __getattr__(self, name: str):
        if name.startswith("__"):  # __path__, __spec__...: not a package, nothing to import from
            raise AttributeError(name)
        if self._owner == threading.get_ident():  # cp_model's module body: annotations only
            placeholder = type(name, (), {"__module__": "pandas", "__doc__": "annotation placeholder"})
            object.__setattr__(self, name, placeholder)
            return placeholder
        with _lock:  # another thread: wait until cp_model is imported and the stand-in is gone
            real = importlib.import_module("pandas")
        return getattr(real, name)


def import_cp_model():
    """``ortools.sat.python.cp_model``, imported without pandas (see the module docstring)."""
    name = "ortools.sat.python.cp_model"
    if name in sys.modules or "pandas" in sys.modules:
        return importlib.import_module(name)
    with _lock:
        if name in sys.modules or "pandas" in sys.modules:
            return importlib.import_module(name)
        stand_in = _DeferredPandas()
        sys.modules["pandas"] = stand_in
        try:
            module = importlib.import_module(name)
        finally:
            if sys.modules.get("pandas") is stand_in:
                del sys.modules["pandas"]
        # From now on the stand-in forwards every lookup to the real pandas.
        for attr in list(vars(stand_in)):
            if not attr.startswith("_"):
                delattr(stand_in, attr)
        stand_in._owner = None
        return module
