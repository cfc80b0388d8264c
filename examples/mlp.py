"""The classic Keras MLP, ported by changing only the import lines.

Random 100-feature inputs, 10 classes, Dense(64) + softmax, adam, accuracy.
"""

import numpy as np

import keraslite as keras
from keraslite.layers import Dense
from keraslite.models import Sequential

keras.utils.set_random_seed(7)
x_train = np.random.random((1000, 100)).astype("float32")
# a learnable rule, so accuracy means something: the class is the argmax of 10 fixed projections
projection = np.random.default_rng(0).standard_normal((100, 10)).astype("float32")
labels = np.argmax((x_train - 0.5) @ projection, axis=1)
y_train = keras.utils.to_categorical(labels, num_classes=10)
x_test, y_test = x_train[800:], y_train[800:]
x_train, y_train = x_train[:800], y_train[:800]

model = Sequential()
model.add(Dense(units=64, activation="relu", input_dim=100))
model.add(Dense(units=10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.summary()
history = model.fit(x_train, y_train, epochs=10, batch_size=32, verbose=0)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print("backend:", keras.backend.backend())
print("first epoch loss:", round(history.history["loss"][0], 4))
print("last epoch loss:", round(history.history["loss"][-1], 4))
print("test accuracy:", round(accuracy, 4))
