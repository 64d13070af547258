"""GradientDescent: lesson 8's loss surface in 3D, its contour map, and three learning rates.

The data, model, start and learning rates are lesson 8's (``08-gradient-descent.md``): a line
y = w·x + b (``Dense(1)``) fitted by mean squared error to 50 points, x uniform in [0, 2] and
y = 2x − 1 plus noise (random seed 0), from (w, b) = (−1.5, 2.0), with SGD at learning rates
0.02, 0.3 and 0.45 for 30 steps. Each path is nnlib's ``train_step``; the surface and contour
lines are the same loss evaluated on a grid. The scene shows the surface from a slowly turning
camera, then the contour map with numbered axes, the minimum and the first step, then the three
learning rates side by side with their loss per step, the diverging one clipped to its plot.
"""

from dataclasses import dataclass

import contourpy
import numpy as np
from manim import (DEGREES, DL, DOWN, LEFT, RIGHT, UP, Arrow, Axes, Create, Dot, FadeIn, FadeOut, Line, Rectangle,
                   Surface, ThreeDScene, VGroup, VMobject)

from nnlib import SGD, Dense, Sequential, backend

from .base import StepScene
from .drawing import fmt, label, tick_label, tick_labels
from .palette import BAD, GOOD, MUTED, RESULT, TEXT
from .steps import Step

SEED = 0
START = (-1.5, 2.0)
STEPS = 30
LEARNING_RATES = (0.02, 0.3, 0.45)
RATE_COLORS = (TEXT, GOOD, BAD)     # too small (neutral), good, too large (diverges)
W_RANGE, B_RANGE = (-2.0, 3.0), (-2.0, 3.0)
LEVELS = np.geomspace(0.1, 40, 9)   # contour levels: equal ratios, as the valley deepens
SURFACE_SCALE = 1 / 8               # the surface's height is the loss divided by this


@dataclass(frozen=True)
class DescentData:
    x: np.ndarray                   # (50, 1) inputs
    y: np.ndarray                   # (50, 1) targets
    grid_w: np.ndarray              # contour grid axes
    grid_b: np.ndarray
    grid_loss: np.ndarray           # loss[i, j] at (grid_w[j], grid_b[i])
    minimum: tuple[float, float]    # the (w, b) of least loss (least squares)
    start_loss: float
    gradient: tuple[float, float]   # (dw, db) at the start
    paths: dict[float, np.ndarray]  # learning rate -> (STEPS + 1, 2) visited (w, b)
    losses: dict[float, np.ndarray] # learning rate -> (STEPS,) the loss train_step reports at each step
    curvatures: tuple[float, float] # of the loss along and across the valley (the Hessian's eigenvalues)


def regression_data():
    """Lesson 8's 50 points."""
    rng = np.random.default_rng(SEED)
    x = rng.uniform(0, 2, size=(50, 1)).astype(np.float32)
    return x, (2 * x - 1 + rng.normal(0, 0.3, size=(50, 1))).astype(np.float32)


def mse_grid(x, y, grid_w, grid_b):
    """The loss at every grid point at once (the same formula as nnlib's MeanSquaredError)."""
    w, b = np.meshgrid(grid_w, grid_b)
    residual = w[..., None] * x[:, 0] + b[..., None] - y[:, 0]
    return np.mean(residual ** 2, axis=-1)


def line_model(learning_rate: float) -> Sequential:
    model = Sequential([Dense(1, input_shape=(1,))])
    model.compile(optimizer=SGD(learning_rate=learning_rate), loss="mse")
    model.set_weights([np.array([[START[0]]]), np.array([START[1]])])
    return model


def descend(learning_rate: float, x, y, steps: int = STEPS):
    """``steps`` calls of ``train_step`` from START; the (w, b) visited and the loss of each step."""
    model = line_model(learning_rate)
    points, values = [], []
    for _ in range(steps):
        points.append(weights(model))
        loss, _ = model.train_step(x, y)
        values.append(float(loss))
    points.append(weights(model))
    return np.array(points), np.array(values)


def weights(model) -> tuple[float, float]:
    w, b = model.get_weights()
    return float(w[0, 0]), float(b[0])


def descent_data() -> DescentData:
    with backend.using("numpy", dtype="float32"):
        x, y = regression_data()
        first = line_model(LEARNING_RATES[1])
        prediction = first.forward(x)
        start_loss = float(first.compute_loss(y, prediction))
        first.backward_loss(y, prediction)
        dense = first.layers[0]
        gradient = (float(dense.dW[0, 0]), float(dense.db[0]))
        runs = {rate: descend(rate, x, y) for rate in LEARNING_RATES}
    grid_w, grid_b = np.linspace(*W_RANGE, 101), np.linspace(*B_RANGE, 101)
    design = np.hstack([x, np.ones_like(x)]).astype(float)
    minimum = np.linalg.lstsq(design, y.astype(float), rcond=None)[0][:, 0]
    curvatures = np.linalg.eigvalsh(2 * design.T @ design / len(design))
    return DescentData(x=x, y=y, grid_w=grid_w, grid_b=grid_b, grid_loss=mse_grid(x, y, grid_w, grid_b),
                       minimum=(float(minimum[0]), float(minimum[1])), start_loss=start_loss, gradient=gradient,
                       paths={rate: run[0] for rate, run in runs.items()},
                       losses={rate: run[1] for rate, run in runs.items()},
                       curvatures=(float(curvatures[0]), float(curvatures[1])))


def rate_name(rate: float) -> str:
    return f"η = {rate:g}"


def descent_steps(d: DescentData) -> list[Step]:
    small, good, large = LEARNING_RATES
    first = d.paths[good][1]
    return [
        Step.read(f"Lesson 8's loss: the mean squared error of a line y = w·x + b over its two parameters. "
                  f"It is a long, narrow valley; we start at (w, b) = ({fmt(START[0], 1)}, {fmt(START[1], 1)}), "
                  f"where the loss is {fmt(d.start_loss, 3)}.", animation_s=8.0),
        Step.read(f"Seen from above, as contour lines. The gradient at the start is ∂L/∂w = {fmt(d.gradient[0], 4)}, "
                  f"∂L/∂b = {fmt(d.gradient[1], 4)}; one step with η = {good:g} moves to "
                  f"({fmt(first[0], 4)}, {fmt(first[1], 4)})."),
        Step.read(f"Thirty steps with three learning rates. η = {small:g} crawls: loss {fmt(d.losses[small][-1], 3)}. "
                  f"η = {good:g} drops into the valley and runs along its floor: loss {fmt(d.losses[good][-1], 3)}."),
        Step.read(f"η = {large:g} overshoots across the valley, further at every step, and leaves the plot: "
                  f"the loss grows to {fmt(d.losses[large][-1], 3)}."),
        Step.read(f"The valley's steepest curvature, {fmt(d.curvatures[1], 3)}, sets the largest stable learning "
                  f"rate, 2 / {fmt(d.curvatures[1], 3)} = {fmt(2 / d.curvatures[1], 3)}: 0.45 is just over the edge."),
    ]


def clipped(points: np.ndarray) -> tuple[np.ndarray, bool]:
    """The path up to its first point outside the plotted range, and whether it left."""
    inside = ((points[:, 0] >= W_RANGE[0]) & (points[:, 0] <= W_RANGE[1])
              & (points[:, 1] >= B_RANGE[0]) & (points[:, 1] <= B_RANGE[1]))
    leaves = not inside.all()
    return (points[:int(np.argmin(inside))] if leaves else points), leaves


class GradientDescent(StepScene, ThreeDScene):
    """Lesson 8's loss surface, its contour map, and three learning rates side by side."""

    title = "Gradient descent on lesson 8's loss, with three learning rates"
    make_data = staticmethod(descent_data)
    make_steps = staticmethod(descent_steps)

    def contour_panel(self, size: float) -> tuple[Axes, VGroup]:
        """A framed plot over (w, b): numbered ticks on its left and bottom edges, contours, the minimum."""
        d = self.data
        axes = Axes(x_range=[*W_RANGE, 1], y_range=[*B_RANGE, 1], x_length=size, y_length=size).set_opacity(0)
        corner = axes.c2p(W_RANGE[0], B_RANGE[0])
        border = Rectangle(width=size, height=size, color=MUTED, stroke_width=2).move_to(corner, aligned_edge=DL)
        ticks = np.arange(W_RANGE[0], W_RANGE[1] + 0.5, 1.0)
        marks = VGroup(*(Line(axes.c2p(t, B_RANGE[0]), axes.c2p(t, B_RANGE[0]) + DOWN * 0.08, color=MUTED)
                         for t in ticks),
                       *(Line(axes.c2p(W_RANGE[0], t), axes.c2p(W_RANGE[0], t) + LEFT * 0.08, color=MUTED)
                         for t in ticks))
        numbers = tick_labels(axes, xs=ticks, ys=ticks, size=16)
        names = VGroup(label("w", 20, MUTED).next_to(border, RIGHT, 0.12).align_to(border, DOWN),
                       label("b", 20, MUTED).next_to(border, UP, 0.1).align_to(border, LEFT))
        generator = contourpy.contour_generator(d.grid_w, d.grid_b, d.grid_loss)
        lines = VGroup(*(VMobject(stroke_color=MUTED, stroke_width=1.2, stroke_opacity=0.8)
                         .set_points_as_corners([axes.c2p(w, b) for w, b in line])
                         for level in LEVELS for line in generator.lines(level)))
        minimum = Dot(axes.c2p(*d.minimum), radius=0.07, color=GOOD)
        return axes, VGroup(axes, border, marks, numbers, names, lines, minimum)  # axes: invisible, moves along

    def path(self, axes: Axes, points: np.ndarray, color: str) -> VGroup:
        points, _ = clipped(points)
        line = VMobject(stroke_color=color, stroke_width=3).set_points_as_corners([axes.c2p(*p) for p in points])
        return VGroup(line, *(Dot(axes.c2p(*p), radius=0.03, color=color) for p in points))

    def surface(self):
        """The loss over the plotted (w, b) range as a surface, and the good rate's path on it."""
        d = self.data
        def point(w, b):
            loss = mse_grid(d.x, d.y, np.array([w]), np.array([b]))[0, 0]
            return np.array([(w - 0.5) * 1.1, (b - 0.5) * 1.1, loss * SURFACE_SCALE])
        surface = Surface(lambda u, v: point(u, v), u_range=W_RANGE, v_range=B_RANGE, resolution=(12, 12),
                          fill_color=MUTED, fill_opacity=0.55, stroke_color=TEXT, stroke_width=0.4,
                          checkerboard_colors=False)
        points = [point(w, b) + np.array([0, 0, 0.04]) for w, b in clipped(d.paths[LEARNING_RATES[1]])[0]]
        path = VMobject(stroke_color=GOOD, stroke_width=4).set_points_as_corners(points)
        start = Dot(points[0], radius=0.08, color=RESULT)
        return VGroup(surface, path, start)

    def construct(self):
        d = self.data
        small, good, large = LEARNING_RATES
        self.set_camera_orientation(phi=65 * DEGREES, theta=-60 * DEGREES, zoom=0.8, frame_center=[0, 0, 0.6])
        surface, path, start = self.surface()
        title = label(f"loss L(w, b) = mean of (w·x + b − y)²;  start ({fmt(START[0], 1)}, {fmt(START[1], 1)}): "
                      f"L = {fmt(d.start_loss, 3)}", 24).to_edge(UP, buff=0.3)
        self.add_fixed_in_frame_mobjects(title)
        self.remove(title)
        with self.step() as step:
            self.play(Create(surface), FadeIn(title), run_time=1.6)
            self.begin_ambient_camera_rotation(rate=0.06)
            self.play(FadeIn(start), Create(path), run_time=2.4)
            self.wait(step.duration - 4.4)
            self.stop_ambient_camera_rotation()

        axes, panel = self.contour_panel(5.0)
        panel.move_to([-3.4, 0.8, 0])
        start_dot = Dot(axes.c2p(*START), radius=0.07, color=RESULT)
        first = d.paths[good][1]
        first_step = Arrow(axes.c2p(*START), axes.c2p(*first), buff=0.05, color=GOOD, stroke_width=4,
                           max_tip_length_to_length_ratio=0.2)
        notes = VGroup(label(f"start ({fmt(START[0], 1)}, {fmt(START[1], 1)}): L = {fmt(d.start_loss, 3)}", 24, RESULT),
                       label(f"∂L/∂w = {fmt(d.gradient[0], 4)},  ∂L/∂b = {fmt(d.gradient[1], 4)}", 24),
                       label(f"step with η = {good:g}: ({fmt(first[0], 4)}, {fmt(first[1], 4)})", 24, GOOD),
                       label("green dot: the minimum", 22, MUTED))
        notes.arrange(DOWN, aligned_edge=LEFT, buff=0.3).move_to([0.4, 1.6, 0], aligned_edge=LEFT)
        with self.step():
            self.play(FadeOut(surface, path, start, title), run_time=0.6)
            self.set_camera_orientation(phi=0, theta=-90 * DEGREES, zoom=1.0, frame_center=[0, 0, 0])
            self.play(FadeIn(panel), FadeIn(start_dot), run_time=1.0)
            self.play(FadeIn(notes[:2]), run_time=0.8)
            self.play(Create(first_step), FadeIn(notes[2:]), run_time=1.0)

        panels, paths, footers = VGroup(), [], VGroup()
        for number, (rate, color) in enumerate(zip(LEARNING_RATES, RATE_COLORS)):
            small_axes, small_panel = self.contour_panel(2.8)
            small_panel.move_to([-5.25 + 3.7 * number, 1.1, 0])
            heading = label(rate_name(rate), 24, color).next_to(small_panel, UP, 0.15)
            footer = label(f"loss {fmt(d.losses[rate][-1], 3)}", 22, color).next_to(small_panel, DOWN, 0.2)
            panels.add(VGroup(small_panel, heading))
            paths.append((small_axes, self.path(small_axes, d.paths[rate], color)))
            footers.add(footer)
        loss_axes = Axes(x_range=[0, STEPS, 10], y_range=[-1, 2, 1], x_length=2.4, y_length=3.0,
                         axis_config={"color": MUTED, "include_tip": False, "stroke_width": 2}).move_to([5.6, 1.1, 0])
        loss_ticks = VGroup(tick_labels(loss_axes, xs=(0, 10, 20, 30), size=16),
                            *(tick_label(text, 16).next_to(loss_axes.c2p(0, y), LEFT, 0.15)
                              for text, y in (("0.1", -1), ("1", 0), ("10", 1), ("100", 2))))
        loss_names = VGroup(label("loss per step (log)", 20, MUTED).next_to(loss_axes, UP, 0.15),
                            label("step", 18, MUTED).next_to(loss_axes, DOWN, 0.45))
        curves = {rate: VMobject(stroke_color=color, stroke_width=3).set_points_as_corners(
                      [loss_axes.c2p(step, np.log10(value)) for step, value in enumerate(d.losses[rate])])
                  for rate, color in zip(LEARNING_RATES, RATE_COLORS)}
        with self.step():
            self.play(FadeOut(panel, start_dot, first_step, notes), run_time=0.6)
            self.play(FadeIn(panels), FadeIn(loss_axes, loss_ticks, loss_names), run_time=1.0)
            for rate in (small, good):
                small_axes, trace = paths[LEARNING_RATES.index(rate)]
                self.play(Create(trace[0]), FadeIn(*trace[1:], lag_ratio=0.05), Create(curves[rate]),
                          FadeIn(footers[LEARNING_RATES.index(rate)]), run_time=1.6)

        large_axes, trace = paths[2]
        kept, _ = clipped(d.paths[large])
        exit_point = large_axes.c2p(*kept[-1])
        leaving = Arrow(exit_point, exit_point + 0.9 * normalize(d.paths[large][len(kept)] - kept[-1]), buff=0,
                        color=BAD, stroke_width=4)
        leaves_note = label(f"leaves the plot after {len(kept) - 1} steps", 20, BAD).next_to(footers[2], DOWN, 0.15)
        with self.step():
            self.play(Create(trace[0]), FadeIn(*trace[1:], lag_ratio=0.05), Create(curves[large]), run_time=1.6)
            self.play(Create(leaving), FadeIn(footers[2], leaves_note), run_time=0.8)

        edge = label(f"largest stable η = 2 / {fmt(d.curvatures[1], 3)} = {fmt(2 / d.curvatures[1], 3)}", 26, TEXT)
        edge.move_to([0, -1.8, 0])
        with self.step():
            self.play(FadeIn(edge, shift=UP * 0.2), run_time=0.8)


def normalize(vector) -> np.ndarray:
    vector = np.asarray(vector, float)
    return np.array([*vector / np.linalg.norm(vector), 0.0])
