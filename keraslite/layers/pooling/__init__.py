"""Layers: pooling."""
