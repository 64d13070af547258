"""The fully connected layer."""

import numpy as np

from .. import backend, initializers, regularizers
from .._checks import positive_int
from . import activations
from .base import WeightedLayer, features


class Dense(WeightedLayer):
    r"""The fully connected layer: z = xW + b, then a = activation(z), on the last axis of x.

    \[ z = xW + b, \qquad a = \text{activation}(z) \]

    ``W`` has shape (n_in, n_out) and ``b`` shape (n_out,). After ``forward`` the
    layer keeps ``x``, ``z`` and ``a``; after ``backward`` it keeps ``dW``, ``db``
    and ``dx``. The worked neuron, one input row with two features:

    >>> import numpy as np
    >>> from nnlib import backend
    >>> neuron = Dense(1, activation="sigmoid")
    >>> neuron.build((2,), np.random.default_rng(0))
    >>> neuron.W = backend.asarray([[0.3], [0.7]])
    >>> neuron.b = backend.asarray([0.1])
    >>> a = neuron.forward(backend.asarray([[1.0, 0.5]]))
    >>> print(f"z = {float(neuron.z[0, 0]):.2f}, a = sigmoid(z) = {float(a[0, 0]):.2f}")
    z = 0.75, a = sigmoid(z) = 0.68

    Parameters
    ----------
    units : int
        Number of outputs (neurons), the length of ``b``; a positive integer.
    activation : str or Activation, optional
        Applied to z: a name such as "relu", "sigmoid", "tanh", "softmax", or an activation
        layer. None (the default) is linear: a = z.
    input_shape : tuple of int, optional
        One input's shape without the batch axis, e.g. ``(2,)``, for a model's first layer.
    kernel_initializer : str or Initializer, default "glorot_uniform"
        How ``W`` starts: a name ("glorot_uniform", "he_normal", "zeros", ...) or an initializer.
    bias_initializer : str or Initializer, default "zeros"
        How ``b`` starts.
    kernel_regularizer : str or Regularizer, optional
        A penalty on ``W`` added to the loss, e.g. ``L2(1e-4)``.
    name : str, optional
        The layer's name; None names it "dense", "dense_1", ...

    Raises
    ------
    ValueError
        If ``units`` is not a positive integer or a name is unknown; ``forward`` raises it
        for an input whose last axis is not ``n_in``.
    """

    def __init__(
        self,
        units,
        activation=None,
        input_shape=None,
        kernel_initializer="glorot_uniform",
        bias_initializer="zeros",
        kernel_regularizer=None,
        name=None,
    ):
        super().__init__(name, input_shape)
        self.units = positive_int(units, "Dense units")
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)

    def build(self, input_shape, rng=None):
        n_in = features(self, input_shape)
        super().build(input_shape)
        rng = np.random.default_rng() if rng is None else rng
        self.W = backend.asarray(self.kernel_initializer((n_in, self.units), rng))
        self.b = backend.asarray(self.bias_initializer((self.units,), rng))

    def output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def forward(self, x, training=False):
        n_in = self.W.shape[0]
        if x.shape[-1] != n_in:
            shape = "(batch, " + ", ".join(map(str, self.input_shape[:-1] + (n_in,))) + ")"
            raise ValueError(
                f"{self.name or self.kind} expected input with last axis {n_in} (shape {shape}), "
                f"got shape {tuple(x.shape)}"
            )
        self.x = x
        # Rows of any leading axes are independent samples: flatten them for one matmul.
        x2 = backend.xp().reshape(x, (-1, n_in))
        z = x2 @ self.W
        z += self.b
        self.z = backend.xp().reshape(z, tuple(x.shape[:-1]) + (self.units,))
        self.a = self.activation.forward(self.z, training)
        return self.a

    def backward(self, grad, need_dx=True):
        """Given dL/da: dz = dL/da * da/dz (the activation's backward), dW = xᵀ dz,
        db = sum of dz over the batch, dx = dz Wᵀ. Returns dx, or None when ``need_dx``
        is False (the first layer in training), which skips that matrix product.

        A ReLU neuron pair on one input row: unit 0 is off (z = -1), so only unit 1
        passes the gradient back.

        >>> import numpy as np
        >>> from nnlib import backend
        >>> dense = Dense(2, activation="relu")
        >>> dense.build((3,), np.random.default_rng(0))
        >>> dense.W = backend.asarray([[0.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
        >>> a = dense.forward(backend.asarray([[1.0, 2.0, -1.0]]))
        >>> dx = dense.backward(backend.asarray([[1.0, 1.0]]))
        >>> for name, value in (("z", dense.z), ("dW", dense.dW), ("db", dense.db), ("dx", dx)):
        ...     print(name, backend.to_numpy(value).tolist())
        z [[-1.0, 1.0]]
        dW [[0.0, 1.0], [0.0, 2.0], [0.0, -1.0]]
        db [0.0, 1.0]
        dx [[0.0, 1.0, 1.0]]

        Parameters
        ----------
        grad : array
            dL/da, the gradient of the loss with respect to this layer's output ``a``, shaped
            like ``a`` (dL/dz itself when the model marked the layer ``loss_gives_dz``).
        need_dx : bool, default True
            Whether to compute dL/dx; False skips it (the first layer during training).

        Returns
        -------
        array or None
            dL/dx, shaped like the input ``x``; None when ``need_dx`` is False.
        """
        xp = backend.xp()
        # Softmax or sigmoid followed by cross-entropy: the model hands the output layer
        # dL/dz = (a - y) / N itself (lesson 6), which spares the activation's Jacobian.
        dz = grad if self.loss_gives_dz else self.activation.backward(grad)
        n_in = self.W.shape[0]
        x2 = xp.reshape(self.x, (-1, n_in))
        dz2 = xp.reshape(dz, (-1, self.units))
        dW = x2.T @ dz2
        if self.kernel_regularizer is not None:
            dW += self.kernel_regularizer.gradient(self.W)
        self.grads["W"] = dW
        self.grads["b"] = xp.sum(dz2, axis=0)
        if not need_dx:
            return None
        self.dx = xp.reshape(dz2 @ self.W.T, tuple(self.x.shape))
        return self.dx

    def regularization_loss(self):
        return 0.0 if self.kernel_regularizer is None else self.kernel_regularizer(self.W)

