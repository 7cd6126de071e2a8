"""A chart of weekly volume per muscle group against target, one bar per variant.

matplotlib is imported inside :func:`volume_figure` (with the Agg backend: no display
needed), so importing this module costs nothing.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
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


def volume_figure(outcomes: Sequence[VariantOutcome], catalogue: Catalogue, title: str = ""):
    """The matplotlib Figure: grouped bars (one per variant) with the target range behind."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    panels = _panels(outcomes, catalogue)
    widths = [max(1.6, len(units)) for _, units in panels]
    n = len(outcomes)
    # About a quarter inch per bar: wide enough for the value labels, never a poster.
    fig = Figure(figsize=(min(18.0, max(7.0, 1.5 + sum(widths) * (0.3 + 0.24 * n))), 5.2), layout="constrained")
    axes = fig.subplots(1, len(panels), width_ratios=widths, squeeze=False)[0]
    bar_w = 0.8 / max(n, 1)
    top = 1.0
    for ax, (panel, units) in zip(axes, panels):
        for i, (unit, lo, hi) in enumerate(units):
            # The target range as a band behind the bars, the minimum as a solid line.
            x0, x1 = i - 0.45, i + 0.45
            if lo is not None or hi is not None:
                ax.fill_between([x0, x1], lo or 0, hi if hi is not None else (lo or 0), color="#dddddd", zorder=0, lw=0)
            if lo is not None:
                ax.hlines(lo, x0, x1, colors="black", linewidth=2, zorder=3)
                top = max(top, lo)
            if hi is not None:
                ax.hlines(hi, x0, x1, colors="black", linewidth=1, linestyles="dashed", zorder=3)
                top = max(top, hi)
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
            for b, s, y in zip(bars, short, ys):
                if s:  # below the minimum: hatched, so it reads without colour
                    b.set_hatch("///")
                    b.set_edgecolor("#333333")
                top = max(top, y)
                if n <= 6:
                    ax.annotate(f"{y:g}", (b.get_x() + b.get_width() / 2, y), ha="center", va="bottom", fontsize=7, xytext=(0, 1), textcoords="offset points")
        ax.set_xticks(range(len(units)), [u.replace("_", " ") for u, _, _ in units], rotation=25 if panel != "Muscle groups" else 0, ha="right" if panel != "Muscle groups" else "center")
        ax.set_title(panel, fontsize=10)
        ax.set_xlim(-0.6, len(units) - 0.4)
        ax.grid(axis="y", color="#eeeeee", zorder=-1)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in axes:
        ax.set_ylim(0, top * 1.12)
    axes[0].set_ylabel("weekly sets")
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


def write_volume_plot(
    outcomes: Sequence[VariantOutcome], catalogue: Catalogue, path: Path | str, title: str = "", force: bool = False
) -> None:
    """Write :func:`volume_figure` to ``path`` (.png or .svg), whole or not at all."""
    from .io import write_atomic

    kind = check_plot_path(path, force)
    buf = io.BytesIO()
    volume_figure(outcomes, catalogue, title).savefig(buf, format=kind, dpi=130)
    write_atomic(path, buf.getvalue(), force=force)
