"""Max and average pooling over 2-D windows of channels-last images.

Both loop over the pool's offsets (4 for 2x2): for a fixed offset (i, j) the
values under every window form one strided slice of the input, so the loop does
whole-array work and needs only slicing (no NumPy-only tricks).
"""

from .. import backend
from .base import Layer
from .conv import _device_of, check_image, check_padding, image_geometry, offsets, pad, pair, unpad


class _Pooling2D(Layer):
    """What max and average pooling share: the window geometry and the scatter of dx.

    Parameters
    ----------
    pool_size : int or tuple of int, default (2, 2)
        The window (height, width); one integer for a square window.
    strides : int or tuple of int, optional
        The step between windows; None means ``pool_size`` (windows side by side).
    padding : {"valid", "same"}, default "valid"
        "valid" keeps windows inside the image; "same" pads so that the output has
        ceil(size / stride) pixels per axis.
    input_shape : tuple of int, optional
        One image's shape (height, width, channels), for a model's first layer.
    name : str, optional
        The layer's name; None names it after the class ("max_pooling2d", ...).
    """

    trainable = False

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", input_shape=None, name=None):
        super().__init__(name, input_shape)
        self.pool_size = pair(pool_size, f"{type(self).__name__} pool_size")
        self.strides = self.pool_size if strides is None else pair(strides, f"{type(self).__name__} strides")
        self.padding = check_padding(padding)

    def _geometry(self, input_shape):
        return image_geometry(self, input_shape, self.pool_size, "pool")

    def build(self, input_shape, rng=None):
        self._geometry(input_shape)
        super().build(input_shape)

    def output_shape(self, input_shape):
        return self._geometry(input_shape)[0] + (input_shape[-1],)

    def _windows(self, x):
        check_image(self, x)
        self.x = x
        self.out_shape, self.pads = self._geometry(tuple(x.shape[1:]))
        return offsets(self.pool_size, self.strides, self.out_shape)

    def _scatter(self, pieces):
        """dx: each (window slice, gradient) pair added back where the slice came from, padding removed."""
        xp = backend.xp()
        n, h, w, c = self.x.shape
        top, bottom, left, right = self.pads
        dx_pad = xp.zeros((n, h + top + bottom, w + left + right, c), dtype=self.x.dtype, **_device_of(self.x))
        for window, piece in pieces:
            dx_pad[window] += piece
        self.dx = unpad(dx_pad, self.pads)
        return self.dx


class MaxPooling2D(_Pooling2D):
    r"""Max pooling: each output is the largest input in its window, per channel.

    \[ a_{n,r,c,k} = \max_{i,j}\ x_{n,\, r s + i,\, c s + j,\, k} \]

    Backward sends each output's gradient to the one input that was the maximum
    (the first one, on ties); every other input gets 0. "same" padding pads with
    -inf, so padding is never the maximum.

    >>> import numpy as np
    >>> from nnlib import backend
    >>> x = np.array([[1, 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [0, 9, 2, 2]], dtype=float).reshape(1, 4, 4, 1)
    >>> print(backend.to_numpy(MaxPooling2D().forward(backend.asarray(x)))[0, :, :, 0].tolist())
    [[4.0, 5.0], [9.0, 2.0]]
    """

    def forward(self, x, training=False):
        xp = backend.xp()
        windows = [window for _, _, window in self._windows(x)]
        self.x_pad = pad(x, self.pads, value=-float("inf"))
        self.a = self.x_pad[windows[0]]
        for window in windows[1:]:
            self.a = xp.maximum(self.a, self.x_pad[window])
        return self.a

    def backward(self, grad, need_dx=True):
        # Which input was the maximum is found here rather than tracked in forward: comparing
        # each offset with the maximum, in order, and letting the first match claim it.
        xp = backend.xp()
        unclaimed = xp.ones(self.a.shape, dtype=xp.bool, **_device_of(self.a))
        pieces = []
        for _, _, window in offsets(self.pool_size, self.strides, self.out_shape):
            claims = (self.x_pad[window] == self.a) & unclaimed
            unclaimed = unclaimed & ~claims
            pieces.append((window, grad * xp.astype(claims, grad.dtype)))
        return self._scatter(pieces)


class AveragePooling2D(_Pooling2D):
    r"""Average pooling: each output is the mean of its window, per channel.

    \[ a_{n,r,c,k} = \frac{1}{k_h k_w} \sum_{i,j} x_{n,\, r s + i,\, c s + j,\, k} \]

    Backward spreads each output's gradient evenly over its window. With "same"
    padding, windows at the border average only the real pixels (as Keras does).

    >>> import numpy as np
    >>> from nnlib import backend
    >>> x = np.array([[1, 2, 5, 0], [3, 4, 1, 1], [0, 0, 2, 2], [0, 9, 2, 2]], dtype=float).reshape(1, 4, 4, 1)
    >>> print(backend.to_numpy(AveragePooling2D().forward(backend.asarray(x)))[0, :, :, 0].tolist())
    [[2.5, 1.75], [2.25, 2.0]]
    """

    def forward(self, x, training=False):
        windows = self._windows(x)
        x_pad = pad(x, self.pads)
        total = None
        for _, _, window in windows:
            total = x_pad[window] if total is None else total + x_pad[window]
        self.count = self._count(x)
        self.a = total / self.count
        return self.a

    def _count(self, x):
        """How many real (not padding) pixels each window covers: kh*kw, or fewer at a padded border."""
        if not any(self.pads):
            return float(self.pool_size[0] * self.pool_size[1])
        xp = backend.xp()
        ones = pad(xp.ones((1,) + tuple(x.shape[1:3]) + (1,), dtype=x.dtype, **_device_of(x)), self.pads)
        count = None
        for _, _, window in offsets(self.pool_size, self.strides, self.out_shape):
            count = ones[window] if count is None else count + ones[window]
        return count

    def backward(self, grad, need_dx=True):
        share = grad / self.count
        return self._scatter((window, share) for _, _, window in offsets(self.pool_size, self.strides, self.out_shape))
