"""Movement coverage a coach expects (goal best_training), as a soft term.

A week that targets the hamstrings has a knee-flexion exercise and a hip-extension one;
a week that targets the quadriceps has knee-extension work for the rectus femoris. Each
rule applies only when some usable exercise provides it (Problem.coverage); the term
counts the rules a plan misses. Depends on which exercises are used only.
"""

from __future__ import annotations


def aggregate(ctx, v) -> None:
    p, m = ctx.problem, ctx.model
    if p.goal != "best_training":
        return
    for i, (label, providers) in enumerate(p.coverage):
        has = m.new_bool_var(f"covered[{i}]")
        m.add(has <= sum(v.used[e] for e in providers))
        ctx.add_term("coverage", 1 - has)
