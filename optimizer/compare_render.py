"""Comparisons and values of equipment as frames and text: side-by-side tables, the
differences, the ranking of items; table, markdown, tidy CSV or JSON. pandas is imported
only when frames are built."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .catalogue import Catalogue
from .compare_types import Comparison, EquipmentValue, PlanDiff, VariantOutcome
from .render import _range  # the solve tables' "10-16", ">= 6" target text

if TYPE_CHECKING:
    import pandas as pd


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


def _shorten(items: list[str], sign: str, most: int = 3) -> str:
    """'+a +b +c (+4 more)': equipment lists stay readable in a column."""
    shown = " ".join(sign + i for i in items[:most])
    return shown + (f" ({sign}{len(items) - most} more)" if len(items) > most else "")


def comparison_frames(outcomes: Sequence[VariantOutcome], catalogue: Catalogue) -> dict[str, pd.DataFrame]:
    """Side-by-side frames, one column per variant: summary, objective, volume, balance,
    minutes, exercises."""
    import pandas as pd

    names = [o.name for o in outcomes]
    frames: dict[str, pd.DataFrame] = {}

    def frame(rows: list[dict], first: list[str]) -> pd.DataFrame:
        df = pd.DataFrame(rows, columns=first + names)
        gaps = [c for c in df.columns if df[c].isna().any()]  # shown blank: as objects, not a float fill
        df[gaps] = df[gaps].astype(object).fillna("")
        return df

    rows = []
    prev = {o.name: (outcomes[i - 1].equipment if i else []) for i, o in enumerate(outcomes)}
    for label, get in (
        ("equipment", lambda o: f"{len(o.equipment)} item" + ("s" if len(o.equipment) != 1 else "")),
        ("vs previous", lambda o: _shorten(sorted(set(o.equipment) - set(prev[o.name])), "+")
         + (" " if set(prev[o.name]) - set(o.equipment) and set(o.equipment) - set(prev[o.name]) else "")
         + _shorten(sorted(set(prev[o.name]) - set(o.equipment)), "-")),
        ("usable exercises", lambda o: str(o.usable_exercises)),
        ("status", lambda o: o.result.status.value),
        ("gap", lambda o: "" if o.result.gap is None else f"{o.result.gap:.1%}"),
        ("no plan because", lambda o: "; ".join(r.label for r in o.result.conflict)),
        ("wall s", lambda o: f"{o.result.wall_time_s:.2f}"),
        ("note", lambda o: o.note),
    ):
        rows.append({"variant": label, **{o.name: get(o) for o in outcomes}})
    frames["summary"] = frame(rows, ["variant"])

    term_rows: dict[str, dict] = {}
    for o in outcomes:
        for t in o.result.objective_terms:
            row = term_rows.setdefault(t.name, {"term": t.name, "unit": t.unit})
            row[o.name] = _fmt(round(t.value, 2))
    frames["objective"] = frame(list(term_rows.values()), ["term", "unit"])

    # Volume: every group (and muscle) targeted or trained by some variant, catalogue order.
    vols = {o.name: {v.unit: v for v in (o.result.plan.volume if o.result.plan else [])} for o in outcomes}
    units = set().union(*[set(v) for v in vols.values()]) if vols else set()
    rows = []
    for g in catalogue.groups:
        for unit, kind in [(g.id, "group")] + [(m.id, "muscle") for m in g.muscles]:
            if unit not in units:
                continue
            any_row = next(v[unit] for v in vols.values() if unit in v)
            row = {"unit": unit if kind == "group" else f"  {unit}", "target": _range(any_row.min, any_row.max)}
            for o in outcomes:
                v = vols[o.name].get(unit)
                if o.result.plan is None:
                    row[o.name] = ""
                elif v is None:
                    row[o.name] = "0" + (f" (-{_fmt(any_row.min)})" if any_row.min else "")
                else:
                    row[o.name] = _fmt(v.sets) + (f" (-{_fmt(v.shortfall)})" if v.shortfall > 1e-9 else "")
            rows.append(row)
    frames["volume"] = frame(rows, ["unit", "target"])

    rows = []
    ratio_names = []
    for o in outcomes:
        for r in o.result.plan.ratios if o.result.plan else []:
            if r.name not in ratio_names:
                ratio_names.append(r.name)
    if "quadriceps_to_hamstrings" not in ratio_names:
        ratio_names.insert(0, "quadriceps_to_hamstrings")
    for name in ratio_names:
        num, den = name.split("_to_", 1)
        row = {"ratio": name.replace("_to_", ":"), "range": ""}
        for o in outcomes:
            plan = o.result.plan
            if plan is None:
                row[o.name] = ""
                continue
            r = next((r for r in plan.ratios if r.name == name), None)
            if r is not None:
                row["range"] = f"{r.min:g}-{r.max:g}"
                q, h = r.numerator_sets, r.denominator_sets
            else:
                vol = {v.unit: v.sets for v in plan.volume}
                q, h = vol.get(num, 0.0), vol.get(den, 0.0)
            row[o.name] = (f"{q / h:.2f}" if h else "n/a") + f" ({q:g}:{h:g})"
        rows.append(row)
    frames["balance"] = frame(rows, ["ratio", "range"])

    rows = []
    first_plan = next((o.result.plan for o in outcomes if o.result.plan), None)
    if first_plan is not None:
        for i, d in enumerate(first_plan.days):
            row = {"day": d.day, "budget": str(d.minutes_budget)}
            for o in outcomes:
                row[o.name] = _fmt(round(o.result.plan.days[i].minutes_used, 2)) if o.result.plan else ""
            rows.append(row)
        row = {"day": "week", "budget": str(sum(d.minutes_budget for d in first_plan.days))}
        for o in outcomes:
            row[o.name] = _fmt(round(sum(d.minutes_used for d in o.result.plan.days), 2)) if o.result.plan else ""
        rows.append(row)
    frames["minutes"] = frame(rows, ["day", "budget"])

    used: dict[str, dict[str, list[str]]] = {}  # exercise -> variant -> ["3 mon", ...]
    names_of: dict[str, str] = {}
    for o in outcomes:
        for day, x in o.result.plan.entries() if o.result.plan else []:
            names_of[x.exercise] = x.name
            used.setdefault(x.exercise, {}).setdefault(o.name, []).append(f"{x.sets} {day}")
    order = {e.id: i for i, e in enumerate(catalogue.exercises)}
    rows = [
        {"exercise": names_of[e], **{n: " + ".join(used[e].get(n, [])) for n in names}}
        for e in sorted(used, key=lambda e: (order.get(e, 10**6), e))
    ]
    rows.append({"exercise": "distinct exercises", **{o.name: str(len({x.exercise for _, x in o.result.plan.entries()})) if o.result.plan else "" for o in outcomes}})
    frames["exercises"] = frame(rows, ["exercise"])
    return frames


def diff_frame(diffs: Sequence[PlanDiff]) -> pd.DataFrame:
    import pandas as pd

    cols = ["from", "to", "day", "change", "exercise", "detail"]
    rows = []
    for d in diffs:
        if not d.changes:
            rows.append({"from": d.before, "to": d.after, "day": "", "change": "", "exercise": "", "detail": d.note})
        for c in d.changes:
            if c.change == "swapped":
                what, detail = f"{c.replaces_name} -> {c.name}", f"{c.before} -> {c.after}"
            elif c.change == "sets changed":
                what, detail = c.name, f"{c.before} -> {c.after}"
            else:
                what, detail = c.name, c.after or c.before or ""
            rows.append({"from": d.before, "to": d.after, "day": c.day, "change": c.change, "exercise": what, "detail": detail})
    return pd.DataFrame(rows, columns=cols)


def value_frame(value: EquipmentValue) -> pd.DataFrame:
    import pandas as pd

    term_names = [t.name for t in sorted(value.base.result.objective_terms, key=lambda t: t.rank or 0)]
    rows = []

    def row(rank, label, n_new, out: VariantOutcome, gain: str) -> dict:
        terms = {t.name: t.value for t in out.result.objective_terms}
        return {
            "rank": rank,
            "add": label,
            "new exercises": n_new,
            "status": out.result.status.value,
            **{n: _fmt(terms.get(n)) for n in term_names},
            "what changes": gain,
        }

    rows.append(row("", "(nothing: current equipment)", "", value.base, ""))
    for i, v in enumerate(value.singles, start=1):
        rows.append(row(str(i), v.name, str(len(v.new_exercises)), v.outcome, v.gain))
    if value.best_pair is not None:
        v = value.best_pair
        rows.append(row("best pair", v.name, str(len(v.new_exercises)), v.outcome, v.gain))
    return pd.DataFrame(rows)


def _sections(title: str, lines: list[str], frames: list[tuple[str, pd.DataFrame]], fmt: str) -> str:
    from .render import markdown_table, text_table

    md = fmt == "markdown"
    table = markdown_table if md else text_table
    out = [f"# {title}" if md else title, *lines]
    for heading, df in frames:
        out.append(f"\n## {heading}\n" if md else f"\n{heading}\n{'=' * len(heading)}")
        out.append(table(df))
    return "\n".join(out) + "\n"


def _long_csv(frames: list[tuple[str, pd.DataFrame]], key_cols: dict[str, list[str]]) -> str:
    """Every frame as tidy rows: section, item, column, value (one CSV for all sections)."""
    import pandas as pd

    rows = []
    for section, df in frames:
        keys = key_cols.get(section, [df.columns[0]])
        for rec in df.to_dict("records"):
            item = " / ".join(str(rec[k]).strip() for k in keys if str(rec[k]).strip())
            for col, val in rec.items():
                if col not in keys:
                    rows.append({"section": section, "item": item, "column": col, "value": val})
    return pd.DataFrame(rows, columns=["section", "item", "column", "value"]).to_csv(index=False)


def render_comparison(comp: Comparison, catalogue: Catalogue, fmt: str) -> str:
    """table, markdown, csv (tidy: section, item, column, value) or json."""
    if fmt == "json":
        return comp.model_dump_json(indent=2) + "\n"
    frames = comparison_frames(comp.variants, catalogue)
    sections = [
        ("Status", frames["summary"]),
        ("Objective terms", frames["objective"]),
        ("Weekly volume (sets; shortfall in brackets)", frames["volume"]),
        ("Balance", frames["balance"]),
        ("Minutes used", frames["minutes"]),
        ("Exercises (sets per day)", frames["exercises"]),
        ("Differences (each variant against the one before)", diff_frame(comp.diffs)),
    ]
    if fmt == "csv":
        keys = {
            "Objective terms": ["term"],
            "Weekly volume (sets; shortfall in brackets)": ["unit"],
            "Differences (each variant against the one before)": ["from", "to", "day"],
        }
        return _long_csv(sections, keys)
    p = comp.parameters
    lines = [
        f"Compared {len(comp.variants)} variants: {', '.join(v.name for v in comp.variants)}; same days, targets and rules; "
        f"workers {p['workers']}, seed {p['seed']}, {_limit_text(p)}; wall {comp.wall_time_s:.2f} s."
    ] + ([f"Compared: {p['scope']}."] if "scope" in p else []) + (
        [f"Equipment varied at {p['at']} only; the other places keep theirs."] if "at" in p else []
    )
    return _sections(f"Equipment compared: {comp.scenario}", lines, sections, fmt)


def _limit_text(p: dict) -> str:
    """The time limit as the solves had it: shared by the whole command (its rounds of
    solves side by side, ``time_limit_per_solve_s`` each at most), or each solve's own."""
    if "time_limit_per_solve_s" in p:
        return f"time limit {p['time_limit_s']} s in all, at most {p['time_limit_per_solve_s']:g} s a solve"
    return f"time limit {p['time_limit_s']} s each"


def render_value(value: EquipmentValue, fmt: str) -> str:
    if fmt == "json":
        return value.model_dump_json(indent=2) + "\n"
    df = value_frame(value)
    if fmt == "csv":
        return df.to_csv(index=False)
    p = value.parameters
    lines = [
        f"From{' (at ' + p['at'] + ', the other places unchanged)' if 'at' in p else ''}: "
        f"{', '.join(value.base.equipment)} ({value.base.usable_exercises} usable exercises there). "
        f"{len(value.singles)} missing items enable at least one exercise"
        + (f"; {value.pairs_tried} pairs tried" if value.pairs_tried else "")
        + f". Workers {p['workers']}, seed {p['seed']}, {_limit_text(p)}; wall {value.wall_time_s:.2f} s.",
        "Ranked by lexicographic improvement (best first).",
    ] + ([f"Compared: {p['scope']}."] if "scope" in p else [])
    return _sections(f"Value of equipment: {value.scenario}", lines, [("Adding one item", df)], fmt)
