"""``StepScene``: a Manim scene timed by its step list.

A scene computes its numbers once (``make_data``), turns them into steps (``make_steps``)
and draws each step inside ``with self.step():``. On leaving the block the scene waits out
whatever is left of the step's duration and refuses a step that ran over, so the video's
timing is exactly the step list's, and so are the captions made from it.

Every ``run_time`` must be a whole number of frames at every quality (a multiple of 1/15 s,
e.g. 0.2, 0.4, 0.6): Manim rounds a play up to whole frames, and the MP4 that joins plays of
fractional length reports a frame rate a little off 15 or 30, which the render test refuses.
"""

from contextlib import contextmanager

from manim import Scene

from . import drawing
from .steps import Step, check, start_times

TOLERANCE_S = 1e-6
FRAME_S = 1 / 15  # the longest frame of any quality (low is 15 fps)


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
        self.camera.background_color = drawing.BACKGROUND
        self.data = self.make_data()
        self.steps = self.make_steps(self.data)
        check(self.steps)
        self.starts = start_times(self.steps)
        self.steps_done = 0

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
