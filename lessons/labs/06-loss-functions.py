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
# # Lab: loss functions
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the label and the score in the next cell, run the cells
# again, and see how each loss and its gradient respond.

# %%
LABEL = 1          # the true class: 1 or 0
SCORE = -2.0       # the network's raw score (logit) z; try -6, 0, 0.5, 3

# %%
import matplotlib.pyplot as plt
import numpy as np

from nnlib import Dense, Sequential, data, losses, optimizers
from nnlib.layers import Sigmoid

mse, hinge = losses.get("mse"), losses.get("hinge")
bce = losses.get("binary_crossentropy")


def report(label, score):
    """Each loss of one example, and the gradient it sends back to the score z."""
    y, z = np.array([[float(label)]]), np.array([[float(score)]])
    rows = []
    for name, loss in [("squared error", mse), ("cross-entropy", bce)]:
        sig = Sigmoid()
        p = sig.forward(z)
        dz = sig.backward(loss.gradient(y, p))
        rows.append((name, float(loss(y, p)), float(dz[0, 0])))
    rows.append(("hinge", float(hinge(y, z)), float(hinge.gradient(y, z)[0, 0])))
    return float(Sigmoid().forward(z)[0, 0]), rows


p, rows = report(LABEL, SCORE)
print(f"label {LABEL}, score z = {SCORE:+.2f}, probability p = sigmoid(z) = {p:.3f}\n")
print(f"{'loss':15}{'value':>9}{'dL/dz':>9}")
for name, value, grad in rows:
    print(f"{name:15}{value:9.3f}{grad:9.3f}")

zs = np.linspace(-6, 6, 121)
curves = {name: [] for name, _, _ in rows}
for z in zs:
    for name, value, _ in report(LABEL, z)[1]:
        curves[name].append(value)
fig, ax = plt.subplots(figsize=(6.5, 3.8))
for name, values in curves.items():
    ax.plot(zs, values, label=name)
for name, value, _ in rows:
    ax.plot([SCORE], [value], "ko", markersize=4)
ax.set_xlabel("score z")
ax.set_ylabel("loss")
ax.set_ylim(0, 6)
ax.set_title(f"label {LABEL}: your score is marked")
ax.legend()
plt.show()

# %% [markdown]
# **Try it.** Make the score very wrong (for label 1, `SCORE = -6`). Which gradient is largest
# in size, and which almost vanishes?
#
# ## Training with each loss
#
# The same network, from the same starting weights, trained on the two-moons data once with
# squared error and once with cross-entropy. Change `EPOCHS` or the learning rate and compare.

# %%
EPOCHS, LEARNING_RATE = 60, 0.5

X, y = data.make_moons(400, noise=0.15, rng=0)
fig, ax = plt.subplots(figsize=(6.5, 3.8))
for loss in ["mse", "binary_crossentropy"]:
    model = Sequential([Dense(16, activation="tanh", input_shape=(2,)),
                        Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer=optimizers.SGD(learning_rate=LEARNING_RATE), loss=loss,
                  metrics=["accuracy"])
    history = model.fit(X, y, epochs=EPOCHS, batch_size=32, verbose=0)
    accuracies = history.history["accuracy"]
    ax.plot(accuracies, label=loss)
    print(f"{loss:22} training accuracy after {EPOCHS} epochs: {accuracies[-1]:.1%}")
ax.set_xlabel("epoch")
ax.set_ylabel("training accuracy")
ax.legend()
plt.show()

# %% [markdown]
# **Self-check.** An example has label 1 and predicted probability 0.25. Compute its binary
# cross-entropy by hand (with `np.log`) and put it below.

# %% tags=["answer"]
my_bce = None

# %%
truth = float(bce(np.array([[1.0]]), np.array([[0.25]])))
if my_bce is None:
    print("Self-check: not answered yet. "
          "Compute my_bce above, then run this cell again.")
elif abs(my_bce - truth) < 1e-4:
    print(f"Self-check passed: the loss is {truth:.4f}.")
else:
    print("Self-check failed: for label 1 the loss is "
          "minus the log of the probability of class 1.")

# %% [markdown]
# **Self-check.** A network sorts photos into 5 kinds of flower, one kind per photo, and the
# labels are integers 0 to 4. Which nnlib loss name fits?

# %% tags=["answer"]
my_loss = None   # a loss name, as a string

# %%
ok = my_loss == "sparse_categorical_crossentropy"
if ok:
    flowers = Sequential([Dense(5, activation="softmax", input_shape=(3,))], seed=0)
    flowers.compile(optimizer="adam", loss=my_loss)
    ok = np.isfinite(flowers.evaluate(np.zeros((4, 3)), np.array([0, 1, 4, 2])))
if my_loss is None:
    print("Self-check: not answered yet. Set my_loss above, then run this cell again.")
elif ok:
    print("Self-check passed: a softmax over 5 classes")
    print("with categorical cross-entropy on integer labels.")
else:
    print("Self-check failed: one label out of several classes "
          "calls for a softmax output")
    print("and categorical cross-entropy; integer labels (not one-hot rows) "
          "take its sparse_ form.")

# %% [markdown]
# ## The softmax Jacobian
#
# Each softmax output $a_i = e^{z_i} / \sum_j e^{z_j}$ depends on every logit. The quotient rule
# gives $\partial a_i / \partial z_j = a_i(\delta_{ij} - a_j)$, one matrix $J$ for the whole layer.
# nnlib's `Softmax.backward` multiplies an incoming gradient by it, so feeding it each unit vector
# in turn reads the matrix out, row by row. **Try this:** change the logits `z_demo`; the columns
# always sum to zero, because the probabilities always sum to 1.

# %%
from nnlib.layers import Softmax

z_demo = np.array([[1.0, 2.0, 3.0]])
soft = Softmax()
a_demo = soft.forward(z_demo)[0]
J_nnlib = np.stack([soft.backward(np.eye(3)[[i]])[0] for i in range(3)])
print("a =", np.round(a_demo, 3))
column_sums = np.round(J_nnlib.sum(axis=0), 12) + 0
print("J =\n", np.round(J_nnlib, 3), "\ncolumn sums", column_sums)

# %% [markdown]
# **Self-check.** Write the Jacobian of the softmax at `a_demo`, a 3 × 3 matrix, with NumPy
# (`np.diag`, `np.outer`).

# %% tags=["answer"]
my_J = None   # from a_demo

# %%
if my_J is None:
    print("Self-check: not answered yet. Compute my_J above, then run this cell again.")
elif np.shape(my_J) == (3, 3) and np.allclose(my_J, J_nnlib, atol=1e-6):
    print("Self-check passed: your matrix is the one "
          "nnlib's Softmax.backward multiplies by.")
else:
    print("Self-check failed: the diagonal holds a_i (1 - a_i) "
          "and every other entry is -a_i a_j:")
    print("diag(a) minus the outer product of a with itself.")

# %% [markdown]
# ## Cross-entropy, entropy and KL divergence
#
# Cross-entropy compares a target distribution $p$ with a prediction $q$:
# $H(p, q) = -\sum_c p_c \log q_c$. The Kullback–Leibler divergence is what it adds on top of the
# target's own entropy $H(p) = H(p, p)$: $D_{\mathrm{KL}}(p \,\|\, q) = H(p, q) - H(p) \ge 0$.
# nnlib's categorical cross-entropy computes $H(p, q)$ for soft targets too. **Try this:** change
# `q_demo` and see which of the three numbers move.

# %%
cce = losses.get("categorical_crossentropy")
p_demo, q_demo = np.array([[0.7, 0.2, 0.1]]), np.array([[0.4, 0.4, 0.2]])
cross, entropy = cce(p_demo, q_demo), cce(p_demo, p_demo)
print(f"H(p, q) = {float(cross):.4f}, H(p) = {float(entropy):.4f}, "
      f"KL(p || q) = {float(cross - entropy):.4f}")

# %% [markdown]
# **Self-check.** A target says "class 0 or class 1, equally likely": $p = (0.5, 0.5)$. The
# network predicts $q = (0.9, 0.1)$. Compute $D_{\mathrm{KL}}(p \,\|\, q)$ with `np.log`.

# %% tags=["answer"]
my_kl = None

# %%
p_check, q_check = np.array([[0.5, 0.5]]), np.array([[0.9, 0.1]])
kl_check = float(cce(p_check, q_check) - cce(p_check, p_check))
if my_kl is None:
    print("Self-check: not answered yet. "
          "Compute my_kl above, then run this cell again.")
elif abs(my_kl - kl_check) < 1e-4:
    cross, entropy = float(cce(p_check, q_check)), float(cce(p_check, p_check))
    print(f"Self-check passed: KL(p || q) = {kl_check:.4f}, "
          f"the cross-entropy {cross:.4f}")
    print(f"minus the target's entropy {entropy:.4f}.")
else:
    print("Self-check failed: KL(p || q) is the sum over classes of p * log(p / q),")
    print("weighted by the target p; swapping p and q gives a different number.")

# %% [markdown]
# ## Label smoothing
#
# With one-hot targets, cross-entropy always wants the true class's probability closer to 1, so
# training keeps pushing the logits apart. Label smoothing mixes the target with the uniform
# distribution, $y \to (1 - \varepsilon)\,y + \varepsilon / k$. Gradient descent on the logits of
# one example, with and without it. **Try this:** change `SMOOTHING` or the number of classes.

# %%
SMOOTHING, K_CLASSES = 0.1, 3


def smoothed_best(smoothing, k, steps):
    """The true class's probability after `steps` of SGD on the logits of one example
    of class 0."""
    loss = losses.CategoricalCrossentropy(from_logits=True, label_smoothing=smoothing)
    logits, sgd = np.zeros((1, k)), optimizers.SGD(learning_rate=1.0)
    for _ in range(steps):
        sgd.step([(logits, loss.gradient(np.eye(k)[[0]], logits))])
    return float(Softmax().forward(logits)[0, 0])


STEPS = (100, 1000, 3000)
print(f"probability of the true class after {', '.join(map(str, STEPS))} steps:")
for smoothing in (0.0, SMOOTHING):
    best = [round(smoothed_best(smoothing, K_CLASSES, steps), 4) for steps in STEPS]
    print(f"smoothing {smoothing}:", best)

# %% [markdown]
# **Self-check.** With 10 classes and $\varepsilon = 0.1$, which probability for the true class
# does the smoothed loss want, the one that minimizing it reaches and keeps?

# %% tags=["answer"]
my_smoothed_p = None

# %%
reached = smoothed_best(0.1, 10, 3000)
if my_smoothed_p is None:
    print("Self-check: not answered yet. "
          "Set my_smoothed_p above, then run this cell again.")
elif abs(my_smoothed_p - reached) < 1e-3:
    print(f"Self-check passed: minimizing the smoothed loss stops at {reached:.4f}, "
          "the smoothed target.")
else:
    print("Self-check failed: the best prediction is the smoothed target itself:")
    print("1 - epsilon for the one-hot part plus epsilon / k from the uniform part.")
