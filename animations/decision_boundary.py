"""DecisionBoundary: a small MLP learning the moons, its boundary morphing epoch by epoch.

nnlib's ``Recorder`` snapshots the network's output on a grid once per epoch while
``fit`` trains it; the scene blends one snapshot into the next, draws the boundary where
the output a crosses 0.5, and shows the epoch and the training loss of each snapshot.
"""

import math
from dataclasses import dataclass
from functools import lru_cache

import contourpy
import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, FadeIn, VGroup, VMobject, ValueTracker, always_redraw, linear
from manim.utils.color import ManimColor

from nnlib import Adam, Dense, Recorder, Sequential, backend, data

from .base import StepScene
from .drawing import BACKGROUND, FOREGROUND, HIGHLIGHT, NEGATIVE, POSITIVE, fmt, label
from .steps import Step

SEED = 0
EPOCHS = 40
BATCH_SIZE = 32
N_SAMPLES = 200
GRID = (-1.6, 2.6, -1.1, 1.6, 64)  # xmin, xmax, ymin, ymax, points per side
ARCHITECTURE = "2-16-16-1"


@dataclass(frozen=True)
class BoundaryData:
    X: np.ndarray           # (200, 2) points
    y: np.ndarray           # (200,) classes 0 and 1
    grid_x: np.ndarray      # (n,) grid coordinates
    grid_y: np.ndarray
    outputs: np.ndarray     # (S, n, n): the network's a at (grid_x[j], grid_y[i]) in [s, i, j]
    epochs: np.ndarray      # (S,) epochs finished at each snapshot (0 = untrained)
    losses: np.ndarray      # (S,) training loss of that epoch (NaN before training)
    accuracy: float         # on the training points, after training


def boundary_data() -> BoundaryData:
    """Train the MLP on moons with a Recorder taking one grid snapshot per epoch."""
    with backend.using("numpy", dtype="float64"):
        X, y = data.make_moons(N_SAMPLES, noise=0.15, rng=SEED)
        model = Sequential([Dense(16, activation="tanh", input_shape=(2,)), Dense(16, activation="tanh"),
                            Dense(1, activation="sigmoid")], seed=SEED)
        model.compile(optimizer=Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
        # Snapshots every epoch's worth of steps coincide with the epoch ends: one per epoch.
        recorder = Recorder(every=math.ceil(N_SAMPLES / BATCH_SIZE), grid=GRID)
        model.fit(X, y, epochs=EPOCHS, batch_size=BATCH_SIZE, callbacks=[recorder], verbose=0)
        _, accuracy = model.evaluate(X, y, verbose=0)
        recording = recorder.recording
        epochs = np.where(recording.step == 0, 0, recording.epoch + 1)
        return BoundaryData(X=X, y=y, grid_x=recording["grid/x"], grid_y=recording["grid/y"],
                            outputs=recording["grid/output"][..., 0], epochs=epochs, losses=recording.loss,
                            accuracy=float(accuracy))


def boundary_steps(d: BoundaryData) -> list[Step]:
    return [
        Step(f"Two moons: {len(d.X)} points of two classes that no straight line can separate.", 2.4),
        Step(f"An untrained {ARCHITECTURE} network: its boundary, where a = 0.5, barely bends.", 2.6),
        Step("Training with Adam: the boundary bends around the moons as the loss falls.", 6.0),
        Step(f"After {int(d.epochs[-1])} epochs the loss is {fmt(d.losses[-1], 3)} and "
             f"it classifies {d.accuracy:.0%} of the points correctly.", 2.6),
    ]


def blend(d: BoundaryData, t: float) -> np.ndarray:
    """The grid output at snapshot position ``t``, linear between neighbouring snapshots."""
    i = min(int(t), len(d.outputs) - 2)
    return d.outputs[i] + (t - i) * (d.outputs[i + 1] - d.outputs[i])


BANDS = (0.0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1.0)  # output levels between which the shading is flat


def band_color(lower: float, upper: float) -> ManimColor:
    """Orange where the network says class 0, blue for class 1, fading to the background at a = 0.5."""
    middle = (lower + upper) / 2
    side = POSITIVE if middle >= 0.5 else NEGATIVE
    return ManimColor(BACKGROUND).interpolate(ManimColor(side), 0.6 * abs(2 * middle - 1))


class DecisionBoundary(StepScene):
    """A network's decision boundary taking shape while it trains."""

    title = "A decision boundary taking shape during training"
    make_data = staticmethod(boundary_data)
    make_steps = staticmethod(boundary_steps)

    def construct(self):
        d = self.data
        xmin, xmax, ymin, ymax, _ = GRID
        scale = 2.25
        axes = Axes(x_range=[xmin, xmax], y_range=[ymin, ymax], x_length=scale * (xmax - xmin),
                    y_length=scale * (ymax - ymin)).to_edge(LEFT, buff=0.3)
        points = VGroup(*(Dot(axes.c2p(*p), radius=0.05, color=(POSITIVE if c else NEGATIVE),
                              stroke_color=FOREGROUND, stroke_width=0.6) for p, c in zip(d.X, d.y)))
        with self.step():
            self.play(FadeIn(points, lag_ratio=0.01), run_time=1.4)

        t = ValueTracker(0.0)
        origin, ux, uy = (axes.c2p(*p) for p in ((0, 0), (1, 0), (0, 1)))
        self.to_scene = lambda xy: origin + xy[:, :1] * (ux - origin) + xy[:, 1:] * (uy - origin)
        shading = always_redraw(lambda: self.shading(blend(d, t.get_value())))
        boundary = always_redraw(lambda: self.boundary(blend(d, t.get_value())))
        corner = axes.get_corner(UP + RIGHT) + RIGHT * 0.5
        status = always_redraw(lambda: self.status(d, t.get_value()).move_to(corner, aligned_edge=UP + LEFT))
        with self.step():
            self.add(shading, boundary, points)  # points stay on top of the shading
            self.play(FadeIn(shading), FadeIn(boundary), FadeIn(status), run_time=1.0)

        with self.step() as step:
            self.play(t.animate.set_value(len(d.outputs) - 1), run_time=step.duration, rate_func=linear)

        summary = label(f"accuracy {d.accuracy:.0%}", 30, HIGHLIGHT)
        with self.step():
            self.play(FadeIn(summary.next_to(status, DOWN, 0.4, aligned_edge=LEFT)), run_time=0.8)

    def contours(self, a: np.ndarray):
        return contourpy.contour_generator(self.data.grid_x, self.data.grid_y, a,
                                           fill_type=contourpy.FillType.OuterOffset)

    def shading(self, a: np.ndarray) -> VGroup:
        """Filled bands of the output a (a picture of the whole grid in a handful of shapes)."""
        contours, bands = self.contours(a), VGroup()
        for lower, upper in zip(BANDS[:-1], BANDS[1:]):
            band = VMobject(fill_color=band_color(lower, upper), fill_opacity=1, stroke_width=0)
            outlines, offsets = contours.filled(lower, upper)
            for outline, offset in zip(outlines, offsets):
                for start, stop in zip(offset[:-1], offset[1:]):  # the outer ring, then any holes
                    ring = self.to_scene(outline[start:stop])
                    band.start_new_path(ring[0])
                    band.add_points_as_corners(ring[1:])
            bands.add(band)
        return bands

    def boundary(self, a: np.ndarray) -> VGroup:
        """The curve(s) where the network's output crosses 0.5."""
        return VGroup(*(VMobject(stroke_color=FOREGROUND, stroke_width=4).set_points_as_corners(self.to_scene(line))
                        for line in self.contours(a).lines(0.5) if len(line) > 2))

    @staticmethod
    @lru_cache(maxsize=None)
    def status_text(epoch: int, loss: str) -> VGroup:
        return VGroup(label(f"epoch {epoch}", 30), label(f"loss {loss}", 30)).arrange(DOWN, aligned_edge=LEFT)

    def status(self, d: BoundaryData, t: float) -> VGroup:
        """Epoch and loss of the snapshot nearest to ``t`` (Text is slow to make: one per snapshot)."""
        i = round(t)
        loss = "—" if np.isnan(d.losses[i]) else fmt(d.losses[i], 3)
        return self.status_text(int(d.epochs[i]), loss).copy()
