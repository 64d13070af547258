"""The step list: one text and one duration per step of a scene.

A scene plays its steps in order and each step lasts exactly its duration (see
:class:`animations.base.StepScene`), so the same list gives the captions' cue times, the
chapter buttons under the video, the transcript and the storyboard (one frame at the end of
each step) without a second source of truth.

Every step leaves time to read it: at least ``MIN_STEP_S`` seconds, and at least as long as
its caption takes at ``WORDS_PER_S`` words a second; a scene lasts ``MIN_SCENE_S`` to
``MAX_SCENE_S`` seconds. :meth:`Step.read` gives a step that time (or the time its
animations need, if longer); :func:`check` refuses a list that breaks the rules.

>>> Step.read("Two inputs enter.").duration          # 3 words: the 4-second minimum
4.0
>>> Step.read(" ".join(["word"] * 14)).duration      # 14 words at 3 a second, rounded up to 0.2 s
4.8

>>> steps = [Step("Two inputs enter.", 2.0), Step("They are weighted.", 1.5)]   # too short for a scene
>>> print(webvtt(steps))
WEBVTT
<BLANKLINE>
1
00:00:00.000 --> 00:00:02.000
Two inputs enter.
<BLANKLINE>
2
00:00:02.000 --> 00:00:03.500
They are weighted.
<BLANKLINE>
"""

import math
from dataclasses import dataclass

MIN_STEPS, MAX_STEPS = 3, 8  # the storyboard shows one frame per step
MIN_STEP_S = 4.0             # no step is over before a reader has looked at it
WORDS_PER_S = 3.0            # a comfortable reading speed for captions
MIN_SCENE_S, MAX_SCENE_S = 25.0, 90.0
GRID_S = 0.2                 # durations are whole frames at 15 and 30 fps


def words(text: str) -> int:
    return len(text.split())


def reading_time(text: str) -> float:
    """Seconds a reader needs for a caption: ``MIN_STEP_S`` or ``words / WORDS_PER_S``, on a 0.2 s grid."""
    seconds = max(MIN_STEP_S, words(text) / WORDS_PER_S)
    return round(math.ceil(seconds / GRID_S - 1e-9) * GRID_S, 6)


@dataclass(frozen=True)
class Step:
    """What the narration says during one step, and how many seconds the step lasts."""

    text: str
    duration: float

    @classmethod
    def read(cls, text: str, animation_s: float = 0.0) -> "Step":
        """A step that lasts as long as its caption needs, or ``animation_s`` if that is longer."""
        return cls(text, max(reading_time(text), round(math.ceil(animation_s / GRID_S - 1e-9) * GRID_S, 6)))


def check(steps: list[Step]) -> None:
    """Refuse step lists that the storyboard cannot show or that a reader cannot read in time.

    >>> check([Step("Too quick to read.", 2.0)] * 8)
    Traceback (most recent call last):
    ...
    ValueError: step 1 lasts 2.0 s; its 4 words need 4.0 s (at least 4.0 s, 3.0 words/s): 'Too quick to read.'
    """
    if not MIN_STEPS <= len(steps) <= MAX_STEPS:
        raise ValueError(f"a scene needs {MIN_STEPS} to {MAX_STEPS} steps (one storyboard frame each), got {len(steps)}")
    for number, step in enumerate(steps, start=1):
        if not step.text.strip():
            raise ValueError(f"step {number} has no text: {step!r}")
        if step.duration < reading_time(step.text) - 1e-9:
            raise ValueError(f"step {number} lasts {step.duration} s; its {words(step.text)} words need "
                             f"{reading_time(step.text)} s (at least {MIN_STEP_S} s, {WORDS_PER_S} words/s): {step.text!r}")
    total = total_duration(steps)
    if not MIN_SCENE_S <= total <= MAX_SCENE_S:
        raise ValueError(f"a scene lasts {MIN_SCENE_S:.0f} to {MAX_SCENE_S:.0f} s, this one {total:.1f} s")


def start_times(steps: list[Step]) -> list[float]:
    """When each step begins, in seconds from the start of the video."""
    times, t = [], 0.0
    for step in steps:
        times.append(t)
        t += step.duration
    return times


def total_duration(steps: list[Step]) -> float:
    return sum(step.duration for step in steps)


def _timestamp(seconds: float) -> str:
    millis = round(seconds * 1000)
    return f"{millis // 3_600_000:02d}:{millis // 60_000 % 60:02d}:{millis // 1000 % 60:02d}.{millis % 1000:03d}"


def webvtt(steps: list[Step]) -> str:
    """The captions file: one cue per step, from its start to the next step's start."""
    cues = [
        f"{number}\n{_timestamp(start)} --> {_timestamp(start + step.duration)}\n{step.text}\n"
        for number, (start, step) in enumerate(zip(start_times(steps), steps), start=1)
    ]
    return "WEBVTT\n\n" + "\n".join(cues)
