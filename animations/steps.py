"""The step list: one text and one duration per step of a scene.

A scene plays its steps in order and each step lasts exactly its duration (see
:class:`animations.base.StepScene`), so the same list gives the captions' cue times, the
transcript and the storyboard (one frame at the end of each step) without a second source
of truth.

>>> steps = [Step("Two inputs enter.", 2.0), Step("They are weighted.", 1.5)]
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

from dataclasses import dataclass

MIN_STEPS, MAX_STEPS = 3, 6  # the storyboard shows one frame per step


@dataclass(frozen=True)
class Step:
    """What the narration says during one step, and how many seconds the step lasts."""

    text: str
    duration: float


def check(steps: list[Step]) -> None:
    """Refuse step lists the storyboard and captions cannot show well."""
    if not MIN_STEPS <= len(steps) <= MAX_STEPS:
        raise ValueError(f"a scene needs {MIN_STEPS} to {MAX_STEPS} steps (one storyboard frame each), got {len(steps)}")
    for step in steps:
        if step.duration <= 0 or not step.text.strip():
            raise ValueError(f"every step needs text and a positive duration, got {step!r}")


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
