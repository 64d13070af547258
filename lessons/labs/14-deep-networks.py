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
# # Lab: deep networks
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the numbers marked **try this** and run the cells again;
# the whole lab takes well under a minute.
#
# Three parts: (1) activations and gradients layer by layer, for the depth, activation and
# initialization you choose; (2) the right scale for the weights, computed by you; (3) a deep
# network with and without residual connections.

# %%
import warnings

import matplotlib.pyplot as plt
import numpy as np

from nnlib import SGD, Dense, Residual, Sequential, data, initializers

X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0)
mean, std = X_train.mean(axis=0), X_train.std(axis=0) + 1e-8
X_train, X_test = (X_train - mean) / std, (X_test - mean) / std

# %% [markdown]
# ## 1. Inside a deep network at initialization
#
# **Try this:** `ACTIVATION` in `"sigmoid"`, `"tanh"`, `"relu"`; `INIT` in `"glorot_normal"`
# (Xavier), `"he_normal"`, `"random_normal"` (standard deviation 0.05) or
# `initializers.RandomNormal(stddev=...)` with a scale of your own; `DEPTH` from 2 to 30.

# %%
DEPTH = 12
WIDTH = 64
ACTIVATION = "sigmoid"
INIT = "glorot_normal"

first = Dense(WIDTH, activation=ACTIVATION, input_shape=(64,), kernel_initializer=INIT)
more = [Dense(WIDTH, activation=ACTIVATION, kernel_initializer=INIT)
        for _ in range(DEPTH - 1)]
net = Sequential([first] + more + [Dense(10, activation="softmax")], seed=0)
net.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
out = net.forward(X_train[:256])
net.backward_loss(y_train[:256], out)
stds = [float(layer.a.std()) for layer in net.layers[:-1]]
norms = [float(np.linalg.norm(layer.dW)) for layer in net.layers]

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
left.semilogy(range(1, DEPTH + 1), stds, marker="o")
left.set(xlabel="hidden layer", ylabel="std of activations",
         title="forward: signal size")
right.semilogy(range(1, DEPTH + 2), norms, marker="o")
right.set(xlabel="layer (last = output)", ylabel="|dW|",
          title="backward: gradient size")
fig.tight_layout()
plt.show()
print(f"first layer's gradient is {norms[-1] / norms[0]:.1e} times smaller "
      "than the output layer's")

# %% [markdown]
# ## 2. The right scale
#
# Each layer multiplies the variance of the signal by about `fan_in * Var(w)` (times 1/2 after a
# ReLU). Write the standard deviation that He initialization uses for a layer with `fan_in`
# inputs, so that a ReLU layer keeps the signal's size.

# %%
fan_in = 300

# %% tags=["answer"]
he_std = None   # a formula in fan_in

# %% [markdown]
# **Self-check.** Compare your answer with the spread of a large draw from nnlib's `he_normal`.

# %%
W = initializers.get("he_normal")((fan_in, 2000), np.random.default_rng(0))
if he_std is None:
    print("Self-check: not answered yet. Set he_std above, then run this cell again.")
else:
    print(f"yours {he_std:.4f}, measured {W.std():.4f}")
    if abs(he_std - W.std()) < 0.01 * W.std():
        print("Self-check passed: that is He's scale.")
    else:
        print("Self-check failed: He's variance is 2 / fan_in; take its square root.")

# %% [markdown]
# ## 3. Residual connections
#
# A plain stack of `2 * BLOCKS + 1` ReLU layers against one layer followed by `BLOCKS` residual
# blocks of two layers, trained with the same SGD. **Try this:** change `BLOCKS` (2 is shallow,
# 15 is deep) and `LEARNING_RATE`.

# %%
BLOCKS = 15
LEARNING_RATE = 0.05
EPOCHS = 8

plain = Sequential([Dense(32, activation="relu", input_shape=(64,))]
                   + [Dense(32, activation="relu") for _ in range(2 * BLOCKS)]
                   + [Dense(10, activation="softmax")], seed=0)
blocks = [Residual([Dense(32, activation="relu"),
                    Dense(32, kernel_initializer="zeros")])
          for _ in range(BLOCKS)]
residual = Sequential([Dense(32, activation="relu", input_shape=(64,))] + blocks
                      + [Dense(10, activation="softmax")], seed=0)
curves = {}
for name, model in [("plain", plain), ("residual", residual)]:
    model.compile(optimizer=SGD(LEARNING_RATE), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        history = model.fit(X_train, y_train, epochs=EPOCHS, verbose=0).history
    curves[name] = history["loss"]
    test_accuracy = model.evaluate(X_test, y_test)[1]
    print(f"{name:8} final loss {curves[name][-1]:.3f}, "
          f"test accuracy {test_accuracy:.1%}")

for name, losses in curves.items():
    plt.plot(range(1, len(losses) + 1), losses, marker="o", label=name)
plt.axhline(np.log(10), linestyle=":", color="grey", label="uniform guess")
plt.xlabel("epoch")
plt.ylabel("training loss")
plt.legend()
plt.show()

# %% [markdown]
# **Self-check.** Which network ends with the lower training loss with the shipped settings
# (`BLOCKS = 15`)? Write `"plain"` or `"residual"`. (If you changed `BLOCKS` to something small,
# both may train well: that is the point of the comparison.)

# %% tags=["answer"]
my_lower = None

# %%
lower = min(curves, key=lambda name: curves[name][-1])
if my_lower is None:
    print("Self-check: not answered yet. Set my_lower above, then run this cell again.")
elif my_lower == lower:
    print(f"Self-check passed: the {lower} network ends lower "
          f"({curves[lower][-1]:.3f}).")
else:
    print("Self-check failed: read the final losses printed above: "
          f"plain {curves['plain'][-1]:.3f}, residual {curves['residual'][-1]:.3f}.")
