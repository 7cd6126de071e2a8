"""The page shell of every HTML report: inline CSS, a strict no-network policy, escaping.

Every report is one self-contained file: no scripts, no fonts, no images fetched; the
Content-Security-Policy forbids any network load, so a report that tried one would show a
console error in the browser tests. Every piece of user text goes through :func:`esc`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
:root { --ink:#1d2733; --muted:#5b6673; --line:#d9dee4; --bg:#f6f7f9; --card:#fff;
  --ok:#2f855a; --low:#c05621; --high:#c53030; --band:#c6f6d5; --bar:#3b6ea5; --grey:#a0aec0;
  --heavy:#7b341e; --moderate:#2c5282; --light:#276749; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
  background: var(--bg); margin: 0; padding: 24px; }
main { max-width: 1180px; margin: 0 auto; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 10px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 8px; }
p.meta, .muted { color: var(--muted); }
p.meta { margin: 2px 0; }
.status { display: inline-block; padding: 1px 8px; border-radius: 10px; font-weight: 600; font-size: 12px;
  color: #fff; background: var(--grey); vertical-align: middle; }
.status.OPTIMAL { background: var(--ok); } .status.FEASIBLE { background: var(--moderate); }
.status.INFEASIBLE, .status.UNKNOWN { background: var(--high); }
.week { display: grid; grid-template-columns: repeat(7, minmax(0, 1fr)); gap: 8px; }
.day { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px; min-height: 90px; }
.day.off { background: transparent; border-style: dashed; color: var(--muted); }
.day h3 { margin: 0 0 2px; font-size: 14px; }
.day .budget { font-size: 12px; color: var(--muted); }
.meter { height: 5px; background: var(--line); border-radius: 3px; margin: 4px 0 6px; overflow: hidden; }
.meter span { display: block; height: 100%; background: var(--bar); }
.day ol { margin: 0; padding-left: 18px; }
.day li { margin: 0 0 5px; }
.day li .name { font-weight: 600; display: block; line-height: 1.25; }
.day li .dose { font-size: 12px; color: var(--muted); }
.day .note { font-size: 12px; color: var(--muted); margin: 0 0 4px; }
.scheme { display: inline-block; font-size: 11px; padding: 0 5px; border-radius: 8px; color: #fff; background: var(--grey); }
.scheme.heavy { background: var(--heavy); } .scheme.moderate { background: var(--moderate); }
.scheme.light { background: var(--light); }
table { border-collapse: collapse; background: var(--card); margin: 4px 0 8px; }
th, td { border: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
td.num, th.num { white-space: nowrap; text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0 0 8px; }
.chart { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px; overflow-x: auto; }
.chart svg { display: block; max-width: 100%; height: auto; }
.chart text { font: 12px system-ui, sans-serif; fill: var(--ink); }
.legend { font-size: 12px; color: var(--muted); margin: 4px 0 0; }
.legend i { display: inline-block; width: 12px; height: 10px; margin: 0 4px 0 10px; vertical-align: middle; }
.cols { display: grid; grid-template-columns: repeat(auto-fit, minmax(260px, 1fr)); gap: 12px; }
.added { color: var(--ok); } .dropped { color: var(--high); } .swapped, .sets-changed { color: var(--moderate); }
.heat-map { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.heat-row { display: flex; flex-wrap: wrap; align-items: center; gap: 4px; margin: 3px 0; }
.heat-group { width: 110px; font-weight: 600; }
.heat { font-size: 12px; padding: 3px 8px; border-radius: 4px; border: 2px solid transparent; }
.heat.low { border-color: var(--low); }
details { margin: 6px 0; } summary { cursor: pointer; font-weight: 600; }
footer { margin-top: 28px; font-size: 12px; color: var(--muted); }
@media (max-width: 900px) { .week { grid-template-columns: repeat(2, minmax(0, 1fr)); } }
@media print { body { background: #fff; padding: 0; } .day, .chart { break-inside: avoid; } }
"""


def esc(value: object) -> str:
    """HTML-escape any value's text (quotes included, so it is safe in attributes too)."""
    return escape(str(value), quote=True)


def num(value: float | None, digits: int = 2) -> str:
    """A number as people write it: 14, 10.5, 72.13; '' for None."""
    if value is None:
        return ""
    return f"{round(float(value), digits):g}"


def label(unit_id: str) -> str:
    """A catalogue id as words: vastus_medialis -> vastus medialis."""
    return unit_id.replace("_", " ")


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Sequence[int] = (), cls: str = "") -> str:
    """An HTML table; every cell escaped; columns listed in ``numeric`` right-aligned."""
    numeric_set = set(numeric)
    head = "".join(f'<th{" class=num" if i in numeric_set else ""}>{esc(h)}</th>' for i, h in enumerate(headers))
    body = []
    for row in rows:
        cells = "".join(f'<td{" class=num" if i in numeric_set else ""}>{esc(v)}</td>' for i, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    klass = f' class="{esc(cls)}"' if cls else ""
    if not body:
        return '<p class="muted">(none)</p>'
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def status_badge(status: str) -> str:
    return f'<span class="status {esc(status)}">{esc(status)}</span>'


def section(title: str, *parts: str, id: str | None = None) -> str:
    anchor = f' id="{esc(id)}"' if id else ""
    return f"<section{anchor}><h2>{esc(title)}</h2>{''.join(parts)}</section>"


def document(title: str, kind: str, parts: Iterable[str], footer: str = "") -> str:
    """The whole page: one HTML5 file, CSS inline, no scripts, no network."""
    foot = f"<footer>{esc(footer)}</footer>" if footer else ""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="programme-optimiser">'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>"
        f'<body><main class="report" data-report="{esc(kind)}">{"".join(parts)}{foot}</main></body></html>\n'
    )
