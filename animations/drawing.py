"""Shared drawing helpers: colours, text, numbers, neurons and the edges between them.

Colours are from the Okabe–Ito palette, which colour-blind readers can tell apart: a
positive weight is sky blue, a negative one orange, and an edge's width grows with the
weight's magnitude, so sign and size never rest on colour alone.
"""

import numpy as np
from manim import Circle, Line, ShowPassingFlash, Text, VGroup

FONT = "DejaVu Sans"  # installed by the set-up (fonts-dejavu-core); fixed so renders are reproducible
BACKGROUND = "#111318"
FOREGROUND = "#F5F5F5"
MUTED = "#9AA0A6"
POSITIVE = "#56B4E9"   # sky blue
NEGATIVE = "#E69F00"   # orange
HIGHLIGHT = "#F0E442"  # yellow
GREEN = "#009E73"      # bluish green
VERMILLION = "#D55E00"
NEURON_RADIUS = 0.32


def fmt(value: float, digits: int = 2) -> str:
    """A number as the scene prints it: fixed digits and a true minus sign.

    >>> fmt(0.75), fmt(-0.3849, 3), fmt(-0.0001)
    ('0.75', '−0.385', '0.00')
    """
    text = f"{float(value):.{digits}f}"
    if text.lstrip("-").strip("0.") == "":
        text = text.lstrip("-")  # no "−0.00"
    return text.replace("-", "−")


def label(text: str, size: float = 26, color: str = FOREGROUND) -> Text:
    """Text in the scene's font (Pango, no LaTeX)."""
    return Text(text, font=FONT, font_size=size, color=color)


def tag(text: str, size: float = 20, color: str = FOREGROUND) -> Text:
    """A small label on a dark backing, readable where it crosses edges."""
    mobject = label(text, size, color)
    mobject.add_background_rectangle(color=BACKGROUND, opacity=0.85, buff=0.05)
    return mobject


def weight_color(weight: float) -> str:
    return POSITIVE if weight >= 0 else NEGATIVE


def neuron(position, color: str = FOREGROUND) -> Circle:
    """One neuron: an outlined circle at ``position``."""
    return Circle(radius=NEURON_RADIUS, color=color, stroke_width=3).move_to(position)


def edge(start: Circle, end: Circle, weight: float, max_abs: float) -> Line:
    """The connection from neuron ``start`` to ``end``, coloured by sign, as wide as |weight|."""
    width = 1.5 + 7 * abs(weight) / max_abs if max_abs > 0 else 2
    return Line(start.get_right(), end.get_left(), color=weight_color(weight), stroke_width=width)


class Network(VGroup):
    """Neurons in columns, one per layer, with an edge for every weight.

    ``weights[l]`` has shape (n_l, n_{l+1}) like nnlib's ``Dense.W``;
    ``network.neurons[l][i]`` is neuron i of layer l (layer 0 is the input) and
    ``network.edges[l][i][j]`` the line for ``weights[l][i, j]``.
    """

    def __init__(self, weights: list[np.ndarray], width: float = 8.0, spacing: float = 1.7):
        super().__init__()
        sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
        xs = np.linspace(-width / 2, width / 2, len(sizes))
        self.neurons = []
        for x, n in zip(xs, sizes):
            ys = ((n - 1) / 2 - np.arange(n)) * spacing  # centred on y = 0, top to bottom
            self.neurons.append(VGroup(*(neuron([x, y, 0]) for y in ys)))
        max_abs = max(float(np.abs(W).max()) for W in weights)
        self.edges = [
            VGroup(*(VGroup(*(edge(self.neurons[l][i], self.neurons[l + 1][j], W[i, j], max_abs)
                              for j in range(W.shape[1])))
                     for i in range(W.shape[0])))
            for l, W in enumerate(weights)
        ]
        self.add(*self.edges, *self.neurons)

    def edge_list(self, l: int) -> list[Line]:
        """The edges from layer ``l`` to layer ``l + 1``, flat."""
        return [line for row in self.edges[l] for line in row]


def flow(lines, color: str = HIGHLIGHT, backwards: bool = False, run_time: float = 1.0):
    """A pulse of light travelling along ``lines``: values going forward, gradients going back."""
    pulses = VGroup(*(line.copy().set_color(color).set_stroke(width=line.stroke_width + 3) for line in lines))
    if backwards:
        for pulse in pulses:
            pulse.reverse_points()
    return ShowPassingFlash(pulses, time_width=0.6, run_time=run_time)


def along(mobject, line: Line, proportion: float = 0.5, side: int = 1, buff: float = 0.22):
    """Lay ``mobject`` (a label) along ``line``, parallel to it, on its left (side=1) or right (-1)."""
    angle = line.get_angle()
    normal = np.array([-np.sin(angle), np.cos(angle), 0.0])
    mobject.rotate(angle)
    offset = buff + mobject.height / 2 * abs(np.cos(angle))
    return mobject.move_to(line.point_from_proportion(proportion) + side * offset * normal)
