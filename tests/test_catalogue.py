"""The built-in catalogue: complete, consistent, and loadable from a wheel."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest
import yaml

from optimizer import InputError, load_catalogue
from optimizer.paths import builtin_catalogue_dir

from .conftest import ROOT

NAMED_BY_DOMAIN = """parallel_squat full_squat back_extension hyperextension_45 reverse_hyperextension
straight_leg_bridge glute_bridge hip_thrust single_bent_leg_reverse_hyperextension seated_hip_abduction
heavy_lever_calf_raise sissy_squat resistance_band_squat exercise_ball_squat single_leg_exercise_ball_squat
lunge exercise_ball_hamstring_roll resistance_band_leg_curl standing_calf_raise toe_taps""".split()

EQUIPMENT = """bodyweight exercise_ball resistance_band dumbbell barbell squat_rack bench box hyperextension_bench
reverse_hyper_machine hip_abduction_machine lever_calf_raise_machine leg_curl_machine leg_extension_machine
leg_press cable_station""".split()


def test_every_exercise_domain_names_is_there(catalogue):
    missing = [x for x in NAMED_BY_DOMAIN if x not in catalogue.exercise_by_id]
    assert not missing


def test_at_least_40_leg_exercises_and_all_equipment(catalogue):
    legs = {g.id for g in catalogue.groups if g.region == "legs"}
    leg_ex = [e for e in catalogue.exercises if catalogue.primary_groups(e) & legs]
    assert len(leg_ex) >= 40
    assert set(EQUIPMENT) <= set(catalogue.equipment_by_id)
    used = set().union(*(e.equipment_ids() for e in catalogue.exercises))
    assert set(EQUIPMENT) <= used


def test_range_limited_variants_bend_the_knee_less(catalogue):
    variants = [e for e in catalogue.exercises if e.variant_of]
    assert {"box_squat_parallel", "partial_sissy_squat"} <= {e.id for e in variants}
    for v in variants:
        assert v.knee_flexion_deg <= catalogue.exercise_by_id[v.variant_of].knee_flexion_deg


def test_every_exercise_cites_a_source_and_has_schemes(catalogue):
    for e in catalogue.exercises:
        assert e.source and e.rep_schemes and e.seconds_per_rep > 0


def test_seed_000_emphases(catalogue):
    par, full = catalogue.exercise_by_id["parallel_squat"], catalogue.exercise_by_id["full_squat"]
    assert par.activation["vastus_lateralis"] > par.activation.get("vastus_medialis", 0)
    assert full.activation["vastus_medialis"] >= full.activation["vastus_lateralis"]
    assert catalogue.exercise_by_id["seated_hip_abduction"].activation["gluteus_maximus_upper"] >= 0.75


def test_group_credit_is_the_largest_head(catalogue):
    squat = catalogue.exercise_by_id["full_squat"]
    assert catalogue.group_activation(squat)["quadriceps"] == max(
        squat.activation.get(m, 0) for m in ("rectus_femoris", "vastus_lateralis", "vastus_medialis", "vastus_intermedius")
    )


def test_merged_catalogue_reports_clashes(tmp_path):
    (tmp_path / "exercises").mkdir()
    src = yaml.safe_load((builtin_catalogue_dir() / "exercises" / "legs.yaml").read_text())
    (tmp_path / "exercises" / "mine.yaml").write_text(yaml.safe_dump({"exercises": src["exercises"][:1]}))
    with pytest.raises(InputError) as exc:
        load_catalogue([tmp_path])
    assert "already defined" in str(exc.value) and "mine.yaml" in str(exc.value)
    renamed = dict(src["exercises"][0], id="my_squat")
    (tmp_path / "exercises" / "mine.yaml").write_text(yaml.safe_dump({"exercises": [renamed]}))
    assert "my_squat" in load_catalogue([tmp_path]).exercise_by_id


def test_unknown_muscle_in_a_catalogue_is_named(tmp_path):
    (tmp_path / "exercises").mkdir()
    bad = {"id": "odd", "name": "Odd", "equipment": ["bodyweight"], "activation": {"vastus_medalis": 1.0},
           "mechanic": "compound", "pattern": "squat", "knee_flexion_deg": 90, "setup_s": 10,
           "seconds_per_rep": 2, "rep_schemes": ["light"]}
    (tmp_path / "exercises" / "x.yaml").write_text(yaml.safe_dump({"exercises": [bad]}))
    with pytest.raises(InputError) as exc:
        load_catalogue([tmp_path])
    assert "did you mean vastus_medialis" in str(exc.value)


def test_wheel_carries_the_catalogue_and_finds_it_installed_elsewhere(tmp_path):
    """Build a real wheel, unpack it outside the checkout, and load the catalogue from it."""
    pytest.importorskip("hatchling")
    out = tmp_path / "dist"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True,
    )
    assert build.returncode == 0, build.stderr
    wheel = next(out.glob("*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "optimizer/_catalogue/exercises/legs.yaml" in names
    assert "optimizer/_scenarios/gym.yaml" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import optimizer, optimizer.paths as p;"
        "from optimizer import load_catalogue;"
        "c = load_catalogue();"
        "print(p.builtin_catalogue_dir(), len(c.exercises), optimizer.__file__)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    where, count, module = run.stdout.split()
    assert where.startswith(str(site)) and module.startswith(str(site))
    assert int(count) == len(load_catalogue().exercises)


def test_editable_checkout_reads_catalogue_in_place():
    """From a checkout (editable install), edits to catalogue/ must show at once: no copy."""
    import optimizer

    if not optimizer.__file__.startswith(str(ROOT)):
        pytest.skip("installed from a wheel, not running from the checkout")
    assert builtin_catalogue_dir() == ROOT / "catalogue"
    assert not (ROOT / "optimizer" / "_catalogue").exists()
