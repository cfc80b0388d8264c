"""Name lookup for initializers: get, serialize, deserialize and the accepted names."""

import inspect
import re

import numpy as np

from keraslite import ops
from keraslite.backend import dtypes
from keraslite.initializers.constant_initializers import STFT, Constant, Identity, Ones, Zeros
from keraslite.initializers.initializer import Initializer, standardize_shape
from keraslite.initializers.random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
)
from keraslite.saving import serialization_lib

_CLASSES = (Initializer, Constant, Zeros, Ones, Identity, STFT, RandomNormal, RandomUniform,
            TruncatedNormal, VarianceScaling, GlorotNormal, GlorotUniform, HeNormal, HeUniform,
            LecunNormal, LecunUniform, Orthogonal)


def _snake(name):
    # "GlorotUniform" -> "glorot_uniform", "STFT" -> "stft"
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


# Class names, their snake_case names and Keras' older spellings.
ALL_OBJECTS_DICT = {cls.__name__: cls for cls in _CLASSES}
ALL_OBJECTS_DICT.update({_snake(cls.__name__): cls for cls in _CLASSES})
ALL_OBJECTS_DICT.update(IdentityInitializer=Identity, OrthogonalInitializer=Orthogonal,
                        STFTInitializer=STFT, normal=RandomNormal, uniform=RandomUniform,
                        one=Ones, zero=Zeros)


def serialize(initializer):
    return serialization_lib.serialize_keras_object(initializer)


def deserialize(config, custom_objects=None):
    return serialization_lib.deserialize_keras_object(
        config, module_objects=ALL_OBJECTS_DICT, custom_objects=custom_objects,
        kind="initializer")


def _from_array(value):
    """An initializer function that returns a fixed array (checked against the shape)."""

    def initialize(shape, dtype=None):
        if standardize_shape(shape) != tuple(value.shape):
            raise ValueError(f"This initializer holds a fixed array of shape {tuple(value.shape)}"
                             f"; received shape={tuple(shape)}.")
        return ops.cast(value, dtypes.standardize_dtype(dtype))

    return initialize


def get(identifier):
    """None -> None; a name, alias or config -> a new instance; a class -> an instance; an array
    -> a function returning it; any other callable is returned as is."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        identifier = {"class_name": identifier, "config": {}}
    if isinstance(identifier, dict):
        obj = deserialize(identifier)
    elif isinstance(identifier, (np.ndarray, np.generic)) or ops.is_tensor(identifier):
        obj = _from_array(identifier)
    else:
        obj = identifier
    if inspect.isclass(obj):
        obj = obj()
    if callable(obj):
        return obj
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")
