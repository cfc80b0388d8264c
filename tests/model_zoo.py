"""A zoo of small models written once for any Keras-API namespace `K` (keraslite or real
Keras), with seeded data: used by the Keras interop session and the cross-backend saving check.
"""

import numpy as np


def mlp(K):
    # no Dropout: training continues after the load and must agree step for step
    return K.Sequential([K.Input((6,)), K.layers.Dense(8, activation="relu"),
                         K.layers.Dense(3, activation="softmax")])


def cnn_bn(K):
    return K.Sequential([K.Input((8, 8, 1)), K.layers.Conv2D(4, 3, activation="relu"),
                         K.layers.BatchNormalization(), K.layers.MaxPooling2D(),
                         K.layers.Flatten(), K.layers.Dense(3, activation="softmax")])


def embedding_bigru(K):
    return K.Sequential([K.Input((7,), dtype="int32"), K.layers.Embedding(20, 4, mask_zero=True),
                         K.layers.Bidirectional(K.layers.GRU(5)),
                         K.layers.Dense(3, activation="softmax")])


def stacked_lstm(K):
    return K.Sequential([K.Input((5, 3)), K.layers.LSTM(6, return_sequences=True),
                         K.layers.LSTM(4), K.layers.Dense(3, activation="softmax")])


def functional_multi(K):
    inner_in = K.Input((4,))
    inner = K.Model(inner_in, K.layers.Dense(4, activation="tanh")(inner_in), name="inner")
    a, b = K.Input((4,), name="a"), K.Input((4,), name="b")
    shared = K.layers.Dense(4, name="shared")
    h = K.layers.Concatenate()([inner(shared(a)), shared(b)])
    return K.Model({"a": a, "b": b}, {"cls": K.layers.Dense(3, activation="softmax", name="cls")(h),
                                      "reg": K.layers.Dense(1, name="reg")(h)})


def transformer(K):
    x = K.Input((6, 8))
    h = K.layers.LayerNormalization()(
        K.layers.Add()([x, K.layers.MultiHeadAttention(num_heads=2, key_dim=4)(x, x)]))
    ff = K.layers.Dense(8)(K.layers.Dense(16, activation="relu")(h))
    h = K.layers.LayerNormalization()(K.layers.Add()([h, ff]))
    return K.Model(x, K.layers.Dense(3, activation="softmax")(
        K.layers.GlobalAveragePooling1D()(h)))


_CUSTOM = {}


def custom_class(K):
    """A registered custom layer, defined the same way in each library."""
    if K.__name__ not in _CUSTOM:
        @K.saving.register_keras_serializable(package="interop")
        class Scale(K.layers.Layer):
            def __init__(self, factor=2.0, **kwargs):
                super().__init__(**kwargs)
                self.factor = factor

            def build(self, input_shape):
                self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")

            def call(self, x):
                return x * self.w * self.factor

            def get_config(self):
                return {**super().get_config(), "factor": self.factor}

        _CUSTOM[K.__name__] = Scale
    return _CUSTOM[K.__name__]


def custom_layer(K):
    a = K.Input((6,))
    return K.Model(a, K.layers.Dense(3, activation="softmax")(custom_class(K)(1.5)(a)))


ZOO = {  # name: (builder, inputs {name: (shape, kind)}, loss, optimizer)
    "mlp": (mlp, {"x": ((32, 6), "float")}, "sparse_categorical_crossentropy", "adam"),
    "cnn_bn": (cnn_bn, {"x": ((32, 8, 8, 1), "float")}, "sparse_categorical_crossentropy",
               "rmsprop"),
    "embedding_bigru": (embedding_bigru, {"x": ((32, 7), "int")},
                        "sparse_categorical_crossentropy", "adam"),
    "stacked_lstm": (stacked_lstm, {"x": ((32, 5, 3), "float")},
                     "sparse_categorical_crossentropy", "sgd"),
    "functional_multi": (functional_multi, {"a": ((32, 4), "float"), "b": ((32, 4), "float")},
                         {"cls": "sparse_categorical_crossentropy", "reg": "mse"}, "adamw"),
    "transformer": (transformer, {"x": ((32, 6, 8), "float")}, "sparse_categorical_crossentropy",
                    "adam"),
    "custom_layer": (custom_layer, {"x": ((32, 6), "float")}, "sparse_categorical_crossentropy",
                     "nadam"),
}


def data(spec):
    rng = np.random.default_rng(0)
    x = {k: (rng.integers(0, 20, size=shape).astype("int32") if kind == "int"
             else rng.normal(size=shape).astype("float32")) for k, (shape, kind) in spec.items()}
    y = rng.integers(0, 3, size=(32,))
    return (x["x"] if list(x) == ["x"] else x), y, rng.normal(size=(32, 1)).astype("float32")
