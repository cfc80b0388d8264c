"""Layers: convolutional."""
