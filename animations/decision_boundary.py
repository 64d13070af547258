"""DecisionBoundary: lesson 11's recording, the boundary of a 2-8-1 network moving while it trains.

The data, network, training and recording are lesson 11's (``11-decision-boundaries.md``, "The
boundary during training"): 210 training points of the moons (300 points, noise 0.25, random
seed 0, 70 % for training), ``Dense(8, tanh)`` then ``Dense(1, sigmoid)``, Adam with learning
rate 0.01, batches of 16, 100 epochs, and a ``Recorder`` taking the network's output on a grid
and on the training points every 10 optimizer steps. The scene blends one snapshot into the
next and draws the boundary (where a = 0.5) beside the recorded loss curve, both from the same
recording; the training accuracies it names are the three the lesson prints.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import lru_cache

import contourpy
import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, FadeIn, Mobject, VGroup, VMobject, ValueTracker, always_redraw, linear
from manim.utils.color import ManimColor

from nnlib import Adam, Dense, Recorder, Sequential, data

from .base import StepScene
from .drawing import label, tick_labels
from .palette import BACKGROUND, MUTED, NEGATIVE, POSITIVE, RESULT, TEXT
from .steps import Step

SEED = 0
EPOCHS = 100
BATCH_SIZE = 16
GRID = (-1.6, 2.6, -1.3, 1.8, 120)  # xmin, xmax, ymin, ymax, points per side: the lesson's
DRAWN = 3                            # draw every third grid point: the same picture, drawn 9 times faster
ARCHITECTURE = "2-8-1"
LAYERS = "Dense(8, tanh), Dense(1, sigmoid)"
MID_EPOCH = 5


@dataclass(frozen=True)
class BoundaryData:
    X: np.ndarray           # (210, 2) training points
    y: np.ndarray           # (210,) their classes, 0 and 1
    grid_x: np.ndarray      # (n,) grid coordinates
    grid_y: np.ndarray
    outputs: np.ndarray     # (S, n, n): the network's a at (grid_x[j], grid_y[i]) in [s, i, j]
    steps: np.ndarray       # (S,) optimizer steps done at each snapshot
    losses: np.ndarray      # (S,) the training loss recorded with each snapshot
    accuracy: np.ndarray    # (S,) training accuracy at each snapshot
    stages: tuple[int, int, int]  # snapshots: initialization, end of epoch 5, the end


def boundary_data() -> BoundaryData:
    """Lesson 11's training with its Recorder; keep what the scene draws."""
    X, y = data.make_moons(300, noise=0.25, rng=SEED)
    X_train, _, y_train, _ = data.train_test_split(X, y, test=0.3, rng=SEED, stratify=True)
    model = Sequential([Dense(8, activation="tanh", input_shape=(2,)), Dense(1, activation="sigmoid")], seed=SEED)
    model.compile(optimizer=Adam(learning_rate=0.01), loss="binary_crossentropy", metrics=["accuracy"])
    recorder = Recorder(every=10, grid=GRID, inputs=X_train)
    model.fit(X_train, y_train, epochs=EPOCHS, batch_size=BATCH_SIZE, verbose=0, callbacks=[recorder])
    rec = recorder.recording
    accuracy = ((rec["dense_1/a"][..., 0] > 0.5) == y_train).mean(axis=1)
    stages = (0, int(np.flatnonzero(rec.epoch == MID_EPOCH - 1)[-1]), len(rec) - 1)
    return BoundaryData(X=np.asarray(X_train), y=np.asarray(y_train), grid_x=rec["grid/x"][::DRAWN],
                        grid_y=rec["grid/y"][::DRAWN], outputs=rec["grid/output"][:, ::DRAWN, ::DRAWN, 0],
                        steps=np.asarray(rec.step), losses=np.asarray(rec.loss, float), accuracy=accuracy,
                        stages=stages)


def boundary_steps(d: BoundaryData) -> list[Step]:
    start, middle, end = (f"{d.accuracy[s]:.0%}" for s in d.stages)
    return [
        Step.read(f"Lesson 11's moons: {len(d.X)} training points of two classes, and a small {ARCHITECTURE} "
                  f"network, {LAYERS}, trained with Adam."),
        Step.read(f"At initialization the boundary, where the output a = 0.5, is an arbitrary curve: "
                  f"{start} of the training points are on the right side."),
        Step.read(f"Training moves the boundary into the gap between the moons while the loss falls: "
                  f"{middle} right at the end of epoch {MID_EPOCH}.", animation_s=6.0),
        Step.read(f"The rest of training bends it around the tips. After {EPOCHS} epochs, "
                  f"{int(d.steps[-1]):,} steps, {end} of the training points are right.", animation_s=10.0),
    ]


@lru_cache(maxsize=None)
def accuracy_label(accuracy: str) -> VMobject:
    """The status's second line; one of four texts, so each is made once (a copy is placed)."""
    return label(f"training accuracy {accuracy}", 24, RESULT)


def shown_losses(t: float) -> int:
    """How many recorded losses the curve shows at snapshot position ``t`` (at least two: a line)."""
    return max(int(t) + 1, 2)


def blend(d: BoundaryData, t: float) -> np.ndarray:
    """The grid output at snapshot position ``t``, linear between neighbouring snapshots."""
    i = min(int(t), len(d.outputs) - 2)
    return d.outputs[i] + (t - i) * (d.outputs[i + 1] - d.outputs[i])


def redraw_on_change(key: Callable[[], Hashable], make: Callable[[Hashable], Mobject]) -> Mobject:
    """Manim's ``always_redraw`` for a drawing that depends on ``key()`` alone: it is made again
    only in the frames where the key changes. The status label and the loss curve change with
    the snapshot, a few times a second; remaking them in every frame was a third of the scene's
    render time."""
    shown = key()
    mobject = make(shown)

    def update(holder):
        nonlocal shown
        now = key()
        if now != shown:
            shown = now
            holder.become(make(shown))

    mobject.add_updater(update)
    return mobject


BANDS = (0.0, 0.1, 0.25, 0.4, 0.5, 0.6, 0.75, 0.9, 1.0)  # output levels between which the shading is flat


def band_color(lower: float, upper: float) -> ManimColor:
    """Orange where the network says class 0, blue for class 1, fading to the background at a = 0.5."""
    middle = (lower + upper) / 2
    side = POSITIVE if middle >= 0.5 else NEGATIVE
    return ManimColor(BACKGROUND).interpolate(ManimColor(side), 0.5 * abs(2 * middle - 1))


class DecisionBoundary(StepScene):
    """Lesson 11's network: its decision boundary and its loss curve while it trains."""

    title = "A decision boundary taking shape during training (lesson 11's network)"
    make_data = staticmethod(boundary_data)
    make_steps = staticmethod(boundary_steps)

    def construct(self):
        d = self.data
        xmin, xmax, ymin, ymax, _ = GRID
        scale = 1.45
        axes = Axes(x_range=[xmin, xmax, 1], y_range=[ymin, ymax, 1], x_length=scale * (xmax - xmin),
                    y_length=scale * (ymax - ymin), axis_config={"color": MUTED, "include_tip": False},
                    x_axis_config={"numbers_to_include": []}, y_axis_config={"numbers_to_include": []})
        axes.move_to([-3.6, 0.95, 0])
        frame = VGroup(axes, tick_labels(axes, xs=(-1, 0, 1, 2), ys=(-1, 0, 1), size=16),
                       label("x₁", 20, MUTED).next_to(axes.x_axis, RIGHT, 0.1).shift(DOWN * 0.25),
                       label("x₂", 20, MUTED).next_to(axes, UP, 0.1).align_to(axes, LEFT))
        points = VGroup(*(Dot(axes.c2p(*p), radius=0.045, color=(POSITIVE if c else NEGATIVE),
                              stroke_color=TEXT, stroke_width=0.6) for p, c in zip(d.X, d.y)))
        network = VGroup(label(f"network {ARCHITECTURE}", 22), label(LAYERS, 20, MUTED)).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        network.move_to([1.6, 3.7, 0], aligned_edge=UP + LEFT)
        key = VGroup(label("class 0", 20, NEGATIVE), label("class 1", 20, POSITIVE),
                     label("boundary: a = 0.5", 20, TEXT)).arrange(RIGHT, buff=0.35)
        key.next_to(network, DOWN, 0.25, aligned_edge=LEFT)
        with self.step():
            self.play(FadeIn(frame), FadeIn(points, lag_ratio=0.01), run_time=1.4)
            self.play(FadeIn(network, key), run_time=0.8)

        losses = np.nan_to_num(d.losses, nan=float(np.nanmax(d.losses)))
        top = float(np.ceil(losses.max() * 5) / 5)
        loss_axes = Axes(x_range=[0, float(d.steps[-1]), 500], y_range=[0, top, 0.2], x_length=4.4, y_length=2.0,
                         axis_config={"color": MUTED, "include_tip": False}).move_to([4.2, 0.55, 0])
        loss_frame = VGroup(loss_axes, tick_labels(loss_axes, xs=(0, 500, 1000), size=16),
                            tick_labels(loss_axes, ys=np.arange(0.2, top + 0.01, 0.2), digits=1, size=16),
                            label("training loss", 20, MUTED).next_to(loss_axes, UP, 0.15).align_to(loss_axes, LEFT),
                            label("step", 18, MUTED).next_to(loss_axes.x_axis, RIGHT, 0.1))
        t = ValueTracker(0.0)
        origin, ux, uy = (axes.c2p(*p) for p in ((0, 0), (1, 0), (0, 1)))
        self.to_scene = lambda xy: origin + xy[:, :1] * (ux - origin) + xy[:, 1:] * (uy - origin)
        shading = always_redraw(lambda: self.shading(blend(d, t.get_value())))
        boundary = always_redraw(lambda: self.boundary(blend(d, t.get_value())))
        curve = redraw_on_change(lambda: shown_losses(t.get_value()),
                                 lambda shown: self.loss_curve(loss_axes, d.steps[:shown], losses[:shown]))
        status = redraw_on_change(lambda: self.status_key(d, t.get_value()),
                                  lambda key: self.status_text(*key).next_to(loss_axes, DOWN, 0.5)
                                  .align_to(loss_axes, LEFT))
        with self.step():
            self.add(shading, boundary, points)  # points stay on top of the shading
            self.play(FadeIn(shading), FadeIn(boundary), FadeIn(loss_frame, curve, status), run_time=1.0)

        for stage in d.stages[1:]:
            with self.step() as step:
                self.play(t.animate.set_value(stage), run_time=step.duration - 1.0, rate_func=linear)

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
        return VGroup(*(VMobject(stroke_color=TEXT, stroke_width=4).set_points_as_corners(self.to_scene(line))
                        for line in self.contours(a).lines(0.5) if len(line) > 2))

    @staticmethod
    def loss_curve(axes: Axes, steps: np.ndarray, losses: np.ndarray) -> VMobject:
        """The recorded loss at these steps, as a line."""
        return VMobject(stroke_color=RESULT, stroke_width=3).set_points_as_corners(
            [axes.c2p(s, v) for s, v in zip(steps, losses)])

    @staticmethod
    def status_text(step: int, accuracy: str) -> VGroup:
        return VGroup(label(f"step {step}", 24), accuracy_label(accuracy).copy()
                      ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)

    @staticmethod
    def status_key(d: BoundaryData, t: float) -> tuple[int, str]:
        """The optimizer step of the snapshot nearest to ``t``; the accuracy at the lesson's three stages only."""
        stage = min(d.stages, key=lambda s: abs(s - t))
        accuracy = f"{d.accuracy[stage]:.0%}" if abs(stage - t) < 0.5 else "…"
        return int(d.steps[round(t)]), accuracy
