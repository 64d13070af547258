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
# # Lab: applications, ethics and what comes next
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). The whole lab takes a few seconds.
#
# Two experiments from the lesson, with the knobs in your hands: how a rare group fares when
# a model is trained on skewed data, and how federated averaging copes with clients that hold
# different data.

# %%
import numpy as np
import matplotlib.pyplot as plt

from nnlib import SGD, Dense, Sequential, Softmax, data

# %% [markdown]
# ## 1. Bias from imbalanced data
#
# Group A and group B follow different rules. Set how many training examples group B gets
# (`n_b`, out of 2,000) and how many times each of them is repeated during training
# (`repeat_b`, 1 = no reweighting). Every setting is tested on 1,000 fresh people of each group.

# %%
n_b = 100          # try 20, 100, 500
repeat_b = 19      # try 1, 5, 19

rng = np.random.default_rng(3)   # one generator for every draw, as in the lesson


def train_classifier(X, y):
    model = Sequential([Dense(16, activation="relu", input_shape=(2,)),
                        Dense(16, activation="relu"),
                        Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=20, batch_size=32, verbose=0)
    return model


Xa, ya = data.make_people(2000 - n_b, "A", rng)
Xb, yb = data.make_people(n_b, "B", rng)
test_a, test_b = data.make_people(1000, "A", rng), data.make_people(1000, "B", rng)
results = {}
for repeats in sorted({1, repeat_b}):
    X = np.vstack([Xa] + [Xb] * repeats)
    y = np.concatenate([ya] + [yb] * repeats)
    model = train_classifier(X, y)
    results[repeats] = (model.evaluate(*test_a)[1], model.evaluate(*test_b)[1])
    accuracy_a, accuracy_b = results[repeats]
    print(f"group B repeated {repeats:2d}x: "
          f"group A {accuracy_a:.1%}, group B {accuracy_b:.1%}")

fig, ax = plt.subplots(figsize=(5, 3))
labels = [f"B x{r}" for r in results]
places = np.arange(len(results))
ax.bar(places - 0.2, [a for a, _ in results.values()], 0.4, label="group A")
ax.bar(places + 0.2, [b for _, b in results.values()], 0.4, label="group B")
ax.set_xticks(range(len(results)), labels)
ax.set_ylabel("test accuracy")
ax.set_ylim(0, 1.05)
ax.legend()
plt.show()

# %% [markdown]
# **Self-check.** With the shipped settings (`n_b = 100`, `repeat_b = 19`), which group gains
# more from reweighting, and does the other group lose accuracy? Write `"A"` or `"B"` for the
# group that gains most, and `True` or `False` for whether the other one loses.

# %% tags=["answer"]
my_group_that_gains = None    # "A" or "B"
my_other_group_loses = None   # True or False

# %%
gain_a = results[repeat_b][0] - results[1][0]
gain_b = results[repeat_b][1] - results[1][1]
gainer, other_change = ("B", gain_a) if gain_b > gain_a else ("A", gain_b)
if my_group_that_gains is None or my_other_group_loses is None:
    print("Self-check: not answered yet. Set my_group_that_gains and "
          "my_other_group_loses above, then run this cell again.")
elif repeat_b == 1:
    print("Self-check failed: set repeat_b above 1 so that there is "
          "a reweighted model to compare.")
elif my_group_that_gains == gainer and my_other_group_loses == (other_change < 0):
    print(f"Self-check passed: group {gainer} gains {max(gain_a, gain_b):+.1%}; "
          f"the other changes by {other_change:+.1%}.")
else:
    print(f"Self-check failed: group A changed by {gain_a:+.1%} "
          f"and group B by {gain_b:+.1%}.")

# %% [markdown]
# ## 2. Federated averaging
#
# Five clients each hold some of the training digits and never share them. Set the number of
# rounds, and whether each client holds only two kinds of digit (`skewed = True`, as in the
# lesson) or a random share of everything (`skewed = False`).

# %%
rounds = 10        # try 5, 10, 20
skewed = True      # try False

X_train, X_test, y_train, y_test = data.load_digits(test=0.25, rng=0)
Y_train, Y_test = data.one_hot(y_train, 10), data.one_hot(y_test, 10)


def digit_net(optimizer="adam"):
    model = Sequential([Dense(32, activation="relu", input_shape=(64,)),
                        Dense(10), Softmax()], seed=0)
    model.compile(optimizer=optimizer, loss="categorical_crossentropy",
                  metrics=["accuracy"])
    return model


if skewed:
    clients = [np.flatnonzero(y_train // 2 == k) for k in range(5)]
else:
    clients = np.array_split(np.random.default_rng(7).permutation(len(y_train)), 5)
sizes = np.array([len(c) for c in clients])
server, workers = digit_net(), [digit_net(SGD(0.1)) for _ in clients]
curve = []
for round_ in range(rounds):
    updates = []
    for worker, held in zip(workers, clients):
        worker.set_weights(server.get_weights())
        worker.fit(X_train[held], Y_train[held], epochs=1, batch_size=32, verbose=0,
                   seed=round_)
        updates.append(worker.get_weights())
    # the server's new weights: the clients' weights, weighted by their example counts
    averaged = [sum(n * u[j] for n, u in zip(sizes, updates)) / sizes.sum()
                for j in range(len(updates[0]))]
    server.set_weights(averaged)
    curve.append(server.evaluate(X_test, Y_test)[1])
central = digit_net(SGD(0.1))
central.fit(X_train, Y_train, epochs=rounds, batch_size=32, verbose=0)
central_accuracy = central.evaluate(X_test, Y_test)[1]
print(f"federated after {rounds} rounds: {curve[-1]:.1%}; "
      f"central after {rounds} epochs: {central_accuracy:.1%}")

fig, ax = plt.subplots(figsize=(5, 3))
ax.plot(range(1, rounds + 1), curve, marker="o", label="federated")
ax.axhline(central_accuracy, linestyle="--", color="C1", label="central, final")
ax.set_xlabel("round")
ax.set_ylabel("test accuracy")
ax.legend()
plt.show()

# %% [markdown]
# **Self-check.** Does federated averaging beat what a single client could do alone? A client
# holding two digits can be right at most on those two, about 20 % of the test set. Write the
# accuracy you expect federated averaging to exceed after your number of rounds.

# %% tags=["answer"]
my_federated_beats = None   # an accuracy, e.g. 0.5 for 50 %

# %%
if my_federated_beats is None:
    print("Self-check: not answered yet. Set my_federated_beats above, "
          "then run this cell again.")
elif curve[-1] > my_federated_beats >= 0.2:
    print(f"Self-check passed: {curve[-1]:.1%} is above {my_federated_beats:.0%}; "
          "the clients learned together what none could learn alone.")
else:
    print(f"Self-check failed: federated reached {curve[-1]:.1%}; "
          "pick a bar of at least 20 % that it clears, or run more rounds.")
