"""Argument checks shared by every part of nnlib, each with an error naming what was wrong and what was expected."""

import math
import numbers


def positive_int(value, what, minimum=1):
    """``value`` as an int, refusing anything that is not a whole number >= ``minimum``.

    A float holding a whole number (``3.0``) and NumPy integers are accepted; booleans,
    None, strings, NaN and infinity are not.

    >>> positive_int(3.0, "units")
    3
    >>> positive_int(None, "units")
    Traceback (most recent call last):
    ...
    TypeError: units must be a positive integer, got None
    >>> positive_int(0, "epochs")
    Traceback (most recent call last):
    ...
    ValueError: epochs must be a positive integer, got 0
    """
    expected = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be {expected}, got {value!r}")
    if not (math.isfinite(value) and float(value).is_integer() and value >= minimum):
        raise ValueError(f"{what} must be {expected}, got {value!r}")
    return int(value)


def positive_number(value, what):
    """``value`` as a float, refusing anything but a positive finite real number (NumPy scalars included).

    >>> import numpy as np
    >>> positive_number(np.float32(0.5), "learning_rate")
    0.5
    >>> positive_number(-1, "clipnorm")
    Traceback (most recent call last):
    ...
    ValueError: clipnorm must be a positive finite number, got -1
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a positive finite number, got {value!r}")
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{what} must be a positive finite number, got {value!r}")
    return float(value)


def fraction(value, what, low_open=False, high_open=True):
    """``value`` as a float in [0, 1) (or (0, 1), [0, 1] as the flags say).

    >>> fraction(0.9, "beta_1")
    0.9
    >>> fraction(1, "beta_1")
    Traceback (most recent call last):
    ...
    ValueError: beta_1 must be a number in [0, 1), got 1
    """
    interval = ("(" if low_open else "[") + "0, 1" + (")" if high_open else "]")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{what} must be a number in {interval}, got {value!r}")
    too_low = value <= 0 if low_open else value < 0
    too_high = value >= 1 if high_open else value > 1
    if not math.isfinite(value) or too_low or too_high:
        raise ValueError(f"{what} must be a number in {interval}, got {value!r}")
    return float(value)


def size(shape):
    """How many numbers an array of ``shape`` holds: the product of its axes (1 for shape ()).

    >>> size((32, 28, 28, 1))
    25088
    """
    return math.prod(int(d) for d in shape)


def shape_tuple(value, what="input_shape"):
    """A shape without the batch axis as a tuple of positive ints; None stays None (an axis of any length).

    >>> shape_tuple([None, 3])
    (None, 3)
    >>> shape_tuple(4)
    Traceback (most recent call last):
    ...
    TypeError: input_shape must be a tuple of axis lengths such as (4,), got 4
    """
    if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
        raise TypeError(f"{what} must be a tuple of axis lengths such as (4,), got {value!r}")
    return tuple(None if d is None else positive_int(d, f"each axis of {what}") for d in value)


def shape_matches(shape, expected):
    """Whether ``shape`` fits ``expected``, where None in ``expected`` matches any length.

    >>> shape_matches((5, 2), (None, 2)), shape_matches((5, 3), (None, 2))
    (True, False)
    """
    return len(shape) == len(expected) and all(e is None or s == e for s, e in zip(shape, expected))


def describe(shape):
    """A shape with its batch axis, as the error messages print it: ``(batch, None, 2)``.

    >>> describe((None, 2))
    '(batch, None, 2)'
    """
    return "(" + ", ".join(["batch", *map(str, shape)]) + ")"
