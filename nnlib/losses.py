"""Loss functions: how far predictions ``y_pred`` are from targets ``y_true``.

Each loss is an object with

- ``loss(y_true, y_pred)``, or calling the object: the mean over the
  batch, returned as a 0-d array on the active backend (``float(...)`` it to print;
  keeping it an array avoids a GPU sync per call);
- ``gradient(y_true, y_pred)``: dL/dy_pred, same shape as ``y_pred``;
- ``check_targets(y, output_shape)``: validates labels on the host before training.

Cross-entropies come with a *fused* gradient: when the model's last activation is
softmax (or sigmoid for binary cross-entropy), dL/dz = (a - y) / N, where z is the
pre-activation. It is cheaper and stabler than chaining the two Jacobians, and the
model uses it automatically.

>>> from nnlib import backend
>>> y = backend.asarray([[0.0, 1.0]])
>>> p = backend.asarray([[0.2, 0.8]])
>>> print(f"{float(get('categorical_crossentropy')(y, p)):.4f}")  # -log(0.8)
0.2231
"""

import numpy as np

from . import backend
from ._checks import size as _count
from ._lookup import Configurable, by_name
from .layers.activations import sigmoid, softmax

EPSILON = 1e-7  # probabilities are clipped to [EPSILON, 1 - EPSILON] before a log


def _check_same_shape(y_true, y_pred):
    if tuple(y_true.shape) != tuple(y_pred.shape):
        raise ValueError(f"y_true has shape {tuple(y_true.shape)} but y_pred has shape {tuple(y_pred.shape)}")


def _as_host_targets(y, output_shape, low, high, kind):
    """Targets as float (N, *output_shape) on the host, values checked to lie in [low, high]."""
    y = np.asarray(y, dtype=float)
    if y.ndim == 1 and tuple(output_shape) == (1,):
        y = y[:, None]  # (N,) labels for a single output unit: avoid broadcasting (N,) against (N, 1)
    if y.shape[1:] != tuple(output_shape):
        raise ValueError(f"{kind} expects targets of shape (N, {', '.join(map(str, output_shape))}) "
                         f"to match the model output, got shape {y.shape}")
    if y.size and (y.min() < low or y.max() > high):
        raise ValueError(f"{kind} expects target values in [{low}, {high}], got values in [{y.min()}, {y.max()}]")
    return y, None


def _class_labels(y, output_shape, kind):
    """Integer class labels on the host, checked to lie in 0 .. n_classes - 1.

    One label per prediction: shape (N,) when each example gets one prediction, (N, time)
    when a sequence model predicts at every step (output shape (time, classes)).
    """
    y = np.asarray(y)
    label_shape, n_classes = tuple(output_shape[:-1]), output_shape[-1]
    if y.ndim == len(label_shape) + 2 and y.shape[-1] == 1:
        y = y[..., 0]
    if y.ndim < 1 or tuple(y.shape[1:]) != label_shape:
        expected = "(N, " + ", ".join(map(str, label_shape)) + ")" if label_shape else "(N,)"
        raise ValueError(f"{kind} expects integer class labels of shape {expected}, got shape {y.shape}")
    if y.size and (np.any(y != np.round(y)) or y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"{kind} expects integer labels in 0..{n_classes - 1} (the model has "
                         f"{n_classes} outputs), got values in [{y.min()}, {y.max()}]")
    return y.astype(np.int64), "int64"


class Loss(Configurable):
    """Base class. ``fuses_with`` names the output activation whose gradient can be fused.

    Parameters
    ----------
    from_logits : bool, default False
        True when the model's outputs are logits (no final sigmoid or softmax): the loss
        applies the activation itself, in a form that stays finite for any logit.
    """

    name = None
    fuses_with = None

    def __init__(self, from_logits=False):
        self.from_logits = from_logits

    def __call__(self, y_true, y_pred):
        return self.loss(y_true, y_pred)

    def check_targets(self, y, output_shape):
        """Validate host labels before training.

        Parameters
        ----------
        y : array_like
            The targets, on the host.
        output_shape : tuple of int
            The model's output shape without the batch axis.

        Returns
        -------
        y : numpy.ndarray
            The targets as an array, shaped to match the outputs.
        dtype : str or None
            The dtype name to move them to the device with ("int64" for class labels), or
            None for the backend's float dtype.

        Raises
        ------
        ValueError
            If the targets' shape does not match the outputs or a value is out of range.
        """
        return _as_host_targets(y, output_shape, -np.inf, np.inf, self.name)



class MeanSquaredError(Loss):
    r"""Mean squared error, over all entries of the batch.

    \[ L = \frac{1}{n} \sum (\hat y - y)^2, \qquad \frac{\partial L}{\partial \hat y} = \frac{2}{n} (\hat y - y) \]

    with \( \hat y \) = ``y_pred`` and n its number of entries. It takes no parameters.
    """

    name = "mean_squared_error"

    def __init__(self):
        super().__init__()

    def loss(self, y_true, y_pred):
        _check_same_shape(y_true, y_pred)
        diff = y_pred - y_true
        return backend.xp().mean(diff * diff)

    def gradient(self, y_true, y_pred):
        _check_same_shape(y_true, y_pred)
        return (2 / _count(y_pred.shape)) * (y_pred - y_true)



class BinaryCrossentropy(Loss):
    r"""Binary cross-entropy, for one sigmoid output per label.

    \[ L = -\frac{1}{n} \sum \big( y \log p + (1 - y) \log(1 - p) \big), \qquad
       \frac{\partial L}{\partial p} = \frac{1}{n} \frac{p - y}{p (1 - p)} \]

    with p = ``y_pred`` clipped to \( [\epsilon, 1 - \epsilon] \), or \( p = \sigma(z) \) for
    logits z. With logits the loss is written \( \operatorname{softplus}(z) - y z \), finite for
    any z, and \( \partial L / \partial z = (\sigma(z) - y) / n \).

    Parameters
    ----------
    from_logits : bool, default False
        True when ``y_pred`` is the logit z rather than the probability p.
    """

    name = "binary_crossentropy"
    fuses_with = "sigmoid"

    def loss(self, y_true, y_pred):
        _check_same_shape(y_true, y_pred)
        xp = backend.xp()
        if self.from_logits:
            z = y_pred
            softplus = xp.maximum(z, 0.0) + xp.log1p(xp.exp(-xp.abs(z)))
            return xp.mean(softplus - y_true * z)
        p = xp.clip(y_pred, EPSILON, 1 - EPSILON)
        return -xp.mean(y_true * xp.log(p) + (1 - y_true) * xp.log(1 - p))

    def gradient(self, y_true, y_pred):
        _check_same_shape(y_true, y_pred)
        if self.from_logits:
            return self.gradient_z(y_true, sigmoid(y_pred))
        p = backend.xp().clip(y_pred, EPSILON, 1 - EPSILON)
        return (p - y_true) / (p * (1 - p)) / _count(p.shape)

    def gradient_z(self, y_true, a):
        r"""dL/dz for a = sigmoid(z): the sigmoid's a (1 - a) cancels.

        \[ \frac{\partial L}{\partial z} = \frac{a - y}{n} \]

        Parameters
        ----------
        y_true : array
            The 0/1 targets.
        a : array
            The sigmoid outputs, same shape.

        Returns
        -------
        array
            dL/dz, same shape as ``a``.
        """
        return (a - y_true) / _count(a.shape)

    def check_targets(self, y, output_shape):
        return _as_host_targets(y, output_shape, 0, 1, self.name)


class CategoricalCrossentropy(Loss):
    r"""Categorical cross-entropy, for a softmax over k classes.

    \[ L = -\frac{1}{N} \sum_{i} \sum_{j} y_{ij} \log p_{ij}, \qquad
       \frac{\partial L}{\partial p} = -\frac{y}{N p} \]

    over N samples, with p = ``y_pred`` clipped, or p = softmax(z) for logits z. y_true is
    one-hot (N, k) or integer labels (N,). With logits, \( \log p = z - \operatorname{logsumexp}(z) \)
    is finite for any z and \( \partial L / \partial z = (\operatorname{softmax}(z) - y) / N \).

    ``label_smoothing`` = ε replaces the targets by y (1 - ε) + ε / k: the true class asks for
    1 - ε + ε/k, every other class for ε/k, so the loss no longer rewards pushing the logits
    apart without end (Szegedy et al., 2016). Loss and gradients use the smoothed targets.

    >>> from nnlib import backend
    >>> y, p = backend.asarray([[0.0, 1.0]]), backend.asarray([[0.2, 0.8]])
    >>> print(f"{float(CategoricalCrossentropy(label_smoothing=0.1)(y, p)):.4f}")  # -(0.05 ln 0.2 + 0.95 ln 0.8)
    0.2925

    Parameters
    ----------
    from_logits : bool, default False
        True when ``y_pred`` holds logits z rather than probabilities.
    label_smoothing : float, default 0.0
        ε in [0, 1): how much of each target to spread evenly over the k classes.

    Raises
    ------
    ValueError
        If ``label_smoothing`` is not a number in [0, 1); when the loss is computed, if the
        labels' shape does not match the predictions.
    """

    name = "categorical_crossentropy"
    fuses_with = "softmax"

    def __init__(self, from_logits=False, label_smoothing=0.0):
        super().__init__(from_logits)
        if not (isinstance(label_smoothing, (int, float)) and 0 <= label_smoothing < 1):
            raise ValueError(f"label_smoothing must be a number in [0, 1), got {label_smoothing!r}")
        self.label_smoothing = label_smoothing

    def one_hot(self, y_true, y_pred):
        """Targets shaped like y_pred: integer labels expanded on the device, then smoothed.

        Parameters
        ----------
        y_true : array
            One-hot rows shaped like ``y_pred``, or integer labels (its shape without the last axis).
        y_pred : array
            The predictions, (..., k).

        Returns
        -------
        array
            The (smoothed) one-hot targets, shaped like ``y_pred``.

        Raises
        ------
        ValueError
            If the shapes of ``y_true`` and ``y_pred`` do not match.
        """
        xp = backend.xp()
        if y_true.ndim == y_pred.ndim:
            _check_same_shape(y_true, y_pred)
            y = y_true
        elif tuple(y_true.shape) != tuple(y_pred.shape[:-1]):
            raise ValueError(f"integer labels of shape {tuple(y_true.shape)} do not match "
                             f"predictions of shape {tuple(y_pred.shape)}")
        else:
            labels = xp.astype(y_true, xp.int64)
            y = xp.astype(labels[..., None] == backend.arange(y_pred.shape[-1]), y_pred.dtype)
        if self.label_smoothing:
            y = y * (1 - self.label_smoothing) + self.label_smoothing / y_pred.shape[-1]
        return y

    def get_config(self):
        return {**super().get_config(), "label_smoothing": self.label_smoothing}

    def loss(self, y_true, y_pred):
        xp = backend.xp()
        y = self.one_hot(y_true, y_pred)
        n = _count(y_pred.shape[:-1])
        if self.from_logits:
            shifted = y_pred - xp.max(y_pred, axis=-1, keepdims=True)
            log_p = shifted - xp.log(xp.sum(xp.exp(shifted), axis=-1, keepdims=True))
        else:
            log_p = xp.log(xp.clip(y_pred, EPSILON, 1.0))
        return -xp.sum(y * log_p) / n

    def gradient(self, y_true, y_pred):
        xp = backend.xp()
        if self.from_logits:
            return self.gradient_z(y_true, softmax(y_pred))
        y = self.one_hot(y_true, y_pred)
        return -y / xp.clip(y_pred, EPSILON, 1.0) / _count(y_pred.shape[:-1])

    def gradient_z(self, y_true, a):
        r"""dL/dz for a = softmax(z): the softmax Jacobian collapses.

        \[ \frac{\partial L}{\partial z} = \frac{a - y}{N} \]

        Parameters
        ----------
        y_true : array
            One-hot rows or integer labels.
        a : array
            The softmax outputs, (..., k).

        Returns
        -------
        array
            dL/dz, shaped like ``a``.
        """
        return (a - self.one_hot(y_true, a)) / _count(a.shape[:-1])

    def check_targets(self, y, output_shape):
        if np.ndim(y) == len(output_shape):  # one rank less than one-hot rows: integer labels
            return _class_labels(y, output_shape, self.name)
        return _as_host_targets(y, output_shape, 0, 1, self.name)


class SparseCategoricalCrossentropy(CategoricalCrossentropy):
    """Categorical cross-entropy with integer class labels (N,) instead of one-hot rows.

    Parameters
    ----------
    from_logits : bool, default False
        True when the predictions are logits rather than probabilities.
    label_smoothing : float, default 0.0
        ε in [0, 1), as for :class:`CategoricalCrossentropy`.
    """

    name = "sparse_categorical_crossentropy"

    def check_targets(self, y, output_shape):
        return _class_labels(y, output_shape, self.name)


class Hinge(Loss):
    r"""The hinge loss of support vector machines, with labels y in {-1, 1} (0 is read as -1, as Keras does).

    \[ L = \frac{1}{n} \sum \max(1 - y \hat y,\ 0), \qquad
       \frac{\partial L}{\partial \hat y} = \begin{cases} -y / n & \text{if } 1 - y \hat y > 0 \\ 0 & \text{otherwise} \end{cases} \]

    It takes no parameters.
    """

    name = "hinge"

    def __init__(self):
        super().__init__()

    def _signs(self, y_true):
        return backend.xp().where(y_true == 0, -1.0, y_true)

    def loss(self, y_true, y_pred):
        _check_same_shape(y_true, y_pred)
        xp = backend.xp()
        return xp.mean(xp.maximum(1 - self._signs(y_true) * y_pred, 0.0))

    def gradient(self, y_true, y_pred):
        _check_same_shape(y_true, y_pred)
        y = self._signs(y_true)
        return backend.xp().where(1 - y * y_pred > 0, -y, 0.0) / _count(y_pred.shape)

    def check_targets(self, y, output_shape):
        y, dtype = _as_host_targets(y, output_shape, -1, 1, self.name)
        if not np.all(np.isin(y, (-1.0, 0.0, 1.0))):
            raise ValueError(f"{self.name} expects labels -1 and 1 (or 0 for -1), got values such as "
                             f"{y[~np.isin(y, (-1.0, 0.0, 1.0))][0]!r}")
        return y, dtype



class Function(Loss):
    r"""A loss given as a Python function ``fn(y_true, y_pred)`` returning one loss per prediction
    (the last axis reduced), as Keras's loss functions do.

    \( L = \operatorname{mean}(\mathit{fn}(y, \hat y)) \). nnlib needs dL/dy_pred too, and a Python function does
    not give it, so it is estimated by central differences: output unit j of every sample
    moves by ±h at once, which is right because each sample's loss depends only on its own
    row; it costs two calls of ``fn`` per output unit.

    >>> from nnlib import backend
    >>> loss = Function(lambda y, p: ((p - y) ** 2).sum(axis=-1))  # one number per sample
    >>> y, p = backend.asarray([[0.0, 1.0]]), backend.asarray([[0.5, 0.5]])
    >>> print(f"{float(loss(y, p)):.2f}", [round(float(g), 4) for g in loss.gradient(y, p)[0]])
    0.50 [1.0, -1.0]

    Parameters
    ----------
    fn : callable
        ``fn(y_true, y_pred)`` returning an array of shape ``y_pred.shape[:-1]``.
    """

    name = "function"

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def per_sample(self, y_true, y_pred):
        """fn's losses, checked to be one per prediction: y_pred's shape without its last axis.

        Parameters
        ----------
        y_true : array
            Targets, passed to ``fn`` as they are.
        y_pred : array
            Predictions, shape (..., units).

        Returns
        -------
        array
            One loss per prediction.

        Raises
        ------
        ValueError
            If ``fn`` returns another shape.
        """
        values = self.fn(y_true, y_pred)
        shape, expected = tuple(getattr(values, "shape", ())), tuple(y_pred.shape[:-1])
        if shape != expected:
            raise ValueError(f"a loss function must return one loss per prediction, shape {expected} (the last "
                             f"axis reduced, as Keras's losses do), got shape {shape}")
        return values

    def loss(self, y_true, y_pred):
        return backend.xp().mean(self.per_sample(y_true, y_pred))

    def gradient(self, y_true, y_pred):
        r"""dL/dy_pred by central differences, one output unit j at a time:

        \[ \frac{\partial L}{\partial \hat y_{\dots j}} \approx
           \frac{\mathit{fn}(\hat y + h e_j) - \mathit{fn}(\hat y - h e_j)}{2h \cdot n} \]

        with n the number of predictions.

        Parameters
        ----------
        y_true : array
            The targets.
        y_pred : array
            The predictions.

        Returns
        -------
        array
            The estimated gradient, shaped like ``y_pred``.
        """
        xp = backend.xp()
        h = float(np.finfo(backend.get_dtype()).eps) ** (1 / 3)
        units = y_pred.shape[-1]
        columns = []
        for j in range(units):
            step = xp.astype(backend.arange(units) == j, y_pred.dtype) * h
            difference = self.per_sample(y_true, y_pred + step) - self.per_sample(y_true, y_pred - step)
            columns.append(difference / (2 * h))
        return xp.stack(columns, axis=-1) / _count(y_pred.shape[:-1])

    def get_config(self):
        raise ValueError("a model whose loss is a Python function cannot be saved; "
                         "compile it with a named loss to save it")


ALL = (MeanSquaredError, BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, Hinge)

_NAMES = {
    "mse": MeanSquaredError,
    "mean_squared_error": MeanSquaredError,
    "binary_crossentropy": BinaryCrossentropy,
    "categorical_crossentropy": CategoricalCrossentropy,
    "sparse_categorical_crossentropy": SparseCategoricalCrossentropy,
    "hinge": Hinge,
}


def get(identifier):
    """A loss from its name (e.g. "categorical_crossentropy"), a Loss class or object, or a
    function ``fn(y_true, y_pred)`` returning per-sample losses (see :class:`Function`).

    Parameters
    ----------
    identifier : str, Loss, type or callable
        A name ("mse", "mean_squared_error", "binary_crossentropy", "categorical_crossentropy",
        "sparse_categorical_crossentropy", "hinge"), a Loss object or class, or a function.

    Returns
    -------
    Loss
        The loss object.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the valid ones.
    """
    if callable(identifier) and not isinstance(identifier, (Loss, type)):
        return Function(identifier)
    return by_name("loss", identifier, _NAMES, Loss)
