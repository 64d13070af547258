"""The one place where nnlib chooses its array library.

Layers, losses and optimizers never import NumPy for their arithmetic: they ask
this module for the array namespace with :func:`xp` and create arrays with
:func:`asarray` or :func:`zeros`, which put them on the active device in the
active float dtype. Only host-side work (random draws, data files, ``.npz``
files, plotting) uses NumPy directly.

Three backends:

- ``"numpy"``: the default, on the CPU.
- ``"cupy"``: the same code on an NVIDIA GPU (``pip install 'nn-visually[gpu]'``).
- ``"array_api_strict"``: for tests, a strict implementation of the Python array API
  standard whose second device refuses, as CuPy does, every implicit trip to NumPy and
  every mix of devices, so code that would break on a GPU breaks on a CPU.

Choose with ``NNLIB_BACKEND=cupy`` in the environment or ``set_backend("cupy")``.
The float dtype is float32 unless you ask for float64 (gradient checks do).

Randomness stays on the host: initializers and dropout draw from a
``numpy.random.Generator`` and move the result with :func:`asarray`, so a seed
gives the same network on every backend.

>>> import nnlib.backend as backend
>>> with backend.using("numpy", dtype="float64"):
...     a = backend.asarray([1, 2, 3])
...     print(backend.get_backend(), a.dtype, backend.to_numpy(a * 2))
numpy float64 [2. 4. 6.]
"""

import contextlib
import os

import numpy as np

BACKENDS = ("numpy", "cupy", "array_api_strict")
DTYPES = ("float32", "float64")

_active = {"name": None, "xp": None, "device": None, "array_type": None, "dtype": "float32"}


def _load(name):
    """Return (namespace, device) for a backend name, or raise saying what is missing."""
    if name == "numpy":
        return np, None
    if name == "cupy":
        try:
            import cupy
        except ImportError:
            raise ImportError("CuPy is not installed: pip install 'nn-visually[gpu]'") from None
        if not cupy.is_available():
            raise RuntimeError("CuPy is installed but no CUDA GPU was found; use set_backend('numpy')")
        return cupy, None
    if name == "array_api_strict":
        import array_api_strict

        # The second device is the point: it refuses what a GPU would refuse.
        return array_api_strict, array_api_strict.Device("device1")
    raise ValueError(f"unknown backend {name!r}; valid names: {', '.join(BACKENDS)}")


def set_backend(name):
    """Make ``name`` the array library for new arrays.

    Parameters
    ----------
    name : {"numpy", "cupy", "array_api_strict"}
        The backend.

    Raises
    ------
    ValueError
        If the name is unknown.
    ImportError
        If CuPy is asked for but not installed.
    RuntimeError
        If CuPy is installed but finds no CUDA GPU.
    """
    namespace, device = _load(name)
    _active.update(name=name, xp=namespace, device=device, array_type=type(namespace.asarray(0)))


def get_backend():
    """Name of the active backend."""
    return _active["name"]


def xp():
    """The active array namespace (``numpy``, ``cupy`` or ``array_api_strict``)."""
    return _active["xp"]


def is_active_array(a):
    """Whether ``a`` is an array of the active backend (a model's weights must be).

    Parameters
    ----------
    a : object
        Anything.

    Returns
    -------
    bool
        True for an array of the active backend's array type.

    Examples
    --------
    >>> import numpy as np
    >>> is_active_array(asarray([1.0])), is_active_array([1.0])
    (True, False)
    """
    return isinstance(a, _active["array_type"])


def set_dtype(name):
    """Make ``name`` the float dtype of new arrays.

    Parameters
    ----------
    name : {"float32", "float64"}
        The dtype's name.

    Raises
    ------
    ValueError
        If the name is neither.
    """
    if name not in DTYPES:
        raise ValueError(f"unknown dtype {name!r}; valid names: {', '.join(DTYPES)}")
    _active["dtype"] = name


def get_dtype():
    """Name of the float dtype of new arrays: "float32" (default) or "float64"."""
    return _active["dtype"]


def _device_keyword():
    # CuPy's creation functions take no device argument; the others accept one.
    return {} if _active["device"] is None else {"device": _active["device"]}


def _resolve(dtype):
    return getattr(xp(), dtype or get_dtype())


def asarray(x, dtype=None):
    """``x`` as an array on the active device; dtype defaults to the float dtype.

    ``dtype`` is a name such as "int64" or "bool". Arrays from another backend
    (say NumPy data on the CuPy backend) are copied to the device.

    Parameters
    ----------
    x : array_like
        Numbers, nested lists, or an array of any backend.
    dtype : str, optional
        A dtype name such as "int64" or "bool"; None means the float dtype.

    Returns
    -------
    array
        An array of the active backend.
    """
    if hasattr(x, "shape") and not isinstance(x, _active["array_type"]):
        x = to_numpy(x)
    return xp().asarray(x, dtype=_resolve(dtype), **_device_keyword())


def zeros(shape, dtype=None):
    """An array of zeros on the active device.

    Parameters
    ----------
    shape : int or tuple of int
        The array's shape.
    dtype : str, optional
        A dtype name; None means the float dtype.

    Returns
    -------
    array
        The zeros.
    """
    return xp().zeros(shape, dtype=_resolve(dtype), **_device_keyword())


def arange(n, dtype="int64"):
    """0, 1, ..., n-1 on the active device.

    Parameters
    ----------
    n : int
        How many numbers.
    dtype : str, default "int64"
        Their dtype's name.

    Returns
    -------
    array
        Shape (n,).
    """
    return xp().arange(n, dtype=_resolve(dtype), **_device_keyword())


def to_numpy(a):
    """A NumPy copy (or view) of an array from any backend, for plotting and saving.

    Parameters
    ----------
    a : array_like
        A NumPy, CuPy or array-API-strict array, or anything ``numpy.asarray`` takes.

    Returns
    -------
    numpy.ndarray
        ``a`` itself when it already is one.
    """
    if isinstance(a, np.ndarray):
        return a
    if hasattr(a, "get") and type(a).__module__.startswith("cupy"):
        return a.get()
    if type(a).__module__.startswith("array_api_strict"):
        import array_api_strict

        return np.asarray(a.to_device(array_api_strict.Device("CPU_DEVICE")))
    return np.asarray(a)


@contextlib.contextmanager
def using(backend=None, dtype=None):
    """Temporarily switch backend and/or dtype; restores both on exit.

    Parameters
    ----------
    backend : str, optional
        A backend name for the ``with`` block; None keeps the active one.
    dtype : str, optional
        "float32" or "float64" for the block; None keeps the active one.
    """
    saved = dict(_active)
    try:
        if backend is not None:
            set_backend(backend)
        if dtype is not None:
            set_dtype(dtype)
        yield
    finally:
        _active.update(saved)


set_backend(os.environ.get("NNLIB_BACKEND", "numpy"))
