"""Figures for the variational autoencoder and diffusion sections of lesson 18.

The VAE is the lesson's, trained exactly as in its doctest; the noising schedule is the lesson's too.
"""

from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

CODE_SIZE = 4


@lru_cache(maxsize=None)
def trained_vae():
    """The lesson's VAE: 64 -> 64 -> 2 x 4 -> sample -> 64 -> 64 pixels, 100 epochs of Adam(0.003)."""
    from nnlib import Adam, Dense, GaussianSample, Sequential, data

    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test=0.25, rng=0, stratify=True)
    vae = Sequential([Dense(64, activation="relu", input_shape=(64,)), Dense(2 * CODE_SIZE),
                      GaussianSample(kl_weight=1 / 64), Dense(64, activation="relu"),
                      Dense(64, activation="sigmoid")], seed=0)
    vae.compile(optimizer=Adam(0.003), loss="binary_crossentropy")
    vae.fit(X_train, X_train, epochs=100, batch_size=32, verbose=0)
    return vae, X_test


def decode(vae, codes):
    h = codes
    for layer in vae.layers[3:]:
        h = layer.forward(h)
    return np.asarray(h)


def noising_schedule(steps=100, beta_start=1e-4, beta_end=0.2):
    """alpha_bar_t = prod_{s <= t} (1 - beta_s) for a linear schedule of beta (the lesson's)."""
    return np.cumprod(1 - np.linspace(beta_start, beta_end, steps))


@figure(
    alt=("A grid of 30 small grey images, three rows of ten, each an 8 by 8 handwritten-looking digit made up "
         "by the trained variational autoencoder's decoder from a random code drawn from the standard normal "
         "distribution. Most are recognizable digits (for example 0, 1, 2, 3, 5, 7 and 9), some are blurry or "
         "ambiguous blends of two digits."),
    caption=("New digits: the VAE's decoder applied to 30 random codes z ~ N(0, I) of 4 numbers each. The KL "
             "term taught the encoder to keep its codes near that distribution, so random codes decode to "
             "digit-like images."),
    format="png",
)
def sampled_digits(theme):
    import matplotlib.pyplot as plt

    vae, _ = trained_vae()
    digits = decode(vae, np.random.default_rng(0).normal(size=(30, CODE_SIZE)))
    fig, axes = plt.subplots(3, 10, figsize=(8, 2.6))
    for ax, image in zip(axes.flat, digits):
        ax.imshow(image.reshape(8, 8), cmap="gray" if theme.name == "dark" else "gray_r", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
    return fig


@figure(
    alt=("Top row: one test digit, a zero, gradually drowned in noise over eight panels, at steps 0, 5, 10, "
         "20, 30, 50, 70 and 99 of the forward diffusion process; by step 50 it is hard to see and at step 99 "
         "it is pure noise. Bottom: a line chart of the share of the signal left, the square root of "
         "alpha-bar, falling from 1 to nearly 0 over the 100 steps, next to the noise's share rising from 0 "
         "to nearly 1."),
    caption=("The forward process of a diffusion model: x_t = √ᾱ_t x_0 + √(1 − ᾱ_t) ε, with a linear "
             "schedule of 100 steps. A diffusion model learns to run this film backwards, one denoising step "
             "at a time."),
    format="png",
)
def diffusion_forward(theme):
    import matplotlib.pyplot as plt

    from nnlib import data

    X, y = data.load_digits()
    x0 = X[np.flatnonzero(y == 0)[0]] * 2 - 1  # pixels scaled to [-1, 1], as diffusion models use
    alpha_bar = noising_schedule()
    eps = np.random.default_rng(0).normal(size=64)
    steps = (0, 5, 10, 20, 30, 50, 70, 99)
    fig = plt.figure(figsize=(9, 4.2), layout="constrained")
    top, bottom = fig.subfigures(2, 1, height_ratios=[1, 1.6])
    axes = top.subplots(1, len(steps))
    for ax, t in zip(axes, steps):
        xt = np.sqrt(alpha_bar[t]) * x0 + np.sqrt(1 - alpha_bar[t]) * eps
        ax.imshow(xt.reshape(8, 8), cmap="gray" if theme.name == "dark" else "gray_r", vmin=-2, vmax=2)
        ax.set_title(f"t = {t}", fontsize=9, color=theme.fg)
        ax.set_xticks([])
        ax.set_yticks([])
    ax = bottom.subplots()
    t = np.arange(len(alpha_bar))
    ax.plot(t, np.sqrt(alpha_bar), color=theme.colors[0], label="signal share √ᾱ_t")
    ax.plot(t, np.sqrt(1 - alpha_bar), color=theme.colors[1], label="noise share √(1 − ᾱ_t)")
    ax.set_xlabel("step t")
    ax.grid(True, linewidth=0.5)
    ax.legend()
    return fig
