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
# # Lab: recurrent networks
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the numbers marked **try this** and run the cells again.
#
# Five parts: (1) cut a series into windows yourself, with a self-check; (2) train a recurrent
# forecaster and compare it with the baselines; (3) scale the recurrent weights of a SimpleRNN and
# watch the gradient vanish or explode over time; (4) truncated backpropagation through time,
# written by you and checked against nnlib's full gradient; (5) what a sequence-to-sequence
# network reads under teacher forcing.

# %%
import matplotlib.pyplot as plt
import numpy as np

from nnlib import GRU, LSTM, Dense, Sequential, SimpleRNN

# %% [markdown]
# ## 1. Windows
#
# A forecaster learns from pairs (the last `width` values, the value that follows). Write
# `make_windows(series, width)`: it returns `X` of shape (samples, width, 1) and `y` of shape
# (samples, 1), where sample `i` holds `series[i:i + width]` and the target `series[i + width]`.

# %% tags=["answer"]
def make_windows(series, width):
    ...  # return X, y


# %% [markdown]
# **Self-check.**

# %%
demo = np.arange(10.0)
if make_windows(demo, 3) is None:
    print("Self-check: not answered yet. "
          "Complete make_windows above, then run this cell again.")
else:
    Xd, yd = (np.asarray(part) for part in make_windows(demo, 3))
    ok = (Xd.shape == (7, 3, 1) and yd.shape == (7, 1)
          and np.array_equal(Xd[2, :, 0], [2.0, 3.0, 4.0]) and yd[2, 0] == 5.0)
    if ok:
        print("Self-check passed: every window is followed by its target.")
    else:
        print("Self-check failed: sample i should be series[i:i + width] "
              "with target series[i + width],")
        print("and there are len(series) - width samples.")

# %% [markdown]
# ## 2. A forecaster against the baselines
#
# The lesson's noisy cycle, sin(2πt/12) plus noise. **Try this:** change `LAYER` to `"SimpleRNN"`,
# `"GRU"` or `"dense"`, raise `NOISE`, shorten `WIDTH` below one season (12), or change `SEED` and
# see how much the ranking of the recurrent layers depends on it.

# %%
LAYER = "LSTM"
NOISE = 0.2
WIDTH = 24
SEED = 0
UNITS = 16

rng = np.random.default_rng(SEED)
t = np.arange(600)
noise = NOISE * rng.normal(size=t.size)
series = np.sin(2 * np.pi * t / 12) + noise
# The windows of section 1, made with NumPy's sliding_window_view
# (the last window has no target).
X = np.lib.stride_tricks.sliding_window_view(series[:-1], WIDTH)[..., None]
y = series[WIDTH:, None]
X_train, y_train, X_test, y_test = X[:400], y[:400], X[400:], y[400:]

layers = {"SimpleRNN": SimpleRNN, "LSTM": LSTM, "GRU": GRU}
if LAYER == "dense":
    hidden = Dense(UNITS, activation="tanh", input_shape=(WIDTH,))
    train_in, test_in = X_train[..., 0], X_test[..., 0]
else:
    hidden = layers[LAYER](UNITS, input_shape=(WIDTH, 1))
    train_in, test_in = X_train, X_test
model = Sequential([hidden, Dense(1)], seed=SEED)
model.compile(optimizer="adam", loss="mse")
history = model.fit(train_in, y_train, epochs=20, batch_size=32, verbose=0)

mse = model.evaluate(test_in, y_test)
if WIDTH >= 12:   # the naive forecast: the value one season (12 steps) earlier
    naive = np.mean((X_test[:, -12, 0] - y_test[:, 0]) ** 2)
else:
    naive = float("nan")
floor = np.mean(noise[400 + WIDTH:] ** 2)
print(f"{LAYER}: test MSE {mse:.3f}   seasonal naive {naive:.3f}   "
      f"noise floor {floor:.3f}")

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.2))
ax1.plot(history.history["loss"])
ax1.set_xlabel("epoch")
ax1.set_ylabel("training MSE")
ax2.plot(y_test[-60:, 0], "o", markersize=3, label="real")
ax2.plot(model.predict(test_in)[-60:, 0], label=f"{LAYER} forecast")
ax2.set_xlabel("test step")
ax2.legend()
plt.show()

# %% [markdown]
# ## 3. Vanishing and exploding gradients over time
#
# An untrained SimpleRNN reads 50 random steps; the loss looks only at the last one. We multiply
# its recurrent kernel by `SCALE` and measure how much gradient reaches each step with
# `gradient_norms()`. **Try this:** `SCALE = 0.5`, `1.0`, `1.5`, `2.0`, `4.0`. At 1 and below
# the gradient vanishes; at 2 and above the early steps receive far more than the last one: the
# gradient explodes, and a training step would throw the weights far away.

# %%
SCALE = 1.0

rng = np.random.default_rng(0)
X_noise, y_noise = rng.normal(size=(32, 50, 1)), rng.normal(size=(32, 1))
net = Sequential([SimpleRNN(16, input_shape=(50, 1)), Dense(1)], seed=0)
net.compile(optimizer="adam", loss="mse")
net.layers[0].Wh = net.layers[0].Wh * SCALE
net.backward_loss(y_noise, net.forward(X_noise))
norms = net.layers[0].gradient_norms()
print(f"|dL/dh| at step 50: {norms[-1]:.2e}, at step 1: {norms[0]:.2e}")

fig, ax = plt.subplots(figsize=(6, 3))
ax.semilogy(np.arange(1, 51), norms, marker="o", markersize=3)
ax.set_xlabel("time step")
ax.set_ylabel("|dL/dh_t|")
ax.set_title(f"recurrent kernel x {SCALE}")
plt.show()

# %% [markdown]
# **Self-check.** With the shipped `SCALE = 1.0` the gradient should shrink on its way back. What
# is the ratio of the gradient at step 1 to the gradient at step 50? Compute it from `norms`.

# %% tags=["answer"]
ratio = None   # from norms

# %%
if ratio is None:
    print("Self-check: not answered yet. "
          "Compute ratio above, then run this cell again.")
elif np.isclose(ratio, norms[0] / norms[-1]) and (SCALE != 1.0 or ratio < 1e-3):
    print(f"Self-check passed: {ratio:.1e} is the fraction of the gradient "
          "that survives 49 steps back.")
else:
    print("Self-check failed: divide the first entry of norms (step 1) "
          "by the last (step 50).")

# %% [markdown]
# ## 4. Truncated backpropagation through time
#
# Truncated BPTT backpropagates only $k$ steps into the past: memory for $k$ states instead of
# the whole sequence, at the price of an approximate gradient. Take one recurrent unit,
# $h_t = \tanh(w_x x_t + w_h h_{t-1})$ with $h_0 = 0$, and let the loss be its last state $h_T$.
# Going back one step at a time from $dL/dh_T = 1$: through the tanh,
# $dz = dh\,(1 - h_t^2)$; step $t$'s use of $w_h$ adds $dz\,h_{t-1}$ to the gradient; and
# $dh \leftarrow dz\,w_h$ carries it one step further back.
#
# **Self-check.** Complete `truncated_gradient`: $dL/dw_h$ backpropagated through the last `k`
# steps only. With `k = len(x)` it must give nnlib's full BPTT gradient; with `k = 1`, the last
# step's term alone.

# %% tags=["answer"]
def truncated_gradient(x, w_x, w_h, k):
    ...  # return dL/dw_h for L = h_T, backpropagating k steps


# %%
def nnlib_states(x, w_x, w_h):
    """Every state h_1..h_T of nnlib's SimpleRNN, and its full-BPTT gradient dL/dw_h
    for L = h_T."""
    rnn = SimpleRNN(1, return_sequences=True, input_shape=(len(x), 1))
    unit = Sequential([rnn])
    unit.set_weights([np.array([[w_x]]), np.array([[w_h]]), np.array([0.0])])
    states = unit.forward(np.reshape(x, (1, len(x), 1)))[0, :, 0]
    g = np.zeros((1, len(x), 1))
    g[0, -1, 0] = 1.0   # dL/dh_T = 1, nothing from the other states
    unit.backward(g)
    return states, float(rnn.grads["Wh"][0, 0])


x_seq = np.random.default_rng(3).normal(size=30)
states, full_bptt = nnlib_states(x_seq, 0.5, 0.9)
last_step = (1 - states[-1] ** 2) * states[-2]
if truncated_gradient(x_seq, 0.5, 0.9, 1) is None:
    print("Self-check: not answered yet.")
    print("Complete truncated_gradient above, then run this cell again.")
else:
    for k in (1, 5, 10, 30):
        gradient = truncated_gradient(x_seq, 0.5, 0.9, k)
        print(f"backpropagating {k:2d} steps: dL/dw_h = {gradient:+.4f}")
    print(f"nnlib, full BPTT:          dL/dw_h = {full_bptt:+.4f}")
    ok = (np.isclose(truncated_gradient(x_seq, 0.5, 0.9, 30), full_bptt, rtol=1e-4)
          and np.isclose(truncated_gradient(x_seq, 0.5, 0.9, 1), last_step, rtol=1e-4))
    if ok:
        print("Self-check passed: all 30 steps give nnlib's gradient, "
              "and fewer steps approximate it.")
    else:
        print("Self-check failed: run the forward pass first and keep every state;")
        print("then, for the last k steps from the end, add dz * h_(t-1)")
        print("and multiply dh by w_h after each step.")

# %% [markdown]
# ## 5. Teacher forcing
#
# The lesson reverses four digits with one recurrent layer that reads the source, a separator
# (token 5), then the target written so far, and predicts the next token at every position.
# In training, the target part of what it reads is the *true* target (teacher forcing), not the
# network's own guesses.
#
# **Self-check.** For the source `[1, 4, 0, 3]`, write the 8 tokens the network reads in
# training, as a list or array.

# %% tags=["answer"]
my_forced_input = None

# %%
SEPARATOR = 5
reversal_source = np.array([1, 4, 0, 3])
reversal_target = reversal_source[::-1]
# the lesson's rule: source, separator, then the true target without its last digit
forced_input = np.concatenate([reversal_source, [SEPARATOR], reversal_target[:-1]])
if my_forced_input is None:
    print("Self-check: not answered yet. "
          "Set my_forced_input above, then run this cell again.")
elif np.array_equal(np.asarray(my_forced_input), forced_input):
    print("Self-check passed: the true reversal follows the separator, "
          "one step behind;")
    print("its last digit is only ever predicted, never read.")
else:
    print("Self-check failed: read the source, then the separator 5, "
          "then the true reversed digits,")
    print("leaving out the last one (the network predicts it): "
          f"{len(forced_input)} tokens.")
