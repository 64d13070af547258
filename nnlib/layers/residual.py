"""A residual block: y = x + F(x), with F a list of layers, as one layer of a ``Sequential``."""

from .._lookup import from_config
from .base import Layer, give_name


class Residual(Layer):
    r"""A residual block: the wrapped layers F, in order, plus the identity; F(x) must have x's shape.

    \[ y = x + F(x), \qquad \frac{\partial L}{\partial x} = \frac{\partial L}{\partial y}
       + \left(\frac{\partial F}{\partial x}\right)^{\!\top} \frac{\partial L}{\partial y} \]

    The first term is the identity path, untouched.
    The identity path is why deep residual networks train: the gradient reaches
    early layers even when F's gradient is small. The wrapped layers' parameters
    are named through the block, e.g. "residual/dense/W".

    >>> import numpy as np
    >>> from nnlib import backend
    >>> from nnlib.layers import Dense
    >>> block = Residual([Dense(2, kernel_initializer="zeros")])
    >>> block.build((2,), np.random.default_rng(0))
    >>> print(backend.to_numpy(block.forward(backend.asarray([[1.0, 2.0]]))).tolist())
    [[1.0, 2.0]]

    Parameters
    ----------
    layers : list of Layer
        F's layers, at least one; named inside the block as a model names its layers.
    input_shape : tuple of int, optional
        For a model's first layer.
    name : str, optional
        The block's name; None names it "residual".

    Raises
    ------
    ValueError
        If ``layers`` is empty, or F changes the shape.
    TypeError
        If an item of ``layers`` is not an nnlib layer.
    """

    def __init__(self, layers, input_shape=None, name=None):
        super().__init__(name, input_shape)
        self.layers = list(layers)
        if not self.layers:
            raise ValueError("Residual needs at least one layer")
        taken = set()
        for layer in self.layers:
            if not isinstance(layer, Layer):
                raise TypeError(f"Residual takes nnlib layers, got {layer!r}")  # the inner layers are named as Sequential names its own
            give_name(layer, taken, "Residual")
            taken.add(layer.name)

    def sublayers(self):
        return self.layers

    def _branch_shape(self, input_shape):
        shape = tuple(input_shape)
        for layer in self.layers:
            shape = tuple(layer.output_shape(shape))
        if shape != tuple(input_shape):
            raise ValueError(f"{self.name or self.kind}: its layers map shape {tuple(input_shape)} to {shape}, "
                             f"but y = x + F(x) needs F(x) to have x's shape")
        return shape

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        shape = self.input_shape
        for layer in self.layers:
            if not layer.built:
                layer.build(shape, rng)
            shape = layer.output_shape(shape)
        self._branch_shape(self.input_shape)

    def output_shape(self, input_shape):
        return self._branch_shape(input_shape)

    def forward(self, x, training=False):
        if not self.built:
            self.build(tuple(x.shape[1:]))
        h = x
        for layer in self.layers:
            h = layer.forward(h, training=training)
        if tuple(h.shape) != tuple(x.shape):
            raise ValueError(f"{self.name or self.kind}: F(x) has shape {tuple(h.shape)} but x has shape "
                             f"{tuple(x.shape)}; y = x + F(x) needs them equal")
        self.a = x + h
        return self.a

    def backward(self, grad, need_dx=True):
        g = grad
        for layer in reversed(self.layers):
            g = layer.backward(g)
        self.dx = grad + g
        return self.dx

    def regularization_loss(self):
        total = 0.0
        for layer in self.layers:
            total = total + layer.regularization_loss()
        return total

    @classmethod
    def from_config(cls, config):
        from . import ALL  # the layer classes, which include this one

        config = dict(config)
        config["layers"] = [from_config("layer", spec, ALL) for spec in config["layers"]]
        return cls(**config)
