"""Figures for the lesson on optimizers (09-optimizers.md).

The race is run by nnlib's optimizers stepping (parameter, gradient) pairs; the training
curves and schedules come from real nnlib training runs.
"""

from functools import lru_cache

import numpy as np
from sitebuild.figures import figure

START = (-1.5, 2.0)


def valley(p):
    """A Rosenbrock-style curved valley, f = (1 - x)² + 10 (y - x²)², minimum 0 at (1, 1)."""
    x, y = p[..., 0], p[..., 1]
    return (1 - x) ** 2 + 10 * (y - x**2) ** 2


def valley_grad(p):
    x, y = p[0], p[1]
    return np.array([-2 * (1 - x) - 40 * x * (y - x**2), 20 * (y - x**2)])


def racers():
    """(name, optimizer) pairs with the learning rates of the lesson."""
    from nnlib import SGD, AdaGrad, Adam, RMSprop

    return [
        ("SGD, lr 0.01", SGD(learning_rate=0.01)),
        ("momentum 0.9, lr 0.01", SGD(learning_rate=0.01, momentum=0.9)),
        ("AdaGrad, lr 0.5", AdaGrad(learning_rate=0.5)),
        ("RMSprop, lr 0.02", RMSprop(learning_rate=0.02)),
        ("Adam, lr 0.1", Adam(learning_rate=0.1)),
    ]


@lru_cache(maxsize=None)
def race(steps=300):
    paths = {}
    for name, optimizer in racers():
        p = np.array(START)
        path = [p.copy()]
        for _ in range(steps):
            optimizer.step([(p, valley_grad(p))])
            path.append(p.copy())
        paths[name] = np.array(path)
    return paths


@figure(
    alt=("Left: contour map of a curved, narrow valley, f(x, y) = (1 − x)² + 10(y − x²)², with five optimizer "
         "paths from the same start at (−1.5, 2) towards the minimum at (1, 1). Plain SGD slides into the "
         "valley and then creeps along its floor without arriving; momentum overshoots and swings but "
         "reaches the minimum; AdaGrad moves boldly at first and then slows to a halt short of the minimum; "
         "RMSprop keeps moving at a steady pace and jitters near the minimum; Adam curves round smoothly and "
         "arrives. Right: the value of f against step on a log scale, showing momentum and Adam falling by "
         "many orders of magnitude while SGD and AdaGrad level off."),
    caption=("Five optimizers race for 300 steps on the same curved valley (nnlib optimizers stepping a "
             "two-element parameter). Each has its own learning rate, roughly the best for it."),
    format="png",
)
def optimizer_race(theme):
    import matplotlib.pyplot as plt

    paths = race()
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.4), gridspec_kw={"width_ratios": [1.15, 1]})
    x, y = np.meshgrid(np.linspace(-2, 2, 220), np.linspace(-0.6, 3.2, 220))
    left.contour(x, y, valley(np.stack([x, y], axis=-1)), levels=np.geomspace(0.05, 200, 16), colors=theme.muted,
                 linewidths=0.8)
    for k, (name, path) in enumerate(paths.items()):
        color = theme.colors[k]
        left.plot(path[:, 0], path[:, 1], color=color, linewidth=1.4, label=name, marker="o", markersize=1.8)
        right.semilogy(np.arange(len(path)), np.maximum(valley(path), 1e-16), color=color, linewidth=1.4,
                       label=name)
    left.plot(1, 1, marker="*", markersize=14, color=theme.fg, linestyle="none")
    left.plot(*START, marker="o", markersize=6, color=theme.fg, linestyle="none")
    left.annotate("start", START, textcoords="offset points", xytext=(-8, 8), ha="right", color=theme.fg)
    left.annotate("minimum", (1, 1), textcoords="offset points", xytext=(8, -14), color=theme.fg)
    left.set_xlim(-2, 2)
    left.set_ylim(-0.6, 3.2)
    left.set_xlabel("x")
    left.set_ylabel("y")
    right.set_xlabel("step")
    right.set_ylabel("f (log scale)")
    right.grid(True, linewidth=0.5)
    right.legend(fontsize=8.5, loc="lower left")
    return fig


@lru_cache(maxsize=None)
def digit_runs(epochs=15):
    """Training loss per epoch on the 8×8 digits for each optimizer with Keras's default learning rates
    (AdaGrad: 0.01, ten times its default)."""
    from nnlib import SGD, AdaGrad, Adam, Dense, RMSprop, Sequential, data

    X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0)
    runs = {}
    for name, optimizer in [("SGD, lr 0.01", SGD(0.01)), ("momentum 0.9, lr 0.01", SGD(0.01, momentum=0.9)),
                            ("AdaGrad, lr 0.01", AdaGrad(0.01)), ("RMSprop, lr 0.001", RMSprop(0.001)),
                            ("Adam, lr 0.001", Adam(0.001))]:
        model = Sequential([Dense(32, activation="relu", input_shape=(64,)), Dense(10, activation="softmax")], seed=0)
        model.compile(optimizer=optimizer, loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        history = model.fit(X_train, y_train, epochs=epochs, batch_size=32, verbose=0,
                            validation_data=(X_test, y_test)).history
        runs[name] = (np.array(history["loss"]), np.array(history["val_accuracy"]))
    return runs


@figure(
    alt=("Two panels for a 64-32-10 network trained on the 8×8 handwritten digits for 15 epochs with five "
         "optimizers at the usual default learning rates (AdaGrad at ten times its default). Left, "
         "training loss per epoch on a log scale: "
         "momentum, RMSprop and Adam fall fastest, AdaGrad more slowly, and plain SGD slowest. Right, "
         "test accuracy per epoch, in the same order: the adaptive methods and momentum are far ahead "
         "of plain SGD for most of the run."),
    caption=("The same network, data and batches, five optimizers at the Keras default learning rates "
             "(AdaGrad at 0.01, ten times its default; nnlib runs). Which wins depends on the learning rate "
             "each is given; at these rates plain SGD is by far the slowest, as it is from every one of "
             "five random initializations."),
)
def digits_training(theme):
    import matplotlib.pyplot as plt

    runs = digit_runs()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8))
    for k, (name, (loss, accuracy)) in enumerate(runs.items()):
        epochs = np.arange(1, len(loss) + 1)
        left.semilogy(epochs, loss, color=theme.colors[k], marker="o", markersize=3, linewidth=1.3, label=name)
        right.plot(epochs, accuracy, color=theme.colors[k], marker="o", markersize=3, linewidth=1.3, label=name)
    left.set_xlabel("epoch")
    left.set_ylabel("training loss (log scale)")
    right.set_xlabel("epoch")
    right.set_ylabel("test accuracy")
    right.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:.0%}"))
    left.yaxis.set_major_locator(plt.LogLocator(subs=(1.0, 2.0, 5.0)))
    left.yaxis.set_minor_formatter(plt.NullFormatter())
    left.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    for ax in (left, right):
        ax.grid(True, linewidth=0.5)
    right.legend(fontsize=8.5, loc="lower right")
    return fig


def schedules(base=0.05, steps=600):
    from nnlib.optimizers import CosineDecay, ExponentialDecay, StepDecay

    return {
        "constant": lambda step: base,
        "step decay (halve every 150 steps)": StepDecay(base, drop=0.5, step_size=150),
        "exponential decay (to 2%)": ExponentialDecay(base, decay_steps=steps, decay_rate=0.02),
        "cosine decay": CosineDecay(base, decay_steps=steps),
    }


@lru_cache(maxsize=None)
def schedule_runs(epochs=60):
    """Adam on the three-arm spirals (10 steps per epoch) with each schedule; loss per epoch."""
    from nnlib import Adam, Dense, Sequential, data

    X, y = data.make_spirals(300, n_classes=3, noise=0.2, rng=0)
    runs = {}
    for name, schedule in schedules(steps=10 * epochs).items():
        model = Sequential([Dense(64, activation="relu", input_shape=(2,)), Dense(64, activation="relu"),
                            Dense(3, activation="softmax")], seed=0)
        model.compile(optimizer=Adam(learning_rate=schedule), loss="sparse_categorical_crossentropy")
        runs[name] = np.array(model.fit(X, y, epochs=epochs, batch_size=32, verbose=0).history["loss"])
    return runs


@figure(
    alt=("Left: the learning rate against optimizer step for four schedules starting at 0.05: constant; step "
         "decay, a staircase that halves every 150 steps; exponential decay, a smooth curve falling to 2 % of "
         "the start; and cosine decay, a half cosine wave falling to zero. Right: training loss per epoch of "
         "Adam on the spirals data with each schedule, on a log scale. All fall at first; later the constant "
         "schedule's curve stays jagged and bumpy, while the decaying schedules settle into smooth, lower "
         "curves."),
    caption=("Learning-rate schedules from nnlib.optimizers (left) and their effect on a real run (right): "
             "a large rate early makes fast progress, a small rate late lets the parameters settle instead of "
             "rattling around the minimum."),
)
def learning_rate_schedules(theme):
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 3.8))
    steps = np.arange(0, 601)
    runs = schedule_runs()
    for k, (name, schedule) in enumerate(schedules().items()):
        color = theme.colors[k]
        left.plot(steps, [schedule(int(s)) for s in steps], color=color, linewidth=1.6, label=name)
        loss = runs[name]
        right.semilogy(np.arange(1, len(loss) + 1), loss, color=color, linewidth=1.3, label=name)
    left.set_xlabel("optimizer step")
    left.set_ylabel("learning rate")
    left.legend(fontsize=8.5, loc="upper right")
    right.set_xlabel("epoch (10 steps each)")
    right.set_ylabel("training loss (log scale)")
    right.yaxis.set_major_locator(plt.LogLocator(subs=(1.0, 2.0, 5.0)))
    right.yaxis.set_minor_formatter(plt.NullFormatter())
    right.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:g}"))
    for ax in (left, right):
        ax.grid(True, linewidth=0.5)
    fig.tight_layout()
    return fig
