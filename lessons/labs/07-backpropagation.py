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
# # Lab: backpropagation
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the numbers marked **try this** and run the cells again.
#
# Four parts: (1) a backward pass written in plain NumPy, compared with nnlib's; (2) how large
# a gradient each layer of a deeper network receives; (3) a derivative of your own that must pass a
# gradient check; (4) the gradient of a value that feeds several units, summed over its paths.

# %%
import matplotlib.pyplot as plt
import numpy as np

from nnlib import Dense, Sequential, backend, data, gradcheck
from nnlib.layers.activations import Activation

# %% [markdown]
# ## 1. A backward pass by hand
#
# A 3-4-1 network with tanh hidden units and a sigmoid output, squared-error loss, a batch of
# five examples. **Try this:** change the random seed or the batch size.

# %%
rng = np.random.default_rng(seed=1)
X = rng.normal(size=(5, 3))
y = rng.integers(0, 2, size=(5, 1)).astype(float)

with backend.using(dtype="float64"):
    model = Sequential([Dense(4, activation="tanh", input_shape=(3,)),
                        Dense(1, activation="sigmoid")], seed=1)
model.compile(optimizer="sgd", loss="mse")
out = model.forward(X)
model.backward_loss(y, out)
hidden, output = model.layers
print(f"loss = {float(model.compute_loss(y, out)):.4f}")

# %% [markdown]
# The same gradients in plain NumPy. Read each line against the four steps of the lesson:
# through the activation, weight gradient, bias gradient, gradient handed down.

# %%
W1, b1, W2, b2 = model.get_weights()
z1 = X @ W1 + b1
a1 = np.tanh(z1)
z2 = a1 @ W2 + b2
a2 = 1 / (1 + np.exp(-z2))

G = 2 * (a2 - y) / y.size          # dL/da2 for the mean squared error
delta2 = G * a2 * (1 - a2)         # through the sigmoid
dW2 = a1.T @ delta2
G1 = delta2 @ W2.T                 # handed to the hidden layer
delta1 = G1 * (1 - a1**2)          # through tanh
dW1 = X.T @ delta1

for name, mine, theirs in [("dW2", dW2, output.dW), ("dW1", dW1, hidden.dW)]:
    print(f"{name}: largest difference from nnlib {np.abs(mine - theirs).max():.1e}")

# %% [markdown]
# **Self-check.** Write the bias gradient of the hidden layer, `db1`, from the arrays above.

# %% tags=["answer"]
db1 = None   # from delta1

# %%
if db1 is None:
    print("Self-check: not answered yet. Compute db1 above, then run this cell again.")
elif np.allclose(db1, hidden.db):
    print("Self-check passed: db1 matches nnlib's hidden.db.")
else:
    print("Self-check failed: db1 is the sum of delta1 over the batch (axis 0).")

# %% [markdown]
# ## 2. Gradient size per layer
#
# A deeper network on 128 handwritten digits: one backward pass, then the size of each layer's
# weight gradient. **Try this:** change `ACTIVATION` to `"tanh"`, `"relu"` or `"swish"`, or
# change `DEPTH`, and see how fast the gradient fades on its way to the first layer.

# %%
ACTIVATION = "sigmoid"
DEPTH = 8

digits, labels = data.load_digits()
batch = np.random.default_rng(0).choice(len(digits), size=128, replace=False)
deep = Sequential([Dense(32, activation=ACTIVATION, input_shape=(64,))]
                  + [Dense(32, activation=ACTIVATION) for _ in range(DEPTH - 1)]
                  + [Dense(10, activation="softmax")], seed=0)
deep.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
deep.backward_loss(labels[batch], deep.forward(digits[batch]))
norms = [float(np.linalg.norm(layer.dW)) for layer in deep.layers]
for i, norm in enumerate(norms, start=1):
    print(f"layer {i:2d}: |dW| = {norm:.2e}")

fig, ax = plt.subplots(figsize=(6, 3))
ax.semilogy(range(1, len(norms) + 1), norms, marker="o")
ax.set_xlabel("layer (1 = input side)")
ax.set_ylabel("|dW|")
ax.set_title(f"{ACTIVATION}, {DEPTH} hidden layers")
plt.show()

# %% [markdown]
# ## 3. Your own derivative, checked numerically
#
# The *softsign* activation is $f(x) = x / (1 + |x|)$. Its derivative is
# $f'(x) = 1 / (1 + |x|)^2$. Complete `df` below: it receives the upstream gradient and must
# return the gradient with respect to the layer's input `self.x`.

# %% tags=["answer"]
class Softsign(Activation):
    def f(self, x):
        return x / (1 + np.abs(x))

    def df(self, grad):
        ...  # return the gradient with respect to self.x


# %% [markdown]
# **Self-check.** The gradient check compares your `df` with central differences.

# %%
inputs = np.random.default_rng(0).normal(size=(6, 4))
probe = Softsign()
probe.forward(inputs)
if probe.backward(np.ones_like(inputs)) is None:
    print("Self-check: not answered yet. Complete df above, then run this cell again.")
else:
    error = gradcheck.check_layer(Softsign(), inputs)
    print(f"relative error {error:.1e}")
    if error < 1e-6:
        print("Self-check passed: your derivative agrees with the numerical one.")
    else:
        print("Self-check failed: multiply grad by 1 / (1 + |x|)**2, "
              "using self.x (the layer's input).")

# %% [markdown]
# ## 4. Where a value feeds several units, the gradients add
#
# In part 1, every input $x_{ni}$ feeds all four hidden units, through the weights
# $W^{(1)}_{ij}$, $j = 1, \dots, 4$. The chain rule sums over every place a value is used, so
# its gradient is the sum of four paths, one through each hidden unit $j$:
# $\partial L / \partial x_{ni} = \sum_j \delta^{(1)}_{nj} W^{(1)}_{ij}$. Here are the four paths
# of the first input of the first example.

# %%
paths = delta1[0] * W1[0]
print("the four paths of x[0, 0]:", np.round(paths, 5),
      f" their sum {paths.sum():+.5f}")

# %% [markdown]
# **Self-check.** Write the gradient of the loss with respect to the whole input batch `X`
# (shape (5, 3)), every entry's paths summed, as one matrix product of `delta1` and `W1`.

# %% tags=["answer"]
my_dX = None   # from delta1 and W1

# %%
dX_nnlib = model.backward_loss(y, model.forward(X))   # nnlib's gradient for the inputs


def loss_at(inputs):
    """The loss as a function of the input batch alone, the weights held fixed."""
    return model.compute_loss(y, model.forward(inputs))


dX_nudged = gradcheck.numerical_gradient(loss_at, X.copy())
dX_gap = np.abs(dX_nnlib - dX_nudged).max()
print(f"nnlib's dX against nudging each input: largest gap {dX_gap:.0e}")
if my_dX is None:
    print("Self-check: not answered yet. "
          "Compute my_dX above, then run this cell again.")
elif np.shape(my_dX) == X.shape and np.allclose(my_dX, dX_nnlib):
    print("Self-check passed: my_dX matches nnlib's gradient for the inputs, "
          "paths summed.")
else:
    print("Self-check failed: each input feeds all four hidden units, "
          "so add the four paths:")
    print("the product of delta1 (5 x 4) and the transpose of W1 (3 x 4).")
