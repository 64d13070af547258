"""Claims of lesson 18, "Generative and other architectures": autoencoder codes and knowledge
distillation, over five initializations on the page's split of the digits."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Adam, Dense, Sequential, data


def digits():
    X, y = data.load_digits()
    return data.train_test_split(X, y, test=0.25, rng=0, stratify=True)


def accuracy(model, X, labels):
    return float(np.mean(model.predict(X).argmax(axis=1) == labels))


@measurement
def autoencoders():
    X_train, X_test, _, _ = digits()
    out = {"mean image": float(np.mean((X_test - X_train.mean(axis=0)) ** 2)), "2": [], "16": []}
    for seed in SEEDS:
        for code_size in (2, 16):
            model = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(code_size),
                                Dense(32, activation="relu"), Dense(64, activation="sigmoid")], seed=seed)
            model.compile(optimizer="adam", loss="mse")
            model.fit(X_train, X_train, epochs=60, batch_size=32, verbose=0)
            out[str(code_size)].append(model.evaluate(X_test, X_test))
    return out


def soften(z, T):
    e = np.exp((z - z.max(axis=1, keepdims=True)) / T)
    return (e / e.sum(axis=1, keepdims=True)).astype(np.float32)


@measurement
def distillation():
    """The page's teacher (run 0), students trained on hard labels or soft targets, five runs each."""
    X_train, X_test, y_train, y_test = digits()
    teacher = Sequential([Dense(128, activation="relu", input_shape=(64,)),
                          Dense(64, activation="relu"), Dense(10, activation="softmax")], seed=0)
    teacher.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    teacher.fit(X_train, y_train, epochs=30, batch_size=32, verbose=0)
    teacher.forward(X_train)
    targets = {"hard": data.one_hot(y_train, 10), "soft": soften(teacher.layers[-1].z, 4)}
    out = {}
    for n_images in (100, len(X_train)):
        for kind, target in targets.items():
            scores = []
            for seed in SEEDS:
                idx = np.random.default_rng(seed).permutation(len(X_train))[:n_images]
                student = Sequential([Dense(8, activation="relu", input_shape=(64,)),
                                      Dense(10, activation="softmax")], seed=seed)
                student.compile(optimizer=Adam(0.01), loss="categorical_crossentropy")
                student.fit(X_train[idx], target[idx], epochs=60, batch_size=32, verbose=0)
                scores.append(accuracy(student, X_test, y_test))
            out[f"{kind}, {n_images}"] = scores
    return out


def test_a_two_number_code_beats_the_average_digit_and_sixteen_beat_two(report):
    """'Two numbers per image already beat the best constant guess clearly'; a 16-number code
    reconstructs far better (every run)."""
    runs = autoencoders()
    report("predict the average digit: test MSE", runs["mean image"])
    report("2-number code: test MSE", spread(runs["2"]))
    report("16-number code: test MSE", spread(runs["16"]))
    assert max(runs["2"]) < 0.75 * runs["mean image"]
    assert all(wide < narrow / 2 for wide, narrow in zip(runs["16"], runs["2"]))


def test_soft_targets_beat_hard_labels_and_gain_more_with_fewer_images(report):
    """'Trained on soft targets it beats the same network trained on hard labels, in every run; the
    gain is larger with 100 images than with all of them.'"""
    runs = distillation()
    gains = {}
    for n in ("100", "1348"):
        gains[n] = [s - h for s, h in zip(runs[f"soft, {n}"], runs[f"hard, {n}"])]
        report(f"{n} images: student accuracy, hard labels", spread(runs[f"hard, {n}"]))
        report(f"{n} images: student accuracy, soft targets", spread(runs[f"soft, {n}"]))
        assert all(gain > 0 for gain in gains[n]), n
    assert np.mean(gains["100"]) > np.mean(gains["1348"])
