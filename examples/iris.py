"""Iris classification with the data set shipped in keraslite.datasets."""

import keraslite as keras
from keraslite.datasets import iris
from keraslite.layers import Dense
from keraslite.models import Sequential
from keraslite.utils import to_categorical

keras.utils.set_random_seed(1)
(x_train, y_train), (x_test, y_test) = iris.load_data()
mean, std = x_train.mean(axis=0), x_train.std(axis=0)
x_train, x_test = (x_train - mean) / std, (x_test - mean) / std
y_train = to_categorical(y_train, num_classes=3)
y_test = to_categorical(y_test, num_classes=3)

model = Sequential()
model.add(Dense(64, input_dim=4, activation="relu"))
model.add(Dense(3, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=100, batch_size=32, verbose=0)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print("backend:", keras.backend.backend())
print("test accuracy:", round(accuracy, 4))
