"""Nested structures (lists, tuples, dicts, namedtuples) of tensors, via optree.

None counts as a leaf, so optional arguments keep their place in a structure.
"""

import collections

import optree

_NS = "keraslite"
# what optree opens (namedtuples and structseqs are tuples, OrderedDict and defaultdict dicts);
# anything else is a leaf, mapped without the tree walk on hot paths
_NODES = (list, tuple, dict, collections.deque)


def flatten(structure):
    if not isinstance(structure, _NODES):
        return [structure]
    if type(structure) in (tuple, list) and not any(isinstance(e, _NODES) for e in structure):
        return list(structure)  # a flat tuple or list, such as (x, y, weights)
    return optree.tree_leaves(structure, none_is_leaf=True, namespace=_NS)


def map_structure(fn, *structures):
    if len(structures) == 1:
        s = structures[0]
        if not isinstance(s, _NODES):
            return fn(s)
        if type(s) in (tuple, list) and not any(isinstance(e, _NODES) for e in s):
            return type(s)(fn(e) for e in s)  # a flat tuple or list, such as (x, y, weights)
    return optree.tree_map(fn, *structures, none_is_leaf=True, namespace=_NS)


def pack_sequence_as(structure, flat):
    if not isinstance(structure, _NODES):
        flat = list(flat)
        if len(flat) != 1:
            raise ValueError(f"pack_sequence_as: a single leaf takes one value, received "
                             f"{len(flat)}.")
        return flat[0]
    treedef = optree.tree_structure(structure, none_is_leaf=True, namespace=_NS)
    return optree.tree_unflatten(treedef, list(flat))


def is_nested(structure):
    return isinstance(structure, (list, tuple, dict))


def is_shape(value):
    return isinstance(value, (tuple, list)) and all(
        d is None or isinstance(d, int) for d in value)


def map_shape_structure(fn, structure):
    """Map fn over a structure whose leaves are shapes (tuples of ints or None)."""
    if is_shape(structure):
        return fn(tuple(structure))
    if isinstance(structure, dict):
        return {k: map_shape_structure(fn, v) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(map_shape_structure(fn, v) for v in structure)
    return fn(structure)
