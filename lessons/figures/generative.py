"""Figures for the lesson on generative and other architectures (18-generative-and-other-architectures.md).

Every network here is trained by nnlib at build time, with the seeds and settings of the lesson.
"""

import functools

import numpy as np
from sitebuild.figures import figure


@functools.lru_cache(maxsize=None)
def digits_split():
    from nnlib import data

    X, y = data.load_digits()
    return data.train_test_split(X, y, test=0.25, rng=0, stratify=True)


@functools.lru_cache(maxsize=None)
def autoencoder(code_size):
    """The lesson's 64-32-k-32-64 autoencoder, trained for 60 epochs."""
    from nnlib import Dense, Sequential

    X_train, _, _, _ = digits_split()
    model = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(code_size),
                        Dense(32, activation="relu"), Dense(64, activation="sigmoid")], seed=0)
    model.compile(optimizer="adam", loss="mse")
    model.fit(X_train, X_train, epochs=60, batch_size=32, verbose=0)
    return model


@figure(
    alt=("Scatter plot of the two-number codes that an autoencoder gives the handwritten test digits, "
         "each point drawn as its digit character in one of seven colours. Points of the same digit "
         "gather in their own regions, though the network was never given the labels; similar-looking "
         "digits lie next to each other and overlap at the edges."),
    caption=("The latent space of the autoencoder with a 2-number code: every test digit at its code, drawn "
             "as its label. The labels were never used in training."),
    format="png",
)
def latent_space(theme):
    import matplotlib.pyplot as plt
    from nnlib import Sequential

    _, X_test, _, y_test = digits_split()
    encoder = Sequential(autoencoder(2).layers[:2])
    codes = encoder.predict(X_test)
    fig, ax = plt.subplots(figsize=(6.4, 5.6))
    for digit in range(10):
        points = codes[y_test == digit]
        ax.scatter(points[:, 0], points[:, 1], marker=f"${digit}$", s=42, linewidths=0.3,
                   color=theme.colors[digit % len(theme.colors)], alpha=0.85)
    ax.set_xlabel("code, first number")
    ax.set_ylabel("code, second number")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


@figure(
    alt=("Three rows of eight handwritten test digits: the originals on top, their reconstructions by an "
         "autoencoder with a 2-number code in the middle, and by one with a 16-number code at the bottom. "
         "The 2-number reconstructions are blurred, typical versions of a digit and sometimes the wrong "
         "digit; the 16-number ones are close copies of the originals."),
    caption=("Test digits (top) rebuilt from a 2-number code (middle) and a 16-number code (bottom). "
             "The row label gives each model's mean squared error on the whole test set."),
    format="png",
)
def reconstructions(theme):
    import matplotlib.pyplot as plt

    _, X_test, _, _ = digits_split()
    shown = X_test[:8]
    rows = [("original", shown, None)]
    for k in (2, 16):
        model = autoencoder(k)
        rows.append((f"{k}-number code\nMSE {model.evaluate(X_test, X_test):.4f}", model.predict(shown), k))
    fig, axes = plt.subplots(3, 8, figsize=(8, 3.5))
    for r, (label, images, _) in enumerate(rows):
        for c in range(8):
            ax = axes[r, c]
            ax.imshow(images[c].reshape(8, 8), cmap=theme.cmap, vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
        axes[r, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
    fig.tight_layout()
    return fig


def ring(n, rng):
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = 1 + rng.normal(0, 0.05, n)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]).astype(np.float32)


def train_gan(snapshots, steps=2000):
    """The lesson's GAN on the ring; returns {step: generated points} for the requested steps."""
    from nnlib import Adam, Dense, Sequential, losses

    G = Sequential([Dense(32, activation="relu", input_shape=(2,)), Dense(32, activation="relu"), Dense(2)], seed=3)
    D = Sequential([Dense(32, activation="relu", input_shape=(2,)), Dense(32, activation="relu"),
                    Dense(1, activation="sigmoid")], seed=4)
    opt_G, opt_D = Adam(0.001, beta_1=0.5), Adam(0.001, beta_1=0.5)
    bce = losses.get("binary_crossentropy")
    rng = np.random.default_rng(0)
    n = 128
    ones, zeros = np.ones((n, 1), np.float32), np.zeros((n, 1), np.float32)
    fixed_noise = np.random.default_rng(9).normal(size=(600, 2)).astype(np.float32)
    out = {}
    for step in range(steps + 1):
        if step in snapshots:
            out[step] = G.predict(fixed_noise)
        if step == steps:
            break
        x = np.concatenate([ring(n, rng), G.forward(rng.normal(size=(n, 2)).astype(np.float32))])
        p = D.forward(x, training=True)
        D.backward(bce.gradient(np.concatenate([ones, zeros]), p))
        opt_D.step(D.parameter_gradient_pairs())
        p = D.forward(G.forward(rng.normal(size=(n, 2)).astype(np.float32), training=True), training=True)
        G.backward(D.backward(bce.gradient(ones, p)))
        opt_G.step(G.parameter_gradient_pairs())
    return out


@figure(
    alt=("Five square panels of points in the plane, at training steps 0, 100, 300, 800 and 2000 of a GAN. "
         "Each shows the real data, a thin ring of radius 1, in a muted colour, and 600 points from the "
         "generator in a strong colour. At step 0 the generated points are a small blob near the centre; "
         "they spread out, overshoot and then settle onto the ring, covering it all the way round by step "
         "2000."),
    caption=("What the generator produces, from the same 600 noise vectors, as GAN training goes on. "
             "Grey: samples of the real ring."),
    format="png",
)
def gan_training(theme):
    import matplotlib.pyplot as plt

    steps = (0, 100, 300, 800, 2000)
    snaps = train_gan(set(steps))
    real = ring(600, np.random.default_rng(5))
    fig, axes = plt.subplots(1, len(steps), figsize=(11, 2.6))
    for ax, step in zip(axes, steps):
        ax.scatter(real[:, 0], real[:, 1], s=4, color=theme.muted, alpha=0.6, linewidths=0)
        ax.scatter(snaps[step][:, 0], snaps[step][:, 1], s=5, color=theme.colors[0], alpha=0.8, linewidths=0)
        ax.set_xlim(-1.8, 1.8)
        ax.set_ylim(-1.8, 1.8)
        ax.set_aspect("equal")
        ax.set_title(f"step {step}", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


@functools.lru_cache(maxsize=None)
def trained_cnn():
    from nnlib import Conv2D, Dense, Flatten, MaxPooling2D, Sequential

    X_train, _, y_train, _ = digits_split()
    cnn = Sequential([Conv2D(8, 3, padding="same", activation="relu", input_shape=(8, 8, 1)), MaxPooling2D(),
                      Conv2D(16, 3, padding="same", activation="relu"), MaxPooling2D(),
                      Flatten(), Dense(10, activation="softmax")], seed=0)
    cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    cnn.fit(X_train.reshape(-1, 8, 8, 1), y_train, epochs=20, batch_size=32, verbose=0)
    return cnn


def fgsm(model, x, labels, epsilon):
    dx = model.backward_loss(labels, model.forward(x))
    return np.clip(x + epsilon * np.sign(dx), 0.0, 1.0)


@figure(
    alt=("A grid of handwritten test digits. The top row shows six clean digits with the small CNN's "
         "prediction above each, all correct. The middle row shows the change FGSM made to each pixel, plus "
         "or minus epsilon (zero where clipping to the 0 to 1 range removed it), in a diverging colour map. The bottom row shows the attacked images with "
         "epsilon 0.1: they still look like the same digits, but the predictions above them are mostly "
         "wrong."),
    caption=("FGSM at ε = 0.1 on six test digits: the clean image and the network's answer (top), the "
             "change ε·sign(∇ₓL) after clipping to [0, 1] (middle), and the attacked image with the new "
             "answer (bottom), in the accent colour where it is wrong."),
    format="png",
)
def adversarial_examples(theme):
    import matplotlib.pyplot as plt

    _, X_test, _, y_test = digits_split()
    cnn = trained_cnn()
    images = X_test.reshape(-1, 8, 8, 1)
    clean_pred = cnn.predict(images).argmax(axis=1)
    epsilon = 0.1
    attacked = fgsm(cnn, images, y_test, epsilon)
    adv_pred = cnn.predict(attacked).argmax(axis=1)
    # Six correctly classified digits, preferring ones the attack flips, in test-set order.
    correct = np.flatnonzero(clean_pred == y_test)
    flipped = [i for i in correct if adv_pred[i] != y_test[i]]
    kept = [i for i in correct if adv_pred[i] == y_test[i]]
    chosen = (flipped[:5] + kept[:1])[:6]
    fig, axes = plt.subplots(3, len(chosen), figsize=(8, 4.6))
    for c, i in enumerate(chosen):
        rows = [(images[i, :, :, 0], theme.cmap, 0, 1, f"says {clean_pred[i]}"),
                (attacked[i, :, :, 0] - images[i, :, :, 0], theme.diverging, -epsilon, epsilon, ""),
                (attacked[i, :, :, 0], theme.cmap, 0, 1, f"says {adv_pred[i]}")]
        for r, (img, cmap, lo, hi, title) in enumerate(rows):
            ax = axes[r, c]
            ax.imshow(img, cmap=cmap, vmin=lo, vmax=hi)
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            if title:
                wrong = r == 2 and adv_pred[i] != y_test[i]
                ax.set_title(title, fontsize=10, color=theme.colors[3] if wrong else theme.fg)
    for r, label in enumerate(("clean", "perturbation", "attacked")):
        axes[r, 0].set_ylabel(label, fontsize=9)
    fig.tight_layout()
    return fig


@figure(
    alt=("Line chart of test accuracy against the perturbation size epsilon from 0 to 0.3 for the small "
         "digits CNN. The FGSM curve falls steeply from the clean accuracy to near zero by epsilon 0.2; "
         "the curve for random plus-or-minus-epsilon noise of the same size declines slowly and stays far "
         "above it at every epsilon."),
    caption=("Test accuracy of the digits CNN as the perturbation grows: FGSM's gradient-aimed change against "
             "random signs of the same size."),
    format="png",  # lighter than SVG: the page is near the 1.5 MB budget
)
def adversarial_accuracy(theme):
    import matplotlib.pyplot as plt

    _, X_test, _, y_test = digits_split()
    cnn = trained_cnn()
    images = X_test.reshape(-1, 8, 8, 1)
    rng = np.random.default_rng(1)
    epsilons = np.linspace(0, 0.3, 13)
    attack, noise = [], []
    for eps in epsilons:
        attack.append(np.mean(cnn.predict(fgsm(cnn, images, y_test, eps)).argmax(axis=1) == y_test))
        noisy = np.clip(images + eps * rng.choice([-1.0, 1.0], size=images.shape), 0, 1)
        noise.append(np.mean(cnn.predict(noisy).argmax(axis=1) == y_test))
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    ax.plot(epsilons, np.array(noise) * 100, "o-", color=theme.colors[0], label="random ±ε noise")
    ax.plot(epsilons, np.array(attack) * 100, "s-", color=theme.colors[3], label="FGSM")
    ax.set_xlabel("ε (pixels run from 0 to 1)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig


@figure(
    alt=("Line chart of test accuracy against the fraction of weights pruned, from 0 to 95 percent, for a "
         "64-128-64-10 digits classifier. Without retraining, accuracy holds to about half the weights "
         "removed and then collapses. With five epochs of retraining, keeping pruned weights at zero, "
         "accuracy stays high until about 90 percent are removed. A horizontal line marks the 8-bit "
         "quantized network's accuracy, level with the original."),
    caption=("Magnitude pruning of each weight matrix, before and after five epochs of retraining with the "
             "pruned weights held at zero; the dashed line is the same network with 8-bit weights."),
)
def pruning(theme):
    import matplotlib.pyplot as plt
    from nnlib import Dense, Sequential

    X_train, X_test, y_train, y_test = digits_split()
    mlp = Sequential([Dense(128, activation="relu", input_shape=(64,)), Dense(64, activation="relu"),
                      Dense(10, activation="softmax")], seed=0)
    mlp.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    mlp.fit(X_train, y_train, epochs=30, batch_size=32, verbose=0)
    trained = mlp.get_weights()

    def accuracy():
        return 100 * np.mean(mlp.predict(X_test).argmax(axis=1) == y_test)

    def prune(fraction):
        return [np.where(np.abs(w) >= np.quantile(np.abs(w), fraction), w, 0).astype(w.dtype) if w.ndim == 2 else w
                for w in trained]

    fractions = [0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95]
    before, after = [], []
    for fraction in fractions:
        mlp.set_weights(prune(fraction))
        before.append(accuracy())
        masks = [p != 0 for _, p, _ in mlp.named_parameters()]
        rng = np.random.default_rng(0)
        for _ in range(5):
            order = rng.permutation(len(X_train))
            for start in range(0, len(order), 32):
                batch = order[start:start + 32]
                mlp.train_step(X_train[batch], y_train[batch])
                for (_, p, _), mask in zip(mlp.named_parameters(), masks):
                    if p.ndim == 2:
                        p *= mask
        after.append(accuracy())
    quantized = []
    for w in trained:
        scale = float(np.abs(w).max()) / 127
        quantized.append(np.round(w / scale).astype(np.int8).astype(np.float32) * scale)
    mlp.set_weights(quantized)
    q_acc = accuracy()
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    pct = np.array(fractions) * 100
    ax.plot(pct, before, "o-", color=theme.colors[3], label="pruned")
    ax.plot(pct, after, "s-", color=theme.colors[0], label="pruned, then retrained 5 epochs")
    ax.axhline(q_acc, color=theme.colors[2], linestyle="--", label="8-bit weights, no pruning")
    ax.set_xlabel("weights removed from each matrix (%)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig
