"""Claims of lesson 10, "Training a network": scaling, batch size, the deep sigmoid network and the
learning-rate sweep, each over five initializations on the page's data."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import SGD, Adam, Dense, Recorder, Sequential, data


def messy_moons():
    """The page's table: moons in wildly different units, 5 % holes imputed with training means."""
    X, y = data.make_moons(400, noise=0.2, rng=1)
    X = X * np.array([1000.0, 0.001], dtype=np.float32) + np.array([5000.0, 0.0], dtype=np.float32)
    X[np.random.default_rng(0).random(X.shape) < 0.05] = np.nan
    X_train, X_val, _, y_train, y_val, _ = data.train_val_test_split(X, y, val=0.2, test=0.2, rng=0, stratify=True)
    means = np.nanmean(X_train, axis=0)
    X_train, X_val = (np.where(np.isnan(A), means, A).astype(np.float32) for A in (X_train, X_val))
    return X_train, y_train, X_val, y_val


def small_net(seed):
    model = Sequential([Dense(16, activation="tanh", input_shape=(2,)), Dense(16, activation="tanh"),
                        Dense(1, activation="sigmoid")], seed=seed)
    model.compile(optimizer=Adam(learning_rate=0.01), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def digits():
    X, X_val, y, y_val = data.load_digits(test=0.25, rng=0)
    return X, y, X_val, y_val


@measurement
def scaling_and_batches():
    X_train, y_train, X_val, y_val = messy_moons()
    scaler = data.Standardizer().fit(X_train)
    S_train, S_val = scaler.transform(X_train), scaler.transform(X_val)
    out = {"raw": [], "standardized": [], "batch, 30 epochs": [], "batch, 240 steps": []}
    for seed in SEEDS:
        for name, (A, B) in (("raw", (X_train, X_val)), ("standardized", (S_train, S_val))):
            h = small_net(seed).fit(A, y_train, validation_data=(B, y_val), epochs=60, batch_size=32, verbose=0)
            out[name].append([h.history["val_loss"][-1], h.history["val_accuracy"][-1]])
        at_epochs, at_steps = {}, {}
        for batch_size in (8, 32, 128, 240):
            h = small_net(seed).fit(S_train, y_train, validation_data=(S_val, y_val), epochs=30,
                                    batch_size=batch_size, verbose=0)
            at_epochs[batch_size] = h.history["val_accuracy"][-1]
            steps_per_epoch = -(-len(S_train) // batch_size)
            h = small_net(seed).fit(S_train, y_train, validation_data=(S_val, y_val), epochs=240 // steps_per_epoch,
                                    batch_size=batch_size, verbose=0)
            at_steps[batch_size] = h.history["val_accuracy"][-1]
        out["batch, 30 epochs"].append(at_epochs)
        out["batch, 240 steps"].append(at_steps)
    return out


@measurement
def deep_digits_and_learning_rates():
    X, y, X_val, y_val = digits()
    out = {"sigmoid": [], "relu": [], "sigmoid first/last |dW|": [], "learning rates": []}
    for seed in SEEDS:
        for activation in ("sigmoid", "relu"):
            model = Sequential([Dense(32, activation=activation, input_shape=(64,))]
                               + [Dense(32, activation=activation) for _ in range(3)]
                               + [Dense(10, activation="softmax")], seed=seed)
            model.compile(optimizer=SGD(learning_rate=0.1), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
            recorder = Recorder(every=10, inputs=X[:200])
            h = model.fit(X, y, validation_data=(X_val, y_val), epochs=10, batch_size=32, verbose=0, callbacks=[recorder])
            out[activation].append(h.history["val_accuracy"][-1])
            if activation == "sigmoid":
                rec = recorder.recording
                norms = [np.sqrt((rec[f"{layer}/dW"][-10:] ** 2).sum(axis=(1, 2))).mean() for layer in rec.layers]
                out["sigmoid first/last |dW|"].append(float(norms[0] / norms[-1]))
        sweep = {}
        for learning_rate in (1e-4, 1e-3, 1e-2, 1e-1, 1.0):
            model = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(10, activation="softmax")],
                               seed=seed)
            model.compile(optimizer=Adam(learning_rate=learning_rate), loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
            h = model.fit(X, y, validation_data=(X_val, y_val), epochs=5, batch_size=32, verbose=0)
            sweep[str(learning_rate)] = h.history["val_accuracy"][-1]
        out["learning rates"].append(sweep)
    return out


def test_raw_features_learn_nothing_and_standardized_ones_learn_the_moons(report):
    """'With raw inputs the network learns nothing at all ... a loss of about 0.693 is ln 2 ...
    After standardizing, the same network on the same data learns the moons.' (every run)"""
    runs = scaling_and_batches()
    raw_loss, raw_acc = zip(*runs["raw"])
    std_loss, std_acc = zip(*runs["standardized"])
    report("raw features: validation accuracy", spread(raw_acc))
    report("raw features: validation loss", spread(raw_loss))
    report("standardized: validation accuracy", spread(std_acc))
    assert all(abs(loss - np.log(2)) < 0.02 for loss in raw_loss) and max(raw_acc) <= 0.6
    assert min(std_acc) >= 0.9


def test_at_equal_epochs_small_batches_win_and_at_equal_steps_large_ones_do(report):
    """'Over five runs ... the smallest batch does best and the full batch worst every time, at equal
    epochs. Turn the comparison round, to equal steps (240 each), and so does the order: the full
    batch now wins, in every run.'"""
    runs = scaling_and_batches()
    for what in ("batch, 30 epochs", "batch, 240 steps"):
        for batch_size in ("8", "240"):
            report(f"{what}: validation accuracy at batch {batch_size}", spread([r[batch_size] for r in runs[what]]))
    assert all(r["8"] > r["240"] for r in runs["batch, 30 epochs"])
    assert all(r["240"] >= r["8"] for r in runs["batch, 240 steps"])


def test_the_deep_sigmoid_network_is_stuck_and_its_first_layer_gets_little_gradient(report):
    """'trained from five different initial weights, the sigmoid network stays at chance every time,
    with a first-layer gradient over a hundred times smaller than the last. ... [ReLU] beats the
    sigmoid network in every one of those runs, although not always by this much: with one of the
    five initializations it is still below 50 % after these ten epochs.'"""
    runs = deep_digits_and_learning_rates()
    report("deep sigmoid: validation accuracy", spread(runs["sigmoid"]))
    report("deep ReLU: validation accuracy", spread(runs["relu"]))
    report("deep sigmoid: first-layer |dW| / last-layer |dW|", spread(runs["sigmoid first/last |dW|"]))
    assert max(runs["sigmoid"]) <= 0.15
    assert all(relu > sigmoid + 0.2 for relu, sigmoid in zip(runs["relu"], runs["sigmoid"]))
    assert sum(relu < 0.5 for relu in runs["relu"]) == 1
    assert max(runs["sigmoid first/last |dW|"]) < 1 / 100


def test_too_small_and_too_large_learning_rates_fail_and_the_middle_works(report):
    """'too small learns slowly, too large falls apart, and a wide range in the middle works.'"""
    runs = deep_digits_and_learning_rates()["learning rates"]
    for rate in ("0.0001", "0.001", "0.01", "0.1", "1.0"):
        report(f"learning rate {rate}: validation accuracy after 5 epochs", spread([r[rate] for r in runs]))
    assert all(r["0.0001"] < 0.5 and r["1.0"] < 0.3 for r in runs)
    assert all(min(r["0.001"], r["0.01"], r["0.1"]) > 0.8 for r in runs)
