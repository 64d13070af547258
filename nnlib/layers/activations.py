"""Activation functions as layers. Each acts elementwise on the last axis (softmax along it).

Each ``forward`` keeps its input ``x`` and output ``a``; ``backward(grad)`` multiplies
the incoming dL/da by the derivative da/dx, written right below the forward formula.

>>> import nnlib.backend as backend
>>> print(f"{float(Sigmoid().forward(backend.asarray([0.75]))[0]):.2f}")
0.68
"""

from .. import backend
from .._lookup import by_name
from .base import Layer


def sigmoid(x):
    """1 / (1 + e^(-x)), computed from e^(-|x|) so it never overflows."""
    xp = backend.xp()
    e = xp.exp(-xp.abs(x))
    return xp.where(x >= 0, 1 / (1 + e), e / (1 + e))


class Activation(Layer):
    """Shared bookkeeping: keep ``x`` and ``a`` so backward can use them."""

    trainable = False

    def forward(self, x, training=False):
        self.x = x
        self.a = self.f(x)
        return self.a

    def backward(self, grad, need_dx=True):
        self.dx = self.df(grad)
        return self.dx


class Linear(Activation):
    """a = x;  da/dx = 1."""

    def f(self, x):
        return x

    def df(self, grad):
        return grad


class Sigmoid(Activation):
    """a = 1 / (1 + e^(-x));  da/dx = a (1 - a)."""

    def f(self, x):
        return sigmoid(x)

    def df(self, grad):
        return grad * self.a * (1 - self.a)


class Tanh(Activation):
    """a = tanh(x);  da/dx = 1 - a²."""

    def f(self, x):
        return backend.xp().tanh(x)

    def df(self, grad):
        return grad * (1 - self.a * self.a)


class ReLU(Activation):
    """a = max(x, 0);  da/dx = 1 where x > 0, else 0."""

    def f(self, x):
        return backend.xp().maximum(x, 0.0)

    def df(self, grad):
        xp = backend.xp()
        # A product with the 0/1 mask rather than a where(): NumPy's where is several times slower.
        return grad * xp.astype(self.x > 0, grad.dtype)


class LeakyReLU(Activation):
    """a = x where x > 0, else alpha * x;  da/dx = 1 or alpha."""

    def __init__(self, alpha=0.01, input_shape=None, name=None):
        super().__init__(name, input_shape)
        self.alpha = alpha

    def f(self, x):
        return backend.xp().where(x > 0, x, self.alpha * x)

    def df(self, grad):
        return backend.xp().where(self.x > 0, grad, self.alpha * grad)


class Swish(Activation):
    """a = x * s with s = sigmoid(x);  da/dx = s + x s (1 - s) = s (1 + x (1 - s))."""

    def f(self, x):
        self.s = sigmoid(x)
        return x * self.s

    def df(self, grad):
        return grad * self.s * (1 + self.x * (1 - self.s))


class Softmax(Activation):
    """a_i = e^(x_i) / sum_j e^(x_j) along the last axis.

    Subtracting max(x) first leaves a unchanged and keeps e^x from overflowing.
    The Jacobian is da_i/dx_j = a_i (δ_ij - a_j), so the backward product is
    dx = a * (grad - sum(grad * a)). Followed by cross-entropy, the model skips
    this and uses the fused gradient (a - y) / N.
    """

    def f(self, x):
        xp = backend.xp()
        e = xp.exp(x - xp.max(x, axis=-1, keepdims=True))
        return e / xp.sum(e, axis=-1, keepdims=True)

    def df(self, grad):
        xp = backend.xp()
        return self.a * (grad - xp.sum(grad * self.a, axis=-1, keepdims=True))


ALL = (Linear, Sigmoid, Tanh, ReLU, LeakyReLU, Swish, Softmax)

_NAMES = {
    "linear": Linear,
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "swish": Swish,
    "softmax": Softmax,
}


def get(identifier):
    """An activation layer from its name, an activation object, or None (meaning linear)."""
    return Linear() if identifier is None else by_name("activation", identifier, _NAMES)
