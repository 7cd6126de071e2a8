"""A group's isolation work no greater than its foundation (the ``isolation`` term).

Read as a coach, the advanced gym lifter's quadriceps were ten sets of leg extensions and
four of lunges, and the hamstrings nine sets of lying curls: the ``minutes`` tie-break
prefers the quickest sets. The term counts, for the quadriceps and the hamstrings, the
sets of knee extensions (leg curls) above the sets of squats, presses and lunges (hinges
and hip extensions), after every training term and before rep ranges and minutes. The
tests count the two kinds from catalogue patterns themselves; every plan passes the
independent checker (``solved``).
"""

from __future__ import annotations

from optimizer import Status, load_catalogue
from optimizer.checker import check_plan

from .conftest import load_example, make_scenario

CAT = load_catalogue()
KINDS = {  # group: (isolation patterns, foundation patterns), as a coach names them
    "quadriceps": ({"knee_extension"}, {"squat", "lunge"}),
    "hamstrings": ({"knee_flexion"}, {"hinge", "hip_extension"}),
}


def sets_by_kind(plan, group: str) -> tuple[int, int]:
    """(isolation sets, foundation sets) of exercises with ``group`` primary, from the plan's sets."""
    iso_p, base_p = KINDS[group]
    iso = base = 0
    for _, x in plan.entries():
        ex = CAT.exercise_by_id[x.exercise]
        primary = {CAT.group_of_muscle[m] for m, a in ex.activation.items() if a >= 0.75}
        if group not in primary:
            continue
        iso += x.sets if ex.pattern in iso_p else 0
        base += x.sets if ex.pattern in base_p else 0
    return iso, base


def term(result, name: str) -> float:
    return {t.name: t.value for t in result.objective_terms}[name]


def test_the_gym_lifters_quadriceps_rest_on_squats_and_presses(solved):
    """The full gym week: no more knee-extension sets than squat, press and lunge sets, and
    the term is what the plan's sets say."""
    sc = load_example("gym")
    result, report = solved(sc, workers=2, time_limit_s=30)
    assert result.status == Status.OPTIMAL
    iso, base = sets_by_kind(result.plan, "quadriceps")
    assert iso and base >= iso
    excess = sum(max(0, i - b) for i, b in (sets_by_kind(result.plan, g) for g in KINDS))
    assert term(result, "isolation") == report.terms["isolation"] == excess


def test_the_term_binds_where_isolation_is_quicker(solved):
    """A gym week asking only quadriceps volume: the shortest week (least_time) takes the
    quick leg extensions; best_training trades minutes for squats and presses."""
    sc = make_scenario(
        equipment=["bodyweight", "barbell", "squat_rack", "leg_press", "leg_extension_machine", "box"],
        targets={"quadriceps": {"min": 10, "max": 14}},
        athlete={"level": "advanced"},
        days=[{"day": "mon", "minutes": 45}, {"day": "thu", "minutes": 45}],
    )
    best, _ = solved(sc, workers=2, time_limit_s=30)
    quick, _ = solved(sc.model_copy(update={"goal": "least_time"}), workers=2, time_limit_s=30)
    assert best.status == quick.status == Status.OPTIMAL
    qi, qb = sets_by_kind(quick.plan, "quadriceps")
    bi, bb = sets_by_kind(best.plan, "quadriceps")
    assert qi > qb, "the quickest week should lean on leg extensions, or this test shows nothing"
    assert bi <= bb and term(best, "isolation") == 0
    assert check_plan(sc, CAT, quick.plan).terms["isolation"] == qi - qb
    assert term(best, "minutes") > term(quick, "minutes")


def test_the_checker_recomputes_the_isolation_term(solved):
    """A plan whose report claims less isolation excess than its sets hold is rejected."""
    sc = load_example("gym")
    result, _ = solved(sc, workers=2, time_limit_s=30)
    claimed = {t.name: t.value for t in result.objective_terms}
    claimed["isolation"] = claimed["isolation"] + 1
    bad = check_plan(sc, CAT, result.plan, claimed)
    assert not bad.ok and any("isolation" in v.message for v in bad.violations)
