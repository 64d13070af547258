"""GradientDescent: SGD, momentum and Adam on a real two-parameter loss, then a learning rate too large.

The loss is the mean squared error of a line y = w·x + b fitted to 50 seeded points whose
x lie around 1.5, which makes a long, narrow valley. Each path is nnlib's own optimizer
stepping the (parameter, gradient) pairs of a ``Dense(1)`` layer, with the gradients from
its ``backward``; the contour lines are the same loss evaluated on a grid.
"""

from dataclasses import dataclass

import contourpy
import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Create, Dot, FadeIn, FadeOut, VGroup, VMobject

from nnlib import SGD, Adam, Dense, backend, losses

from .base import StepScene
from .drawing import GREEN, HIGHLIGHT, MUTED, POSITIVE, VERMILLION, fmt, label
from .steps import Step

SEED = 0
START = (-1.0, 3.0)         # (w, b) where every optimizer starts
W_RANGE, B_RANGE = (-2.0, 4.0), (-3.0, 4.0)
STEPS = 40
DIVERGING_STEPS = 8
OPTIMIZERS = {  # name: (settings shown, optimizer factory, colour)
    "SGD": ("η = 0.2", lambda: SGD(learning_rate=0.2), POSITIVE),
    "Momentum": ("β = 0.9, η = 0.05", lambda: SGD(learning_rate=0.05, momentum=0.9), VERMILLION),
    "Adam": ("η = 0.3", lambda: Adam(learning_rate=0.3), GREEN),
}
TOO_LARGE = 0.32  # above 2 / (largest curvature) ≈ 0.29, so gradient descent overshoots and grows


@dataclass(frozen=True)
class DescentData:
    x: np.ndarray                   # (50, 1) inputs
    y: np.ndarray                   # (50, 1) targets
    grid_w: np.ndarray              # contour grid axes
    grid_b: np.ndarray
    grid_loss: np.ndarray           # loss[i, j] at (grid_w[j], grid_b[i])
    paths: dict[str, np.ndarray]    # optimizer name -> (STEPS + 1, 2) visited (w, b)
    path_losses: dict[str, np.ndarray]
    diverging: np.ndarray           # (DIVERGING_STEPS + 1, 2) with the too-large learning rate
    diverging_losses: np.ndarray


def regression_data():
    rng = np.random.default_rng(SEED)
    x = rng.normal(1.5, 0.5, size=(50, 1))
    return x, 2 * x - 1 + rng.normal(0.0, 0.2, size=(50, 1))


def mse_grid(x, y, grid_w, grid_b):
    """The loss at every grid point at once (the same formula as nnlib's MeanSquaredError)."""
    w, b = np.meshgrid(grid_w, grid_b)
    residual = w[..., None] * x[:, 0] + b[..., None] - y[:, 0]
    return np.mean(residual ** 2, axis=-1)


def descend(optimizer, x, y, steps):
    """Run ``optimizer`` on a ``Dense(1)`` layer from START; return the visited (w, b) and losses."""
    mse = losses.get("mse")
    layer = Dense(1)
    layer.build((1,), np.random.default_rng(SEED))
    layer.W, layer.b = backend.asarray([[START[0]]]), backend.asarray([START[1]])
    points, values = [], []
    for _ in range(steps + 1):
        points.append((float(layer.W[0, 0]), float(layer.b[0])))
        a = layer.forward(backend.asarray(x))
        values.append(float(mse(backend.asarray(y), a)))
        layer.backward(mse.gradient(backend.asarray(y), a))
        optimizer.step([(layer.W, layer.dW), (layer.b, layer.db)])
    return np.array(points), np.array(values)


def descent_data() -> DescentData:
    with backend.using("numpy", dtype="float64"):
        x, y = regression_data()
        grid_w, grid_b = np.linspace(*W_RANGE, 121), np.linspace(*B_RANGE, 141)
        runs = {name: descend(make(), x, y, STEPS) for name, (_, make, _) in OPTIMIZERS.items()}
        diverging, diverging_losses = descend(SGD(learning_rate=TOO_LARGE), x, y, DIVERGING_STEPS)
        return DescentData(x=x, y=y, grid_w=grid_w, grid_b=grid_b, grid_loss=mse_grid(x, y, grid_w, grid_b),
                           paths={name: run[0] for name, run in runs.items()},
                           path_losses={name: run[1] for name, run in runs.items()},
                           diverging=diverging, diverging_losses=diverging_losses)


def descent_steps(d: DescentData) -> list[Step]:
    final = {name: fmt(losses[-1]) for name, losses in d.path_losses.items()}
    settings = {name: spec[0] for name, spec in OPTIMIZERS.items()}
    return [
        Step("The loss of a line y = w·x + b over its two parameters: a long, narrow valley.", 2.4),
        Step(f"Gradient descent (SGD, {settings['SGD']}) crawls along the valley floor: "
             f"loss {final['SGD']} after {STEPS} steps.", 2.8),
        Step(f"Momentum ({settings['Momentum']}) builds up speed and swings past the floor: "
             f"loss {final['Momentum']}.", 2.8),
        Step(f"Adam ({settings['Adam']}) scales each parameter's step: loss {final['Adam']}.", 2.6),
        Step(f"With η = {fmt(TOO_LARGE)}, each step overshoots further: the loss grows from "
             f"{fmt(d.diverging_losses[0])} to {fmt(d.diverging_losses[-1], 0)} in {DIVERGING_STEPS} steps.", 3.2),
    ]


class GradientDescent(StepScene):
    """Three optimizers on one loss surface, and one learning rate too many."""

    title = "Gradient descent, momentum and Adam on a loss surface"
    make_data = staticmethod(descent_data)
    make_steps = staticmethod(descent_steps)

    def contours(self, axes: Axes, d: DescentData) -> VGroup:
        levels = np.geomspace(0.05, 20, 10)
        generator = contourpy.contour_generator(d.grid_w, d.grid_b, d.grid_loss)
        lines = VGroup()
        for level in levels:
            for line in generator.lines(level):
                lines.add(VMobject(stroke_color=MUTED, stroke_width=1.5, stroke_opacity=0.7)
                          .set_points_as_corners([axes.c2p(w, b) for w, b in line]))
        return lines

    def path(self, axes: Axes, points: np.ndarray, color: str) -> VGroup:
        inside = points[(points[:, 0] >= W_RANGE[0]) & (points[:, 0] <= W_RANGE[1])
                        & (points[:, 1] >= B_RANGE[0]) & (points[:, 1] <= B_RANGE[1])]
        line = VMobject(stroke_color=color, stroke_width=3).set_points_as_corners([axes.c2p(*p) for p in inside])
        return VGroup(line, *(Dot(axes.c2p(*p), radius=0.035, color=color) for p in inside))

    def construct(self):
        d = self.data
        axes = Axes(x_range=[*W_RANGE, 1], y_range=[*B_RANGE, 1], x_length=6.2, y_length=6.6,
                    axis_config={"color": MUTED, "include_tip": False}).to_edge(LEFT, buff=0.5)
        axis_names = VGroup(label("w", 24, MUTED).next_to(axes.x_axis, DOWN, 0.15).align_to(axes, RIGHT),
                            label("b", 24, MUTED).next_to(axes.y_axis, LEFT, 0.15).align_to(axes, UP))
        start = Dot(axes.c2p(*START), color=HIGHLIGHT, radius=0.07)
        with self.step():
            self.play(Create(axes), FadeIn(axis_names), run_time=0.8)
            self.play(Create(self.contours(axes, d)), FadeIn(start), run_time=1.2)

        legend_anchor = axes.get_corner(UP + RIGHT) + RIGHT * 0.5
        paths = []
        for number, (name, (settings, _, color)) in enumerate(OPTIMIZERS.items()):
            path = self.path(axes, d.paths[name], color)
            entry = label(f"{name} ({settings}): loss {fmt(d.path_losses[name][-1])}", 20, color)
            entry.move_to(legend_anchor + DOWN * 0.6 * number, aligned_edge=LEFT)
            paths.append(VGroup(path, entry))
            with self.step():
                self.play(Create(path[0]), FadeIn(*path[1:], lag_ratio=0.05), FadeIn(entry), run_time=1.8)

        diverging = self.path(axes, d.diverging, HIGHLIGHT)
        warning = label(f"η = {fmt(TOO_LARGE)}: loss {fmt(d.diverging_losses[0])} → "
                        f"{fmt(d.diverging_losses[-1], 0)}", 24, HIGHLIGHT)
        warning.move_to(legend_anchor + DOWN * 2.4, aligned_edge=LEFT)
        with self.step():
            self.play(*(FadeOut(p) for p in paths), run_time=0.4)
            self.play(Create(diverging[0]), FadeIn(*diverging[1:], lag_ratio=0.1), FadeIn(warning), run_time=2.0)
