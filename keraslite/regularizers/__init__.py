"""keraslite.regularizers: Keras 3's weight penalties and their lookup helpers."""

from keraslite.regularizers.regularizers import (
    ALL_OBJECTS_DICT,
    L1,
    L1L2,
    L2,
    OrthogonalRegularizer,
    Regularizer,
    deserialize,
    get,
    serialize,
)

# Keras' snake_case spellings of the same classes.
l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

__all__ = [
    "ALL_OBJECTS_DICT", "L1", "L1L2", "L2", "OrthogonalRegularizer", "Regularizer", "deserialize",
    "get", "l1", "l1_l2", "l2", "orthogonal_regularizer", "serialize",
]
