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
# # Lab: one layer or two? XOR with nnlib
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the numbers in the cells marked **Try this** and run the
# cells again.
#
# In the lesson, a single neuron failed on XOR and a network with one hidden layer of four
# neurons succeeded. Here you find out how many hidden neurons XOR really needs, and how much
# luck (the random seed of the initial weights) is involved. Last, you run Rosenblatt's perceptron
# learning rule by hand.

# %%
import matplotlib.pyplot as plt
import numpy as np

from nnlib import Adam, Dense, Sequential
from nnlib.data import xor_truth_table

X, y = xor_truth_table()


def train_xor(hidden_units, seed, epochs=400):
    """A model for XOR: no hidden layer if hidden_units == 0, else one tanh layer."""
    if hidden_units == 0:
        layers = [Dense(1, activation="sigmoid", input_shape=(2,))]
    else:
        layers = [Dense(hidden_units, activation="tanh", input_shape=(2,)),
                  Dense(1, activation="sigmoid")]
    model = Sequential(layers, seed=seed)
    model.compile(optimizer=Adam(learning_rate=0.05), loss="binary_crossentropy",
                  metrics=["accuracy"])
    model.fit(X, y, epochs=epochs, batch_size=4, verbose=0)
    return model


# %% [markdown]
# **Try this.** Which hidden-layer sizes and random seeds to compare. Zero means no hidden layer at all:
# the single neuron of 1958.

# %%
HIDDEN_SIZES = [0, 1, 2, 3, 4, 8]
SEEDS = [0, 1, 2, 3, 4]

# %%
print("hidden units | accuracy for each seed       | solved")
for units in HIDDEN_SIZES:
    accuracies = [train_xor(units, seed).evaluate(X, y)[1] for seed in SEEDS]
    solved = sum(a == 1.0 for a in accuracies)
    row = " ".join(f"{a:4.0%}" for a in accuracies)
    print(f"{units:12d} | {row:28s} | {solved}/{len(SEEDS)}")

# %% [markdown]
# Zero hidden units never gets past 75 %: a single neuron draws a straight line. One hidden
# tanh unit cannot do it either (the output is still a monotone function of one line). Two
# units are enough in principle, but training does not always find the solution; with more
# units, more random seeds succeed. Extra neurons make the problem *easier to train*, not just possible.
#
# **Try this.** Pick one size and one random seed and look at the decision boundary.

# %%
UNITS, SEED = 2, 0

model = train_xor(UNITS, SEED)
g = np.linspace(-0.5, 1.5, 121, dtype=np.float32)
gx, gy = np.meshgrid(g, g)
grid = np.column_stack([gx.ravel(), gy.ravel()])
p = model.predict(grid, batch_size=len(grid)).reshape(gx.shape)

fig, ax = plt.subplots(figsize=(4.5, 4))
ax.imshow(p, origin="lower", extent=(-0.5, 1.5, -0.5, 1.5), cmap="PuOr", vmin=0, vmax=1)
ax.contour(gx, gy, p, levels=[0.5], colors="black")
for label, marker in ((0, "o"), (1, "s")):
    ax.scatter(*X[y == label].T, marker=marker, s=200, color="white",
               edgecolors="black", label=f"XOR = {label}")
accuracy = model.evaluate(X, y)[1]
ax.set_title(f"{UNITS} hidden units, seed {SEED}: accuracy {accuracy:.0%}")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2)
plt.show()

# %% [markdown]
# ## Self-check: XOR by hand
#
# McCulloch and Pitts set weights by hand. Do the same with nnlib: a hidden layer of two
# sigmoid neurons and a sigmoid output. Choose the weights so that the network outputs
# (close to) 0, 1, 1, 0 for the four inputs.
#
# Hint: one hidden neuron can compute OR, the other NAND, and the output AND of the two.
# A sigmoid behaves like a threshold when its weights are large, so scale everything up.
# `W` has one row per input and one column per neuron (see the notation page).

# %% tags=["answer"]
W1 = None   # a 2 x 2 array: column 0 computes OR, column 1 NAND
b1 = None   # their two biases
W2 = None   # a 2 x 1 array: the AND of the two hidden neurons
b2 = None   # its bias (an array of one number)

# %%
if any(v is None for v in (W1, b1, W2, b2)):
    print("Self-check: not answered yet. "
          "Fill in W1, b1, W2 and b2 above, then run this cell again.")
else:
    hand = Sequential([Dense(2, activation="sigmoid", input_shape=(2,)),
                       Dense(1, activation="sigmoid")])
    hand.set_weights([np.asarray(W1, dtype=float), np.asarray(b1, dtype=float),
                      np.asarray(W2, dtype=float), np.asarray(b2, dtype=float)])
    out = hand.predict(X)[:, 0]
    for inputs, o in zip(X, out):
        print(f"XOR{tuple(int(v) for v in inputs)} -> {o:.3f}")
    if np.all((out > 0.5) == (y == 1)) and np.all(np.abs(out - y) < 0.1):
        print("Self-check passed: your hand-set network computes XOR.")
    else:
        print("Self-check failed: some output is on the wrong side of 0.5")
        print("(or not within 0.1 of the target).")
        print("Check that each hidden neuron computes OR and NAND on its own first.")

# %% [markdown]
# ## The perceptron learning rule
#
# Rosenblatt's rule changes nothing when the neuron answers right, and moves the weights
# towards the right answer when it is wrong: $w \leftarrow w + \eta\,(y - \hat y)\,x$ and
# $b \leftarrow b + \eta\,(y - \hat y)$, with $\hat y = \operatorname{step}(w \cdot x + b)$
# (1 above 0, else 0). **Try this:** train it on other truth tables (OR, NAND) and on XOR.

# %%
from nnlib import perceptron

TRUTH_TABLES = {"AND": [0, 0, 0, 1], "OR": [0, 1, 1, 1], "XOR": [0, 1, 1, 0]}

for name, labels in TRUTH_TABLES.items():
    w_rule, b_rule, mistakes = perceptron.train_perceptron(X, labels, epochs=8)
    print(f"{name:3s}: mistakes per pass {mistakes}, "
          f"ends at w = {w_rule.tolist()}, b = {b_rule}")

# %% [markdown]
# **Self-check.** Run the rule by hand, with $\eta = 1$. Start from $w = (0, 0)$, $b = 0$, show it
# the example $x = (1, 1)$ with label 1, then the example $x = (1, 0)$ with label 0. Which weights
# and bias does it hold after these two examples?

# %% tags=["answer"]
my_w = None   # two numbers
my_b = None   # one number

# %%
w_check, b_check = np.zeros(2), 0.0
for x_example, label in (([1.0, 1.0], 1), ([1.0, 0.0], 0)):
    w_check, b_check = perceptron.perceptron_update(w_check, b_check,
                                                    np.array(x_example), label)
if my_w is None or my_b is None:
    print("Self-check: not answered yet. "
          "Set my_w and my_b above, then run this cell again.")
elif (np.shape(my_w) == (2,) and np.allclose(my_w, w_check)
      and np.isclose(my_b, b_check)):
    print(f"Self-check passed: w = {w_check.tolist()}, b = {b_check}, "
          "as nnlib's perceptron_update says.")
else:
    print("Self-check failed: step(0) is 0, so the first example is a miss")
    print("that adds x to w and 1 to b; "
          "then check whether the second example fires the neuron,")
    print("and the bias moves too.")
