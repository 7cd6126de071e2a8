"""HTML reports (--format html): what each page shows matches the typed result it came from,
user text is escaped, and a real browser (headless Chromium) renders every report without a
single console message. Browser tests skip cleanly where no Chromium is installed
(``.ci/run`` installs Debian's as root)."""

from __future__ import annotations

import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from optimizer import check_programme_result, check_result, solve_programme
from optimizer.cli import app
from optimizer.compare import compare, make_variants, variant_scenario
from optimizer.explain import explain
from optimizer.html import render_comparison_html, render_explanation_html, render_programme_html, render_week_html

from .conftest import assert_valid, load_example, make_scenario

RUN = {"workers": 1, "seed": 0}
BROWSER = next((b for b in ("chromium", "chromium-browser", "google-chrome") if shutil.which(b)), None)
needs_browser = pytest.mark.skipif(BROWSER is None, reason="no Chromium here (.ci/run installs Debian's chromium as root)")


class Page(HTMLParser):
    """Every element as (tag, attrs), and the text inside each <title>/<h1>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.texts: dict[str, str] = {}
        self._open: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        self._open.append(tag)

    def handle_endtag(self, tag):
        if tag in self._open:
            while self._open and self._open.pop() != tag:
                pass

    def handle_data(self, data):
        if self._open and self._open[-1] in ("title", "h1") and self._open[-1] not in self.texts:
            self.texts[self._open[-1]] = data

    def count(self, tag: str, cls: str | None = None) -> int:
        return sum(1 for t, a in self.elements if t == tag and (cls is None or cls in (a.get("class") or "").split()))

    def attr_values(self, tag: str, attr: str) -> list[str]:
        return [a[attr] for t, a in self.elements if t == tag and attr in a]


# The reports, each from a plan the checker accepted ------------------------------------


@pytest.fixture(scope="module")
def week(catalogue):
    sc = load_example("gym")
    from optimizer import solve

    result = solve(sc, catalogue, **RUN)
    assert_valid(sc, catalogue, result)
    return result, render_week_html(result, catalogue.group_of_muscle)


@pytest.fixture(scope="module")
def programme(catalogue):
    sc = make_scenario(name="Three weeks", weeks=3, progression={"blocks": [{"weeks": 3}], "deload": {"weeks": 1, "factor": 0.5}})
    result = solve_programme(sc, catalogue, time_limit_s=20, **RUN)
    assert result.has_plan and check_programme_result(sc, catalogue, result).ok
    return result, render_programme_html(result)


@pytest.fixture(scope="module")
def comparison(catalogue):
    sc = load_example("time_crunched_20min")  # every rung proven at once: plans independent of load
    variants = make_variants(sc, catalogue, ["bodyweight", "home_dumbbells"])
    comp = compare(sc, catalogue, variants, processes=1, **RUN)
    for v, outcome in zip(variants, comp.variants):
        assert_valid(variant_scenario(sc, v), catalogue, outcome.result)
    return comp, render_comparison_html(comp)


@pytest.fixture(scope="module")
def explanation(catalogue):
    expl = explain(load_example("infeasible_time_vs_volume"), catalogue, repair_count=2, **RUN)
    return expl, render_explanation_html(expl)


def check_week(page: Page, result) -> None:
    plan = result.plan
    assert page.texts["h1"] == result.scenario
    assert page.count("div", "day") == 7
    assert page.attr_values("div", "data-day") == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert Counter(page.attr_values("li", "data-exercise")) == Counter(x.exercise for _, x in plan.entries())
    charted = [v for v in plan.volume if v.kind == "group" or v.min is not None or v.max is not None]
    assert page.count("rect", "bar") == len(charted)
    assert page.count("rect", "below") == sum(1 for v in charted if v.min is not None and v.sets < v.min - 1e-9)
    assert page.count("circle", "marker") == sum(1 for r in plan.ratios if r.value is not None)
    muscles = [v for v in plan.volume if v.kind == "muscle"]
    assert page.count("span", "heat") == len(muscles) and page.count("div", "heat-row") == len({groups_of(result)[v.unit] for v in muscles})
    assert page.count("span", "low") == sum(1 for v in muscles if v.min is not None and v.sets < v.min - 1e-9)
    assert page.count("tr") == 1 + len(result.objective_terms)  # the terms table only
    assert not page.count("script") and not page.count("link") and not page.count("img")


def groups_of(result) -> dict[str, str]:
    from optimizer import load_catalogue

    return load_catalogue().group_of_muscle


def check_programme(page: Page, result) -> None:
    assert page.count("details", "programme-week") == len(result.weeks)
    targeted = {v.unit for w in result.weeks for v in w.plan.volume if v.min is not None or v.max is not None}
    weekly = len(targeted) * len(result.weeks)
    per_week = sum(sum(1 for v in w.plan.volume if v.kind == "group" or v.min is not None or v.max is not None) for w in result.weeks)
    assert page.count("rect", "bar") == weekly + per_week
    assert Counter(page.attr_values("li", "data-exercise")) == Counter(x.exercise for w in result.weeks for _, x in w.plan.entries())


def check_comparison(page: Page, comp) -> None:
    assert page.count("table", "variants") == 1
    assert page.count("span", "status") == len(comp.variants)
    with_plan = [v for v in comp.variants if v.result.plan is not None]
    units = {r.unit for v in with_plan for r in v.result.plan.volume if r.kind == "group" or r.min is not None or r.max is not None}
    assert page.count("rect", "bar") == len(units) * len(with_plan)
    changes = [c for d in comp.diffs for c in d.changes]
    assert sum(page.count("li", k) for k in ("added", "dropped", "swapped", "sets-changed")) == len(changes)


def check_explanation(page: Page, expl) -> None:
    assert page.count("table", "conflict") == 1
    assert page.count("tr") == 1 + len(expl.conflict)
    assert page.count("li", "repair") == len(expl.repairs)


CHECKS = {"week": check_week, "programme": check_programme, "comparison": check_comparison, "explanation": check_explanation}


@pytest.mark.parametrize("kind", list(CHECKS))
def test_report_shows_what_the_result_says(kind, request):
    data, text = request.getfixturevalue(kind)
    assert text.startswith("<!DOCTYPE html>") and "Content-Security-Policy" in text
    CHECKS[kind](Page(text), data)


def test_programme_has_every_block_and_deload(programme):
    result, text = programme
    assert text.count(">block ") == len({w.block for w in result.weeks})
    assert text.count(">D") == sum(w.deload for w in result.weeks)  # deload weeks labelled D<n>


def test_user_text_is_escaped(week):
    result, _ = week
    nasty = "<script>alert('x')</script> & <u>Co</u>"
    text = render_week_html(result.model_copy(update={"scenario": nasty, "message": '"><img src=x onerror=alert(1)>'}))
    page = Page(text)
    assert page.texts["h1"] == nasty and page.texts["title"] == nasty
    assert not page.count("script") and not page.count("img") and not page.count("u")


def test_cli_writes_html_for_solve_compare_and_explain(tmp_path):
    runner = CliRunner()
    cases = {
        "week": ["solve", "home_balls_and_bands", "--workers", "1", "--seed", "0"],
        "comparison": ["compare", "time_crunched_20min", "-p", "bodyweight", "-p", "balls_and_bands", "--workers", "1", "--seed", "0", "--processes", "1"],
        "explanation": ["explain", "infeasible_time_vs_volume", "--repairs", "1"],
    }
    for kind, args in cases.items():
        out = tmp_path / f"{kind}.html"
        res = runner.invoke(app, [*args, "--format", "html", "--output", str(out)])
        assert res.exit_code == (3 if kind == "explanation" else 0), res.output
        assert Page(out.read_text()).elements[0] == ("html", {"lang": "en"}) and f'data-report="{kind}"' in out.read_text()
    res = runner.invoke(app, ["compare", "home_balls_and_bands", "--value-of-equipment", "--format", "html"])
    assert res.exit_code == 2 and "html is for comparisons" in res.output


# In a real browser -----------------------------------------------------------------------


def render_in_browser(html_text: str, folder: Path) -> tuple[str, list[str]]:
    """Load a page in headless Chromium: (the DOM it built, every console message it logged)."""
    page = folder / "page.html"
    page.write_text(html_text, encoding="utf-8")
    run = subprocess.run(
        [BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={folder / 'profile'}",
         "--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    console = [line for line in run.stderr.splitlines() if ":CONSOLE" in line]
    return run.stdout, console


@needs_browser
def test_browser_console_messages_are_caught(tmp_path):
    """The harness itself: a script error and a blocked network load are both reported."""
    bad = (
        "<!DOCTYPE html><html><head><title>t</title></head><body><p id=x>hi</p>"
        "<script>console.error('boom'); missingFunction();</script></body></html>"
    )
    dom, console = render_in_browser(bad, tmp_path)
    assert 'id="x"' in dom and any("boom" in c for c in console) and any("missingFunction" in c for c in console)
    from optimizer.html.page import document

    dom, console = render_in_browser(document("t", "test", ['<img src="http://192.0.2.1/x.png">']), tmp_path)
    assert any("Content Security Policy" in c for c in console), console


@needs_browser
@pytest.mark.parametrize("kind", list(CHECKS))
def test_report_renders_in_chromium_without_console_messages(kind, request, tmp_path):
    data, text = request.getfixturevalue(kind)
    dom, console = render_in_browser(text, tmp_path)
    assert console == []
    CHECKS[kind](Page(dom), data)  # the browser's DOM holds every expected element


@needs_browser
def test_escaped_text_stays_text_in_the_browser(week, tmp_path):
    result, _ = week
    nasty = "<script>console.error('injected')</script>"
    dom, console = render_in_browser(render_week_html(result.model_copy(update={"scenario": nasty})), tmp_path)
    assert console == [] and Page(dom).texts["h1"] == nasty and not Page(dom).count("script")
