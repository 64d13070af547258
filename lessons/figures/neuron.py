"""Figures for lesson 2, "The neuron". Every curve is an nnlib Dense layer's forward pass."""

import numpy as np
from sitebuild.figures import figure

from nnlib import Dense

WORKED_W = (0.3, 0.7)
WORKED_B = 0.1
WORKED_X = (1.0, 0.5)


def neuron(weights, bias, activation="sigmoid"):
    """A one-neuron Dense layer with the given weights and bias."""
    layer = Dense(1, activation=activation)
    layer.build((len(weights),), np.random.default_rng(0))
    layer.W = np.asarray(weights, dtype=np.float32).reshape(-1, 1)
    layer.b = np.asarray([bias], dtype=np.float32)
    return layer


def outputs(layer, X):
    """The layer's output for each row of X, as a flat NumPy array."""
    return np.asarray(layer.forward(np.asarray(X, dtype=np.float32)))[:, 0]


@figure(
    alt="Two panels of a one-input sigmoid neuron's output against its input x. Left: weight 1 and "
        "biases -2, 0 and +2 give the same S-shaped curve shifted sideways; a larger bias moves the "
        "switching point, where the output is 0.5, to the left, to x = -b/w. Right: bias 0 and "
        "weights 0.5, 1, 3 and -1: a larger weight makes the switch steeper, and a negative weight "
        "flips the curve so the neuron switches off as x grows.",
    caption="The bias moves where a neuron switches on; the weight sets how sharply it switches, and "
            "in which direction. Each curve is an nnlib Dense(1, activation=\"sigmoid\") layer evaluated "
            "on 241 inputs; dots mark the switching point x = -b/w.",
)
def bias_shift(theme):
    import matplotlib.pyplot as plt

    x = np.linspace(-6, 6, 241).reshape(-1, 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.4), sharey=True)
    styles = ("-", "--", ":", "-.")
    for i, bias in enumerate((-2.0, 0.0, 2.0)):
        color = theme.colors[i]
        left.plot(x[:, 0], outputs(neuron([1.0], bias), x), color=color, ls=styles[i], lw=2,
                  label=f"b = {bias:+.0f}")
        left.plot([-bias], [0.5], "o", color=color, ms=6)
    left.set_title("weight w = 1, three biases", color=theme.fg)
    for i, weight in enumerate((0.5, 1.0, 3.0, -1.0)):
        color = theme.colors[i]
        right.plot(x[:, 0], outputs(neuron([weight], 0.0), x), color=color, ls=styles[i], lw=2,
                   label=f"w = {weight:g}")
    right.plot([0], [0.5], "o", color=theme.fg, ms=6)
    right.set_title("bias b = 0, four weights", color=theme.fg)
    for ax in (left, right):
        ax.axhline(0.5, color=theme.muted, lw=0.8)
        ax.set_xlabel("input x")
        ax.grid(True, linewidth=0.5)
        ax.legend(loc="upper left", fontsize=9)
    left.set_ylabel("output  a = σ(w x + b)")
    fig.tight_layout()
    return fig


@figure(
    alt="A heat map of the worked neuron's output over the plane of its two inputs, from -3 to 3 "
        "on each axis. The output rises from near 0 at the lower left to near 1 at the upper right. "
        "A straight line, where the weighted sum plus bias is zero and the output is exactly 0.5, "
        "cuts the plane in two; an arrow perpendicular to it shows the weight vector, pointing "
        "towards higher outputs. The worked input (1.0, 0.5) lies on the high side.",
    caption="The worked neuron (weights 0.3 and 0.7, bias 0.1) over its whole input plane. The line "
            "w·x + b = 0 is where the output is 0.5; the weights set its direction (the arrow is the "
            "weight vector, perpendicular to the line) and the bias its distance from the origin.",
    format="png",
)
def input_plane(theme):
    import matplotlib.pyplot as plt

    layer = neuron(WORKED_W, WORKED_B)
    g = np.linspace(-3, 3, 201)
    gx, gy = np.meshgrid(g, g)
    a = outputs(layer, np.column_stack([gx.ravel(), gy.ravel()])).reshape(gx.shape)
    fig, ax = plt.subplots(figsize=(5.6, 4.6))
    image = ax.imshow(a, origin="lower", extent=(-3, 3, -3, 3), cmap=theme.cmap, vmin=0, vmax=1)
    ax.contour(gx, gy, a, levels=[0.5], colors=["#ffffff"], linewidths=2.5)
    w = np.array(WORKED_W)
    foot = -WORKED_B * w / (w @ w)  # the point of the line closest to the origin
    ax.annotate("", xy=foot + 2 * w, xytext=foot,
                arrowprops=dict(arrowstyle="-|>", color="#ffffff", lw=2, mutation_scale=16))
    ax.text(*(foot + 2 * w + [0.1, 0.1]), "w", color="#ffffff", fontsize=13)
    ax.plot(*WORKED_X, "o", ms=10, color=theme.colors[1], markeredgecolor="#1f2328")
    a_worked = outputs(layer, [WORKED_X])[0]
    ax.annotate(f"x = (1.0, 0.5)\na = {a_worked:.2f}", WORKED_X, xytext=(0.9, -2.7), color="#ffffff",
                fontsize=10, arrowprops=dict(arrowstyle="-", color="#ffffff"))
    ax.text(-2.85, -0.3, "w·x + b = 0\n(a = 0.5)", color="#ffffff", fontsize=10)
    ax.set_xlabel("input x₁")
    ax.set_ylabel("input x₂")
    ax.set_aspect("equal")
    bar = fig.colorbar(image, ax=ax, shrink=0.85)
    bar.set_label("output a")
    return fig
