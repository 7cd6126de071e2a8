"""The limits of every input the tool reads, in one place.

Two layers, both at the boundary:

- :func:`optimizer.io.check_document` walks every parsed file (scenario, plan, catalogue, preset,
  profiles, import) before any schema sees it: no NaN or infinity, no integer beyond
  64 bits, no lone surrogate, nesting and size within bounds. One error names the file,
  the line (YAML) and the field path.
- :data:`STRICT` is the pydantic configuration the schemas share: strict types (a
  boolean is not a number, ``"3"`` is not an integer), no NaN or infinity, unknown fields
  refused. The ranges of seeds and workers are CP-SAT's own (32-bit there); the annotated
  types built on them live with the schema (:mod:`optimizer.scenario`), so the CLI's
  ``--help`` imports plain numbers only.

Every numeric field of a scenario has a finite documented range (README, "Limits"), small
enough that the scaled model stays far inside CP-SAT's 64-bit integers.
"""

from __future__ import annotations

# CP-SAT's SatParameters: random_seed and num_workers are int32.
SEED_MAX = 2**31 - 1
WORKERS_MAX = 64  # more threads than this on one solve only thrash; CP-SAT itself allows int32
TIME_LIMIT_MAX_S = 86_400.0  # a day: longer is a mistake, not a wish
INT_MAX = 2**63 - 1  # nothing any file holds may exceed a 64-bit integer
MAX_DEPTH = 64  # the deepest real file (a catalogue) nests 5 levels
MAX_NODES = 5_000_000  # values in one file: a 20,000-exercise catalogue holds about 600,000
WEIGHT_MAX = 1e6  # objective weights: scaled by 1000 and by the largest term, still < 2^53

STRICT = {"extra": "forbid", "strict": True, "allow_inf_nan": False}  # a pydantic ConfigDict
