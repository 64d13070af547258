"""Claims of lesson 19, "Applications, ethics and what comes next": accuracy per group when group
B is rare and what oversampling and more data do about it (on the page's synthetic population),
and data hunger, membership inference, federated averaging and self-supervised pretraining on
the digits, each over five initializations."""

import math

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import SGD, Adam, Dense, Dropout, Sequential, Softmax, data

PER_DIGIT = (2, 5, 20, 50, 100)


def population():
    """The page's draws, in the page's order: 1,900 of A and 100 of B to train, 1,000 of each to
    test, then 500 new examples of B."""
    rng = np.random.default_rng(3)

    def people(n, group):
        return data.make_people(n, group, rng)

    (Xa, ya), (Xb, yb) = people(1900, "A"), people(100, "B")
    test_a, test_b = people(1000, "A"), people(1000, "B")
    more_b = people(500, "B")
    return np.vstack([Xa, Xb]), np.concatenate([ya, yb]), test_a, test_b, more_b


def per_group(X, y, seed):
    _, _, test_a, test_b, _ = population()
    model = Sequential([Dense(16, activation="relu", input_shape=(2,)), Dense(16, activation="relu"),
                        Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=20, batch_size=32, verbose=0)
    return [model.evaluate(*test_a)[1], model.evaluate(*test_b)[1]]


@measurement
def groups():
    X, y, _, _, (X_more, y_more) = population()
    balanced = np.concatenate([np.arange(1900), np.repeat(np.arange(1900, 2000), 19)])
    out = {"as collected": [], "oversampled": [], "more data": []}
    for seed in SEEDS:
        out["as collected"].append(per_group(X, y, seed))
        out["oversampled"].append(per_group(X[balanced], y[balanced], seed))
        out["more data"].append(per_group(np.vstack([X, X_more]), np.concatenate([y, y_more]), seed))
    return out


def test_trained_as_collected_group_b_is_near_a_coin_toss(report):
    """'it hides a model that is close to a coin toss for group B' while group A is almost always
    right (every run)."""
    runs = groups()["as collected"]
    report("as collected: group A accuracy", spread([a for a, _ in runs]))
    report("as collected: group B accuracy", spread([b for _, b in runs]))
    assert all(a > 0.97 and b < 0.65 for a, b in runs)


def test_oversampling_lifts_group_b_and_group_a_pays(report):
    """'Group B improves dramatically, and group A pays for it' (every run)."""
    runs = groups()
    before, after = runs["as collected"], runs["oversampled"]
    report("oversampled: group A accuracy", spread([a for a, _ in after]))
    report("oversampled: group B accuracy", spread([b for _, b in after]))
    assert all(b1 > b0 + 0.2 and a1 < a0 - 0.02 for (a0, b0), (a1, b1) in zip(before, after))


def test_more_group_b_data_lifts_b_while_a_hardly_loses(report):
    """'Real data from the under-served group lifts group B well above the model trained as
    collected while group A hardly loses anything' (every run)."""
    runs = groups()
    before, more = runs["as collected"], runs["more data"]
    report("500 more of group B: group A accuracy", spread([a for a, _ in more]))
    report("500 more of group B: group B accuracy", spread([b for _, b in more]))
    assert all(b1 > b0 + 0.1 and a1 > a0 - 0.03 for (a0, b0), (a1, b1) in zip(before, more))


@measurement
def data_hunger():
    """Train and test accuracy for 20 ... 1,000 training images, and the membership attack on the
    20-image network, as on the page (first images of each digit; at least 300 steps)."""
    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test=0.25, rng=0, stratify=True)
    Y_train, Y_test = data.one_hot(y_train, 10), data.one_hot(y_test, 10)
    out = {"train": [], "test": [], "membership": []}
    for seed in SEEDS:
        train, test = [], []
        for per_digit in PER_DIGIT:
            chosen = np.concatenate([np.flatnonzero(y_train == digit)[:per_digit] for digit in range(10)])
            model = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(10), Softmax()], seed=seed)
            model.compile(optimizer=Adam(0.005), loss="categorical_crossentropy", metrics=["accuracy"])
            model.fit(X_train[chosen], Y_train[chosen], epochs=max(15, math.ceil(300 / math.ceil(len(chosen) / 32))),
                      batch_size=32, verbose=0)
            train.append(model.evaluate(X_train[chosen], Y_train[chosen])[1])
            test.append(model.evaluate(X_test, Y_test)[1])
            if per_digit == 2:
                inside = (model.predict(X_train[chosen]) * Y_train[chosen]).sum(axis=1)
                outside = (model.predict(X_test[:20]) * Y_test[:20]).sum(axis=1)
                out["membership"].append(float(((inside > 0.9).sum() + (outside <= 0.9).sum()) / 40))
        out["train"].append(train)
        out["test"].append(test)
    return out


def test_few_images_are_memorized_and_each_further_image_buys_less(report):
    """'With a handful of images per digit the network memorizes them perfectly and still fails on a
    large share of new ones; each further batch of data buys fewer points than the one before'
    (per added image, in every run)."""
    runs = data_hunger()
    sizes = [10 * n for n in PER_DIGIT]
    for i, size in enumerate(sizes):
        report(f"{size} training images: test accuracy", spread([test[i] for test in runs["test"]]))
    for train, test in zip(runs["train"], runs["test"]):
        assert train[0] == 1.0 and test[0] < 0.8
        per_image = [(b - a) / (n1 - n0) for a, b, n0, n1 in zip(test, test[1:], sizes, sizes[1:])]
        assert all(x > y > 0 for x, y in zip(per_image, per_image[1:])), per_image


def test_membership_is_guessed_far_better_than_chance(report):
    """'in five runs it guessed right for between about 70 % and 80 % of the 40 images' (chance 50 %)."""
    runs = data_hunger()["membership"]
    report("membership guessed right (chance 0.5)", spread(runs))
    assert 0.68 <= min(runs) and max(runs) <= 0.82


def federated(server, clients, X, Y, rounds=20):
    """Federated averaging as on the page: each round every client trains one epoch from the
    server's weights; the server averages the results, weighted by the clients' sizes."""
    sizes = np.array([len(held) for held in clients])
    for round_ in range(rounds):
        updates = []
        for held in clients:
            worker = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(10), Softmax()])
            worker.compile(optimizer=SGD(0.1), loss="categorical_crossentropy")
            worker.set_weights(server.get_weights())
            worker.fit(X[held], Y[held], epochs=1, batch_size=32, verbose=0, seed=round_)
            updates.append(worker.get_weights())
        server.set_weights([sum(n * update[j] for n, update in zip(sizes, updates)) / sizes.sum()
                            for j in range(len(updates[0]))])
    return server


@measurement
def federated_runs():
    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test=0.25, rng=0, stratify=True)
    Y_train, Y_test = data.one_hot(y_train, 10), data.one_hot(y_test, 10)

    def net(seed):
        model = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(10), Softmax()], seed=seed)
        model.compile(optimizer=SGD(0.1), loss="categorical_crossentropy", metrics=["accuracy"])
        return model

    two_digits = [np.flatnonzero(y_train // 2 == k) for k in range(5)]
    every_digit = np.array_split(np.random.default_rng(7).permutation(len(y_train)), 5)
    out = {"alone": [], "federated": [], "federated, mixed": [], "central": []}
    for seed in SEEDS:
        lonely = net(seed)
        lonely.fit(X_train[two_digits[0]], Y_train[two_digits[0]], epochs=10, batch_size=32, verbose=0)
        central = net(seed)
        central.fit(X_train, Y_train, epochs=20, batch_size=32, verbose=0)
        for name, model in (("alone", lonely), ("central", central),
                            ("federated", federated(net(seed), two_digits, X_train, Y_train)),
                            ("federated, mixed", federated(net(seed), every_digit, X_train, Y_train))):
            out[name].append(model.evaluate(X_test, Y_test)[1])
    return out


def test_federated_learning_beats_any_client_and_lags_central_training(report):
    """'No client could learn the task alone ... Together, without pooling a single image, they
    learn all ten. Federated training lags behind central training'; with every digit on every
    client 'more than half of the gap to central training closes' (every run)."""
    runs = federated_runs()
    for name in ("alone", "federated", "federated, mixed", "central"):
        report(f"{name}: test accuracy", spread(runs[name]))
    for alone, fed, mixed, central in zip(runs["alone"], runs["federated"], runs["federated, mixed"], runs["central"]):
        assert alone < 0.25 < 0.75 < fed < central
        assert central - mixed < (central - fed) / 2


@measurement
def pretraining_runs():
    """From scratch against a softmax head on frozen autoencoder features, 30/50/100 labels."""
    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test=0.25, rng=0, stratify=True)
    Y_train, Y_test = data.one_hot(y_train, 10), data.one_hot(y_test, 10)
    out = {"scratch": [], "pretrained": []}
    for seed in SEEDS:
        rebuild = Sequential([Dense(32, activation="tanh", input_shape=(64,)), Dense(64)], seed=seed)
        rebuild.compile(optimizer="adam", loss="mse")
        rebuild.fit(X_train, X_train, epochs=30, batch_size=32, verbose=0)
        encoder = rebuild.layers[0]
        scratch, pretrained = [], []
        for per_digit in (3, 5, 10):
            labelled = np.concatenate([np.flatnonzero(y_train == digit)[:per_digit] for digit in range(10)])
            net = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(10), Softmax()], seed=seed)
            net.compile(optimizer=Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
            net.fit(X_train[labelled], Y_train[labelled], epochs=60, batch_size=32, verbose=0)
            head = Sequential([Dense(10, activation="softmax", input_shape=(32,))], seed=seed)
            head.compile(optimizer=Adam(0.01), loss="categorical_crossentropy", metrics=["accuracy"])
            head.fit(np.asarray(encoder.forward(X_train[labelled])), Y_train[labelled], epochs=60, batch_size=32,
                     verbose=0)
            scratch.append(net.evaluate(X_test, Y_test)[1])
            pretrained.append(head.evaluate(np.asarray(encoder.forward(X_test)), Y_test)[1])
        out["scratch"].append(scratch)
        out["pretrained"].append(pretrained)
    return out


def test_pretraining_does_not_pay(report):
    """'over five runs from different initial weights the two are level on average at every label
    count: within about a point, while single runs differ by several points either way.
    Pretraining neither helps nor hurts measurably here.'"""
    runs = pretraining_runs()
    gaps = np.array(runs["scratch"]) - np.array(runs["pretrained"])
    for i, labels in enumerate((30, 50, 100)):
        report(f"{labels} labels: from scratch minus pretrained features", spread(gaps[:, i]))
        assert abs(gaps[:, i].mean()) < min(0.015, gaps[:, i].std(ddof=1))
    assert np.abs(gaps).max() > 0.03  # single runs: several points either way


def automl_split():
    """The page's digits: training images split again into fitting and validation, test held out."""
    X, y = data.load_digits()
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test=0.25, rng=0, stratify=True)
    X_fit, X_val, y_fit, y_val = data.train_test_split(X_train, y_train, test=0.25, rng=1, stratify=True)
    return X_fit, data.one_hot(y_fit, 10), X_val, data.one_hot(y_val, 10), X_test, data.one_hot(y_test, 10)


def candidate(width, learning_rate, rate, seed):
    """The page's search candidate, trained for 10 epochs: (validation, test) accuracy."""
    X_fit, Y_fit, X_val, Y_val, X_test, Y_test = automl_split()
    layers = [Dense(width, activation="relu", input_shape=(64,))] + ([Dropout(rate)] if rate else [])
    model = Sequential(layers + [Dense(10, activation="softmax")], seed=seed)
    model.compile(optimizer=Adam(learning_rate), loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(X_fit, Y_fit, epochs=10, batch_size=32, verbose=0)
    return model.evaluate(X_val, Y_val)[1], model.evaluate(X_test, Y_test)[1]


@measurement
def random_searches():
    """Five random searches of 8 trials as on the page, each with its own draws (search seed and
    initial weights both ``seed``): every trial's settings and accuracies."""
    out = []
    for seed in SEEDS:
        search_rng = np.random.default_rng(seed)
        trials = []
        for _ in range(8):
            width = int(search_rng.choice([8, 16, 32, 64, 128]))
            learning_rate = float(10 ** search_rng.uniform(-4, -1))
            rate = float(search_rng.choice([0.0, 0.2, 0.5]))
            trials.append([width, learning_rate, rate, *candidate(width, learning_rate, rate, seed)])
        out.append(trials)
    return out


@measurement
def learning_rates():
    """The page's chosen architecture (64 units, dropout 0.2) at a poor and a good learning rate."""
    return {str(lr): [candidate(64, lr, 0.2, seed)[1] for seed in SEEDS] for lr in (0.0003, 0.003)}


def test_a_poor_learning_rate_wastes_a_good_architecture(report):
    """'a poor learning rate wastes a good architecture': the chosen 64 units with dropout 0.2 at
    learning rate 0.0003 instead of 0.003 lose several points of test accuracy, in every run."""
    runs = learning_rates()
    for lr, values in runs.items():
        report(f"64 units, dropout 0.2, learning rate {lr}: test accuracy", spread(values))
    assert all(poor < good - 0.05 for poor, good in zip(runs["0.0003"], runs["0.003"]))


def test_random_search_finds_a_sensible_region(report):
    """'the search finds a sensible region without a person in the loop': in each of five searches
    with their own draws, trials range widely, the chosen learning rate lies between 0.001 and
    0.1 and the chosen network is within two points of the best of its eight trials on test."""
    searches = random_searches()
    chosen = [max(trials, key=lambda trial: trial[3]) for trials in searches]
    report("test accuracy of the chosen trial", spread([trial[4] for trial in chosen]))
    report("test accuracy of the worst trial", spread([min(t[4] for t in trials) for trials in searches]))
    for trials, (_, learning_rate, _, _, test) in zip(searches, chosen):
        assert max(t[4] for t in trials) - min(t[4] for t in trials) > 0.1
        assert 0.001 < learning_rate < 0.1
        assert test > max(t[4] for t in trials) - 0.02
