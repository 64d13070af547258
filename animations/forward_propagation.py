"""ForwardPropagation: one input flowing through a small trained network, layer by layer.

A 2-3-2 network (tanh, then softmax) is trained briefly with nnlib on a seeded moons data
set; the scene then sends one point through it and shows each neuron's z and a, read from
the ``Dense`` layers after ``model.forward``.
"""

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, Indicate, SurroundingRectangle, VGroup

from nnlib import Adam, Dense, Sequential, backend, data

from .base import StepScene
from .drawing import HIGHLIGHT, MUTED, NEGATIVE, POSITIVE, Network, flow, fmt, label, tag
from .steps import Step

SEED = 0
EPOCHS = 40


@dataclass(frozen=True)
class ForwardData:
    x: np.ndarray          # the input point, shape (2,)
    target: int            # its class in the data set
    W: list[np.ndarray]    # each layer's weights, (n_in, n_out)
    b: list[np.ndarray]    # each layer's biases
    z: list[np.ndarray]    # each layer's pre-activation for x
    a: list[np.ndarray]    # each layer's activation for x (the last is softmax's probabilities)
    accuracy: float        # on the training set, after training


def forward_data() -> ForwardData:
    """Train the 2-3-2 network on moons, then run one point forward and keep each layer's z and a."""
    with backend.using("numpy", dtype="float64"):
        X, y = data.make_moons(200, noise=0.15, rng=SEED)
        model = Sequential([Dense(3, activation="tanh", input_shape=(2,)), Dense(2, activation="softmax")], seed=SEED)
        model.compile(optimizer=Adam(0.05), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(X, y, epochs=EPOCHS, batch_size=32, verbose=0)
        _, accuracy = model.evaluate(X, y, verbose=0)
        model.forward(backend.asarray(X[:1]))
        layers = model.layers
        return ForwardData(
            x=np.asarray(X[0], float),
            target=int(y[0]),
            W=[backend.to_numpy(layer.W).copy() for layer in layers],
            b=[backend.to_numpy(layer.b).copy() for layer in layers],
            z=[backend.to_numpy(layer.z)[0].copy() for layer in layers],
            a=[backend.to_numpy(layer.a)[0].copy() for layer in layers],
            accuracy=float(accuracy),
        )


def forward_steps(d: ForwardData) -> list[Step]:
    predicted = int(np.argmax(d.a[-1]))
    return [
        Step(f"A 2-3-2 network trained for {EPOCHS} epochs on the moons data. "
             "Blue weights are positive, orange negative; thicker is larger.", 3.2),
        Step(f"One point, x = ({fmt(d.x[0])}, {fmt(d.x[1])}), enters the input layer.", 2.2),
        Step("Each hidden neuron computes z = x·W + b, then a = tanh(z).", 3.0),
        Step("The output layer does the same with the hidden a; softmax turns z into probabilities.", 3.0),
        Step(f"The network says class {predicted} with probability {fmt(d.a[-1][predicted])}; "
             f"the point's true class is {d.target}.", 2.6),
    ]


class ForwardPropagation(StepScene):
    """Values flowing forward through a trained network."""

    title = "Forward propagation through a trained network"
    make_data = staticmethod(forward_data)
    make_steps = staticmethod(forward_steps)

    def value_tags(self, column: VGroup, z, a) -> VGroup:
        """ "z … / a …" beside each neuron of a layer."""
        return VGroup(*(VGroup(tag(f"z = {fmt(zi)}", 20), tag(f"a = {fmt(ai)}", 20, HIGHLIGHT))
                        .arrange(DOWN, aligned_edge=LEFT, buff=0.06).next_to(neuron, RIGHT, 0.12)
                        for neuron, zi, ai in zip(column, z, a)))

    def construct(self):
        d = self.data
        network = Network(d.W, width=8.0).shift(LEFT * 0.8 + DOWN * 0.2)
        names = VGroup(*(label(name, 22, MUTED).next_to(column, UP, 0.35)
                         for name, column in zip(("input", "hidden (tanh)", "output (softmax)"), network.neurons)))
        key = VGroup(label("positive weight", 20, POSITIVE), label("negative weight", 20, NEGATIVE), label("thicker: larger |w|", 20, MUTED))
        key.arrange(DOWN, aligned_edge=LEFT).to_corner(DOWN + LEFT, buff=0.4)
        with self.step():
            self.play(FadeIn(*network.neurons, names), run_time=0.8)
            self.play(*(Create(line) for l in range(len(d.W)) for line in network.edge_list(l)), FadeIn(key), run_time=1.4)

        inputs = VGroup(*(tag(f"x{s} = {fmt(v)}", 22).next_to(n, LEFT, 0.15) for s, v, n in zip("₁₂", d.x, network.neurons[0])))
        with self.step():
            self.play(FadeIn(inputs, shift=RIGHT * 0.3), run_time=0.8)

        for l in range(len(d.W)):
            values = self.value_tags(network.neurons[l + 1], d.z[l], d.a[l])
            with self.step():
                self.play(flow(network.edge_list(l), run_time=1.2))
                self.play(FadeIn(values), run_time=0.8)

        predicted = int(np.argmax(d.a[-1]))
        winner = SurroundingRectangle(network.neurons[-1][predicted], color=HIGHLIGHT, buff=0.12)
        verdict = label(f"class {predicted}: p = {fmt(d.a[-1][predicted])}", 26, HIGHLIGHT)
        verdict.next_to(network, RIGHT, 0.2).to_edge(RIGHT, buff=0.3).shift(DOWN * 2.6)
        with self.step():
            self.play(Create(winner), FadeIn(verdict), run_time=0.8)
            self.play(Indicate(verdict, color=HIGHLIGHT), run_time=0.8)
