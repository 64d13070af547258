"""Claims of lesson 15 (convolutional networks) outside its equivariance section (that one is
``test_15_depth.py``): the page's CNN against the dense network of lesson 13, how far its
tolerance of shifts goes, LeNet against the CNN and which of LeNet's two changes matters, and
whether the CNN needs fewer examples. Every network is trained as the page trains it (Adam, batch
32, the page's split of the digits), once for each of the five seeds.
"""

import numpy as np
from measured import SEEDS, measurement, spread
from test_15_depth import shift_right

from nnlib import AveragePooling2D, Conv2D, Dense, Dropout, Flatten, MaxPooling2D, Sequential, data

#: Training images per digit in the few-examples comparison, and the epochs that give it about
#: as many updates as 20 epochs on the full training set.
FEW_PER_DIGIT, FEW_EPOCHS = 10, 200


def split():
    """The page's split: 1,438 training and 359 test digits, 8 x 8 x 1."""
    X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0, flatten=False)
    return X_train[..., None], X_test[..., None], y_train, y_test


def cnn(seed):
    """The page's CNN: 16 and 32 filters of 3 x 3 with max pooling, a softmax head (6,090
    parameters)."""
    return Sequential([Conv2D(16, (3, 3), padding="same", activation="relu", input_shape=(8, 8, 1)),
                       MaxPooling2D(), Conv2D(32, (3, 3), padding="same", activation="relu"),
                       MaxPooling2D(), Flatten(), Dense(10, activation="softmax")], seed=seed)


def dense(seed):
    """Lesson 13's example network on the flattened pixels (17,226 parameters)."""
    return Sequential([Flatten(input_shape=(8, 8, 1)), Dense(128, activation="relu"), Dropout(0.2),
                       Dense(64, activation="relu"), Dropout(0.2), Dense(10, activation="softmax")],
                      seed=seed)


def lenet(seed, activation="tanh", pooling=AveragePooling2D):
    """The page's LeNet-5 for 8 x 8 digits; tanh and average pooling are 1998's choices."""
    return Sequential([Conv2D(6, (3, 3), padding="same", activation=activation, input_shape=(8, 8, 1)),
                       pooling(), Conv2D(16, (3, 3), padding="same", activation=activation), pooling(),
                       Flatten(), Dense(120, activation=activation), Dense(84, activation=activation),
                       Dense(10, activation="softmax")], seed=seed)


def trained(model, X, y, epochs):
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(X, y, epochs=epochs, batch_size=32, verbose=0)
    return model


def accuracy(model, X, y):
    return float(np.mean(model.predict(X).argmax(axis=1) == y))


@measurement
def cnn_and_dense():
    """Per seed: the CNN's test accuracy, on the test digits rolled one pixel right (exercise 3),
    the share of its predictions a shift of 1 and of 2 pixels leaves unchanged; and the test
    accuracy of lesson 13's dense network trained for lesson 13's 30 epochs."""
    X_train, X_test, y_train, y_test = split()
    runs = {"cnn": [], "cnn rolled": [], "unchanged by 1": [], "unchanged by 2": [], "dense": []}
    for seed in SEEDS:
        model = trained(cnn(seed), X_train, y_train, epochs=20)
        predicted = model.predict(X_test).argmax(axis=1)
        runs["cnn"].append(accuracy(model, X_test, y_test))
        runs["cnn rolled"].append(accuracy(model, np.roll(X_test, 1, axis=2), y_test))
        for pixels in (1, 2):
            moved = model.predict(shift_right(X_test, pixels)).argmax(axis=1)
            runs[f"unchanged by {pixels}"].append(float(np.mean(moved == predicted)))
        runs["dense"].append(accuracy(trained(dense(seed), X_train, y_train, epochs=30), X_test, y_test))
    return runs


@measurement
def lenet_variants():
    """Per seed: test accuracy of LeNet and of its variants with ReLU, max pooling, or both."""
    X_train, X_test, y_train, y_test = split()
    variants = {"tanh, average": ("tanh", AveragePooling2D), "relu, average": ("relu", AveragePooling2D),
                "tanh, max": ("tanh", MaxPooling2D), "relu, max": ("relu", MaxPooling2D)}
    runs = {name: [] for name in variants}
    for seed in SEEDS:
        for name, (activation, pooling) in variants.items():
            model = trained(lenet(seed, activation, pooling), X_train, y_train, epochs=20)
            runs[name].append(accuracy(model, X_test, y_test))
    return runs


@measurement
def few_examples():
    """Per seed: test accuracy of the CNN and of the dense network trained on the first
    ``FEW_PER_DIGIT`` training images of each digit."""
    X_train, X_test, y_train, y_test = split()
    chosen = np.concatenate([np.flatnonzero(y_train == digit)[:FEW_PER_DIGIT] for digit in range(10)])
    runs = {"cnn": [], "dense": []}
    for seed in SEEDS:
        for name, build in (("cnn", cnn), ("dense", dense)):
            model = trained(build(seed), X_train[chosen], y_train[chosen], epochs=FEW_EPOCHS)
            runs[name].append(accuracy(model, X_test, y_test))
    return runs


def test_the_cnn_does_almost_as_well_as_the_dense_network_with_a_third_of_the_parameters(report):
    """Page: the CNN has about a third of the dense network's parameters and 'came within a point of
    that dense network's test accuracy in every run, and was a little below it on average'."""
    assert 2.5 < dense(0).count_params() / cnn(0).count_params() < 3.5
    runs = cnn_and_dense()
    report("CNN (6,090 parameters): test accuracy", spread(runs["cnn"]))
    report("dense (17,226 parameters): test accuracy", spread(runs["dense"]))
    assert all(abs(d - c) < 0.01 for c, d in zip(runs["cnn"], runs["dense"]))
    assert np.mean(runs["cnn"]) < np.mean(runs["dense"])


def test_rolling_the_test_digits_one_pixel_costs_the_cnn_a_large_share(report):
    """Exercise 3: 'The drop is large: about a third of the test images' in each of 5 runs."""
    runs = cnn_and_dense()
    drops = [plain - rolled for plain, rolled in zip(runs["cnn"], runs["cnn rolled"])]
    report("CNN: accuracy lost to a one-pixel roll", spread(drops))
    assert all(0.3 < drop < 0.4 for drop in drops)


def test_the_cnn_is_partly_shift_invariant(report):
    """'A whole CNN is therefore partly shift-invariant, not fully': a one-pixel shift leaves most
    predictions unchanged but far from all, a two-pixel shift fewer, in every run."""
    runs = cnn_and_dense()
    for pixels in (1, 2):
        report(f"CNN: predictions unchanged by a {pixels}-pixel shift", spread(runs[f"unchanged by {pixels}"]))
    assert all(0.5 < one < 0.9 for one in runs["unchanged by 1"])
    assert all(two < one for one, two in zip(runs["unchanged by 1"], runs["unchanged by 2"]))


def test_lenet_stays_below_the_cnn(report):
    """'Its [LeNet's] accuracy ... is below the CNN's, trained the same way, in every one of 5 runs.'"""
    lenet_runs, cnn_runs = lenet_variants()["tanh, average"], cnn_and_dense()["cnn"]
    report("LeNet (tanh, average pooling): test accuracy", spread(lenet_runs))
    assert all(le < c for le, c in zip(lenet_runs, cnn_runs))


def test_max_pooling_is_the_change_that_matters(report):
    """Exercise 4: max pooling for average pooling raised LeNet's test accuracy in every run, with
    tanh and with ReLU; ReLU for tanh lowered it on average with either pooling, and in every run
    with average pooling."""
    runs = lenet_variants()
    for name, values in runs.items():
        report(f"LeNet, {name}: test accuracy", spread(values))
    for activation in ("tanh", "relu"):
        assert all(mx > avg for mx, avg in zip(runs[f"{activation}, max"], runs[f"{activation}, average"]))
    for pooling in ("average", "max"):
        assert np.mean(runs[f"relu, {pooling}"]) < np.mean(runs[f"tanh, {pooling}"])
    assert all(r < t for r, t in zip(runs["relu, average"], runs["tanh, average"]))


def test_with_few_examples_the_cnn_is_ahead_only_on_average(report):
    """'trained on 10 images of each digit, the CNN was ahead of lesson 13's dense network on
    average over 5 runs, but not in every run'."""
    runs = few_examples()
    for name, values in runs.items():
        report(f"{name}, {FEW_PER_DIGIT} images per digit: test accuracy", spread(values))
    assert np.mean(runs["cnn"]) > np.mean(runs["dense"])
    assert not all(c > d for c, d in zip(runs["cnn"], runs["dense"]))
