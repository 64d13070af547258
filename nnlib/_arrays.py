"""Turning what a user passes as data (arrays, lists, DataFrames) into NumPy numbers, or a clear error."""

import numpy as np

from . import backend


def host_array(a, what):
    """``a`` as a NumPy array of numbers, refusing what training cannot use before it starts.

    Lists and object arrays are converted to floats first, so that None (a missing value),
    strings and complex numbers are refused by name rather than slipping past the NaN check;
    NaN and infinity are refused, and so are values too large for the float dtype in use.

    >>> host_array([[1, 2]], "X").dtype.kind
    'i'
    >>> host_array([[1.0, None, 2.0]], "X")
    Traceback (most recent call last):
    ...
    ValueError: X contains 1 None value(s) (missing values); clean or impute them before training
    """
    try:
        a = backend.to_numpy(a) if hasattr(a, "shape") else np.asarray(a)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{what} must be an array of numbers; NumPy cannot read it as one ({error})") from None
    if a.dtype.kind not in "biuf":
        a = _as_floats(a, what)
    _check_finite(a, what)
    return a


def _as_floats(a, what):
    """An array of another kind (object, string, complex, dates) as float64, or a clear error."""
    if a.dtype.kind == "O":
        missing = sum(value is None for value in a.flat)
        if missing:
            raise ValueError(f"{what} contains {missing} None value(s) (missing values); "
                             f"clean or impute them before training")
        if not any(isinstance(value, (str, bytes, complex)) for value in a.flat):
            try:
                return a.astype(np.float64)
            except (TypeError, ValueError):
                pass
    example = next(iter(a.flat), None)
    raise TypeError(f"{what} must hold real numbers, got an array of dtype {a.dtype}"
                    + (f" holding {example!r}" if example is not None else ""))


def _check_finite(a, what):
    """Refuse NaN, inf, and values beyond the range of the float dtype the data will be cast to."""
    if a.dtype.kind != "f":
        return
    # A NaN or inf makes the sum NaN or inf, so a finite sum clears the data in one cheap pass;
    # only a sum that is not finite (bad values, or huge ones overflowing) needs the full check.
    with np.errstate(over="ignore", invalid="ignore"):
        sum_is_finite = np.isfinite(np.sum(a))
    if not sum_is_finite and not np.all(np.isfinite(a)):
        bad = int(np.sum(~np.isfinite(a)))
        raise ValueError(f"{what} contains {bad} NaN or infinite value(s); clean or impute them before training")
    limit = np.finfo(backend.get_dtype()).max
    if a.size and np.finfo(a.dtype).max > limit and np.max(np.abs(a)) > limit:
        raise ValueError(f"{what} holds values up to {np.max(np.abs(a)):.3g}, beyond {backend.get_dtype()}'s "
                         f"largest number {limit:.3g}; scale the data, or call nnlib.set_dtype('float64')")
