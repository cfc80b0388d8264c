"""keraslite.ops.vectorize: numpy.vectorize for tensors, built on vectorized_map.

The vectorized (not excluded) arguments broadcast against each other over their loop axes: all
axes but the trailing core axes a `signature` names for them (none without a signature, so
pyfunc then sees scalars). The loop axes are flattened into one, a single vectorized_map calls
pyfunc for every element, and the loop shape is restored on each output.
"""

import functools
import math
import re

import numpy as np

from keraslite.ops import broadcast_to, convert_to_tensor, reshape, shape, vectorized_map
from keraslite.utils import tree

_ARGS = re.compile(r"\((?:\w+(?:,\w+)*)?\)(?:,\((?:\w+(?:,\w+)*)?\))*")


def _parse_signature(signature):
    """'(m,n),(n)->(m)' -> ([('m', 'n'), ('n',)], [('m',)])."""
    sides = re.sub(r"\s", "", signature).split("->")
    if len(sides) != 2 or not all(_ARGS.fullmatch(side) for side in sides):
        raise ValueError(f"vectorize: invalid signature {signature!r}; expected something like "
                         "'(m,n),(n)->(m)'.")
    return [[tuple(d for d in group.split(",") if d) for group in re.findall(r"\(([^()]*)\)", s)]
            for s in sides]


def vectorize(pyfunc, *, excluded=None, signature=None):
    """Turn `pyfunc` into a function that maps it over every element of its tensor arguments.

    Arguments whose position or keyword name is in `excluded`, and None arguments, are passed to
    pyfunc unchanged. With a signature such as `"(m,n),(n)->(m)"`, pyfunc receives (and
    returns) tensors of those core shapes instead of scalars.
    """
    if not callable(pyfunc):
        raise ValueError(f"vectorize: `pyfunc` must be callable; received {pyfunc!r}.")
    excluded = set(excluded or ())
    in_dims, out_dims = _parse_signature(signature) if signature is not None else (None, None)

    @functools.wraps(pyfunc)
    def wrapped(*args, **kwargs):
        keys = [i for i, a in enumerate(args) if i not in excluded and a is not None]
        keys += [k for k, v in kwargs.items() if k not in excluded and v is not None]
        if not keys:
            return pyfunc(*args, **kwargs)
        xs = [convert_to_tensor(args[k] if isinstance(k, int) else kwargs[k]) for k in keys]
        cores = in_dims if in_dims is not None else [()] * len(xs)
        if len(cores) != len(xs):
            raise ValueError(f"vectorize: signature {signature!r} has {len(cores)} inputs, but "
                             f"{len(xs)} arguments are vectorized.")
        sizes, loops = {}, []
        for x, dims in zip(xs, cores):
            x_shape = tuple(shape(x))
            n_loop = len(x_shape) - len(dims)
            if n_loop < 0:
                raise ValueError(f"vectorize: an argument of shape {x_shape} has fewer axes than "
                                 f"its core dimensions {dims} in signature {signature!r}.")
            for name, size in zip(dims, x_shape[n_loop:]):
                if sizes.setdefault(name, size) != size:
                    raise ValueError(f"vectorize: core dimension {name!r} has size "
                                     f"{sizes[name]} in one argument and {size} in another.")
            loops.append(x_shape[:n_loop])
        loop = tuple(np.broadcast_shapes(*loops))
        # every argument as (number of loop elements, *core shape)
        flat = []
        for x, x_loop in zip(xs, loops):
            core = tuple(shape(x))[len(x_loop):]
            flat.append(reshape(broadcast_to(x, loop + core), (math.prod(loop),) + core))

        def call(elements):
            call_args, call_kwargs = list(args), dict(kwargs)
            for k, e in zip(keys, elements):
                if isinstance(k, int):
                    call_args[k] = e
                else:
                    call_kwargs[k] = e
            return pyfunc(*call_args, **call_kwargs)

        out = vectorized_map(call, tuple(flat))
        n_out = len(out) if isinstance(out, tuple) else 1
        if out_dims is not None and len(out_dims) != n_out:
            raise ValueError(f"vectorize: signature {signature!r} has {len(out_dims)} outputs, "
                             f"but pyfunc returned {n_out}.")
        return tree.map_structure(lambda o: reshape(o, loop + tuple(shape(o))[1:]), out)

    return wrapped
