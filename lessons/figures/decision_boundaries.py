"""Figures for lesson 11, "Decision boundaries".

Every boundary is drawn from a real training run on the lesson's data (same seeds as the
page): the model's output on a grid, coloured by predicted class, with the 0.5 contour as
the boundary. The training stages come from a ``Recorder`` file read back with
``load_recording``. Runs are cached so each is trained once for both palettes.
"""

import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
from matplotlib.colors import ListedColormap
from sitebuild.figures import figure

from nnlib import Adam, Dense, Recorder, Sequential, data, load_recording

BOX = (-1.6, 2.6, -1.3, 1.8)  # xmin, xmax, ymin, ymax around the moons


@lru_cache(maxsize=None)
def moons():
    X, y = data.make_moons(300, noise=0.25, rng=0)
    return data.train_test_split(X, y, test=0.3, rng=0, stratify=True)


def architectures():
    """The three models of the lesson, by name: a line, a curve, a complex boundary."""
    return {
        "single neuron": (lambda: [Dense(1, activation="sigmoid", input_shape=(2,))], 100),
        "small MLP (8 tanh units)": (lambda: [Dense(8, activation="tanh", input_shape=(2,)),
                                              Dense(1, activation="sigmoid")], 100),
        "deep network (4 × 64 ReLU)": (lambda: [Dense(64, activation="relu", input_shape=(2,)),
                                                Dense(64, activation="relu"),
                                                Dense(64, activation="relu"),
                                                Dense(64, activation="relu"),
                                                Dense(1, activation="sigmoid")], 200),
    }


def train(make_layers, epochs, X, y, callbacks=None):
    model = Sequential(make_layers(), seed=0)
    model.compile(optimizer=Adam(learning_rate=0.01), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=epochs, batch_size=16, verbose=0, callbacks=callbacks)
    return model


@lru_cache(maxsize=None)
def three_runs():
    X_train, X_test, y_train, y_test = moons()
    runs = []
    for name, (make_layers, epochs) in architectures().items():
        model = train(make_layers, epochs, X_train, y_train)
        xs, ys, grid = grid_output(model, BOX, 200)
        runs.append((name, xs, ys, grid, model.evaluate(X_test, y_test)[1]))
    return runs


def grid_output(model, box, n):
    xmin, xmax, ymin, ymax = box
    xs, ys = np.linspace(xmin, xmax, n), np.linspace(ymin, ymax, n)
    xx, yy = np.meshgrid(xs, ys)
    out = model.predict(np.stack([xx.ravel(), yy.ravel()], axis=1), batch_size=8192)
    return xs, ys, out[:, 0].reshape(n, n)


def draw_boundary(ax, theme, xs, ys, p, X, y, title=None):
    """Shade each point of the plane by the predicted class; the 0.5 contour is the boundary."""
    regions = ListedColormap([theme.colors[0], theme.colors[1]])
    ax.pcolormesh(xs, ys, (p > 0.5).astype(float), cmap=regions, alpha=0.25, shading="auto",
                  vmin=0, vmax=1, rasterized=True)
    ax.contour(xs, ys, p, levels=[0.5], colors=[theme.fg], linewidths=1.5)
    for label, marker in ((0, "o"), (1, "^")):
        pts = X[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], s=14, marker=marker, color=theme.colors[label],
                   edgecolors=theme.fg, linewidths=0.4, label=f"class {label}")
    ax.set_xlim(xs[0], xs[-1])
    ax.set_ylim(ys[0], ys[-1])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_aspect("equal")
    if title:
        ax.set_title(title, fontsize=10)


@figure(
    alt="Three panels on the same two-moons data. Left: a single neuron splits the plane with one straight "
        "line and misclassifies the tips of both moons. Middle: a network with one hidden layer of 8 tanh "
        "units bends the boundary into a smooth S-curve that follows the moons. Right: a deep ReLU network "
        "draws a tighter boundary with sharp corners and small pockets around individual points.",
    caption="Same data, three models. Each panel shades the plane by the class the trained model predicts; "
            "the dark line is where its output crosses 0.5. Test accuracy is in each title.",
    format="png",
)
def three_boundaries(theme):
    import matplotlib.pyplot as plt

    X_train, _, y_train, _ = moons()
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.4))
    for ax, (name, xs, ys, p, accuracy) in zip(axes, three_runs()):
        draw_boundary(ax, theme, xs, ys, p, X_train, y_train, f"{name}\ntest accuracy {accuracy:.0%}")
    axes[0].legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


@lru_cache(maxsize=None)
def xor_runs():
    X, y = data.make_xor(200, noise=0.15, rng=0)
    neuron = train(lambda: [Dense(1, activation="sigmoid", input_shape=(2,))], 200, X, y)
    hidden = train(lambda: [Dense(4, activation="tanh", input_shape=(2,)), Dense(1, activation="sigmoid")], 200, X, y)
    box = (-0.6, 1.6, -0.6, 1.6)
    return X, y, [(name, *grid_output(model, box, 160), model.evaluate(X, y)[1])
                  for name, model in (("single neuron", neuron), ("one hidden layer of 4 tanh units", hidden))]


@figure(
    alt="Two panels on noisy XOR data, points clustered at the four corners of the unit square with "
        "opposite corners sharing a class. Left: a single neuron's straight line cannot put both class-1 "
        "corners on one side; it cuts off one corner and gets that quarter of the points wrong. Right: a network with one hidden "
        "layer of four units carves out a band that separates the diagonals correctly.",
    caption="XOR, the problem that stalled neural networks in 1969. No single line separates the two "
            "diagonals; one hidden layer combines several lines into a region that does.",
    format="png",
)
def xor_boundaries(theme):
    import matplotlib.pyplot as plt

    X, y, runs = xor_runs()
    fig, axes = plt.subplots(1, 2, figsize=(7, 3.5))
    for ax, (name, xs, ys, p, accuracy) in zip(axes, runs):
        draw_boundary(ax, theme, xs, ys, p, X, y, f"{name}\naccuracy {accuracy:.0%}")
    fig.tight_layout()
    return fig


STAGE_GRID = (-1.6, 2.6, -1.3, 1.8, 120)


def record_training(path):
    """The run the training stages are drawn from: the small MLP, recorded on a grid."""
    X_train, _, y_train, _ = moons()
    recorder = Recorder(path=path, every=10, grid=STAGE_GRID, inputs=X_train)
    make_layers, epochs = architectures()["small MLP (8 tanh units)"]
    return train(make_layers, epochs, X_train, y_train, callbacks=[recorder])


@lru_cache(maxsize=None)
def stages():
    X_train, _, y_train, _ = moons()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "moons.npz"
        record_training(path)
        rec = load_recording(path)
    last = rec.layers[-1]
    accuracy = ((rec[f"{last}/a"][..., 0] > 0.5) == y_train).mean(axis=1)
    end_of_epoch_5 = int(np.flatnonzero(rec.epoch == 4)[-1])
    chosen = [0, end_of_epoch_5, len(rec) - 1]
    return rec, accuracy, chosen


@figure(
    alt="Three snapshots of the same small network during training on the moons. At initialization the "
        "boundary is an arbitrary curve with most points on the wrong side. After five epochs it has become "
        "an almost straight line between the moons that still misses both tips. Converged, it bends into an "
        "S-curve around the tips and separates most points.",
    caption="The boundary moving during training, read from a Recorder file: before the first step, "
            "early in training and at the end. The accuracy on the training points is in each title.",
    format="png",
)
def training_stages(theme):
    import matplotlib.pyplot as plt

    X_train, _, y_train, _ = moons()
    rec, accuracy, chosen = stages()
    xs, ys = rec["grid/x"], rec["grid/y"]
    fig, axes = plt.subplots(1, 3, figsize=(10, 3.4))
    labels = ("initialization", "mid-training", "converged")
    for ax, label, s in zip(axes, labels, chosen):
        draw_boundary(ax, theme, xs, ys, rec["grid/output"][s, :, :, 0], X_train, y_train,
                      f"{label}: step {rec.step[s]}, epoch {rec.epoch[s] + 1 if s else 0}\n"
                      f"training accuracy {accuracy[s]:.0%}")
    fig.tight_layout()
    return fig
