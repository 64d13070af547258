r"""Initial values for weights.

An initializer is called as ``init(shape, rng)`` with a ``numpy.random.Generator``
and returns a NumPy array: the draw happens on the host, and the layer moves it
to the active backend, so a seed gives the same weights on CPU and GPU.

For a weight matrix of shape (fan_in, fan_out):

- Glorot/Xavier keeps the variance of activations and gradients about equal
  across layers: \( \operatorname{Var}(W) = 2 / (\text{fan}_\text{in} + \text{fan}_\text{out}) \).
- He suits ReLU, which zeroes half its inputs: \( \operatorname{Var}(W) = 2 / \text{fan}_\text{in} \).
- Zeros and Constant make every unit of a layer identical (the symmetry problem).

>>> import numpy as np
>>> W = get("he_normal")((784, 256), np.random.default_rng(0))
>>> print(W.shape, f"{W.std():.3f}", f"{np.sqrt(2 / 784):.3f}")
(784, 256) 0.051 0.051
"""

import math

import numpy as np

from ._checks import size
from ._lookup import Configurable, by_name


def _fans(shape):
    """(fan_in, fan_out); a convolution kernel (kh, kw, c_in, c_out) counts its receptive field, as Keras does."""
    receptive_field = size(shape[:-2]) if len(shape) > 2 else 1
    fan_in = shape[-2] * receptive_field if len(shape) > 1 else (shape[0] if len(shape) else 1)
    fan_out = shape[-1] * receptive_field if len(shape) else 1
    return fan_in, fan_out


class Initializer(Configurable):
    """Base class: subclasses implement ``__call__(shape, rng)`` returning a NumPy array."""


class Zeros(Initializer):
    """All zeros."""

    def __call__(self, shape, rng=None):
        return np.zeros(shape)


class Constant(Initializer):
    """Every entry equal to ``value``.

    Parameters
    ----------
    value : float, default 0.0
        The constant.
    """

    def __init__(self, value=0.0):
        self.value = value

    def __call__(self, shape, rng=None):
        return np.full(shape, float(self.value))



class RandomNormal(Initializer):
    r"""Entries drawn from a normal distribution \( \mathcal{N}(\mu, \sigma^2) \).

    Parameters
    ----------
    mean : float, default 0.0
        \( \mu \).
    stddev : float, default 0.05
        \( \sigma \), the standard deviation.
    """

    def __init__(self, mean=0.0, stddev=0.05):
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, rng):
        return rng.normal(self.mean, self.stddev, size=shape)



class RandomUniform(Initializer):
    """Entries drawn uniformly from [minval, maxval).

    Parameters
    ----------
    minval : float, default -0.05
        The lower bound.
    maxval : float, default 0.05
        The upper bound (excluded).
    """

    def __init__(self, minval=-0.05, maxval=0.05):
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, rng):
        return rng.uniform(self.minval, self.maxval, size=shape)



class VarianceScaling(Initializer):
    r"""Zero-mean draws with variance ``scale / fan``, the shared core of Glorot and He.

    \[ \operatorname{Var}(W) = \frac{\text{scale}}{\text{fan}}, \qquad
       \text{limit} = \sqrt{3 \operatorname{Var}(W)} \ \text{(uniform)} \]

    Parameters
    ----------
    scale : float, default 1.0
        The variance's numerator: 1 for Glorot, 2 for He.
    mode : {"fan_in", "fan_avg"}, default "fan_in"
        fan is fan_in, or the average of fan_in and fan_out.
    distribution : {"normal", "uniform"}, default "normal"
        A normal draw (not truncated), or uniform on [-limit, limit].
    """

    def __init__(self, scale=1.0, mode="fan_in", distribution="normal"):
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape, rng):
        fan_in, fan_out = _fans(shape)
        fan = fan_in if self.mode == "fan_in" else (fan_in + fan_out) / 2
        variance = self.scale / fan
        if self.distribution == "uniform":
            limit = math.sqrt(3 * variance)
            return rng.uniform(-limit, limit, size=shape)
        return rng.normal(0.0, math.sqrt(variance), size=shape)



class _Preset(VarianceScaling):
    """A VarianceScaling whose (scale, mode, distribution) are fixed by the class: no arguments."""

    preset = None

    def __init__(self):
        super().__init__(*self.preset)


class GlorotUniform(_Preset):
    r"""Glorot (Xavier) uniform: \( U[-\text{limit}, \text{limit}] \), \( \text{limit} = \sqrt{6 / (\text{fan}_\text{in} + \text{fan}_\text{out})} \). No parameters."""

    preset = (1.0, "fan_avg", "uniform")


class GlorotNormal(_Preset):
    r"""Glorot (Xavier) normal: stddev \( \sqrt{2 / (\text{fan}_\text{in} + \text{fan}_\text{out})} \). No parameters."""

    preset = (1.0, "fan_avg", "normal")


class HeNormal(_Preset):
    r"""He normal, for ReLU layers: stddev \( \sqrt{2 / \text{fan}_\text{in}} \). No parameters."""

    preset = (2.0, "fan_in", "normal")


class HeUniform(_Preset):
    r"""He uniform, for ReLU layers: \( U[-\text{limit}, \text{limit}] \), \( \text{limit} = \sqrt{6 / \text{fan}_\text{in}} \). No parameters."""

    preset = (2.0, "fan_in", "uniform")


class Orthogonal(Initializer):
    """A random orthogonal matrix (times ``gain``): the QR decomposition of a Gaussian draw.

    Keras's default for recurrent kernels: multiplying the hidden state by an
    orthogonal matrix keeps its length, so it neither explodes nor vanishes at first.

    Parameters
    ----------
    gain : float, default 1.0
        Multiplies the matrix.
    """

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, rng):
        rows, cols = shape[0], size(shape[1:])
        a = rng.normal(size=(max(rows, cols), min(rows, cols)))
        q, r = np.linalg.qr(a)
        q *= np.sign(np.diag(r))  # make the draw uniform over orthogonal matrices
        q = q if rows >= cols else q.T
        return self.gain * q.reshape(shape)



ALL = (Zeros, Constant, RandomNormal, RandomUniform, VarianceScaling, GlorotUniform, GlorotNormal, HeNormal, HeUniform,
       Orthogonal)

_NAMES = {
    "zeros": Zeros,
    "constant": Constant,
    "random_normal": RandomNormal,
    "random_uniform": RandomUniform,
    "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal,
    "xavier_uniform": GlorotUniform,
    "xavier_normal": GlorotNormal,
    "he_normal": HeNormal,
    "he_uniform": HeUniform,
    "orthogonal": Orthogonal,
}


def get(identifier):
    """An initializer from its name (e.g. "he_normal") or the object itself.

    Parameters
    ----------
    identifier : str or Initializer
        "zeros", "constant", "random_normal", "random_uniform", "glorot_uniform",
        "glorot_normal" (or "xavier_..."), "he_normal", "he_uniform", "orthogonal", or an
        initializer object.

    Returns
    -------
    Initializer
        Called as ``init(shape, rng)``, it returns a NumPy array of that shape.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the valid ones.
    """
    return by_name("initializer", identifier, _NAMES)
