"""Layers: regularization."""
