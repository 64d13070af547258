"""Activation functions as layers. Each acts elementwise on the last axis (softmax along it).

Each ``forward`` keeps its input ``x`` and output ``a``; ``backward(grad)`` multiplies
the incoming dL/da by the derivative da/dx, written right below the forward formula.

>>> import nnlib.backend as backend
>>> print(f"{float(Sigmoid().forward(backend.asarray([0.75]))[0]):.2f}")
0.68
"""

import math

import numpy as np

from .. import backend
from .._lookup import by_name
from .base import Layer


def sigmoid(x):
    r"""The logistic sigmoid, computed from \( e^{-|x|} \) so it never overflows.

    \[ \sigma(x) = \frac{1}{1 + e^{-x}} \]

    >>> print([round(float(v), 3) for v in sigmoid(backend.asarray([-1000.0, 0.0, 2.0]))])
    [0.0, 0.5, 0.881]

    Parameters
    ----------
    x : array
        Any shape; acts elementwise.

    Returns
    -------
    array
        \( \sigma(x) \), same shape, in [0, 1].
    """
    xp = backend.xp()
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


def softmax(x):
    r"""Softmax along the last axis; subtracting max(x) first leaves the result unchanged and
    keeps \( e^x \) from overflowing (a row of -inf but one gives 0s and a 1).

    \[ \operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}} \]

    >>> print([round(float(v), 3) for v in softmax(backend.asarray([1000.0, 1000.0, float("-inf")]))])
    [0.5, 0.5, 0.0]

    Parameters
    ----------
    x : array
        Scores (logits), shape (..., k).

    Returns
    -------
    array
        Probabilities of the same shape; each row along the last axis sums to 1.
    """
    xp = backend.xp()
    e = xp.exp(x - xp.max(x, axis=-1, keepdims=True))
    return e / xp.sum(e, axis=-1, keepdims=True)


class Activation(Layer):
    """Shared bookkeeping: keep ``x`` and ``a`` so backward can use them."""

    trainable = False

    def forward(self, x, training=False):
        self.x = x
        self.a = self.f(x)
        return self.a

    def backward(self, grad, need_dx=True):
        """dx = dL/da times da/dx (each subclass's ``df``); with ``loss_gives_dz`` (a softmax or sigmoid
        output with cross-entropy, lesson 6) grad is already dL/dx = (a - y) / N and passes on.

        >>> sigmoid_layer = Sigmoid()
        >>> a = sigmoid_layer.forward(backend.asarray([0.0]))
        >>> print(float(sigmoid_layer.backward(backend.asarray([1.0]))[0]))  # a (1 - a) = 0.25
        0.25

        Parameters
        ----------
        grad : array
            dL/da, shaped like the output ``a`` (dL/dx itself when the model marked the layer
            ``loss_gives_dz``).
        need_dx : bool, default True
            Accepted for the common signature; an activation's only gradient is dL/dx.

        Returns
        -------
        array
            dL/dx, shaped like the input.
        """
        self.dx = grad if self.loss_gives_dz else self.df(grad)
        return self.dx


class Linear(Activation):
    r"""The identity, for a linear output.

    \[ a = x, \qquad \frac{da}{dx} = 1 \]
    """

    def f(self, x):
        return x

    def df(self, grad):
        return grad


class Sigmoid(Activation):
    r"""The sigmoid as a layer.

    \[ a = \frac{1}{1 + e^{-x}}, \qquad \frac{da}{dx} = a (1 - a) \]
    """

    def f(self, x):
        return sigmoid(x)

    def df(self, grad):
        return grad * self.a * (1 - self.a)


class Tanh(Activation):
    r"""The hyperbolic tangent as a layer.

    \[ a = \tanh(x), \qquad \frac{da}{dx} = 1 - a^2 \]
    """

    def f(self, x):
        return backend.xp().tanh(x)

    def df(self, grad):
        return grad * (1 - self.a * self.a)


class ReLU(Activation):
    r"""The rectified linear unit.

    \[ a = \max(x, 0), \qquad \frac{da}{dx} = \begin{cases} 1 & x > 0 \\ 0 & \text{otherwise} \end{cases} \]
    """

    def f(self, x):
        return backend.xp().maximum(x, 0.0)

    def df(self, grad):
        xp = backend.xp()
        # A product with the 0/1 mask rather than a where(): NumPy's where is several times slower.
        return grad * xp.astype(self.x > 0, grad.dtype)


class LeakyReLU(Activation):
    r"""ReLU with a small slope \( \alpha \) for negative inputs, so no unit stops learning.

    \[ a = \begin{cases} x & x > 0 \\ \alpha x & \text{otherwise} \end{cases}, \qquad
       \frac{da}{dx} = \begin{cases} 1 & x > 0 \\ \alpha & \text{otherwise} \end{cases} \]

    Parameters
    ----------
    alpha : float, default 0.01
        \( \alpha \), the slope for x <= 0.
    input_shape : tuple of int, optional
        One input's shape without the batch axis, for a model's first layer.
    name : str, optional
        The layer's name; None names it "leaky_relu".
    """

    def __init__(self, alpha=0.01, input_shape=None, name=None):
        super().__init__(name, input_shape)
        self.alpha = alpha

    def f(self, x):
        return backend.xp().where(x > 0, x, self.alpha * x)

    def df(self, grad):
        return backend.xp().where(self.x > 0, grad, self.alpha * grad)


class Swish(Activation):
    r"""Swish (SiLU): the input weighted by its own sigmoid.

    \[ a = x\, s, \quad s = \sigma(x), \qquad \frac{da}{dx} = s + x s (1 - s) = s \big(1 + x (1 - s)\big) \]
    """

    def f(self, x):
        self.s = sigmoid(x)
        return x * self.s

    def df(self, grad):
        return grad * self.s * (1 + self.x * (1 - self.s))


class ELU(Activation):
    r"""The exponential linear unit.

    \[ a = \begin{cases} x & x > 0 \\ \alpha (e^x - 1) & \text{otherwise} \end{cases}, \qquad
       \frac{da}{dx} = \begin{cases} 1 & x > 0 \\ a + \alpha & \text{otherwise} \end{cases} \]

    Like Leaky ReLU it keeps a slope for negative inputs, but it bends smoothly to -alpha, so a
    unit's mean output can sit near zero (Clevert et al., 2016).

    >>> import numpy as np
    >>> elu = ELU()
    >>> print(np.round(backend.to_numpy(elu.forward(backend.asarray([-2.0, 0.5]))), 4))
    [-0.8647  0.5   ]
    >>> print(np.round(backend.to_numpy(elu.backward(backend.asarray([1.0, 1.0]))), 4))
    [0.1353 1.    ]

    Parameters
    ----------
    alpha : float, default 1.0
        \( \alpha \) > 0, the value the output approaches for very negative inputs is -alpha.
    name : str, optional
        The layer's name; None names it "elu".

    Raises
    ------
    ValueError
        If ``alpha`` is not a positive number.
    """

    def __init__(self, alpha=1.0, name=None):
        super().__init__(name)
        if not (isinstance(alpha, (int, float)) and alpha > 0):
            raise ValueError(f"ELU alpha must be a positive number, got {alpha!r}")
        self.alpha = alpha

    def f(self, x):
        xp = backend.xp()
        # expm1 of min(x, 0): the branch not taken never overflows.
        return xp.where(x > 0, x, self.alpha * xp.expm1(xp.minimum(x, 0.0)))

    def df(self, grad):
        return backend.xp().where(self.x > 0, grad, grad * (self.a + self.alpha))

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


class GELU(Activation):
    r"""\( a = x\,\Phi(x) \), in the tanh form of Hendrycks and Gimpel (2016) that BERT and GPT-2 use:

    \[ a = \tfrac{1}{2} x (1 + t), \quad t = \tanh(u), \quad u = c\,(x + 0.044715\, x^3), \quad c = \sqrt{2/\pi}, \]

    \[ \frac{da}{dx} = \tfrac{1}{2}(1 + t) + \tfrac{1}{2} x (1 - t^2)\, c\, (1 + 3 \cdot 0.044715\, x^2). \]

    Φ is the standard normal's distribution function: the input is weighted by how likely a
    normal variable is to be below it. The tanh form is within 5e-4 of x Φ(x) everywhere.

    >>> import numpy as np
    >>> gelu = GELU()
    >>> print(np.round(backend.to_numpy(gelu.forward(backend.asarray([-1.0, 0.0, 1.0]))), 4))
    [-0.1588  0.      0.8412]
    >>> print(np.round(backend.to_numpy(gelu.backward(backend.asarray([1.0, 1.0, 1.0]))), 4))
    [-0.083  0.5    1.083]
    """

    C = math.sqrt(2 / math.pi)
    K = 0.044715

    def f(self, x):
        self.t = backend.xp().tanh(self.C * (x + self.K * x * x * x))
        return 0.5 * x * (1 + self.t)

    def df(self, grad):
        x, t = self.x, self.t
        return grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * self.C * (1 + 3 * self.K * x * x))


class Softmax(Activation):
    r"""Softmax along the last axis, as a layer.

    \[ a_i = \frac{e^{x_i}}{\sum_j e^{x_j}}, \qquad \frac{\partial a_i}{\partial x_j} = a_i (\delta_{ij} - a_j) \]

    Subtracting max(x) first leaves a unchanged and keeps \( e^x \) from overflowing. The
    backward product is \( dx = a \odot (\text{grad} - \sum_j \text{grad}_j\, a_j) \). Followed by
    cross-entropy, the model skips this and uses the fused gradient \( (a - y) / N \).
    """

    def f(self, x):
        return softmax(x)

    def df(self, grad):
        xp = backend.xp()
        return self.a * (grad - xp.sum(grad * self.a, axis=-1, keepdims=True))


class Function(Activation):
    r"""An activation given as a Python function f, applied elementwise, as Keras accepts one.

    \[ a = f(x), \qquad \frac{da}{dx} \approx \frac{f(x + h) - f(x - h)}{2h} \]

    by central differences, since a Python function does not give its derivative (two more
    calls of f per backward).
    Such a layer cannot be saved; name an activation to save the model.

    >>> import numpy as np
    >>> from nnlib import backend
    >>> cube = Function(lambda x: x ** 3)
    >>> a = cube.forward(backend.asarray([2.0]))
    >>> print(float(a[0]), round(float(cube.backward(backend.asarray([1.0]))[0]), 2))
    8.0 12.0

    Parameters
    ----------
    function : callable
        f, taking and returning an array of the active backend, elementwise.
    input_shape : tuple of int, optional
        One input's shape without the batch axis, for a model's first layer.
    name : str, optional
        The layer's name; None names it "function".
    """

    def __init__(self, function, input_shape=None, name=None):
        super().__init__(name, input_shape)
        self.function = function

    def f(self, x):
        return self.function(x)

    def df(self, grad):
        h = float(np.finfo(backend.get_dtype()).eps) ** (1 / 3)
        return grad * (self.function(self.x + h) - self.function(self.x - h)) / (2 * h)

    def get_config(self):
        raise ValueError("a layer whose activation is a Python function cannot be saved; "
                         "use a named activation such as 'relu' to save the model")


ALL = (Linear, Sigmoid, Tanh, ReLU, LeakyReLU, Swish, ELU, GELU, Softmax)

_NAMES = {
    "linear": Linear,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "swish": Swish,
    "elu": ELU,
    "gelu": GELU,
    "softmax": Softmax,
}


def get(identifier):
    """An activation layer from its name, an activation class or object, None (meaning
    linear), or an elementwise Python function (see :class:`Function`).

    Parameters
    ----------
    identifier : str, Activation, type, callable or None
        A name ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "swish", "elu", "gelu",
        "softmax"), an activation layer or class, a function, or None.

    Returns
    -------
    Activation
        A layer; a new one for a name, None or a function.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the valid ones.
    """
    if identifier is None:
        return Linear()
    if callable(identifier) and not isinstance(identifier, (Activation, type)):
        return Function(identifier)
    return by_name("activation", identifier, _NAMES, Activation)
