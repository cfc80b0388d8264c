"""save_model / load_model: the file's extension picks the format, as in Keras 3."""

import os

from keraslite.saving import saving_lib


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Save `model` to a `.keras` file (Keras 3's format).

    Deliberate difference: Keras 3 also writes the legacy `.h5` format (deprecated there);
    keraslite only reads it."""
    if kwargs:
        raise ValueError(f"save_model: unknown arguments {sorted(kwargs)}.")
    if zipped is False:
        raise ValueError("save_model: zipped=False (an unzipped directory) is not supported; "
                         "save to a `.keras` file.")
    path = str(os.fspath(filepath))
    if path.endswith((".h5", ".hdf5")):
        raise ValueError(f"keraslite writes models in the `.keras` format only (legacy HDF5 "
                         f"files are read-only). Received: filepath={path}")
    if not path.endswith(".keras"):
        raise ValueError(f"Invalid filepath extension for saving. Please add the `.keras` "
                         f"extension. Received: filepath={path}")
    saving_lib.save_model(model, path, overwrite=overwrite)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Load a model from a `.keras` file written by keraslite or Keras 3.

    With `safe_mode=True` (the default) a config that would run code stored in the file (a
    Lambda's Python bytecode) is refused."""
    path = str(os.fspath(filepath))
    if path.endswith(".weights.h5"):
        raise ValueError(f"{path} holds only weights: build the model, then call "
                         "model.load_weights().")
    if path.endswith(".keras"):
        return saving_lib.load_model(path, custom_objects=custom_objects, compile=compile,
                                     safe_mode=safe_mode)
    if path.endswith((".h5", ".hdf5")):
        from keraslite.saving import legacy_h5

        return legacy_h5.load_model(path, custom_objects=custom_objects, compile=compile,
                                    safe_mode=safe_mode)
    raise ValueError(f"File format not supported: filepath={path}. keraslite loads `.keras` "
                     "files and legacy `.h5` / `.hdf5` model files.")
