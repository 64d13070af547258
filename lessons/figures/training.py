"""Figures for lesson 10, "Training a network".

Both figures repeat runs from the lesson page with the same seeds: the effect of feature
scaling on training and validation curves, and per-layer gradient and activation magnitudes
read from ``Recorder`` runs. Each run is cached and serves both palettes.
"""

from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

from nnlib import SGD, Adam, Dense, Recorder, Sequential, data


@lru_cache(maxsize=None)
def prepared_moons():
    """The lesson's messy table: moons in mismatched units, with holes, cleaned and split."""
    X, y = data.make_moons(400, noise=0.2, rng=1)
    X = X * np.array([1000.0, 0.001], dtype=np.float32) + np.array([5000.0, 0.0], dtype=np.float32)
    holes = np.random.default_rng(0).random(X.shape) < 0.05
    X[holes] = np.nan
    X_train, X_val, X_test, y_train, y_val, y_test = data.train_val_test_split(
        X, y, val=0.2, test=0.2, rng=0, stratify=True)
    means = np.nanmean(X_train, axis=0)

    def impute(A):
        A = A.copy()
        rows, cols = np.nonzero(np.isnan(A))
        A[rows, cols] = means[cols]
        return A

    X_train, X_val = impute(X_train), impute(X_val)
    scaler = data.Standardizer().fit(X_train)
    return X_train, X_val, y_train, y_val, scaler


def small_net():
    model = Sequential([Dense(16, activation="tanh", input_shape=(2,)), Dense(16, activation="tanh"),
                        Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer=Adam(learning_rate=0.01), loss="binary_crossentropy", metrics=["accuracy"])
    return model


@lru_cache(maxsize=None)
def scaling_runs():
    X_train, X_val, y_train, y_val, scaler = prepared_moons()
    runs = {}
    for name, transform in (("raw features", lambda A: A), ("standardized", scaler.transform)):
        runs[name] = small_net().fit(transform(X_train), y_train, validation_data=(transform(X_val), y_val),
                                     epochs=60, batch_size=32, verbose=0).history
    return runs


@figure(
    alt="Training and validation loss (left) and accuracy (right) over 60 epochs for the same network "
        "on the same data, once with raw features and once standardized. With raw features both losses "
        "stay flat at about 0.69 and accuracy stays at chance; standardized, the losses fall quickly and "
        "accuracy climbs high, with the validation curve close to the training curve.",
    caption="Training (solid) and validation (dashed) curves with and without standardizing the inputs. "
            "Nothing else differs between the two runs.",
)
def scaling_curves(theme):
    import matplotlib.pyplot as plt

    runs = scaling_runs()
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.3))
    for color, (name, h) in zip(theme.colors, runs.items()):
        epochs = np.arange(1, len(h["loss"]) + 1)
        left.plot(epochs, h["loss"], color=color, label=f"{name}, training")
        left.plot(epochs, h["val_loss"], color=color, linestyle="--", label=f"{name}, validation")
        right.plot(epochs, h["accuracy"], color=color)
        right.plot(epochs, h["val_accuracy"], color=color, linestyle="--")
    left.set_ylabel("binary cross-entropy")
    right.set_ylabel("accuracy")
    for ax in (left, right):
        ax.set_xlabel("epoch")
        ax.grid(True, linewidth=0.5)
    left.legend(fontsize=8)
    fig.tight_layout()
    return fig


def deep_digits(activation):
    model = Sequential([Dense(32, activation=activation, input_shape=(64,))]
                       + [Dense(32, activation=activation) for _ in range(3)]
                       + [Dense(10, activation="softmax")], seed=0)
    model.compile(optimizer=SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


@lru_cache(maxsize=None)
def monitored_runs():
    """Record a sigmoid and a ReLU network of the same shape training on the digits."""
    X_train, X_val, y_train, y_val = data.load_digits(test=0.25, rng=0)
    recordings = {}
    for activation in ("sigmoid", "relu"):
        recorder = Recorder(every=10, inputs=X_train[:200])
        model = deep_digits(activation)
        history = model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=10, batch_size=32,
                            verbose=0, callbacks=[recorder])
        recordings[activation] = (recorder.recording, history.history["val_accuracy"][-1])
    return recordings


@figure(
    alt="A two-by-two grid from recorded training runs on the digits. Top row: the size of each layer's "
        "weight gradient over the training steps, on a log scale, for a five-layer sigmoid network (left) "
        "and the same network with ReLU (right). With sigmoid the curves are spread over two orders of "
        "magnitude, smallest for the first layer; with ReLU they lie close together. Bottom row: the "
        "spread of each hidden layer's activations; with sigmoid it stays small and flat, with ReLU it "
        "grows as the network learns.",
    caption="Monitoring a network from the inside. The sigmoid network's first layers receive gradients "
            "hundreds of times smaller than its last (vanishing gradients) and it never leaves chance "
            "level; the ReLU network's layers all learn. Validation accuracy is in each title.",
)
def layer_magnitudes(theme):
    import matplotlib.pyplot as plt

    runs = monitored_runs()
    fig, axes = plt.subplots(2, 2, figsize=(9, 5.6), sharex=True, sharey="row")
    for column, (activation, (rec, accuracy)) in enumerate(runs.items()):
        top, bottom = axes[0, column], axes[1, column]
        colors = [theme.colors[i % len(theme.colors)] for i in range(len(rec.layers))]
        for index, (layer, color) in enumerate(zip(rec.layers, colors)):
            norm = np.sqrt((rec[f"{layer}/dW"] ** 2).sum(axis=(1, 2)))
            top.plot(rec.step[1:], norm[1:], color=color, label=f"layer {index + 1}")
            if index < len(rec.layers) - 1:
                bottom.plot(rec.step, rec[f"{layer}/a"].std(axis=(1, 2)), color=color)
        top.set_yscale("log")
        top.set_title(f"{activation} hidden layers (validation accuracy {accuracy:.0%})", fontsize=10)
        bottom.set_xlabel("optimizer step")
        for ax in (top, bottom):
            ax.grid(True, linewidth=0.5)
    axes[0, 0].set_ylabel("‖dW‖ per layer")
    axes[1, 0].set_ylabel("std of activations")
    axes[0, 1].legend(fontsize=8, ncol=2)
    fig.tight_layout()
    return fig
