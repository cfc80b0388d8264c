"""A custom train_step written once with keraslite.ops: the same code trains on torch, jax and
tensorflow (Keras 3 needs one version per backend).

keraslite.compute_gradients(fn, variables) differentiates fn() with respect to the variables on
whichever backend runs; the optimizer and metrics are used as in any Keras train_step.
"""

import numpy as np

import keraslite as keras
from keraslite import ops


class ClippedModel(keras.Sequential):
    """Clips every gradient to [-1, 1] and tracks the gradient norm as a metric."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.grad_norm = keras.metrics.Mean(name="grad_norm")

    def train_step(self, data):
        x, y = data

        def forward():
            y_pred = self(x, training=True)
            return self.compute_loss(x=x, y=y, y_pred=y_pred), y_pred

        (loss, y_pred), grads = keras.compute_gradients(forward, self.trainable_variables,
                                                        has_aux=True)
        grads = [ops.clip(g, -1.0, 1.0) for g in grads]
        self.grad_norm.update_state(ops.sqrt(sum(ops.sum(ops.square(g)) for g in grads)))
        self.optimizer.apply(grads, self.trainable_variables)
        logs = self.compute_metrics(x, y, y_pred)
        logs["grad_norm"] = self.grad_norm.result()
        return logs


keras.utils.set_random_seed(2)
rng = np.random.default_rng(0)
x = rng.standard_normal((256, 4)).astype("float32")
y = (x @ np.array([[1.0], [-1.0], [2.0], [0.5]]) + 0.1).astype("float32")
model = ClippedModel([keras.Input((4,)), keras.layers.Dense(8, activation="relu"),
                      keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse", metrics=["mae"])
history = model.fit(x, y, epochs=10, batch_size=32, verbose=0)
print("backend:", keras.backend.backend())
print("first loss:", round(history.history["loss"][0], 4))
print("last loss:", round(history.history["loss"][-1], 4))
print("logged:", sorted(history.history))
