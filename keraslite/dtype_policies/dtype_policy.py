"""Dtype policies: the dtype a layer computes in and the dtype its variables are stored in."""

from keraslite import config
from keraslite.backend import dtypes

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}


class DTypePolicy:
    """`DTypePolicy("float32")`, or "mixed_float16" / "mixed_bfloat16" (compute in 16 bits,
    keep variables in float32)."""

    def __init__(self, name=None):
        name = name or config.floatx()
        if name in _MIXED:
            self._compute, self._variable = _MIXED[name], "float32"
        else:
            try:
                self._compute = self._variable = dtypes.standardize_dtype(name)
            except ValueError:
                raise ValueError(
                    f"Unknown dtype policy '{name}'. Use a dtype name (e.g. 'float32') or one of "
                    f"{sorted(_MIXED)}.") from None
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def compute_dtype(self):
        return self._compute

    @property
    def variable_dtype(self):
        return self._variable

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


_GLOBAL = {"policy": None}


def get(identifier):
    """A DTypePolicy from None (the global policy), a name, a policy, or its config dict."""
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return DTypePolicy.from_config(identifier.get("config", identifier))
    return DTypePolicy(dtypes.standardize_dtype(identifier)
                       if identifier not in _MIXED else identifier)


def set_dtype_policy(policy):
    _GLOBAL["policy"] = get(policy) if policy is not None else None


def dtype_policy():
    return _GLOBAL["policy"] or DTypePolicy(config.floatx())
