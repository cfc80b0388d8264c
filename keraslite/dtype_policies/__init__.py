"""keraslite.dtype_policies: compute and variable dtypes of layers (float32, mixed_float16...)."""

from keraslite.dtype_policies.dtype_policy import DTypePolicy, dtype_policy, get, set_dtype_policy

__all__ = ["DTypePolicy", "dtype_policy", "get", "set_dtype_policy"]
