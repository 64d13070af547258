"""Figures for the lesson on layers and architecture."""

from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

from nnlib import Dense, Sequential, optimizers


def small_model():
    """The 3-5-4-2 network the lesson builds in its first doctest (same seed)."""
    return Sequential([
        Dense(5, activation="relu", input_shape=(3,)),
        Dense(4, activation="relu"),
        Dense(2, activation="softmax"),
    ], seed=0)


def wiggly_target(n=200, seed=0):
    """The 1-D regression target of the depth-and-width section: sin 2x + 0.5 sin 5x on [-3, 3]."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, n))[:, None].astype(np.float32)
    return x, (np.sin(2 * x) + 0.5 * np.sin(5 * x)).astype(np.float32)


def regressor(hidden, seed=0):
    """ReLU hidden layers of the given widths, then one linear output unit."""
    layers = [Dense(hidden[0], activation="relu", input_shape=(1,))]
    layers += [Dense(width, activation="relu") for width in hidden[1:]]
    model = Sequential(layers + [Dense(1)], seed=seed)
    model.compile(optimizer=optimizers.Adam(learning_rate=0.01), loss="mse")
    return model


ARCHITECTURES = ((8,), (64,), (8, 8, 8))


def spread_bends(units, x, y):
    """One hidden ReLU layer with its bends spaced evenly on [-3, 3] and its output weights
    solved by least squares (no training), as in the lesson."""
    model = regressor((units,))
    hidden = model.layers[0]
    hidden.W = np.ones((1, units), dtype=np.float32)
    hidden.b = -np.linspace(-3, 3, units, endpoint=False).astype(np.float32)
    H = np.hstack([hidden.forward(x), np.ones_like(x)])
    solution = np.linalg.lstsq(H, y, rcond=None)[0]
    model.layers[1].W, model.layers[1].b = solution[:-1], solution[-1]
    return model


def bends(model):
    """Where the first hidden layer's units bend, x = -b / w, for a one-input network."""
    first = model.layers[0]
    return -np.asarray(first.b) / np.asarray(first.W[0])


@lru_cache(maxsize=None)
def trained_fits():
    """Train each architecture for 2,000 full-batch Adam steps, then add the untrained
    spread-bends network; return (x, y, grid, results), each result
    (label, params, mse, fit on the grid, bends of a one-hidden-layer net or None)."""
    x, y = wiggly_target()
    grid = np.linspace(-3, 3, 301, dtype=np.float32)[:, None]
    results = []
    for hidden in ARCHITECTURES:
        model = regressor(hidden)
        model.fit(x, y, epochs=2000, batch_size=len(x), verbose=0)
        label = " → ".join(["1", *map(str, hidden), "1"]) + ", trained"
        results.append((label, model.count_params(), model.evaluate(x, y), model.predict(grid)[:, 0],
                        bends(model) if len(hidden) == 1 else None))
    spread = spread_bends(32, x, y)
    results.append(("1 → 32 → 1, bends spread\nby hand, least squares", spread.count_params(),
                    spread.evaluate(x, y), spread.predict(grid)[:, 0], bends(spread)))
    return x[:, 0], y[:, 0], grid[:, 0], results


@figure(
    alt="A network diagram of the 3-5-4-2 model built in the lesson: three input nodes on the left, "
        "hidden layers of five and four nodes, and two output nodes on the right. Every node is joined "
        "to every node of the next layer; each line is coloured by the sign of its weight and drawn "
        "thicker for larger weights. Under each layer its size, activation and parameter count are "
        "written, and the title gives the total.",
    caption="The network of the first example, drawn from the nnlib model itself: the line colours and "
            "widths are its freshly initialized weights (one colour for positive, the other for negative). "
            "Under each layer: its size, activation and number of parameters.",
)
def network_diagram(theme):
    import matplotlib.pyplot as plt

    model = small_model()
    sizes = [model.input_shape[0]] + [layer.units for layer in model.layers]
    weights = [np.asarray(layer.W) for layer in model.layers]
    fig, ax = plt.subplots(figsize=(8, 4.6))
    _draw_centred(ax, sizes, weights, theme)
    notes = [f"input layer\n{sizes[0]} features\nno parameters"]
    for k, layer in enumerate(model.layers):
        role = "output layer" if k == len(model.layers) - 1 else f"hidden layer {k + 1}"
        notes.append(f"{role}\n{layer.units} units, {layer.activation.kind}\n"
                     f"{sizes[k]}·{sizes[k + 1]} + {sizes[k + 1]}\n= {layer.count_params()} parameters")
    for i, note in enumerate(notes):
        ax.text(i, -max(sizes) / 2 - 0.15, note, ha="center", va="top", fontsize=9.5, color=theme.fg)
    ax.set_ylim(-max(sizes) / 2 - 2.3, max(sizes) / 2)
    ax.set_title(f"{' → '.join(map(str, sizes))}: {model.count_params()} parameters in all", fontsize=11)
    return fig


def _draw_centred(ax, sizes, weights, theme):
    """Like ``draw_network`` but with every column centred around y = 0."""
    import matplotlib as mpl

    cmap = mpl.colormaps[theme.diverging]
    scale = max(float(np.abs(W).max()) for W in weights)
    positions = [[(i, (n - 1) / 2 - j) for j in range(n)] for i, n in enumerate(sizes)]
    for k, W in enumerate(weights):
        for a, (x0, y0) in enumerate(positions[k]):
            for b, (x1, y1) in enumerate(positions[k + 1]):
                w = W[a, b] / scale
                ax.plot([x0, x1], [y0, y1], color=cmap(0.5 + 0.45 * np.sign(w) * (0.35 + 0.65 * abs(w))),
                        linewidth=0.4 + 2.6 * abs(w), zorder=1, solid_capstyle="round")
    face = [theme.colors[0]] + [theme.colors[2]] * (len(sizes) - 2) + [theme.colors[1]]
    for i, column in enumerate(positions):
        xs, ys = zip(*column)
        ax.scatter(xs, ys, s=380, color=face[i], edgecolors=theme.fg, linewidths=1.2, zorder=2)
    ax.set_xlim(-0.6, len(sizes) - 0.4)
    ax.axis("off")
    return positions


@figure(
    alt="Four panels, each fitting the same wiggly curve with a ReLU network. One hidden layer of 8 "
        "units, trained, catches a few of the swings; 64 units, trained, do little better, and the "
        "tick marks along the bottom show that most of its bends sit near x = 0, where they all "
        "started; three hidden layers of 8 units, trained, trace the curve closely; one hidden layer "
        "of 32 units whose bends are spread evenly by hand, with output weights by least squares, "
        "fits closest of all. Each panel states its parameter count and mean squared error.",
    caption="What the wiggly-curve comparison measures. The first three networks are trained for 2,000 "
            "full-batch Adam steps from nnlib's starting point, where every bias is zero, so every "
            "bend of a one-hidden-layer network starts at x = 0 (ticks: where the bends end up). "
            "The deep network fits best of the trained ones in this run. The last network is not "
            "trained: its bends are spread evenly and its output weights solved by least squares, "
            "and it beats them all, so the wide network lacked a good start, not capacity.",
)
def depth_and_width(theme):
    import matplotlib.pyplot as plt

    x, y, grid, results = trained_fits()
    fig, axes = plt.subplots(1, 4, figsize=(11, 3.2), sharey=True)
    for ax, (label, n_params, mse, fit, where) in zip(axes, results):
        ax.scatter(x[::2], y[::2], s=7, color=theme.colors[1], alpha=0.7, zorder=1, label="data")
        ax.plot(grid, fit, color=theme.colors[0], linewidth=2, zorder=2, label="network")
        if where is not None:
            inside = where[np.abs(where) <= 3]
            ax.plot(inside, np.full_like(inside, -1.9), "|", color=theme.fg, markersize=8, label="bends")
        ax.set_title(f"{label}\n{n_params} params, MSE {mse:.2g}", fontsize=9.5)
        ax.set_xlabel("x")
        ax.grid(True, linewidth=0.4)
    axes[0].set_ylabel("y")
    fig.tight_layout()
    # one legend for the four panels, under them: every corner of a panel has data in it
    fig.legend(*axes[0].get_legend_handles_labels(), loc="upper center", ncols=2, bbox_to_anchor=(0.5, 0.0))
    return fig


@figure(
    alt="Line chart of the total number of parameters of a network with 784 inputs and 10 outputs "
        "against the width of its hidden layers, on logarithmic axes, for one, two and four hidden "
        "layers. With one hidden layer the count grows in proportion to the width; with more layers "
        "it grows with the square of the width once the width is large, and the lines separate.",
    caption="Parameter count of a 784-input, 10-output network as its hidden layers get wider, "
            "counted by nnlib's `count_params()`. Each extra hidden layer of width n adds n·n + n "
            "parameters, so width is expensive once a network has depth.",
)
def parameter_growth(theme):
    import matplotlib.pyplot as plt

    widths = [16, 32, 64, 128, 256, 512, 1024]
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for depth, color, marker in zip((1, 2, 4), theme.colors, "osD"):
        counts = []
        for width in widths:
            layers = [Dense(width, activation="relu", input_shape=(784,))]
            layers += [Dense(width, activation="relu") for _ in range(depth - 1)]
            counts.append(Sequential(layers + [Dense(10, activation="softmax")], seed=0).count_params())
        ax.plot(widths, counts, marker=marker, color=color,
                label=f"{depth} hidden layer{'s' if depth > 1 else ''}")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xticks(widths, [str(w) for w in widths])
    ax.set_xlabel("width of each hidden layer (units)")
    ax.set_ylabel("parameters")
    ax.grid(True, which="major", linewidth=0.5)
    ax.legend()
    return fig
