"""Figures for the lesson on gradient descent (08-gradient-descent.md).

Paths are taken by nnlib's SGD optimizer; loss curves come from real nnlib training runs.
"""

import numpy as np
from sitebuild.figures import figure

START = (-1.5, 2.0)
RATES = (("too small", 0.02), ("good", 0.3), ("too large", 0.45))


def regression_data():
    """The lesson's data: 50 points near the line y = 2x - 1."""
    rng = np.random.default_rng(0)
    X = rng.uniform(0, 2, size=(50, 1)).astype(np.float32)
    Y = (2 * X - 1 + rng.normal(0, 0.3, size=(50, 1))).astype(np.float32)
    return X, Y


def descend(learning_rate, steps, start=START):
    """Full-batch gradient descent on a one-neuron linear model; returns the (w, b) path."""
    from nnlib import SGD, Dense, Sequential

    X, Y = regression_data()
    model = Sequential([Dense(1, input_shape=(1,))])
    model.compile(optimizer=SGD(learning_rate=learning_rate), loss="mse")
    model.set_weights([np.array([[start[0]]]), np.array([start[1]])])
    path = [start]
    for _ in range(steps):
        model.train_step(X, Y)
        w, b = model.get_weights()
        path.append((float(w[0, 0]), float(b[0])))
    return np.array(path)


def mse_surface(w, b):
    X, Y = regression_data()
    X, Y = X[:, 0].astype(float), Y[:, 0].astype(float)
    return ((w[..., None] * X + b[..., None] - Y) ** 2).mean(axis=-1)


@figure(
    alt=("Contour plot of the mean squared error of a linear model y = wx + b over the weight w "
         "(horizontal) and the bias b (vertical): a long, narrow, tilted valley with its minimum near "
         "w = 2, b = -1. Three gradient-descent paths start from the same point at w = -1.5, b = 2. "
         "With the learning rate too small the path creeps a short way down the slope; with a good "
         "learning rate it falls into the valley and runs along it to the minimum; with a learning "
         "rate too large it jumps from one wall of the valley to the other, further each time."),
    caption=("Gradient descent with three learning rates (30 steps; the too-large one shown for 12), taken by nnlib's SGD on a "
             "one-neuron linear model. The valley is steep across and shallow along; the steep direction "
             "decides how large a step can be before the path starts to bounce out."),
    format="png",
)
def learning_rates(theme):
    import matplotlib.pyplot as plt

    w, b = np.meshgrid(np.linspace(-2.5, 4.5, 240), np.linspace(-4.5, 3.5, 240))
    loss = mse_surface(w, b)
    fig, ax = plt.subplots(figsize=(6.4, 5.2))
    ax.contour(w, b, loss, levels=np.geomspace(0.1, 60, 14), colors=theme.muted, linewidths=0.9)
    markers = ("o", "s", "^")
    for k, (label, lr) in enumerate(RATES):
        path = descend(lr, 30)
        if label == "too large":
            path = path[:13]  # after a dozen steps it has bounced far out of view
        ax.plot(path[:, 0], path[:, 1], marker=markers[k], markersize=3.5, linewidth=1.3,
                color=theme.colors[(0, 2, 3)[k]], label=f"{label}: learning rate {lr}")
    minimum = np.unravel_index(np.argmin(loss), loss.shape)
    ax.plot(w[minimum], b[minimum], marker="*", markersize=13, color=theme.fg, linestyle="none", label="minimum")
    ax.plot(*START, marker="o", markersize=7, color=theme.fg, linestyle="none")
    ax.annotate("start", START, textcoords="offset points", xytext=(-8, 8), ha="right", color=theme.fg)
    ax.set_xlim(-2.5, 4.5)
    ax.set_ylim(-4.5, 3.5)
    ax.set_xlabel("weight w")
    ax.set_ylabel("bias b")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=9)
    return fig


def batch_size_runs(epochs=30, learning_rate=0.1):
    """Full-data training loss after every update, for batch sizes N, 32 and 1 on the moons data."""
    from nnlib import SGD, Dense, Sequential, data
    from nnlib.callbacks import Callback

    X, y = data.make_moons(200, noise=0.2, rng=0)
    target = y[:, None].astype(np.float32)

    class FullLoss(Callback):
        def __init__(self):
            self.values = []

        def on_train_begin(self, logs=None):
            self.values.append(float(self.model.compute_loss(target, self.model.forward(X))))

        def on_batch_end(self, step, logs=None):
            self.values.append(float(self.model.compute_loss(target, self.model.forward(X))))

    runs = {}
    for name, batch_size in (("batch (N = 200)", 200), ("mini-batch (32)", 32), ("stochastic (1)", 1)):
        model = Sequential([Dense(16, activation="tanh", input_shape=(2,)), Dense(1, activation="sigmoid")], seed=0)
        model.compile(optimizer=SGD(learning_rate=learning_rate), loss="binary_crossentropy")
        recorder = FullLoss()
        model.fit(X, y, epochs=epochs, batch_size=batch_size, verbose=0, callbacks=[recorder])
        runs[name] = (batch_size, np.array(recorder.values))
    return len(X), runs


@figure(
    alt=("Two panels of training loss on the two-moons data for batch, mini-batch (32) and stochastic (1) "
         "gradient descent with the same learning rate. Left, loss against epochs: stochastic descent falls "
         "fastest and furthest, mini-batch next, and full batch barely moves, because it makes only one "
         "update per epoch. Right, loss against the first 200 updates: the batch curve is smooth, mini-batch "
         "slightly wiggly and the stochastic curve jagged, since each of its steps follows a single example."),
    caption=("Batch, mini-batch and stochastic gradient descent, the same network and learning rate, 30 epochs "
             "each (nnlib runs). Per epoch, small batches make many more updates; per update, large batches "
             "make cleaner ones. The loss shown is always measured on the whole training set."),
)
def batch_sizes(theme):
    import matplotlib.pyplot as plt

    n, runs = batch_size_runs()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    for k, (name, (batch_size, values)) in enumerate(runs.items()):
        color = theme.colors[k]
        epochs = np.arange(len(values)) / -(-n // batch_size)  # updates per epoch: ceil(n / batch)
        step = max(1, len(values) // 600)  # keep the SVG small: at most ~600 points per curve
        left.plot(epochs[::step], values[::step], color=color, linewidth=1.3, label=name)
        right.plot(np.arange(min(len(values), 201)), values[:201], color=color, linewidth=1.1, label=name)
    left.set_xlabel("epoch")
    left.set_ylabel("training loss (whole set)")
    left.set_title("per epoch", fontsize=11)
    right.set_xlabel("update (optimizer step)")
    right.set_title("per update", fontsize=11)
    for ax in (left, right):
        ax.grid(True, linewidth=0.5)
    left.legend(fontsize=9)
    return fig


def tilted_double_well(p):
    """f(x, y) = x⁴ - 2x² + 0.3x + y²: a global minimum near x = -1, a local one near x = +1."""
    x, y = p[..., 0], p[..., 1]
    return x**4 - 2 * x**2 + 0.3 * x + y**2


def tilted_double_well_grad(p):
    x, y = p[0], p[1]
    return np.array([4 * x**3 - 4 * x + 0.3, 2 * y])


def saddle(p):
    """g(x, y) = x² - y²: a saddle at the origin."""
    return p[..., 0] ** 2 - p[..., 1] ** 2


def saddle_grad(p):
    return np.array([2 * p[0], -2 * p[1]])


def sgd_path(grad, start, learning_rate, steps):
    """Positions of a point moved by nnlib's SGD optimizer, given a gradient function."""
    from nnlib import SGD

    p = np.array(start, dtype=float)
    opt = SGD(learning_rate=learning_rate)
    path = [p.copy()]
    for _ in range(steps):
        opt.step([(p, grad(p))])
        path.append(p.copy())
    return np.array(path)


@figure(
    alt=("Two contour plots with gradient-descent paths. Left: the function x⁴ − 2x² + 0.3x + y², with two "
         "basins. A path started on the right, at x = 1.8, slides into the shallower right-hand basin and "
         "stops there, a local minimum; a path started on the left reaches the deeper global minimum. Right: "
         "the saddle x² − y². A path started almost exactly on the x axis runs quickly to the centre, then "
         "creeps there for dozens of steps, its markers bunched together, before it slides off downhill along y."),
    caption=("Two ways plain gradient descent disappoints. Left: it stops in whichever basin it starts in "
             "(a local minimum). Right: near a saddle point the gradient is nearly zero, so the steps become "
             "tiny and progress stalls before the path finally escapes. Paths taken by nnlib's SGD."),
    format="png",
)
def minima_and_saddles(theme):
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4.4))
    x, y = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-1.6, 1.6, 200))
    grid = np.stack([x, y], axis=-1)
    left.contour(x, y, tilted_double_well(grid), levels=np.linspace(-1.3, 4, 18), colors=theme.muted,
                 linewidths=0.9)
    for k, start in enumerate(((1.8, 1.4), (-1.8, 1.4))):
        path = sgd_path(tilted_double_well_grad, start, 0.05, 60)
        end = path[-1]
        kind = "global" if end[0] < 0 else "local"
        left.plot(path[:, 0], path[:, 1], marker="o", markersize=3, linewidth=1.2, color=theme.colors[(3, 0)[k]],
                  label=f"start x = {start[0]:+.1f}: ends at x = {end[0]:+.2f} ({kind})")
    left.set_title("local minimum", fontsize=11)
    left.legend(loc="lower center", fontsize=8.5)
    left.set_xlabel("x")
    left.set_ylabel("y")

    x, y = np.meshgrid(np.linspace(-1.6, 1.6, 200), np.linspace(-1.6, 1.6, 200))
    grid = np.stack([x, y], axis=-1)
    right.contour(x, y, saddle(grid), levels=np.linspace(-2.5, 2.5, 21), colors=theme.muted, linewidths=0.9)
    path = sgd_path(saddle_grad, (1.5, 1e-4), 0.05, 110)
    path = path[np.all(np.abs(path) <= 1.6, axis=1)]
    right.plot(path[:, 0], path[:, 1], marker="o", markersize=3, linewidth=1.2, color=theme.colors[3],
               label=f"start (1.5, 0.0001): {len(path) - 1} steps shown")
    right.plot(0, 0, marker="x", markersize=9, color=theme.fg, linestyle="none")
    right.annotate("saddle point", (0, 0), textcoords="offset points", xytext=(-70, 12), color=theme.fg)
    right.set_title("saddle point", fontsize=11)
    right.legend(loc="lower center", fontsize=8.5)
    right.set_xlabel("x")
    return fig
