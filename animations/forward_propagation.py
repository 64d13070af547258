"""ForwardPropagation: lesson 5's worked example, one input flowing through a 3-4-3 network.

The network and input are lesson 5's (``05-forward-propagation.md``): ``Dense(4, relu)`` then
``Dense(3, softmax)`` built with seed 1, hidden biases 0.1, output biases (0.2, 0, −0.2), and
x = (1.0, 0.5, −1.0). The scene shows each neuron's z and a, read from the ``Dense`` layers
after ``model.forward``; the lesson's doctests print the same numbers.
"""

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, Indicate, SurroundingRectangle, VGroup

from nnlib import Dense, Sequential, backend

from .base import StepScene
from .drawing import Network, flow, fmt, label
from .palette import MUTED, NEGATIVE, POSITIVE, RESULT, TEXT
from .steps import Step

SEED = 1
X = (1.0, 0.5, -1.0)
HIDDEN_BIAS = 0.1
OUTPUT_BIAS = (0.2, 0.0, -0.2)
RADIUS = 0.5  # room for z and a inside each neuron, away from the edges


@dataclass(frozen=True)
class ForwardData:
    x: np.ndarray          # the input, shape (3,)
    W: list[np.ndarray]    # each layer's weights, (n_in, n_out)
    b: list[np.ndarray]    # each layer's biases
    z: list[np.ndarray]    # each layer's pre-activation for x
    a: list[np.ndarray]    # each layer's activation for x (the last is softmax's probabilities)


def forward_data() -> ForwardData:
    """Build lesson 5's network, run x forward and keep each layer's z and a."""
    with backend.using("numpy", dtype="float32"):
        model = Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(3, activation="softmax")], seed=SEED)
        hidden, output = model.layers
        hidden.b[:] = HIDDEN_BIAS
        output.b[:] = OUTPUT_BIAS
        model.forward(backend.asarray([X]))
        layers = model.layers
        return ForwardData(
            x=np.asarray(X, float),
            W=[backend.to_numpy(layer.W).astype(float) for layer in layers],
            b=[backend.to_numpy(layer.b).astype(float) for layer in layers],
            z=[backend.to_numpy(layer.z)[0].astype(float) for layer in layers],
            a=[backend.to_numpy(layer.a)[0].astype(float) for layer in layers],
        )


def forward_steps(d: ForwardData) -> list[Step]:
    predicted = int(np.argmax(d.a[-1]))
    hidden_off = int(np.sum(d.a[0] == 0))
    return [
        Step.read("Lesson 5's network: three inputs, four ReLU neurons, three softmax outputs. "
                  "Blue weights are positive, orange negative; a thicker edge is a larger weight."),
        Step.read(f"The example x = ({fmt(d.x[0], 1)}, {fmt(d.x[1], 1)}, {fmt(d.x[2], 1)}) enters the input layer."),
        Step.read(f"Each hidden neuron adds its bias to the weighted inputs, z = x·W⁽¹⁾ + b⁽¹⁾, then applies "
                  f"ReLU, a = max(z, 0): {hidden_off} of the four sums are negative and switch off."),
        Step.read("The output layer does the same with the hidden a, z = a·W⁽²⁾ + b⁽²⁾; softmax turns the "
                  "three z into probabilities that add up to 1."),
        Step.read(f"The network says class {predicted} with probability {fmt(d.a[-1][predicted], 3)}. "
                  "Lesson 5 prints every one of these numbers."),
    ]


class ForwardPropagation(StepScene):
    """Values flowing forward through lesson 5's network."""

    title = "Forward propagation, neuron by neuron (lesson 5's network)"
    make_data = staticmethod(forward_data)
    make_steps = staticmethod(forward_steps)

    def values(self, column: VGroup, z, a) -> VGroup:
        """z over a, inside each neuron of a layer (clear of the edges outside it)."""
        return VGroup(*(VGroup(label(fmt(zi, 3), 16), label(fmt(ai, 3), 16, RESULT)).arrange(DOWN, buff=0.06)
                        .move_to(neuron) for neuron, zi, ai in zip(column, z, a)))

    def construct(self):
        d = self.data
        network = Network(d.W, width=7.6, spacing=1.3, radius=RADIUS).move_to([-1.6, 0.8, 0])
        names = VGroup(*(label(name, 22, MUTED).next_to(column, UP, 0.3)
                         for name, column in zip(("input x", "hidden: ReLU", "output: softmax"), network.neurons)))
        for name in names:
            name.set_y(names[1].get_y())
        key = VGroup(label("in each neuron:", 20, MUTED), label("z (top)", 20, TEXT), label("a (bottom)", 20, RESULT),
                     label("weights:", 20, MUTED), label("positive", 20, POSITIVE), label("negative", 20, NEGATIVE))
        key.arrange(DOWN, aligned_edge=LEFT, buff=0.12).move_to([4.4, 3.3, 0], aligned_edge=UP + LEFT)
        with self.step():
            self.play(FadeIn(*network.neurons, names), run_time=0.8)
            self.play(*(Create(line) for l in range(len(d.W)) for line in network.edge_list(l)), FadeIn(key), run_time=1.4)

        inputs = VGroup(*(label(fmt(v, 1), 20).move_to(n) for v, n in zip(d.x, network.neurons[0])))
        with self.step():
            self.play(FadeIn(inputs, scale=1.3), run_time=0.8)

        for l in range(len(d.W)):
            values = self.values(network.neurons[l + 1], d.z[l], d.a[l])
            with self.step():
                self.play(flow(network.edge_list(l), run_time=1.2))
                self.play(FadeIn(values), run_time=0.8)

        predicted = int(np.argmax(d.a[-1]))
        winner = SurroundingRectangle(network.neurons[-1][predicted], color=RESULT, buff=0.12)
        verdict = VGroup(label(f"class {predicted}", 26, RESULT), label(f"p = {fmt(d.a[-1][predicted], 3)}", 26, RESULT),
                         label(f"sum of a = {fmt(d.a[-1].sum(), 3)}", 20, MUTED))
        verdict.arrange(DOWN, aligned_edge=LEFT, buff=0.12).next_to(winner, RIGHT, 0.4)
        with self.step():
            self.play(Create(winner), FadeIn(verdict), run_time=0.8)
            self.play(Indicate(verdict[:2], color=RESULT), run_time=0.8)
