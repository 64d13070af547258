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
# # Lab: generalization
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README).
#
# Set the size of the training set, the width of the network and a remedy, then watch the
# training and validation losses. Run the cells again after each change.

# %%
import numpy as np
import matplotlib.pyplot as plt

from nnlib import Adam, Dense, Dropout, EarlyStopping, Sequential, data, losses
from nnlib.regularizers import L1, L2

n_train = 60          # training points (the lesson uses 60)
width = 64            # units in each of the two hidden layers
remedy = "none"       # "none", "l1", "l2", "dropout", "early stopping"
strength = 0.003      # penalty for l1/l2, rate for dropout

# %%
X_val, y_val = data.make_moons(1000, noise=0.35, rng=5)


def make_layers(width, remedy="none", strength=0.0):
    reg = L1(strength) if remedy == "l1" else L2(strength) if remedy == "l2" else None
    layers = [Dense(width, activation="relu", input_shape=(2,), kernel_regularizer=reg)]
    if remedy == "dropout":
        layers.append(Dropout(strength))
    layers.append(Dense(width, activation="relu", kernel_regularizer=reg))
    if remedy == "dropout":
        layers.append(Dropout(strength))
    layers.append(Dense(1, activation="sigmoid", kernel_regularizer=reg))
    return layers


def run(n_train, width, remedy="none", strength=0.0, steps=400):
    X_train, y_train = data.make_moons(n_train, noise=0.35, rng=6)
    model = Sequential(make_layers(width, remedy, strength), seed=0)
    model.compile(optimizer=Adam(learning_rate=0.01), loss="binary_crossentropy",
                  metrics=["accuracy"])
    callbacks = None
    if remedy == "early stopping":
        callbacks = [EarlyStopping(patience=30, restore_best_weights=True)]
    batch = min(n_train, 60)
    epochs = max(1, steps // -(-n_train // batch))
    history = model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=epochs,
                        batch_size=batch, verbose=0, callbacks=callbacks).history
    return model, history


model, history = run(n_train, width, remedy, strength)
plt.figure(figsize=(6, 3.2))
plt.plot(history["loss"], label="training loss")
plt.plot(history["val_loss"], "--", label="validation loss")
plt.yscale("log")
plt.xlabel("epoch")
plt.legend()
plt.show()
print(f"final: training loss {history['loss'][-1]:.3f}, "
      f"validation loss {history['val_loss'][-1]:.3f}, "
      f"best validation loss {min(history['val_loss']):.3f}")

# %% [markdown]
# ## All remedies at once
#
# The table trains the same network with each remedy on your training-set size.

# %%
table = {}
REMEDIES = (("none", "none", 0.0), ("L1 0.003", "l1", 0.003), ("L2 0.003", "l2", 0.003),
            ("dropout 0.5", "dropout", 0.5), ("early stopping", "early stopping", 0.0))
for name, r, s in REMEDIES:
    m, h = run(n_train, width, r, s)
    table[name] = m.evaluate(X_val, y_val)[0]
    print(f"{name:15s} validation loss {table[name]:.3f}")

# %% [markdown]
# **Self-check.** Look at the gap between the final training loss and validation loss of the
# unregularized network for 30 and for 300 training points (change `n_train` above, or trust
# the cell below). Which size has the *smaller* gap? Write 30 or 300.

# %% tags=["answer"]
my_answer = None   # 30 or 300

# %%
if my_answer is None:
    print("Self-check: not answered yet. "
          "Set my_answer above, then run this cell again.")
else:
    gaps = {}
    for n in (30, 300):
        _, h = run(n, width)
        gaps[n] = h["val_loss"][-1] - h["loss"][-1]
        print(f"{n:3d} points: gap between validation and training loss {gaps[n]:.3f}")
    smaller = min(gaps, key=gaps.get)
    if my_answer == smaller:
        print("Self-check passed: more data leaves less room to memorize, "
              "so the gap shrinks.")
    else:
        print("Self-check failed: compare the two gaps printed above;")
        print("which training set is harder to memorize?")

# %% [markdown]
# ## Bias and variance
#
# Train the same network on several training sets drawn from one source, $y = \sin x$ plus noise,
# and look at its predictions at fixed test points. The **bias** is how far the *average*
# prediction is from the truth; the **variance** is how much the predictions spread from one
# training set to the next. Their sum, plus the noise, is the expected squared test error.
# **Try this:** change `UNITS` or `STEPS`.

# %%
UNITS, STEPS, N_SETS = (1, 16), 300, 6

x_grid = np.linspace(-3, 3, 61)[:, None].astype(np.float32)   # the test points
truth = np.sin(x_grid[:, 0])


def fitted_curves(units, steps=STEPS, n_sets=N_SETS):
    """Predictions at x_grid of one network per training set:
    an array (training sets, test points)."""
    curves = []
    for s in range(n_sets):
        X_s, y_s = data.make_regression_1d(20, noise=0.3, rng=100 + s)
        net = Sequential([Dense(units, activation="tanh", input_shape=(1,)), Dense(1)],
                         seed=s)
        net.compile(optimizer=Adam(learning_rate=0.01), loss="mse")
        net.fit(X_s, y_s, epochs=steps, batch_size=20, verbose=0)
        curves.append(net.predict(x_grid)[:, 0])
    return np.array(curves)


curves_by_units = {units: fitted_curves(units) for units in UNITS}
fig, axes = plt.subplots(1, len(UNITS), figsize=(9, 3), sharey=True)
for ax, (units, curves) in zip(axes, curves_by_units.items()):
    ax.plot(x_grid[:, 0], curves.T, color="0.6", linewidth=0.8)
    ax.plot(x_grid[:, 0], truth, "k--", label="sin x")
    ax.set_title(f"{units} tanh units, {N_SETS} training sets")
axes[0].legend()
plt.show()

# %% [markdown]
# **Self-check.** Complete `bias_and_variance(curves)`: the squared bias (the mean over test points
# of the squared gap between the average curve and `truth`) and the variance (the mean over test
# points of the variance across training sets).

# %% tags=["answer"]
def bias_and_variance(curves):
    ...  # return bias2, variance


# %%
if bias_and_variance(curves_by_units[UNITS[0]]) is None:
    print("Self-check: not answered yet.")
    print("Complete bias_and_variance above, then run this cell again.")
else:
    ok, mse = True, losses.get("mse")
    for units, curves in curves_by_units.items():
        bias2, variance = bias_and_variance(curves)
        average = curves.mean(axis=0)
        expected = (np.mean((average - truth) ** 2), np.mean(curves.var(axis=0)))
        errors = [float(mse(truth[:, None], curve[:, None])) for curve in curves]
        error = np.mean(errors)   # nnlib's loss
        ok = (ok and np.allclose((bias2, variance), expected)
              and np.isclose(bias2 + variance, error, rtol=1e-4))
        print(f"{units:2d} tanh units: bias² {bias2:.3f} + variance {variance:.3f} "
              f"= {bias2 + variance:.3f};")
        print(f"    mean squared error from sin x {error:.3f}")
    if ok:
        print("Self-check passed: bias² plus variance is the mean squared error")
        print("of the curves from sin x, as nnlib's loss measures it.")
    else:
        print("Self-check failed: average over the training sets (axis 0) first:")
        print("the bias compares the average curve with the truth,")
        print("the variance is each test point's spread across training sets.")

# %% [markdown]
# ## Double descent
#
# Past the point where a model can fit its training data exactly, the test error can fall again.
# A simple model shows it: map 100 training digits through a fixed random layer of $p$ ReLU
# units (nnlib's `Dense` with its random initial weights, never trained) and fit only the output
# weights, exactly, by least squares. Above $p = 100$ there are many exact fits and
# `np.linalg.lstsq` returns the one with the smallest weights. **Try this:** change `N_DIGITS` or
# the list of widths.

# %%
N_DIGITS = 100

X_digits, y_digits = data.load_digits()
order = np.random.default_rng(0).permutation(len(X_digits))
train_idx, test_idx = order[:N_DIGITS], order[N_DIGITS:]
targets = np.eye(10)[y_digits]


def random_features_fit(p, seed):
    """Test MSE and accuracy of least squares on p fixed random ReLU features
    of the digits."""
    features = Sequential([Dense(p, activation="relu", input_shape=(64,))], seed=seed)
    F_train = features.predict(X_digits[train_idx])
    F_test = features.predict(X_digits[test_idx])
    W_out = np.linalg.lstsq(F_train, targets[train_idx], rcond=None)[0]
    predicted = F_test @ W_out
    squared_error = np.mean((predicted - targets[test_idx]) ** 2)
    accuracy = np.mean(predicted.argmax(axis=1) == y_digits[test_idx])
    return squared_error, accuracy


widths = (10, 25, 50, 100, 200, 400, 1000)
test_mse = [np.mean([random_features_fit(p, seed)[0] for seed in range(3)])
            for p in widths]
plt.figure(figsize=(6, 3.2))
plt.loglog(widths, test_mse, marker="o")
plt.xlabel("random features p")
plt.ylabel("test MSE (mean of 3)")
plt.show()

# %% [markdown]
# **Self-check.** Predict it before you read the plot: at which number of features $p$ is the
# test error worst? Write it for the `N_DIGITS` training digits of the cell above.

# %% tags=["answer"]
my_peak = None   # a number of features

# %%
worst = widths[int(np.argmax(test_mse))]
if my_peak is None:
    print("Self-check: not answered yet. Set my_peak above, then run this cell again.")
else:
    print(f"worst test MSE of the widths tried: p = {worst} ({max(test_mse):.3f})")
    if my_peak == worst:
        print("Self-check passed: the error peaks where the model can first fit")
        print("every training digit exactly.")
    else:
        print("Self-check failed: more features do not mean a worse fit here;")
        print("the peak sits where the number of features first lets least squares fit")
        print("every training digit exactly.")
