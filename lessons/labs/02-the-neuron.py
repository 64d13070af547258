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
# # Lab: the neuron
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the numbers in the cells marked **Try this** and run the
# cells again.
#
# A neuron computes $z = w_1 x_1 + w_2 x_2 + b$ and outputs $a = \sigma(z) = 1/(1 + e^{-z})$.
# Here it is an nnlib `Dense(1, activation="sigmoid")` layer whose weights you set yourself.

# %%
import matplotlib.pyplot as plt
import numpy as np

from nnlib import Dense


def make_neuron(w, b):
    """A one-neuron sigmoid layer with weights w (two numbers) and bias b."""
    layer = Dense(1, activation="sigmoid")
    layer.build((2,), np.random.default_rng(0))
    layer.W = np.array(w, dtype=np.float32).reshape(2, 1)
    layer.b = np.array([b], dtype=np.float32)
    return layer


# %% [markdown]
# **Try this.** The worked example of the lesson. Change the inputs, the weights or the bias.

# %%
x = [1.0, 0.5]
w = [0.3, 0.7]
b = 0.1

# %%
neuron = make_neuron(w, b)
a = neuron.forward(np.array([x], dtype=np.float32))
print(f"z = {neuron.z[0, 0]:.3f}, a = {a[0, 0]:.3f}")

# %% [markdown]
# The same neuron over its whole input plane. The white line is where $z = 0$ (output 0.5);
# the dot is your input `x`. A larger bias moves the line away from the "on" side; scaling
# both weights up makes the change from 0 to 1 sharper without moving the line.

# %%
g = np.linspace(-3, 3, 121, dtype=np.float32)
gx, gy = np.meshgrid(g, g)
out = neuron.forward(np.column_stack([gx.ravel(), gy.ravel()]))[:, 0].reshape(gx.shape)

fig, ax = plt.subplots(figsize=(5, 4))
image = ax.imshow(out, origin="lower", extent=(-3, 3, -3, 3), cmap="viridis",
                  vmin=0, vmax=1)
if out.min() < 0.5 < out.max():
    ax.contour(gx, gy, out, levels=[0.5], colors="white", linewidths=2)
ax.plot(*x, "o", color="#E69F00", markeredgecolor="black", ms=10)
ax.set_xlabel("x₁")
ax.set_ylabel("x₂")
fig.colorbar(image, ax=ax, label="output a")
plt.show()

# %% [markdown]
# ## Self-check 1: a neuron on the fence
#
# With the worked inputs and weights (`x = [1.0, 0.5]`, `w = [0.3, 0.7]`), which bias makes
# the neuron output exactly $0.5$? Put your answer below.

# %% tags=["answer"]
my_bias = None

# %%
if my_bias is None:
    print("Self-check: not answered yet. Set my_bias above, then run this cell again.")
else:
    check = make_neuron([0.3, 0.7], my_bias)
    a_check = float(check.forward(np.array([[1.0, 0.5]], dtype=np.float32))[0, 0])
    print(f"with b = {my_bias}: a = {a_check:.4f}")
    if abs(a_check - 0.5) < 1e-4:
        print("Self-check passed: z = 0, so a = sigmoid(0) = 0.5.")
    else:
        print("Self-check failed: a = 0.5 exactly when z = 0; "
              "which b cancels 0.3 * 1.0 + 0.7 * 0.5?")

# %% [markdown]
# ## Self-check 2: AND from one neuron
#
# Choose weights and a bias so that the neuron computes the logical AND of two inputs that are
# 0 or 1: output above 0.9 for $(1, 1)$ and below 0.1 for the other three corners.
# Hint: the switching line must separate $(1, 1)$ from the rest, and large weights make the
# switch sharp.

# %% tags=["answer"]
and_w = None   # two weights, e.g. [1.0, 1.0]
and_b = None   # one bias

# %%
if and_w is None or and_b is None:
    print("Self-check: not answered yet. "
          "Set and_w and and_b above, then run this cell again.")
else:
    corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    outputs = make_neuron(and_w, and_b).forward(corners)[:, 0]
    for corner, o in zip(corners, outputs):
        print(f"AND({int(corner[0])}, {int(corner[1])}) -> {o:.3f}")
    if outputs[3] > 0.9 and np.all(outputs[:3] < 0.1):
        print("Self-check passed: one neuron computes AND.")
    else:
        print("Self-check failed: you need z > 2.2 at (1, 1) "
              "and z < -2.2 at the other corners;")
        print("try equal weights and a bias of about -1.5 times one weight.")
