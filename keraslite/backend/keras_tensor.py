"""Symbolic tensors: a shape and a dtype, no data. Ops given one return one (shape inference)."""

from keraslite.backend import dtypes


class KerasTensor:
    """A placeholder with a static shape (None for unknown dimensions) and a dtype."""

    def __init__(self, shape, dtype="float32", sparse=False, name=None):
        self.shape = tuple(None if d is None else int(d) for d in shape)
        self.dtype = dtypes.standardize_dtype(dtype)
        self.sparse = bool(sparse)
        self.name = name

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"<KerasTensor shape={self.shape}, dtype={self.dtype}, name={self.name}>"

    def __len__(self):
        if not self.shape or self.shape[0] is None:
            raise TypeError(f"len() of a KerasTensor with unknown first dimension: {self.shape}")
        return self.shape[0]

    def __bool__(self):
        raise TypeError("A symbolic KerasTensor has no truth value; use ops.cond or ops.where.")

    def __iter__(self):
        raise TypeError("A symbolic KerasTensor cannot be iterated; use ops.unstack.")

    def __array__(self, dtype=None, copy=None):
        raise TypeError("A symbolic KerasTensor has no values to convert to numpy.")


def _binary(name, reflected=False):
    def method(self, other):
        from keraslite import ops

        fn = getattr(ops, name)
        return fn(other, self) if reflected else fn(self, other)

    return method


def _unary(name):
    def method(self):
        from keraslite import ops

        return getattr(ops, name)(self)

    return method


def install_operators(cls):
    """Give `cls` Python's arithmetic, comparison and indexing operators, mapped to keraslite.ops."""
    pairs = {
        "add": "add", "sub": "subtract", "mul": "multiply", "truediv": "true_divide",
        "floordiv": "floor_divide", "mod": "mod", "pow": "power", "matmul": "matmul",
        "and": "logical_and", "or": "logical_or", "xor": "logical_xor",
    }
    for dunder, op_name in pairs.items():
        setattr(cls, f"__{dunder}__", _binary(op_name))
        setattr(cls, f"__r{dunder}__", _binary(op_name, reflected=True))
    for dunder, op_name in {"lt": "less", "le": "less_equal", "gt": "greater",
                            "ge": "greater_equal", "eq": "equal", "ne": "not_equal"}.items():
        setattr(cls, f"__{dunder}__", _binary(op_name))
    for dunder, op_name in {"neg": "negative", "pos": "copy", "abs": "absolute",
                            "invert": "logical_not"}.items():
        setattr(cls, f"__{dunder}__", _unary(op_name))
    cls.__getitem__ = _binary("get_item")
    cls.__hash__ = object.__hash__
    return cls


install_operators(KerasTensor)


def is_keras_tensor(x):
    return isinstance(x, KerasTensor)
