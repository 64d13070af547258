"""Claims of lesson 18's model-compression section: what magnitude pruning costs, what five epochs
of retraining with the pruned weights held at zero win back, and what 8-bit weights cost, for the
page's 64-128-64-10 digit classifier trained from five initializations. Each run follows the page:
train 30 epochs with Adam, then prune 50 %, 80 % and 90 % of every weight matrix in turn, each
time from the trained weights, retraining the same model."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Dense, Sequential, data
from nnlib.callbacks import Callback

FRACTIONS = (0.5, 0.8, 0.9)


def accuracy(model, X, labels):
    return float(np.mean(model.predict(X).argmax(axis=1) == labels))


def prune(weights, fraction):
    """Zero the ``fraction`` of each weight matrix with the smallest magnitudes; biases stay."""
    return [np.where(np.abs(w) >= np.quantile(np.abs(w), fraction), w, 0).astype(w.dtype) if w.ndim == 2 else w
            for w in weights]


class KeepPruned(Callback):
    """Puts the pruned (zero) entries of every weight matrix back to zero after each training step."""

    def matrices(self):
        return [p for _, p, _ in self.model.named_parameters() if p.ndim == 2]

    def on_train_begin(self, logs=None):
        self.masks = [p != 0 for p in self.matrices()]

    def on_batch_end(self, step, logs=None):
        for p, mask in zip(self.matrices(), self.masks):
            p *= mask


def retrain_pruned(model, X, y, epochs=5, seed=0):
    """The page's retraining: Adam steps on batches of 32 in the page's order, the pruned weights
    held at zero."""
    model.fit(X, y, epochs=epochs, batch_size=32, verbose=0, seed=seed, callbacks=[KeepPruned()])


def int8(w):
    """``w`` stored as 8-bit integers with one float32 scale, read back as float32."""
    scale = float(np.abs(w).max()) / 127
    return np.round(w / scale).astype(np.int8).astype(np.float32) * scale


@measurement
def compression():
    """Per seed: test accuracy trained, pruned and retrained at each fraction, and with 8-bit weights."""
    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test=0.25, rng=0, stratify=True)
    out = {"test images": len(y_test), "trained": [], "int8": [], **{f"{f} pruned": [] for f in FRACTIONS},
           **{f"{f} retrained": [] for f in FRACTIONS}}
    for seed in SEEDS:
        mlp = Sequential([Dense(128, activation="relu", input_shape=(64,)),
                          Dense(64, activation="relu"), Dense(10, activation="softmax")], seed=seed)
        mlp.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        mlp.fit(X_train, y_train, epochs=30, batch_size=32, verbose=0)
        trained = mlp.get_weights()
        out["trained"].append(accuracy(mlp, X_test, y_test))
        for fraction in FRACTIONS:
            mlp.set_weights(prune(trained, fraction))
            out[f"{fraction} pruned"].append(accuracy(mlp, X_test, y_test))
            retrain_pruned(mlp, X_train, y_train, seed=seed)
            out[f"{fraction} retrained"].append(accuracy(mlp, X_test, y_test))
        mlp.set_weights([int8(w) for w in trained])
        out["int8"].append(accuracy(mlp, X_test, y_test))
    return out


def test_pruning_costs_accuracy_and_retraining_wins_most_of_it_back(report):
    """'Removing weights straight away costs accuracy; a short retraining with the pruned weights
    held at zero lets the rest compensate': at 50, 80 and 90 % pruned, accuracy falls in every run
    and five epochs of retraining raise it again, winning back most of the loss at 80 and 90 %."""
    runs = compression()
    report("trained: test accuracy", spread(runs["trained"]))
    for fraction in FRACTIONS:
        pruned, retrained = runs[f"{fraction} pruned"], runs[f"{fraction} retrained"]
        report(f"{fraction:.0%} pruned: test accuracy", spread(pruned))
        report(f"{fraction:.0%} pruned, retrained: test accuracy", spread(retrained))
        for full, cut, back in zip(runs["trained"], pruned, retrained):
            assert cut < full and back > cut
            if fraction >= 0.8:
                assert back - cut > 0.75 * (full - cut)


def test_eight_bit_weights_cost_almost_nothing(report):
    """'Eight bits cost almost nothing here': with int8 weights the test accuracy is within one
    test image of the float32 network's, in every run."""
    runs = compression()
    report("int8 weights: test accuracy", spread(runs["int8"]))
    one_image = 1 / runs["test images"]
    assert all(abs(q - full) <= one_image for q, full in zip(runs["int8"], runs["trained"]))
