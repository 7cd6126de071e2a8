"""Rep-scheme progression (soft): sets in a scheme the week does not ask for are counted.

The ``schemes`` term ranks after pairing and before minutes, so it is not traded for
time (heavy sets rest longer). Calf raises are exempt when the calf rule asks for heavy
and light calf work every week. Hard progression needs no family: the week's Problem
keeps only the allowed schemes (:func:`optimizer.programme.build_programme_problem`).
"""

from __future__ import annotations


def add(pc) -> None:
    mp = pc.mp
    for w, v in pc.vars.items():
        pw = mp.weeks[w]
        if pw.preferred is None:
            continue
        off = [
            v.sets[key]
            for key in v.sets
            if key[0] not in mp.scheme_exempt and key[2] not in pw.preferred
        ]
        if off:
            pc.ctx.add_term("schemes", sum(off))
