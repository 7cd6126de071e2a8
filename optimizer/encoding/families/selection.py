"""Required and pinned exercises (exclusions are in :mod:`.eligibility`)."""

from __future__ import annotations

from ._labels import DAY_NAMES, never, req


def _pin_req(p, i, pin):
    ex, day = p.exercises[pin.exercise], p.days[pin.day]
    extra = ""
    if pin.sets:
        extra += f", {pin.sets} sets"
    if pin.scheme is not None:
        extra += f", {p.schemes[pin.scheme].id}"
    return req("pinned", str(i), f"{ex.name} pinned on {DAY_NAMES[day.name]}{extra}", f"pinned[{i}]")


def aggregate(ctx, v) -> None:
    p = ctx.problem
    positions = p.required_pos or range(len(p.required))
    for i, e in zip(positions, p.required):
        ctx.add(v.used[e] == 1, req("required", p.exercises[e].id, f"{p.exercises[e].name} required", f"required[{i}]"))


def weekly(ctx, v) -> None:
    p = ctx.problem
    for i, pin in enumerate(p.pins):
        r = _pin_req(p, i, pin)
        c = p.days[pin.day].cls
        keys = [key for key in v.items(pin.exercise) if key[1] == c and (pin.scheme is None or key[2] == pin.scheme)]
        if not keys:
            ctx.add(never(ctx) >= 1, r)
            continue
        ctx.add(sum(v.sessions[key] for key in keys) >= 1, r)
        if pin.sets:
            ctx.add(sum(v.sets[key] for key in keys) >= pin.sets, r)


def daily(ctx, v) -> None:
    p = ctx.problem
    for i, pin in enumerate(p.pins):
        r = _pin_req(p, i, pin)
        keys = [key for key in v.items(pin.exercise) if key[1] == pin.day and (pin.scheme is None or key[2] == pin.scheme)]
        if not keys:
            ctx.add(never(ctx) >= 1, r)
            continue
        ctx.add(sum(v.on[key] for key in keys) == 1, r)
        if pin.sets:
            ctx.add(sum(v.sets[key] for key in keys) == pin.sets, r)
