"""Backpropagation: lesson 7's worked example, the loss at the output and gradients travelling back.

The network, input, target, loss and learning rate are lesson 7's (``07-backpropagation.md``):
a 2-2-1 sigmoid network with round weights, x = (1.0, 0.5), y = 1, the squared error
L = (a₂ − y)² and one SGD step with η = 0.5. Every number is read from nnlib's layers after
``forward`` and ``backward_loss`` (and from ``SGD.step``), and every one of them is printed
by a doctest of that lesson, so a reader who pauses finds it in the code beside the video.
"""

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, FadeIn, FadeOut, Indicate, VGroup, Write

from nnlib import SGD, Dense, Sequential, backend

from .base import StepScene
from .drawing import Network, along, flow, fmt, label, tag
from .palette import GRADIENT, MUTED, RESULT
from .steps import Step

WEIGHTS = ([[0.3, -0.4], [0.7, 0.2]], [0.1, 0.0], [[0.6], [-0.5]], [0.2])  # lesson 7's W1, b1, W2, b2
X = (1.0, 0.5)
Y = 1.0
LEARNING_RATE = 0.5


@dataclass(frozen=True)
class BackpropData:
    x: np.ndarray            # input, (2,)
    y: float                 # target
    W: list[np.ndarray]      # weights before the update: (2, 2) and (2, 1)
    a: list[np.ndarray]      # activations: hidden a₁ (2,), output a₂ (1,)
    loss: float              # squared error (a₂ − y)²
    dL_da2: float            # 2 (a₂ − y)
    da2_dz2: float           # σ′(z₂) = a₂ (1 − a₂)
    dW: list[np.ndarray]     # Dense.dW of each layer
    dx_output: np.ndarray    # the gradient the output layer hands to the hidden layer, ∂L/∂a₁
    learning_rate: float
    w_before: float          # W⁽²⁾₁₁, the weight the chain rule follows
    w_after: float           # that weight after one SGD step
    loss_after: float        # the loss after that step


def backprop_data() -> BackpropData:
    """Lesson 7's forward, loss and backward through nnlib, then one SGD step."""
    with backend.using("numpy", dtype="float64"):
        model = Sequential([Dense(2, activation="sigmoid", input_shape=(2,)), Dense(1, activation="sigmoid")])
        model.compile(optimizer=SGD(learning_rate=LEARNING_RATE), loss="mse")
        model.set_weights([np.array(w, dtype=float) for w in WEIGHTS])
        x, y = backend.asarray([X]), backend.asarray([[Y]])
        a2 = model.forward(x, training=True)
        loss = float(model.compute_loss(y, a2))
        dL_da2 = float(backend.to_numpy(model.loss.gradient(y, a2))[0, 0])
        model.backward_loss(y, a2)
        hidden, output = model.layers
        numbers = dict(
            x=np.asarray(X), y=Y,
            W=[backend.to_numpy(layer.W).copy() for layer in model.layers],
            a=[backend.to_numpy(layer.a)[0].copy() for layer in model.layers],
            loss=loss, dL_da2=dL_da2, da2_dz2=float(backend.to_numpy(a2 * (1 - a2))[0, 0]),
            dW=[backend.to_numpy(layer.dW).copy() for layer in model.layers],
            dx_output=backend.to_numpy(output.dx)[0].copy(),
            learning_rate=LEARNING_RATE,
            w_before=float(backend.to_numpy(output.W)[0, 0]),
        )
        model.optimizer.step(model.parameter_gradient_pairs())
        loss_after = float(model.compute_loss(y, model.forward(x)))
        return BackpropData(**numbers, w_after=float(backend.to_numpy(output.W)[0, 0]), loss_after=loss_after)


def chain_factors(d: BackpropData) -> list[float]:
    """∂L/∂w = ∂L/∂a₂ · ∂a₂/∂z₂ · ∂z₂/∂w for w = W⁽²⁾₁₁: the three numbers the scene multiplies."""
    return [d.dL_da2, d.da2_dz2, d.a[0][0]]


def factor(value: float, digits: int = 4) -> str:
    """A number as a factor of a product: negative ones in parentheses."""
    return f"({fmt(value, digits)})" if value < 0 else fmt(value, digits)


def backprop_steps(d: BackpropData) -> list[Step]:
    factors = " × ".join(factor(f) for f in chain_factors(d))
    return [
        Step.read(f"Lesson 7's network: x = ({fmt(d.x[0], 1)}, {fmt(d.x[1], 1)}) goes forward to "
                  f"a₂ = {fmt(d.a[1][0], 3)}. The target is y = {fmt(d.y, 0)}, so the loss is "
                  f"L = (a₂ − y)² = {fmt(d.loss, 4)}."),
        Step.read(f"Backwards from the loss: ∂L/∂a₂ = 2(a₂ − y) = {fmt(d.dL_da2, 4)}, and the sigmoid's "
                  f"slope is ∂a₂/∂z₂ = a₂(1 − a₂) = {fmt(d.da2_dz2, 4)}."),
        Step.read(f"The chain rule for the weight W⁽²⁾₁₁ multiplies the local slopes: "
                  f"∂L/∂W⁽²⁾₁₁ = {factors} = {fmt(d.dW[1][0, 0], 4)}."),
        Step.read(f"The output layer hands ∂L/∂a₁ = ({fmt(d.dx_output[0], 4)}, {fmt(d.dx_output[1], 4)}) "
                  "to the hidden layer, which repeats the same steps for its own weights."),
        Step.read(f"One SGD step with η = {fmt(d.learning_rate, 1)}: W⁽²⁾₁₁ ← {fmt(d.w_before, 1)} − "
                  f"{fmt(d.learning_rate, 1)} × ({fmt(d.dW[1][0, 0], 4)}) = {fmt(d.w_after, 4)}. "
                  f"The loss falls from {fmt(d.loss, 4)} to {fmt(d.loss_after, 4)}."),
    ]


class Backpropagation(StepScene):
    """Gradients flowing backwards through lesson 7's network, with the chain rule for one weight."""

    title = "Backpropagation, number by number (lesson 7's network)"
    make_data = staticmethod(backprop_data)
    make_steps = staticmethod(backprop_steps)

    def edge_tags(self, network: Network, grads: np.ndarray) -> VGroup:
        """The output layer's ``dW`` beside its two edges: above the upper one, and above the lower one
        (inside the angle between them, clear of the labels under the neurons)."""
        return VGroup(*(along(tag(fmt(grads[i, 0], 4), 20, GRADIENT), network.edges[1][i][0], 0.5, 1, buff=0.12)
                        for i in range(grads.shape[0])))

    def matrix(self, name: str, values: np.ndarray) -> VGroup:
        """``name`` over a small table of ``values``, right-aligned columns."""
        rows = VGroup(*(VGroup(*(label(fmt(v, 4), 22, GRADIENT) for v in row)).arrange(RIGHT, buff=0.35)
                        for row in values)).arrange(DOWN, aligned_edge=RIGHT, buff=0.15)
        return VGroup(label(name, 22), rows).arrange(DOWN, aligned_edge=LEFT, buff=0.15)

    def construct(self):
        d = self.data
        network = Network(d.W, width=5.6, spacing=2.4).move_to([-2.6, 1.3, 0])
        hidden, output = network.neurons[1], network.neurons[2]
        inputs = VGroup(*(label(f"x{s} = {fmt(v, 1)}", 22).next_to(n, LEFT, 0.15)
                          for s, v, n in zip("₁₂", d.x, network.neurons[0])))
        hidden_a = VGroup(*(label(f"a₁{s} = {fmt(v, 3)}", 20, RESULT).next_to(n, direction, 0.15)
                            for s, v, n, direction in zip("₁₂", d.a[0], hidden, (UP, DOWN))))
        output_a = label(f"a₂ = {fmt(d.a[1][0], 3)}", 22, RESULT).next_to(output[0], DOWN, 0.2)
        loss = VGroup(label("L = (a₂ − y)²", 26), label(f"= {fmt(d.loss, 4)}", 26, RESULT),
                      label(f"y = {fmt(d.y, 0)}", 22, MUTED)).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        loss.move_to([1.3, 3.2, 0], aligned_edge=UP + LEFT)
        with self.step():
            self.play(FadeIn(network, inputs), run_time=0.8)
            self.play(flow(network.edge_list(0)), flow(network.edge_list(1)), FadeIn(hidden_a, output_a), run_time=1.0)
            self.play(Write(loss), run_time=0.8)

        slopes = VGroup(label(f"∂L/∂a₂ = 2(a₂ − y) = {fmt(d.dL_da2, 4)}", 24, GRADIENT),
                        label(f"∂a₂/∂z₂ = a₂(1 − a₂) = {fmt(d.da2_dz2, 4)}", 24, GRADIENT))
        slopes.arrange(DOWN, aligned_edge=LEFT, buff=0.2).next_to(loss, DOWN, 0.45, aligned_edge=LEFT)
        with self.step():
            self.play(flow(network.edge_list(1), GRADIENT, backwards=True), Indicate(output[0], color=GRADIENT),
                      run_time=1.0)
            self.play(FadeIn(slopes, shift=DOWN * 0.2), run_time=0.8)

        chosen = network.edges[1][0][0]
        output_grads = self.edge_tags(network, d.dW[1])
        chain = VGroup(label("∂L/∂W⁽²⁾₁₁ = ∂L/∂a₂ · ∂a₂/∂z₂ · a₁₁", 24),
                       label(" × ".join(factor(f) for f in chain_factors(d)) + f" = {fmt(d.dW[1][0, 0], 4)}", 24, GRADIENT))
        chain.arrange(DOWN, aligned_edge=LEFT, buff=0.2).move_to([-6.4, -1.55, 0], aligned_edge=LEFT)
        with self.step():
            self.play(chosen.animate.set_color(RESULT), run_time=0.8)
            self.play(FadeIn(chain, shift=UP * 0.2), run_time=1.2)
            self.play(FadeIn(output_grads), run_time=0.8)

        incoming = VGroup(*(label(f"∂L/∂a₁{s} = {fmt(v, 4)}", 20, GRADIENT).next_to(n, direction, 0.15)
                            for s, v, n, direction in zip("₁₂", d.dx_output, hidden, (UP, DOWN))))
        hidden_grads = self.matrix("∂L/∂W⁽¹⁾ =", d.dW[0]).next_to(slopes, DOWN, 0.45, aligned_edge=LEFT)
        with self.step():
            self.play(FadeOut(hidden_a), FadeIn(incoming), run_time=0.8)
            self.play(flow(network.edge_list(0), GRADIENT, backwards=True), run_time=1.0)
            self.play(FadeIn(hidden_grads), run_time=0.8)

        update = VGroup(label(f"W⁽²⁾₁₁ ← W⁽²⁾₁₁ − η·∂L/∂W⁽²⁾₁₁ = {fmt(d.w_before, 1)} − {fmt(d.learning_rate, 1)} × "
                              f"({fmt(d.dW[1][0, 0], 4)}) = {fmt(d.w_after, 4)}", 24, RESULT),
                        label(f"loss {fmt(d.loss, 4)} → {fmt(d.loss_after, 4)} after one step", 24))
        update.arrange(DOWN, aligned_edge=LEFT, buff=0.2).move_to(chain, aligned_edge=LEFT)
        with self.step():
            self.play(FadeOut(chain), run_time=0.4)
            self.play(Write(update[0]), run_time=1.4)
            self.play(FadeIn(update[1]), run_time=0.6)
