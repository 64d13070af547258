"""Neuron: the lesson's worked example, computed by nnlib's ``Dense`` layer with a sigmoid.

Inputs x = (1.0, 0.5), weights w = (0.3, 0.7), bias b = 0.1: the scene shows the two
products, their sum with the bias, z = 0.75, and a = σ(z) = 0.68, each read from the layer.
"""

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, Axes, Create, DashedLine, Dot, FadeIn, Indicate, VGroup, Write

from nnlib import Dense, backend

from .base import StepScene
from .drawing import along, edge, fmt, label, neuron, tick_labels
from .palette import MUTED, POSITIVE, RESULT, TEXT
from .steps import Step


@dataclass(frozen=True)
class NeuronData:
    x: tuple[float, ...]         # inputs
    w: tuple[float, ...]         # weights (the column of Dense.W)
    b: float                     # bias
    products: tuple[float, ...]  # x_i * w_i
    z: float                     # weighted sum plus bias (Dense.z)
    a: float                     # sigmoid(z) (Dense.a)


def neuron_data(x=(1.0, 0.5), w=(0.3, 0.7), b=0.1) -> NeuronData:
    """Run one sigmoid neuron in nnlib and keep every number the scene shows."""
    with backend.using("numpy", dtype="float64"):
        layer = Dense(1, activation="sigmoid")
        layer.build((len(x),), np.random.default_rng(0))
        layer.W = backend.asarray([[wi] for wi in w])
        layer.b = backend.asarray([b])
        layer.forward(backend.asarray([x]))
        W = backend.to_numpy(layer.W)[:, 0]
        return NeuronData(
            x=tuple(float(v) for v in x),
            w=tuple(float(v) for v in W),
            b=float(backend.to_numpy(layer.b)[0]),
            products=tuple(float(v) for v in np.asarray(x) * W),
            z=float(backend.to_numpy(layer.z)[0, 0]),
            a=float(backend.to_numpy(layer.a)[0, 0]),
        )


def neuron_steps(d: NeuronData) -> list[Step]:
    (x1, x2), (w1, w2), (p1, p2) = d.x, d.w, d.products
    return [
        Step.read(f"Two inputs, x₁ = {fmt(x1, 1)} and x₂ = {fmt(x2, 1)}, reach a neuron "
                  f"with weights w₁ = {fmt(w1, 1)} and w₂ = {fmt(w2, 1)}."),
        Step.read(f"Each input is multiplied by its weight: {fmt(p1)} and {fmt(p2)}."),
        Step.read(f"Add the two products and the bias b = {fmt(d.b, 1)}: the weighted sum is z = {fmt(d.z)}."),
        Step.read(f"The sigmoid squashes z into the range 0 to 1: a = σ({fmt(d.z)}) = {fmt(d.a)}."),
        Step.read(f"The output a = {fmt(d.a)} is what the next layer receives. "
                  "Lesson 2 computes the same numbers in code."),
    ]


class Neuron(StepScene):
    """What one neuron computes, number by number."""

    title = "What a neuron computes"
    make_data = staticmethod(neuron_data)
    make_steps = staticmethod(neuron_steps)

    def construct(self):
        d = self.data
        inputs = [neuron([-5.0, y, 0]) for y in (2.5, -0.7)]
        body = neuron([-1.6, 0.9, 0]).scale(1.7)
        edges = [edge(i, body, w, max(d.w)) for i, w in zip(inputs, d.w)]
        outward = (1, -1)  # weight labels on the outer side of each edge
        input_labels = [label(f"x{s} = {fmt(v, 1)}").next_to(i, LEFT) for s, v, i in zip("₁₂", d.x, inputs)]
        weight_labels = [along(label(f"w{s} = {fmt(w, 1)}", 24, POSITIVE), e, 0.45, side, buff=0.3)
                         for s, w, e, side in zip("₁₂", d.w, edges, outward)]
        with self.step():
            self.play(FadeIn(*inputs, *input_labels), Create(body), run_time=1.0)
            self.play(*(Create(e) for e in edges), FadeIn(*weight_labels), run_time=1.2)

        products = VGroup(*(label(f"x{s}·w{s} = {fmt(x, 1)} × {fmt(w, 1)} = {fmt(p)}", 26)
                            for s, x, w, p in zip("₁₂", d.x, d.w, d.products)))
        products.arrange(DOWN, aligned_edge=LEFT, buff=0.25).move_to([1.0, 3.2, 0], aligned_edge=LEFT)
        with self.step():
            self.play(*(Write(p) for p in products), run_time=1.4)

        bias = label(f"b = {fmt(d.b, 1)}", 24).next_to(body, DOWN, 1.0)
        bias_arrow = Arrow(bias.get_top(), body.get_bottom(), buff=0.08, color=MUTED, stroke_width=3)
        total = label(f"z = {fmt(d.products[0])} + {fmt(d.products[1])} + {fmt(d.b, 1)} = {fmt(d.z)}", 26, RESULT)
        total.next_to(products, DOWN, 0.35, aligned_edge=LEFT)
        z_label = label(f"z = {fmt(d.z)}", 24, RESULT).next_to(body, UP, 0.2)
        with self.step():
            self.play(FadeIn(bias, bias_arrow), run_time=0.8)
            self.play(Write(total), FadeIn(z_label), run_time=1.2)

        axes = Axes(x_range=[-6, 6, 2], y_range=[0, 1, 0.5], x_length=4.0, y_length=2.0,
                    axis_config={"color": MUTED, "include_tip": False}).move_to([4.5, -0.6, 0])
        ticks = tick_labels(axes, xs=(-6, -4, -2, 0, 2, 4, 6), ys=(0.5, 1.0), digits=0)
        ticks[-2:].become(tick_labels(axes, ys=(0.5, 1.0), digits=1))
        names = VGroup(label("z", 20, MUTED).next_to(axes.x_axis, RIGHT, 0.15),
                       label("σ(z)", 20, MUTED).next_to(axes.y_axis, UP, 0.1))
        curve = axes.plot(lambda t: 1 / (1 + np.exp(-t)), color=TEXT)
        point = Dot(axes.c2p(d.z, d.a), color=RESULT)
        guides = VGroup(DashedLine(axes.c2p(d.z, 0), axes.c2p(d.z, d.a), color=MUTED, stroke_width=2),
                        DashedLine(axes.c2p(-6, d.a), axes.c2p(d.z, d.a), color=MUTED, stroke_width=2))
        sigma = label(f"a = σ({fmt(d.z)}) = {fmt(d.a)}", 26, RESULT).move_to([axes.get_right()[0], 1.3, 0], aligned_edge=RIGHT)
        with self.step():
            self.play(Create(axes), FadeIn(ticks, names), Create(curve), run_time=1.2)
            self.play(Create(guides), FadeIn(point, scale=2), Write(sigma), run_time=1.0)

        output = Arrow(body.get_right(), body.get_right() + RIGHT * 1.4, buff=0.05, color=TEXT, stroke_width=4)
        a_label = label(f"a = {fmt(d.a)}", 28, RESULT).next_to(output, DOWN, 0.15).align_to(output, RIGHT)
        with self.step():
            self.play(Create(output), FadeIn(a_label), run_time=0.8)
            self.play(Indicate(VGroup(a_label, sigma), color=RESULT), run_time=0.8)
