# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lab: activation functions
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the numbers in the cells marked **Try this** and run the
# cells again.
#
# You will train the same network with different hidden activations and watch three things:
# how well it fits, how much gradient reaches its first layer, and how many of its units die.
# Last, ELU and GELU, and why activations whose outputs centre on zero help.

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np

from nnlib import Adam, Dense, Sequential, Swish, Tanh
from nnlib.data import make_moons

X, y = make_moons(400, noise=0.15, rng=0)
Y = y[:, None].astype(np.float32)


def build(activation, depth, width=32, seed=0):
    hidden = [Dense(width, activation=activation, input_shape=(2,))]
    hidden += [Dense(width, activation=activation) for _ in range(depth - 1)]
    return Sequential(hidden + [Dense(1, activation="sigmoid")], seed=seed)


def gradient_ratio(model):
    """Size of the first layer's weight gradient over the output layer's, now."""
    out = model.forward(X, training=True)
    model.backward_loss(Y, out)
    return np.linalg.norm(model.layers[0].dW) / np.linalg.norm(model.layers[-1].dW)


def dead_share(model):
    """Share of hidden units whose output is zero (or below) for every input."""
    dead = total = 0
    h = X
    for layer in model.layers[:-1]:
        h = layer.forward(h)
        off = np.all(h <= 0, axis=0)
        dead, total = dead + off.sum(), total + off.size
    return dead / total


# %% [markdown]
# **Try this.** The network's depth (number of hidden layers), the learning rate, and the
# activations to compare. Try a depth of 10 with `sigmoid`, or a learning rate of 1.0 with `relu`.

# %%
DEPTH = 6
LEARNING_RATE = 0.01
EPOCHS = 30
ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu", "swish"]

# %%
curves = {}
print(f"{'activation':11s} | grad ratio at start | final accuracy "
      "| units off for all inputs")
for activation in ACTIVATIONS:
    model = build(activation, DEPTH)
    model.compile(optimizer=Adam(learning_rate=LEARNING_RATE),
                  loss="binary_crossentropy", metrics=["accuracy"])
    ratio = gradient_ratio(model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        history = model.fit(X, y, epochs=EPOCHS, batch_size=32, verbose=0)
    curves[activation] = history.history["loss"]
    accuracy = model.evaluate(X, y)[1]
    off = dead_share(model)
    print(f"{activation:11s} | {ratio:19.1e} | {accuracy:14.0%} | {off:.0%}")

fig, ax = plt.subplots(figsize=(6, 3.5))
for activation, losses in curves.items():
    ax.plot(range(1, len(losses) + 1), losses, label=activation)
ax.set_xlabel("epoch")
ax.set_ylabel("training loss")
ax.set_title(f"{DEPTH} hidden layers, learning rate {LEARNING_RATE}")
ax.legend()
plt.show()

# %% [markdown]
# What to look for: the sigmoid network's gradient ratio is tiny and its loss falls slowest (its
# first layers hardly learn); ReLU at a large learning rate loses many units; for Leaky ReLU the
# last column counts units that are *negative* everywhere, which still get a small gradient.
#
# ## Self-check 1: the derivative of tanh
#
# Write the derivative of $\tanh(z)$ as a function of `z`. (Hint: it can be written with
# $\tanh$ itself.) It is compared with what nnlib's `Tanh` layer computes in its backward pass.

# %% tags=["answer"]
def my_tanh_slope(z):
    ...  # return the derivative of tanh at z (z is an array)


# %%
zs = np.linspace(-4, 4, 41)
layer = Tanh()
layer.forward(zs)
nnlib_slope = layer.backward(np.ones_like(zs))
if my_tanh_slope(zs) is None:
    print("Self-check: not answered yet. "
          "Complete my_tanh_slope above, then run this cell again.")
else:
    gap = np.abs(my_tanh_slope(zs) - nnlib_slope).max()
    print(f"largest difference from nnlib's backward: {gap:.1e}")
    print("Self-check passed: your tanh derivative matches nnlib." if gap < 1e-9
          else "Self-check failed: "
               "the derivative of tanh(z) is 1 minus the square of tanh(z).")

# %% [markdown]
# ## Self-check 2: the derivative of swish
#
# Swish is $f(z) = z\,\sigma(z)$. Use the product rule and $\sigma'(z) = \sigma(z)(1 - \sigma(z))$.

# %% tags=["answer"]
def my_swish_slope(z):
    ...  # return the derivative of z * sigmoid(z) at z


# %%
layer = Swish()
_ = layer.forward(zs)
if my_swish_slope(zs) is None:
    print("Self-check: not answered yet. "
          "Complete my_swish_slope above, then run this cell again.")
else:
    gap = np.abs(my_swish_slope(zs) - layer.backward(np.ones_like(zs))).max()
    print(f"largest difference from nnlib's backward: {gap:.1e}")
    print("Self-check passed: your swish derivative matches nnlib." if gap < 1e-9
          else "Self-check failed: (z s)' = s + z s' with s' = s (1 - s).")

# %% [markdown]
# ## Self-check 3: output activations
#
# Name the output activation (`"sigmoid"`, `"softmax"`, `"linear"`, `"relu"` or `"tanh"`) for
# each task.

# %% tags=["answer"]
my_choices = {
    "is this email spam?": None,
    "which of 10 digits is this?": None,
    "tomorrow's temperature in degrees": None,
}

# %%
expected = {"is this email spam?": "sigmoid", "which of 10 digits is this?": "softmax",
            "tomorrow's temperature in degrees": "linear"}
wrong = [task for task, choice in expected.items() if my_choices.get(task) != choice]
if None in my_choices.values():
    print("Self-check: not answered yet.")
    print("Name an activation for each task above, then run this cell again.")
elif not wrong:
    print("Self-check passed: one probability, a distribution over classes, "
          "an unbounded number.")
else:
    print("Self-check failed: think about the range each output needs, for:")
    print(", ".join(wrong) + ".")

# %% [markdown]
# ## ELU, GELU and zero-centred outputs
#
# ELU is $z$ for $z > 0$ and $\alpha(e^z - 1)$ below, GELU is $z\,\Phi(z)$. Both let a unit
# output negative values, which pulls the mean of a layer's outputs towards zero; a positive
# mean makes all the weights into a unit step the same way on each example. The mean output of
# each activation on standard normal inputs (the typical pre-activations of a well-scaled
# layer). **Try this:** change `alpha`.

# %%
from nnlib import ELU, GELU, ReLU, Sigmoid

alpha = 1.0
z_many = np.random.default_rng(0).normal(size=100_000)
for f in (Sigmoid(), ReLU(), GELU(), ELU(alpha=alpha), Tanh()):
    print(f"{type(f).__name__:7s} mean output {float(f.forward(z_many).mean()):+.3f}")

# %% [markdown]
# ## Self-check 4: an ELU centred at zero
#
# The ELU's mean output on `z_many` depends on $\alpha$. Find an $\alpha$ that brings it within
# 0.02 of zero. (The mean is $E[\max(z, 0)] + \alpha\,E[e^z - 1;\ z \le 0]$: a straight line in
# $\alpha$, so two measurements are enough.)

# %% tags=["answer"]
my_alpha = None

# %%
if my_alpha is None:
    print("Self-check: not answered yet. Set my_alpha above, then run this cell again.")
else:
    centred_mean = float(ELU(alpha=my_alpha).forward(z_many).mean())
    print(f"ELU(alpha={my_alpha:g}) mean output {centred_mean:+.3f}")
    if abs(centred_mean) < 0.02:
        print("Self-check passed: with this alpha the ELU's outputs are centred, "
              "as tanh's are.")
    else:
        print("Self-check failed: measure the mean at alpha = 1 and alpha = 2,")
        print("then solve the straight line through the two for a mean of zero.")
