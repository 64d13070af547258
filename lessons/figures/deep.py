"""Figures for lesson 14, "Deep networks" (14-deep-networks.md).

The networks, data and seeds are the ones on the lesson page, so the curves are the runs
whose numbers the doctests print.
"""

import warnings
from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

from nnlib import SGD, BatchNormalization, Dense, Residual, Sequential, Sigmoid, backend, data
from nnlib.initializers import RandomNormal


@lru_cache(maxsize=None)
def standardized_digits():
    """The digits split of the lesson, standardized with the training set's statistics."""
    X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 1e-8
    return (X_train - mean) / std, (X_test - mean) / std, y_train, y_test


def stack(depth, width, activation, init, head=False):
    layers = [Dense(width, activation=activation, input_shape=(64,), kernel_initializer=init)]
    layers += [Dense(width, activation=activation, kernel_initializer=init) for _ in range(depth - 1)]
    if head:
        layers.append(Dense(10, activation="softmax"))
    return Sequential(layers, seed=0)


INITS = [  # (label, activation, initializer)
    ("tanh, normal σ = 0.01", "tanh", RandomNormal(stddev=0.01)),
    ("tanh, normal σ = 1", "tanh", RandomNormal(stddev=1.0)),
    ("tanh, Xavier", "tanh", "glorot_normal"),
    ("ReLU, Xavier", "relu", "glorot_normal"),
    ("ReLU, He", "relu", "he_normal"),
]


@lru_cache(maxsize=None)
def _scales():
    X_train = standardized_digits()[0][:256]
    result = []
    for _, activation, init in INITS:
        net = stack(10, 128, activation, init)
        net.forward(backend.asarray(X_train))
        result.append([float(backend.to_numpy(layer.a).std()) for layer in net.layers])
    return result


@figure(
    alt="A line chart of the standard deviation of the activations (log scale) against the layer number, 1 "
        "to 10, for five ten-layer networks. With tiny random weights the activations shrink tenfold per layer "
        "towards zero. With weights of standard deviation 1 tanh units stay near plus or minus 1, saturated. "
        "Xavier keeps tanh activations in a healthy range that declines slowly; Xavier with ReLU shrinks "
        "steadily, and He with ReLU stays flat.",
    caption="How large the activations of each layer are, for one batch of 256 standardized digits through "
            "ten layers of 128 units. Only the initializations scaled to the layer width (Xavier for tanh, He "
            "for ReLU) keep the signal at a usable size all the way down.",
)
def activation_scales(theme):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    styles = ["-", "--", "-", "-.", "-"]
    for k, ((label, _, _), stds) in enumerate(zip(INITS, _scales())):
        ax.plot(range(1, 11), stds, marker="o", markersize=4, linestyle=styles[k], color=theme.colors[k], label=label)
    ax.set_yscale("log")
    ax.set_xlabel("layer")
    ax.set_ylabel("std of activations")
    ax.set_xticks(range(1, 11))
    ax.grid(True, linewidth=0.5)
    ax.legend(fontsize=9, loc="lower left", ncol=2)
    fig.tight_layout()
    return fig


@figure(
    alt="A line chart of the norm of each layer's weight gradient (log scale) against the layer number, "
        "from the first hidden layer to the output layer, for a deep sigmoid network and a deep ReLU network. "
        "The ReLU network's gradients are about the same size in every layer. The sigmoid network's gradients "
        "fall by a factor of several per layer going backwards, so that the first layer's gradient is "
        "five to six orders of magnitude smaller than the output layer's.",
    caption="Vanishing gradients, measured: the size of ‖dW‖ in every layer after one backward pass on 256 "
            "digits, for ten hidden layers of 32 sigmoid units (Xavier) and of 32 ReLU units (He).",
)
def gradient_norms(theme):
    import matplotlib.pyplot as plt

    X_train, _, y_train, _ = standardized_digits()
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    for k, (activation, init, name) in enumerate([("sigmoid", "glorot_normal", "Xavier"), ("relu", "he_normal", "He")]):
        net = stack(10, 32, activation, init, head=True)
        net.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
        out = net.forward(backend.asarray(X_train[:256]))
        net.backward_loss(backend.asarray(y_train[:256]), out)
        norms = [float(np.linalg.norm(backend.to_numpy(layer.dW))) for layer in net.layers]
        ax.plot(range(1, len(norms) + 1), norms, marker="o", markersize=4, color=theme.colors[k],
                label=f"{activation} ({name})")
    ax.set_yscale("log")
    ax.set_xlabel("layer (1 = first hidden, 11 = output)")
    ax.set_ylabel("‖dW‖")
    ax.set_xticks(range(1, 12))
    ax.grid(True, linewidth=0.5)
    ax.legend()
    fig.tight_layout()
    return fig


def _train(model, optimizer, epochs=10):
    X_train, _, y_train, _ = standardized_digits()
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return model.fit(X_train, y_train, epochs=epochs, batch_size=32, verbose=0).history["loss"]


def batchnorm_pair():
    """Ten sigmoid layers of 64 units, without and with batch normalization."""
    plain = stack(10, 64, "sigmoid", "glorot_uniform", head=True)
    layers = [Dense(64, input_shape=(64,)), BatchNormalization(), Sigmoid()]
    for _ in range(9):
        layers += [Dense(64), BatchNormalization(), Sigmoid()]
    normalized = Sequential(layers + [Dense(10, activation="softmax")], seed=0)
    return plain, normalized


def residual_trio(blocks=15, width=32):
    """A 31-hidden-layer plain ReLU stack (default and He init) and its residual twin."""
    plain = stack(2 * blocks + 1, width, "relu", "glorot_uniform", head=True)
    plain_he = stack(2 * blocks + 1, width, "relu", "he_normal", head=True)
    residual = Sequential([Dense(width, activation="relu", input_shape=(64,))]
                          + [Residual([Dense(width, activation="relu"), Dense(width, kernel_initializer="zeros")])
                             for _ in range(blocks)]
                          + [Dense(10, activation="softmax")], seed=0)
    return plain, plain_he, residual


@lru_cache(maxsize=None)
def _fix_curves():
    plain, normalized = batchnorm_pair()
    plain_r, plain_he, residual = residual_trio()
    return (_train(plain, SGD(0.1)), _train(normalized, SGD(0.1)),
            _train(plain_r, SGD(0.05)), _train(plain_he, SGD(0.05)), _train(residual, SGD(0.05)))


@figure(
    alt="Two panels of training-loss curves over ten epochs. Left: a ten-layer sigmoid network without batch "
        "normalization stays flat at the loss of guessing, about 2.3, while the same network with batch "
        "normalization falls steadily. Right: a plain network of 31 ReLU layers stays flat at 2.3 with the "
        "default initialization and creeps down slowly with He initialization, while the same depth built "
        "from residual blocks falls quickly towards zero.",
    caption="Two fixes for deep networks, same data and optimizer (SGD) on both sides. Left: batch "
            "normalization after every layer (learning rate 0.1). Right: residual blocks (learning rate 0.05). "
            "The dotted line is the loss of a uniform guess over ten classes, ln 10.",
)
def deep_fixes(theme):
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5), sharey=True)
    without, with_bn, plain_r, plain_he, residual = _fix_curves()
    curves_left = [("without", without, theme.colors[1], "--"),
                   ("with batch norm", with_bn, theme.colors[0], "-")]
    curves_right = [("plain (Xavier)", plain_r, theme.colors[1], "--"),
                    ("plain (He)", plain_he, theme.colors[3], "-."),
                    ("residual blocks", residual, theme.colors[0], "-")]
    for ax, curves, title in [(left, curves_left, "10 sigmoid layers"), (right, curves_right, "31 ReLU layers")]:
        for label, losses, color, style in curves:
            ax.plot(range(1, len(losses) + 1), losses, color=color, linestyle=style, marker="o", markersize=3,
                    label=label)
        ax.axhline(np.log(10), color=theme.muted, linestyle=":", linewidth=1.5)
        ax.set_title(title, fontsize=11)
        ax.set_xlabel("epoch")
        ax.grid(True, linewidth=0.5)
        ax.legend(fontsize=9)
    left.set_ylabel("training loss")
    fig.tight_layout()
    return fig
