"""Importers: other people's exercise databases -> this project's catalogue format.

Each importer converts in memory (no solver, no ortools), validates the result against
the built-in catalogue, and only then writes files, whole or not at all.
"""

from .free_exercise_db import ImportReport, ImportResult, import_free_exercise_db
from .writing import write_import

__all__ = ["ImportReport", "ImportResult", "import_free_exercise_db", "write_import"]
