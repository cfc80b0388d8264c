"""keraslite.ops.rearrange: einops-style axis rearrangement, built from reshape and transpose.

A pattern such as ``"b (h p) w c -> b h (p w c)"`` names every input axis on the left and
says on the right how the same names are ordered and grouped. A parenthesised group on the left
splits one axis (its sizes come from the keyword arguments, one of them may be inferred); a
group on the right merges axes. As in Keras, names are words and there is no ellipsis.
"""

import functools
import math
import re

from keraslite.ops import reshape, shape, transpose

_TOKENS = re.compile(r"\(|\)|\w+|\S+")


def _error(pattern, message):
    return ValueError(f"rearrange: {message} (pattern {pattern!r}).")


def _parse_side(side, pattern):
    """List of groups (lists of axis names) of one side of the pattern."""
    groups, current = [], None
    for token in _TOKENS.findall(side):
        if token == "(":
            if current is not None:
                raise _error(pattern, "parentheses cannot be nested")
            current = []
        elif token == ")":
            if not current:
                raise _error(pattern, "unbalanced or empty parentheses")
            groups.append(current)
            current = None
        elif re.fullmatch(r"\w+", token):
            if current is None:
                groups.append([token])
            else:
                current.append(token)
        else:
            raise _error(pattern, f"unexpected {token!r}; axes are words, groups use ()")
    if current is not None:
        raise _error(pattern, "unbalanced parentheses")
    return groups


@functools.lru_cache(maxsize=256)
def _parse(pattern):
    """(input groups, output groups) of a pattern; parsed once per distinct pattern."""
    if not isinstance(pattern, str) or pattern.count("->") != 1:
        raise ValueError(f"rearrange: `pattern` must be a string 'inputs -> outputs' with one "
                         f"'->'; received {pattern!r}.")
    left, right = (_parse_side(s, pattern) for s in pattern.split("->"))
    names_in = [a for g in left for a in g]
    names_out = [a for g in right for a in g]
    for names, side in ((names_in, "left"), (names_out, "right")):
        repeated = sorted({a for a in names if names.count(a) > 1})
        if repeated:
            raise _error(pattern, f"axes {repeated} appear twice on the {side}")
    if set(names_in) != set(names_out):
        only_in = sorted(set(names_in) - set(names_out))
        only_out = sorted(set(names_out) - set(names_in))
        raise _error(pattern, f"both sides must name the same axes; only on the left: "
                              f"{only_in}, only on the right: {only_out}")
    return tuple(map(tuple, left)), tuple(map(tuple, right))


def _axis_sizes(groups, in_shape, axes_lengths, pattern):
    """{name: size} for every input axis (None where the input size is unknown)."""
    if len(groups) != len(in_shape):
        raise _error(pattern, f"the left side names {len(groups)} axes but the tensor has "
                              f"shape {in_shape}")
    named = {a for g in groups for a in g}
    extra = sorted(set(axes_lengths) - named)
    if extra:
        raise _error(pattern, f"axes_lengths {extra} are not in the pattern")
    sizes = {}
    for group, dim in zip(groups, in_shape):
        unknown = [a for a in group if a not in axes_lengths]
        known = math.prod(int(axes_lengths[a]) for a in group if a in axes_lengths)
        if len(unknown) > 1:
            raise _error(pattern, f"cannot infer the sizes of {unknown}; give all but one")
        if dim is None:  # symbolic dimension: an inferred part stays unknown
            sizes.update({a: axes_lengths.get(a) for a in group})
            continue
        if unknown:
            if known == 0 or dim % known:
                given = {a: axes_lengths[a] for a in group if a in axes_lengths}
                raise _error(pattern, f"axis of size {dim} cannot be split into {group} "
                                      f"with lengths {given}")
            sizes[unknown[0]] = dim // known
        elif known != dim:
            raise _error(pattern, f"axis of size {dim} does not match {group} of total size "
                                  f"{known}")
        sizes.update({a: int(axes_lengths[a]) for a in group if a in axes_lengths})
    return sizes


def _target(sizes):
    """Reshape target; one unknown size (a symbolic batch) becomes -1."""
    if sizes.count(None) > 1:
        raise ValueError(f"rearrange: cannot reshape to {sizes} with more than one unknown size.")
    return tuple(-1 if s is None else s for s in sizes)


def _group_size(group, sizes):
    parts = [sizes[a] for a in group]
    return None if None in parts else math.prod(parts)


def rearrange(tensor, pattern, **axes_lengths):
    """Reorder, split and merge the axes of `tensor` as the einops `pattern` says."""
    left, right = _parse(pattern)
    in_shape = tuple(None if d is None else int(d)
                     for d in (tensor.shape if hasattr(tensor, "shape") else shape(tensor)))
    sizes = _axis_sizes(left, in_shape, axes_lengths, pattern)
    names_in = [a for g in left for a in g]
    names_out = [a for g in right for a in g]
    split = [sizes[a] for a in names_in]
    if split != list(in_shape):
        tensor = reshape(tensor, _target(split))
    tensor = transpose(tensor, [names_in.index(a) for a in names_out])
    out_shape = [_group_size(g, sizes) for g in right]
    if out_shape != [sizes[a] for a in names_out]:
        tensor = reshape(tensor, _target(out_shape))
    return tensor
