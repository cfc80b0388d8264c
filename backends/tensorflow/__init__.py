"""The tensorflow backend of keraslite: one module per contract group (core, numpy, nn, ...)."""

import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# TensorFlow eagerly imports Keras when it is installed, and that import fails outright when
# KERAS_BACKEND names a backend Keras does not know (keraslite accepts KERAS_BACKEND as a
# fallback). Hide Keras while TensorFlow loads: TF then skips it (it only needs it for tf.keras,
# which this backend never uses).
_hide_keras = "keras" not in sys.modules
if _hide_keras:
    sys.modules["keras"] = None
try:
    import tensorflow  # noqa: E402, F401  (a missing framework fails here; the loader turns it into advice)
finally:
    if _hide_keras and sys.modules.get("keras", 0) is None:
        del sys.modules["keras"]

NAME = "tensorflow"
