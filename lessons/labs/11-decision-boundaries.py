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
# # Lab: decision boundaries
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the data set and the network in the next cell, run the
# cells again, and watch the boundary change.

# %%
import numpy as np
import matplotlib.pyplot as plt

from nnlib import Adam, Dense, Sequential, data

dataset = "moons"          # "moons", "circles", "xor" or "spirals" (three classes)
hidden = [8]               # hidden layer sizes; [] is a single layer of output neurons
activation = "tanh"        # "tanh", "relu", "sigmoid", ...
epochs = 100

# %%
def load(name):
    if name == "moons":
        return data.make_moons(300, noise=0.25, rng=0)
    if name == "circles":
        return data.make_circles(300, noise=0.1, rng=0)
    if name == "xor":
        return data.make_xor(200, noise=0.15, rng=0)
    if name == "spirals":
        return data.make_spirals(300, n_classes=3, noise=0.2, rng=0)
    raise ValueError(f"unknown data set {name!r}")


def build(hidden, activation, n_classes):
    layers, width = [], 2
    for units in hidden:
        layers.append(Dense(units, activation=activation, input_shape=(width,)))
        width = units
    if n_classes == 2:
        layers.append(Dense(1, activation="sigmoid", input_shape=(width,)))
        loss = "binary_crossentropy"
    else:
        layers.append(Dense(n_classes, activation="softmax", input_shape=(width,)))
        loss = "sparse_categorical_crossentropy"
    model = Sequential(layers, seed=0)
    model.compile(optimizer=Adam(learning_rate=0.01), loss=loss, metrics=["accuracy"])
    return model


def classes(model, points):
    out = model.predict(points, batch_size=8192)
    return (out[:, 0] > 0.5).astype(int) if out.shape[1] == 1 else out.argmax(axis=1)


def fit_and_plot(name, hidden, activation, epochs, ax=None):
    X, y = load(name)
    k = int(y.max()) + 1
    model = build(hidden, activation, k)
    model.fit(X, y, epochs=epochs, batch_size=16, verbose=0)
    accuracy = float((classes(model, X) == y).mean())
    pad = 0.5
    xs = np.linspace(X[:, 0].min() - pad, X[:, 0].max() + pad, 150)
    ys = np.linspace(X[:, 1].min() - pad, X[:, 1].max() + pad, 150)
    xx, yy = np.meshgrid(xs, ys)
    grid = np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32)
    region = classes(model, grid).reshape(xx.shape)
    if ax is None:
        ax = plt.subplots(figsize=(4.5, 4))[1]
    ax.contourf(xx, yy, region, levels=np.arange(k + 1) - 0.5, cmap="tab10", alpha=0.25,
                vmin=0, vmax=9)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap="tab10", vmin=0, vmax=9, s=10,
               edgecolors="k", linewidths=0.3)
    ax.set_title(f"{name}, hidden {hidden}: accuracy {accuracy:.0%}", fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([])
    return model, accuracy


model, accuracy = fit_and_plot(dataset, hidden, activation, epochs)
plt.show()
print(f"training accuracy {accuracy:.1%}")

# %% [markdown]
# ## Depth, side by side
#
# The same data with no hidden layer, one small hidden layer, and a deep ReLU network.

# %%
fig, axes = plt.subplots(1, 3, figsize=(12, 4))
NETWORKS = [([], "tanh"), ([8], "tanh"), ([32, 32, 32], "relu")]   # hidden, activation
for ax, (layers, act) in zip(axes, NETWORKS):
    fit_and_plot(dataset, layers, act, epochs, ax)
plt.show()

# %% [markdown]
# **Self-check 1.** Before running it: what is the highest training accuracy a single neuron
# (no hidden layer) can reach on noisy XOR? Pick one: `0.5`, `0.75` or `1.0`.

# %% tags=["answer"]
my_guess = None

# %%
if my_guess is None:
    print("Self-check: not answered yet. Set my_guess above, then run this cell again.")
else:
    _, xor_neuron = fit_and_plot("xor", [], "tanh", 200)
    plt.close("all")
    closest = min((0.5, 0.75, 1.0), key=lambda v: abs(v - xor_neuron))
    print(f"a single neuron reached {xor_neuron:.0%} on XOR")
    if my_guess == closest:
        print("Self-check passed: a line can get three corners of four right, "
              "never all four.")
    else:
        print("Self-check failed: a straight line can separate one corner "
              "from the other three.")
        print("How many corners does that get right?")

# %% [markdown]
# **Self-check 2.** Build a network that reaches at least 95 % training accuracy on the
# three-armed spirals in at most 200 epochs. Edit `my_spiral_net` and run the check.

# %% tags=["answer"]
my_spiral_net = None   # e.g. dict(hidden=[8], activation="tanh", epochs=100)

# %%
if my_spiral_net is None:
    print("Self-check: not answered yet. "
          "Set my_spiral_net above, then run this cell again.")
else:
    _, spiral_accuracy = fit_and_plot("spirals", **my_spiral_net)
    plt.show()
    print(f"spirals: training accuracy {spiral_accuracy:.1%}")
    if spiral_accuracy >= 0.95 and my_spiral_net["epochs"] <= 200:
        print("Self-check passed: your boundary follows all three arms.")
    else:
        print("Self-check failed: the arms need a very bendy boundary;")
        print("try two hidden layers of 64 ReLU units and 200 epochs.")

# %% [markdown]
# ## What the hidden layer does to the plane
#
# The output neuron is one sigmoid neuron: it can only draw a straight line through what it is
# given, and what it is given is the hidden layer's output $h = \tanh(x W_1 + b_1)$, not $x$.
# With two hidden units, $h$ is a point in a plane too, so both planes can be drawn: the curved
# boundary of the input plane is a straight line in the hidden plane. **Try this:** change
# `EPOCHS_2D` and watch the classes get pulled apart.

# %%
EPOCHS_2D = 100

X_clean, y_clean = data.make_moons(300, noise=0.1, rng=0)
two_units = build([2], "tanh", 2)
two_units.fit(X_clean, y_clean, epochs=EPOCHS_2D, batch_size=16, verbose=0)
W1, b1, W2, b2 = two_units.get_weights()
# The hidden layer's output for every point
h_nnlib = Sequential(two_units.layers[:1]).predict(X_clean)

fig, (left, right) = plt.subplots(1, 2, figsize=(9, 4))
left.scatter(*X_clean.T, c=y_clean, cmap="tab10", vmin=0, vmax=9, s=10)
left.set_title("input plane")
right.scatter(*h_nnlib.T, c=y_clean, cmap="tab10", vmin=0, vmax=9, s=10)
h1 = np.linspace(-1, 1, 2)
h2 = -(W2[0, 0] * h1 + b2[0]) / W2[1, 0]   # where the output neuron's z is 0
right.plot(h1, h2, "k--", label="the output neuron's line")
right.set_xlim(-1.1, 1.1)
right.set_ylim(-1.1, 1.1)
right.set_title("hidden plane")
right.legend(loc="lower left")
plt.show()
print(f"training accuracy {(classes(two_units, X_clean) == y_clean).mean():.1%}")

# %% [markdown]
# **Self-check 3.** Compute the hidden plane yourself from `W1` and `b1`: every point of
# `X_clean` after the hidden layer, an array of shape (300, 2).

# %% tags=["answer"]
my_h = None   # from X_clean, W1 and b1

# %%
if my_h is None:
    print("Self-check: not answered yet. Compute my_h above, then run this cell again.")
elif np.shape(my_h) == h_nnlib.shape and np.allclose(my_h, h_nnlib, atol=1e-5):
    line_says = (np.asarray(my_h) @ W2 + b2)[:, 0] > 0
    agree = np.mean(line_says == (classes(two_units, X_clean) == 1))
    print("Self-check passed: the straight line in your hidden plane "
          "agrees with the network")
    print(f"on {agree:.0%} of the points.")
else:
    print("Self-check failed: the hidden layer computes z = X W1 + b1")
    print("and then applies its activation, tanh, to every entry.")
