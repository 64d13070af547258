"""``Sequential``: a stack of layers with the Keras training API on top of forward/backward.

Low level (for GANs, adversarial examples, custom loops)::

    a = model.forward(x, training=True)        # output of the last layer
    dx = model.backward(dL_da)                  # fills every layer's grads, returns dL/dx
    for name, param, grad in model.named_parameters():   # "dense/W", W, dW
        ...
    optimizer.step(model.parameter_gradient_pairs())

High level: ``compile``, ``fit``, ``evaluate``, ``predict``, ``summary``, ``save``.
``fit`` is one loop over ``train_step``, which is forward, loss, backward, step.

Model file (``save``/``load_model``): one NumPy ``.npz`` archive, read with
``allow_pickle=False``. Key ``"architecture"`` holds UTF-8 JSON as a uint8 array::

    {"format": "nnlib.Sequential", "version": 1, "name": ..., "seed": ...,
     "input_shape": [...], "layers": [{"class": "Dense", "config": {...}}, ...],
     "compile": {"optimizer": {"class", "config"}, "loss": {"class", "config"},
                 "metrics": [...]} or null}

and key ``"<layer name>/<param name>"`` (e.g. ``"dense/W"``, ``"residual/dense/W"``,
``"batch_normalization/moving_mean"``) holds each weight and each piece of layer state.
Optimizer state (Adam's moments) is not saved.

A loss that turns NaN or inf during ``fit`` stops training: ``fit`` warns with
:class:`TrainingDiverged` (suggesting a smaller learning rate), sets
``model.stop_training``, and returns the History so far, with the diverged epoch's
last running loss as its final entry.

>>> from nnlib.layers import Dense
>>> model = Sequential([Dense(4, activation="relu", input_shape=(2,)), Dense(1)])
>>> print(model.count_params(), [name for name, _, _ in model.named_parameters()])
17 ['dense/W', 'dense/b', 'dense_1/W', 'dense_1/b']
"""

import json
import math
import os
import sys
import tempfile
import warnings

import numpy as np

from . import backend, layers as layers_module, losses, optimizers
from ._arrays import host_array
from ._checks import describe, fraction, positive_int, shape_matches, shape_tuple, size
from ._lookup import from_config, to_config
from .callbacks import ProgressBar

METRICS = ("accuracy",)


class TrainingDiverged(RuntimeWarning):
    """Warned when the training loss becomes NaN or infinite."""


class History:
    """What ``fit`` returns: ``history`` maps "loss", "accuracy", "val_loss", ... to per-epoch lists."""

    def __init__(self):
        self.history = {}
        self.epoch = []

    def append(self, epoch, logs):
        self.epoch.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def __repr__(self):
        return f"History(epochs={len(self.epoch)}, keys={list(self.history)})"


def _batch_size(value):
    """Keras's rule: None means 32; anything else must be a positive integer."""
    return 32 if value is None else positive_int(value, "batch_size")


def _first_trainable(layers):
    """Index of the first layer with trainable parameters (its own or inside it); len(layers) if none."""
    return next((i for i, layer in enumerate(layers) if layer.count_trainable_params()), len(layers))


def _notify(callbacks, event, *args):
    for callback in callbacks:
        getattr(callback, event)(*args)


def _metric_names(metrics):
    """Keras's metrics argument (None, a name, or a list of names) as a list of nnlib's names."""
    if metrics is None:
        return []
    if isinstance(metrics, str):
        metrics = [metrics]
    names = []
    for metric in metrics:
        if not isinstance(metric, str):
            raise TypeError(f"metrics must be names such as 'accuracy', got {metric!r}")
        name = "accuracy" if metric.lower() in ("acc", "accuracy") else metric.lower()
        if name not in METRICS:
            raise ValueError(f"unknown metric {metric!r}; valid names: {', '.join(METRICS)}")
        names.append(name)
    return names


def _parameters_of(named_layers):
    """(name, parameter, gradient or None) for each trainable parameter of (path, layer) pairs,
    e.g. ("dense/W", W, dW): what a model's ``named_parameters`` returns."""
    return [(f"{path}/{key}", param, layer.grads.get(key))
            for path, layer in named_layers for key, param in layer.params.items()]


def _weights_of(named_layers):
    """(name, array) for each parameter and piece of state of (path, layer) pairs: what a
    model's ``named_weights`` returns, ``get_weights`` copies and ``save`` writes."""
    return [(f"{path}/{key}", array) for path, layer in named_layers
            for key, array in (*layer.params.items(), *layer.state.items())]


def _assign_weights(named_weights, weights, owner):
    """Copy ``weights`` into the arrays of ``named_weights`` in place (a model's ``set_weights``);
    a count or a shape that does not match is a ValueError naming ``owner`` or the weight."""
    weights = list(weights)
    if len(weights) != len(named_weights):
        raise ValueError(f"{owner} has {len(named_weights)} weight arrays "
                         f"({', '.join(n for n, _ in named_weights)}), got {len(weights)}")
    for (name, param), value in zip(named_weights, weights):
        if tuple(param.shape) != tuple(np.shape(value)):
            raise ValueError(f"{name} has shape {tuple(param.shape)}, got weights of shape {np.shape(value)}")
        param[...] = backend.asarray(value, dtype=str(param.dtype).split(".")[-1])

class Sequential:
    """A stack of layers, each feeding the next.

    ``seed`` seeds the ``numpy.random.Generator`` that initializes the weights and
    shuffles the batches, so the same seed trains the same network on every backend.

    Parameters
    ----------
    layers : list of Layer, optional
        The layers in order, input first. More can be appended with ``add``. None (the
        default) starts an empty model.
    name : str, optional
        The model's name in ``summary`` and error messages; None means "sequential".
    seed : int, default 0
        Seed of the random generator for the weights and the batch order.

    Raises
    ------
    TypeError
        If ``layers`` is a single layer instead of a list, or holds something that is not
        an nnlib layer.

    Examples
    --------
    >>> from nnlib.layers import Dense
    >>> model = Sequential([Dense(2, input_shape=(3,)), Dense(1)])
    >>> print([layer.name for layer in model.layers], model.output_shape())
    ['dense', 'dense_1'] (1,)
    """

    def __init__(self, layers=None, name=None, seed=0):
        self.name = name or "sequential"
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.layers = []
        self.input_shape = None
        self.optimizer = self.loss = None
        self.metrics = []
        self.stop_training = False
        self.history = None
        if isinstance(layers, layers_module.Layer):
            raise TypeError("Sequential takes a list of layers, got a single layer: use Sequential([layer])")
        for layer in layers or []:
            self.add(layer)

    # ----- structure -------------------------------------------------------------------

    def add(self, layer):
        """Append a layer, name it ("dense", "dense_1", ...) and build it if the input shape is known.

        Parameters
        ----------
        layer : Layer
            The layer to put on top of the stack. Its ``input_shape``, if it is the first
            layer and has one, becomes the model's.

        Raises
        ------
        TypeError
            If ``layer`` is not an nnlib layer.
        ValueError
            If its name is taken by a layer already in the model.
        """
        if not isinstance(layer, layers_module.Layer):
            raise TypeError(f"Sequential takes nnlib layers, got {layer!r}")
        layers_module.base.give_name(layer, {existing.name for existing in self.layers}, "the model")
        if not self.layers and getattr(layer, "input_shape", None) is not None:
            self.input_shape = tuple(layer.input_shape)
        self.layers.append(layer)
        if self.input_shape is not None:
            self.build(self.input_shape)

    def build(self, input_shape):
        """Create every layer's parameters for inputs of shape (batch, *input_shape).

        Parameters
        ----------
        input_shape : tuple of int
            One input's shape, without the batch axis, e.g. ``(2,)`` or ``(28, 28, 1)``;
            None for an axis of any length (the time axis of a sequence).

        Raises
        ------
        ValueError
            If the model is already built for another input shape.
        """
        shape = shape_tuple(input_shape)
        if self.input_shape is not None and self.built and shape != self.input_shape:
            raise ValueError(f"{self.name} is already built for inputs of shape {describe(self.input_shape)}, "
                             f"cannot build it again for {describe(shape)}")
        self.input_shape = shape
        for layer in self.layers:
            if not layer.built:
                layer.build(shape, self.rng)
            shape = layer.output_shape(shape)

    @property
    def built(self):
        return self.input_shape is not None and all(layer.built for layer in self.layers)

    def output_shape(self, input_shape=None):
        """Output shape without the batch axis, for the model's input shape or ``input_shape``.

        Parameters
        ----------
        input_shape : tuple of int, optional
            A concrete input shape without the batch axis, for a model whose own input shape
            has an axis of any length (None). By default the model's input shape.

        Returns
        -------
        tuple of int
            The shape of one output, e.g. ``(1,)``.
        """
        shape = self.input_shape if input_shape is None else tuple(input_shape)
        for layer in self.layers:
            shape = layer.output_shape(shape)
        return shape

    # ----- low-level API ---------------------------------------------------------------

    def forward(self, x, training=False):
        r"""Run x through every layer; each layer keeps what its backward pass needs.

        \[ a = f_L(\dots f_2(f_1(x))) \]

        Parameters
        ----------
        x : array
            A batch of inputs, shape (batch, *input_shape), on the active backend.
        training : bool, default False
            True during training: dropout drops units and batch normalization uses the
            batch's statistics.

        Returns
        -------
        array
            The last layer's output ``a``, shape (batch, *output_shape).
        """
        if not self.built:
            self.build(tuple(x.shape[1:]))
        for layer in self.layers:
            x = layer.forward(x, training=training)
        return x

    __call__ = forward

    def backward(self, grad, need_dx=True, layers=None):
        """Chain rule from the output back: takes dL/d(output), returns dL/d(input).

        Training needs no dL/d(input), so ``fit`` passes ``need_dx=False``: the pass then
        stops at the first layer with parameters, which fills its gradients but skips its
        own input gradient (for a first Dense layer, one of its two matrix products), and
        returns None.

        Parameters
        ----------
        grad : array
            dL/d(output), shaped like the model's output.
        need_dx : bool, default True
            Whether to go on to dL/d(input); False stops at the first layer with parameters.
        layers : list of Layer, optional
            The layers to run backward through, in forward order; all the model's by default.

        Returns
        -------
        array or None
            dL/d(input), shaped like the model's input; None when ``need_dx`` is False.
        """
        layers = self.layers if layers is None else layers
        first = 0 if need_dx else _first_trainable(layers)
        for layer in reversed(layers[first + 1:]):
            grad = layer.backward(grad)
        if first < len(layers):
            grad = layers[first].backward(grad, need_dx=need_dx)
        return grad if need_dx else None

    def named_parameters(self):
        """(name, parameter, gradient or None) for every trainable parameter, e.g. ("dense/W", W, dW).

        Layers inside layers are included, named by their path ("residual/dense/W").
        """
        return _parameters_of(layers_module.named_layers(self.layers))

    def named_weights(self):
        """(name, array) for every parameter and every piece of state (batch norm's running
        statistics), layer by layer: what ``get_weights`` returns and ``save`` writes."""
        return _weights_of(layers_module.named_layers(self.layers))

    def saved_weights(self):
        """``named_weights`` under the names a model file uses: a layer's ``saved_names`` (Keras's
        kernel, recurrent_kernel, bias for the recurrent layers' Wx, Wh, b), else its own."""
        return [(f"{path}/{layer.saved_names.get(key, key)}", array)
                for path, layer in layers_module.named_layers(self.layers)
                for key, array in (*layer.params.items(), *layer.state.items())]

    def parameters(self):
        return [param for _, param, _ in self.named_parameters()]

    def gradients(self):
        return [grad for _, _, grad in self.named_parameters()]

    def parameter_gradient_pairs(self):
        """(parameter, gradient) pairs, ready for ``optimizer.step``."""
        return [(param, grad) for _, param, grad in self.named_parameters()]

    def get_weights(self):
        """NumPy copies of all parameters and state, in ``named_weights`` order."""
        return [backend.to_numpy(array).copy() for _, array in self.named_weights()]

    def set_weights(self, weights):
        """Copy values into the parameters and state in place (optimizer state stays attached).

        Parameters
        ----------
        weights : list of array
            One array per entry of ``named_weights``, in that order and with those shapes,
            as ``get_weights`` returns them.

        Raises
        ------
        ValueError
            If the number of arrays or the shape of one does not match.
        """
        _assign_weights(self.named_weights(), weights, self.name)

    def count_params(self):
        return sum(layer.count_params() for layer in self.layers)

    # ----- compile and train -----------------------------------------------------------

    def compile(self, optimizer="rmsprop", loss=None, metrics=None):
        """Choose optimizer, loss and metrics, by name or as objects (Keras defaults: rmsprop).

        Parameters
        ----------
        optimizer : str or Optimizer, default "rmsprop"
            An optimizer object, or a name: "sgd", "adagrad", "rmsprop", "adam", "adamw".
        loss : str or Loss, optional
            A loss object, or a name such as "mse", "binary_crossentropy",
            "categorical_crossentropy". Needed before ``fit`` and ``evaluate``.
        metrics : str or list of str, optional
            Metrics to report beside the loss; "accuracy" (or "acc") is the one there is.

        Raises
        ------
        ValueError
            If a name is not one nnlib knows; the message lists the valid ones.
        """
        self.optimizer = optimizers.get(optimizer)
        self.loss = None if loss is None else losses.get(loss)
        self.metrics = _metric_names(metrics)
        self._warn_double_activation()

    def _warn_double_activation(self):
        """Keras's warning: from_logits=True on an output that already applies softmax or sigmoid."""
        if self.loss is None or not self.loss.from_logits or not self.layers:
            return
        last = self.layers[-1]
        kind = getattr(getattr(last, "activation", last), "kind", None)
        if kind in ("softmax", "sigmoid"):
            warnings.warn(f"the loss has from_logits=True but the output layer {last.name!r} already applies "
                          f"{kind}, so {kind} is applied twice; use from_logits=False, or a linear output",
                          UserWarning, stacklevel=3)

    def _fused_output(self):
        """The output layer when the loss's fused gradient dL/dz = (a - y) / N applies, else None.

        It applies to a Dense layer, or a bare activation layer, whose activation is the one
        the loss fuses with (softmax for categorical, sigmoid for binary cross-entropy).
        Any other layer with that activation (a recurrent or convolution layer) runs its own
        backward through the activation.
        """
        if self.loss is None or self.loss.fuses_with is None or self.loss.from_logits:
            return None
        last = self.layers[-1]
        if isinstance(last, layers_module.Dense):
            activation = last.activation
        elif isinstance(last, layers_module.Activation):
            activation = last
        else:
            return None
        return last if activation.kind == self.loss.fuses_with else None

    def compute_loss(self, y, y_pred):
        r"""Data loss plus every layer's weight penalty, a 0-d array.

        \[ L = \text{loss}(y, \hat y) + \sum_{\text{layers}} R(W) \]

        Parameters
        ----------
        y : array
            The batch's targets.
        y_pred : array
            The model's outputs for the batch, from ``forward``.

        Returns
        -------
        array
            The total loss, shape ().
        """
        total = self.loss(y, y_pred)
        for layer in self.layers:
            total = total + layer.regularization_loss()
        return total

    def backward_loss(self, y, y_pred, need_dx=True):
        """Backward from the loss: :meth:`backward` of dL/d(output) = ``loss.gradient(y, y_pred)``.

        Softmax (or sigmoid) at a Dense or activation output, with categorical (or binary)
        cross-entropy: the loss gives dL/dz = (a - y) / N directly (lesson 6), and the output
        layer, marked ``loss_gives_dz`` for this pass only, skips its activation's Jacobian.
        Returns dL/dx, or None with ``need_dx=False`` (see :meth:`backward`). The shortcut
        gives the gradient the full chain rule gives:

        >>> import numpy as np
        >>> from nnlib.layers import Dense
        >>> model = Sequential([Dense(3, activation="softmax", input_shape=(2,))])
        >>> model.compile("sgd", "categorical_crossentropy")
        >>> x, y = np.array([[0.5, -1.0], [2.0, 0.0]]), np.eye(3)[[0, 2]]
        >>> a = model.forward(x)
        >>> shortcut = model.backward_loss(y, a)
        >>> chain_rule = model.backward(model.loss.gradient(y, a))
        >>> print(np.allclose(shortcut, chain_rule, atol=1e-6))
        True

        Parameters
        ----------
        y : array
            The targets of the batch.
        y_pred : array
            The model's output for the batch, from :meth:`forward`.
        need_dx : bool, default True
            Whether to go on to dL/d(input) (see :meth:`backward`).

        Returns
        -------
        array or None
            dL/d(input); None when ``need_dx`` is False.
        """
        last = self._fused_output()
        if last is None:
            return self.backward(self.loss.gradient(y, y_pred), need_dx)
        with layers_module.base.loss_gives_dz(last):
            return self.backward(self.loss.gradient_z(y, y_pred), need_dx)

    def train_step(self, x, y):
        """One step of gradient descent on a batch: forward, loss, backward, optimizer step.

        Parameters
        ----------
        x : array
            A batch of inputs, on the active backend.
        y : array
            Their targets.

        Returns
        -------
        loss : array
            The batch's loss before the step, shape ().
        y_pred : array
            The model's outputs for the batch before the step.
        """
        y_pred = self.forward(x, training=True)
        loss = self.compute_loss(y, y_pred)
        self.backward_loss(y, y_pred, need_dx=False)
        self.optimizer.step(self.parameter_gradient_pairs())
        return loss, y_pred

    def _correct(self, y, y_pred):
        """Number of correct predictions in a batch (a 0-d array): argmax, or threshold for one output.

        A sequence model predicts at every time step; each step counts once, as in Keras.
        """
        xp = backend.xp()
        if y_pred.shape[-1] == 1:
            # One output: a probability (threshold 0.5), a logit or a hinge score (threshold 0).
            hinge = isinstance(self.loss, losses.Hinge)
            predicted = y_pred[..., 0] > (0.0 if self.loss.from_logits or hinge else 0.5)
            actual = (y[..., 0] if y.ndim == y_pred.ndim else y) > (0.0 if hinge else 0.5)
        else:
            predicted = xp.argmax(y_pred, axis=-1)
            actual = xp.argmax(y, axis=-1) if y.ndim == y_pred.ndim else xp.astype(y, predicted.dtype)
        return xp.sum(xp.astype(predicted == actual, xp.int64))

    def _inputs(self, X, what="X"):
        """X on the host, checked against the model: numbers, a batch axis, the input shape, some rows."""
        if not self.layers:
            raise ValueError(f"{self.name} has no layers: add some before training or predicting")
        weights = self.parameters()
        if weights and not backend.is_active_array(weights[0]):
            raise ValueError(f"{self.name}'s weights are {type(weights[0]).__module__.split('.')[0]} arrays but the "
                             f"active backend is {backend.get_backend()}: use the model under the backend it was "
                             f"built with, or build a new one here and copy the weights with set_weights")
        X = host_array(X, what)
        if X.ndim < 2:
            raise ValueError(f"{what} must have a batch axis and a feature axis, got shape {X.shape}")
        if not self.built:
            self.build(X.shape[1:])
        if not shape_matches(X.shape[1:], self.input_shape):
            raise ValueError(f"{self.name} expects inputs of shape {describe(self.input_shape)}, "
                             f"got {what} of shape {X.shape}")
        return X

    def _checked(self, X, y, prefix=""):
        """(X, y, dtype of y) on the host, validated; errors name them ``prefix`` X and y."""
        if self.loss is None:
            raise RuntimeError("call model.compile(optimizer=..., loss=...) before fit or evaluate")
        X = self._inputs(X, prefix + "X")
        y = host_array(y, prefix + "y")
        if y.ndim < 1 or len(y) != len(X):
            raise ValueError(f"{prefix}X has {len(X)} samples but {prefix}y has "
                             f"{len(y) if y.ndim else 'none (a scalar)'}")
        y, dtype = self.loss.check_targets(y, self.output_shape(X.shape[1:]))
        return X, y, dtype

    def _on_device(self, X, y, dtype, what):
        """X and y moved to the device once, after refusing a set with no rows (``what`` names the set)."""
        if len(X) == 0:
            raise ValueError(f"{what} has no samples")
        return backend.asarray(X), backend.asarray(y, dtype)

    def _batches(self, X, y, batch_size, order=None):
        """Mini-batches in ``order`` (row indices) or as stored; the last batch may be smaller."""
        xp = backend.xp()
        n = X.shape[0]
        for start in range(0, n, batch_size):
            stop = min(start + batch_size, n)  # the array API leaves out-of-bounds slices unspecified
            if order is None:
                yield X[start:stop, ...], y[start:stop, ...]
            else:
                # Gathering batch by batch copies less at once than shuffling all of X.
                index = backend.asarray(order[start:stop], dtype="int64")
                yield xp.take(X, index, axis=0), xp.take(y, index, axis=0)

    def _split(self, X, y, validation_data, validation_split):
        """(training set, validation set or None), each (X, y) on the device.

        ``validation_split`` holds out the last fraction of the samples (before
        shuffling, as Keras does).
        """
        X, y, dtype = self._checked(X, y)
        if validation_data is None and validation_split:
            n_train = int(len(X) * (1 - validation_split))
            split = f" after validation_split={validation_split:g} of {len(X)} samples"
            return (self._on_device(X[:n_train], y[:n_train], dtype, "the training data" + split),
                    self._on_device(X[n_train:], y[n_train:], dtype, "the validation data" + split))
        training = self._on_device(X, y, dtype, "the training data")
        if validation_data is None:
            return training, None
        if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
            raise ValueError(f"validation_data must be a pair (X_val, y_val), got {type(validation_data).__name__}")
        return training, self._on_device(*self._checked(*validation_data, "validation "), "the validation data")

    def fit(self, X, y, epochs=1, batch_size=None, validation_data=None, validation_split=0.0, shuffle=True,
            callbacks=None, verbose=1, seed=None):
        """Train for ``epochs`` passes over (X, y) in mini-batches.

        Each epoch is the loop of lesson 10: shuffle, then for each mini-batch forward,
        loss, backward and an optimizer step. Around it, ``fit`` adds validation after each
        epoch and the callbacks. If the loss becomes NaN or infinite, training stops with a
        :class:`TrainingDiverged` warning and the weights go back to those of the last
        epoch that ended finite.

        Parameters
        ----------
        X : array_like
            Training inputs, shape (n_samples, *input_shape).
        y : array_like
            Their targets: class indices, one-hot rows or values, as the loss expects.
        epochs : int, default 1
            Passes over the training data, a positive integer.
        batch_size : int, optional
            Samples per gradient step; None means 32, as in Keras.
        validation_data : tuple of array_like, optional
            A pair ``(X_val, y_val)`` evaluated after each epoch (``val_loss``, ...).
        validation_split : float, default 0.0
            Fraction in [0, 1) of the samples to hold out for validation instead: the last
            ones, taken before shuffling, as Keras does. Ignored if ``validation_data`` is given.
        shuffle : bool, default True
            Shuffle the samples before each epoch.
        callbacks : list of Callback, optional
            Called at the start and end of training, epochs and batches.
        verbose : int, default 1
            1 shows a progress bar per epoch, 0 nothing.
        seed : int, optional
            Seeds the batch order; by default it comes from the model's seed.

        Returns
        -------
        History
            The loss and metrics per epoch, also kept as ``model.history``.

        Raises
        ------
        ValueError
            If the data do not fit the model (shapes, sample counts, no samples), or
            ``epochs``, ``batch_size`` or ``validation_split`` are out of range.
        RuntimeError
            If the model was not compiled.
        """
        epochs = positive_int(epochs, "epochs")
        batch_size = _batch_size(batch_size)
        validation_split = fraction(validation_split, "validation_split")
        (X, y), validation = self._split(X, y, validation_data, validation_split)
        rng = self.rng if seed is None else np.random.default_rng(seed)
        callbacks = list(callbacks or [])
        for callback in callbacks:
            callback.set_model(self)
        self.history = history = History()
        self.stop_training = False
        progress = ProgressBar(epochs, math.ceil(X.shape[0] / batch_size), verbose)
        _notify(callbacks, "on_train_begin", None)
        for epoch in range(epochs):
            _notify(callbacks, "on_epoch_begin", epoch)
            progress.start(epoch)
            finite_weights = self.get_weights()
            order = rng.permutation(X.shape[0]) if shuffle else None
            logs = self._run_epoch(self._batches(X, y, batch_size, order), callbacks, progress)
            if self.stop_training:
                self._diverged(epoch, logs, finite_weights, validation)
            elif validation is not None:
                val = self.evaluate(*validation, batch_size=batch_size, _prepared=True)
                logs.update({"val_" + key: value for key, value in val.items()})
            history.append(epoch, logs)
            progress.end(logs)
            if self.stop_training:
                break
            _notify(callbacks, "on_epoch_end", epoch, logs)
            if self.stop_training:
                break
        _notify(callbacks, "on_train_end", None)
        return history

    def _run_epoch(self, batches, callbacks=(), progress=None):
        """One pass over the mini-batches: a train step on each; returns the epoch's running logs.

        Stops early, with ``stop_training`` set, at the first step whose loss is not finite.
        """
        seen = loss_sum = correct = predictions = 0
        logs = {}
        for step, (xb, yb) in enumerate(batches):
            loss, y_pred = self.train_step(xb, yb)
            n = xb.shape[0]
            seen += n
            loss_sum += float(loss) * n
            logs = {"loss": loss_sum / seen}
            if self.metrics:
                correct += int(self._correct(yb, y_pred))
                predictions += _predictions(y_pred)
                logs["accuracy"] = correct / predictions
            if not math.isfinite(float(loss)):
                self.stop_training = True
                self._divergence = (step, float(loss))
                break
            _notify(callbacks, "on_batch_end", step, logs)
            if progress is not None:
                progress.update(step + 1, logs)
        return logs

    def _diverged(self, epoch, logs, finite_weights, validation):
        """Warn, put back the weights of the last finite epoch, and mark validation as NaN."""
        step, loss = self._divergence
        learning_rate = self.optimizer.current_learning_rate()
        self.set_weights(finite_weights)
        if validation is not None:
            logs.update({"val_" + key: math.nan for key in list(logs)})
        where = f"epoch {epoch}" if epoch else "the start of training"
        warnings.warn(
            f"training diverged at epoch {epoch + 1}, step {step + 1}: the loss became {loss}; "
            f"try a smaller learning rate (now {learning_rate:g}). The weights are those of {where}",
            TrainingDiverged, stacklevel=3)

    def evaluate(self, X, y, batch_size=None, verbose=0, _prepared=False):
        """Loss (and metrics) over (X, y), in inference mode.

        Parameters
        ----------
        X : array_like
            Inputs, shape (n_samples, *input_shape).
        y : array_like
            Their targets.
        batch_size : int, optional
            Samples per forward pass; None means 32.
        verbose : int, default 0
            1 prints the results.

        Returns
        -------
        float or list of float
            The mean loss, or ``[loss, accuracy]`` when compiled with metrics.

        Raises
        ------
        ValueError
            If the data do not fit the model.
        """
        batch_size = _batch_size(batch_size)
        if not _prepared:
            X, y = self._on_device(*self._checked(X, y), "the data given to evaluate")
        loss_sum = correct = predictions = 0
        for xb, yb in self._batches(X, y, batch_size):
            y_pred = self.forward(xb)
            loss_sum += float(self.compute_loss(yb, y_pred)) * xb.shape[0]
            if self.metrics:
                correct += int(self._correct(yb, y_pred))
                predictions += _predictions(y_pred)
        n = X.shape[0]
        results = {"loss": loss_sum / n, **({"accuracy": correct / predictions} if self.metrics else {})}
        if verbose:
            print(" - ".join(f"{key}: {value:.4f}" for key, value in results.items()), file=sys.stderr)
        if _prepared:
            return results
        return results["loss"] if not self.metrics else list(results.values())

    def predict(self, X, batch_size=None):
        """Outputs for X (inference mode), as a NumPy array; X is checked as ``fit`` checks it.

        Parameters
        ----------
        X : array_like
            Inputs, shape (n_samples, *input_shape).
        batch_size : int, optional
            Samples per forward pass; None means 32.

        Returns
        -------
        numpy.ndarray
            The outputs, shape (n_samples, *output_shape).

        Raises
        ------
        ValueError
            If X has no samples or does not fit the model's input shape.
        """
        batch_size = _batch_size(batch_size)
        X = self._inputs(X)
        if len(X) == 0:
            raise ValueError("predict got X with no samples")
        X = backend.asarray(X)
        n = X.shape[0]
        outputs = [backend.to_numpy(self.forward(X[start:min(start + batch_size, n), ...]))
                   for start in range(0, n, batch_size)]
        return np.concatenate(outputs)

    # ----- summary and files -----------------------------------------------------------

    def summary(self, print_fn=print):
        """Print a Keras-style table of layers, output shapes and parameter counts.

        Parameters
        ----------
        print_fn : callable, default print
            Called once with the whole table as a string.

        Raises
        ------
        ValueError
            If the model is not built yet (no input shape known).
        """
        if not self.built:
            raise ValueError("the model is not built yet: give the first layer input_shape=, or call build()")
        labels = [f"{layer.name} ({type(layer).__name__})" for layer in self.layers]
        # Keras's column widths, widened when a long layer name would push the table askew.
        width = (max(29, *(len(label) + 1 for label in labels)), 26, 12)
        rule = "_" * sum(width)
        lines = [f'Model: "{self.name}"', rule,
                 f"{'Layer (type)':<{width[0]}}{'Output Shape':<{width[1]}}{'Param #':>{width[2]}}", "=" * sum(width)]
        shape = self.input_shape
        for label, layer in zip(labels, self.layers):
            shape = layer.output_shape(shape)
            shown = "(None, " + ", ".join(map(str, shape)) + ")"
            lines.append(f"{label:<{width[0]}}{shown:<{width[1]}}{layer.count_params():>{width[2]},}")
        total = self.count_params()
        trainable = sum(layer.count_trainable_params() for layer in self.layers)
        lines += ["=" * sum(width), f"Total params: {total:,}", f"Trainable params: {trainable:,}",
                  f"Non-trainable params: {total - trainable:,}", rule]
        print_fn("\n".join(lines))

    def get_config(self):
        compiled = None
        if self.loss is not None:
            compiled = {"optimizer": to_config(self.optimizer), "loss": to_config(self.loss), "metrics": self.metrics}
        return {"format": "nnlib.Sequential", "version": 1, "name": self.name, "seed": self.seed,
                "input_shape": None if self.input_shape is None else list(self.input_shape),
                "layers": [to_config(layer) for layer in self.layers], "compile": compiled}

    def save(self, path):
        """Write architecture and weights to one ``.npz`` file (layout in the module docstring).

        The file is written whole or not at all: into a temporary file in the same folder,
        flushed to disk, then renamed over ``path`` in one step, so a save that is
        interrupted (an error, a killed process) leaves the previous file as it was.

        Parameters
        ----------
        path : str or os.PathLike
            The file to write, conventionally ending in ``.npz``.

        Raises
        ------
        ValueError
            If the model is not built, a layer's configuration cannot be written, or two
            weights share a name.
        """
        if not self.built:
            raise ValueError("build the model (fit it, or give input_shape=) before saving it")
        try:
            architecture = np.frombuffer(json.dumps(self.get_config()).encode("utf-8"), dtype=np.uint8)
        except TypeError as error:
            raise ValueError(f"{self.name} cannot be saved: {error}") from None
        weights = {}
        for name, array in self.saved_weights():
            if name in weights or name == "architecture":
                raise ValueError(f"two weights of {self.name} are both named {name!r}; give the layers unique names")
            weights[name] = backend.to_numpy(array)
        _write_atomically(os.fspath(path), lambda f: np.savez(f, architecture=architecture, **weights))


def _write_atomically(path, write):
    """Call ``write(file)`` on a temporary file beside ``path``, then rename it to ``path``.

    ``os.replace`` is atomic: a reader sees the old file or the new one, never half of one.
    """
    folder, name = os.path.split(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)  # mkstemp's file is private (0600); give it a normal file's mode
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _predictions(y_pred):
    """How many predictions a batch of outputs holds: one per example, or one per time step."""
    return size(y_pred.shape[:-1])


def load_model(path):
    """Rebuild a model saved with ``Sequential.save``.

    Any fault of the file (not an nnlib archive, a corrupt architecture, weights that do
    not fit it) is a ValueError naming the file and what is wrong with it; a missing file
    is FileNotFoundError.

    Parameters
    ----------
    path : str or os.PathLike
        A file written by ``Sequential.save``.

    Returns
    -------
    Sequential
        The model with its layers, weights and compile settings (optimizer state is not saved).

    Raises
    ------
    ValueError
        If the file is not an nnlib model file or does not match its architecture.
    FileNotFoundError
        If there is no such file.

    Examples
    --------
    >>> import os, tempfile
    >>> from nnlib.layers import LSTM
    >>> model = Sequential([LSTM(2, input_shape=(None, 3))])
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     model.save(os.path.join(folder, "model.npz"))
    ...     copy = load_model(os.path.join(folder, "model.npz"))
    >>> print(copy.input_shape, all((a == b).all() for a, b in zip(copy.get_weights(), model.get_weights())))
    (None, 3) True
    """
    arrays = _read_archive(path)
    if "architecture" not in arrays:
        raise ValueError(f"{path} is not an nnlib model file: it has no 'architecture' entry")
    try:
        model = _from_architecture(arrays.pop("architecture"))
    except Exception as error:  # whatever a crafted file makes the rebuilding raise
        raise ValueError(f"{path} has a corrupt or unsupported architecture: {error!r}") from None
    expected = [name for name, _ in model.saved_weights()]
    if sorted(expected) != sorted(arrays):
        raise ValueError(f"{path} does not match its architecture: weights {sorted(arrays)}, "
                         f"expected {sorted(expected)}")
    try:
        model.set_weights([arrays[name] for name in expected])
    except (TypeError, ValueError) as error:
        raise ValueError(f"{path} does not match its architecture: {error}") from None
    return model


def _read_archive(path):
    """The arrays of an ``.npz`` file, read without unpickling anything."""
    try:
        loaded = np.load(path, allow_pickle=False)
    except FileNotFoundError:
        raise
    except Exception as error:
        raise ValueError(f"{path} is not a readable nnlib model file ({error})") from None
    if not isinstance(loaded, np.lib.npyio.NpzFile):
        raise ValueError(f"{path} is not a readable nnlib model file: it holds a single "
                         f"{type(loaded).__name__}, not an .npz archive")
    try:
        with loaded as archive:
            return {key: archive[key] for key in archive.files}
    except Exception as error:
        raise ValueError(f"{path} is not a readable nnlib model file ({error})") from None


def _from_architecture(encoded):
    """A model from the architecture entry: UTF-8 JSON, as written by ``Sequential.save``."""
    config = json.loads(encoded.tobytes().decode("utf-8"))
    if not isinstance(config, dict) or config.get("format") != "nnlib.Sequential":
        raise ValueError(f"unknown format {config.get('format') if isinstance(config, dict) else config!r}")
    model = Sequential(name=config["name"], seed=config["seed"])
    for spec in config["layers"]:
        model.add(from_config("layer", spec, layers_module.ALL))
    if config["input_shape"] is not None:
        model.build(config["input_shape"])
    if config["compile"] is not None:
        compiled = config["compile"]
        model.compile(from_config("optimizer", compiled["optimizer"], optimizers.ALL),
                      from_config("loss", compiled["loss"], losses.ALL), compiled["metrics"])
    return model
