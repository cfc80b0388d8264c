"""Prints the active backend and a small computation done through keraslite.ops.

Run with e.g. `KERASLITE_BACKEND=jax python examples/hello.py`.
"""

import numpy as np

import keraslite
from keraslite import ops

x = ops.convert_to_tensor(np.arange(6, dtype="float32").reshape(2, 3))
w = ops.ones((3, 2))
y = ops.softmax(ops.matmul(x, w))
grad = keraslite.backend.grad(lambda w: ops.sum(ops.matmul(x, w) ** 2))(w)

print("backend:", keraslite.backend.backend())
print("softmax(x @ w):", ops.convert_to_numpy(y).round(4).tolist())
print("d sum((x @ w)^2) / dw:", ops.convert_to_numpy(grad).tolist())
