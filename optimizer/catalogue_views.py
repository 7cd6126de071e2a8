"""Lists of what a scenario may name: equipment ids, groups and muscles, and exercise search.

Used by ``programme catalogue equipment|muscles|list --search``; plain data in, DataFrames out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from .catalogue import Catalogue, Exercise


def equipment_frame(cat: Catalogue) -> pd.DataFrame:
    """Every equipment id, its name, and how many exercises need it."""
    import pandas as pd

    uses = {e.id: sum(1 for x in cat.exercises if e.id in x.equipment_ids()) for e in cat.equipment}
    rows = [{"id": e.id, "name": e.name, "exercises": uses[e.id], "description": e.description} for e in cat.equipment]
    return pd.DataFrame(rows, columns=["id", "name", "exercises", "description"])


def muscles_frame(cat: Catalogue) -> pd.DataFrame:
    """Every group, then its muscles: the ids ``targets:`` and ``--muscle`` take."""
    import pandas as pd

    rows = []
    for g in cat.groups:
        primary = sum(1 for x in cat.exercises if g.id in cat.primary_groups(x))
        rows.append({"id": g.id, "kind": "group", "group": g.id, "name": g.name, "region": g.region, "primary in": primary})
        for m in g.muscles:
            strong = sum(1 for x in cat.exercises if x.activation.get(m.id, 0) >= 0.75)
            rows.append({"id": m.id, "kind": "muscle", "group": g.id, "name": m.name, "region": g.region, "primary in": strong})
    return pd.DataFrame(rows, columns=["id", "kind", "group", "name", "region", "primary in"])


def matches(ex: Exercise, text: str) -> bool:
    """Every word of ``text`` appears in the exercise's id, name or description (any case)."""
    hay = f"{ex.id} {ex.id.replace('_', ' ')} {ex.name} {ex.description}".lower()
    return all(word in hay for word in text.lower().split())
