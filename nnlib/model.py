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
import sys
import warnings
import zipfile

import numpy as np

from . import backend, layers as layers_module, losses, optimizers
from .callbacks import ProgressBar
from ._lookup import from_config, to_config

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


def _host_array(a, what):
    """``a`` as a NumPy array, refusing NaN and inf before any training happens."""
    a = backend.to_numpy(a) if hasattr(a, "shape") else np.asarray(a)
    # A NaN or inf makes the sum NaN or inf, so a finite sum clears the data in one cheap pass;
    # only a sum that is not finite (bad values, or huge ones overflowing) needs the full check.
    with np.errstate(over="ignore", invalid="ignore"):
        sum_is_finite = np.isfinite(np.sum(a)) if a.dtype.kind in "fc" else True
    if not sum_is_finite and not np.all(np.isfinite(a)):
        bad = int(np.sum(~np.isfinite(a)))
        raise ValueError(f"{what} contains {bad} NaN or infinite value(s); clean or impute them before training")
    return a


def _positive_int(value, what):
    if isinstance(value, bool) or int(value) != value or value < 1:
        raise ValueError(f"{what} must be a positive integer, got {value!r}")
    return int(value)


def _first_trainable(layers):
    """Index of the first layer with trainable parameters (its own or inside it); len(layers) if none."""
    return next((i for i, layer in enumerate(layers) if layer.count_trainable_params()), len(layers))


def _notify(callbacks, event, *args):
    for callback in callbacks:
        getattr(callback, event)(*args)


class Sequential:
    """A stack of layers, each feeding the next.

    ``seed`` seeds the ``numpy.random.Generator`` that initializes the weights and
    shuffles the batches, so the same seed trains the same network on every backend.
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
        for layer in layers or []:
            self.add(layer)

    # ----- structure -------------------------------------------------------------------

    def add(self, layer):
        """Append a layer, name it ("dense", "dense_1", ...) and build it if the input shape is known."""
        layers_module.base.give_name(layer, {existing.name for existing in self.layers}, "the model")
        if not self.layers and getattr(layer, "input_shape", None) is not None:
            self.input_shape = tuple(layer.input_shape)
        self.layers.append(layer)
        if self.input_shape is not None:
            self.build(self.input_shape)

    def build(self, input_shape):
        """Create every layer's parameters for inputs of shape (batch, *input_shape)."""
        self.input_shape = shape = tuple(input_shape)
        for layer in self.layers:
            if not layer.built:
                layer.build(shape, self.rng)
            shape = layer.output_shape(shape)

    @property
    def built(self):
        return self.input_shape is not None and all(layer.built for layer in self.layers)

    def output_shape(self):
        """Output shape without the batch axis."""
        shape = self.input_shape
        for layer in self.layers:
            shape = layer.output_shape(shape)
        return shape

    # ----- low-level API ---------------------------------------------------------------

    def forward(self, x, training=False):
        """Run x through every layer; each layer keeps what its backward pass needs."""
        if not self.built:
            self.build(tuple(x.shape[1:]))
        for layer in self.layers:
            x = layer.forward(x, training=training)
        return x

    __call__ = forward

    def backward(self, grad, layers=None, input_gradient=True):
        """Chain rule from the output back: takes dL/d(output), returns dL/d(input).

        Training needs no dL/d(input), so ``fit`` passes ``input_gradient=False``: the pass
        then stops at the first layer with parameters, which fills its gradients but skips
        its own input gradient (for a first Dense layer, one of its two matrix products),
        and returns None.
        """
        layers = self.layers if layers is None else layers
        if input_gradient:
            for layer in reversed(layers):
                grad = layer.backward(grad)
            return grad
        first = _first_trainable(layers)
        for layer in reversed(layers[first + 1:]):
            grad = layer.backward(grad)
        if first < len(layers):
            layers[first].backward_parameters(grad)
        return None

    def named_parameters(self):
        """(name, parameter, gradient or None) for every trainable parameter, e.g. ("dense/W", W, dW).

        Layers inside layers are included, named by their path ("residual/dense/W").
        """
        return [(f"{path}/{key}", param, layer.grads.get(key))
                for path, layer in layers_module.named_layers(self.layers) for key, param in layer.params.items()]

    def named_weights(self):
        """(name, array) for every parameter and every piece of state (batch norm's running
        statistics), layer by layer: what ``get_weights`` returns and ``save`` writes."""
        return [(f"{path}/{key}", array) for path, layer in layers_module.named_layers(self.layers)
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
        """Copy values into the parameters and state in place (optimizer state stays attached)."""
        for (name, param), value in zip(self.named_weights(), weights, strict=True):
            if tuple(param.shape) != tuple(np.shape(value)):
                raise ValueError(f"{name} has shape {tuple(param.shape)}, got weights of shape {np.shape(value)}")
            param[...] = backend.asarray(value, dtype=str(param.dtype).split(".")[-1])

    def count_params(self):
        return sum(layer.count_params() for layer in self.layers)

    # ----- compile and train -----------------------------------------------------------

    def compile(self, optimizer="rmsprop", loss=None, metrics=None):
        """Choose optimizer, loss and metrics, by name or as objects (Keras defaults: rmsprop)."""
        self.optimizer = optimizers.get(optimizer)
        self.loss = losses.get(loss)
        self.metrics = [m.lower() for m in metrics or []]
        for metric in self.metrics:
            if metric not in METRICS and metric != "acc":
                raise ValueError(f"unknown metric {metric!r}; valid names: {', '.join(METRICS)}")
        self.metrics = ["accuracy" if m == "acc" else m for m in self.metrics]

    def _fused_output(self):
        """The last layer when its activation matches the loss (softmax + cross-entropy), else None."""
        if self.loss is None or self.loss.fuses_with is None or self.loss.from_logits:
            return None
        last = self.layers[-1]
        activation = getattr(last, "activation", last)
        return last if activation.kind == self.loss.fuses_with else None

    def compute_loss(self, y, y_pred):
        """Data loss plus every layer's weight penalty, a 0-d array."""
        total = self.loss(y, y_pred)
        for layer in self.layers:
            total = total + layer.regularization_loss()
        return total

    def backward_loss(self, y, y_pred, input_gradient=True):
        """Backward from the loss, using the fused gradient dL/dz = (a - y) / N where it applies.

        Returns dL/dx, or None with ``input_gradient=False`` (see :meth:`backward`).
        """
        last = self._fused_output()
        if last is None:
            return self.backward(self.loss.gradient(y, y_pred), input_gradient=input_gradient)
        dz = self.loss.gradient_z(y, y_pred)
        if not hasattr(last, "backward_from_z"):  # a Softmax layer of its own: dz is its input's gradient
            return self.backward(dz, self.layers[:-1], input_gradient)
        if not input_gradient and _first_trainable(self.layers) == len(self.layers) - 1:
            return last.backward_from_z(dz, input_gradient=False)
        return self.backward(last.backward_from_z(dz), self.layers[:-1], input_gradient)

    def train_step(self, x, y):
        """One step of gradient descent on a batch; returns (loss, y_pred)."""
        y_pred = self.forward(x, training=True)
        loss = self.compute_loss(y, y_pred)
        self.backward_loss(y, y_pred, input_gradient=False)
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

    def _prepare(self, X, y):
        """Validate on the host, then move X and y to the device once."""
        if self.loss is None:
            raise RuntimeError("call model.compile(optimizer=..., loss=...) before fit or evaluate")
        X = _host_array(X, "X")
        y = _host_array(y, "y")
        if X.ndim < 2:
            raise ValueError(f"X must have a batch axis and a feature axis, got shape {X.shape}")
        if len(y) != len(X):
            raise ValueError(f"X has {len(X)} samples but y has {len(y)}")
        if not self.built:
            self.build(X.shape[1:])
        if tuple(X.shape[1:]) != self.input_shape:
            raise ValueError(f"{self.name} expects inputs of shape (batch, {', '.join(map(str, self.input_shape))}), "
                             f"got shape {X.shape}")
        y, dtype = self.loss.check_targets(y, self.output_shape())
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

    def fit(self, X, y, epochs=1, batch_size=32, validation_data=None, validation_split=0.0, shuffle=True,
            callbacks=None, verbose=1, seed=None):
        """Train for ``epochs`` passes over (X, y) in mini-batches; returns a :class:`History`.

        ``validation_split`` holds out the last fraction of the samples (before
        shuffling, as Keras does). ``seed`` fixes the batch order; by default it
        comes from the model's seed.
        """
        epochs = _positive_int(epochs, "epochs")
        batch_size = _positive_int(batch_size, "batch_size")
        if not 0 <= validation_split < 1:
            raise ValueError(f"validation_split must be in [0, 1), got {validation_split!r}")
        if validation_split and validation_data is None:
            n_train = int(len(X) * (1 - validation_split))
            validation_data = (X[n_train:], y[n_train:])
            X, y = X[:n_train], y[:n_train]
        X, y = self._prepare(X, y)
        if validation_data is not None:
            X_val, y_val = self._prepare(*validation_data)
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
            order = rng.permutation(X.shape[0]) if shuffle else None
            seen = loss_sum = correct = predictions = 0
            for step, (xb, yb) in enumerate(self._batches(X, y, batch_size, order)):
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
                    warnings.warn(
                        f"training diverged at epoch {epoch + 1}, step {step + 1}: the loss became {float(loss)}; "
                        f"try a smaller learning rate (now {self.optimizer.current_learning_rate():g})",
                        TrainingDiverged, stacklevel=2)
                    break
                _notify(callbacks, "on_batch_end", step, logs)
                progress.update(step + 1, logs)
            if not self.stop_training and validation_data is not None:
                val = self.evaluate(X_val, y_val, batch_size=batch_size, _prepared=True)
                logs.update({"val_" + key: value for key, value in val.items()})
            history.append(epoch, logs)
            progress.end(logs)
            if not self.stop_training:
                _notify(callbacks, "on_epoch_end", epoch, logs)
            if self.stop_training:
                break
        _notify(callbacks, "on_train_end", None)
        return history

    def evaluate(self, X, y, batch_size=32, verbose=0, _prepared=False):
        """Loss (and metrics) over (X, y): a float, or [loss, accuracy] when compiled with metrics."""
        batch_size = _positive_int(batch_size, "batch_size")
        if not _prepared:
            X, y = self._prepare(X, y)
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

    def predict(self, X, batch_size=32):
        """Outputs for X (inference mode), as a NumPy array."""
        batch_size = _positive_int(batch_size, "batch_size")
        X = backend.asarray(_host_array(X, "X"))
        n = X.shape[0]
        outputs = [backend.to_numpy(self.forward(X[start:min(start + batch_size, n), ...]))
                   for start in range(0, n, batch_size)]
        return np.concatenate(outputs)

    # ----- summary and files -----------------------------------------------------------

    def summary(self, print_fn=print):
        """Print a Keras-style table of layers, output shapes and parameter counts."""
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
        """Write architecture and weights to one ``.npz`` file (layout in the module docstring)."""
        if not self.built:
            raise ValueError("build the model (fit it, or give input_shape=) before saving it")
        architecture = np.frombuffer(json.dumps(self.get_config()).encode("utf-8"), dtype=np.uint8)
        weights = {name: backend.to_numpy(array) for name, array in self.named_weights()}
        with open(path, "wb") as f:
            np.savez(f, architecture=architecture, **weights)


def _predictions(y_pred):
    """How many predictions a batch of outputs holds: one per example, or one per time step."""
    return math.prod(y_pred.shape[:-1])


def load_model(path):
    """Rebuild a model saved with ``Sequential.save``; errors name what is wrong with the file."""
    try:
        with np.load(path, allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except FileNotFoundError:
        raise
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"{path} is not a readable nnlib model file ({error})") from None
    if "architecture" not in arrays:
        raise ValueError(f"{path} is not an nnlib model file: it has no 'architecture' entry")
    try:
        config = json.loads(arrays.pop("architecture").tobytes().decode("utf-8"))
        if config.get("format") != "nnlib.Sequential":
            raise ValueError(f"unknown format {config.get('format')!r}")
        model = Sequential(name=config["name"], seed=config["seed"])
        for spec in config["layers"]:
            model.add(from_config("layer", spec, layers_module.ALL))
        if config["input_shape"] is not None:
            model.build(config["input_shape"])
        if config["compile"] is not None:
            compiled = config["compile"]
            model.compile(from_config("optimizer", compiled["optimizer"], optimizers.ALL),
                          from_config("loss", compiled["loss"], losses.ALL), compiled["metrics"])
    except (KeyError, TypeError, UnicodeDecodeError, json.JSONDecodeError, ValueError) as error:
        raise ValueError(f"{path} has a corrupt or unsupported architecture: {error!r}") from None
    expected = {name: array for name, array in model.named_weights()}
    if set(expected) != set(arrays):
        raise ValueError(f"{path} does not match its architecture: weights {sorted(arrays)}, "
                         f"expected {sorted(expected)}")
    model.set_weights([arrays[name] for name in expected])
    return model
