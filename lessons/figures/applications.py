"""Figures for lesson 19, "Applications, ethics and what comes next".

Each figure repeats the run on the lesson page with the same seeds and settings, so the
pictures show the very models whose numbers the doctests print.
"""

import math
from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

from nnlib import SGD, Adam, Dense, Sequential, Softmax, data


# ----- shared runs ------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _digits():
    X, y = data.load_digits()
    return data.train_test_split(X, y, test=0.25, rng=0, stratify=True)


def _digit_net(optimizer="adam", seed=0):
    model = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(10), Softmax()], seed=seed)
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    return model


def _first_per_digit(y_train, count):
    return np.concatenate([np.flatnonzero(y_train == digit)[:count] for digit in range(10)])


PER_DIGIT = (2, 5, 10, 20, 50, 100)


@lru_cache(maxsize=None)
def _data_hunger():
    """Train and test accuracy for growing training sets (the lesson's loop, more sizes)."""
    X_train, X_test, y_train, y_test = _digits()
    Y_train, Y_test = data.one_hot(y_train, 10), data.one_hot(y_test, 10)
    rows, models = [], {}
    for per_digit in PER_DIGIT:
        chosen = _first_per_digit(y_train, per_digit)
        model = _digit_net(Adam(0.005))
        epochs = max(15, math.ceil(300 / math.ceil(len(chosen) / 32)))
        model.fit(X_train[chosen], Y_train[chosen], epochs=epochs, batch_size=32, verbose=0)
        rows.append((len(chosen), model.evaluate(X_train[chosen], Y_train[chosen])[1],
                     model.evaluate(X_test, Y_test)[1]))
        models[per_digit] = model
    return rows, models


def _train_classifier(X, y):
    model = Sequential([Dense(16, activation="relu", input_shape=(2,)), Dense(16, activation="relu"),
                        Dense(1, activation="sigmoid")], seed=0)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=20, batch_size=32, verbose=0)
    return model


@lru_cache(maxsize=None)
def _bias_run():
    rng = np.random.default_rng(3)
    (Xa, ya), (Xb, yb) = data.make_people(1900, "A", rng), data.make_people(100, "B", rng)
    X, y = np.vstack([Xa, Xb]), np.concatenate([ya, yb])
    test_a, test_b = data.make_people(1000, "A", rng), data.make_people(1000, "B", rng)
    pooled = _train_classifier(X, y)
    balanced = np.concatenate([np.arange(1900), np.repeat(np.arange(1900, 2000), 19)])
    reweighted = _train_classifier(X[balanced], y[balanced])
    accuracies = {name: (model.evaluate(*test_a)[1], model.evaluate(*test_b)[1])
                  for name, model in (("as collected", pooled), ("B oversampled", reweighted))}
    return X, y, pooled, reweighted, accuracies


@lru_cache(maxsize=None)
def _federated_run(rounds=20):
    X_train, X_test, y_train, y_test = _digits()
    Y_train, Y_test = data.one_hot(y_train, 10), data.one_hot(y_test, 10)
    clients = [np.flatnonzero(y_train // 2 == k) for k in range(5)]
    server = _digit_net()
    workers = [_digit_net(SGD(0.1)) for _ in clients]
    sizes = np.array([len(c) for c in clients])
    federated = []
    for round_ in range(rounds):
        updates = []
        for worker, held in zip(workers, clients):
            worker.set_weights(server.get_weights())
            worker.fit(X_train[held], Y_train[held], epochs=1, batch_size=32, verbose=0, seed=round_)
            updates.append(worker.get_weights())
        server.set_weights([sum(n * update[j] for n, update in zip(sizes, updates)) / sizes.sum()
                            for j in range(len(updates[0]))])
        federated.append(server.evaluate(X_test, Y_test)[1])
    central = _digit_net(SGD(0.1))
    history = central.fit(X_train, Y_train, epochs=rounds, batch_size=32, verbose=0,
                          validation_data=(X_test, Y_test))
    lonely = _digit_net(SGD(0.1))
    lonely.fit(X_train[clients[0]], Y_train[clients[0]], epochs=10, batch_size=32, verbose=0)
    return federated, history.history["val_accuracy"], lonely.evaluate(X_test, Y_test)[1]


def _saliency_and_occlusion(model, image, patch=2):
    """|d logit_c / d x| and the drop in p_c when each patch x patch square is blanked."""
    predicted = int(model.predict(image).argmax())
    model.forward(image)
    gradient = model.backward(np.eye(10, dtype=np.float32)[[predicted]], layers=model.layers[:-1])
    saliency = np.abs(np.asarray(gradient)).reshape(8, 8)
    p_full = model.predict(image)[0, predicted]
    size = 8 - patch + 1
    drops = np.zeros((size, size))
    for r in range(size):
        for c in range(size):
            hidden = image.reshape(8, 8).copy()
            hidden[r:r + patch, c:c + patch] = 0
            drops[r, c] = p_full - model.predict(hidden.reshape(1, 64))[0, predicted]
    # Spread each patch's drop over the pixels it covered, for a map on the image's own grid.
    occlusion, counts = np.zeros((8, 8)), np.zeros((8, 8))
    for r in range(size):
        for c in range(size):
            occlusion[r:r + patch, c:c + patch] += drops[r, c]
            counts[r:r + patch, c:c + patch] += 1
    return predicted, saliency, occlusion / counts


# ----- figures ----------------------------------------------------------------------------

@figure(
    alt="Two panels about a model trained on two groups of people, group A common and group B rare. "
        "Left: the training points in the plane, group A as a large round cloud and group B as a small "
        "cloud to its right, with the boundary the network learned; the boundary follows group A's rule "
        "and cuts through group B wrongly. Right: bars of test accuracy per group, for the model trained "
        "on the data as collected (group A near perfect, group B near chance) and with group B "
        "oversampled (group B much better, group A slightly worse).",
    caption="Bias from imbalanced data. Left: group B (right-hand cloud) is 5 % of the training data, and "
            "the learned boundary (black line) serves group A. Right: accuracy per group on fresh data, "
            "before and after giving group B equal weight.",
    format="png",
)
def group_bias(theme):
    import matplotlib.pyplot as plt

    X, y, pooled, _, accuracies = _bias_run()
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.6, 3.6), gridspec_kw={"width_ratios": [1.25, 1]})
    xs, ys = np.meshgrid(np.linspace(-3.5, 5.5, 220), np.linspace(-3.5, 3.5, 170))
    grid = np.column_stack([xs.ravel(), ys.ravel()]).astype(np.float32)
    p = pooled.predict(grid)[:, 0].reshape(xs.shape)
    left.contourf(xs, ys, p, levels=[0, 0.5, 1], colors=[theme.colors[5], theme.colors[1]], alpha=0.18)
    left.contour(xs, ys, p, levels=[0.5], colors=[theme.fg], linewidths=1.5)
    group_b = np.arange(len(X)) >= 1900
    for label, color in ((0, theme.colors[5]), (1, theme.colors[1])):
        a = (~group_b) & (y == label)
        b = group_b & (y == label)
        left.scatter(X[a, 0], X[a, 1], s=5, color=color, alpha=0.5, linewidths=0)
        left.scatter(X[b, 0], X[b, 1], s=22, color=color, marker="^", edgecolors=theme.fg, linewidths=0.5)
    left.text(-3.2, 3.55, "group A (circles)", fontsize=9)
    left.text(2.0, 3.55, "group B (triangles)", fontsize=9)
    left.set_xlim(-3.5, 5.5)
    left.set_ylim(-3.5, 4.1)
    left.set_xlabel("feature 1")
    left.set_ylabel("feature 2")
    names = list(accuracies)
    positions = np.arange(len(names))
    width = 0.36
    for offset, group, color in ((-width / 2, 0, theme.colors[0]), (width / 2, 1, theme.colors[3])):
        values = [accuracies[name][group] for name in names]
        bars = right.bar(positions + offset, values, width, color=color, label=f"group {'AB'[group]}")
        for bar, value in zip(bars, values):
            right.text(bar.get_x() + bar.get_width() / 2, value + 0.02, f"{value:.0%}", ha="center", fontsize=9)
    right.set_xticks(positions, names)
    right.set_ylim(0, 1.12)
    right.set_ylabel("test accuracy")
    right.legend(loc="upper right", ncols=2, fontsize=9)
    fig.tight_layout()
    return fig


@figure(
    alt="Test and training accuracy of the digit network against the number of training images, from 20 "
        "to 1,000 on a logarithmic axis. Training accuracy stays near 100 percent throughout; test "
        "accuracy starts around 70 percent with 20 images and climbs steeply, then ever more slowly, "
        "toward the high nineties. The gap between the curves shrinks as data grows.",
    caption="Data hunger on the 8×8 digits: the same network trained on more and more images (the same "
            "number of each digit), tested on the same held-out quarter of the images. With little data it memorizes; "
            "each extra image helps less than the one before.",
)
def data_hunger(theme):
    import matplotlib.pyplot as plt

    rows, _ = _data_hunger()
    sizes, train, test = (np.array(column) for column in zip(*rows))
    fig, ax = plt.subplots(figsize=(6.4, 3.5))
    ax.plot(sizes, train, marker="o", color=theme.colors[0], label="training images")
    ax.plot(sizes, test, marker="s", color=theme.colors[1], linestyle="--", label="unseen test images")
    for size, value in zip(sizes, test):
        ax.annotate(f"{value:.0%}", (size, value), textcoords="offset points", xytext=(0, -15),
                    ha="center", fontsize=8, color=theme.fg)
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(s) for s in sizes])
    ax.minorticks_off()
    ax.set_xlabel("training images (log scale)")
    ax.set_ylabel("accuracy")
    ax.set_ylim(0.55, 1.03)
    ax.grid(True, linewidth=0.5)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig


@figure(
    alt="Four test digits in four rows; for each, three small images side by side: the digit itself, its "
        "saliency map (the size of the gradient of the predicted class score at every pixel) and its "
        "occlusion map (how much the predicted probability falls when the pixel is hidden). The occlusion "
        "maps concentrate on one or two stroke regions per digit; the saliency maps are noisy and spread "
        "over many pixels, background included.",
    caption="Why did the network say that? For four test digits: the image, the saliency map "
            "|∂ score / ∂ pixel| from one backward pass, and the occlusion map from blanking 2×2 patches. "
            "Brighter means the pixel mattered more to the predicted class.",
    format="png",
)
def saliency_maps(theme):
    import matplotlib.pyplot as plt

    _, X_test, _, y_test = _digits()
    _, models = _data_hunger()
    model = models[100]
    picks = [0] + [int(np.flatnonzero(y_test == digit)[0]) for digit in (0, 4, 7)]
    fig, axes = plt.subplots(len(picks), 3, figsize=(4.6, 1.55 * len(picks)))
    grey = "gray_r" if theme.name == "light" else "gray"
    for row, index in enumerate(picks):
        image = X_test[index:index + 1]
        predicted, saliency, occlusion = _saliency_and_occlusion(model, image)
        panels = ((image.reshape(8, 8), grey, f"digit {y_test[index]} → {predicted}"),
                  (saliency / saliency.max(), theme.cmap, "saliency"),
                  (np.clip(occlusion, 0, None) / max(occlusion.max(), 1e-9), theme.cmap, "occlusion"))
        for ax, (values, cmap, title) in zip(axes[row], panels):
            ax.imshow(values, cmap=cmap, vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.spines[:].set_visible(False)
            ax.set_title(title, fontsize=9)
    fig.tight_layout(pad=0.4)
    return fig


@figure(
    alt="Test accuracy against round or epoch, from 1 to 20, for three ways of training the digit network. "
        "Central training on all the data climbs fastest and ends in the mid nineties. Federated averaging "
        "over five clients that each hold two digits climbs more slowly and ends in the mid eighties. A "
        "single client training alone on its two digits is a flat line near 20 percent.",
    caption="Federated averaging over five clients, each holding only two of the ten digits, against "
            "central training on the pooled data with the same number of passes. No client can learn the "
            "task alone; together they learn it without sharing an image, more slowly than central training.",
)
def federated_rounds(theme):
    import matplotlib.pyplot as plt

    federated, central, lonely = _federated_run()
    steps = np.arange(1, len(federated) + 1)
    fig, ax = plt.subplots(figsize=(6.4, 3.5))
    ax.plot(steps, central, marker="o", markersize=3, color=theme.colors[0], label="central (pooled data)")
    ax.plot(steps, federated, marker="s", markersize=3, color=theme.colors[1], linestyle="--",
            label="federated averaging, 5 clients")
    ax.axhline(lonely, color=theme.colors[3], linestyle=":", label="one client alone (digits 0 and 1)")
    ax.set_xlabel("round (federated) or epoch (central)")
    ax.set_ylabel("test accuracy")
    ax.set_ylim(0, 1.02)
    ax.set_xticks([1, 5, 10, 15, 20])
    ax.grid(True, linewidth=0.5)
    ax.legend(loc="lower right", fontsize=9)
    fig.tight_layout()
    return fig
