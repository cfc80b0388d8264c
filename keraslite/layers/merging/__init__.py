"""Layers: merging."""
