"""Claims of lesson 13, "Build your first network": what each candidate of the iterate step buys,
measured on the validation set over five initializations (the split stays the page's)."""

from measured import SEEDS, measurement, spread

from nnlib import Adam, Dense, Dropout, Sequential, data


def split():
    X, y = data.load_digits()
    X_train, X_val, _, y_train, y_val, _ = data.train_val_test_split(X, y, val=0.15, test=0.2, rng=0, stratify=True)
    return X_train, data.one_hot(y_train, 10), X_val, data.one_hot(y_val, 10)


def hidden_layers(dropout):
    layers = [Dense(128, activation="relu", input_shape=(64,))]
    layers += [Dropout(0.2)] if dropout else []
    layers += [Dense(64, activation="relu")]
    layers += [Dropout(0.2)] if dropout else []
    return layers + [Dense(10, activation="softmax")]


def no_hidden_layer():
    return [Dense(10, activation="softmax", input_shape=(64,))]


def accuracies(layers, epochs, seed, learning_rate=0.001):
    """(training accuracy, validation accuracy) after training, both measured in inference mode."""
    X_train, Y_train, X_val, Y_val = split()
    model = Sequential(layers, seed=seed)
    model.compile(optimizer=Adam(learning_rate), loss="categorical_crossentropy", metrics=["accuracy"])
    model.fit(X_train, Y_train, epochs=epochs, batch_size=32, verbose=0)
    return model.evaluate(X_train, Y_train)[1], model.evaluate(X_val, Y_val)[1]


@measurement
def candidates():
    runs = {"linear, 30 epochs": [], "linear, converged": [], "dropout, 10 epochs": [],
            "dropout, 30 epochs": [], "no dropout, 30 epochs": []}
    for seed in SEEDS:
        runs["linear, 30 epochs"].append(accuracies(no_hidden_layer(), 30, seed))
        runs["linear, converged"].append(accuracies(no_hidden_layer(), 100, seed, learning_rate=0.01))
        runs["dropout, 10 epochs"].append(accuracies(hidden_layers(True), 10, seed))
        runs["dropout, 30 epochs"].append(accuracies(hidden_layers(True), 30, seed))
        runs["no dropout, 30 epochs"].append(accuracies(hidden_layers(False), 30, seed))
    return runs


def validation(name):
    return [val for _, val in candidates()[name]]


def training(name):
    return [train for train, _ in candidates()[name]]


def test_no_hidden_layer_at_30_epochs_is_unfinished_not_incapable(report):
    """'[At 30 epochs] it is not finished ... Trained to convergence, the same model fits the
    training images almost perfectly and gains several points on validation.'"""
    short, converged = validation("linear, 30 epochs"), validation("linear, converged")
    report("no hidden layer, validation: 30 epochs", spread(short))
    report("no hidden layer, validation: converged", spread(converged))
    report("no hidden layer, training: converged", spread(training("linear, converged")))
    assert all(c - s >= 0.03 for s, c in zip(short, converged))
    assert min(training("linear, converged")) >= 0.99


def test_hidden_layers_add_at_most_a_point_over_a_converged_linear_model(report):
    """'Over five runs with different initial weights the hidden layers win every time, but only
    by one or two of the 270 validation images.'"""
    gains = [net - linear for net, linear in zip(validation("dropout, 30 epochs"), validation("linear, converged"))]
    report("validation gain of the hidden layers over converged softmax regression", spread(gains))
    assert all(0 < gain <= 2 / 270 + 1e-9 for gain in gains)


def test_more_epochs_help_the_network(report):
    """'More epochs helped the network, in every run.'"""
    gains = [b - a for a, b in zip(validation("dropout, 10 epochs"), validation("dropout, 30 epochs"))]
    report("validation gain from 10 to 30 epochs", spread(gains))
    assert all(gain > 0 for gain in gains)


def test_dropout_makes_no_measurable_difference_here(report):
    """'Without dropout the network fits the training images perfectly (or all but one or two),
    and on validation it does exactly as well as with dropout: over five runs the two differ by at
    most one image, in either direction. ... Both networks are right on about 3 % fewer validation images than training
    images.'"""
    differences = [a - b for a, b in zip(validation("no dropout, 30 epochs"), validation("dropout, 30 epochs"))]
    report("validation accuracy, no dropout minus dropout", spread(differences))
    report("training accuracy without dropout", spread(training("no dropout, 30 epochs")))
    assert min(training("no dropout, 30 epochs")) >= 0.998
    assert all(abs(d) <= 1 / 270 + 1e-9 for d in differences)
    for name in ("dropout, 30 epochs", "no dropout, 30 epochs"):
        gaps = [train - val for train, val in candidates()[name]]
        report(f"{name}: training minus validation accuracy", spread(gaps))
        assert all(0.02 <= gap <= 0.045 for gap in gaps)
