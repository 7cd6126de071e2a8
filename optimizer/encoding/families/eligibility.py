"""Equipment and joint limits (and level, exclusions): which exercises may be used at all.

The Problem already leaves out what the athlete cannot do; what remains blocked here are
exercises kept on purpose (pinned, required, or every exercise when explaining), each
forbidden by each of its reasons, so that relaxing one reason alone does not unblock it.
A repair (see :mod:`..explain`) may add equipment, raise the knee limit or the level.
"""

from __future__ import annotations

from ...catalogue import LEVEL_RANK
from ._labels import req


def equipment_req(p):
    return req("equipment", "owned", "equipment: " + ", ".join(p.equipment), "equipment")


def knee_req(p):
    return req("joint_limits", "knee", f"knee flexion at most {p.max_knee_flexion_deg} degrees", "athlete.max_knee_flexion_deg")


def level_req(p):
    return req("level", "level", f"athlete level: {p.level}", "athlete.level")


def exclusion_req(p, ex):
    i = p.exclude.index(ex.id) if ex.id in p.exclude else 0
    return req("exclusions", ex.id, f"{ex.name} excluded", f"athlete.exclude[{i}]")


def aggregate(ctx, v) -> None:
    p = ctx.problem
    owned = set(p.equipment)
    # A week at several places (Day.at): which place an item would go to is not modelled,
    # so no repair adds equipment there (compare --value-of-equipment --at PLACE answers it).
    places = any(d.at for d in p.days)
    for ex in p.exercises:
        used = v.used[ex.index]
        for reason in ex.blocked:
            if reason.startswith("equipment"):
                r = equipment_req(p)
                missing = [] if places else [opts for opts in ex.equipment if not owned.intersection(opts)]
                for opts in missing:
                    ctx.add(used <= ctx.adds(r, opts), r)
                if not missing:
                    ctx.add(used == 0, r)
            elif reason.startswith("knee"):
                r = knee_req(p)
                ctx.add(used <= ctx.relax_by(r, ex.knee_flexion_deg - (p.max_knee_flexion_deg or 0)), r)
            elif reason.startswith("level"):
                r = level_req(p)
                ctx.add(used <= ctx.relax_by(r, LEVEL_RANK[ex.level] - LEVEL_RANK[p.level]), r)
            else:  # excluded by name
                ctx.add(used == 0, exclusion_req(p, ex))
