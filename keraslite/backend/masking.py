"""Masks carried by tensors, as Keras does with `_keras_mask`, for every framework.

torch and tensorflow tensors take the attribute; jax arrays refuse attributes, so their masks
go to a side table that forgets an entry when its tensor is freed.
"""

import weakref

_side_masks = {}


def get_keras_mask(x):
    mask = getattr(x, "_keras_mask", None)
    if mask is None and id(x) in _side_masks:
        ref, side = _side_masks[id(x)]
        if ref() is x:
            mask = side
    return mask


def set_keras_mask(x, mask):
    try:
        x._keras_mask = mask
        return
    except (AttributeError, TypeError):
        pass
    key = id(x)
    try:
        # the dict is bound now: at interpreter exit the module global may already be None
        ref = weakref.ref(x, lambda _, key=key, masks=_side_masks: masks.pop(key, None))
    except TypeError:
        return  # neither attribute nor weak reference: the tensor cannot carry a mask
    if mask is None:
        _side_masks.pop(key, None)
    else:
        _side_masks[key] = (ref, mask)
