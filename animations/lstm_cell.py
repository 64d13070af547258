"""LSTMCell: lesson 16's one-unit LSTM with round weights, a spike flowing through the classic cell diagram.

The weights and the input are lesson 16's (``16-recurrent-networks.md``, "Watch an LSTM cell"):
a one-unit ``LSTM`` whose input opens the input gate and shuts the forget gate when it is large
(x → i, f, g, o weights 6, −6, 2, 0; biases −3, 3, 0, 1; no recurrent weights), fed the
sequence 0, 1, 0, 0, 0. The scene draws the classic diagram, the cell state c running along
the top, the forget, input and output gates as valves (each filled as far as it is open), and
plays the five steps through it; every number is read from the layer's ``i``, ``f``, ``g``,
``o``, ``c``, ``h`` after ``forward``, and the lesson's doctest prints them all.
"""

from dataclasses import dataclass

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Circle, FadeIn, Indicate, Line, Rectangle, SurroundingRectangle,
                   Transform, VGroup)

from nnlib import LSTM, Sequential, backend

from .base import StepScene
from .drawing import fmt, label, mix
from .palette import MUTED, RESULT, TEXT
from .steps import Step

KERNEL = ((6.0, -6.0, 2.0, 0.0),)      # x -> i, f, g, o
RECURRENT = ((0.0, 0.0, 0.0, 0.0),)   # h -> i, f, g, o: none, so each gate depends on x alone
BIAS = (-3.0, 3.0, 0.0, 1.0)
X = (0.0, 1.0, 0.0, 0.0, 0.0)
GATES = ("f", "i", "g", "o")          # left to right in the diagram, as in the classic drawing
BOX_W, BOX_H = 0.95, 1.1


def lstm_model() -> Sequential:
    model = Sequential([LSTM(1, return_sequences=True, input_shape=(len(X), 1))])
    model.set_weights([np.array(KERNEL), np.array(RECURRENT), np.array(BIAS)])
    return model


@dataclass(frozen=True)
class LSTMData:
    x: np.ndarray       # (T,) the input sequence
    spike: int          # the step (0-based) of its spike
    i: np.ndarray       # (T,) input gate
    f: np.ndarray       # forget gate
    g: np.ndarray       # candidate
    o: np.ndarray       # output gate
    c: np.ndarray       # cell state
    h: np.ndarray       # hidden state


def lstm_data() -> LSTMData:
    """Run lesson 16's one-unit LSTM on its spike and keep every gate at every step."""
    model = lstm_model()
    model.forward(backend.asarray(np.array(X)[None, :, None]))
    unit = model.layers[0]
    values = {name: backend.to_numpy(getattr(unit, name))[0, :, 0].astype(float) for name in ("i", "f", "g", "o", "c", "h")}
    return LSTMData(x=np.array(X), spike=int(np.argmax(X)), **values)


def three(v: float) -> str:
    """A value as the lesson prints it (NumPy rounded to 3 decimals): 0 stays a plain 0."""
    return "0" if round(v, 3) == 0 else fmt(v, 3)


def lstm_steps(d: LSTMData) -> list[Step]:
    s, last = d.spike, len(d.x) - 1
    later = ", ".join(three(c) for c in d.c[s + 1:])
    return [
        Step.read("The LSTM cell: the cell state c runs along the top. The forget gate f, the input gate i and "
                  "the output gate o are valves, sigmoids between 0 (shut) and 1 (open); g is the candidate."),
        Step.read(f"Step 1, x = 0: the input gate is almost shut (i = {three(d.i[0])}) and the forget gate open "
                  f"(f = {three(d.f[0])}). Nothing is written: c = {three(d.c[0])}."),
        Step.read(f"Step {s + 1}, the spike x = 1: the forget gate shuts (f = {three(d.f[s])}), the input gate opens "
                  f"(i = {three(d.i[s])}) and writes the candidate g = {three(d.g[s])}: c = {three(d.c[s])}."),
        Step.read(f"Steps {s + 2} to {last + 1}, x = 0 again: the forget gate is open, so the cell keeps "
                  f"{d.f[last]:.0%} of its memory at each step: c = {later}.", animation_s=4.6),
        Step.read(f"The output gate, o = {three(d.o[last])}, lets part of the cell out: "
                  f"h = o · tanh(c) = {three(d.h[last])} at the last step. Lesson 16 prints every one of these numbers."),
    ]


class LSTMCell(StepScene):
    """Lesson 16's LSTM cell, its gates opening and closing on a spike."""

    title = "An LSTM cell remembering a spike (lesson 16's weights)"
    make_data = staticmethod(lstm_data)
    make_steps = staticmethod(lstm_steps)

    def diagram(self):
        """The cell: its state line on top, the gate boxes below, the wires between them."""
        top, gates_y, bottom = 2.5, 0.3, -1.4
        xs = dict(zip(GATES, (-4.4, -3.0, -1.6, -0.2)))
        boxes = {name: Rectangle(width=BOX_W, height=BOX_H, color=MUTED, stroke_width=2).move_to([x, gates_y, 0])
                 for name, x in xs.items()}
        kinds = {name: label("tanh" if name == "g" else "σ", 18, MUTED).move_to(box.get_top() + DOWN * 0.2)
                 for name, box in boxes.items()}

        def node(symbol, position):
            return VGroup(Circle(radius=0.22, color=TEXT, stroke_width=2.5).move_to(position),
                          label(symbol, 24).move_to(position))

        forget_node = node("×", [xs["f"], top, 0])
        write_node = node("+", [xs["g"], top, 0])
        product_node = node("×", [xs["g"], 1.45, 0])
        out_tanh = Rectangle(width=0.8, height=0.45, color=MUTED, stroke_width=2).move_to([1.2, 1.45, 0])
        out_tanh_name = label("tanh", 18, MUTED).move_to(out_tanh)
        out_node = node("×", [1.2, gates_y, 0])
        wire = dict(color=TEXT, stroke_width=3)
        cell_line = VGroup(Line([-6.3, top, 0], forget_node.get_left(), **wire),
                           Line(forget_node.get_right(), write_node.get_left(), **wire),
                           Arrow(write_node.get_right(), [2.4, top, 0], buff=0, **wire))
        bus = Line([-6.3, bottom, 0], [xs["o"], bottom, 0], color=MUTED, stroke_width=2.5)
        x_in = Arrow([-5.6, -2.3, 0], [-5.6, bottom, 0], buff=0, color=MUTED, stroke_width=2.5)
        feeds = VGroup(*(Arrow([box.get_x(), bottom, 0], box.get_bottom(), buff=0, color=MUTED, stroke_width=2.5)
                         for box in boxes.values()))
        wires = VGroup(
            Arrow(boxes["f"].get_top(), forget_node.get_bottom(), buff=0, **wire),
            Line(boxes["i"].get_top(), [xs["i"], 1.45, 0], **wire),
            Arrow([xs["i"], 1.45, 0], product_node.get_left(), buff=0, **wire),
            Arrow(boxes["g"].get_top(), product_node.get_bottom(), buff=0, **wire),
            Arrow(product_node.get_top(), write_node.get_bottom(), buff=0, **wire),
            Arrow([1.2, top, 0], out_tanh.get_top(), buff=0, **wire),
            Arrow(out_tanh.get_bottom(), out_node.get_top(), buff=0, **wire),
            Arrow(boxes["o"].get_right(), out_node.get_left(), buff=0, **wire),
            Arrow(out_node.get_right(), [2.4, gates_y, 0], buff=0, **wire),
        )
        names = VGroup(label("c₋₁", 22, MUTED).next_to([-6.3, top, 0], UP, 0.15).align_to([-6.3, 0, 0], LEFT),
                       label("c", 22, MUTED).next_to([2.4, top, 0], UP, 0.15),
                       label("h", 22, MUTED).next_to([2.4, gates_y, 0], UP, 0.15),
                       label("h₋₁", 22, MUTED).next_to([-6.3, bottom, 0], UP, 0.15).align_to([-6.3, 0, 0], LEFT),
                       label("x", 22, MUTED).next_to(x_in.get_start(), LEFT, 0.15),
                       *(label(name, 24).next_to(box, LEFT, 0.08).align_to(box, UP) for name, box in boxes.items()))
        parts = VGroup(cell_line, bus, x_in, feeds, wires, *boxes.values(), *kinds.values(), forget_node, write_node,
                       product_node, out_tanh, out_tanh_name, out_node, names)
        return parts, boxes

    def valve(self, box: Rectangle, value: float, name: str) -> VGroup:
        """A gate's opening: its box filled from the bottom as far as the gate is open, and its value."""
        height = max(float(value), 0.01) * (BOX_H - 0.45)
        fill = Rectangle(width=BOX_W - 0.1, height=height, stroke_width=0, fill_color=mix(TEXT, 0.35), fill_opacity=1)
        fill.move_to(box.get_bottom() + UP * 0.05, aligned_edge=DOWN)
        number = label(three(value), 18, RESULT if name != "g" else TEXT).move_to(box.get_bottom() + UP * 0.62)
        return VGroup(fill, number)

    def construct(self):
        d = self.data
        diagram, boxes = self.diagram()
        table = VGroup(VGroup(*(label(text, 20, MUTED) for text in ("step", "x", "c", "h"))))
        for t in range(len(d.x)):
            table.add(VGroup(label(str(t + 1), 20, MUTED), label(fmt(d.x[t], 0), 20), label(three(d.c[t]), 20, RESULT),
                             label(three(d.h[t]), 20)))
        columns = (3.3, 4.3, 5.3, 6.4)
        for r, row in enumerate(table):
            for x, cell in zip(columns, row):
                cell.move_to([x, 3.4 - 0.5 * r, 0])
        with self.step():
            self.play(FadeIn(diagram), run_time=1.2)
            self.play(FadeIn(table[0]), run_time=0.6)

        valves = {name: self.valve(boxes[name], 0.0, name) for name in GATES}
        update = VGroup(label("", 20), label("", 20))
        marker = SurroundingRectangle(table[1], color=RESULT, buff=0.08)

        def show(t: int, run_time: float):
            new = {name: self.valve(boxes[name], getattr(d, name)[t], name) for name in GATES}
            previous = d.c[t - 1] if t else 0.0
            lines = VGroup(label("c = f·c₋₁ + i·g", 18, MUTED),
                           label(f"= {three(d.f[t])} × {three(previous)} + {three(d.i[t])} × {three(d.g[t])}", 18),
                           label(f"= {three(d.c[t])}", 18, RESULT),
                           label("h = o · tanh(c)", 18, MUTED),
                           label(f"= {three(d.o[t])} × tanh({three(d.c[t])}) = {three(d.h[t])}", 18))
            lines.arrange(DOWN, aligned_edge=LEFT, buff=0.14).move_to([2.75, 0.3, 0], aligned_edge=UP + LEFT)
            x_value = label(f"x = {fmt(d.x[t], 0)}", 22, RESULT).next_to([-5.6, -2.1, 0], RIGHT, 0.2)
            self.play(*(Transform(valves[name], new[name]) for name in GATES), Transform(update, VGroup(lines, x_value)),
                      Transform(marker, SurroundingRectangle(table[t + 1], color=RESULT, buff=0.08)),
                      FadeIn(table[t + 1]), run_time=run_time)

        with self.step():
            self.add(*valves.values(), update)
            self.play(FadeIn(marker), run_time=0.2)
            show(0, 1.0)

        with self.step():
            show(d.spike, 1.2)
            self.play(Indicate(VGroup(valves["f"], valves["i"]), color=RESULT, scale_factor=1.1), run_time=1.0)

        with self.step():
            for t in range(d.spike + 1, len(d.x)):
                show(t, 1.2)

        with self.step():
            self.play(Indicate(valves["o"], color=RESULT, scale_factor=1.1), Indicate(table[-1][3], color=RESULT),
                      run_time=1.2)
