"""Convolution: lesson 15's worked example, a 3×3 vertical-edge filter sliding over a digit, ReLU, pooling.

The image, filter and pooling are lesson 15's (``15-convolutional-networks.md``): the first 3 of
the 8×8 digits data set (``data.load_digits``), the filter [[1, 0, −1], [2, 0, −2], [1, 0, −1]]
in nnlib's ``Conv2D`` (bias 0), a ReLU, then ``MaxPooling2D`` over 2×2 windows. Every cell of the
6×6 feature map is read from ``Conv2D.z`` after ``forward``, every cell of the 3×3 pooled map from
``MaxPooling2D.forward``; the lesson's doctests print both, and the pixels ×16 as shown here.
"""

from dataclasses import dataclass

import numpy as np
from manim import DOWN, UP, Animation, AnimationGroup, Arrow, FadeIn, FadeOut, LaggedStart, VGroup, Write, linear

from nnlib import Conv2D, MaxPooling2D, backend, data

from .base import StepScene
from .drawing import Grid, fmt, ink, label, mix, signed_fill
from .palette import MUTED, RESULT, TEXT
from .steps import Step

DIGIT = 3  # the lesson's image: the first 3 in the data set
VERTICAL_EDGE = ((1.0, 0.0, -1.0), (2.0, 0.0, -2.0), (1.0, 0.0, -1.0))  # brighter on the left: positive z
POOL = 2
LEVELS = 16  # the digits' pixels are sixteenths; the lesson prints them as whole numbers 0 to 16
IMAGE_CELL, MAP_CELL = 0.5, 0.72


@dataclass(frozen=True)
class ConvolutionData:
    image: np.ndarray        # (8, 8) pixel intensities in [0, 1]
    kernel: np.ndarray       # (3, 3) the filter, Conv2D.W[:, :, 0, 0]
    bias: float              # Conv2D.b[0]
    feature_map: np.ndarray  # (6, 6) Conv2D.z[0, :, :, 0]
    rectified: np.ndarray    # (6, 6) after ReLU
    pooled: np.ndarray       # (3, 3) MaxPooling2D's output on the rectified map
    worked: tuple[int, int]  # the feature-map cell whose sum the scene spells out (the strongest)


def convolution_data() -> ConvolutionData:
    """Run lesson 15's Conv2D (vertical-edge filter), ReLU and MaxPooling2D on its digit."""
    with backend.using("numpy", dtype="float64"):
        images, labels = data.load_digits(flatten=False)
        image = np.asarray(images[labels == DIGIT][0], dtype=float)
        conv = Conv2D(1, (3, 3), input_shape=(*image.shape, 1))
        conv.build((*image.shape, 1), np.random.default_rng(0))
        conv.W = backend.asarray(np.asarray(VERTICAL_EDGE).reshape(3, 3, 1, 1))
        conv.b = backend.zeros((1,))
        conv.forward(backend.asarray(image[None, :, :, None]))
        feature_map = backend.to_numpy(conv.z)[0, :, :, 0].copy()
        rectified = np.maximum(feature_map, 0)
        pooled = backend.to_numpy(MaxPooling2D((POOL, POOL)).forward(backend.asarray(rectified[None, :, :, None])))
        worked = tuple(int(i) for i in np.unravel_index(np.argmax(feature_map), feature_map.shape))
        return ConvolutionData(image=image, kernel=backend.to_numpy(conv.W)[:, :, 0, 0].copy(),
                               bias=float(backend.to_numpy(conv.b)[0]), feature_map=feature_map,
                               rectified=rectified, pooled=pooled[0, :, :, 0].copy(), worked=worked)


def value(v: float) -> str:
    """A map's value as the lesson prints it: one decimal, and a plain 0 where ReLU or pooling gives zero."""
    return "0" if v == 0 else fmt(v, 1)


def convolution_steps(d: ConvolutionData) -> list[Step]:
    r, c = d.worked
    return [
        Step.read(f"Lesson 15's image, the first {DIGIT} of the digits data: 8×8 pixels, shown ×{LEVELS} as the "
                  "lesson prints them. The filter finds vertical edges: +1, +2, +1 on the left, −1, −2, −1 on the right."),
        Step.read(f"Where the filter sits, multiply each pixel by its weight and add. At row {r + 1}, column {c + 1} "
                  f"the sum is z = {value(d.feature_map[r, c])}, the strongest response."),
        Step.read("The filter slides over all 36 positions. Conv2D's 6×6 feature map is blue where the image is "
                  "brighter on the left, orange where it is brighter on the right.", animation_s=4.4),
        Step.read("ReLU keeps the positive values and sets the negative ones to 0."),
        Step.read(f"Max-pooling keeps the largest value of each 2×2 block: a 3×3 map whose strongest value is "
                  f"{value(d.pooled.max())}.", animation_s=3.2),
    ]


class Convolution(StepScene):
    """A filter sliding over lesson 15's digit, the feature map filling in, ReLU, then pooling."""

    title = "A convolution filter sliding over a digit (lesson 15's example)"
    make_data = staticmethod(convolution_data)
    make_steps = staticmethod(convolution_steps)

    def construct(self):
        d = self.data
        h, w = d.feature_map.shape
        span = float(np.abs(d.feature_map).max())
        image = Grid(*d.image.shape, IMAGE_CELL, [[mix(TEXT, v) for v in row] for row in d.image]).move_to([-4.95, 0.9, 0])
        kernel = Grid(3, 3, IMAGE_CELL, [[signed_fill(v, 2.0) for v in row] for row in d.kernel]).move_to([-1.85, 2.1, 0])
        weights = VGroup(*(kernel.number(r, c, d.kernel[r, c], 0, size=18) for r in range(3) for c in range(3)))
        feature = Grid(h, w, MAP_CELL).move_to([1.6, 0.9, 0])
        pooled = Grid(*d.pooled.shape, MAP_CELL).move_to([5.5, 0.9, 0])
        headings = VGroup(label(f"input: a {DIGIT}, pixels ×{LEVELS}", 22, MUTED).next_to(image, UP, 0.2),
                          label("filter", 22, MUTED).next_to(kernel, UP, 0.2),
                          label(f"bias b = {fmt(d.bias, 0)}", 20, MUTED).next_to(kernel, DOWN, 0.2),
                          label("feature map z", 22, MUTED).next_to(feature, UP, 0.2),
                          label("max-pool 2×2", 22, MUTED).next_to(pooled, UP, 0.2))
        with self.step():
            self.play(FadeIn(image, kernel, weights, headings), run_time=1.0)
            self.play(FadeIn(feature, pooled), run_time=0.6)

        r0, c0 = d.worked
        window = image.window(r0, c0, 3, 3)
        target = feature.window(r0, c0)
        patch = VGroup(*(image.number(r0 + r, c0 + c, round(d.image[r0 + r, c0 + c] * LEVELS), 0, size=15)
                         for r in range(3) for c in range(3)))
        formula = label(f"z = Σ pixel × weight + b = {value(d.feature_map[r0, c0])}", 26, RESULT).move_to([0, -1.9, 0])
        fills = [[signed_fill(v, span) for v in row] for row in d.feature_map]
        numbers = [[self.cell_text(feature, r, c, d.feature_map[r, c], fills[r][c]) for c in range(w)] for r in range(h)]
        with self.step():
            self.play(FadeIn(window), FadeIn(patch), run_time=0.8)
            self.play(Write(formula), FadeIn(target), run_time=1.2)
            self.play(feature.squares[r0][c0].animate.set_fill(fills[r0][c0]), FadeIn(numbers[r0][c0]), run_time=0.6)

        with self.step():
            self.play(FadeOut(patch, formula), window.animate.move_to(image.block_center(0, 0, 3, 3)),
                      target.animate.move_to(feature.block_center(0, 0)), run_time=0.4)
            for r in range(h):
                if r:
                    window.move_to(image.block_center(r, 0, 3, 3))
                    target.move_to(feature.block_center(r, 0))
                # The worked cell's number is already shown: a no-op Animation keeps it above its square.
                cells = [AnimationGroup(feature.squares[r][c].animate.set_fill(fills[r][c]),
                                        (Animation if (r, c) == d.worked else FadeIn)(numbers[r][c]))
                         for c in range(w)]
                self.play(window.animate(rate_func=linear).move_to(image.block_center(r, w - 1, 3, 3)),
                          target.animate(rate_func=linear).move_to(feature.block_center(r, w - 1)),
                          LaggedStart(*cells, lag_ratio=1.0), run_time=0.6)

        relu_fills = [[signed_fill(v, span) for v in row] for row in d.rectified]
        negative = [(r, c) for r in range(h) for c in range(w) if d.feature_map[r, c] < 0]
        zeros = {cell: self.cell_text(feature, *cell, 0.0, relu_fills[cell[0]][cell[1]]) for cell in negative}
        relu = label("ReLU: a = max(z, 0)", 24, RESULT).move_to([1.6, -1.9, 0])
        with self.step():
            self.play(FadeOut(window, target), FadeIn(relu), run_time=0.6)
            self.play(*(feature.squares[r][c].animate.set_fill(relu_fills[r][c]) for r, c in negative),
                      *(FadeOut(numbers[r][c]) for r, c in negative), *(FadeIn(z) for z in zeros.values()), run_time=1.2)

        ph, pw = d.pooled.shape
        pool_fills = [[signed_fill(v, span) for v in row] for row in d.pooled]
        pool_numbers = [[self.cell_text(pooled, r, c, d.pooled[r, c], pool_fills[r][c]) for c in range(pw)]
                        for r in range(ph)]
        arrow = Arrow(feature.get_right(), pooled.get_left(), buff=0.08, color=MUTED, stroke_width=3)
        with self.step():
            self.play(FadeOut(relu), FadeIn(arrow), run_time=0.4)
            window = feature.window(0, 0, POOL, POOL)
            target = pooled.window(0, 0)
            self.add(window, target)
            for r in range(ph):
                if r:
                    window.move_to(feature.block_center(POOL * r, 0, POOL, POOL))
                    target.move_to(pooled.block_center(r, 0))
                cells = [AnimationGroup(pooled.squares[r][c].animate.set_fill(pool_fills[r][c]),
                                        FadeIn(pool_numbers[r][c])) for c in range(pw)]
                self.play(window.animate(rate_func=linear).move_to(feature.block_center(POOL * r, POOL * (pw - 1), POOL, POOL)),
                          target.animate(rate_func=linear).move_to(pooled.block_center(r, pw - 1)),
                          LaggedStart(*cells, lag_ratio=1.0), run_time=0.8)
            self.play(FadeOut(window, target), run_time=0.2)

    @staticmethod
    def cell_text(grid: Grid, r: int, c: int, v: float, fill):
        """A map's value in its cell, in the cell's ink, as the lesson prints it."""
        return label(value(v), 17, ink(fill)).move_to(grid.squares[r][c])
