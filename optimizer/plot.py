"""Charts of weekly volume per muscle group against target: one bar per compare variant, or
the plan's own (``solve --plot``); a programme's volume by week.

matplotlib is imported inside :func:`volume_figure` (with the Agg backend: no display
needed), so importing this module costs nothing.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from .catalogue import Catalogue
    from .compare import VariantOutcome

PLOT_SUFFIXES = {".png": "png", ".svg": "svg"}
# Colour-blind-safe (Okabe-Ito), in ladder order: light to dark reads as "more equipment".
COLOURS = ["#E69F00", "#56B4E9", "#009E73", "#0072B2", "#CC79A7", "#D55E00", "#F0E442", "#000000"]


def check_plot_path(path: Path | str, force: bool = False) -> str:
    """The image format for ``path`` (png or svg); refuses anything else or an existing file."""
    path = Path(path)
    kind = PLOT_SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise InputError(f"unknown image type {path.suffix!r}, expected .png or .svg", file=str(path), field="--plot")
    from .io import check_output_path

    check_output_path(path, force)  # a regular file only, even with --force
    return kind


def _panels(outcomes: Sequence[VariantOutcome], catalogue: Catalogue) -> list[tuple[str, list[tuple[str, float | None, float | None]]]]:
    """[(panel title, [(unit, min, max)])]: groups targeted or trained; then targeted muscles."""
    rows = {}
    for o in outcomes:
        for v in o.result.plan.volume if o.result.plan else []:
            if v.unit not in rows or v.min is not None or v.max is not None:
                rows[v.unit] = (v.kind, v.min, v.max, max(rows.get(v.unit, (0, 0, 0, 0))[3], v.sets))
    groups = [
        (g.id, rows[g.id][1], rows[g.id][2])
        for g in catalogue.groups
        # Leg groups, and any other group with a target (incidental upper-body sets are noise here).
        if g.id in rows and (rows[g.id][1] is not None or rows[g.id][2] is not None or g.region == "legs")
    ]
    muscles = [
        (m.id, rows[m.id][1], rows[m.id][2])
        for g in catalogue.groups
        for m in g.muscles
        if m.id in rows and (rows[m.id][1] is not None or rows[m.id][2] is not None)
    ]
    panels = [("Muscle groups", groups)]
    if muscles:
        panels.append(("Targeted muscles", muscles))
    return panels


# Text sizes in inches at the tick font (10 pt): about 0.075 in a character.
CHAR_IN = 0.075
MAX_WIDTH_IN = 18.0


@dataclass
class Series:
    """One set of bars: a plan's result under a name (a compare variant, or the plan itself)."""

    name: str
    result: object


def _label(unit: str) -> str:
    """'gluteus_maximus_upper' -> 'gluteus maximus\nupper': long names on two lines, never run together."""
    return "\n".join(textwrap.wrap(unit.replace("_", " "), 12)) or unit


def _value_y(y: float, lines: list[float], top: float) -> float:
    """Where a bar's value label sits: on the bar, or above a target line it would otherwise touch."""
    near = [line for line in lines if y - 0.02 * top <= line <= y + 0.06 * top]
    return max([y] + near)


def volume_figure(outcomes: Sequence[VariantOutcome | Series], catalogue: Catalogue, title: str = ""):
    """The matplotlib Figure: grouped bars (one per variant) with the target range behind."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    panels = _panels(outcomes, catalogue)
    widths = [max(1.6, len(units)) for _, units in panels]
    n = len(outcomes)
    # A slot per unit wide enough for its bars' value labels and for its name (wrapped at 12
    # characters), so neighbouring names never run together; rotated only past 18 inches.
    longest = max((len(line) for _, units in panels for u, _, _ in units for line in _label(u).split("\n")), default=8)
    slot = max(0.3 + 0.24 * n, longest * CHAR_IN + 0.2)
    wanted = 1.5 + sum(widths) * slot
    rotate = wanted > MAX_WIDTH_IN
    fig = Figure(figsize=(min(MAX_WIDTH_IN, max(7.0, wanted)), 5.2), layout="constrained")
    axes = fig.subplots(1, len(panels), width_ratios=widths, squeeze=False)[0]
    bar_w = 0.8 / max(n, 1)
    top = max(
        [1.0]
        + [x for _, units in panels for _, lo, hi in units for x in (lo, hi) if x is not None]
        + [v.sets for o in outcomes if o.result.plan for v in o.result.plan.volume]
    )
    for ax, (panel, units) in zip(axes, panels):
        for i, (unit, lo, hi) in enumerate(units):
            # The target range as a band behind the bars, the minimum as a solid line.
            x0, x1 = i - 0.45, i + 0.45
            if lo is not None or hi is not None:
                ax.fill_between([x0, x1], lo or 0, hi if hi is not None else (lo or 0), color="#dddddd", zorder=0, lw=0)
            if lo is not None:
                ax.hlines(lo, x0, x1, colors="black", linewidth=2, zorder=3)
            if hi is not None:
                ax.hlines(hi, x0, x1, colors="black", linewidth=1, linestyles="dashed", zorder=3)
        for j, o in enumerate(outcomes):
            xs = [i - 0.4 + bar_w * (j + 0.5) for i in range(len(units))]
            if o.result.plan is None:  # an empty slot would read as zero sets: say why it is empty
                for x in xs:
                    ax.annotate("no plan", (x, 0), rotation=90, ha="center", va="bottom", fontsize=7, color="#777777",
                                xytext=(0, 3), textcoords="offset points")
                continue
            vol = {v.unit: v for v in o.result.plan.volume}
            ys = [vol[u].sets if u in vol else 0.0 for u, _, _ in units]
            short = [vol[u].shortfall > 1e-9 if u in vol else (lo or 0) > 0 for (u, lo, _) in units]
            bars = ax.bar(xs, ys, width=bar_w * 0.92, color=COLOURS[j % len(COLOURS)], zorder=2, edgecolor="white", linewidth=0.5)
            for b, s, y, (_, lo, hi) in zip(bars, short, ys, units):
                if s:  # below the minimum: hatched, so it reads without colour
                    b.set_hatch("///")
                    b.set_edgecolor("#333333")
                if n <= 6:
                    at = _value_y(y, [x for x in (lo, hi) if x is not None], top)
                    ax.annotate(f"{y:g}", (b.get_x() + b.get_width() / 2, at), ha="center", va="bottom", fontsize=7,
                                xytext=(0, 3 if at > y or at in (lo, hi) else 1), textcoords="offset points", zorder=4)
        ax.set_xticks(range(len(units)), [_label(u) for u, _, _ in units], rotation=30 if rotate else 0, ha="right" if rotate else "center")
        ax.set_title(panel, fontsize=10)
        ax.set_xlim(-0.6, len(units) - 0.4)
        ax.grid(axis="y", color="#eeeeee", zorder=-1)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in axes:
        ax.set_ylim(0, top * 1.15)
    axes[0].set_ylabel("weekly effective sets")
    handles = [
        Patch(color=COLOURS[j % len(COLOURS)], label=o.name + ("" if o.result.plan else " (no plan)"))
        for j, o in enumerate(outcomes)
    ]
    # Explain only the marks the chart shows.
    marks = [(lo, hi) for _, units in panels for _, lo, hi in units]
    if any(lo is not None and hi is not None for lo, hi in marks):
        handles.append(Patch(color="#dddddd", label="target range"))
    if any(lo is not None for lo, _ in marks):
        handles.append(Line2D([], [], color="black", linewidth=2, label="minimum"))
    if any(hi is not None for _, hi in marks):
        handles.append(Line2D([], [], color="black", linewidth=1, linestyle="dashed", label="maximum"))
    if any(v.shortfall > 1e-9 for o in outcomes if o.result.plan for v in o.result.plan.volume):
        handles.append(Patch(facecolor="white", edgecolor="#333333", hatch="///", label="below minimum"))
    fig.legend(handles=handles, loc="outside lower center", ncol=min(len(handles), 5), frameon=False, fontsize=8)
    fig.suptitle((title + ": " if title else "") + "weekly volume against target", fontsize=11)
    return fig


def programme_figure(result, title: str = ""):
    """A programme's volume by week: a line per targeted group, its minimum each week dotted."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    weeks = [w.week for w in result.weeks]
    units = list(dict.fromkeys(v.unit for w in result.weeks for v in w.plan.volume if v.kind == "group" and (v.min is not None or v.max is not None)))
    fig = Figure(figsize=(min(MAX_WIDTH_IN, max(7.0, 2 + 0.45 * len(weeks))), 5.2), layout="constrained")
    ax = fig.subplots()
    for j, unit in enumerate(units):
        colour = COLOURS[j % len(COLOURS)]
        rows = [next((v for v in w.plan.volume if v.unit == unit), None) for w in result.weeks]
        ax.plot(weeks, [r.sets if r else 0.0 for r in rows], marker="o", color=colour, label=unit.replace("_", " "), zorder=3)
        mins = [(w, r.min) for w, r in zip(weeks, rows) if r and r.min is not None]
        if mins:
            ax.hlines([m for _, m in mins], [w - 0.4 for w, _ in mins], [w + 0.4 for w, _ in mins], colors=colour, linestyles=":", linewidth=1.5)
    for w in result.weeks:
        if w.deload:
            ax.axvspan(w.week - 0.5, w.week + 0.5, color="#eeeeee", zorder=0, lw=0)
    starts = [w.week for i, w in enumerate(result.weeks) if i and w.block != result.weeks[i - 1].block]
    for s in starts:
        ax.axvline(s - 0.5, color="#999999", linewidth=0.8)
    ax.set_xticks(weeks)
    ax.set_xlim(min(weeks, default=1) - 0.5, max(weeks, default=1) + 0.5)
    ax.set_xlabel("week (shaded: deload; vertical lines: a new block)")
    ax.set_ylabel("weekly effective sets (dotted: the week's minimum)")
    ax.set_ylim(0, None)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(axis="y", color="#eeeeee")
    if units:
        fig.legend(loc="outside lower center", ncol=min(len(units), 6), frameon=False, fontsize=8)
    else:
        ax.text(0.5, 0.5, "no targeted group: nothing to chart", transform=ax.transAxes, ha="center", color="#777777")
    fig.suptitle((title + ": " if title else "") + "volume by week", fontsize=11)
    return fig


def write_figure(fig, path: Path | str, force: bool = False) -> None:
    """Write a matplotlib Figure to ``path`` (.png or .svg), whole or not at all."""
    from .io import write_atomic

    kind = check_plot_path(path, force)
    buf = io.BytesIO()
    fig.savefig(buf, format=kind, dpi=130)
    write_atomic(path, buf.getvalue(), force=force)


def write_plan_plot(result, catalogue: Catalogue, path: Path | str, title: str = "", force: bool = False) -> None:
    """``solve --plot``: a week's volume against its targets, or a programme's volume by week."""
    if getattr(result, "weeks", None):
        fig = programme_figure(result, title)
    else:
        fig = volume_figure([Series("this plan", result)], catalogue, title)
    write_figure(fig, path, force)


def write_volume_plot(
    outcomes: Sequence[VariantOutcome], catalogue: Catalogue, path: Path | str, title: str = "", force: bool = False
) -> None:
    """Write :func:`volume_figure` to ``path`` (.png or .svg), whole or not at all."""
    write_figure(volume_figure(outcomes, catalogue, title), path, force)
