"""Gradients with respect to Variables, written once for every backend.

`compute_gradients(fn, variables)` runs fn (which reads variables and may assign others, such as
batch-norm statistics) as a pure function of the variables' values, differentiates it with the
backend's value_and_grad, and applies the other assignments afterwards. A custom train_step
written with it and keraslite.ops runs unchanged on torch, jax and tensorflow.
"""

from keraslite import backend
from keraslite.backend.variables import StatelessScope


def compute_gradients(fn, variables, has_aux=False):
    """Value of fn() and its gradients with respect to `variables`.

    Returns ``(value, grads)``, or ``((value, aux), grads)`` when fn returns ``(value, aux)`` and
    has_aux is True. grads is a list aligned with variables.
    """
    variables = list(variables)
    differentiated = {id(v) for v in variables}
    updated = []

    def pure(values):
        with StatelessScope(list(zip(variables, values))) as scope:
            out = fn()
        updated[:] = [v for v in scope.updated_variables() if id(v) not in differentiated]
        new_values = [scope.get_current_value(v) for v in updated]
        value, aux = out if has_aux else (out, None)
        return value, (aux, new_values)

    (value, (aux, new_values)), grads = backend.value_and_grad(pure, has_aux=True)(
        [v.value for v in variables])
    for variable, new in zip(updated, new_values):
        variable.assign(new)  # lands in the enclosing StatelessScope when there is one
    return ((value, aux) if has_aux else value), list(grads)
