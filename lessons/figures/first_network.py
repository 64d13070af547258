"""Figures for lesson 13, "Build your first network": the 8x8 digits, end to end.

The data, split, model and training run are the ones on the lesson page (same seeds), so
the figures show the very network whose numbers the doctests print. One cached run serves
every figure in both palettes.
"""

from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

from nnlib import Dense, Dropout, Sequential, data


@lru_cache(maxsize=None)
def _split():
    X, y = data.load_digits()
    return data.train_val_test_split(X, y, val=0.15, test=0.2, rng=0, stratify=True)


def _seed_network():
    return Sequential([
        Dense(128, activation="relu", input_shape=(64,)),
        Dropout(0.2),
        Dense(64, activation="relu"),
        Dropout(0.2),
        Dense(10, activation="softmax"),
    ], seed=0)


@lru_cache(maxsize=None)
def _final_run():
    """The lesson's chosen model: the example network trained for 30 epochs."""
    X_train, X_val, X_test, y_train, y_val, y_test = _split()
    model = _seed_network()
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(X_train, data.one_hot(y_train, 10), validation_data=(X_val, data.one_hot(y_val, 10)),
                        epochs=30, batch_size=32, verbose=0)
    probabilities = model.predict(X_test)
    return history.history, probabilities


def _confusion(y_true, y_pred, k=10):
    matrix = np.zeros((k, k), dtype=int)
    np.add.at(matrix, (y_true, y_pred), 1)
    return matrix


@figure(
    alt="Thirty handwritten digits from the training set, three of each digit 0 to 9, drawn as 8 by 8 "
        "grey-scale pixel grids with their labels; the shapes are coarse but most are easy to read.",
    caption="What the network sees: 64 brightness values per image, here redrawn as 8×8 grids, "
            "with the label a person gave each one.",
)
def digit_gallery(theme):
    import matplotlib.pyplot as plt

    X_train, _, _, y_train, _, _ = _split()
    fig, axes = plt.subplots(3, 10, figsize=(7.5, 2.6))
    for digit in range(10):
        examples = np.flatnonzero(y_train == digit)[:3]
        for row, index in enumerate(examples):
            ax = axes[row, digit]
            ax.imshow(X_train[index].reshape(8, 8), cmap="gray_r" if theme.name == "light" else "gray",
                      vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            if row == 0:
                ax.set_title(str(digit), fontsize=11)
    fig.tight_layout(pad=0.3)
    return fig


@figure(
    alt="Training and validation accuracy (left) and loss (right) over 30 epochs for the digit network. "
        "Both accuracies climb steeply in the first five epochs and then level off in the high nineties; "
        "validation loss flattens while training loss keeps falling slowly.",
    caption="Learning curves of the final model. The validation curve is the one that decides: it stops "
            "improving well before training ends, and the gap to the training curve stays small.",
)
def learning_curves(theme):
    import matplotlib.pyplot as plt

    history, _ = _final_run()
    epochs = np.arange(1, len(history["loss"]) + 1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(8, 3.2))
    for ax, key, label in ((left, "accuracy", "accuracy"), (right, "loss", "loss (cross-entropy)")):
        ax.plot(epochs, history[key], color=theme.colors[0], label="training")
        ax.plot(epochs, history["val_" + key], color=theme.colors[1], linestyle="--", label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel(label)
        ax.grid(True, linewidth=0.5)
    left.legend(loc="lower right")
    fig.tight_layout()
    return fig


@figure(
    alt="A 10 by 10 confusion matrix of the final network on the test digits: rows are the true digit, "
        "columns the predicted one. Almost every count sits on the diagonal; the few errors are scattered "
        "single cells off it.",
    caption="Confusion matrix on the test set. Each row is one true digit; the diagonal holds the correct "
            "answers and every off-diagonal count is a specific mistake.",
    format="png",
)
def confusion_matrix(theme):
    import matplotlib.pyplot as plt

    _, _, _, _, _, y_test = _split()
    _, probabilities = _final_run()
    matrix = _confusion(y_test, probabilities.argmax(axis=1))
    fig, ax = plt.subplots(figsize=(5.2, 4.6))
    shown = np.log1p(matrix)
    image = ax.imshow(shown, cmap=theme.cmap)
    threshold = shown.max() / 2
    for i in range(10):
        for j in range(10):
            if matrix[i, j]:
                ax.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize=9,
                        color="black" if shown[i, j] > threshold else "white")
    ax.set_xticks(range(10))
    ax.set_yticks(range(10))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.spines[:].set_visible(False)
    del image
    fig.tight_layout()
    return fig


@figure(
    alt="Every test digit the final network got wrong, as 8 by 8 images, each labelled with its true digit, "
        "the predicted digit and the network's confidence. Several are ambiguous even to a person: "
        "strokes are cut off or crowded into a few pixels.",
    caption="The mistakes, most confident first. Many are digits a person would hesitate over at this "
            "resolution; a few are confident and plainly wrong, which is where the next iteration would look.",
    format="png",
)
def confused_examples(theme):
    import matplotlib.pyplot as plt

    _, _, X_test, _, _, y_test = _split()
    _, probabilities = _final_run()
    predicted = probabilities.argmax(axis=1)
    wrong = np.flatnonzero(predicted != y_test)
    wrong = wrong[np.argsort(-probabilities[wrong, predicted[wrong]])][:12]
    columns = 6
    rows = max(1, int(np.ceil(len(wrong) / columns)))
    fig, axes = plt.subplots(rows, columns, figsize=(7.5, 1.65 * rows), squeeze=False)
    for ax in axes.ravel():
        ax.set_axis_off()
    for ax, index in zip(axes.ravel(), wrong):
        ax.imshow(X_test[index].reshape(8, 8), cmap="gray_r" if theme.name == "light" else "gray", vmin=0, vmax=1)
        confidence = probabilities[index, predicted[index]]
        ax.set_title(f"true {y_test[index]} → {predicted[index]}\n{confidence:.0%} sure", fontsize=9)
    fig.tight_layout(pad=0.4)
    return fig
