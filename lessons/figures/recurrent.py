"""Figures for the lesson on recurrent networks (16-recurrent-networks.md).

Every number comes from a real nnlib run: the same noisy seasonal series, windows and seeds as
the lesson's doctests.
"""

from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

WINDOW, N_TRAIN = 24, 400


def seasonal_series(n=600, noise=0.2, seed=0):
    """sin(2πt/12) plus Gaussian noise: a monthly cycle with a period of 12 steps."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return np.sin(2 * np.pi * t / 12) + noise * rng.normal(size=n)


def windows(series, width=WINDOW):
    """Inputs (samples, width, 1) of `width` consecutive values and targets (samples, 1), the next value."""
    X = np.stack([series[i:i + width] for i in range(len(series) - width)])[..., None]
    return X, series[width:, None]


@lru_cache(maxsize=None)
def forecasting_models():
    """The lesson's dense baseline, SimpleRNN and LSTM, trained on the first 400 windows."""
    from nnlib import LSTM, Dense, Sequential, SimpleRNN

    X, y = windows(seasonal_series())
    X_train, y_train, X_test, y_test = X[:N_TRAIN], y[:N_TRAIN], X[N_TRAIN:], y[N_TRAIN:]
    specs = {
        "dense": ([Dense(16, activation="tanh", input_shape=(WINDOW,)), Dense(1)], True),
        "SimpleRNN": ([SimpleRNN(16, input_shape=(WINDOW, 1)), Dense(1)], False),
        "LSTM": ([LSTM(16, input_shape=(WINDOW, 1)), Dense(1)], False),
    }
    models = {}
    for name, (layers, flat) in specs.items():
        model = Sequential(layers, seed=0)
        model.compile(optimizer="adam", loss="mse")
        model.fit(X_train[..., 0] if flat else X_train, y_train, epochs=20, batch_size=32, verbose=0)
        models[name] = (model, flat)
    return models, X_test, y_test


@figure(
    alt=("An unrolled recurrent network: a row of twelve identical cells, one per time step, each receiving "
         "one value of a noisy seasonal series from below and passing its hidden state to the next cell on the "
         "right. Above each cell a column of eight coloured squares shows the real hidden state h_t of a "
         "trained SimpleRNN with eight units. The colours change from step to step with the input, but each "
         "column depends on all the inputs before it, carried along by the arrows between the cells."),
    caption=("One SimpleRNN cell, unrolled over twelve steps of the seasonal series. The same weights are used "
             "at every step; only the hidden state h_t (coloured columns, from nnlib) changes as it is "
             "carried from left to right."),
    format="png",  # lighter than SVG: the page is near the 1.5 MB budget
)
def unrolled(theme):
    import matplotlib.pyplot as plt
    from matplotlib.colors import Normalize
    from matplotlib.patches import FancyBboxPatch, Rectangle
    from nnlib import Dense, Sequential, SimpleRNN

    X, y = windows(seasonal_series())
    model = Sequential([SimpleRNN(8, input_shape=(WINDOW, 1)), Dense(1)], seed=0)
    model.compile(optimizer="adam", loss="mse")
    model.fit(X[:N_TRAIN], y[:N_TRAIN], epochs=20, batch_size=32, verbose=0)
    steps = 12
    model.forward(X[N_TRAIN:N_TRAIN + 1, :steps])
    h = np.asarray(model.layers[0].h)[0]  # (time, units)
    x = X[N_TRAIN, :steps, 0]

    fig, ax = plt.subplots(figsize=(11, 3.9))
    ax.set_xlim(-1.7, steps - 0.3)  # the row labels on the left, clear of the first cell
    ax.set_ylim(-1.9, 3.2)
    ax.axis("off")
    norm = Normalize(-1, 1)
    cmap = plt.get_cmap(theme.diverging)
    for t in range(steps):
        ax.add_patch(FancyBboxPatch((t - 0.3, -0.3), 0.6, 0.6, boxstyle="round,pad=0.02,rounding_size=0.08",
                                    facecolor="none", edgecolor=theme.fg, linewidth=1.1))
        ax.text(t, 0.0, "RNN", ha="center", va="center", fontsize=8, color=theme.fg)
        ax.annotate("", xy=(t, -0.32), xytext=(t, -0.95),
                    arrowprops=dict(arrowstyle="-|>", color=theme.colors[0], linewidth=1.0))
        ax.text(t, -1.05, f"{x[t]:+.2f}", ha="center", va="top", fontsize=8, color=theme.colors[0])
        for k in range(h.shape[1]):
            ax.add_patch(Rectangle((t - 0.15, 0.55 + 0.3 * k), 0.3, 0.3, facecolor=cmap(norm(h[t, k])),
                                   edgecolor=theme.muted, linewidth=0.4))
        ax.annotate("", xy=(t, 0.55), xytext=(t, 0.32),
                    arrowprops=dict(arrowstyle="-|>", color=theme.fg, linewidth=0.8))
        if t < steps - 1:
            ax.annotate("", xy=(t + 0.7, 0.0), xytext=(t + 0.32, 0.0),
                        arrowprops=dict(arrowstyle="-|>", color=theme.colors[3], linewidth=1.3))
        ax.text(t, 3.05, f"t={t + 1}", ha="center", va="bottom", fontsize=8, color=theme.fg)
    ax.annotate("", xy=(-0.32, 0.0), xytext=(-1.0, 0.0),
                arrowprops=dict(arrowstyle="-|>", color=theme.colors[3], linewidth=1.3))
    ax.text(-1.65, 0.0, "h₀ = 0", ha="left", va="center", fontsize=8, color=theme.colors[3])
    ax.text(-1.65, -1.05, "x_t", ha="left", va="top", fontsize=9, color=theme.colors[0])
    ax.text(-1.65, 1.8, "h_t\n(8 units)", ha="left", va="center", fontsize=9, color=theme.fg)
    ax.text(steps / 2 - 0.5, -1.65, "the hidden state is carried to the right, one step at a time (same weights "
            "in every cell)", ha="center", va="center", fontsize=9, color=theme.colors[3])
    bar = fig.colorbar(plt.cm.ScalarMappable(norm=norm, cmap=cmap), ax=ax, fraction=0.02, pad=0.01)
    bar.set_label("h_t value", color=theme.fg)
    bar.outline.set_edgecolor(theme.fg)
    return fig


def gradient_norms_over_time(layer_class, steps=50, units=16, seed=0):
    """‖dL/dh_t‖ per step for an untrained recurrent layer + Dense(1), loss on the last step only."""
    from nnlib import Dense, Sequential

    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(32, steps, 1)), rng.normal(size=(32, 1))
    model = Sequential([layer_class(units, input_shape=(steps, 1)), Dense(1)], seed=seed)
    model.compile(optimizer="adam", loss="mse")
    model.backward_loss(y, model.forward(X))
    return model.layers[0].gradient_norms()


@figure(
    alt=("Line chart on a logarithmic axis of the size of the gradient of the loss with respect to the hidden "
         "state at each of 50 time steps, for an untrained SimpleRNN, LSTM and GRU with 16 units; the loss "
         "depends on the last step only. All three curves fall from right to left. The SimpleRNN and GRU "
         "gradients fall by several orders of magnitude over 50 steps; the LSTM's falls far more slowly."),
    caption=("Backpropagation through time, measured with gradient_norms(): how much gradient reaches the hidden "
             "state at each step when only the last step is scored. Early steps receive almost nothing in the "
             "SimpleRNN: the vanishing gradient, this time along the time axis."),
)
def gradient_over_time(theme):
    import matplotlib.pyplot as plt
    from nnlib import GRU, LSTM, SimpleRNN

    fig, ax = plt.subplots(figsize=(7, 3.6))
    for k, layer_class in enumerate((SimpleRNN, LSTM, GRU)):
        norms = gradient_norms_over_time(layer_class)
        ax.semilogy(np.arange(1, len(norms) + 1), norms, color=theme.colors[k], marker="o", markersize=2.5,
                    label=layer_class.__name__)
    ax.set_xlabel("time step t (the loss looks at step 50)")
    ax.set_ylabel("‖∂L/∂h_t‖ (log scale)")
    ax.grid(True, which="major", linewidth=0.5)
    ax.legend()
    return fig


@figure(
    alt=("Four stacked panels sharing a time axis of 24 steps. Top: one test window of the noisy seasonal "
         "series. Below it, heat maps of the input gate, the forget gate and the output gate of a trained "
         "16-unit LSTM, one row per unit, coloured from 0 (closed) to 1 (open). The gates are not constant: "
         "many units open and close in step with the 12-step season, and the forget gate stays mostly open, "
         "so the cell keeps much of its memory from step to step."),
    caption=("The gates of a trained LSTM (16 units) reading one window of the seasonal series, from lstm.i, "
             "lstm.f and lstm.o. Each gate is a number between 0 and 1 per unit and step: how much to write, "
             "how much to keep, how much to show."),
)
def lstm_gates(theme):
    import matplotlib.pyplot as plt

    models, X_test, _ = forecasting_models()
    model, _ = models["LSTM"]
    model.forward(X_test[:1])
    lstm = model.layers[0]
    fig, axes = plt.subplots(4, 1, figsize=(8, 6.4), sharex=True,
                             gridspec_kw={"height_ratios": [1, 1.3, 1.3, 1.3]})
    steps = np.arange(1, X_test.shape[1] + 1)
    axes[0].plot(steps, X_test[0, :, 0], color=theme.colors[0], marker="o", markersize=3)
    axes[0].set_ylabel("input x_t")
    axes[0].grid(True, linewidth=0.5)
    for ax, name, label in zip(axes[1:], ("i", "f", "o"), ("input gate i", "forget gate f", "output gate o")):
        values = np.asarray(getattr(lstm, name))[0].T  # (units, time)
        image = ax.imshow(values, aspect="auto", cmap=theme.cmap, vmin=0, vmax=1, interpolation="nearest",
                          extent=(0.5, steps[-1] + 0.5, values.shape[0] + 0.5, 0.5))
        ax.set_ylabel(f"{label}\nunit")
    axes[-1].set_xlabel("time step t")
    bar = fig.colorbar(image, ax=list(axes[1:]), fraction=0.03, pad=0.02)
    bar.set_label("gate value (0 = closed, 1 = open)", color=theme.fg)
    bar.outline.set_edgecolor(theme.fg)
    return fig


@figure(
    alt=("Line chart of the last 60 steps of the test part of the noisy seasonal series, with the one-step-ahead "
         "forecasts of a dense network, a SimpleRNN and an LSTM drawn over it. All three forecasts follow the "
         "smooth 12-step cycle and ignore most of the noise; the dots of the real series scatter around them."),
    caption=("One-step-ahead forecasts on data the networks never saw. Each forecast uses the previous 24 real "
             "values; the scatter left over is mostly the noise, which no model can predict."),
)
def forecasts(theme):
    import matplotlib.pyplot as plt

    models, X_test, y_test = forecasting_models()
    shown = slice(-60, None)
    t = np.arange(len(y_test))[shown]
    fig, ax = plt.subplots(figsize=(8, 3.4))
    ax.plot(t, y_test[shown, 0], linestyle="none", marker="o", markersize=3.5, color=theme.fg, alpha=0.7,
            label="real series")
    for k, (name, (model, flat)) in enumerate(models.items()):
        prediction = model.predict(X_test[..., 0] if flat else X_test)
        ax.plot(t, prediction[shown, 0], color=theme.colors[k], linewidth=1.6, label=name)
    ax.set_xlabel("test time step")
    ax.set_ylabel("value")
    ax.grid(True, linewidth=0.5)
    ax.legend(ncol=4, loc="upper center", bbox_to_anchor=(0.5, 1.18))
    return fig
