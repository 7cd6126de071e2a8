"""Write the benchmark instance suite to benchmarks/instances/ (run once; the files are committed).

The suite is read from the files, never regenerated from a seed during a bench: an
instance must stay the same file for its results to stay comparable (a changed file is
refused by a resumed bench, which stores each file's digest).

    python benchmarks/make_instances.py [--force]

Contents: the example scenarios as they were when the suite was made, plus generated
instances of growing size: equipment from a home set to a full gym (the number of usable
exercises), 3 to 6 training days, budgets from tight to generous, lexicographic and
weighted objectives (weighted ones let the HiGHS cross-check compare one number).
"""

from __future__ import annotations

import copy
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "instances"

HOME = ["bodyweight", "exercise_ball", "resistance_band"]
HOME_DB = HOME + ["dumbbell", "kettlebell", "bench", "box"]
GYM = HOME_DB + [
    "barbell", "squat_rack", "hyperextension_bench", "reverse_hyper_machine", "hip_abduction_machine",
    "lever_calf_raise_machine", "leg_curl_machine", "leg_extension_machine", "leg_press", "cable_station",
]  # fmt: skip
WEEK = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAYS = {3: ["mon", "wed", "fri"], 4: ["mon", "tue", "thu", "sat"], 5: ["mon", "tue", "wed", "fri", "sat"], 6: ["mon", "tue", "wed", "thu", "fri", "sat"]}
TARGETS = {
    "quadriceps": {"min": 12, "max": 18},
    "hamstrings": {"min": 10, "max": 16},
    "glutes": {"min": 8, "max": 14},
    "calves": {"min": 6},
    "vastus_medialis": {"min": 4},
}


def instance(name, description, equipment, n_days, minutes, objective="lexicographic", level="advanced", scale=1.0, calves=True):
    targets = {k: {kk: round(vv * scale) for kk, vv in v.items()} for k, v in TARGETS.items()}
    doc = {
        "name": name,
        "description": description,
        "equipment": equipment,
        "athlete": {"level": level},
        "days": [{"day": d, "minutes": minutes} for d in DAYS[n_days]],
        "targets": targets,
        "balance": {"quadriceps_to_hamstrings": {"min": 1.0, "max": 1.3}},
        "recovery": {"min_hours_between_same_group": 48},
        "rules": {"calves_heavy_and_light": calves, "max_exercises_per_session": 4},
        "objective": objective,
        "solver": {"time_limit_s": 10, "workers": 2, "seed": 0},
    }
    return doc


GENERATED = {
    "gen_home_3d_30": instance("Home, 3 days x 30 min", "Balls and bands only; moderate volume.", HOME, 3, 30, scale=0.7, calves=False),
    "gen_home_3d_30_weighted": instance("Home, 3 days x 30 min, weighted", "As gen_home_3d_30 with the weighted objective.", HOME, 3, 30, "weighted", scale=0.7, calves=False),
    "gen_homedb_4d_25": instance("Home with dumbbells, 4 days x 25 min", "Dumbbells, kettlebell, bench and box; tight days.", HOME_DB, 4, 25),
    "gen_homedb_3d_20_weighted": instance("Home with dumbbells, 3 days x 20 min, weighted", "Tight budget: targets cannot all be met; weighted objective.", HOME_DB, 3, 20, "weighted"),
    "gen_gym_5d_30": instance("Gym, 5 days x 30 min", "Full gym, five short sessions.", GYM, 5, 30),
    "gen_gym_6d_45": instance("Gym, 6 days x 45 min", "Full gym, six sessions, high volume.", GYM, 6, 45, scale=1.4),
    "gen_gym_3d_20_tight": instance("Gym, 3 days x 20 min", "Full gym, tight budget: shortfall is unavoidable.", GYM, 3, 20, scale=1.5),
    "gen_gym_5d_40_weighted": instance("Gym, 5 days x 40 min, weighted", "Full gym, weighted objective.", GYM, 5, 40, "weighted"),
}


# Issue 13: tight budgets at 50 usable exercises (a small gym: 50 with the advanced level).
SMALL_GYM = HOME_DB + ["barbell", "hyperextension_bench", "cable_station"]
GENERATED |= {
    "gen_gym50_3d_20_tight": instance("Small gym (50 exercises), 3 days x 20 min", "Tight budget: day packing binds.", SMALL_GYM, 3, 20, scale=1.5),
    "gen_gym50_4d_15_tight_weighted": instance("Small gym (50 exercises), 4 days x 15 min, weighted", "Tight budget, short days; weighted objective.", SMALL_GYM, 4, 15, "weighted"),
}

# Issue 13: a near-duplicate catalogue, as real catalogues are: two close variants of every
# built-in exercise (about 200 in all), neither dominating the original, so exact pruning
# keeps them: variant 1 is quicker (0.25 s less per rep) and credits 0.05 less on every
# muscle but its strongest; variant 2 takes 15 s more to set up and credits 0.05 more on
# every muscle below 1.0. Run with `programme bench benchmarks/instances/near_duplicates/*.yaml
# --catalogue benchmarks/instances/near_duplicates/catalogue` (the default suite skips the folder).
NEAR = OUT / "near_duplicates"
NEAR_TIGHT = {
    "near_dup_gym_3d_20_tight": instance("Gym, 3 days x 20 min, near-duplicate catalogue", "Tight budget at about 200 exercises.", GYM, 3, 20, scale=1.5),
}


def _multi_week(path: Path) -> bool:
    return (yaml.safe_load(path.read_text()) or {}).get("weeks", 1) > 1


def _step(a: float, delta: float) -> float:
    return round(min(1.0, max(0.05, a + delta)) * 20) / 20


def near_duplicates(catalogue) -> list[dict]:
    out = []
    for ex in catalogue.exercises:
        base = ex.model_dump(exclude_none=True)
        top = max(ex.activation.values())
        one = base | {
            "id": f"{ex.id}_nd1",
            "name": f"{ex.name} (variant 1)",
            "seconds_per_rep": max(0.5, ex.seconds_per_rep - 0.25),
            "activation": {m: (a if a == top else _step(a, -0.05)) for m, a in ex.activation.items()},
            "source": f"benchmark near-duplicate of {ex.id}",
        }
        two = base | {
            "id": f"{ex.id}_nd2",
            "name": f"{ex.name} (variant 2)",
            "setup_s": min(900, ex.setup_s + 15),
            "activation": {m: _step(a, 0.05) for m, a in ex.activation.items()},
            "source": f"benchmark near-duplicate of {ex.id}",
        }
        for v in (one, two):
            v.pop("variant_of", None)
            out.append(copy.deepcopy(v))  # no shared lists: no YAML anchors in the file
    return out


def write_near_duplicates(force: bool) -> None:
    sys.path.insert(0, str(ROOT))
    from optimizer import load_catalogue

    folder = NEAR / "catalogue" / "exercises"
    folder.mkdir(parents=True, exist_ok=True)
    dst = folder / "near_duplicates.yaml"
    if force or not dst.exists():
        doc = {"exercises": near_duplicates(load_catalogue())}
        dst.write_text("# Generated by benchmarks/make_instances.py (issue 13); committed, never regenerated by a bench.\n" + yaml.safe_dump(doc, sort_keys=False, width=110))
    merged = load_catalogue([NEAR / "catalogue"])  # fails loudly if the file does not validate
    for src in sorted((ROOT / "scenarios").glob("*.yaml")):
        if not _multi_week(src) and (force or not (NEAR / src.name).exists()):
            shutil.copyfile(src, NEAR / src.name)
    for name, doc in NEAR_TIGHT.items():
        if force or not (NEAR / f"{name}.yaml").exists():
            (NEAR / f"{name}.yaml").write_text("# Generated by benchmarks/make_instances.py; committed, never regenerated by a bench.\n" + yaml.safe_dump(doc, sort_keys=False, width=110))
    print(f"{len(merged.exercises)} exercises with the near-duplicates; {len(list(NEAR.glob('*.yaml')))} instances in {NEAR}")


def main(force: bool) -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    for src in sorted((ROOT / "scenarios").glob("*.yaml")):
        dst = OUT / src.name
        if (dst.exists() and not force) or _multi_week(src):  # the suite is of one-week instances
            continue
        shutil.copyfile(src, dst)
    for name, doc in GENERATED.items():
        dst = OUT / f"{name}.yaml"
        if dst.exists() and not force:
            continue
        dst.write_text("# Generated by benchmarks/make_instances.py; committed, never regenerated by a bench.\n" + yaml.safe_dump(doc, sort_keys=False, width=110))
    print(f"{len(list(OUT.glob('*.yaml')))} instances in {OUT}")
    write_near_duplicates(force)
    return 0


if __name__ == "__main__":
    sys.exit(main("--force" in sys.argv))
