"""Stage B spreads the week's work over its days (encoding.placement._balance_days).

Every objective term depends on weekly totals only, so any placement of them is equally
optimal; without a preference the gym example packed Thursday to 43 of 45 minutes and
left Saturday at 15 of 60. The placement now keeps the fullest day's share of its
minutes least. Every plan passes the independent checker (``solved``).
"""

from __future__ import annotations

import optimizer.encoding.placement as placement_module

from .conftest import load_example


def fullest_share(result, scenario) -> float:
    """The largest share of a day's minutes the plan uses, from the plan's own days."""
    minutes = {d.day: d.minutes for d in scenario.days}
    return max(d.minutes_used / minutes[d.day] for d in result.plan.days if d.exercises)


def terms(result):
    return {t.name: t.value for t in result.objective_terms}


def test_the_fullest_day_is_as_empty_as_the_totals_allow(solved, monkeypatch):
    sc = load_example("gym")
    balanced, _ = solved(sc, workers=2, time_limit_s=20)
    monkeypatch.setattr(placement_module, "BALANCE_DAYS", False)
    packed, _ = solved(sc, workers=2, time_limit_s=20)
    assert balanced.status.value == packed.status.value == "OPTIMAL"
    assert terms(balanced) == terms(packed)  # the same optimum: only the days differ
    assert fullest_share(balanced, sc) < fullest_share(packed, sc)
    assert fullest_share(balanced, sc) <= 0.7
