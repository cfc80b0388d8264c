"""A functional model with two inputs and two outputs: a price (regression) and a category
(classification) predicted from numeric features and a token sequence."""

import numpy as np

import keraslite as keras
from keraslite import layers

keras.utils.set_random_seed(5)
rng = np.random.default_rng(0)
n = 512
features = rng.standard_normal((n, 8)).astype("float32")
tokens = rng.integers(1, 50, size=(n, 12))
price = (features[:, :1] * 2.0 + (tokens[:, :1] > 25)).astype("float32")
category = (features[:, 1] > 0).astype("int32") + (features[:, 2] > 0).astype("int32")

numeric_in = keras.Input((8,), name="features")
tokens_in = keras.Input((12,), dtype="int32", name="tokens")
embedded = layers.GlobalAveragePooling1D()(layers.Embedding(50, 8)(tokens_in))
shared = layers.Dense(32, activation="relu", name="shared")
hidden = layers.Concatenate()([shared(numeric_in), embedded])
price_out = layers.Dense(1, name="price")(hidden)
category_out = layers.Dense(3, activation="softmax", name="category")(hidden)
model = keras.Model([numeric_in, tokens_in], [price_out, category_out])

model.compile(optimizer=keras.optimizers.Adam(0.01),
              loss={"price": "mse", "category": "sparse_categorical_crossentropy"},
              loss_weights={"price": 0.5, "category": 1.0},
              metrics={"category": ["accuracy"]})
history = model.fit({"features": features, "tokens": tokens},
                    {"price": price, "category": category},
                    epochs=15, batch_size=32, validation_split=0.25, verbose=0)
print("backend:", keras.backend.backend())
print("outputs:", model.output_names)
print("first loss:", round(history.history["loss"][0], 4))
print("last loss:", round(history.history["loss"][-1], 4))
print("val category accuracy:", round(history.history["val_category_accuracy"][-1], 4))
