"""LSTMCell: an LSTM's gates opening and closing on a real sequence with one spike to remember.

A one-unit ``LSTM`` followed by ``Dense(1, sigmoid)`` is trained briefly with nnlib to say
whether a sequence of six small noisy values held a spike. The scene runs one held-out
sequence through it and shows, step by step, the gates ``i``, ``f``, ``o`` as bars, the
candidate ``g`` and the cell update, and the cell state ``c`` and hidden state ``h``: every
number read from the layer's ``i``, ``f``, ``g``, ``o``, ``c``, ``h`` after ``forward``.
"""

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, FadeIn, FadeOut, Indicate, Rectangle, SurroundingRectangle, Transform, VGroup

from nnlib import LSTM, Adam, Dense, Sequential, backend

from .base import StepScene
from .drawing import FOREGROUND, GREEN, HIGHLIGHT, MUTED, POSITIVE, VERMILLION, fmt, label
from .steps import Step

SEED = 0
STEPS = 6          # time steps per sequence
SAMPLES = 512
EPOCHS = 30
NOISE = 0.1
SPIKE = 1.0
GATES = (("i", "input", GREEN), ("f", "forget", POSITIVE), ("o", "output", VERMILLION))
BAR_HEIGHT, BAR_WIDTH = 2.6, 0.8


def spike_sequences(n: int, rng: np.random.Generator):
    """(n, STEPS, 1) noise, half of them with a spike added at a step before the last; labels and positions."""
    X = rng.normal(0.0, NOISE, size=(n, STEPS, 1))
    y = (rng.random(n) < 0.5).astype(float)
    positions = rng.integers(0, STEPS - 1, size=n)
    X[y == 1, positions[y == 1], 0] += SPIKE
    return X, y, np.where(y == 1, positions, -1)


def lstm_model() -> Sequential:
    return Sequential([LSTM(1, input_shape=(STEPS, 1)), Dense(1, activation="sigmoid")], seed=SEED)


@dataclass(frozen=True)
class LSTMData:
    x: np.ndarray       # (STEPS,) the input sequence
    spike: int          # the step (0-based) of its spike
    i: np.ndarray       # (STEPS,) input gate of the unit
    f: np.ndarray       # forget gate
    g: np.ndarray       # candidate
    o: np.ndarray       # output gate
    c: np.ndarray       # cell state
    h: np.ndarray       # hidden state
    probability: float  # the Dense layer's output for this sequence: p(spike)
    accuracy: float     # on 256 held-out sequences
    parameters: list    # the trained model's get_weights(), so tests can rerun it


def lstm_data() -> LSTMData:
    """Train the one-unit LSTM on spike sequences, then run one held-out sequence and keep every gate."""
    with backend.using("numpy", dtype="float64"):
        rng = np.random.default_rng(SEED)
        X, y, _ = spike_sequences(SAMPLES, rng)
        X_test, y_test, positions = spike_sequences(256, rng)
        model = lstm_model()
        model.compile(optimizer=Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=EPOCHS, batch_size=32, verbose=0)
        _, accuracy = model.evaluate(X_test, y_test, verbose=0)
        # The first held-out sequence with its spike after a step or two, so the scene shows before and after.
        index = int(np.flatnonzero((positions == 1) | (positions == 2))[0])
        probability = backend.to_numpy(model.forward(backend.asarray(X_test[index:index + 1])))[0, 0]
        lstm = model.layers[0]
        values = {name: backend.to_numpy(getattr(lstm, name))[0, :, 0].copy() for name in ("i", "f", "g", "o", "c", "h")}
        return LSTMData(x=X_test[index, :, 0].copy(), spike=int(positions[index]), **values,
                        probability=float(probability), accuracy=float(accuracy), parameters=model.get_weights())


def lstm_steps(d: LSTMData) -> list[Step]:
    s, last = d.spike, STEPS - 1
    after = slice(s + 1, None)
    return [
        Step(f"A one-unit LSTM trained to tell whether {STEPS} noisy values held a spike. "
             f"This held-out sequence has one at step {s + 1}.", 2.6),
        Step(f"Before the spike the cell holds only noise: c = {fmt(d.c[s - 1])} at step {s}.",
             1.2 * s + 0.6),
        Step(f"At the spike the forget gate closes (f = {fmt(d.f[s])}) and the input gate opens "
             f"(i = {fmt(d.i[s])}): the cell is overwritten, c = {fmt(d.c[s])}.", 2.8),
        Step(f"Afterwards f stays at {fmt(d.f[after].min())} or more: the cell keeps the memory, "
             f"c = {fmt(d.c[last])} at the last step.", 1.0 * (last - s) + 0.6),
        Step(f"The Dense layer reads h = {fmt(d.h[last])}: p(spike) = {fmt(d.probability, 3)} "
             f"({d.accuracy:.1%} of held-out sequences right).", 2.4),
    ]


def factor(value: float) -> str:
    """A number as a factor of a product: negative ones in parentheses."""
    return f"({fmt(value)})" if fmt(value).startswith("−") else fmt(value)


class LSTMCell(StepScene):
    """An LSTM cell's gates, cell state and hidden state over a real sequence."""

    title = "An LSTM cell remembering a spike"
    make_data = staticmethod(lstm_data)
    make_steps = staticmethod(lstm_steps)

    def bar(self, frame: Rectangle, value: float, color: str) -> Rectangle:
        """A gate's fill: as high as the gate is open (0 to 1), standing on the bottom of its frame."""
        height = max(float(value), 0.005) * BAR_HEIGHT
        return Rectangle(width=BAR_WIDTH, height=height, color=color, fill_color=color, fill_opacity=0.85,
                         stroke_width=0).move_to(frame.get_bottom(), aligned_edge=DOWN)

    def construct(self):
        d = self.data
        xs = -1.5 + 1.3 * np.arange(STEPS)
        rows = {"t": 3.3, "x": 2.6, "c": 1.75, "h": 1.05}
        names = VGroup(*(label(text, 24, MUTED).move_to([-2.3, rows[key], 0], aligned_edge=RIGHT)
                         for key, text in (("t", "step"), ("x", "input x"), ("c", "cell c"), ("h", "hidden h"))))
        steps = VGroup(*(label(str(t + 1), 24, MUTED).move_to([x, rows["t"], 0]) for t, x in enumerate(xs)))
        inputs = VGroup(*(label(fmt(v), 24, HIGHLIGHT if t == d.spike else FOREGROUND).move_to([x, rows["x"], 0])
                          for t, (v, x) in enumerate(zip(d.x, xs))))
        cells = [label(fmt(v), 24, POSITIVE).move_to([x, rows["c"], 0]) for v, x in zip(d.c, xs)]
        hiddens = [label(fmt(v), 24, FOREGROUND).move_to([x, rows["h"], 0]) for v, x in zip(d.h, xs)]
        column = SurroundingRectangle(VGroup(steps[0], hiddens[0]), color=HIGHLIGHT, buff=0.15)

        frames = [Rectangle(width=BAR_WIDTH, height=BAR_HEIGHT, color=MUTED, stroke_width=2).move_to([x, -1.3, 0])
                  for x in (-6.2, -4.95, -3.7)]
        gate_names = VGroup(*(label(f"{name} {key}", 20, color).next_to(frame, DOWN, 0.15)
                              for (key, name, color), frame in zip(GATES, frames)))
        heading = label("gates: 0 = shut, 1 = open", 22, MUTED).next_to(gate_names, DOWN, 0.3)
        bars = [self.bar(frame, 0, color) for frame, (_, _, color) in zip(frames, GATES)]
        values = [label("", 22).next_to(frame, UP, 0.1) for frame in frames]
        rule = label("c = f·c₋₁ + i·g", 24, POSITIVE).move_to([-2.4, -0.5, 0], aligned_edge=LEFT)

        def show(t: int, run_time: float):
            """Step t: the column moves, bars and gate values change, the update and c, h appear."""
            new_bars = [self.bar(frame, getattr(d, key)[t], color) for frame, (key, _, color) in zip(frames, GATES)]
            new_values = [label(fmt(getattr(d, key)[t]), 22, color).next_to(frame, UP, 0.1)
                          for frame, (key, _, color) in zip(frames, GATES)]
            previous = d.c[t - 1] if t else 0.0
            update = VGroup(
                label(f"= {fmt(d.f[t])} × {factor(previous)} + {fmt(d.i[t])} × {factor(d.g[t])} = {fmt(d.c[t])}",
                      24, POSITIVE),
                label(f"h = o·tanh(c) = {fmt(d.o[t])} × tanh({fmt(d.c[t])}) = {fmt(d.h[t])}", 24),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.3).next_to(rule, DOWN, 0.3, aligned_edge=LEFT)
            update[0].shift(RIGHT * 0.45)
            target = SurroundingRectangle(VGroup(steps[t], hiddens[t]), color=HIGHLIGHT, buff=0.15)
            animations = [Transform(column, target), *(Transform(b, n) for b, n in zip(bars, new_bars)),
                          *(Transform(v, n) for v, n in zip(values, new_values)),
                          Transform(self.cell_update, update) if self.cell_update else FadeIn(update),
                          FadeIn(cells[t]), FadeIn(hiddens[t])]
            self.play(*animations, run_time=run_time)
            if self.cell_update is None:
                self.cell_update = update

        self.cell_update = None
        with self.step():
            self.play(FadeIn(names, steps, inputs), run_time=1.0)
            self.play(FadeIn(*frames, gate_names, heading, *bars, rule), run_time=0.8)

        with self.step():
            self.add(*values)
            self.play(FadeIn(column), run_time=0.2)
            for t in range(d.spike):
                show(t, 1.0)

        with self.step():
            show(d.spike, 1.2)
            self.play(Indicate(VGroup(bars[0], bars[1], cells[d.spike]), color=HIGHLIGHT, scale_factor=1.1), run_time=1.0)

        with self.step():
            for t in range(d.spike + 1, STEPS):
                show(t, 0.8)

        verdict = label(f"Dense layer: p(spike) = {fmt(d.probability, 3)}", 28, HIGHLIGHT).move_to([-2.4, -3.2, 0], aligned_edge=LEFT)
        with self.step():
            self.play(FadeOut(column), Indicate(hiddens[-1], color=HIGHLIGHT), FadeIn(verdict), run_time=1.0)
