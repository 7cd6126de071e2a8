"""The coaching rules (optimizer.coaching) as a week's Problem carries them: which of its
exercises provide what a rule asks. The checker derives the same from the scenario and
catalogue on its own."""

from __future__ import annotations

from .coaching import COVERAGE_RULES, ISOLATION_RULES, lesser_forms


def _growth_work(exercises, group: str, patterns) -> tuple[int, ...]:
    # Power work (no volume scheme, effect 0) trains no movement for growth: a hang clean is no hinge here.
    return tuple(
        e.index for e in exercises if not e.blocked and e.effect_pct > 0 and e.pattern in patterns and group in e.primary_groups
    )


def coverage_rules(exercises, targeted: set[str]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The coverage rules (optimizer.coaching) this week has: (label, exercises providing it)."""
    out = []
    for group, patterns, label in COVERAGE_RULES:
        if group not in targeted:
            continue
        providers = _growth_work(exercises, group, patterns)
        if providers:
            out.append((label, providers))
    return tuple(out)


def isolation_rules(exercises, targeted: set[str]) -> tuple[tuple[str, tuple[int, ...], tuple[int, ...]], ...]:
    """The isolation rules this week has: (label, isolation exercises, foundation exercises),
    for each targeted group whose week can use both kinds."""
    out = []
    for group, iso_patterns, base_patterns, label in ISOLATION_RULES:
        if group not in targeted:
            continue
        iso, base = _growth_work(exercises, group, iso_patterns), _growth_work(exercises, group, base_patterns)
        if iso and base:
            out.append((label, iso, base))
    return tuple(out)


def lesser_form_ids(catalogue, chosen, prefer, avoid) -> set[str]:
    """Ids of the week's usable exercises (``chosen``: (catalogue exercise, reasons it is
    blocked)) that have a better form the week can use (the ``form`` term)."""
    usable = [ex for ex, why in chosen if not why]

    def aimed(ex) -> set[str]:
        primary = catalogue.primary_groups(ex)
        return {m for m, g in catalogue.group_of_muscle.items() if g in primary}

    return lesser_forms(usable, aimed, set(prefer), set(avoid))
