"""Figures for lesson 3, "Activation functions". Values and derivatives come from nnlib's layers."""

import warnings

import numpy as np
from sitebuild.figures import figure

from nnlib import Adam, Dense, LeakyReLU, Linear, ReLU, Sequential, Sigmoid, Softmax, Swish, Tanh
from nnlib.data import make_moons


def curve_and_slope(layer, z):
    """f(z) from the layer's forward pass and f'(z) from its backward pass (incoming gradient 1)."""
    a = np.asarray(layer.forward(z))
    return a, np.asarray(layer.backward(np.ones_like(z)))


def softmax_curve(z):
    """Softmax of the two scores (z, 0): its first output and that output's slope in z."""
    layer = Softmax()
    scores = np.column_stack([z, np.zeros_like(z)])
    a = np.asarray(layer.forward(scores))
    grad = np.zeros_like(scores)
    grad[:, 0] = 1.0
    return a[:, 0], np.asarray(layer.backward(grad))[:, 0]


PANELS = [
    ("sigmoid", Sigmoid()),
    ("tanh", Tanh()),
    ("ReLU", ReLU()),
    ("Leaky ReLU (α = 0.1)", LeakyReLU(alpha=0.1)),
    ("PReLU (learned α, here 0.25)", LeakyReLU(alpha=0.25)),
    ("swish  z·σ(z)", Swish()),
    ("softmax over (z, 0)", None),
    ("linear (no activation)", Linear()),
]


@figure(
    alt="Eight small plots, one per activation function, each showing the function as a solid line "
        "and its derivative as a dashed line for inputs from -5 to 5. Sigmoid and tanh are S-shaped "
        "with bell-shaped derivatives that fall to almost zero away from 0 (the sigmoid's peaks at "
        "0.25, tanh's at 1). ReLU is zero for negative inputs and the identity for positive ones, "
        "so its derivative is a step from 0 to 1. Leaky ReLU and PReLU keep a small slope on the "
        "negative side, so their derivatives never reach zero. Swish is a smooth ReLU that dips "
        "slightly below zero. Softmax over the scores (z, 0) gives the sigmoid. The linear "
        "activation is a straight line with constant derivative 1.",
    caption="Every activation in this lesson (solid) and its derivative (dashed). The functions come "
            "from the forward pass of nnlib's activation layers and the derivatives from their "
            "backward pass, not from separate formulas. nnlib has no PReLU layer: PReLU is a Leaky "
            "ReLU whose slope is learned, drawn here at the common starting value 0.25.",
)
def activation_gallery(theme):
    import matplotlib.pyplot as plt

    z = np.linspace(-5, 5, 201, dtype=np.float32)
    fig, axes = plt.subplots(2, 4, figsize=(11, 5.2), sharex=True)
    for ax, (title, layer) in zip(axes.ravel(), PANELS):
        a, slope = softmax_curve(z) if layer is None else curve_and_slope(layer, z)
        ax.axhline(0, color=theme.muted, lw=0.8)
        ax.axvline(0, color=theme.muted, lw=0.8)
        ax.plot(z, a, color=theme.colors[0], lw=2.2, label="f(z)")
        ax.plot(z, slope, color=theme.colors[1], lw=2, ls="--", label="f′(z)")
        ax.set_title(title, fontsize=10.5, color=theme.fg)
        ax.set_ylim(-1.6, 2.6)
        ax.set_yticks([-1, 0, 1, 2])
    for ax in axes[1]:
        ax.set_xlabel("z")
    axes[0, 0].legend(loc="upper left", fontsize=9)
    fig.tight_layout()
    return fig


def deep_gradient_norms(activation, depth=10, width=32, seed=0):
    """Norm of dW in each layer of a deep net after one backward pass on the moons data."""
    X, y = make_moons(256, noise=0.15, rng=0)
    layers = [Dense(width, activation=activation, input_shape=(2,))]
    layers += [Dense(width, activation=activation) for _ in range(depth - 1)]
    model = Sequential(layers + [Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    out = model.forward(X, training=True)
    model.backward_loss(y[:, None].astype(np.float32), out)
    return [float(np.linalg.norm(np.asarray(layer.dW))) for layer in model.layers]


@figure(
    alt="A line chart with a logarithmic vertical axis: the size of the weight gradient in each of "
        "eleven layers of a freshly initialized ten-hidden-layer network, from the first layer on "
        "the left to the output layer on the right, for sigmoid, tanh and ReLU hidden layers. The "
        "sigmoid line climbs steeply from tiny values at the first layer to large ones at the "
        "output: the early layers receive gradients many orders of magnitude smaller. The tanh "
        "and ReLU lines stay within a narrow band across all layers.",
    caption="Vanishing gradients, measured: one backward pass through three networks that differ only "
            "in the hidden activation (10 hidden layers of 32 units, Glorot initialization, 256 "
            "points of the moons data). Each backward step through a sigmoid multiplies the gradient "
            "by the sigmoid's slope, at most 0.25, as well as by the layer's weights; here the first "
            "layers of the sigmoid network barely learn.",
)
def vanishing_gradients(theme):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    for i, (activation, marker) in enumerate((("sigmoid", "o"), ("tanh", "s"), ("relu", "^"))):
        norms = deep_gradient_norms(activation)
        ax.semilogy(range(1, len(norms) + 1), norms, marker=marker, color=theme.colors[i], lw=2,
                    label=activation)
    ax.set_xlabel("layer (1 = first hidden layer, 11 = output layer)")
    ax.set_ylabel("gradient size  ‖dW‖")
    ax.set_xticks(range(1, 12))
    ax.grid(True, which="major", linewidth=0.5)
    ax.legend()
    fig.tight_layout()
    return fig


def dead_share(model, X):
    """Share of hidden ReLU units that output zero for every input in X."""
    dead = total = 0
    h = np.asarray(X, dtype=np.float32)
    for layer in model.layers[:-1]:
        h = layer.forward(h)
        never_active = np.all(np.asarray(h) <= 0, axis=0)
        dead += int(never_active.sum())
        total += never_active.size
    return dead / total


def train_relu_moons(learning_rate, activation="relu", seed=0, epochs=30):
    """The lesson's dying-ReLU experiment: two hidden layers of 64 units on 400 moons points."""
    X, y = make_moons(400, noise=0.15, rng=0)
    model = Sequential([Dense(64, activation=activation, input_shape=(2,)), Dense(64, activation=activation),
                        Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer=Adam(learning_rate=learning_rate), loss="binary_crossentropy", metrics=["accuracy"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the largest rate may diverge; that is part of the story
        model.fit(X, y, epochs=epochs, batch_size=32, verbose=0)
    return model, X, y


LEARNING_RATES = (0.001, 0.01, 0.1, 1.0)


@figure(
    alt="A bar chart of the share of dead hidden units (ReLU units that output zero for every "
        "training point) after training the same network with Adam at learning rates 0.001, 0.01, "
        "0.1 and 1. At the two small rates only a small share of units is dead; at 0.1 the share "
        "jumps, and at 1 most of the units are dead. The accuracy of each network is written "
        "above its bar and falls at the largest rate.",
    caption="Dying ReLU, measured. The same network (two hidden layers of 64 ReLU units, moons data, "
            "30 epochs) trained at four learning rates; a unit counts as dead when it outputs zero "
            "for all 400 training points, so no gradient reaches its weights (a dead unit of the first "
            "hidden layer never recovers; one of the second can, only if the first layer changes).",
)
def dying_relu(theme):
    import matplotlib.pyplot as plt

    shares, accuracies = [], []
    for lr in LEARNING_RATES:
        model, X, y = train_relu_moons(lr)
        shares.append(dead_share(model, X))
        accuracies.append(model.evaluate(X, y)[1])
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    positions = np.arange(len(LEARNING_RATES))
    ax.bar(positions, shares, color=theme.colors[3], width=0.6)
    for p, share, accuracy in zip(positions, shares, accuracies):
        ax.text(p, share + 0.02, f"{share:.0%} dead\naccuracy {accuracy:.0%}", ha="center", va="bottom",
                fontsize=9, color=theme.fg)
    ax.set_xticks(positions, [f"{lr:g}" for lr in LEARNING_RATES])
    ax.set_xlabel("Adam learning rate")
    ax.set_ylabel("share of dead ReLU units")
    ax.set_ylim(0, 1.15)
    ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0], ["0%", "25%", "50%", "75%", "100%"])
    fig.tight_layout()
    return fig
