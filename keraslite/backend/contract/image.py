"""Image ops on batched (N, H, W, C) or single (H, W, C) images; data_format as Keras.
"""
from keraslite.backend.contract.spec import op


@op("custom", grad=True)
def resize(images, size, interpolation='bilinear', antialias=False, crop_to_aspect_ratio=False, pad_to_aspect_ratio=False, fill_mode='constant', fill_value=0.0, data_format=None):
    """Resize images (3D or 4D) to size with interpolation
    'nearest'/'bilinear'/'bicubic'/'area'/'lanczos3'/'lanczos5' (antialias,
    crop_to_aspect_ratio, pad_to_aspect_ratio as Keras)."""

@op("custom", grad=True)
def affine_transform(images, transform, interpolation='bilinear', fill_mode='constant', fill_value=0, data_format=None):
    """Apply flattened 8-parameter projective transforms to images (interpolation
    'nearest'/'bilinear', fill_mode 'constant'/'nearest'/'wrap'/'mirror'/'reflect')."""

@op("custom", grad=True)
def map_coordinates(inputs, coordinates, order, fill_mode='constant', fill_value=0):
    """Sample inputs at coordinates (order 0 or 1) as scipy.ndimage.map_coordinates."""

@op("custom", grad=True)
def rgb_to_grayscale(images, data_format=None):
    """Luma from RGB, keeping a 1-channel axis."""

@op("custom", grad=True)
def rgb_to_hsv(images, data_format=None):
    """RGB in [0,1] to HSV in [0,1]."""

@op("custom", grad=True)
def hsv_to_rgb(images, data_format=None):
    """HSV in [0,1] to RGB in [0,1]."""
