"""Layers: attention."""
