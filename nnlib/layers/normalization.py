"""Batch and layer normalization, both over the last axis (features, or channels of an image)."""

from .. import backend
from .._checks import fraction, positive_number, size
from .base import Layer, entry, features


def _normalized_backward(dxhat, xhat, inv_std, axes, m):
    """dL/dx for xhat = (x - mean) * inv_std where mean and variance are taken over ``axes`` (m values).

    dx = inv_std / m * (m dxhat - sum(dxhat) - xhat sum(dxhat xhat)): the two sums are
    how each x also moves the mean and the variance it is normalized by.
    """
    xp = backend.xp()
    return inv_std / m * (m * dxhat - xp.sum(dxhat, axis=axes, keepdims=True)
                          - xhat * xp.sum(dxhat * xhat, axis=axes, keepdims=True))


class _Normalization(Layer):
    r"""What batch and layer normalization share: gamma, beta and the backward through the statistics.

    Parameters
    ----------
    epsilon : float, default 1e-3
        \( \epsilon \) > 0, added to the variance before the square root.
    input_shape : tuple of int, optional
        For a model's first layer; its last axis is normalized.
    name : str, optional
        The layer's name; None names it after the class.
    """

    def __init__(self, epsilon=1e-3, input_shape=None, name=None):
        super().__init__(name, input_shape)
        self.epsilon = positive_number(epsilon, f"{type(self).__name__} epsilon")

    gamma, beta = entry("params", "gamma"), entry("params", "beta")

    def build(self, input_shape, rng=None):
        n = features(self, input_shape)
        super().build(input_shape)
        self.gamma = backend.asarray([1.0] * n)
        self.beta = backend.zeros((n,))

    def _check(self, x):
        if not self.built:
            self.build(tuple(x.shape[1:]))
        n = self.gamma.shape[0]
        if x.ndim < 2 or x.shape[-1] != n:
            raise ValueError(f"{self.name or self.kind} expects input of shape (batch, ..., {n}), "
                             f"got shape {tuple(x.shape)}")

    def _backward(self, grad, axes, m):
        xp = backend.xp()
        reduce = tuple(range(grad.ndim - 1))
        self.grads["gamma"] = xp.sum(grad * self.xhat, axis=reduce)
        self.grads["beta"] = xp.sum(grad, axis=reduce)
        self.dx = _normalized_backward(grad * self.gamma, self.xhat, self.inv_std, axes, m)
        return self.dx


class BatchNormalization(_Normalization):
    r"""Batch normalization, per feature (last axis).

    \[ y = \gamma \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta \]

    Training: \( \mu \) and \( \sigma^2 \) of this batch (over every axis but the last), and
    the running statistics move towards them:
    \( \text{moving} \leftarrow m \cdot \text{moving} + (1 - m) \cdot \text{batch statistic} \),
    with m = ``momentum``.
    Inference: the running statistics, so one sample's output does not depend on
    the rest of its batch. ``moving_mean`` and ``moving_variance`` are state, not
    parameters: saved with the model, never touched by the optimizer.

    >>> import numpy as np
    >>> from nnlib import backend
    >>> bn = BatchNormalization(momentum=0.5)
    >>> x = backend.asarray([[1.0], [3.0]])
    >>> y = bn.forward(x, training=True)
    >>> print([f"{v:.4f}" for v in backend.to_numpy(y).ravel()], f"moving mean {float(bn.moving_mean[0]):.2f}")
    ['-0.9995', '0.9995'] moving mean 1.00

    Parameters
    ----------
    momentum : float, default 0.99
        m in [0, 1], how much of the running statistics each training batch keeps.
    epsilon : float, default 1e-3
        \( \epsilon \) > 0, added to the variance.
    input_shape : tuple of int, optional
        For a model's first layer.
    name : str, optional
        The layer's name; None names it "batch_normalization".

    Raises
    ------
    ValueError
        If ``momentum`` is not in [0, 1] or ``epsilon`` not positive; in ``forward``, if the
        input's last axis is not the one it was built for.
    """

    def __init__(self, momentum=0.99, epsilon=1e-3, input_shape=None, name=None):
        super().__init__(epsilon, input_shape, name)
        self.momentum = fraction(momentum, "BatchNormalization momentum", high_open=False)

    moving_mean, moving_variance = entry("state", "moving_mean"), entry("state", "moving_variance")

    def build(self, input_shape, rng=None):
        super().build(input_shape, rng)
        n = self.input_shape[-1]
        self.moving_mean = backend.zeros((n,))
        self.moving_variance = backend.asarray([1.0] * n)

    def forward(self, x, training=False):
        xp = backend.xp()
        self._check(x)
        self.x = x
        self.training = training
        if training:
            axes = tuple(range(x.ndim - 1))
            mean = xp.mean(x, axis=axes)
            var = xp.mean((x - mean) ** 2, axis=axes)
            self.moving_mean = self.momentum * self.moving_mean + (1 - self.momentum) * mean
            self.moving_variance = self.momentum * self.moving_variance + (1 - self.momentum) * var
        else:
            mean, var = self.moving_mean, self.moving_variance
        self.inv_std = 1.0 / xp.sqrt(var + self.epsilon)
        self.xhat = (x - mean) * self.inv_std
        self.a = self.gamma * self.xhat + self.beta
        return self.a

    def backward(self, grad, need_dx=True):
        """dL/dx and the gradients of gamma and beta.

        Training: through the batch statistics too. Inference: the statistics are constants.

        Parameters
        ----------
        grad : array
            dL/dy, shaped like the output.
        need_dx : bool, default True
            Accepted for the layer contract; dx is always computed.

        Returns
        -------
        array
            dL/dx.
        """
        if not self.training:
            reduce = tuple(range(grad.ndim - 1))
            xp = backend.xp()
            self.grads["gamma"] = xp.sum(grad * self.xhat, axis=reduce)
            self.grads["beta"] = xp.sum(grad, axis=reduce)
            self.dx = grad * self.gamma * self.inv_std
            return self.dx
        return self._backward(grad, tuple(range(grad.ndim - 1)), size(grad.shape[:-1]))


class LayerNormalization(_Normalization):
    r"""Layer normalization: each sample normalized by the mean and variance of its own last axis.

    \[ y = \gamma \frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}} + \beta \]

    The same in training and inference: every row is normalized by its own
    statistics (transformers use it, where batch statistics would mix tokens).

    >>> from nnlib import backend
    >>> y = LayerNormalization().forward(backend.asarray([[1.0, 2.0, 3.0]]))
    >>> print([f"{v:.3f}" for v in backend.to_numpy(y)[0]])
    ['-1.224', '0.000', '1.224']
    """

    def forward(self, x, training=False):
        xp = backend.xp()
        self._check(x)
        self.x = x
        mean = xp.mean(x, axis=-1, keepdims=True)
        var = xp.mean((x - mean) ** 2, axis=-1, keepdims=True)
        self.inv_std = 1.0 / xp.sqrt(var + self.epsilon)
        self.xhat = (x - mean) * self.inv_std
        self.a = self.gamma * self.xhat + self.beta
        return self.a

    def backward(self, grad, need_dx=True):
        return self._backward(grad, (-1,), grad.shape[-1])
