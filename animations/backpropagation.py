"""Backpropagation: the loss at the output, then gradients travelling back, from nnlib's backward.

A 2-2-1 sigmoid network (seeded, untrained) meets one example with target y = 1. The scene
shows the loss, ∂L/∂z at the output, ``dW`` and ``db`` of each layer and the gradient that
reaches the hidden layer (the output layer's ``dx``), all read from the layers after
``model.backward_loss``; then the chain rule for one first-layer weight, number by number,
and the update ``w ← w − η·∂L/∂w`` made by nnlib's ``SGD``.
"""

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, Indicate, SurroundingRectangle, VGroup, Write

from nnlib import SGD, Dense, Sequential, backend

from .base import StepScene
from .drawing import FOREGROUND, HIGHLIGHT, MUTED, VERMILLION, Network, along, flow, fmt, label, tag
from .steps import Step

SEED = 3
LEARNING_RATE = 0.5
X = (1.0, 0.5)
Y = 1.0


@dataclass(frozen=True)
class BackpropData:
    x: np.ndarray            # input, (2,)
    y: float                 # target
    W: list[np.ndarray]      # weights before the update: (2, 2) and (2, 1)
    b: list[np.ndarray]      # biases before the update
    a: list[np.ndarray]      # activations: hidden (2,), output (1,)
    loss: float              # binary cross-entropy
    dz_out: float            # ∂L/∂z at the output (a − y for sigmoid + cross-entropy)
    dW: list[np.ndarray]     # Dense.dW of each layer
    db: list[np.ndarray]     # Dense.db of each layer
    da_hidden: np.ndarray    # the gradient arriving at the hidden layer: the output layer's dx
    learning_rate: float
    w_before: float          # the weight the chain rule follows: first layer, x₁ → hidden neuron 1
    w_after: float           # that weight after one SGD step


def backprop_data() -> BackpropData:
    """Forward, loss and backward through nnlib, then one SGD step; keep what the scene shows."""
    with backend.using("numpy", dtype="float64"):
        model = Sequential([Dense(2, activation="sigmoid", input_shape=(2,)), Dense(1, activation="sigmoid")],
                           seed=SEED)
        model.compile(optimizer=SGD(learning_rate=LEARNING_RATE), loss="binary_crossentropy")
        x, y = backend.asarray([X]), backend.asarray([[Y]])
        a = model.forward(x, training=True)
        loss = model.compute_loss(y, a)
        dz_out = model.loss.gradient_z(y, a)
        model.backward_loss(y, a)
        hidden, output = model.layers
        numbers = dict(
            x=np.asarray(X), y=Y,
            W=[backend.to_numpy(layer.W).copy() for layer in model.layers],
            b=[backend.to_numpy(layer.b).copy() for layer in model.layers],
            a=[backend.to_numpy(layer.a)[0].copy() for layer in model.layers],
            loss=float(loss), dz_out=float(backend.to_numpy(dz_out)[0, 0]),
            dW=[backend.to_numpy(layer.dW).copy() for layer in model.layers],
            db=[backend.to_numpy(layer.db).copy() for layer in model.layers],
            da_hidden=backend.to_numpy(output.dx)[0].copy(),
            learning_rate=LEARNING_RATE,
            w_before=float(backend.to_numpy(hidden.W)[0, 0]),
        )
        model.optimizer.step(model.parameter_gradient_pairs())
        return BackpropData(**numbers, w_after=float(backend.to_numpy(hidden.W)[0, 0]))


def chain_factors(d: BackpropData) -> list[float]:
    """∂L/∂w₁₁ = ∂L/∂z_out · w_out,1 · σ′(z_h1) · x₁, the four numbers the scene multiplies."""
    a_h1 = d.a[0][0]
    return [d.dz_out, d.W[1][0, 0], a_h1 * (1 - a_h1), d.x[0]]


def backprop_steps(d: BackpropData) -> list[Step]:
    factors = " × ".join(f"({fmt(f)})" if f < 0 else fmt(f) for f in chain_factors(d))
    grad = d.dW[0][0, 0]
    return [
        Step(f"Forward: x = ({fmt(d.x[0], 1)}, {fmt(d.x[1], 1)}) gives a = {fmt(d.a[1][0])}; "
             f"the target is y = {fmt(d.y, 0)}, so the loss is L = {fmt(d.loss)}.", 2.8),
        Step(f"At the output, ∂L/∂z = a − y = {fmt(d.dz_out)}.", 2.2),
        Step("The output layer's gradients: dW = a_hidden × ∂L/∂z, db = ∂L/∂z.", 2.6),
        Step("The gradient travels back through the weights and σ′ to every first-layer weight.", 2.8),
        Step(f"Chain rule for w₁₁: ∂L/∂w = {factors} = {fmt(grad, 3)}.", 3.0),
        Step(f"Update with η = {fmt(d.learning_rate, 1)}: w ← w − η·∂L/∂w = {fmt(d.w_after, 3)}.", 2.6),
    ]


class Backpropagation(StepScene):
    """Gradients flowing backwards, with the chain rule for one weight."""

    title = "Backpropagation, number by number"
    make_data = staticmethod(backprop_data)
    make_steps = staticmethod(backprop_steps)

    def edge_tags(self, network: Network, l: int, grads: np.ndarray, proportion: float) -> VGroup:
        """``dW`` values laid along layer ``l``'s edges."""
        return VGroup(*(along(tag(f"{fmt(grads[i, j], 3)}", 18, VERMILLION), network.edges[l][i][j], proportion)
                        for i in range(grads.shape[0]) for j in range(grads.shape[1])))

    def construct(self):
        d = self.data
        network = Network(d.W, width=7.0, spacing=2.2).shift(LEFT * 1.6 + UP * 0.6)
        hidden, output = network.neurons[1], network.neurons[2]
        inputs = VGroup(*(tag(f"x{s} = {fmt(v, 1)}", 22).next_to(n, LEFT, 0.15)
                          for s, v, n in zip("₁₂", d.x, network.neurons[0])))
        hidden_a = VGroup(*(tag(f"a = {fmt(v)}", 20).next_to(n, UP, 0.12) for v, n in zip(d.a[0], hidden)))
        output_a = tag(f"a = {fmt(d.a[1][0])}", 22).next_to(output[0], UP, 0.15)
        loss = label(f"L = {fmt(d.loss)}   (y = {fmt(d.y, 0)})", 26, HIGHLIGHT).next_to(output, RIGHT, 0.4)
        with self.step():
            self.play(FadeIn(network, inputs), run_time=0.8)
            self.play(flow(network.edge_list(0)), flow(network.edge_list(1)), FadeIn(hidden_a, output_a), run_time=1.0)
            self.play(Write(loss), run_time=0.6)

        dz = tag(f"∂L/∂z = {fmt(d.dz_out)}", 22, VERMILLION).next_to(output[0], DOWN, 0.15)
        with self.step():
            self.play(FadeIn(dz, shift=LEFT * 0.3), Indicate(output[0], color=VERMILLION), run_time=1.0)

        output_grads = self.edge_tags(network, 1, d.dW[1], 0.55)
        db_out = tag(f"db = {fmt(d.db[1][0], 3)}", 18, VERMILLION).next_to(dz, DOWN, 0.08)
        with self.step():
            self.play(flow(network.edge_list(1), VERMILLION, backwards=True), run_time=1.0)
            self.play(FadeIn(output_grads, db_out), run_time=0.8)

        incoming = VGroup(*(tag(f"dx = {fmt(v, 3)}", 18, VERMILLION).next_to(n, DOWN, 0.12)
                            for v, n in zip(d.da_hidden, hidden)))
        hidden_grads = self.edge_tags(network, 0, d.dW[0], 0.3)
        with self.step():
            self.play(FadeIn(incoming), run_time=0.6)
            self.play(flow(network.edge_list(0), VERMILLION, backwards=True), run_time=1.0)
            self.play(FadeIn(hidden_grads), run_time=0.6)

        chosen = network.edges[0][0][0]
        box = SurroundingRectangle(hidden_grads[0], color=HIGHLIGHT, buff=0.05)
        names = ["∂L/∂z", "w_out", "σ′(z_h)", "x₁"]
        factors = VGroup(*(VGroup(label(fmt(f), 26, FOREGROUND), label(n, 18, MUTED)).arrange(DOWN, buff=0.1)
                           for f, n in zip(chain_factors(d), names)))
        chain = VGroup(label("∂L/∂w₁₁ =", 26), *[item for f in factors for item in (f, label("×", 26))][:-1],
                       label(f"= {fmt(d.dW[0][0, 0], 3)}", 26, HIGHLIGHT)).arrange(RIGHT, buff=0.2)
        chain.to_edge(DOWN, buff=1.2)
        with self.step():
            self.play(Create(box), chosen.animate.set_color(HIGHLIGHT), run_time=0.8)
            self.play(FadeIn(chain, shift=UP * 0.2), run_time=1.2)

        update = label(f"w ← w − η·∂L/∂w = {fmt(d.w_before, 3)} − {fmt(d.learning_rate, 1)} × "
                       f"({fmt(d.dW[0][0, 0], 3)}) = {fmt(d.w_after, 3)}", 26, HIGHLIGHT)
        update.to_edge(DOWN, buff=0.45)
        with self.step():
            self.play(Write(update), run_time=1.4)
