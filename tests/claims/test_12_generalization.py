"""Claims of lesson 12, "Generalization", under the page's protocol: strengths chosen on the
validation set (initial weights of run 0), the final comparison on the test set over five runs."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import Adam, Dense, Dropout, EarlyStopping, Sequential, data, losses
from nnlib.regularizers import L1, L2

GRIDS = {"L1": [0.001, 0.003, 0.01, 0.03], "L2": [0.001, 0.003, 0.01, 0.03],
         "dropout": [0.2, 0.5, 0.7], "augmentation": [0.1, 0.2, 0.3, 0.4]}
REMEDIES = ("L1", "L2", "dropout", "early stopping", "augmentation")


def moons():
    X, y = data.make_moons(1060, noise=0.35, rng=5)
    return {"train": (X[:60], y[:60]), "val": (X[60:560], y[60:560]), "test": (X[560:], y[560:])}


def big_net(regularizer=None, dropout=0.0):
    layers = [Dense(64, activation="relu", input_shape=(2,), kernel_regularizer=regularizer)]
    layers += [Dropout(dropout)] if dropout else []
    layers += [Dense(64, activation="relu", kernel_regularizer=regularizer)]
    layers += [Dropout(dropout)] if dropout else []
    return layers + [Dense(1, activation="sigmoid", kernel_regularizer=regularizer)]


def train(layers, seed, X=None, y=None, epochs=400, callbacks=None, validation=False):
    sets = moons()
    X, y = (X, y) if X is not None else sets["train"]
    model = Sequential(layers, seed=seed)
    model.compile(optimizer=Adam(learning_rate=0.01), loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(X, y, epochs=epochs, batch_size=60, verbose=0, callbacks=callbacks,
              validation_data=sets["val"] if validation else None)
    return model


def augmented(noise, copies=9):
    X, y = moons()["train"]
    rng = np.random.default_rng(0)
    jittered = [X + rng.normal(0.0, noise, X.shape).astype(np.float32) for _ in range(copies)]
    return np.concatenate([X, *jittered]), np.tile(y, copies + 1)


def remedy(kind, strength, seed):
    if kind == "L1":
        return train(big_net(L1(strength)), seed)
    if kind == "L2":
        return train(big_net(L2(strength)), seed)
    if kind == "dropout":
        return train(big_net(dropout=strength), seed)
    if kind == "augmentation":
        return train(big_net(), seed, *augmented(strength), epochs=40)
    if kind == "early stopping":
        stop = EarlyStopping(monitor="val_loss", patience=30, restore_best_weights=True)
        return train(big_net(), seed, callbacks=[stop], validation=True)
    if kind == "small network":
        return train([Dense(8, activation="tanh", input_shape=(2,)), Dense(1, activation="sigmoid")], seed)
    return train(big_net(), seed)


def data_loss(model, part):
    X, y = moons()[part]
    return float(losses.BinaryCrossentropy()(y[:, None].astype(np.float32), model.predict(X)))


@measurement
def protocol():
    chosen = {kind: strengths[int(np.argmin([data_loss(remedy(kind, s, 0), "val") for s in strengths]))]
              for kind, strengths in GRIDS.items()}
    test, train_loss, accuracy = {}, {}, {}
    for kind in ("none", "small network", *REMEDIES):
        models = [remedy(kind, chosen.get(kind), seed) for seed in SEEDS]
        test[kind] = [data_loss(model, "test") for model in models]
        train_loss[kind] = [data_loss(model, "train") for model in models]
        accuracy[kind] = [model.evaluate(*moons()["test"])[1] for model in models]
    return {"chosen": chosen, "test": test, "train": train_loss, "accuracy": accuracy}


def test_every_remedy_cuts_the_test_loss_to_a_fifth_to_a_third(report):
    """'Every remedy, at its chosen strength, cuts the test loss of the unregularized network to
    between a fifth and a third, in every one of the five runs, and each pays for it with a higher
    training loss.'"""
    result = protocol()
    none = result["test"]["none"]
    report("test loss, no regularization", spread(none))
    for kind in REMEDIES:
        report(f"test loss, {kind} (strength {result['chosen'].get(kind)})", spread(result["test"][kind]))
        ratios = [r / n for r, n in zip(result["test"][kind], none)]
        assert all(1 / 5 <= ratio <= 1 / 3 for ratio in ratios), (kind, ratios)
        assert min(result["train"][kind]) > max(result["train"]["none"]), kind


def test_accuracies_move_by_a_few_points_either_way(report):
    """'The accuracies move much less, by a few points either way (L1 even loses a little).'"""
    result = protocol()
    none = np.mean(result["accuracy"]["none"])
    changes = {kind: np.mean(result["accuracy"][kind]) - none for kind in REMEDIES}
    for kind in REMEDIES:
        report(f"test accuracy, {kind}", spread(result["accuracy"][kind]))
    assert all(abs(change) <= 0.04 for change in changes.values()), changes
    assert changes["L1"] < 0


def test_three_remedies_finish_level_and_two_behind(report):
    """'Early stopping, L2 and augmentation finish level: their mean test losses differ by about as
    much as one run differs from the next. L1 and dropout come out behind them in every run ...;
    dropout's best strength was the largest on its grid.'"""
    test = protocol()["test"]
    level = ("early stopping", "L2", "augmentation")
    means = [np.mean(test[kind]) for kind in level]
    largest_std = max(np.std(test[kind], ddof=1) for kind in level)
    report("range of the three level remedies' mean test losses", max(means) - min(means))
    report("largest run-to-run standard deviation among them", largest_std)
    assert max(means) - min(means) <= 2 * largest_std
    assert min(min(test["L1"]), min(test["dropout"])) > max(max(test[kind]) for kind in level)
    assert protocol()["chosen"]["dropout"] == max(GRIDS["dropout"])


def test_the_small_network_is_as_good_as_the_best_regularized_big_one(report):
    """'Trained five times and scored on the same test set, it [the 8-unit network] does as well as
    the best of the regularized big networks, a little better on average.'"""
    test = protocol()["test"]
    report("test loss, small network (8 tanh units)", spread(test["small network"]))
    best = min(np.mean(test[kind]) for kind in REMEDIES)
    assert np.mean(test["small network"]) < best
    assert best - np.mean(test["small network"]) <= 2 * np.std(test["small network"], ddof=1)
