"""keraslite.constraints: Keras 3's weight constraints and their lookup helpers."""

from keraslite.constraints.constraints import (
    ALL_OBJECTS_DICT,
    Constraint,
    MaxNorm,
    MinMaxNorm,
    NonNeg,
    UnitNorm,
    deserialize,
    get,
    serialize,
)

# Keras' snake_case spellings of the same classes.
max_norm = MaxNorm
min_max_norm = MinMaxNorm
non_neg = NonNeg
unit_norm = UnitNorm

__all__ = [
    "ALL_OBJECTS_DICT", "Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm",
    "deserialize", "get", "max_norm", "min_max_norm", "non_neg", "serialize", "unit_norm",
]
