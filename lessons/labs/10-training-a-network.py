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
# # Lab: training a network
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README).
#
# You get the lesson's messy table (two features in very different units, with holes), clean
# and scale it, and train with your own loop. Change the settings and run the cells again.

# %%
import numpy as np
import matplotlib.pyplot as plt

from nnlib import SGD, Adam, Dense, Sequential, backend, data

X, y = data.make_moons(400, noise=0.2, rng=1)
scale = np.array([1000.0, 0.001], dtype=np.float32)
shift = np.array([5000.0, 0.0], dtype=np.float32)
X = X * scale + shift
X[np.random.default_rng(0).random(X.shape) < 0.05] = np.nan
X_train, X_val, X_test, y_train, y_val, y_test = data.train_val_test_split(
    X, y, val=0.2, test=0.2, rng=0, stratify=True)
print("NaNs in the training part:", int(np.isnan(X_train).sum()))

# %% [markdown]
# **Self-check 1.** Compute the values to fill the holes with: one mean per column, learned
# without leaking anything from the validation or test sets. (`np.nanmean` ignores NaNs.)

# %% tags=["answer"]
my_means = None

# %%
train_means = np.nanmean(X_train, axis=0)
if my_means is None:
    print("Self-check: not answered yet. "
          "Compute my_means above, then run this cell again.")
elif np.shape(my_means) == (2,) and np.allclose(my_means, train_means):
    print("Self-check passed: means from the training part only.")
else:
    print("Self-check failed: one mean per column (axis=0), from X_train alone, "
          "ignoring NaNs.")


def impute(A, means):
    A = A.copy()
    rows, cols = np.nonzero(np.isnan(A))
    A[rows, cols] = means[cols]
    return A


# The rest of the lab fills the holes with the training means,
# whatever the answer above.
X_train, X_val, X_test = (impute(A, train_means) for A in (X_train, X_val, X_test))

# %% [markdown]
# ## Your settings
#
# Switch scaling off, try another optimizer, learning rate or batch size.

# %%
standardize = True
optimizer = "sgd"            # "sgd" or "adam"
learning_rate = 0.3
batch_size = 16
epochs = 60

# %%
if standardize:
    scaler = data.Standardizer().fit(X_train)
    A_train, A_val = scaler.transform(X_train), scaler.transform(X_val)
else:
    A_train, A_val = X_train, X_val


def make_model():
    model = Sequential([Dense(16, activation="tanh", input_shape=(2,)),
                        Dense(16, activation="tanh"),
                        Dense(1, activation="sigmoid")], seed=0)
    if optimizer == "sgd":
        opt = SGD(learning_rate=learning_rate)
    else:
        opt = Adam(learning_rate=learning_rate)
    model.compile(optimizer=opt, loss="binary_crossentropy", metrics=["accuracy"])
    return model


def train(model, X, y, X_val, y_val, epochs, batch_size):
    """The training loop written out: forward, loss, backward, step; then validation."""
    curves = {"loss": [], "val_loss": [], "val_accuracy": []}
    Y = y[:, None].astype(np.float32)
    for epoch in range(epochs):
        order = model.rng.permutation(len(X))
        total = 0.0
        for start in range(0, len(order), batch_size):
            batch = order[start:start + batch_size]
            xb, yb = backend.asarray(X[batch]), backend.asarray(Y[batch])
            y_pred = model.forward(xb, training=True)
            total += float(model.loss(yb, y_pred)) * len(batch)
            model.backward(model.loss.gradient(yb, y_pred))
            model.optimizer.step(model.parameter_gradient_pairs())
        val_loss, val_accuracy = model.evaluate(X_val, y_val)
        curves["loss"].append(total / len(X))
        curves["val_loss"].append(val_loss)
        curves["val_accuracy"].append(val_accuracy)
    return curves


curves = train(make_model(), A_train, y_train, A_val, y_val, epochs, batch_size)
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
left.plot(curves["loss"], label="training loss")
left.plot(curves["val_loss"], "--", label="validation loss")
left.legend()
right.plot(curves["val_accuracy"])
right.set_ylabel("validation accuracy")
for ax in (left, right):
    ax.set_xlabel("epoch")
plt.show()
print(f"final validation accuracy {curves['val_accuracy'][-1]:.1%}")

# %% [markdown]
# ## A learning-rate sweep
#
# Plain SGD on the standardized table, the same network, five learning rates on a log scale.

# %%
scaler = data.Standardizer().fit(X_train)
S_train, S_val = scaler.transform(X_train), scaler.transform(X_val)
sweep = {}
for lr in (0.001, 0.01, 0.1, 1.0, 10.0):
    model = Sequential([Dense(16, activation="tanh", input_shape=(2,)),
                        Dense(16, activation="tanh"),
                        Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer=SGD(learning_rate=lr), loss="binary_crossentropy",
                  metrics=["accuracy"])
    h = model.fit(S_train, y_train, validation_data=(S_val, y_val), epochs=30,
                  batch_size=16, verbose=0).history
    sweep[lr] = h["val_accuracy"][-1]
    print(f"learning rate {lr:6g}: validation accuracy {sweep[lr]:.1%}")

# %% [markdown]
# **Self-check 2.** From the sweep, which learning rate would you pick? Write it below.

# %% tags=["answer"]
my_learning_rate = None

# %%
best = max(sweep.values())
if my_learning_rate is None:
    print("Self-check: not answered yet. "
          "Set my_learning_rate above, then run this cell again.")
elif sweep.get(my_learning_rate, -1) >= best - 1e-9:
    print("Self-check passed: that is the best of the sweep (ties count).")
else:
    print(f"Self-check failed: the sweep printed {best:.1%} for the best rate;")
    print("pick one of the values tried.")

# %% [markdown]
# ## Sanity checks before training
#
# Two checks take a second each. **The loss at initialization:** small random weights give every
# one of the $C$ classes a probability near $1/C$, so the first cross-entropy should be near
# $-\ln(1/C) = \ln C$; a first loss far above it means the network starts out confidently wrong.
# **Overfit one tiny batch:** a network that cannot memorize 20 examples has a bug in the model
# or the training code. Both on the four-armed spirals. **Try this:** change `LOUD`, or give
# `fresh` the learning rate 1e-5 and see the tiny-batch check fail.

# %%
LOUD = 10          # the factor on loud's initial weights

X_arms, y_arms = data.make_spirals(400, n_classes=4, rng=0)


def fresh_classifier(n_classes, learning_rate=0.05, seed=0):
    model = Sequential([Dense(32, activation="relu", input_shape=(2,)),
                        Dense(n_classes, activation="softmax")], seed=seed)
    model.compile(optimizer=Adam(learning_rate=learning_rate),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


fresh = fresh_classifier(4)
print(f"loss before training {fresh.evaluate(X_arms, y_arms)[0]:.3f}")
loud = fresh_classifier(4)
loud.build((2,))
loud.set_weights([LOUD * w for w in loud.get_weights()])
print(f"weights x{LOUD}: loss before training {loud.evaluate(X_arms, y_arms)[0]:.1f}")
tiny = fresh.fit(X_arms[:20], y_arms[:20], epochs=200, batch_size=20, shuffle=False,
                 verbose=0).history
print(f"20 examples, 200 steps: loss {tiny['loss'][0]:.3f} -> {tiny['loss'][-1]:.4f}, "
      f"accuracy {tiny['accuracy'][-1]:.0%}")

# %% [markdown]
# **Self-check 3.** Before running it: what loss do you expect from a freshly initialized network
# with a softmax over 4 classes? Write a number (or a formula with `np`).

# %% tags=["answer"]
my_first_loss = None

# %%
first_losses = [fresh_classifier(4, seed=seed).evaluate(X_arms, y_arms)[0]
                for seed in range(5)]
if my_first_loss is None:
    print("Self-check: not answered yet. "
          "Set my_first_loss above, then run this cell again.")
else:
    print("first loss of 5 fresh networks:", np.round(first_losses, 3))
    if all(abs(my_first_loss - loss) < 0.15 for loss in first_losses):
        print("Self-check passed: every class starts near probability 1/4,")
        print("so the loss starts near ln 4.")
    else:
        print("Self-check failed: each of the C classes gets a probability near 1/C,")
        print("and cross-entropy is minus the log of the true class's probability.")
