"""Convolution: a 3×3 vertical-edge filter sliding over a real 8×8 digit, then 2×2 max-pooling.

The input is the first image of the 8×8 digits data set (``data.load_digits``), the filter
nnlib's ``Conv2D`` with its weights set to a vertical-edge detector (−1 on the left column,
+1 on the right, bias 0). Every cell of the 6×6 feature map is read from ``Conv2D.z``
after ``forward``, every cell of the 3×3 pooled map from ``MaxPooling2D.forward``.
"""

from dataclasses import dataclass

import numpy as np
from manim import DOWN, UP, Animation, AnimationGroup, Arrow, FadeIn, FadeOut, LaggedStart, VGroup, Write, linear

from nnlib import Conv2D, MaxPooling2D, backend, data

from .base import StepScene
from .drawing import FOREGROUND, MUTED, Grid, fmt, label, mix, signed_fill
from .steps import Step

IMAGE = 0  # which image of the digits data set
VERTICAL_EDGE = ((-1.0, 0.0, 1.0),) * 3  # dark on the left, light on the right: a large positive z
POOL = 2
CELL = 0.5


@dataclass(frozen=True)
class ConvolutionData:
    image: np.ndarray        # (8, 8) pixel intensities in [0, 1]
    digit: int               # its label
    kernel: np.ndarray       # (3, 3) the filter, Conv2D.W[:, :, 0, 0]
    bias: float              # Conv2D.b[0]
    feature_map: np.ndarray  # (6, 6) Conv2D.z[0, :, :, 0]
    pooled: np.ndarray       # (3, 3) MaxPooling2D's output
    worked: tuple[int, int]  # the feature-map cell whose sum the scene spells out
    patch: np.ndarray        # (3, 3) the pixels under the filter at that cell


def convolution_data(image_index: int = IMAGE) -> ConvolutionData:
    """Run Conv2D (vertical-edge filter) and MaxPooling2D on one digit; keep every number shown."""
    with backend.using("numpy", dtype="float64"):
        images, labels = data.load_digits(flatten=False)
        image = np.asarray(images[image_index], dtype=float)
        conv = Conv2D(1, (3, 3), input_shape=(*image.shape, 1))
        conv.build((*image.shape, 1), np.random.default_rng(0))
        conv.W = backend.asarray(np.asarray(VERTICAL_EDGE).reshape(3, 3, 1, 1))
        conv.b = backend.zeros((1,))
        conv.forward(backend.asarray(image[None, :, :, None]))
        feature_map = backend.to_numpy(conv.z)[0, :, :, 0].copy()
        pooled = backend.to_numpy(MaxPooling2D((POOL, POOL)).forward(conv.z))[0, :, :, 0].copy()
        worked = worked_cell(image, np.asarray(VERTICAL_EDGE), feature_map)
        r, c = worked
        return ConvolutionData(
            image=image, digit=int(labels[image_index]),
            kernel=backend.to_numpy(conv.W)[:, :, 0, 0].copy(), bias=float(backend.to_numpy(conv.b)[0]),
            feature_map=feature_map, pooled=pooled, worked=worked, patch=image[r:r + 3, c:c + 3].copy(),
        )


def worked_cell(image: np.ndarray, kernel: np.ndarray, feature_map: np.ndarray) -> tuple[int, int]:
    """The strongest response whose sum has both positive and negative products (a telling example)."""
    kh, kw = kernel.shape
    def mixed(r, c):
        p = image[r:r + kh, c:c + kw] * kernel
        return (p > 0).any() and (p < 0).any()
    cells = [(abs(feature_map[r, c]), (r, c)) for r in range(feature_map.shape[0])
             for c in range(feature_map.shape[1]) if mixed(r, c)]
    return max(cells)[1] if cells else tuple(int(i) for i in np.unravel_index(np.argmax(np.abs(feature_map)), feature_map.shape))


def products(d: ConvolutionData) -> tuple[float, float]:
    """The worked cell's sum split into its positive and its negative products."""
    p = d.patch * d.kernel
    return float(p[p > 0].sum()), float(p[p < 0].sum())


def convolution_steps(d: ConvolutionData) -> list[Step]:
    positive, negative = products(d)
    z = d.feature_map[d.worked]
    return [
        Step(f"An 8×8 image of the digit {d.digit} and a 3×3 vertical-edge filter: "
             "−1 on its left column, +1 on its right.", 2.6),
        Step(f"Where the filter sits, multiply each pixel by its weight and add: "
             f"z = {fmt(positive)} − {fmt(-negative)} = {fmt(z)}.", 3.4),
        Step("The filter slides over every position: Conv2D's 6×6 feature map is blue where the image "
             "gets brighter to the right, orange where it gets darker.", 4.6),
        Step(f"Max-pooling keeps the largest value of each 2×2 block: a 3×3 map, "
             f"strongest response {fmt(d.pooled.max(), 1)}.", 3.6),
    ]


class Convolution(StepScene):
    """A filter sliding over an image, the feature map filling in, then pooling."""

    title = "A convolution filter sliding over a digit"
    make_data = staticmethod(convolution_data)
    make_steps = staticmethod(convolution_steps)

    def construct(self):
        d = self.data
        h, w = d.feature_map.shape
        span = float(np.abs(d.feature_map).max())
        image = Grid(*d.image.shape, CELL, [[mix(FOREGROUND, v) for v in row] for row in d.image]).move_to([-4.6, -0.2, 0])
        kernel = Grid(3, 3, CELL, [[signed_fill(v, 1.0) for v in row] for row in d.kernel]).move_to([-1.05, 1.2, 0])
        weights = VGroup(*(kernel.number(r, c, d.kernel[r, c], 0) for r in range(3) for c in range(3)))
        feature = Grid(h, w, CELL).move_to([2.05, -0.2, 0])
        pooled = Grid(*d.pooled.shape, CELL).move_to([5.6, -0.2, 0])
        headings = VGroup(label(f"input: digit {d.digit}", 22, MUTED).next_to(image, UP, 0.2),
                          label("filter", 22, MUTED).next_to(kernel, UP, 0.2),
                          label(f"bias b = {fmt(d.bias, 0)}", 20, MUTED).next_to(kernel, DOWN, 0.2),
                          label("feature map", 22, MUTED).next_to(feature, UP, 0.2),
                          label("max-pool 2×2", 22, MUTED).next_to(pooled, UP, 0.2))
        with self.step():
            self.play(FadeIn(image, kernel, weights, headings), run_time=1.0)
            self.play(FadeIn(feature, pooled), run_time=0.6)

        r0, c0 = d.worked
        window = image.window(r0, c0, 3, 3)
        target = feature.window(r0, c0)
        patch = VGroup(*(image.number(r0 + r, c0 + c, d.patch[r, c], 2, size=13)
                         for r in range(3) for c in range(3)))
        positive, negative = products(d)
        formula = label(f"z = Σ pixel × weight + b = {fmt(positive)} − {fmt(-negative)} = {fmt(d.feature_map[d.worked])}",
                        26).move_to([0, -3.3, 0])
        fills = [[signed_fill(v, span) for v in row] for row in d.feature_map]
        numbers = [[feature.number(r, c, d.feature_map[r, c], 1, fill=fills[r][c], size=15) for c in range(w)]
                   for r in range(h)]
        with self.step():
            self.play(FadeIn(window), FadeIn(patch), run_time=0.8)
            self.play(Write(formula), FadeIn(target), run_time=1.2)
            self.play(feature.squares[r0][c0].animate.set_fill(fills[r0][c0]), FadeIn(numbers[r0][c0]), run_time=0.6)

        with self.step():
            self.play(FadeOut(patch), window.animate.move_to(image.block_center(0, 0, 3, 3)),
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

        ph, pw = d.pooled.shape
        span_pooled = max(span, float(np.abs(d.pooled).max()))
        pool_fills = [[signed_fill(v, span_pooled) for v in row] for row in d.pooled]
        pool_numbers = [[pooled.number(r, c, d.pooled[r, c], 1, fill=pool_fills[r][c], size=15) for c in range(pw)]
                        for r in range(ph)]
        arrow = Arrow(feature.get_right(), pooled.get_left(), buff=0.1, color=MUTED, stroke_width=3)
        block = d.feature_map[:POOL, :POOL].ravel()
        pool_formula = label(f"max({', '.join(fmt(v, 1) for v in block)}) = {fmt(d.pooled[0, 0], 1)}", 26)
        pool_formula.move_to(formula)
        with self.step():
            self.play(FadeOut(window, target, formula), FadeIn(arrow, pool_formula), run_time=0.4)
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
