"""Cross-week constraint families of a multi-week programme, one module each.

Each module defines ``add(pc)`` taking a :class:`~..programme_model.ProgrammeContext`: the
shared model, the MultiWeekProblem, the variable container of every week present
(weekly containers for stage A, daily ones for placement and the monolithic model) and
a programme-level :class:`~..context.Context` for guarded requirements and soft terms.
A family skips the blocks whose weeks are not all present (stage B builds one block).

The ramp has no family: it is in each week's targets (:mod:`optimizer.progression`),
which the weekly families enforce week by week.
"""

from . import deload, rotation, schemes, stability, symmetry

REGISTRY = (
    stability,  # within a block: the same exercises on the same days (deload weeks: a subset)
    deload,  # a deload week's sets at most its factor of the block's last training week
    rotation,  # between consecutive blocks: a share of new exercises
    schemes,  # rep-scheme progression: sets off the week's schemes (soft term)
    symmetry,  # exact copies ordered by their first week (replaces the weekly ordering)
)

__all__ = ["REGISTRY"]
