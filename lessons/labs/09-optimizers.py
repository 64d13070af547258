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
# # Lab: optimizers
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). Change the numbers marked **try this** and run the cells again.

# %%
import matplotlib.pyplot as plt
import numpy as np

from nnlib import SGD, AdaGrad, Adam, Dense, RMSprop, Sequential, data
from nnlib.optimizers import CosineDecay, ExponentialDecay, StepDecay

# %% [markdown]
# ## 1. The race on a curved valley
#
# $f(x, y) = (1 - x)^2 + 10\,(y - x^2)^2$, minimum at $(1, 1)$. **Try this:** change the learning
# rates in `RACERS` (or add `SGD(0.01, momentum=0.9, nesterov=True)`) and see who arrives first.

# %%
def f(p):
    return (1 - p[..., 0]) ** 2 + 10 * (p[..., 1] - p[..., 0] ** 2) ** 2


def grad_f(p):
    bend = p[1] - p[0] ** 2
    return np.array([-2 * (1 - p[0]) - 40 * p[0] * bend, 20 * bend])


RACERS = {
    "SGD": SGD(0.01),
    "momentum": SGD(0.01, momentum=0.9),
    "AdaGrad": AdaGrad(0.5),
    "RMSprop": RMSprop(0.02),
    "Adam": Adam(0.1),
}
STEPS = 300

x, y = np.meshgrid(np.linspace(-2, 2, 200), np.linspace(-0.6, 3.2, 200))
fig, ax = plt.subplots(figsize=(6, 4.5))
ax.contour(x, y, f(np.stack([x, y], axis=-1)), levels=np.geomspace(0.05, 200, 16),
           colors="0.7", linewidths=0.8)
for name, optimizer in RACERS.items():
    p = np.array([-1.5, 2.0])
    path = [p.copy()]
    for _ in range(STEPS):
        optimizer.step([(p, grad_f(p))])
        path.append(p.copy())
    path = np.array(path)
    ax.plot(path[:, 0], path[:, 1], linewidth=1.3, label=name)
    print(f"{name:9} final f = {f(path[-1]):.1e}")
ax.plot(1, 1, "k*", markersize=12)
ax.set_xlim(-2, 2)
ax.set_ylim(-0.6, 3.2)
ax.legend()
plt.show()

# %% [markdown]
# ## 2. Write an RMSprop step yourself
#
# Complete `my_rmsprop_step`: it updates `s` (the running average of squared gradients) and
# returns the new parameter, following
# $s \leftarrow \rho s + (1-\rho) g^2$, $\theta \leftarrow \theta - \eta\, g / (\sqrt{s} + \varepsilon)$.

# %% tags=["answer"]
def my_rmsprop_step(theta, g, s, lr=0.01, rho=0.9, eps=1e-7):
    ...  # return the new theta and the new s


# %% [markdown]
# **Self-check.** Five steps of your function against nnlib's `RMSprop` on random gradients.

# %%
rng = np.random.default_rng(0)
theta_nnlib = rng.normal(size=3)
theta_mine, s = theta_nnlib.copy(), np.zeros(3)
rms = RMSprop(learning_rate=0.01)
if my_rmsprop_step(theta_mine, rng.normal(size=3), s) is None:
    print("Self-check: not answered yet. "
          "Complete my_rmsprop_step above, then run this cell again.")
else:
    for _ in range(5):
        g = rng.normal(size=3)
        rms.step([(theta_nnlib, g)])
        theta_mine, s = my_rmsprop_step(theta_mine, g, s)
    if np.allclose(theta_mine, theta_nnlib, atol=1e-12):
        print("Self-check passed: your RMSprop matches nnlib's.")
    else:
        print("Self-check failed: update s first (rho * s + (1 - rho) * g**2),")
        print("then step by lr * g / (sqrt(s) + eps).")

# %% [markdown]
# ## 3. Optimizers and schedules on real data
#
# A 64-32-10 network on the 8×8 digits. **Try this:** change the optimizer, its learning rate,
# or the schedule (`CosineDecay`, `ExponentialDecay`, `StepDecay`; 45 steps per epoch).

# %%
EPOCHS = 10
X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0)


def train(optimizer):
    model = Sequential([Dense(32, activation="relu", input_shape=(64,)),
                        Dense(10, activation="softmax")], seed=0)
    model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=EPOCHS, batch_size=32, verbose=0)
    return history.history["loss"], model.evaluate(X_test, y_test)[1]


CANDIDATES = {
    "Adam 0.001": Adam(0.001),
    "Adam 0.01": Adam(0.01),
    "Adam 0.01, cosine": Adam(CosineDecay(0.01, decay_steps=45 * EPOCHS)),
    "momentum 0.05, step decay": SGD(StepDecay(0.05, drop=0.5, step_size=150),
                                     momentum=0.9),
}
fig, ax = plt.subplots(figsize=(6, 3.5))
for name, optimizer in CANDIDATES.items():
    losses, accuracy = train(optimizer)
    ax.semilogy(range(1, EPOCHS + 1), losses, marker="o", label=name)
    print(f"{name:27} final training loss {losses[-1]:.3f}, "
          f"test accuracy {accuracy:.1%}")
ax.set_xlabel("epoch")
ax.set_ylabel("training loss")
ax.legend()
plt.show()

# %% [markdown]
# **Self-check.** Pick an optimizer (with or without a schedule) that reaches at least 96 % test
# accuracy in the 10 epochs.

# %% tags=["answer"]
my_optimizer = None   # an nnlib optimizer, e.g. SGD(...) or Adam(...)

# %%
if my_optimizer is None:
    print("Self-check: not answered yet. "
          "Set my_optimizer above, then run this cell again.")
else:
    _, accuracy = train(my_optimizer)
    print(f"test accuracy {accuracy:.1%}")
    if accuracy >= 0.96:
        print("Self-check passed: at least 96 %.")
    else:
        print("Self-check failed: try Adam with a larger learning rate "
              "(0.005 to 0.01),")
        print("or momentum 0.9 with 0.05.")

# %% [markdown]
# ## 4. AdamW: weight decay outside the gradient
#
# An L2 penalty $\lambda \lVert W \rVert^2$ puts $2\lambda W$ into the gradient, and Adam then
# divides it by $\sqrt{\hat v}$: a weight with large data gradients is barely decayed, one with
# small gradients is decayed hard. AdamW shrinks every weight by the same factor
# $1 - \eta\,\lambda_{\mathrm{wd}}$ each step, then takes the Adam step. Two weights start at 1, with
# gradients that alternate in sign, one of size 10 and one of size 0.01. **Try this:** change the
# penalty, the decay or the number of steps.

# %%
from nnlib import AdamW


def after_steps(optimizer, l2=0.0, steps=200):
    """Two weights after `steps` steps of alternating gradients (10 and 0.01),
    plus an L2 penalty's."""
    w = np.array([1.0, 1.0])
    for t in range(steps):
        gradient = np.array([10.0, 0.01]) * (-1) ** t
        optimizer.step([(w, gradient + 2 * l2 * w)])
    return w


print("Adam, no decay:   ", np.round(after_steps(Adam(learning_rate=0.01)), 3))
print("Adam + L2 0.05:   ", np.round(after_steps(Adam(learning_rate=0.01), l2=0.05), 3))
adamw = AdamW(learning_rate=0.01, weight_decay=0.5)
print("AdamW, decay 0.5: ", np.round(after_steps(adamw), 3))

# %% [markdown]
# **Self-check.** A weight of 2.0 whose gradient is always zero is trained with
# `AdamW(learning_rate=0.01, weight_decay=0.1)`. What is it after 100 steps? Compute it by hand
# (a zero gradient makes the Adam step zero).

# %% tags=["answer"]
my_weight = None

# %%
decayed = np.array([2.0])
decaying = AdamW(learning_rate=0.01, weight_decay=0.1)
for _ in range(100):
    decaying.step([(decayed, np.zeros(1))])
if my_weight is None:
    print("Self-check: not answered yet. "
          "Compute my_weight above, then run this cell again.")
elif abs(my_weight - decayed[0]) < 1e-6:
    print(f"Self-check passed: {decayed[0]:.6f}, as nnlib's AdamW leaves it.")
else:
    print("Self-check failed: each step multiplies the weight by "
          "1 - learning_rate * weight_decay,")
    print("and there are 100 steps; "
          "the factor 2 of an L2 penalty's gradient is not in it.")

# %% [markdown]
# ## 5. Learning-rate warmup
#
# Adam's first steps are about one learning rate long in every coordinate, whatever the
# gradient, while a fresh network's gradients still point in changing directions. A warmup ramps
# the rate up over the first `warmup_steps` steps: $\eta_t = \eta \cdot \min(1, (t + 1) / T)$,
# where $t$ counts the steps already taken. An optimizer calls its schedule with its `iterations`
# before each step. **Try this:** change `warmup_steps` and compare the lengths of Adam's first
# steps with and without it.

# %%
from nnlib.optimizers import LinearWarmup


def first_step_lengths(optimizer, steps=6):
    """How far one weight moves on each of the first steps, with gradients 10 and 0.01
    alternating."""
    w, lengths = np.array([1.0]), []
    for t in range(steps):
        before = w.copy()
        optimizer.step([(w, np.array([10.0 if t % 2 == 0 else 0.01]))])
        lengths.append(float(abs(w - before)[0]))
    return np.round(lengths, 5)


print("Adam, 0.01:              ", first_step_lengths(Adam(learning_rate=0.01)))
warmup = LinearWarmup(0.01, warmup_steps=4)
print("Adam, warmup over 4 steps:", first_step_lengths(Adam(warmup)))

# %% [markdown]
# **Self-check.** An optimizer built as `Adam(LinearWarmup(0.02, warmup_steps=5))` takes 7 steps.
# List the learning rate it uses on each of them, in order.

# %% tags=["answer"]
my_rates = None   # seven numbers

# %%
warming, w_warm, used = Adam(LinearWarmup(0.02, warmup_steps=5)), np.array([1.0]), []
for _ in range(7):
    used.append(warming.current_learning_rate())   # the rate the next step will use
    warming.step([(w_warm, np.array([0.5]))])
if my_rates is None:
    print("Self-check: not answered yet. Set my_rates above, then run this cell again.")
elif np.shape(my_rates) == (7,) and np.allclose(my_rates, used):
    print("Self-check passed: the rate climbs by a fifth of 0.02 a step, "
          "then stays at 0.02.")
else:
    print("Self-check failed: before its first step the optimizer has taken 0 steps,")
    print("so it uses 0.02 * (0 + 1) / 5; "
          "the rate reaches 0.02 on the 5th step and stays there.")
