"""Neural-network ops: activations, convolution, pooling, normalization, losses, attention.
"""
from keraslite.backend.contract.spec import op

# Fused kernels the layers call through keraslite.backend; keraslite.ops does not list them.
PRIVATE = ("dense",)


@op("promote", grad=True)
def dense(inputs, kernel, bias=None):
    """inputs @ kernel + bias over the last axis of inputs: kernel (in, out), bias (out,) or
    None. One fused kernel where the framework has one (Dense's forward pass)."""


@op("unary_float", grad=True)
def relu(x):
    """Activation relu, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def relu6(x):
    """Activation relu6, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def sigmoid(x):
    """Activation sigmoid, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def sparse_sigmoid(x):
    """Activation sparse_sigmoid, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def softplus(x):
    """Activation softplus, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def softsign(x):
    """Activation softsign, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def silu(x):
    """Activation silu, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def log_sigmoid(x):
    """Activation log_sigmoid, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def hard_sigmoid(x):
    """Activation hard_sigmoid, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def hard_silu(x):
    """Activation hard_silu, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def selu(x):
    """Activation selu, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def tanh_shrink(x):
    """Activation tanh_shrink, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def hard_tanh(x):
    """Activation hard_tanh, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def squareplus(x, b=4):
    """Activation squareplus, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def sparse_plus(x):
    """Activation sparse_plus, element-wise; float inputs keep their dtype, ints become floatx."""

@op("unary_float", grad=True)
def leaky_relu(x, negative_slope=0.2):
    """Activation leaky_relu with its parameters as in Keras; float inputs keep their dtype."""

@op("unary_float", grad=True)
def elu(x, alpha=1.0):
    """Activation elu with its parameters as in Keras; float inputs keep their dtype."""

@op("unary_float", grad=True)
def celu(x, alpha=1.0):
    """Activation celu with its parameters as in Keras; float inputs keep their dtype."""

@op("unary_float", grad=True)
def gelu(x, approximate=True):
    """Activation gelu with its parameters as in Keras; float inputs keep their dtype."""

@op("unary_float", grad=True)
def glu(x, axis=-1):
    """Activation glu with its parameters as in Keras; float inputs keep their dtype."""

@op("unary_float", grad=True)
def soft_shrink(x, threshold=0.5):
    """Activation soft_shrink with its parameters as in Keras; float inputs keep their dtype."""

@op("unary_float", grad=True)
def hard_shrink(x, threshold=0.5):
    """Activation hard_shrink with its parameters as in Keras; float inputs keep their dtype."""

@op("unary_float", grad=True)
def threshold(x, threshold, default_value):
    """Activation threshold with its parameters as in Keras; float inputs keep their dtype."""

@op("unary_float", grad=True)
def softmax(x, axis=-1):
    """softmax along axis (default -1)."""

@op("unary_float", grad=True)
def log_softmax(x, axis=-1):
    """log_softmax along axis (default -1)."""

@op("unary_float", grad=True)
def sparsemax(x, axis=-1):
    """sparsemax along axis (default -1)."""

@op("custom", grad=True)
def max_pool(inputs, pool_size, strides=None, padding='valid', data_format=None):
    """max_pool over the spatial dims of a rank 3/4/5 input; pool_size/strides int or tuple;
    padding 'valid' or 'same'; data_format None means config.image_data_format().
    average_pool with 'same' excludes padding from the count (Keras)."""

@op("custom", grad=True)
def average_pool(inputs, pool_size, strides=None, padding='valid', data_format=None):
    """average_pool over the spatial dims of a rank 3/4/5 input; pool_size/strides int or tuple;
    padding 'valid' or 'same'; data_format None means config.image_data_format().
    average_pool with 'same' excludes padding from the count (Keras)."""

@op("custom", grad=True)
def conv(inputs, kernel, strides=1, padding='valid', data_format=None, dilation_rate=1):
    """N-D convolution (N = rank - 2). Kernel layout (*spatial, in_channels / groups,
    out_channels); strides, padding ('valid'/'same'/'causal' for 1D), data_format,
    dilation_rate. Groups inferred from channels."""

@op("custom", grad=True)
def depthwise_conv(inputs, kernel, strides=1, padding='valid', data_format=None, dilation_rate=1):
    """Depthwise convolution, kernel (*spatial, in_channels, depth_multiplier)."""

@op("custom", grad=True)
def separable_conv(inputs, depthwise_kernel, pointwise_kernel, strides=1, padding='valid', data_format=None, dilation_rate=1):
    """Depthwise then 1x1 pointwise convolution."""

@op("custom", grad=True)
def conv_transpose(inputs, kernel, strides=1, padding='valid', output_padding=None, data_format=None, dilation_rate=1):
    """Transposed convolution (gradient of conv), kernel (*spatial, out_channels, in_channels);
    output_padding as Keras."""

@op("custom", grad=False)
def one_hot(x, num_classes, axis=-1, dtype=None, sparse=False):
    """one_hot encoding of int inputs into num_classes along axis (default -1); dtype floatx unless
    given."""

@op("custom", grad=False)
def multi_hot(inputs, num_classes=None, axis=-1, dtype=None, sparse=False, **kwargs):
    """multi_hot encoding of int inputs into num_classes along axis (default -1); dtype floatx
    unless given."""

@op("custom", grad=True)
def binary_crossentropy(target, output, from_logits=False):
    """binary_crossentropy between target and output (from_logits as Keras); probabilities are
    clipped to [epsilon, 1 - epsilon]."""

@op("custom", grad=True)
def categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """categorical_crossentropy between target and output (from_logits as Keras); probabilities are
    clipped to [epsilon, 1 - epsilon]."""

@op("custom", grad=True)
def sparse_categorical_crossentropy(target, output, from_logits=False, axis=-1):
    """sparse_categorical_crossentropy between target and output (from_logits as Keras);
    probabilities are clipped to [epsilon, 1 - epsilon]."""

@op("custom", grad=True)
def moments(x, axes, keepdims=False, synchronized=False):
    """(mean, variance) over axes with keepdims; float16 inputs are computed in float32 and cast
    back; synchronized is accepted and ignored on one device."""

@op("custom", grad=True)
def batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=0.001):
    """(x - mean) / sqrt(variance + epsilon) * scale + offset, parameters broadcast along axis."""

@op("custom", grad=True)
def layer_normalization(x, gamma=None, beta=None, axis=-1, epsilon=None, **kwargs):
    """layer_normalization over `axis` with optional gamma/beta and epsilon as Keras."""

@op("custom", grad=True)
def rms_normalization(x, scale=None, axis=-1, epsilon=None):
    """rms_normalization over `axis` with optional gamma/beta and epsilon as Keras."""

@op("custom", grad=True)
def normalize(x, axis=-1, order=2, epsilon=None):
    """x / max(norm(x, order, axis), epsilon)."""

@op("custom", grad=True)
def ctc_loss(target, output, target_length, output_length, mask_index=0):
    """CTC loss per batch element (blank index mask_index), from dense labels and logits (batch,
    time, classes)."""

@op("custom", grad=True)
def psnr(x1, x2, max_val):
    """Peak signal-to-noise ratio between x1 and x2 given max_val."""

@op("custom", grad=True)
def dot_product_attention(query, key, value, bias=None, mask=None, scale=None, is_causal=False, flash_attention=None, attn_logits_soft_cap=None):
    """softmax(q k^T * scale + bias, masked) v for inputs (batch, seq, heads, dim); supports bias,
    bool mask, is_causal, grouped heads. flash_attention is accepted when None/False."""

@op("unary_float", grad=True)
def adaptive_average_pool(inputs, output_size, data_format=None):
    """Average pool of a rank 3/4/5 input to a fixed spatial output_size (int or tuple). Output
    index i along a dim of size n -> m averages input [floor(i*n/m), ceil((i+1)*n/m)) (PyTorch's
    bins). Ints give floatx."""

@op("same", grad=True)
def adaptive_max_pool(inputs, output_size, data_format=None):
    """Max pool with the bins of adaptive_average_pool; keeps the input dtype."""

@op("same", grad=True)
def depth_to_space(x, block_size, data_format='channels_last'):
    """Rank-4 pixel shuffle: channels C -> C / block_size**2 with space scaled by block_size.
    Channel index (bh * block_size + bw) * C_out + c (TensorFlow's DCR order) for both data
    formats: channels_first is the same op on the transposed layout (Keras' jax/torch backends
    use CRD order for channels_first; keraslite keeps one meaning)."""

@op("same", grad=True)
def space_to_depth(x, block_size, data_format='channels_last'):
    """Inverse of depth_to_space: space divided by block_size, channels times block_size**2."""

@op("same", grad=True)
def unfold(x, kernel_size, dilation=1, padding=0, stride=1):
    """Sliding blocks of a (N, C, H, W) input as (N, C * kh * kw, L) (PyTorch's unfold; C is the
    outer factor, L the number of blocks in row-major order); int or pair arguments; zero
    padding."""

@op("same", grad=True)
def fold(x, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """Adjoint of unfold: (N, C * kh * kw, L) blocks summed into (N, C, H, W) with
    output_size=(H, W); overlapping entries add up."""

@op("custom", grad=False)
def polar(abs_, angle):
    """abs_ * (cos(angle) + i sin(angle)): complex128 when either input is float64, else
    complex64."""

@op("custom", grad=False)
def ctc_decode(inputs, sequence_lengths, strategy='greedy', beam_width=100, top_paths=1,
               merge_repeated=True, mask_index=0):
    """Decode (batch, time, classes) scores into (paths int32 (top_paths, batch, time) padded with
    -1, scores float (batch, top_paths)). mask_index is the blank (None: last class).
    'greedy': argmax per step, repeats merged when merge_repeated, blanks dropped; score is
    minus the sum of the per-step maxima of the inputs (Keras). 'beam_search': prefix beam
    search over log_softmax(inputs) keeping beam_width prefixes; returns the top_paths best
    labellings, best first, with their log probabilities (merge_repeated does not apply).
    Steps past sequence_lengths are ignored. Not differentiable."""
