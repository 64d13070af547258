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
# # Lab: forward propagation
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the input and the layer sizes in the next cell, run the
# cells again, and watch the values flow through the network.

# %%
x = [1.0, 0.5, -1.0]          # one example; its length is the number of inputs
HIDDEN = [4, 3]               # widths of the hidden layers (ReLU)
N_CLASSES = 3                 # softmax outputs
SEED = 1

# %%
import time

import matplotlib.pyplot as plt
import numpy as np

from nnlib import Dense, Sequential

layers = [Dense(HIDDEN[0], activation="relu", input_shape=(len(x),))]
layers += [Dense(width, activation="relu") for width in HIDDEN[1:]]
model = Sequential(layers + [Dense(N_CLASSES, activation="softmax")], seed=SEED)

prediction = model.forward(np.array([x], dtype=np.float32))
print("input:", np.round(x, 3))
for layer in model.layers:
    print(f"\n{layer.name} ({layer.activation.kind}), W {tuple(layer.W.shape)}")
    print("  z =", np.round(layer.z[0], 3))
    print("  a =", np.round(layer.a[0], 3))
print("\npredicted class:", int(prediction.argmax()))

# %% [markdown]
# **Try it.** Which hidden neurons are off (a = 0) for your input? Change one entry of `x`
# and see which ones switch. Make `x` all zeros: what is left in `z`?
#
# ## Loops against matrix products
#
# The same forward pass, written with Python loops over neurons and with one matrix product
# per layer, timed on batches of growing size.

# %%
def forward_loops(X, model):
    out = []
    for row in X:
        a = list(row)
        for layer in model.layers:
            W, b = layer.W, layer.b
            n_in, n_out = W.shape
            z = [b[j] + sum(a[i] * W[i, j] for i in range(n_in)) for j in range(n_out)]
            if layer.activation.kind == "relu":
                a = [max(v, 0.0) for v in z]
            else:
                e = np.exp(np.array(z) - max(z))
                a = list(e / e.sum())
        out.append(a)
    return np.array(out)


rng = np.random.default_rng(0)
sizes, t_loops, t_matrix = [1, 10, 100, 400], [], []
for n in sizes:
    X = rng.normal(size=(n, len(x))).astype(np.float32)
    start = time.perf_counter()
    slow = forward_loops(X, model)
    t_loops.append(time.perf_counter() - start)
    start = time.perf_counter()
    fast = model.forward(X)
    t_matrix.append(time.perf_counter() - start)
    assert np.allclose(slow, fast, atol=1e-5)
    print(f"batch {n:4}: loops {t_loops[-1] * 1e3:8.2f} ms   "
          f"matrix {t_matrix[-1] * 1e3:6.3f} ms")

fig, ax = plt.subplots(figsize=(6, 3.5))
ax.loglog(sizes, t_loops, "o-", label="loops over neurons")
ax.loglog(sizes, t_matrix, "s-", label="one matrix product per layer")
ax.set_xlabel("batch size")
ax.set_ylabel("seconds")
ax.legend()
plt.show()

# %% [markdown]
# **Self-check.** Compute the first hidden layer's activations for the batch `X_check` below
# with one line of NumPy (use `W1`, `b1` and ReLU).

# %%
X_check = np.random.default_rng(3).normal(size=(6, len(x))).astype(np.float32)
W1, b1 = model.layers[0].W, model.layers[0].b

# %% tags=["answer"]
my_a1 = None   # one line of NumPy with X_check, W1 and b1

# %%
model.forward(X_check)
if my_a1 is None:
    print("Self-check: not answered yet. "
          "Compute my_a1 above, then run this cell again.")
elif (np.shape(my_a1) == model.layers[0].a.shape
      and np.allclose(my_a1, model.layers[0].a, atol=1e-6)):
    print("Self-check passed: your activations match nnlib's for every example.")
else:
    print("Self-check failed: multiply the batch (rows = examples) by W1, add b1,")
    print("then apply ReLU, max(z, 0).")

# %% [markdown]
# **Self-check.** A batch of 32 MNIST images (784 pixels each) enters a network whose first
# hidden layer has 128 units. What is the shape of that layer's `z`?

# %% tags=["answer"]
my_shape = None   # a tuple of two numbers

# %%
mnist = Sequential([Dense(128, activation="relu", input_shape=(784,)),
                    Dense(10, activation="softmax")])
mnist.forward(np.zeros((32, 784), dtype=np.float32))
if my_shape is None:
    print("Self-check: not answered yet. Set my_shape above, then run this cell again.")
elif tuple(my_shape) == tuple(mnist.layers[0].z.shape):
    print(f"Self-check passed: z has shape {tuple(mnist.layers[0].z.shape)}.")
else:
    print("Self-check failed: one row per example, one column per unit of the layer.")
