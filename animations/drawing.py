"""Shared drawing helpers: text, numbers, neurons, the edges between them, and grids.

Colours come from :mod:`animations.palette` (one meaning each): a positive weight is sky
blue, a negative one orange, and an edge's width grows with the weight's magnitude, so sign
and size never rest on colour alone. Grids of numbers (an image, a filter, a feature map,
attention weights) shade each cell the same way: blue or orange as strong as the value is
large, grey to white for intensities, and print the value on top in one ink per fill.
"""

import numpy as np
from manim import Circle, Line, Rectangle, ShowPassingFlash, Square, Text, VGroup
from manim.utils.color import ManimColor, interpolate_color

from .palette import BACKGROUND, MUTED, NEGATIVE, POSITIVE, RESULT, TEXT

FONT = "DejaVu Sans"  # installed by the set-up (fonts-dejavu-core); fixed so renders are reproducible
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


def label(text: str, size: float = 26, color: str = TEXT) -> Text:
    """Text in the scene's font (Pango, no LaTeX)."""
    return Text(text, font=FONT, font_size=size, color=color)


def tag(text: str, size: float = 20, color: str = TEXT) -> Text:
    """A small label on a dark backing, readable where it crosses edges."""
    mobject = label(text, size, color)
    mobject.add_background_rectangle(color=BACKGROUND, opacity=0.85, buff=0.05)
    return mobject


def weight_color(weight: float) -> str:
    return POSITIVE if weight >= 0 else NEGATIVE


def neuron(position, color: str = TEXT, radius: float = NEURON_RADIUS) -> Circle:
    """One neuron: an outlined circle at ``position``."""
    return Circle(radius=radius, color=color, stroke_width=3).move_to(position)


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

    def __init__(self, weights: list[np.ndarray], width: float = 8.0, spacing: float = 1.7,
                 radius: float = NEURON_RADIUS):
        super().__init__()
        sizes = [weights[0].shape[0]] + [W.shape[1] for W in weights]
        xs = np.linspace(-width / 2, width / 2, len(sizes))
        self.neurons = []
        for x, n in zip(xs, sizes):
            ys = ((n - 1) / 2 - np.arange(n)) * spacing  # centred on y = 0, top to bottom
            self.neurons.append(VGroup(*(neuron([x, y, 0], radius=radius) for y in ys)))
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


def flow(lines, color: str = RESULT, backwards: bool = False, run_time: float = 1.0):
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


def mix(color: str, amount: float) -> ManimColor:
    """``color`` faded into the background: 0 is the background, 1 the full colour."""
    return interpolate_color(ManimColor(BACKGROUND), ManimColor(color), float(np.clip(amount, 0.0, 1.0)))


FILL_STRENGTH = 0.6  # the strongest fill stays dark enough for light text: one ink on every signed fill


def signed_fill(value: float, max_abs: float) -> ManimColor:
    """A cell's fill for a signed value: blue if positive, orange if negative, stronger when larger.

    >>> ink(signed_fill(1.0, 1.0)) == ink(signed_fill(-1.0, 1.0)) == ink(signed_fill(0.0, 1.0)) == TEXT
    True
    """
    return mix(weight_color(value), FILL_STRENGTH * abs(value) / max_abs if max_abs > 0 else 0.0)


def ink(fill) -> str:
    """Dark text on a light fill, light text on a dark one.

    >>> ink(TEXT) == BACKGROUND, ink(BACKGROUND) == TEXT
    (True, True)
    """
    red, green, blue = ManimColor(fill).to_rgb()
    return BACKGROUND if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.5 else TEXT


class Grid(VGroup):
    """``rows`` x ``cols`` square cells, row 0 at the top; ``grid.squares[r][c]`` is one cell.

    ``fills`` (optional) gives each cell's colour. ``number`` writes a value in a cell,
    ``window`` outlines a block of cells, ``block_center`` is the centre of such a block.
    """

    def __init__(self, rows: int, cols: int, cell: float = 0.5, fills=None, stroke: str = MUTED):
        super().__init__()
        self.rows, self.cols, self.cell = rows, cols, cell
        self.squares = [[Square(cell, stroke_color=stroke, stroke_width=1.5, fill_opacity=1,
                                fill_color=fills[r][c] if fills is not None else BACKGROUND)
                         .move_to([(c - (cols - 1) / 2) * cell, ((rows - 1) / 2 - r) * cell, 0])
                         for c in range(cols)] for r in range(rows)]
        self.add(*(square for row in self.squares for square in row))

    def block_center(self, r: int, c: int, height: int = 1, width: int = 1) -> np.ndarray:
        """The centre of the block of cells from (r, c) spanning ``height`` rows and ``width`` columns."""
        return (self.squares[r][c].get_center() + self.squares[r + height - 1][c + width - 1].get_center()) / 2

    def window(self, r: int, c: int, height: int = 1, width: int = 1, color: str = RESULT) -> Rectangle:
        """An outline around a block of cells (a filter's or a pooling window's position)."""
        return Rectangle(width=width * self.cell, height=height * self.cell, color=color,
                         stroke_width=5).move_to(self.block_center(r, c, height, width))

    def number(self, r: int, c: int, value: float, digits: int = 1, fill=None, size: float | None = None) -> Text:
        """``value`` written in cell (r, c), readable on that cell's fill (or on ``fill``)."""
        fill = self.squares[r][c].get_fill_color() if fill is None else fill
        text = label(fmt(value, digits), size or 34 * self.cell, ink(fill))
        return text.move_to(self.squares[r][c])


class TickLabel(Text):
    """An axis tick's number: part of the frame, not a number the scene computes."""


def tick_label(text: str, size: float = 18) -> TickLabel:
    return TickLabel(text, font=FONT, font_size=size, color=MUTED)


def tick_labels(axes, xs=(), ys=(), digits: int = 0, size: float = 18) -> VGroup:
    """Numbers under the x-axis ticks and left of the y-axis ticks, clear of the axis lines."""
    def make(value):
        return tick_label(fmt(value, digits), size)
    under = [make(x).next_to(axes.c2p(x, axes.y_range[0]), [0, -1, 0], buff=0.15) for x in xs]
    left = [make(y).next_to(axes.c2p(axes.x_range[0], y), [-1, 0, 0], buff=0.15) for y in ys]
    return VGroup(*under, *left)
