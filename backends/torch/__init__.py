"""The torch backend of keraslite: one module per contract group (core, numpy, nn, ...)."""

import torch  # noqa: F401  (a missing framework fails here; the loader turns it into advice)

NAME = "torch"
