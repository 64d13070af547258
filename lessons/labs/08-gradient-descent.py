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
# # Lab: gradient descent
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the numbers marked **try this** and run the cells again.

# %%
import matplotlib.pyplot as plt
import numpy as np

from nnlib import SGD, Dense, Sequential, data

# %% [markdown]
# ## 1. Walk down a loss surface
#
# One linear neuron $\hat y = wx + b$ fitted by mean squared error to points near $y = 2x - 1$.
# **Try this:** change `LEARNING_RATE`, `START` and `STEPS`. Which learning rates bounce? Which crawl?

# %%
LEARNING_RATE = 0.3
START = (-1.5, 2.0)
STEPS = 30

rng = np.random.default_rng(0)
X = rng.uniform(0, 2, size=(50, 1)).astype(np.float32)
Y = (2 * X - 1 + rng.normal(0, 0.3, size=(50, 1))).astype(np.float32)


def descend(learning_rate, start=START, steps=STEPS):
    """Full-batch gradient descent with nnlib; returns the (w, b) path and losses."""
    model = Sequential([Dense(1, input_shape=(1,))])
    model.compile(optimizer=SGD(learning_rate=learning_rate), loss="mse")
    model.set_weights([np.array([[start[0]]]), np.array([start[1]])])
    path, losses = [start], []
    for _ in range(steps):
        loss, _ = model.train_step(X, Y)
        w, b = model.get_weights()
        path.append((float(w[0, 0]), float(b[0])))
        losses.append(float(loss))
    return np.array(path), losses


path, losses = descend(LEARNING_RATE)
print(f"loss: first step {losses[0]:.3f}, last step {losses[-1]:.3g}; "
      f"ends at w = {path[-1, 0]:.3f}, b = {path[-1, 1]:.3f}")

w, b = np.meshgrid(np.linspace(-2.5, 4.5, 200), np.linspace(-4.5, 3.5, 200))
surface = ((w[..., None] * X[:, 0] + b[..., None] - Y[:, 0]) ** 2).mean(axis=-1)
fig, ax = plt.subplots(figsize=(5, 4))
ax.contour(w, b, surface, levels=np.geomspace(0.1, 60, 14), colors="0.6",
           linewidths=0.8)
ax.plot(path[:, 0], path[:, 1], marker="o", markersize=3)
ax.set_xlim(-2.5, 4.5)
ax.set_ylim(-4.5, 3.5)
ax.set_xlabel("w")
ax.set_ylabel("b")
ax.set_title(f"learning rate {LEARNING_RATE}")
plt.show()

# %% [markdown]
# **Self-check 1.** Find a learning rate that brings the loss below 0.11 within the 30 steps.

# %% tags=["answer"]
my_learning_rate = None

# %%
if my_learning_rate is None:
    print("Self-check: not answered yet. "
          "Set my_learning_rate above, then run this cell again.")
else:
    final = descend(my_learning_rate, steps=30)[1][-1]
    print(f"loss after 30 steps: {final:.3g}")
    if final < 0.11:
        print("Self-check passed: fast enough and stable.")
    else:
        print("Self-check failed: too small crawls, too large bounces out;")
        print("try values between 0.2 and 0.43.")

# %% [markdown]
# **Self-check 2.** Compute the largest stable learning rate, $2/\lambda_{\max}$, where
# $\lambda_{\max}$ is the largest eigenvalue of the Hessian
# $H = \frac{2}{N}\sum_i \begin{pmatrix} x_i^2 & x_i \\ x_i & 1\end{pmatrix}$.

# %% tags=["answer"]
my_max_rate = None   # build H from X, then 2 / its largest eigenvalue

# %%
if my_max_rate is None:
    print("Self-check: not answered yet. "
          "Compute my_max_rate above, then run this cell again.")
else:
    below = descend(0.98 * my_max_rate, steps=300)[1][-1]
    above = descend(1.02 * my_max_rate, steps=300)[1][-1]
    print(f"2% below: loss {below:.3g};  2% above: loss {above:.3g}")
    if below < 0.2 and above > 10:
        print("Self-check passed: just below your rate training converges, "
              "just above it diverges.")
    else:
        print("Self-check failed: use the largest eigenvalue of H (np.linalg.eigvalsh)")
        print("and divide 2 by it.")

# %% [markdown]
# ## 2. Batch, mini-batch, stochastic
#
# The same network trained for the same number of epochs with different batch sizes.
# **Try this:** add batch sizes, change `EPOCHS` or the learning rate.

# %%
BATCH_SIZES = (200, 64, 32, 8, 1)
EPOCHS = 20

Xm, ym = data.make_moons(200, noise=0.2, rng=0)
print("batch size  updates   loss   accuracy")
for batch_size in BATCH_SIZES:
    net = Sequential([Dense(16, activation="tanh", input_shape=(2,)),
                      Dense(1, activation="sigmoid")], seed=0)
    net.compile(optimizer=SGD(learning_rate=0.1), loss="binary_crossentropy",
                metrics=["accuracy"])
    net.fit(Xm, ym, epochs=EPOCHS, batch_size=batch_size, verbose=0)
    loss, accuracy = net.evaluate(Xm, ym)
    updates = net.optimizer.iterations
    print(f"{batch_size:>10}  {updates:>7}  {loss:.3f}   {accuracy:.1%}")

# %% [markdown]
# ## 3. How noisy is a mini-batch gradient?
#
# The gradient of a random mini-batch of $B$ examples is an unbiased estimate of the full
# gradient, and its variance is the variance of one example's gradient divided by $B$. Measured
# on the neuron of part 1 at its starting point, with batches drawn with replacement. **Try
# this:** add batch sizes, or change `DRAWS`.

# %%
DRAWS = 1000

probe = Sequential([Dense(1, input_shape=(1,))])
probe.compile(optimizer=SGD(learning_rate=0.3), loss="mse")
start = [np.array([[START[0]]]), np.array([START[1]])]


def gradient(rows):
    """(dL/dw, dL/db) at the starting point, for the examples in rows."""
    probe.set_weights(start)
    probe.backward_loss(Y[rows], probe.forward(X[rows]))
    return np.array([probe.layers[0].dW[0, 0], probe.layers[0].db[0]], dtype=float)


def batch_variance(batch_size, draws=DRAWS, seed=1):
    """The variance of the mini-batch gradient, summed over w and b, over `draws`
    random batches."""
    draw = np.random.default_rng(seed)
    batches = [draw.integers(0, len(X), size=batch_size) for _ in range(draws)]
    estimates = np.array([gradient(batch) for batch in batches])
    return estimates.var(axis=0).sum()


print(f"full-batch gradient {np.round(gradient(np.arange(len(X))), 3)}")
for B in (1, 4, 16):
    variance = batch_variance(B)
    print(f"B = {B:2d}: variance {variance:6.3f}, B x variance {B * variance:.1f}")

# %% [markdown]
# **Self-check 3.** Using the variance of one example's gradient, `one_variance` below, what is
# the smallest batch size whose gradient has a standard deviation (the square root of the summed
# variance) below 0.5?

# %%
one_variance = batch_variance(1)
print(f"variance of one example's gradient: {one_variance:.2f}")

# %% tags=["answer"]
my_batch_size = None   # from one_variance

# %%
if my_batch_size is None:
    print("Self-check: not answered yet. "
          "Compute my_batch_size above, then run this cell again.")
else:
    needed = one_variance / 0.5**2
    spread = np.sqrt(batch_variance(int(my_batch_size), seed=2))
    predicted = np.sqrt(one_variance / my_batch_size)
    print(f"batches of {int(my_batch_size)}: "
          f"standard deviation sqrt(one_variance / B) = {predicted:.3f};")
    print(f"measured over {DRAWS} new draws: {spread:.3f}")
    if abs(my_batch_size - needed) <= 0.05 * needed:
        print("Self-check passed: the variance falls as 1/B,")
        print("so the standard deviation only as 1/sqrt(B).")
    else:
        print("Self-check failed: the standard deviation is sqrt(one_variance / B);")
        print("solve one_variance / B < 0.5 ** 2 for B.")

# %% [markdown]
# ## 4. Steepest descent, from a first-order Taylor expansion
#
# For a small step $\Delta$, $L(\theta + \Delta) \approx L(\theta) + \nabla L \cdot \Delta$. Among
# all steps of one length $\varepsilon$, the change is most negative along $-\nabla L$, and there
# the loss falls by about $\varepsilon\,\lVert \nabla L \rVert$. The neuron of part 1 at its
# starting point, every direction one degree apart. **Try this:** change `STEP_LENGTH` and watch
# the Taylor prediction drift away from the measurement as the step grows.

# %%
STEP_LENGTH = 0.01

full = gradient(np.arange(len(X)))


def loss_after(dw, db):
    """The full-batch loss after moving the starting weights by (dw, db)."""
    probe.set_weights([start[0] + dw, start[1] + db])
    return float(probe.compute_loss(Y, probe.forward(X)))


degrees = np.arange(360)
moved = [loss_after(STEP_LENGTH * np.cos(angle), STEP_LENGTH * np.sin(angle))
         for angle in np.radians(degrees)]
change = np.array(moved) - loss_after(0.0, 0.0)
steepest = np.degrees(np.arctan2(-full[1], -full[0]))
print(f"best direction {degrees[change.argmin()]}°, direction of -∇L {steepest:.1f}°")

# %% [markdown]
# **Self-check 4.** From `full` (the gradient, two numbers) and the Taylor expansion, predict the
# change of the loss for one step of length 0.01 along $-\nabla L$.

# %% tags=["answer"]
my_change = None   # from full

# %%
downhill = -0.01 * full / np.linalg.norm(full)
measured_change = loss_after(*downhill) - loss_after(0.0, 0.0)
if my_change is None:
    print("Self-check: not answered yet. "
          "Compute my_change above, then run this cell again.")
else:
    print(f"your prediction {my_change:+.5f}, "
          f"measured with nnlib {measured_change:+.5f}")
    if abs(my_change - measured_change) < 0.02 * abs(measured_change):
        print("Self-check passed: a small step against the gradient lowers the loss")
        print("by about step x |gradient|.")
    else:
        print("Self-check failed: a step of length 0.01 along -∇L changes the loss")
        print("by ∇L · Δ with Δ = -0.01 ∇L / |∇L|: "
              "that is minus 0.01 times the length of the gradient.")
