"""``StepScene``: a Manim scene timed by its step list.

A scene computes its numbers once (``make_data``), turns them into steps (``make_steps``)
and draws each step inside ``with self.step():``. On leaving the block the scene waits out
whatever is left of the step's duration and refuses a step that ran over, so the video's
timing is exactly the step list's, and so are the captions made from it.

At the end of each step the scene writes down what is on screen (:attr:`StepScene.layout`:
every drawn piece's bounding box, and the text of every ``Text``), so tests can check from
the scene's own data, without looking at pixels, that nothing sits in the bottom band where
captions and the player's controls go (``SAFE_BOTTOM``) and which numbers the scene shows.
:func:`layout` plays a scene that way without rendering a frame.

Every ``run_time`` must be a whole number of frames at every quality (a multiple of 1/15 s,
e.g. 0.2, 0.4, 0.6): Manim rounds a play up to whole frames, and the MP4 that joins plays of
fractional length reports a frame rate a little off 15 or 30, which the render test refuses.
"""

import tempfile
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
from manim import Scene, Text, VMobject, tempconfig

from .palette import BACKGROUND
from .steps import Step, check, start_times

TOLERANCE_S = 1e-6
FRAME_S = 1 / 15  # the longest frame of any quality (low is 15 fps)
FRAME_HEIGHT = 8.0  # Manim's frame is 8 units high, y from −4 to 4, whatever the pixel size
SAFE_BOTTOM = -FRAME_HEIGHT / 2 + 0.2 * FRAME_HEIGHT  # y = −2.4: below it, captions and controls


@dataclass(frozen=True)
class Piece:
    """One drawn thing at the end of a step: its kind, its text (for ``Text``) and its box."""

    kind: str
    text: str
    box: tuple[float, float, float, float]  # left, bottom, right, top in scene units


def pieces(mobjects, camera=None) -> list[Piece]:
    """Every visible leaf with points (its box) and every ``Text`` (its string) among ``mobjects``.

    With a 3D ``camera`` the boxes are those of the points as the camera projects them onto
    the frame (mobjects fixed in the frame are not projected)."""
    fixed = set(getattr(camera, "fixed_in_frame_mobjects", ()))
    def project(part):
        if camera is None or not hasattr(camera, "project_points") or part in fixed:
            return part.points
        return camera.project_points(part.points)
    found = []
    for mobject in mobjects:
        for part in mobject.get_family():
            if isinstance(part, Text):
                found.append(Piece(type(part).__name__, part.original_text, box_of(part, project)))
            elif isinstance(part, VMobject) and part.has_points() and visible(part):
                found.append(Piece(type(part).__name__, "", box_of(part, project)))
    return found


def box_of(mobject, project) -> tuple[float, float, float, float]:
    points = np.concatenate([project(part) for part in mobject.get_family() if part.has_points()])
    (left, bottom), (right, top) = points[:, :2].min(axis=0), points[:, :2].max(axis=0)
    return float(left), float(bottom), float(right), float(top)


def visible(part: VMobject) -> bool:
    stroke = part.get_stroke_width() > 0 and part.get_stroke_opacity() > 0
    return stroke or part.get_fill_opacity() > 0


class StepScene(Scene):
    """Subclasses set ``title``, ``make_data`` (no arguments) and ``make_steps`` (data -> steps)."""

    title = ""

    @staticmethod
    def make_data():
        raise NotImplementedError

    @staticmethod
    def make_steps(data) -> list[Step]:
        raise NotImplementedError

    def setup(self):
        self.camera.background_color = BACKGROUND
        self.data = self.make_data()
        self.steps = self.make_steps(self.data)
        check(self.steps)
        self.starts = start_times(self.steps)
        self.steps_done = 0
        self.layout: list[list[Piece]] = []  # what is on screen at the end of each step

    @contextmanager
    def step(self):
        """Play one step: its animations run in the block, then the scene waits out the rest."""
        index = self.steps_done
        if index >= len(self.steps):
            raise RuntimeError(f"{type(self).__name__} plays more steps than its list has ({len(self.steps)})")
        step, start = self.steps[index], self.starts[index]
        yield step
        left = start + step.duration - self.time
        if left < -TOLERANCE_S:
            raise RuntimeError(f"{type(self).__name__} step {index + 1} ran {-left:.3f} s over its "
                               f"{step.duration} s: {step.text!r}")
        if left > TOLERANCE_S:
            self.wait(left)
        self.update_mobjects(0)  # redraw what updaters draw (a skipped play leaves it stale)
        self.layout.append(pieces(self.mobjects, self.camera))
        self.steps_done += 1

    def play(self, *animations, **kwargs):
        run_time = kwargs.get("run_time")
        if run_time is not None and abs(run_time / FRAME_S - round(run_time / FRAME_S)) > 1e-6:
            raise ValueError(f"{type(self).__name__}: run_time {run_time} is not a whole number of frames "
                             f"at 15 fps; use a multiple of 1/15 s (0.2, 0.4, ...)")
        super().play(*animations, **kwargs)

    def tear_down(self):
        if self.steps_done != len(self.steps):
            raise RuntimeError(f"{type(self).__name__} played {self.steps_done} of its {len(self.steps)} steps")


def layout(scene_class: type[StepScene]) -> StepScene:
    """Play ``scene_class`` without drawing a frame (each play jumps to its end); return the scene.

    Its ``data``, ``steps`` and ``layout`` are those of the rendered video: the same code runs,
    only the frames in between are skipped.
    """
    with tempfile.TemporaryDirectory(prefix="manim-layout-") as media, \
            tempconfig({"media_dir": media, "dry_run": True, "disable_caching": True, "verbosity": "WARNING",
                        "progress_bar": "none", "frame_rate": 15, "pixel_width": 854, "pixel_height": 480}):
        scene = scene_class(skip_animations=True)
        scene.render()
    return scene
