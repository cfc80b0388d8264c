"""A character-level LSTM that learns the little text in examples/data and then writes from it."""

import pathlib

import numpy as np

import keraslite as keras
from keraslite.layers import LSTM, Dense
from keraslite.models import Sequential

text = (pathlib.Path(__file__).parent / "data" / "little_text.txt").read_text().replace("\n", " ")
chars = sorted(set(text))
char_indices = {c: i for i, c in enumerate(chars)}
maxlen, step = 10, 1

sentences = [text[i:i + maxlen] for i in range(0, len(text) - maxlen, step)]
next_chars = [text[i + maxlen] for i in range(0, len(text) - maxlen, step)]
x = np.zeros((len(sentences), maxlen, len(chars)), dtype="float32")
y = np.zeros((len(sentences), len(chars)), dtype="float32")
for i, sentence in enumerate(sentences):
    for t, char in enumerate(sentence):
        x[i, t, char_indices[char]] = 1.0
    y[i, char_indices[next_chars[i]]] = 1.0

keras.utils.set_random_seed(4)
model = Sequential()
model.add(LSTM(64, input_shape=(maxlen, len(chars))))
model.add(Dense(len(chars), activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(0.01),
              metrics=["accuracy"])
history = model.fit(x, y, epochs=25, batch_size=32, verbose=0)


def sample(preds, temperature):
    """Draw an index from preds sharpened by the temperature (0 means argmax)."""
    if temperature == 0:
        return int(np.argmax(preds))
    logits = np.log(np.maximum(preds, 1e-9)) / temperature
    probs = np.exp(logits - logits.max())
    return int(np.random.default_rng(0).choice(len(probs), p=probs / probs.sum()))


generated = text[:maxlen]
for _ in range(60):
    window = np.zeros((1, maxlen, len(chars)), dtype="float32")
    for t, char in enumerate(generated[-maxlen:]):
        window[0, t, char_indices[char]] = 1.0
    preds = model.predict(window, verbose=0)[0]
    generated += chars[sample(preds, temperature=0)]

print("backend:", keras.backend.backend())
print("first loss:", round(history.history["loss"][0], 4))
print("last loss:", round(history.history["loss"][-1], 4))
print("train accuracy:", round(history.history["accuracy"][-1], 4))
print("generated:", generated)
