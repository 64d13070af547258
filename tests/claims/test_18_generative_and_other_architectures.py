"""Claims of lesson 18, "Generative and other architectures": autoencoder codes, the GAN on a ring,
FGSM against random noise and knowledge distillation, over five initializations (five pairs of
them for the GAN)."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Adam, Conv2D, Dense, Flatten, MaxPooling2D, Sequential, data, losses


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


def ring(n, rng):
    angle = rng.uniform(0, 2 * np.pi, n)
    radius = 1 + rng.normal(0, 0.05, n)
    return np.column_stack([radius * np.cos(angle), radius * np.sin(angle)]).astype(np.float32)


def gan(seed, steps=2000, n=128):
    """The page's GAN; the page's run is G's seed 3 and D's seed 4, these are 3 + seed, 4 + seed.
    Returns (the generated radius's standard deviation, angular sectors of 12 reached)."""
    G = Sequential([Dense(32, activation="relu", input_shape=(2,)), Dense(32, activation="relu"), Dense(2)],
                   seed=3 + seed)
    D = Sequential([Dense(32, activation="relu", input_shape=(2,)), Dense(32, activation="relu"),
                    Dense(1, activation="sigmoid")], seed=4 + seed)
    opt_G, opt_D = Adam(0.001, beta_1=0.5), Adam(0.001, beta_1=0.5)
    bce = losses.get("binary_crossentropy")
    rng = np.random.default_rng(seed)
    ones, zeros = np.ones((n, 1), np.float32), np.zeros((n, 1), np.float32)
    for _ in range(steps):
        x = np.concatenate([ring(n, rng), G.forward(rng.normal(size=(n, 2)).astype(np.float32))])
        D.backward(bce.gradient(np.concatenate([ones, zeros]), D.forward(x, training=True)))
        opt_D.step(D.parameter_gradient_pairs())
        p = D.forward(G.forward(rng.normal(size=(n, 2)).astype(np.float32), training=True), training=True)
        G.backward(D.backward(bce.gradient(ones, p)))
        opt_G.step(G.parameter_gradient_pairs())
    samples = G.predict(rng.normal(size=(2000, 2)).astype(np.float32))
    sector = np.floor((np.arctan2(samples[:, 1], samples[:, 0]) + np.pi) / (2 * np.pi) * 12)
    return [float(np.linalg.norm(samples, axis=1).std()), len(np.unique(sector))]


@measurement
def gans():
    return [gan(seed) for seed in SEEDS]


def test_the_gan_covers_the_whole_ring_in_every_run(report):
    """'Trained five times from other initial weights, the same code reached all twelve sectors of
    the ring every time' (with the generated radius close to 1)."""
    runs = gans()
    report("GAN: generated radius standard deviation", spread([std for std, _ in runs]))
    report("GAN: angular sectors of 12 reached", spread([sectors for _, sectors in runs]))
    assert all(std < 0.15 and sectors == 12 for std, sectors in runs)


def test_a_two_number_code_beats_the_average_digit_and_sixteen_beat_two(report):
    """'Two numbers per image already beat the best constant guess clearly'; a 16-number code
    reconstructs far better (every run)."""
    runs = autoencoders()
    report("predict the average digit: test MSE", runs["mean image"])
    report("2-number code: test MSE", spread(runs["2"]))
    report("16-number code: test MSE", spread(runs["16"]))
    assert max(runs["2"]) < 0.75 * runs["mean image"]
    assert all(wide < narrow / 2 for wide, narrow in zip(runs["16"], runs["2"]))


def test_soft_targets_beat_hard_labels_with_few_images(report):
    """'With 100 training images, soft targets beat hard labels clearly ...: in five runs ... they
    won every time. ... With all 1,348 images the gain shrinks to about a point, less than one
    run differs from the next, and in single runs hard labels sometimes do as well.'"""
    runs = distillation()
    gains = {}
    for n in ("100", "1348"):
        gains[n] = [s - h for s, h in zip(runs[f"soft, {n}"], runs[f"hard, {n}"])]
        report(f"{n} images: student accuracy, hard labels", spread(runs[f"hard, {n}"]))
        report(f"{n} images: student accuracy, soft targets", spread(runs[f"soft, {n}"]))
        report(f"{n} images: gain of soft targets", spread(gains[n]))
    assert all(gain > 0 for gain in gains["100"]) and np.mean(gains["100"]) > 0.03
    assert 0 < np.mean(gains["1348"]) < min(0.02, np.std(runs["soft, 1348"], ddof=1), np.std(runs["hard, 1348"], ddof=1))
    assert min(gains["1348"]) <= 0


@measurement
def attacks():
    """Test accuracy of the page's CNN under FGSM and under random signs of the same size."""
    X_train, X_test, y_train, y_test = digits()
    images_train, images_test = X_train.reshape(-1, 8, 8, 1), X_test.reshape(-1, 8, 8, 1)
    out = {"fgsm": [], "random": []}
    for seed in SEEDS:
        cnn = Sequential([Conv2D(8, 3, padding="same", activation="relu", input_shape=(8, 8, 1)), MaxPooling2D(),
                          Conv2D(16, 3, padding="same", activation="relu"), MaxPooling2D(),
                          Flatten(), Dense(10, activation="softmax")], seed=seed)
        cnn.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        cnn.fit(images_train, y_train, epochs=20, batch_size=32, verbose=0)
        dx = cnn.backward_loss(y_test, cnn.forward(images_test))
        signs = np.random.default_rng(seed).choice([-1.0, 1.0], size=images_test.shape)
        out["fgsm"].append(accuracy(cnn, np.clip(images_test + 0.1 * np.sign(dx), 0.0, 1.0), y_test))
        out["random"].append(accuracy(cnn, np.clip(images_test + 0.1 * signs, 0.0, 1.0), y_test))
    return out


def test_fgsm_costs_far_more_than_random_noise_of_the_same_size(report):
    """'Noise of exactly the same size, with random signs, costs far less accuracy; the same budget
    spent in the gradient's direction destroys it' (at epsilon = 0.1, in every run)."""
    runs = attacks()
    report("epsilon 0.1: accuracy under FGSM", spread(runs["fgsm"]))
    report("epsilon 0.1: accuracy under random signs", spread(runs["random"]))
    assert all(noise - attack > 0.2 for attack, noise in zip(runs["fgsm"], runs["random"]))
