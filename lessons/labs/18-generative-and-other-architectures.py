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
# # Lab: generative and other architectures
#
# Runs on the CPU with the project installed: `pip install -e ".[docs]"` from a clone of the
# repository (see its README). The whole lab takes well under a minute.
#
# Three experiments: the size of an autoencoder's code, the balance of a GAN's two players, and
# an adversarial attack that you write yourself; then two pieces of the variational autoencoder,
# its KL term and the reparameterization trick, checked against nnlib.

# %%
import numpy as np
import matplotlib.pyplot as plt

from nnlib import Adam, Conv2D, Dense, Flatten, MaxPooling2D, Sequential, data, losses

X, y = data.load_digits()
X_train, X_test, y_train, y_test = data.train_test_split(
    X, y, test=0.25, rng=0, stratify=True)
print(f"train {len(X_train)}, test {len(X_test)}")

# %% [markdown]
# ## 1. How big should the code be?
#
# Change `code_sizes` and run the cell again. Each autoencoder squeezes 64 pixels through
# `k` numbers and rebuilds them; the plot shows the test error and six rebuilt digits per size.

# %%
code_sizes = [1, 2, 4, 16]          # try 8, 32, 64


def autoencoder(code_size, seed=0):
    encoder = [Dense(32, activation="relu", input_shape=(64,)), Dense(code_size)]
    decoder = [Dense(32, activation="relu"), Dense(64, activation="sigmoid")]
    model = Sequential(encoder + decoder, seed=seed)
    model.compile(optimizer="adam", loss="mse")
    model.fit(X_train, X_train, epochs=40, batch_size=32, verbose=0)
    return model


rows = len(code_sizes) + 1
fig, axes = plt.subplots(rows, 6, figsize=(6, 1.1 * rows))
for c in range(6):
    axes[0, c].imshow(X_test[c].reshape(8, 8), cmap="viridis", vmin=0, vmax=1)
axes[0, 0].set_ylabel("original", rotation=0, ha="right")
for r, k in enumerate(code_sizes, start=1):
    model = autoencoder(k)
    error = model.evaluate(X_test, X_test)
    print(f"code of {k:2} numbers: test MSE {error:.4f}")
    rebuilt = model.predict(X_test[:6])
    for c in range(6):
        axes[r, c].imshow(rebuilt[c].reshape(8, 8), cmap="viridis", vmin=0, vmax=1)
    axes[r, 0].set_ylabel(f"k = {k}", rotation=0, ha="right")
for ax in axes.ravel():
    ax.set_xticks([])
    ax.set_yticks([])
plt.tight_layout()
plt.show()

# %% [markdown]
# ## 2. Unbalance a GAN
#
# The lesson's GAN learns a ring with equal learning rates for both players. Make the
# discriminator much faster (`lr_D = 0.01`) or much slower (`lr_D = 0.0001`), or change the
# random seeds, and see whether the generator still covers the whole ring.

# %%
lr_G, lr_D = 0.001, 0.001
seed_G, seed_D = 3, 4
steps = 1500


def ring(n, rng):
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = 1 + rng.normal(0, 0.05, n)
    points = np.column_stack([radius * np.cos(angle), radius * np.sin(angle)])
    return points.astype(np.float32)


G = Sequential([Dense(32, activation="relu", input_shape=(2,)),
                Dense(32, activation="relu"),
                Dense(2)], seed=seed_G)
D = Sequential([Dense(32, activation="relu", input_shape=(2,)),
                Dense(32, activation="relu"),
                Dense(1, activation="sigmoid")], seed=seed_D)
opt_G, opt_D = Adam(lr_G, beta_1=0.5), Adam(lr_D, beta_1=0.5)
bce = losses.get("binary_crossentropy")
rng = np.random.default_rng(0)
n = 128
ones, zeros = np.ones((n, 1), np.float32), np.zeros((n, 1), np.float32)
for step in range(steps):
    real_batch = ring(n, rng)
    noise = rng.normal(size=(n, 2)).astype(np.float32)
    x = np.concatenate([real_batch, G.forward(noise)])
    p = D.forward(x, training=True)
    D.backward(bce.gradient(np.concatenate([ones, zeros]), p))
    opt_D.step(D.parameter_gradient_pairs())
    noise = rng.normal(size=(n, 2)).astype(np.float32)
    p = D.forward(G.forward(noise, training=True), training=True)
    G.backward(D.backward(bce.gradient(ones, p)))
    opt_G.step(G.parameter_gradient_pairs())

samples = G.predict(rng.normal(size=(1000, 2)).astype(np.float32))
sector = np.floor((np.arctan2(samples[:, 1], samples[:, 0]) + np.pi) / (2 * np.pi) * 12)
print(f"mean radius {np.linalg.norm(samples, axis=1).mean():.2f}; "
      f"angular sectors reached {len(np.unique(sector))} of 12")
real = ring(1000, rng)
plt.figure(figsize=(4, 4))
plt.scatter(real[:, 0], real[:, 1], s=3, color="0.7", label="real")
plt.scatter(samples[:, 0], samples[:, 1], s=3, label="generated")
plt.gca().set_aspect("equal")
plt.legend()
plt.show()

# %% [markdown]
# ## 3. Write the attack
#
# First, a small CNN for the digits (a few seconds).

# %%
images_train, images_test = X_train.reshape(-1, 8, 8, 1), X_test.reshape(-1, 8, 8, 1)
cnn = Sequential([
    Conv2D(8, 3, padding="same", activation="relu", input_shape=(8, 8, 1)),
    MaxPooling2D(),
    Conv2D(16, 3, padding="same", activation="relu"), MaxPooling2D(),
    Flatten(), Dense(10, activation="softmax"),
], seed=0)
cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy",
            metrics=["accuracy"])
cnn.fit(images_train, y_train, epochs=15, batch_size=32, verbose=0)


def accuracy(x):
    return float(np.mean(cnn.predict(x).argmax(axis=1) == y_test))


print(f"clean test accuracy {accuracy(images_test):.1%}")

# %% [markdown]
# Fill in `my_fgsm`: a forward pass, `model.backward_loss(labels, probabilities)` for the
# gradient with respect to the pixels, then move every pixel by `epsilon` in the direction of
# the gradient's sign and clip to [0, 1]. The self-check compares your attack with random
# noise of the same size. Change `epsilon` to see how small a change still fools the network.

# %%
epsilon = 0.1


# %% tags=["answer"]
def my_fgsm(model, x, labels, epsilon):
    ...  # return the attacked images


# %%
attacked = my_fgsm(cnn, images_test, y_test, epsilon)
if attacked is not None:
    signs = np.random.default_rng(1).choice([-1.0, 1.0], size=images_test.shape)
    noisy = np.clip(images_test + epsilon * signs, 0.0, 1.0)
    acc_attack, acc_noise = accuracy(attacked), accuracy(noisy)
    print(f"epsilon {epsilon}: accuracy under your attack {acc_attack:.1%}, "
          f"under random noise {acc_noise:.1%}")

# %%
if attacked is None:
    print("Self-check: not answered yet. Complete my_fgsm above,")
    print("then run this cell and the one above again.")
elif np.abs(attacked - images_test).max() > epsilon + 1e-6:
    print("Self-check failed: some pixel moved by more than epsilon.")
elif acc_attack > acc_noise - 0.2:
    print("Self-check failed: the attack should cost at least 20 points more accuracy")
    print("than random noise of the same size. Did you step along +sign(dL/dx)?")
else:
    points = 100 * (acc_noise - acc_attack)
    print(f"Self-check passed: your attack costs {points:.0f} percentage points "
          "more accuracy")
    print("than noise of the same size.")

# %% [markdown]
# ## 4. The VAE's KL term
#
# A variational autoencoder's encoder outputs, for each input, a normal distribution over codes:
# a mean $\mu_j$ and a log-variance $\log \sigma_j^2$ for each of the $k$ code numbers. nnlib's
# `GaussianSample` layer draws the code $z = \mu + \sigma \odot \varepsilon$ (the
# reparameterization trick) and adds to the loss the KL divergence of $N(\mu, \sigma^2)$ from
# the prior $N(0, I)$, the term of the ELBO that keeps the codes where new ones will be drawn.
# **Try this:** change `mu_demo` and `log_var_demo` and see when the KL term is zero.

# %%
from nnlib import GaussianSample

mu_demo, log_var_demo = np.array([[0.5, -1.0]]), np.array([[0.0, np.log(4.0)]])
sampler = GaussianSample(seed=0)
h_demo = np.hstack([mu_demo, log_var_demo])   # the encoder's output: [mu, log sigma²]
draws = [np.round(sampler.forward(h_demo, training=True)[0], 3).tolist()
         for _ in range(3)]
print("z drawn three times:", draws)
print(f"KL from N(0, I): {float(sampler.kl()[0]):.4f}")

# %% [markdown]
# **Self-check.** Write the KL divergence of $N(\mu, \sigma^2)$ from $N(0, I)$ for one example,
# from its means `mu` and log-variances `log_var` (arrays of $k$ numbers), in closed form.

# %% tags=["answer"]
def my_kl(mu, log_var):
    ...  # return one number


# %%
check_rng = np.random.default_rng(1)
mu_check, log_var_check = check_rng.normal(size=(5, 3)), check_rng.normal(size=(5, 3))
sampler.forward(np.hstack([mu_check, log_var_check]))
kl_nnlib = np.asarray(sampler.kl())
if my_kl(mu_check[0], log_var_check[0]) is None:
    print("Self-check: not answered yet. "
          "Compute my_kl above, then run this cell again.")
else:
    mine = np.array([float(my_kl(m, v)) for m, v in zip(mu_check, log_var_check)])
    print("yours:                 ", np.round(mine, 4))
    print("nnlib's GaussianSample:", np.round(kl_nnlib, 4))
    if np.allclose(mine, kl_nnlib):
        print("Self-check passed: your KL term matches the one nnlib adds "
              "to the VAE's loss.")
    else:
        print("Self-check failed: KL = 1/2 * sum over the code numbers of")
        print("(mu**2 + sigma**2 - log sigma**2 - 1), with sigma**2 = exp(log_var).")

# %% [markdown]
# ## 5. The reparameterization trick
#
# A random draw has no derivative, so the layer draws $\varepsilon \sim N(0, I)$, which no weight
# touches, and computes $z = \mu + \sigma \odot \varepsilon$ with $\sigma = e^{\frac12 \log \sigma^2}$:
# now $z$ is a smooth function of the encoder's outputs and the gradient passes. Here is one draw
# for the `mu_demo` and `log_var_demo` above, with the KL term switched off (`kl_weight=0`) so
# that only the draw shapes the gradient.

# %%
reparam = GaussianSample(kl_weight=0.0, seed=2)
z_rep = reparam.forward(h_demo, training=True)
eps_rep = np.asarray(reparam.eps)
print("eps =", np.round(eps_rep, 3), " z =", np.round(z_rep, 3))
# dz/d[mu, log sigma²], summed over z
dz_dh = np.asarray(reparam.backward(np.ones_like(z_rep)))
print("nnlib's gradient for mu:", np.round(dz_dh[:, :2], 3))

# %% [markdown]
# **Self-check.** With an upstream gradient of 1 for each $z_j$, what gradient reaches the
# log-variances? Write it from `eps_rep` and `log_var_demo`.

# %% tags=["answer"]
my_dlog_var = None   # two numbers

# %%
if my_dlog_var is None:
    print("Self-check: not answered yet. "
          "Compute my_dlog_var above, then run this cell again.")
elif np.allclose(np.reshape(my_dlog_var, (1, -1)), dz_dh[:, 2:], atol=1e-6):
    print(f"Self-check passed: {np.round(dz_dh[0, 2:], 4)}, "
          "what nnlib's GaussianSample sends back.")
else:
    print("Self-check failed: dz/dsigma is eps, and sigma = exp(log_var / 2)")
    print("has the derivative sigma / 2 with respect to log_var: chain the two.")
