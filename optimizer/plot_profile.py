"""``programme bench --plot``: the Dolan-More performance profile of a bench summary.

matplotlib (Agg backend) is imported only when a profile is drawn.
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:
    from .bench_summary import Summary


def profile_ratios(summary: Summary) -> tuple[dict[str, list[float]], int, int]:
    """({preset: [ratio to the best, per instance]}, instances kept, instances in all).

    Per instance, each preset's median time (shifted as in the means) divided by the best
    preset's; an instance no preset reached within the time limit is left out; a preset
    that never got there on an instance has ratio infinity (its curve stays below 1).
    """
    from .bench_metrics import SHIFT_S

    presets = list(dict.fromkeys(r["preset"] for r in summary.runs))
    times: dict[str, dict[str, list[float]]] = {}
    for r in summary.runs:
        times.setdefault(r["scenario"], {}).setdefault(r["preset"], [])
        v = r[summary.metric]
        if v is not None:
            times[r["scenario"]][r["preset"]].append(v)
    ratios: dict[str, list[float]] = {p: [] for p in presets}
    limit = max((r["limit"] for r in summary.runs), default=0)
    for per in times.values():
        med = {p: median(v) for p, v in per.items() if v}
        solved = {p: t for p, t in med.items() if t < 2 * limit}
        if not solved:
            continue
        best = min(solved.values()) + SHIFT_S
        for p in presets:
            ratios[p].append((solved[p] + SHIFT_S) / best if p in solved else math.inf)
    kept = len(next(iter(ratios.values()), []))
    return ratios, kept, len(times)


def performance_profile(summary: Summary, path: Path, force: bool = False) -> None:
    """Write :func:`profile_figure` (PNG or SVG by suffix), whole or not at all."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg"):
        raise InputError("expected a .png or .svg file", file=str(path), field="--plot")
    buf = io.BytesIO()
    profile_figure(summary).savefig(buf, format=path.suffix.lower()[1:], dpi=130)
    from .io import write_atomic

    write_atomic(path, buf.getvalue(), force=force)


def profile_figure(summary: Summary):
    """The profile of the summary's metric. With no instance any preset reached (nothing
    proven, say, for ``--metric proof``), the chart says so in words rather than drawing flat lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.ticker
    from matplotlib.figure import Figure

    from .bench_metrics import SHIFT_S

    ratios, kept, total = profile_ratios(summary)
    what = summary.metric.replace("_", " ")
    fig = Figure(figsize=(6.5, 4.3), layout="constrained")
    ax = fig.subplots()
    if kept == 0:
        ax.text(0.5, 0.5, f"Nothing to compare: no preset reached {what}\non any of the {total} instance(s) within the time limit.\n"
                "Try a longer --time-limit, or --metric first_plan.", transform=ax.transAxes, ha="center", va="center", fontsize=10, color="#444444")
        ax.set_xticks([])
        ax.set_yticks([])
    else:
        top = max([q for v in ratios.values() for q in v if q < math.inf] + [1.0]) * 1.1
        styles = ["-", "--", ":", "-."]
        for k, (p, qs) in enumerate(ratios.items()):
            qs = sorted(qs)
            n = max(1, len(qs))
            xs = [1.0] + [q for q in qs if q < math.inf] + [top]
            ys = [sum(q <= 1.0 for q in qs) / n] + [sum(q2 <= q for q2 in qs) / n for q in qs if q < math.inf] + [sum(q < math.inf for q in qs) / n]
            # A line style each, widest first: curves that coincide still show each preset.
            ax.step(xs, ys, where="post", label=p, linestyle=styles[k % len(styles)], linewidth=2.6 - 0.5 * (k % 4))
        if top > 4:  # factors spanning orders of magnitude: log scale
            ax.set_xscale("log", base=2)
            ax.xaxis.set_minor_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
        else:
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(6))
        ax.xaxis.set_major_formatter(matplotlib.ticker.FormatStrFormatter("%g"))
        ax.set_xlim(1.0, top)
        ax.set_xlabel(f"within this factor of the best (time to {what}, shifted by {SHIFT_S:g} s)")
        ax.set_ylabel("share of instances")
        ax.set_ylim(0, 1.02)
        ax.grid(True, alpha=0.3)
        ax.legend(loc="lower right")
        if kept < total:
            ax.set_title(f"{kept} of {total} instances: on the others no preset reached {what}", fontsize=9, color="#444444")
    fig.suptitle(f"Performance profile: time to {what}", fontsize=11)
    return fig
