"""Stateless random sampling on TensorFlow: seed is an int32 tensor of shape (2,)."""

import tensorflow as tf

from keraslite import config
from keraslite.backend import dtypes
from keraslite_backends.tensorflow.core import convert_to_tensor, is_int_dtype


def _seed(seed):
    if seed is None:
        return tf.random.uniform([2], 0, 2**31 - 1, dtype="int32")
    if isinstance(seed, int):
        return tf.constant([seed, 0], dtype="int32")
    if hasattr(seed, "value") and not tf.is_tensor(seed):
        seed = seed.value  # a Variable holding the seed
    seed = tf.cast(convert_to_tensor(seed), "int32")
    return tf.reshape(seed, [2])


def _split(seed, n):
    return tf.unstack(tf.random.experimental.stateless_split(_seed(seed), n))


def _shape(shape):
    return [shape] if isinstance(shape, int) else shape


def _float_dtype(dtype):
    return dtypes.standardize_dtype(dtype or config.floatx())


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    return tf.random.stateless_normal(_shape(shape), _seed(seed), mean=mean, stddev=stddev,
                                      dtype=dtype)


def uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    if is_int_dtype(dtype):
        return randint(shape, minval, maxval, dtype=dtype, seed=seed)
    return tf.random.stateless_uniform(_shape(shape), _seed(seed), minval=minval, maxval=maxval,
                                       dtype=dtype)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    return tf.random.stateless_truncated_normal(_shape(shape), _seed(seed), mean=mean,
                                                stddev=stddev, dtype=dtype)


def categorical(logits, num_samples, dtype='int32', seed=None):
    logits = convert_to_tensor(logits)
    dtype = dtypes.standardize_dtype(dtype)
    out_dtype = "int64" if dtype in ("int64", "uint32", "uint64") else "int32"
    samples = tf.random.stateless_categorical(tf.cast(logits, "float32"), num_samples,
                                              _seed(seed), dtype=out_dtype)
    return tf.cast(samples, dtype)


def randint(shape, minval, maxval, dtype='int32', seed=None):
    dtype = dtypes.standardize_dtype(dtype)
    work = "int64" if dtype in ("int64", "uint32", "uint64") else "int32"
    samples = tf.random.stateless_uniform(
        _shape(shape), _seed(seed),
        minval=tf.cast(minval, work), maxval=tf.cast(maxval, work), dtype=work,
    )
    return tf.cast(samples, dtype)


def dropout(inputs, rate, noise_shape=None, seed=None):
    x = convert_to_tensor(inputs)
    if not x.dtype.is_floating:
        x = tf.cast(x, config.floatx())
    if noise_shape is None:
        noise_shape = tf.shape(x)
    else:
        noise_shape = [x.shape[i] if d is None else d for i, d in enumerate(noise_shape)]
    keep = tf.random.stateless_uniform(noise_shape, _seed(seed), dtype="float32") >= rate
    scale = tf.cast(1.0 / (1.0 - rate), x.dtype) if rate < 1 else tf.zeros([], x.dtype)
    return tf.where(keep, x * scale, tf.zeros_like(x))


def shuffle(x, axis=0, seed=None):
    x = convert_to_tensor(x)
    n = tf.shape(x)[axis]
    keys = tf.random.stateless_uniform([n], _seed(seed), dtype="float32")
    perm = tf.argsort(keys, stable=True)
    return tf.gather(x, perm, axis=axis)


def gamma(shape, alpha, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    alpha = tf.cast(convert_to_tensor(alpha), dtype)
    return tf.random.stateless_gamma(_shape(shape), _seed(seed), alpha=alpha, dtype=dtype)


def binomial(shape, counts, probabilities, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    counts = tf.cast(convert_to_tensor(counts), "float32")
    probs = tf.cast(convert_to_tensor(probabilities), "float32")
    samples = tf.random.stateless_binomial(_shape(shape), _seed(seed), counts=counts, probs=probs,
                                           output_dtype="float32")
    return tf.cast(samples, dtype)


def beta(shape, alpha, beta, dtype=None, seed=None):
    dtype = _float_dtype(dtype)
    s1, s2 = _split(seed, 2)
    work = "float64" if dtype == "float64" else "float32"
    a = tf.random.stateless_gamma(_shape(shape), s1, alpha=tf.cast(alpha, work), dtype=work)
    b = tf.random.stateless_gamma(_shape(shape), s2, alpha=tf.cast(beta, work), dtype=work)
    return tf.cast(a / (a + b), dtype)
