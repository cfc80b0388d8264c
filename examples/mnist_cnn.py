"""An MNIST-shaped CNN (28x28x1, 10 classes) on small generated data: each class is a bright
bar at its own position plus noise, so the network has something spatial to learn."""

import numpy as np

import keraslite as keras
from keraslite.layers import Conv2D, Dense, Flatten, MaxPooling2D
from keraslite.models import Sequential


def make_digits(n, seed):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, size=n)
    images = rng.random((n, 28, 28, 1)).astype("float32") * 0.3
    for i, label in enumerate(labels):
        row = 2 + 2 * label
        images[i, row:row + 3, 4:24, 0] += 0.7
    return images, keras.utils.to_categorical(labels, 10)


keras.utils.set_random_seed(3)
x_train, y_train = make_digits(512, 0)
x_test, y_test = make_digits(128, 1)

model = Sequential()
model.add(Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(MaxPooling2D((2, 2)))
model.add(Flatten())
model.add(Dense(128, activation="relu"))
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=3, batch_size=64, verbose=0)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print("backend:", keras.backend.backend())
print("test accuracy:", round(accuracy, 4))
