"""Inverted dropout."""

import numpy as np

from .. import backend
from .._checks import fraction
from .base import Layer


class Dropout(Layer):
    r"""During training, zero each input with probability ``rate`` and scale the rest by 1/(1 - rate).

    \[ a = \frac{m \odot x}{1 - p}, \quad m_i \sim \operatorname{Bernoulli}(1 - p), \qquad
       dx = \frac{m \odot \text{grad}}{1 - p} \]

    with p = ``rate``.

    The scaling keeps the expected output equal to the input, so at inference
    (``training=False``) the layer is the identity. The mask is drawn on the host
    from ``rng`` (a ``numpy.random.Generator``; ``seed`` makes one) so results match
    across backends.

    >>> import numpy as np
    >>> from nnlib import backend
    >>> drop = Dropout(0.5, seed=0)
    >>> print(backend.to_numpy(drop.forward(backend.asarray(np.ones(6)), training=True)))
    [2. 0. 0. 0. 2. 2.]

    Parameters
    ----------
    rate : float
        p in [0, 1], the probability of dropping each input.
    seed : int, optional
        Makes the masks repeatable.
    rng : numpy.random.Generator, optional
        Draws the masks (wins over ``seed``); by default the model's generator.
    input_shape : tuple of int, optional
        For a model's first layer.
    name : str, optional
        The layer's name; None names it "dropout".

    Raises
    ------
    ValueError
        If ``rate`` is not a number in [0, 1].
    """

    trainable = False
    not_saved = ("rng",)

    def __init__(self, rate, seed=None, rng=None, input_shape=None, name=None):
        super().__init__(name, input_shape)
        self.rate = fraction(rate, "Dropout rate")
        self.seed = seed
        self.rng = rng if rng is not None else (None if seed is None else np.random.default_rng(seed))

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        if self.rng is None:
            self.rng = rng if rng is not None else np.random.default_rng()

    def forward(self, x, training=False):
        if not training or self.rate == 0:
            self.scale = None
            return x
        if self.rng is None:
            self.build(x.shape[1:])
        keep = self.rng.random(tuple(x.shape)) >= self.rate
        self.scale = backend.asarray(keep / (1 - self.rate))
        return x * self.scale

    def backward(self, grad, need_dx=True):
        self.dx = grad if self.scale is None else grad * self.scale
        return self.dx
