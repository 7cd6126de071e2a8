"""Renderers of multi-week programmes (table, markdown, json, csv) and iCalendar files.

The per-week sections reuse the single-week frames of :mod:`optimizer.render`, so a week
of a programme reads exactly like a week on its own. ``ics`` works for one week too.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from types import SimpleNamespace
from typing import TYPE_CHECKING

from .render import _summary_lines, markdown_table, plan_frames, text_table
from .scenario import WEEKDAYS

if TYPE_CHECKING:
    import pandas as pd

    from .programme_result import ProgrammeResult
    from .result import Plan

DAY_NAMES = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday", "sat": "Saturday", "sun": "Sunday"}
CSV_COLUMNS = ["week", "block", "deload", "day", "order", "exercise", "name", "sets", "scheme", "reps", "rest_s", "set_seconds", "minutes"]


def programme_frames(result: ProgrammeResult) -> dict[str, pd.DataFrame]:
    """Whole-programme frames: one row per week, per block, per session exercise."""
    import pandas as pd

    overview, sessions = [], []
    for w in result.weeks:
        entries = list(w.plan.entries())
        overview.append(
            {
                "week": w.week,
                "block": w.block,
                "kind": "deload" if w.deload else "training",
                "schemes": ", ".join(w.rep_schemes) if w.rep_schemes else "any",
                "sessions": sum(1 for d in w.plan.days if d.exercises),
                "exercises": len({x.exercise for _, x in entries}),
                "sets": sum(x.sets for _, x in entries),
                "minutes": round(sum(d.minutes_used for d in w.plan.days), 2),
                "shortfall": w.terms.get("shortfall", 0.0),
            }
        )
        frame = plan_frames(SimpleNamespace(plan=w.plan, objective_terms=[]))["sessions"]
        frame.insert(0, "deload", w.deload)
        frame.insert(0, "block", w.block)
        frame.insert(0, "week", w.week)
        sessions.append(frame)
    frames = {
        "overview": pd.DataFrame(overview, columns=["week", "block", "kind", "schemes", "sessions", "exercises", "sets", "minutes", "shortfall"]),
        "sessions": pd.concat(sessions, ignore_index=True) if sessions else pd.DataFrame(columns=CSV_COLUMNS),
        "blocks": pd.DataFrame(
            [
                {
                    "block": b.block,
                    "weeks": f"{b.weeks[0]}-{b.weeks[-1]}",
                    "exercises": len(b.exercises),
                    "new": "" if b.new_share is None else f"{len(b.new_exercises)} ({b.new_share:.0%})",
                    "new exercises": ", ".join(b.new_exercises),
                }
                for b in result.blocks
            ],
            columns=["block", "weeks", "exercises", "new", "new exercises"],
        ),
    }
    if result.objective_terms:
        frames["objective"] = plan_frames(SimpleNamespace(plan=None, objective_terms=result.objective_terms))["objective"]
    return frames


def render_programme(result: ProgrammeResult, fmt: str) -> str:
    if fmt == "json":
        return result.model_dump_json(indent=2) + "\n"
    frames = programme_frames(result)
    if fmt == "csv":
        return frames["sessions"].to_csv(index=False)
    md = fmt == "markdown"
    table = markdown_table if md else text_table
    out: list[str] = [f"# {result.scenario}" if md else result.scenario]
    out.extend(_summary_lines(result))  # type: ignore[arg-type]
    if result.first_plan_s is not None:
        out.append(f"First plan after {result.first_plan_s:.3f} s; {len(result.weeks)} weeks, {len(result.blocks)} block(s).")

    def heading(text: str, level: int = 2) -> None:
        out.append(f"\n{'#' * level} {text}\n" if md else f"\n{text}\n{('=' if level == 2 else '-') * len(text)}")

    if result.weeks:
        heading("Programme")
        out.append(table(frames["overview"]))
        heading("Blocks")
        out.append(table(frames["blocks"]))
    for w in result.weeks:
        heading(f"Week {w.week} (block {w.block}{', deload' if w.deload else ''})")
        sub = frames["sessions"][frames["sessions"]["week"] == w.week]
        for d in w.plan.days:
            day = sub[sub["day"] == d.day]
            if not len(day):
                continue
            title = f"{d.day.capitalize()}" + (f" at {d.at}" if d.at else "") + (f" (with {d.shares_with})" if d.shares_with else "")
            out.append(f"\n{'**' if md else ''}{title}: {d.minutes_used:g} of {d.minutes_budget} min{'**' if md else ''}\n")
            view = day[["order", "name", "sets", "reps", "scheme", "rest_s", "minutes"]].copy()
            view["sets x reps"] = [f"{s} x {r}" for s, r in zip(view["sets"], view["reps"])]
            out.append(table(view[["order", "name", "sets x reps", "scheme", "rest_s", "minutes"]]))
        volume = plan_frames(SimpleNamespace(plan=w.plan, objective_terms=[]))["volume"]
        targeted = volume[volume["target"] != ""]
        if len(targeted):
            out.append("\n" + ("Volume (sets):" if not md else "_Volume (sets):_") + "\n")
            out.append(table(targeted))
    if "objective" in frames:
        heading("Objective terms (summed over the weeks)")
        out.append(table(frames["objective"]))
    return "\n".join(out) + "\n"


def next_monday(today: date | None = None) -> date:
    today = today or date.today()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


def session_date(start: date, week: int, day: str) -> date:
    """The date of ``day`` in programme week ``week`` (1-based): week w is the 7 days from start + 7(w-1)."""
    first = start + timedelta(days=7 * (week - 1))
    return first + timedelta(days=(WEEKDAYS.index(day) - first.weekday()) % 7)


def render_ics(name: str, weeks: list[tuple[int, Plan]], start: date, at: time = time(18, 0)) -> bytes:
    """An iCalendar file: one event per session (floating local time), exercises in the description."""
    import re

    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//programme-optimiser//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "programme"
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    multi = len(weeks) > 1
    for week, plan in weeks:
        for d in plan.days:
            if not d.exercises:
                continue
            when = datetime.combine(session_date(start, week, d.day), at)
            ev = Event()
            ev.add("uid", f"{slug}-w{week}-{d.day}@programme-optimiser")
            ev.add("dtstamp", stamp)
            ev.add("dtstart", when)
            ev.add("dtend", when + timedelta(minutes=max(1, round(d.minutes_used))))
            ev.add("summary", f"{name}: " + (f"week {week}, " if multi else "") + f"{DAY_NAMES[d.day]} ({len(d.exercises)} exercises)")
            lines = [
                f"{x.superset or i}. {x.name}: {x.sets} x {x.reps} reps ({x.scheme}), rest {x.rest_s} s"
                + (" (superset: one set of each, then one rest)" if x.superset and x.superset.endswith("1") else "")
                for i, x in enumerate(d.exercises, 1)
            ]
            if d.warmup_minutes:
                lines.insert(0, f"Warm-up: {d.warmup_minutes:g} min")
            lines.append(f"About {d.minutes_used:g} of {d.minutes_budget} min.")
            ev.add("description", "\n".join(lines))
            cal.add_component(ev)
    return cal.to_ical()
