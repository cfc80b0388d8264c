"""keraslite.layers: Keras 3's layer classes (implementations live in the submodules)."""
# ruff: noqa: F401  (the imports below are the public names; __all__ is computed from them)

import types as _types

from keraslite.backend import loader as _loader
from keraslite.layers import op_layer  # records ops called on KerasTensors
from keraslite.layers.activations.activation import Activation
from keraslite.layers.activations.elu import ELU
from keraslite.layers.activations.leaky_relu import LeakyReLU
from keraslite.layers.activations.prelu import PReLU
from keraslite.layers.activations.relu import ReLU
from keraslite.layers.activations.softmax import Softmax
from keraslite.layers.attention.additive_attention import AdditiveAttention
from keraslite.layers.attention.attention import Attention
from keraslite.layers.attention.grouped_query_attention import (
    GroupedQueryAttention as GroupQueryAttention,
)
from keraslite.layers.attention.multi_head_attention import MultiHeadAttention
from keraslite.layers.convolutional.conv1d import Conv1D
from keraslite.layers.convolutional.conv1d_transpose import Conv1DTranspose
from keraslite.layers.convolutional.conv2d import Conv2D
from keraslite.layers.convolutional.conv2d_transpose import Conv2DTranspose
from keraslite.layers.convolutional.conv3d import Conv3D
from keraslite.layers.convolutional.conv3d_transpose import Conv3DTranspose
from keraslite.layers.convolutional.depthwise_conv1d import DepthwiseConv1D
from keraslite.layers.convolutional.depthwise_conv2d import DepthwiseConv2D
from keraslite.layers.convolutional.separable_conv1d import SeparableConv1D
from keraslite.layers.convolutional.separable_conv2d import SeparableConv2D
from keraslite.layers.core.dense import Dense
from keraslite.layers.core.einsum_dense import EinsumDense
from keraslite.layers.core.embedding import Embedding
from keraslite.layers.core.identity import Identity
from keraslite.layers.core.lambda_layer import Lambda
from keraslite.layers.core.masking import Masking
from keraslite.layers.core.reversible_embedding import ReversibleEmbedding
from keraslite.layers.core.wrapper import Wrapper
from keraslite.layers.input_layer import Input, InputLayer
from keraslite.layers.input_spec import InputSpec
from keraslite.layers.layer import Layer
from keraslite.layers.merging.add import Add, add
from keraslite.layers.merging.average import Average, average
from keraslite.layers.merging.concatenate import Concatenate, concatenate
from keraslite.layers.merging.dot import Dot, dot
from keraslite.layers.merging.maximum import Maximum, maximum
from keraslite.layers.merging.minimum import Minimum, minimum
from keraslite.layers.merging.multiply import Multiply, multiply
from keraslite.layers.merging.subtract import Subtract, subtract
from keraslite.layers.normalization.batch_normalization import BatchNormalization
from keraslite.layers.normalization.group_normalization import GroupNormalization
from keraslite.layers.normalization.layer_normalization import LayerNormalization
from keraslite.layers.normalization.rms_normalization import RMSNormalization
from keraslite.layers.normalization.spectral_normalization import SpectralNormalization
from keraslite.layers.normalization.unit_normalization import UnitNormalization
from keraslite.layers.pooling.adaptive_average_pooling1d import AdaptiveAveragePooling1D
from keraslite.layers.pooling.adaptive_average_pooling2d import AdaptiveAveragePooling2D
from keraslite.layers.pooling.adaptive_average_pooling3d import AdaptiveAveragePooling3D
from keraslite.layers.pooling.adaptive_max_pooling1d import AdaptiveMaxPooling1D
from keraslite.layers.pooling.adaptive_max_pooling2d import AdaptiveMaxPooling2D
from keraslite.layers.pooling.adaptive_max_pooling3d import AdaptiveMaxPooling3D
from keraslite.layers.pooling.average_pooling1d import AveragePooling1D
from keraslite.layers.pooling.average_pooling2d import AveragePooling2D
from keraslite.layers.pooling.average_pooling3d import AveragePooling3D
from keraslite.layers.pooling.global_average_pooling1d import GlobalAveragePooling1D
from keraslite.layers.pooling.global_average_pooling2d import GlobalAveragePooling2D
from keraslite.layers.pooling.global_average_pooling3d import GlobalAveragePooling3D
from keraslite.layers.pooling.global_max_pooling1d import GlobalMaxPooling1D
from keraslite.layers.pooling.global_max_pooling2d import GlobalMaxPooling2D
from keraslite.layers.pooling.global_max_pooling3d import GlobalMaxPooling3D
from keraslite.layers.pooling.max_pooling1d import MaxPooling1D
from keraslite.layers.pooling.max_pooling2d import MaxPooling2D
from keraslite.layers.pooling.max_pooling3d import MaxPooling3D
from keraslite.layers.regularization.activity_regularization import ActivityRegularization
from keraslite.layers.regularization.alpha_dropout import AlphaDropout
from keraslite.layers.regularization.dropout import Dropout
from keraslite.layers.regularization.gaussian_dropout import GaussianDropout
from keraslite.layers.regularization.gaussian_noise import GaussianNoise
from keraslite.layers.regularization.spatial_dropout1d import SpatialDropout1D
from keraslite.layers.regularization.spatial_dropout2d import SpatialDropout2D
from keraslite.layers.regularization.spatial_dropout3d import SpatialDropout3D
from keraslite.layers.reshaping.cropping1d import Cropping1D
from keraslite.layers.reshaping.cropping2d import Cropping2D
from keraslite.layers.reshaping.cropping3d import Cropping3D
from keraslite.layers.reshaping.flatten import Flatten
from keraslite.layers.reshaping.permute import Permute
from keraslite.layers.reshaping.repeat_vector import RepeatVector
from keraslite.layers.reshaping.reshape import Reshape
from keraslite.layers.reshaping.up_sampling1d import UpSampling1D
from keraslite.layers.reshaping.up_sampling2d import UpSampling2D
from keraslite.layers.reshaping.up_sampling3d import UpSampling3D
from keraslite.layers.reshaping.zero_padding1d import ZeroPadding1D
from keraslite.layers.reshaping.zero_padding2d import ZeroPadding2D
from keraslite.layers.reshaping.zero_padding3d import ZeroPadding3D
from keraslite.layers.rnn.bidirectional import Bidirectional
from keraslite.layers.rnn.conv_lstm1d import ConvLSTM1D
from keraslite.layers.rnn.conv_lstm2d import ConvLSTM2D
from keraslite.layers.rnn.conv_lstm3d import ConvLSTM3D
from keraslite.layers.rnn.gru import GRU, GRUCell
from keraslite.layers.rnn.lstm import LSTM, LSTMCell
from keraslite.layers.rnn.rnn import RNN
from keraslite.layers.rnn.simple_rnn import SimpleRNN, SimpleRNNCell
from keraslite.layers.rnn.stacked_rnn_cells import StackedRNNCells
from keraslite.layers.rnn.time_distributed import TimeDistributed

# Keras' alternative names for the same classes
Convolution1D, Convolution2D, Convolution3D = Conv1D, Conv2D, Conv3D
Convolution1DTranspose, Convolution2DTranspose, Convolution3DTranspose = (
    Conv1DTranspose, Conv2DTranspose, Conv3DTranspose)
SeparableConvolution1D, SeparableConvolution2D = SeparableConv1D, SeparableConv2D
MaxPool1D, MaxPool2D, MaxPool3D = MaxPooling1D, MaxPooling2D, MaxPooling3D
AvgPool1D, AvgPool2D, AvgPool3D = AveragePooling1D, AveragePooling2D, AveragePooling3D
GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D = (
    GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalAveragePooling3D)
GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D = (
    GlobalMaxPooling1D, GlobalMaxPooling2D, GlobalMaxPooling3D)

# Layers the active backend adds, such as bridges to its framework's own modules (see
# docs/backend-guide.md).
globals().update(_loader.backend_layers())


def _public_layers():
    """Public layer classes by exported name and by class name (a config names the class:
    GroupQueryAttention's class is GroupedQueryAttention, as in Keras)."""
    public = {name: obj for name, obj in globals().items()
              if isinstance(obj, type) and issubclass(obj, Layer) and not name.startswith("_")}
    return {**{cls.__name__: cls for cls in public.values()}, **public}


def serialize(layer):
    from keraslite.saving import serialize_keras_object

    return serialize_keras_object(layer)


def _deserializable():
    """What a config may name as a layer: the public layers and the model classes."""
    from keraslite import models

    return {**_public_layers(), "Sequential": models.Sequential,
            "Functional": models.Functional, "Model": models.Model}


def deserialize(config, custom_objects=None):
    from keraslite.saving import deserialize_keras_object

    return deserialize_keras_object(config, module_objects=_deserializable(),
                                    custom_objects=custom_objects, kind="layer")


# Every public name above (classes, aliases, functional helpers; not the subpackages) is exported.
__all__ = sorted(name for name, obj in globals().items()
                 if not name.startswith("_") and not isinstance(obj, _types.ModuleType))
