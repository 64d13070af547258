"""Figures for the lesson on backpropagation (07-backpropagation.md).

Every number comes from a real nnlib forward and backward pass.
"""

import numpy as np
from sitebuild.figures import figure

# The small network of the lesson: 2 inputs, 2 sigmoid hidden units, 1 sigmoid output, MSE.
WEIGHTS = [
    np.array([[0.3, -0.4], [0.7, 0.2]]),
    np.array([0.1, 0.0]),
    np.array([[0.6], [-0.5]]),
    np.array([0.2]),
]
X = np.array([[1.0, 0.5]])
Y = np.array([[1.0]])


def small_network(dtype="float64"):
    """The lesson's 2-2-1 network after one forward and one backward pass."""
    from nnlib import Dense, Sequential, backend

    with backend.using(dtype=dtype):
        model = Sequential([Dense(2, activation="sigmoid", input_shape=(2,)), Dense(1, activation="sigmoid")])
    model.compile(optimizer="sgd", loss="mse")
    model.set_weights(WEIGHTS)
    a = model.forward(X)
    loss = float(model.compute_loss(Y, a))
    model.backward_loss(Y, a)
    return model, loss


def _vec(v, digits=2):
    v = np.ravel(v)
    inner = ", ".join(f"{t:.{digits}f}" for t in v)
    return inner if v.size == 1 else f"[{inner}]"


def _mat(m, digits=2):
    return "\n".join("[" + ", ".join(f"{t:.{digits}f}" for t in row) + "]" for row in np.atleast_2d(m))


@figure(
    alt=("The computational graph of a network with two inputs, two sigmoid hidden units and one sigmoid "
         "output, drawn left to right: x, z1, a1, z2, a2 and the loss L, with the parameters W1, b1, W2, b2 "
         "and the target y feeding in from above. Each node shows its forward value from nnlib and, "
         "underneath in a second colour, the gradient of the loss with respect to it from nnlib's backward "
         "pass. The forward values flow right, the gradients flow left."),
    caption=("One forward pass (values, top line of each box) and one backward pass (gradients ∂L/∂·, "
             "second colour) through a 2-2-1 sigmoid network on the input x = [1.0, 0.5] with target 1. "
             "Every number comes from nnlib."),
)
def computational_graph(theme):
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    model, loss = small_network()
    hidden, out = model.layers
    fwd, back = theme.colors[0], theme.colors[3]
    chain = [  # (symbol, label, forward value, gradient, x position)
        ("x", "x", _vec(X), _vec(hidden.dx, 3), 0.0),
        ("z₁", "z₁ = xW₁ + b₁", _vec(hidden.z), _vec(hidden.activation.dx, 3), 1.0),
        ("a₁", "a₁ = σ(z₁)", _vec(hidden.a), _vec(out.dx, 3), 2.0),
        ("z₂", "z₂ = a₁W₂ + b₂", _vec(out.z), _vec(out.activation.dx, 3), 3.0),
        ("a₂", "a₂ = σ(z₂)", _vec(out.a), _vec(2 * (out.a - Y), 3), 4.0),
        ("L", "L = (a₂ − y)²", f"{loss:.3f}", "1", 5.0),
    ]
    params = [  # (symbol, forward value, gradient, x position, node it feeds)
        ("W₁", _mat(hidden.W, 1), _mat(hidden.dW, 3), 0.5, 1.0),
        ("b₁", _vec(hidden.b, 1), _vec(hidden.db, 3), 1.5, 1.0),
        ("W₂", _mat(out.W, 1), _mat(out.dW, 3), 2.5, 3.0),
        ("b₂", _vec(out.b, 1), _vec(out.db, 3), 3.5, 3.0),
        ("y", _vec(Y, 1), "", 5.0, 5.0),
    ]
    fig, ax = plt.subplots(figsize=(11, 4.4))
    ax.set_xlim(-0.5, 5.5)
    ax.set_ylim(-1.15, 2.3)
    ax.axis("off")

    def node(x, y, symbol, label, value, grad, width, height):
        ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                    boxstyle="round,pad=0.02,rounding_size=0.06",
                                    facecolor="none", edgecolor=theme.fg, linewidth=1.1))
        top = y + height / 2 - 0.06
        ax.text(x, top, label, ha="center", va="top", fontsize=9, color=theme.fg, fontweight="bold")
        lines = value.count("\n") + 1
        ax.text(x, top - 0.2, value, ha="center", va="top", fontsize=8.5, color=fwd, linespacing=1.1)
        if grad:
            ax.text(x, top - 0.22 - 0.15 * lines, f"∂L/∂{symbol} =\n{grad}", ha="center", va="top",
                    fontsize=8, color=back, linespacing=1.1)

    for symbol, label, value, grad, x in chain:
        node(x, 0.0, symbol, label, value, grad, width=0.9, height=0.9)
    for symbol, value, grad, x, _ in params:
        matrix = "\n" in value
        node(x, 1.55, symbol, symbol, value, grad, width=0.8 if matrix else 0.7, height=1.3 if matrix else 0.9)
    arrow = dict(arrowstyle="-|>", color=theme.fg, linewidth=1.0, shrinkA=0, shrinkB=0)
    for (*_, x0), (*_, x1) in zip(chain, chain[1:]):
        ax.annotate("", xy=(x1 - 0.47, 0.0), xytext=(x0 + 0.47, 0.0), arrowprops=arrow)
    for symbol, value, _, x, target in params:
        bottom = 1.55 - (0.67 if "\n" in value else 0.47)
        ax.annotate("", xy=(target + (x - target) * 0.25, 0.47), xytext=(x, bottom), arrowprops=arrow)
    # the two passes under the chain, their labels clear of the node boxes (which end at y = -0.45)
    ax.annotate("", xy=(0.0, -1.05), xytext=(5.0, -1.05),
                arrowprops=dict(arrowstyle="-|>", color=back, linewidth=1.4, linestyle="--"))
    ax.text(2.5, -1.0, "backward pass: gradients ∂L/∂· flow right to left", ha="center", va="bottom",
            fontsize=9, color=back)
    ax.annotate("", xy=(5.0, -0.75), xytext=(0.0, -0.75),
                arrowprops=dict(arrowstyle="-|>", color=fwd, linewidth=1.4))
    ax.text(2.5, -0.7, "forward pass: values flow left to right", ha="center", va="bottom",
            fontsize=9, color=fwd)
    return fig


def layer_gradient_norms(activation, depth=6, width=32, seed=0):
    """‖dW‖ per Dense layer after one backward pass on a batch of digits (first layer first)."""
    from nnlib import Dense, Sequential, data

    X, y = data.load_digits()
    rng = np.random.default_rng(seed)
    batch = rng.choice(len(X), size=128, replace=False)
    layers = [Dense(width, activation=activation, input_shape=(64,))]
    layers += [Dense(width, activation=activation) for _ in range(depth - 1)]
    layers += [Dense(10, activation="softmax")]
    model = Sequential(layers, seed=seed)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    xb, yb = X[batch], y[batch]
    out = model.forward(xb)
    model.backward_loss(yb, out)
    return np.array([float(np.linalg.norm(layer.dW)) for layer in model.layers])


@figure(
    alt=("Bar chart of the size of the weight gradient, the norm of dW, in each of the seven dense layers of "
         "two networks on a batch of handwritten digits, one with sigmoid hidden units and one with ReLU, on a "
         "logarithmic axis. With sigmoid the gradient shrinks by a large factor at almost every layer on the "
         "way back to the input, so the first layer gets a far smaller gradient than the last; with ReLU the "
         "gradients stay of similar size."),
    caption=("How large a gradient each layer receives after one backward pass, in a seven-layer network "
             "on 128 digits. Each layer multiplies the gradient by its own local derivatives on the way back; "
             "sigmoid's derivative is at most 0.25, so its gradients fade towards the input."),
)
def gradient_norms(theme):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 3.6))
    width = 0.38
    for k, activation in enumerate(("sigmoid", "relu")):
        norms = layer_gradient_norms(activation)
        index = np.arange(1, len(norms) + 1)
        ax.bar(index + (k - 0.5) * width, norms, width=width, color=theme.colors[2 * k],
               label=f"{activation} hidden layers")
    ax.set_yscale("log")
    ax.set_xticks(index, [f"{i}" + ("\n(input side)" if i == 1 else "\n(output)" if i == len(index) else "")
                          for i in index])
    ax.set_xlabel("dense layer")
    ax.set_ylabel("‖dW‖ (log scale)")
    ax.grid(True, axis="y", linewidth=0.5)
    ax.legend()
    return fig


@figure(
    alt=("Log-log plot of the relative error between nnlib's backward-pass gradient and a central-difference "
         "estimate, against the step size eps, in float64 and in float32. Both curves are V-shaped: for large "
         "eps the difference formula's own error dominates and falls as eps shrinks; for tiny eps rounding "
         "error takes over and grows again. The float64 curve reaches a far lower minimum, near eps = 1e-5 "
         "to 1e-6, than the float32 curve."),
    caption=("Choosing the step of a gradient check. Too large a step measures the curvature; too small a step "
             "measures rounding noise. float64 leaves a wide valley of tiny errors, which is why "
             "nnlib.gradcheck works in float64."),
)
def gradcheck_step_size(theme):
    import matplotlib.pyplot as plt
    from nnlib import backend, gradcheck

    epsilons = np.logspace(-12, -1, 23)
    fig, ax = plt.subplots(figsize=(6.4, 3.4))
    for k, dtype in enumerate(("float64", "float32")):
        model, _ = small_network(dtype)
        with backend.using(dtype=dtype):
            x, y = backend.asarray(X), backend.asarray(Y)
            hidden = model.layers[0]
            model.backward_loss(y, model.forward(x))
            analytic = np.array(hidden.dW, dtype=float)

            def f(_):
                return model.compute_loss(y, model.forward(x))

            errors = [max(gradcheck.relative_error(analytic, gradcheck.numerical_gradient(f, hidden.W, eps)),
                          1e-17) for eps in epsilons]
        ax.loglog(epsilons, errors, marker="o", markersize=3, color=theme.colors[2 * k], label=dtype)
    ax.axhline(1e-6, color=theme.muted, linestyle="--", linewidth=1)
    ax.text(1e-8, 7e-7, "1e-6: a correct gradient", fontsize=9, color=theme.fg, va="top")
    ax.set_xlabel("step eps of the central difference")
    ax.set_ylabel("relative error")
    ax.grid(True, linewidth=0.5, which="major")
    ax.legend()
    return fig
