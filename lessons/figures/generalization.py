"""Figures for lesson 12, "Generalization".

Small noisy moons (60 training points, 500 validation and 500 test points), the same seeds,
models and strengths as the lesson page (each chosen there on the validation set). Every run is
trained once (cached) and drawn in both palettes.
"""

from functools import lru_cache

import numpy as np
from matplotlib.colors import ListedColormap
from sitebuild.figures import figure

from nnlib import Adam, Dense, Dropout, EarlyStopping, Sequential, data, losses
from nnlib.regularizers import L1, L2

BOX = (-2.0, 3.0, -1.8, 2.2)


@lru_cache(maxsize=None)
def moons():
    X, y = data.make_moons(1060, noise=0.35, rng=5)
    return X[:60], y[:60], X[60:560], y[60:560]


def big_net(regularizer=None, dropout=0.0):
    layers = [Dense(64, activation="relu", input_shape=(2,), kernel_regularizer=regularizer)]
    if dropout:
        layers.append(Dropout(dropout))
    layers.append(Dense(64, activation="relu", kernel_regularizer=regularizer))
    if dropout:
        layers.append(Dropout(dropout))
    layers.append(Dense(1, activation="sigmoid", kernel_regularizer=regularizer))
    return layers


def augmented(X, y, copies=9, scale=0.3, seed=0):
    rng = np.random.default_rng(seed)
    jittered = [X + rng.normal(0.0, scale, X.shape).astype(np.float32) for _ in range(copies)]
    return np.concatenate([X, *jittered]), np.tile(y, copies + 1)


def train(layers, X, y, epochs=400, callbacks=None, validation=False):
    _, _, X_val, y_val = moons()
    model = Sequential(layers, seed=0)
    model.compile(optimizer=Adam(learning_rate=0.01), loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(X, y, epochs=epochs, batch_size=60, verbose=0, callbacks=callbacks,
                        validation_data=(X_val, y_val) if validation else None)
    return model, history.history


def grid(model, n=160):
    xmin, xmax, ymin, ymax = BOX
    xs, ys = np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n)
    xx, yy = np.meshgrid(xs, ys)
    p = model.predict(np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32), batch_size=8192)
    return xs, ys, p[:, 0].reshape(n, n)


def draw(ax, theme, model, title):
    X_train, y_train, X_val, y_val = moons()
    xs, ys, p = grid(model)
    ax.pcolormesh(xs, ys, (p > 0.5).astype(float), cmap=ListedColormap([theme.colors[0], theme.colors[1]]),
                  alpha=0.25, shading="auto", vmin=0, vmax=1, rasterized=True)
    ax.contour(xs, ys, p, levels=[0.5], colors=[theme.fg], linewidths=1.3)
    for label, marker in ((0, "o"), (1, "^")):
        pts = X_train[y_train == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=18, marker=marker, color=theme.colors[label], edgecolors=theme.fg,
                   linewidths=0.5)
    val_loss = float(losses.BinaryCrossentropy()(y_val[:, None].astype(np.float32), model.predict(X_val)))
    val_accuracy = model.evaluate(X_val, y_val)[1]
    ax.set_title(f"{title}\nvalidation loss {val_loss:.2f}, accuracy {val_accuracy:.0%}", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("equal")


@lru_cache(maxsize=None)
def capacity_runs():
    X_train, y_train, _, _ = moons()
    return {
        "too small: one neuron": train([Dense(1, activation="sigmoid", input_shape=(2,))], X_train, y_train,
                                       validation=True),
        "about right: 8 tanh units": train([Dense(8, activation="tanh", input_shape=(2,)),
                                            Dense(1, activation="sigmoid")], X_train, y_train, validation=True),
        "too big: 2 × 64 ReLU": train(big_net(), X_train, y_train, validation=True),
    }


@figure(
    alt="Three decision boundaries learned from the same 60 noisy training points. Left: one neuron draws "
        "a straight line that misses the curve of the moons (underfitting). Middle: a small network draws "
        "a curve that follows the moons. Right: a large network bends its boundary into narrow detours "
        "to capture single noisy points (overfitting); its validation loss is by far the highest of the "
        "three, although its accuracy is similar.",
    caption="Underfitting, a good fit and overfitting on the same small, noisy training set (the points "
            "shown). Validation numbers come from 500 fresh points of the same distribution.",
    format="png",
)
def capacity(theme):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(10, 3.5))
    for ax, (name, (model, _)) in zip(axes, capacity_runs().items()):
        draw(ax, theme, model, name)
    fig.tight_layout()
    return fig


@figure(
    alt="Training loss (solid) and validation loss (dashed) per epoch for the three models. For the one "
        "neuron both stay high and close together. For the small network both fall and the gap stays "
        "modest. For the large network the training loss falls towards zero while the validation loss "
        "reaches its minimum early and then climbs steadily, so the gap keeps growing.",
    caption="The signature of overfitting: the large network's validation loss turns upward while its "
            "training loss keeps falling. The dotted line marks its best validation epoch.",
)
def gap_curves(theme):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6))
    for color, (name, (_, h)) in zip(theme.colors, capacity_runs().items()):
        epochs = np.arange(1, len(h["loss"]) + 1)
        ax.plot(epochs, h["loss"], color=color, label=f"{name}, training")
        ax.plot(epochs, h["val_loss"], color=color, linestyle="--", label=f"{name}, validation")
    best = int(np.argmin(h["val_loss"])) + 1
    ax.axvline(best, color=theme.muted, linestyle=":", linewidth=1.5)
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("binary cross-entropy (log scale)")
    ax.grid(True, linewidth=0.5)
    ax.legend(fontsize=7, ncol=2, loc="lower left")
    fig.tight_layout()
    return fig


def remedies():
    """The five fixes applied to the too-big network, at the strengths the lesson page chose."""
    X_train, y_train, _, _ = moons()
    X_aug, y_aug = augmented(X_train, y_train)
    stop = EarlyStopping(monitor="val_loss", patience=30, restore_best_weights=True)
    return {
        "no regularization": lambda: train(big_net(), X_train, y_train),
        "L1 (0.01)": lambda: train(big_net(L1(0.01)), X_train, y_train),
        "L2 (0.01)": lambda: train(big_net(L2(0.01)), X_train, y_train),
        "dropout (0.7)": lambda: train(big_net(dropout=0.7), X_train, y_train),
        "early stopping": lambda: train(big_net(), X_train, y_train, callbacks=[stop], validation=True),
        "data augmentation (0.3)": lambda: train(big_net(), X_aug, y_aug, epochs=40),
    }


@lru_cache(maxsize=None)
def remedy_runs():
    return {name: run()[0] for name, run in remedies().items()}


@figure(
    alt="Six decision boundaries of the same large network on the same 60 noisy points. Unregularized, "
        "the boundary makes narrow detours around single points. With L1, L2, dropout, early stopping "
        "and data augmentation the detours shrink or vanish, and the validation loss in each title is "
        "much lower than without regularization; the accuracies differ only a little.",
    caption="Five ways to make the too-big network generalize, each at the strength chosen on the validation "
            "set. Each panel is the first of the five training runs; the validation numbers (cross-entropy "
            "without the penalty) come from the same 500 held-out points.",
    format="png",
)
def remedy_boundaries(theme):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 3, figsize=(10, 6.6))
    for ax, (name, model) in zip(axes.ravel(), remedy_runs().items()):
        draw(ax, theme, model, name)
    fig.tight_layout()
    return fig
