"""Figures for the lesson on forward propagation."""

from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

from nnlib import Dense, Sequential, data


def example_model():
    """The 3-4-3 network of the lesson's doctests: seed 1, biases set by hand."""
    model = Sequential([
        Dense(4, activation="relu", input_shape=(3,)),
        Dense(3, activation="softmax"),
    ], seed=1)
    hidden, output = model.layers
    hidden.b[:] = 0.1
    output.b[:] = [0.2, 0.0, -0.2]
    return model


EXAMPLE = np.array([[1.0, 0.5, -1.0]], dtype=np.float32)


@figure(
    alt="A network diagram with three inputs, four hidden ReLU neurons and three softmax outputs, drawn as boxes. "
        "Each input node shows its value; each hidden and output node shows its weighted sum z and "
        "its activation a for the example in the lesson. Two hidden neurons have a negative z and "
        "output 0 (drawn dashed); the output probabilities add up to 1 and the largest has a bold border.",
    caption="One forward pass, computed by nnlib for the example x = (1.0, 0.5, −1.0). Lines are "
            "weights (colour: sign, width: size). Each neuron shows its weighted sum z and its "
            "output a; the hidden ReLUs with negative z pass on 0, and the softmax turns the three "
            "output scores into probabilities.",
)
def forward_values(theme):
    import matplotlib as mpl
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    model = example_model()
    model.forward(EXAMPLE)
    hidden, output = model.layers
    sizes = [3, 4, 3]
    weights = [np.asarray(hidden.W), np.asarray(output.W)]
    cmap = mpl.colormaps[theme.diverging]
    scale = max(float(np.abs(W).max()) for W in weights)
    xs, half_w, half_h = [0.0, 3.2, 6.4], 0.7, 0.3
    pos = [[(xs[i], (n - 1) / 2 * 1.05 - 1.05 * j) for j in range(n)] for i, n in enumerate(sizes)]
    fig, ax = plt.subplots(figsize=(8.4, 4.4))
    for k, W in enumerate(weights):
        for a, (x0, y0) in enumerate(pos[k]):
            for b, (x1, y1) in enumerate(pos[k + 1]):
                w = W[a, b] / scale
                ax.plot([x0 + half_w, x1 - half_w], [y0, y1],
                        color=cmap(0.5 + 0.45 * np.sign(w) * (0.35 + 0.65 * abs(w))),
                        linewidth=0.4 + 2.6 * abs(w), zorder=1, solid_capstyle="round")
    faces = [theme.colors[0], theme.colors[2], theme.colors[1]]
    winner = int(np.argmax(output.a[0]))
    for i, column in enumerate(pos):
        for j, (x, y) in enumerate(column):
            if i == 0:
                text, off = f"x{j + 1} = {EXAMPLE[0, j]:+.1f}", False
            else:
                layer = hidden if i == 1 else output
                z, a = float(layer.z[0, j]), float(layer.a[0, j])
                text, off = f"z = {z:+.2f}\na = {a:.2f}", i == 1 and z <= 0
            strong = i == 2 and j == winner
            ax.add_patch(FancyBboxPatch((x - half_w, y - half_h), 2 * half_w, 2 * half_h,
                                        boxstyle="round,pad=0.02,rounding_size=0.12",
                                        facecolor=mpl.colors.to_rgba(faces[i], 0.12 if off else 0.4),
                                        edgecolor=theme.fg, linewidth=2.6 if strong else 1.0,
                                        linestyle="--" if off else "-", zorder=2))
            ax.text(x, y, text, ha="center", va="center", fontsize=9.5, zorder=3,
                    color=theme.fg, alpha=0.6 if off else 1.0)
    labels = ["input x", "hidden layer: ReLU\n(dashed: z ≤ 0, output 0)", "output layer: softmax\n(bold: most probable)"]
    for x, label in zip(xs, labels):
        ax.text(x, -2.25, label, ha="center", va="top", fontsize=10)
    ax.set_xlim(-0.8, 7.2)
    ax.set_ylim(-2.95, 2.0)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig


@lru_cache(maxsize=None)
def digits_batch():
    """The lesson's digits network after 20 epochs, and its activations for two test images per class."""
    X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0)
    model = Sequential([
        Dense(32, activation="relu", input_shape=(64,)),
        Dense(16, activation="relu"),
        Dense(10, activation="softmax"),
    ], seed=0)
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(X_train, y_train, epochs=20, batch_size=32, verbose=0)
    rows = np.concatenate([np.flatnonzero(y_test == digit)[:2] for digit in range(10)])
    X = X_test[rows]
    model.forward(X)
    return X, y_test[rows], [np.asarray(layer.a) for layer in model.layers]


@figure(
    alt="Four heatmaps side by side, one row per example: twenty test digits (two of each class, "
        "0 to 9) as 64 input pixels, then the 32 activations of the first hidden layer, the 16 of the "
        "second, and the 10 output probabilities. The inputs and hidden activations are spread-out "
        "patterns; in the output, almost every row has a single bright cell, in the column of its "
        "digit, forming a staircase.",
    caption="A batch moving through a trained 64-32-16-10 network, one row per image, one column per "
            "unit. Each layer re-describes the batch; by the output the description is a probability "
            "per class, and the bright cells line up with the true digits (row labels).",
    format="png",
)
def activation_heatmaps(theme):
    import matplotlib.pyplot as plt

    X, y, acts = digits_batch()
    panels = [("input\n64 pixels", X), ("hidden 1\n32 ReLU units", acts[0]),
              ("hidden 2\n16 ReLU units", acts[1]), ("output\n10 softmax units", acts[2])]
    widths = [p[1].shape[1] for p in panels]
    fig, axes = plt.subplots(1, 4, figsize=(11, 4.4), gridspec_kw={"width_ratios": [max(w, 24) for w in widths]})
    for ax, (title, values) in zip(axes, panels):
        image = ax.imshow(values / max(float(values.max()), 1e-9), cmap=theme.cmap, aspect="auto",
                          vmin=0, vmax=1, interpolation="nearest")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("unit")
        ax.set_yticks(range(len(y)), [str(d) for d in y] if ax is axes[0] else [""] * len(y),
                      fontsize=8)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
    axes[0].set_ylabel("example (true digit)")
    axes[-1].set_xticks(range(10))
    axes[-1].set_xlabel("unit = digit")
    bar = fig.colorbar(image, ax=axes, fraction=0.02, pad=0.02)
    bar.set_label("activation (scaled to the layer's maximum)")
    return fig
