"""Figure for lesson 11's section on what the hidden layer does to the plane.

The network is the lesson's: 2 tanh hidden units and a sigmoid output, trained on 300 moons
points with less noise (0.1) for 500 epochs, exactly as in its doctest. Grid lines of the input
plane are mapped through the hidden layer to show how it bends the plane.
"""

from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

BOX = (-1.6, 2.6, -1.3, 1.8)  # xmin, xmax, ymin, ymax around the moons, as in decision_boundaries.py


@lru_cache(maxsize=None)
def trained():
    from nnlib import Adam, Dense, Sequential, data

    X, y = data.make_moons(300, noise=0.1, rng=0)
    model = Sequential([Dense(2, activation="tanh", input_shape=(2,)), Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer=Adam(learning_rate=0.01), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=500, batch_size=16, verbose=0)
    return model, X, y


def hidden_of(model, points):
    """The hidden layer's output for ``points`` (n, 2)."""
    return np.asarray(model.layers[0].forward(np.asarray(points, dtype=np.float32)))


def grid_lines(n_lines=13, n_points=200):
    """Vertical and horizontal lines across BOX, each as an (n_points, 2) array."""
    xmin, xmax, ymin, ymax = BOX
    lines = [np.column_stack([np.full(n_points, x), np.linspace(ymin, ymax, n_points)])
             for x in np.linspace(xmin, xmax, n_lines)]
    lines += [np.column_stack([np.linspace(xmin, xmax, n_points), np.full(n_points, y)])
              for y in np.linspace(ymin, ymax, n_lines)]
    return lines


@figure(
    alt=("Two panels. Left, the input plane: two moons of points in two colours with little noise, a square "
         "grid of thin lines, and the network's decision boundary, a line with only a slight bend, that cuts "
         "off the tips of the moons wrongly. Right, the hidden plane, whose axes are the outputs of the two "
         "tanh hidden units, from -1 to 1: the points are pushed against two edges of the square, class 0 "
         "mostly along the left edge and class 1 mostly along the top edge, and the output neuron's boundary "
         "is a straight line across the corner between them, with a few points of each class on the wrong side."),
    caption=("The input plane (left) and the same points after a hidden layer of 2 tanh units (right). The output "
             "neuron can only draw a straight line in the hidden plane; carried back to the input plane, that "
             "line is the boundary on the left. Two saturating units bend the plane too little to separate the "
             "moons completely."),
    format="png",
)
def input_and_hidden_plane(theme):
    import matplotlib.pyplot as plt

    model, X, y = trained()
    W, b = (np.asarray(p) for p in model.layers[1].params.values())
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4.4), layout="constrained")
    for line in grid_lines():
        left.plot(line[:, 0], line[:, 1], color=theme.muted, linewidth=0.6)
        moved = hidden_of(model, line)
        right.plot(moved[:, 0], moved[:, 1], color=theme.muted, linewidth=0.6)
    hidden = hidden_of(model, X)
    for label, marker in ((0, "o"), (1, "s")):
        mine = y == label
        left.scatter(X[mine, 0], X[mine, 1], s=12, marker=marker, color=theme.colors[label], label=f"class {label}")
        right.scatter(hidden[mine, 0], hidden[mine, 1], s=12, marker=marker, color=theme.colors[label])
    # The boundary: w . h + b = 0, a line in the hidden plane; its preimage, a curve in the input plane.
    xmin, xmax, ymin, ymax = BOX
    xs, ys = np.meshgrid(np.linspace(xmin, xmax, 300), np.linspace(ymin, ymax, 300))
    score = hidden_of(model, np.column_stack([xs.ravel(), ys.ravel()])) @ W + b
    left.contour(xs, ys, score.reshape(xs.shape), levels=[0], colors=[theme.fg], linewidths=1.8)
    h1 = np.linspace(-1, 1, 50)
    right.plot(h1, -(W[0, 0] * h1 + b[0]) / W[1, 0], color=theme.fg, linewidth=1.8, label="output neuron's line")
    left.set(xlim=(xmin, xmax), ylim=(ymin, ymax), xlabel="x₁", ylabel="x₂", title="input plane")
    right.set(xlim=(-1.05, 1.05), ylim=(-1.05, 1.05), xlabel="hidden unit 1", ylabel="hidden unit 2",
              title="after the hidden layer")
    for ax in (left, right):
        ax.set_aspect("equal")
        ax.title.set_color(theme.fg)
    left.legend(fontsize=8, loc="lower left")
    right.legend(fontsize=8, loc="lower left")
    return fig
