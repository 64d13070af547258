"""The 2-D convolution layer, computed as im2col and one matrix multiplication.

Images are channels-last, (batch, height, width, channels), as in Keras. The
helpers here (window geometry, padding, the kernel-offset slices) are shared
with the pooling layers.
"""

import numbers

import numpy as np

from .. import backend, initializers
from .._checks import positive_int
from . import activations
from .base import WeightedLayer

PADDINGS = ("valid", "same")


def pair(value, what):
    """``3`` -> (3, 3); ``(3, 2)`` stays; anything else is an error naming ``what``.

    Parameters
    ----------
    value : int or tuple of int
        One positive integer for both axes, or a pair (height, width).
    what : str
        The argument's name, for the error message, e.g. "Conv2D strides".

    Returns
    -------
    tuple of int
        The pair.

    Raises
    ------
    ValueError
        If ``value`` is not a positive integer or a pair of them.
    """
    values = (value, value) if isinstance(value, numbers.Real) else value
    if isinstance(values, str) or not hasattr(values, "__len__") or len(values) != 2:
        raise ValueError(f"{what} must be a positive integer or a pair of them, got {value!r}")
    return tuple(positive_int(v, what) for v in values)


def check_padding(padding):
    padding = str(padding).lower()
    if padding not in PADDINGS:
        raise ValueError(f"padding must be 'valid' or 'same', got {padding!r}")
    return padding


def window_geometry(size, kernel, stride, padding):
    r"""(output size, padding before, padding after) along one spatial axis, as Keras computes them.

    "valid" pads nothing; "same" pads zeros split evenly, the odd one after (bottom/right):

    \[ n_\text{out}^\text{valid} = \left\lfloor \frac{n - k}{s} \right\rfloor + 1, \qquad
       n_\text{out}^\text{same} = \left\lceil \frac{n}{s} \right\rceil \]

    Parameters
    ----------
    size : int
        The input's length n along the axis.
    kernel : int
        The window's length k along it.
    stride : int
        The step s between windows.
    padding : {"valid", "same"}
        Keras's padding mode.

    Returns
    -------
    out : int
        The output's length.
    before : int
        Zeros padded before (top, left).
    after : int
        Zeros padded after (bottom, right).

    Examples
    --------
    >>> window_geometry(28, 3, 1, "valid"), window_geometry(28, 3, 1, "same"), window_geometry(5, 2, 2, "same")
    ((26, 0, 0), (28, 1, 1), (3, 0, 1))
    """
    if padding == "valid":
        return (size - kernel) // stride + 1, 0, 0
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return out, total // 2, total - total // 2


def image_geometry(layer, input_shape, window, what):
    """((out height, out width), (top, bottom, left, right) padding) for ``layer``'s windows
    of size ``window`` (its kernel or pool) sliding over an input (height, width, channels).

    Parameters
    ----------
    layer : Layer
        A convolution or pooling layer, with ``strides`` and ``padding``.
    input_shape : tuple of int
        One image's shape (height, width, channels).
    window : tuple of int
        The window's (height, width).
    what : str
        The window's name for error messages: "kernel" or "pool".

    Returns
    -------
    out_shape : tuple of int
        The output's (height, width).
    pads : tuple of int
        Padding (top, bottom, left, right).

    Raises
    ------
    ValueError
        If ``input_shape`` is not (height, width, channels) with known lengths, or the
        window does not fit in the image.
    """
    if len(input_shape) != 3 or None in input_shape:
        raise ValueError(f"{layer.name or layer.kind} expects input of rank 4 (batch, height, width, channels), "
                         f"got input_shape {tuple(input_shape)} (without the batch axis)")
    rows = window_geometry(input_shape[0], window[0], layer.strides[0], layer.padding)
    cols = window_geometry(input_shape[1], window[1], layer.strides[1], layer.padding)
    if rows[0] < 1 or cols[0] < 1:
        raise ValueError(f"{layer.name or layer.kind}: {what} {window} does not fit in an input of "
                         f"{input_shape[0]}x{input_shape[1]} with padding 'valid'")
    return (rows[0], cols[0]), rows[1:] + cols[1:]


def check_image(layer, x, channels=None):
    """Refuse anything but (batch, height, width, channels), naming the layer and the usual mistake.

    Parameters
    ----------
    layer : Layer
        The layer that checks, named in the error.
    x : array
        Its input.
    channels : int, optional
        The number of channels the layer was built for, if it checks them.

    Raises
    ------
    ValueError
        If ``x`` is not of rank 4 (with a hint when the channel axis is missing) or has
        another number of channels.
    """
    name = layer.name or layer.kind
    if x.ndim != 4:
        hint = ": did you forget the channel axis? Use x[..., None]" if x.ndim == 3 else ""
        raise ValueError(f"{name} expects input of rank 4 (batch, height, width, channels), "
                         f"got shape {tuple(x.shape)}{hint}")
    if channels is not None and x.shape[-1] != channels:
        raise ValueError(f"{name} expects input of shape (batch, height, width, {channels}), got shape {tuple(x.shape)}")


def pad(x, pads, value=0.0):
    """x with ``pads = (top, bottom, left, right)`` rows and columns of ``value`` around each image.

    Parameters
    ----------
    x : array
        Images, shape (batch, height, width, channels).
    pads : tuple of int
        Rows on top and bottom, columns on the left and right.
    value : float, default 0.0
        The padding's value (max pooling pads with minus infinity).

    Returns
    -------
    array
        Shape (batch, height + top + bottom, width + left + right, channels); ``x`` itself
        when all pads are 0.
    """
    top, bottom, left, right = pads
    if not any(pads):
        return x
    xp = backend.xp()
    n, h, w, c = x.shape
    padded = xp.full((n, h + top + bottom, w + left + right, c), value, dtype=x.dtype, **_device_of(x))
    padded[:, top:top + h, left:left + w, :] = x
    return padded


def unpad(x, pads):
    """The inverse of :func:`pad`: drop the border again.

    Parameters
    ----------
    x : array
        Padded images, shape (batch, height, width, channels).
    pads : tuple of int
        The (top, bottom, left, right) padding to remove.

    Returns
    -------
    array
        A view of ``x`` without the border.
    """
    top, bottom, left, right = pads
    h, w = x.shape[1], x.shape[2]
    return x[:, top:h - bottom, left:w - right, :]


def offsets(kernel, strides, out_shape):
    """For each kernel offset (i, j): the strided slice of the padded input that this offset sees.

    Output pixel (r, c) reads padded input (r * stride + i, c * stride + j), so for a fixed
    (i, j) all output pixels together read one strided slice. kh * kw is small (9 for 3x3),
    so looping over offsets costs little and needs nothing beyond slicing.

    Parameters
    ----------
    kernel : tuple of int
        The window's (kh, kw).
    strides : tuple of int
        The steps (sh, sw).
    out_shape : tuple of int
        The output's (oh, ow).

    Returns
    -------
    list of tuple
        ``(i, j, index)`` for each offset, ``index`` a tuple of slices for a
        (batch, height, width, channels) array.
    """
    (kh, kw), (sh, sw), (oh, ow) = kernel, strides, out_shape
    return [(i, j, (slice(None), slice(i, i + sh * (oh - 1) + 1, sh), slice(j, j + sw * (ow - 1) + 1, sw), slice(None)))
            for i in range(kh) for j in range(kw)]


class Conv2D(WeightedLayer):
    r"""The 2-D convolution layer: each filter slides over the image; a = activation(z).

    \[ z_{n,r,c,f} = \sum_{i,j,k} x_{n,\, r s + i,\, c s + j,\, k}\, W_{i,j,k,f} + b_f,
       \qquad a = \text{activation}(z) \]

    ``W`` has shape (kh, kw, channels in, filters) as in Keras, ``b`` shape (filters,).
    im2col copies every input patch into one row of ``cols`` (batch*oh*ow rows of
    kh*kw*channels numbers), so the whole layer is the matrix product ``cols @ W``;
    backward is two more products and col2im, which adds each patch's gradient back
    where the patch came from. After ``forward`` the layer keeps ``x``, ``z`` and ``a``;
    after ``backward`` ``dW``, ``db`` and ``dx``. A vertical-edge filter on a 3x4 image:

    >>> import numpy as np
    >>> from nnlib import backend
    >>> conv = Conv2D(1, (1, 2), input_shape=(3, 4, 1))
    >>> conv.build((3, 4, 1))
    >>> conv.W = backend.asarray(np.array([-1.0, 1.0]).reshape(1, 2, 1, 1))
    >>> image = np.array([[0, 0, 1, 1]] * 3, dtype=float).reshape(1, 3, 4, 1)
    >>> z = conv.forward(backend.asarray(image))
    >>> print(z.shape, backend.to_numpy(z)[0, :, :, 0].tolist())
    (1, 3, 3, 1) [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]]

    Parameters
    ----------
    filters : int
        Number of filters, the channels of the output; a positive integer.
    kernel_size : int or tuple of int
        The window (kh, kw); one integer for a square window.
    strides : int or tuple of int, default (1, 1)
        The step s between windows, per axis.
    padding : {"valid", "same"}, default "valid"
        "valid" keeps windows inside the image; "same" pads zeros so that the output has
        ceil(size / stride) pixels per axis.
    activation : str or Activation, optional
        Applied to z, e.g. "relu"; None is linear.
    input_shape : tuple of int, optional
        One image's shape (height, width, channels), for a model's first layer.
    kernel_initializer : str or Initializer, default "glorot_uniform"
        How ``W`` starts.
    bias_initializer : str or Initializer, default "zeros"
        How ``b`` starts.
    name : str, optional
        The layer's name; None names it "conv2d", "conv2d_1", ...

    Raises
    ------
    ValueError
        If a size is not a positive integer (or pair), ``padding`` is unknown, or (at build)
        the kernel does not fit in the image; ``forward`` raises it for an input that is not
        (batch, height, width, channels).
    """

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", activation=None, input_shape=None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", name=None):
        super().__init__(name, input_shape)
        self.filters = positive_int(filters, "Conv2D filters")
        self.kernel_size = pair(kernel_size, "Conv2D kernel_size")
        self.strides = pair(strides, "Conv2D strides")
        self.padding = check_padding(padding)
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)

    def _geometry(self, input_shape):
        return image_geometry(self, input_shape, self.kernel_size, "kernel")

    def build(self, input_shape, rng=None):
        self._geometry(input_shape)
        super().build(input_shape)
        rng = np.random.default_rng() if rng is None else rng
        kh, kw = self.kernel_size
        shape = (kh, kw, self.input_shape[-1], self.filters)
        # Glorot's fan-in/fan-out for a kernel count the receptive field: kh*kw*c_in and kh*kw*filters.
        self.W = backend.asarray(self.kernel_initializer(shape, rng))
        self.b = backend.asarray(self.bias_initializer((self.filters,), rng))

    def output_shape(self, input_shape):
        return self._geometry(input_shape)[0] + (self.filters,)

    def im2col(self, x):
        """(batch*oh*ow, kh*kw*channels): row p holds the input patch under output pixel p.

        Parameters
        ----------
        x : array
            Images, shape (batch, height, width, channels).

        Returns
        -------
        array
            The patches ``cols``, one per row.
        """
        xp = backend.xp()
        n, h, w, c = x.shape
        (oh, ow), pads = self._geometry((h, w, c))
        kh, kw = self.kernel_size
        x_pad = pad(x, pads)
        cols = xp.empty((n, oh, ow, kh, kw, c), dtype=x.dtype, **_device_of(x))
        for i, j, window in offsets(self.kernel_size, self.strides, (oh, ow)):
            cols[:, :, :, i, j, :] = x_pad[window]
        return xp.reshape(cols, (n * oh * ow, kh * kw * c))

    def col2im(self, dcols, x_shape):
        """The adjoint of im2col: add each patch row's gradient back onto the pixels it was copied from.

        Parameters
        ----------
        dcols : array
            Gradient of the loss with respect to ``cols``, shape (batch*oh*ow, kh*kw*channels).
        x_shape : tuple of int
            The input's shape (batch, height, width, channels).

        Returns
        -------
        array
            The gradient with respect to the input, shape ``x_shape``.
        """
        xp = backend.xp()
        n, h, w, c = x_shape
        (oh, ow), pads = self._geometry((h, w, c))
        kh, kw = self.kernel_size
        # Regroup the rows by kernel offset, (kh*kw, n, oh, ow, c), and copy each offset's
        # gradients out as one contiguous block: NumPy adds such blocks several times faster
        # than the short strided runs of dcols itself. One offset at a time: a copy of all of
        # dcols at once, beside dcols, freed so much memory together that glibc handed it back
        # to the system and faulted it in again on every step (a tenth of a CNN step).
        by_offset = xp.permute_dims(xp.reshape(dcols, (n, oh, ow, kh * kw, c)), (3, 0, 1, 2, 4))
        top, bottom, left, right = pads
        dx_pad = xp.zeros((n, h + top + bottom, w + left + right, c), dtype=dcols.dtype, **_device_of(dcols))
        for k, (_, _, window) in enumerate(offsets(self.kernel_size, self.strides, (oh, ow))):
            dx_pad[window] += xp.asarray(by_offset[k, ...], copy=True)
        return unpad(dx_pad, pads)

    def forward(self, x, training=False):
        check_image(self, x, self.W.shape[2])
        n = x.shape[0]
        (oh, ow), _ = self._geometry(tuple(x.shape[1:]))
        self.x = x
        self.cols = self.im2col(x)
        z = self.cols @ backend.xp().reshape(self.W, (-1, self.filters))
        z += self.b
        self.z = backend.xp().reshape(z, (n, oh, ow, self.filters))
        self.a = self.activation.forward(self.z, training)
        return self.a

    def backward(self, grad, need_dx=True):
        """Given dL/da: dz = dL/da * da/dz (the activation's backward), dW = colsᵀ dz,
        db = sum of dz over batch and pixels, dx = col2im(dz Wᵀ). Returns dx, or None
        when ``need_dx`` is False (the first layer in training), which skips col2im.

        A 2x2 kernel of ones over a 3x3 image, with dL/dz = 1 at each of the four output
        pixels: each weight's gradient sums the four pixels it saw, and col2im gives each
        pixel the number of windows that covered it.

        >>> import numpy as np
        >>> from nnlib import backend
        >>> from nnlib.initializers import Constant
        >>> conv = Conv2D(1, 2, kernel_initializer=Constant(1.0), input_shape=(3, 3, 1))
        >>> conv.build((3, 3, 1))
        >>> z = conv.forward(backend.asarray(np.arange(9.0).reshape(1, 3, 3, 1)))
        >>> dx = conv.backward(backend.asarray(np.ones((1, 2, 2, 1))))
        >>> print(backend.to_numpy(conv.dW)[:, :, 0, 0].tolist(), backend.to_numpy(conv.db).tolist())
        [[8.0, 12.0], [20.0, 24.0]] [4.0]
        >>> print(backend.to_numpy(dx)[0, :, :, 0].tolist())
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]

        Parameters
        ----------
        grad : array
            dL/da, the gradient of the loss with respect to this layer's output ``a``, shaped
            like ``a``.
        need_dx : bool, default True
            Whether to compute dL/dx; False skips it (the first layer during training).

        Returns
        -------
        array or None
            dL/dx, shaped like the input ``x``; None when ``need_dx`` is False.
        """
        xp = backend.xp()
        # Unlike Dense, never handed dL/dz by the loss: the model's shortcut for softmax with
        # cross-entropy applies to a Dense or activation output only (Sequential._fused_output).
        dz = self.activation.backward(grad)
        dz2 = xp.reshape(dz, (-1, self.filters))
        self.grads["W"] = xp.reshape(self.cols.T @ dz2, tuple(self.W.shape))
        self.grads["b"] = xp.sum(dz2, axis=0)
        if not need_dx:
            return None
        self.dx = self.col2im(dz2 @ xp.reshape(self.W, (-1, self.filters)).T, tuple(self.x.shape))
        return self.dx


def _device_of(a):
    """``{"device": a.device}`` where the backend takes a device argument (not CuPy, not NumPy < 2)."""
    return {"device": a.device} if backend.get_backend() == "array_api_strict" else {}
