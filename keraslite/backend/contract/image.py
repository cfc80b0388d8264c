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

@op("same", grad=True)
def crop_images(images, top_cropping=None, left_cropping=None, bottom_cropping=None, right_cropping=None, target_height=None, target_width=None, data_format=None):
    """Crop 3D/4D images. Exactly two of (top_cropping, bottom_cropping, target_height) and two
    of (left_cropping, right_cropping, target_width) are given, none negative; the third of each
    follows from the image size."""

@op("same", grad=True)
def pad_images(images, top_padding=None, left_padding=None, bottom_padding=None, right_padding=None, target_height=None, target_width=None, data_format=None):
    """Zero-pad 3D/4D images; the arguments pair up as in crop_images."""

@op("same", grad=True)
def extract_patches(images, size, strides=None, dilation_rate=1, padding='valid', data_format=None):
    """Patches of 3D/4D images (size an int or a pair) or of 4D/5D volumes (size a triple),
    flattened into the channel axis: (N, out_h, out_w, ph * pw * C) channels_last, (N, ph * pw *
    C, out_h, out_w) channels_first, features ordered (patch row, patch column, channel).
    strides default to size; padding 'valid' or 'same' (the extra pixel of an odd total pad
    goes after, as in conv); dilation_rate spaces the patch's taps."""

@op("same", grad=True)
def extract_patches_3d(volumes, size, strides=None, dilation_rate=1, padding='valid', data_format=None):
    """extract_patches of 4D/5D volumes with size an int or a triple."""

@op("same", grad=True)
def gaussian_blur(images, kernel_size=(3, 3), sigma=(1.0, 1.0), data_format=None):
    """Per-channel Gaussian filter of 3D/4D images with zero 'same' padding; kernel_size and
    sigma are (height, width) (Keras' jax/tf backends apply kernel_size[1]/sigma[1] along the
    height instead; square kernels agree). Int images compute in floatx and are rounded back."""

@op("same", grad=True)
def sobel_edges(images, data_format=None):
    """3x3 Sobel responses [dy, dx] of 4D images stacked on a new last axis: (N, H, W, C, 2)
    channels_last, (N, C, H, W, 2) channels_first; zero 'same' padding, as Keras' jax backend
    (Keras' tensorflow backend pads by reflection)."""

@op("same", grad=True)
def ssim(image1, image2, max_val=1.0, filter_size=11, filter_sigma=1.5, k1=0.01, k2=0.03, data_format=None):
    """Mean structural similarity per image ((N,) for 4D, () for 3D): Gaussian-weighted local
    statistics ('valid' windows of filter_size, filter_sigma) averaged over space and channels.
    Computed in float, cast to image1's dtype as Keras does."""

@op("same", grad=True)
def perspective_transform(images, start_points, end_points, interpolation='bilinear', fill_value=0, data_format=None):
    """Warp 3D/4D images so that the four start_points ((4, 2) or (N, 4, 2), (x, y) pixels) land
    on end_points: the projective map taking end_points to start_points is solved and applied as
    affine_transform with fill_mode 'constant'."""

@op("unary_float", grad=True)
def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, antialias=True):
    """jax.image.scale_and_translate: resample the spatial_dims of images to output_shape, input
    point x mapping to x * scale + translation (half-pixel centres, zero outside). method
    'linear'/'bilinear'/'trilinear', 'cubic'/'bicubic'/'tricubic' (Keys, a=-0.5), 'lanczos3',
    'lanczos5'; antialias widens the kernel when downsampling. Ints give floatx."""

@op("same", grad=True)
def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation='bilinear', fill_mode='reflect', fill_value=0.0, seed=None, data_format=None):
    """Displace every pixel of 3D/4D images by alpha times Gaussian-smoothed (sigma, kernel
    int(6 * sigma) | 1) normal noise of stddev sigma, independent for rows and columns (Keras'
    jax/tf backends reuse one draw for both), and resample as map_coordinates with fill_mode.
    seed as in the random group (a (2,) int32 tensor; keraslite.ops.image also takes ints and
    SeedGenerators); samples differ from Keras' for the same seed."""
