"""CP-SAT's parameter fields as plain data, for validating presets outside the encoding.

Presets (:mod:`optimizer.presets`) are checked against the real ``SatParameters`` field
names and types before anything runs; this is the one place that reads ortools' protobuf
descriptor for it, so the rest of the code stays free of ortools.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache


@dataclass(frozen=True)
class ParamField:
    name: str
    kind: str  # "bool", "int", "float", "enum", "string" or "other"
    repeated: bool = False
    bits: int = 64  # int: width
    unsigned: bool = False  # int: no negatives
    enum: dict[str, int] = field(default_factory=dict)  # enum: name -> number


@lru_cache(maxsize=1)
def parameter_fields() -> dict[str, ParamField]:
    from google.protobuf.descriptor import FieldDescriptor as FD
    from ortools.sat import sat_parameters_pb2

    ints = {FD.TYPE_INT32: (32, False), FD.TYPE_INT64: (64, False), FD.TYPE_UINT32: (32, True), FD.TYPE_UINT64: (64, True)}
    out = {}
    for f in sat_parameters_pb2.SatParameters.DESCRIPTOR.fields:
        repeated = f.is_repeated if hasattr(f, "is_repeated") else f.label == FD.LABEL_REPEATED
        if f.type == FD.TYPE_BOOL:
            out[f.name] = ParamField(f.name, "bool", repeated)
        elif f.type in ints:
            bits, unsigned = ints[f.type]
            out[f.name] = ParamField(f.name, "int", repeated, bits, unsigned)
        elif f.type in (FD.TYPE_DOUBLE, FD.TYPE_FLOAT):
            out[f.name] = ParamField(f.name, "float", repeated)
        elif f.type == FD.TYPE_ENUM:
            out[f.name] = ParamField(f.name, "enum", repeated, enum={v.name: v.number for v in f.enum_type.values})
        elif f.type == FD.TYPE_STRING:
            out[f.name] = ParamField(f.name, "string", repeated)
        else:
            out[f.name] = ParamField(f.name, "other", repeated)
    return out


def enum_fields() -> set[str]:
    return {name for name, f in parameter_fields().items() if f.kind == "enum"}
