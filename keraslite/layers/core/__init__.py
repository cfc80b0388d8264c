"""Layers: core."""
