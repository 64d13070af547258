"""Claims of lesson 16, "Recurrent networks": how the gradient fades over time in fresh SimpleRNN,
LSTM and GRU layers, and how the forecasters compare, each over five initializations."""

import numpy as np
from measured import SEEDS, measurement, spread

from nnlib import GRU, LSTM, Dense, Sequential, SimpleRNN

W = 24


def gradient_over_time(layer, seed):
    rng = np.random.default_rng(0)
    X_noise, y_noise = rng.normal(size=(32, 50, 1)), rng.normal(size=(32, 1))
    net = Sequential([layer, Dense(1)], seed=seed)
    net.compile(optimizer="adam", loss="mse")
    net.backward_loss(y_noise, net.forward(X_noise))
    norms = net.layers[0].gradient_norms()
    return float(norms[-1] / norms[0])  # step 50 over step 1


def seasonal_series():
    rng = np.random.default_rng(0)
    t = np.arange(600)
    noise = 0.2 * rng.normal(size=t.size)
    series = np.sin(2 * np.pi * t / 12) + noise
    X = np.stack([series[i:i + W] for i in range(len(series) - W)])[..., None]
    return X[:400], series[W:, None][:400], X[400:], series[W:, None][400:], noise


@measurement
def fading():
    return {name: [gradient_over_time(make(), seed) for seed in SEEDS]
            for name, make in (("SimpleRNN", lambda: SimpleRNN(16, input_shape=(50, 1))),
                               ("LSTM", lambda: LSTM(16, input_shape=(50, 1))),
                               ("GRU", lambda: GRU(16, input_shape=(50, 1))))}


@measurement
def forecasts():
    X_train, y_train, X_test, y_test, noise = seasonal_series()
    out = {"dense": [], "SimpleRNN": [], "LSTM": [], "GRU": []}
    for seed in SEEDS:
        for name, layers, train_in, test_in in (
                ("dense", [Dense(16, activation="tanh", input_shape=(W,)), Dense(1)], X_train[..., 0], X_test[..., 0]),
                ("SimpleRNN", [SimpleRNN(16, input_shape=(W, 1)), Dense(1)], X_train, X_test),
                ("LSTM", [LSTM(16, input_shape=(W, 1)), Dense(1)], X_train, X_test),
                ("GRU", [GRU(16, input_shape=(W, 1)), Dense(1)], X_train, X_test)):
            model = Sequential(layers, seed=seed)
            model.compile(optimizer="adam", loss="mse")
            model.fit(train_in, y_train, epochs=20, batch_size=32, verbose=0)
            out[name].append(model.evaluate(test_in, y_test))
    out["naive"] = float(np.mean((X_test[:, -12, 0] - y_test[:, 0]) ** 2))
    out["floor"] = float(np.mean(noise[400 + W:] ** 2))
    return out


def test_the_simple_rnn_gradient_fades_over_fifty_steps(report):
    """'Other draws of the initial weights give other factors (between about 1,600 and 40,000 in
    five draws), but always large.'"""
    ratios = fading()["SimpleRNN"]
    report("SimpleRNN: |dL/dh| at step 50 / at step 1", spread(ratios))
    assert 1e3 < min(ratios) and max(ratios) < 5e4


def test_the_fresh_lstm_fades_slowest_and_the_fresh_gru_fastest(report):
    """'the untrained LSTM's gradient fades far more slowly than the SimpleRNN's'; 'A fresh GRU ...
    its gradient fades fast (the steepest line in the figure)' (every run)."""
    runs = fading()
    for name in ("LSTM", "GRU"):
        report(f"{name}: |dL/dh| at step 50 / at step 1", spread(runs[name]))
    assert all(lstm * 10 < rnn < gru for lstm, rnn, gru in zip(runs["LSTM"], runs["SimpleRNN"], runs["GRU"]))


def test_the_recurrent_forecasters_always_beat_seasonal_naive_and_dense_usually_does(report):
    """'the three recurrent layers land between the naive forecast and the noise floor in every run
    ...; the dense network beats the naive forecast in most runs, but not in all.'"""
    runs = forecasts()
    report("seasonal naive test MSE", runs["naive"])
    report("noise floor", runs["floor"])
    for name in ("dense", "SimpleRNN", "LSTM", "GRU"):
        report(f"{name}: test MSE", spread(runs[name]))
    for name in ("SimpleRNN", "LSTM", "GRU"):
        assert all(runs["floor"] < mse < runs["naive"] for mse in runs[name]), name
    beaten = sum(runs["floor"] < mse < runs["naive"] for mse in runs["dense"])
    assert len(SEEDS) / 2 < beaten < len(SEEDS)


def test_the_recurrent_layers_edge_out_dense_but_their_order_changes(report):
    """'on average each [recurrent layer] beats the dense network ... in those five runs each of the
    three was the best at least once.'"""
    runs = forecasts()
    recurrent = ("SimpleRNN", "LSTM", "GRU")
    assert all(np.mean(runs[name]) < np.mean(runs["dense"]) for name in recurrent)
    winners = {min(recurrent, key=lambda name: runs[name][i]) for i in range(len(SEEDS))}
    report("recurrent layers that were best in at least one run", ", ".join(sorted(winners)))
    assert winners == set(recurrent)
