"""Equipment and joint limits (and level, exclusions): which exercises may be used at all.

The Problem already leaves out what the athlete cannot do; what remains blocked here are
exercises kept on purpose (pinned, required, or every exercise when explaining), each
forbidden by each of its reasons, so that relaxing one reason alone does not unblock it.
"""

from __future__ import annotations

from ._labels import req


def reason_requirement(reason: str, ctx):
    p = ctx.problem
    if reason.startswith("equipment"):
        return req("equipment", "owned", "equipment: " + ", ".join(p.equipment), "equipment")
    if reason.startswith("knee"):
        return req("joint_limits", "knee", f"knee flexion at most {p.max_knee_flexion_deg} degrees", "athlete.max_knee_flexion_deg")
    if reason.startswith("level"):
        return req("level", "level", f"level: {p.level}", "athlete.level")
    return None


def aggregate(ctx, v) -> None:
    p = ctx.problem
    for ex in p.exercises:
        for reason in ex.blocked:
            r = reason_requirement(reason, ctx)
            if r is None:  # excluded by name
                r = req("exclusions", ex.id, f"{ex.name} excluded", "athlete.exclude")
            ctx.add(v.used[ex.index] == 0, r)
