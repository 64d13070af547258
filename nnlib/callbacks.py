"""Callbacks: code that ``fit`` calls at the start and end of training, epochs and batches.

``Recorder`` snapshots a network while it trains, for figures and animations.
A recording is one NumPy ``.npz`` file (no pickle) with S snapshots stacked on
the first axis:

| key | shape | meaning |
| --- | --- | --- |
| ``step`` | (S,) | optimizer steps taken (0 = before training) |
| ``epoch`` | (S,) | epoch during which the snapshot was taken |
| ``loss`` | (S,) | running mean training loss of that epoch (NaN at step 0) |
| ``layers`` | (L,) | layer names, in order (str) |
| ``<layer>/<param>`` | (S, *param.shape) | parameter values, e.g. ``dense/W`` |
| ``<layer>/d<param>`` | (S, *param.shape) | their last gradients, e.g. ``dense/dW`` (0 at step 0) |
| ``<layer>/a`` | (S, B, ...) | the layer's output on ``inputs`` (if given) |
| ``inputs`` | (B, ...) | the fixed sample batch (if given) |
| ``grid/x``, ``grid/y`` | (n,), (n,) | grid coordinates (if ``grid=`` given) |
| ``grid/output`` | (S, n, n, k) | model output at (grid/x[j], grid/y[i]) in [:, i, j] |

A snapshot is taken before training, every ``every`` optimizer steps, and at the
end of each epoch. Read a file back with :func:`load_recording`.
"""

import sys
import time
import warnings

import numpy as np

from . import backend
from ._checks import positive_int


class Callback:
    """Base class; override the events you need. ``self.model`` is set by ``fit``.

    The events, in the order ``fit`` calls them, with ``logs`` a dict such as
    ``{"loss": 0.31, "accuracy": 0.9}`` (None where nothing is known yet):

    - ``on_train_begin(logs)``, once;
    - ``on_epoch_begin(epoch, logs)``, with ``epoch`` counted from 0;
    - ``on_batch_end(step, logs)`` after every optimizer step (``step`` counted from 0 in
      each epoch), with the epoch's running means;
    - ``on_epoch_end(epoch, logs)``, with the epoch's means and the validation results;
    - ``on_train_end(logs)``, once.

    Setting ``self.model.stop_training = True`` in ``on_epoch_end`` ends training after that
    epoch, as :class:`EarlyStopping` does.
    """

    model = None

    def set_model(self, model):
        self.model = model

    def on_train_begin(self, logs=None):
        pass

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_batch_end(self, step, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs.

    "Improved" means lower, except for accuracy metrics (higher). With
    ``restore_best_weights`` the model gets the weights of its best epoch back
    when training stops early.

    Parameters
    ----------
    monitor : str, default "val_loss"
        The log to watch: "loss", "val_loss", "accuracy", "val_accuracy".
    patience : int, default 0
        Epochs without improvement before stopping.
    min_delta : float, default 0.0
        The smallest change that counts as an improvement (its sign is ignored).
    restore_best_weights : bool, default False
        Put back the best epoch's weights when stopping early.
    """

    def __init__(self, monitor="val_loss", patience=0, min_delta=0.0, restore_best_weights=False):
        self.monitor, self.patience, self.min_delta = monitor, patience, abs(min_delta)
        self.restore_best_weights = restore_best_weights
        self.sign = -1 if "acc" in monitor else 1  # compare sign * value, lower is better

    def on_train_begin(self, logs=None):
        self.best, self.wait, self.best_weights, self.stopped_epoch = np.inf, 0, None, None

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor not in logs:
            warnings.warn(f"EarlyStopping: {self.monitor!r} is not among the logs {sorted(logs)}", stacklevel=2)
            return
        current = self.sign * logs[self.monitor]
        if current < self.best - self.min_delta:
            self.best, self.wait = current, 0
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            self.model.stop_training = True
            if self.best_weights is not None:
                self.model.set_weights(self.best_weights)


class LearningRateScheduler(Callback):
    """At each epoch start, set the learning rate to ``schedule(epoch, current_learning_rate)``.

    Parameters
    ----------
    schedule : callable
        ``schedule(epoch, learning_rate)`` returning the new learning rate, a positive number.
    """

    def __init__(self, schedule):
        self.schedule = schedule

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        optimizer.learning_rate = float(self.schedule(epoch, optimizer.current_learning_rate()))


class Recording:
    """A recording's arrays by key (see the module docstring), with shortcuts.

    ``rec["dense/W"]``, ``rec.step``, ``rec.epoch``, ``rec.loss``, ``rec.layers``.

    Parameters
    ----------
    arrays : dict
        Arrays by key, as in the table above.
    """

    def __init__(self, arrays):
        self.arrays = dict(arrays)

    def __getitem__(self, key):
        return self.arrays[key]

    def __contains__(self, key):
        return key in self.arrays

    def keys(self):
        return self.arrays.keys()

    step = property(lambda self: self.arrays["step"])
    epoch = property(lambda self: self.arrays["epoch"])
    loss = property(lambda self: self.arrays["loss"])
    layers = property(lambda self: [str(name) for name in self.arrays["layers"]])

    def __len__(self):
        return len(self.step)

    def save(self, path):
        with open(path, "wb") as f:
            np.savez_compressed(f, **self.arrays)


def load_recording(path):
    """Read a recording written by ``Recorder`` (or ``Recording.save``).

    Parameters
    ----------
    path : str or os.PathLike
        The ``.npz`` file.

    Returns
    -------
    Recording
        Its arrays.
    """
    with np.load(path, allow_pickle=False) as archive:
        return Recording({key: archive[key] for key in archive.files})


class Recorder(Callback):
    """Snapshot weights, gradients, activations (on ``inputs``) and grid outputs while training.

    ``recorder.recording`` gives a :class:`Recording` at any time.

    Parameters
    ----------
    path : str or os.PathLike, optional
        If given, the recording is written there at the end of training.
    every : int, default 10
        Snapshot every this many optimizer steps (and at each epoch end); a positive integer.
    grid : tuple, optional
        ``(xmin, xmax, ymin, ymax, n)`` for models with 2-D input: the output on an n × n
        grid, for decision boundaries.
    inputs : array_like, optional
        A fixed batch whose activations are recorded at every snapshot.

    Raises
    ------
    ValueError
        If ``every`` is not a positive integer.
    """

    def __init__(self, path=None, every=10, grid=None, inputs=None):
        self.path, self.every, self.grid = path, positive_int(every, "Recorder every"), grid
        self.inputs = None if inputs is None else np.asarray(inputs)
        self.snapshots = []
        self.epoch = 0
        if grid is not None:
            xmin, xmax, ymin, ymax, n = grid
            self.grid_x, self.grid_y = np.linspace(xmin, xmax, int(n)), np.linspace(ymin, ymax, int(n))
            xx, yy = np.meshgrid(self.grid_x, self.grid_y)  # xx[i, j] = grid_x[j], yy[i, j] = grid_y[i]
            self.grid_points = np.stack([xx.ravel(), yy.ravel()], axis=1)

    def snapshot(self, loss):
        model = self.model
        step = model.optimizer.iterations if model.optimizer else 0
        if self.snapshots and self.snapshots[-1]["step"] == step:
            return
        snap = {"step": step, "epoch": self.epoch, "loss": loss}
        for name, param, grad in model.named_parameters():
            layer, key = name.rsplit("/", 1)
            snap[name] = backend.to_numpy(param).copy()
            snap[f"{layer}/d{key}"] = np.zeros(param.shape) if grad is None else backend.to_numpy(grad).copy()
        if self.inputs is not None:
            a = backend.asarray(self.inputs)
            for layer in model.layers:
                a = layer.forward(a)
                snap[f"{layer.name}/a"] = backend.to_numpy(a).copy()
        if self.grid is not None:
            n = len(self.grid_x)
            snap["grid/output"] = model.predict(self.grid_points, batch_size=4096).reshape(n, n, -1)
        self.snapshots.append(snap)

    def on_train_begin(self, logs=None):
        self.snapshot(np.nan)

    def on_epoch_begin(self, epoch, logs=None):
        self.epoch = epoch

    def on_batch_end(self, step, logs=None):
        if self.model.optimizer.iterations % self.every == 0:
            self.snapshot(logs["loss"])

    def on_epoch_end(self, epoch, logs=None):
        self.snapshot(logs["loss"])

    def on_train_end(self, logs=None):
        if self.path is not None:
            self.recording.save(self.path)

    @property
    def recording(self):
        arrays = {key: np.stack([np.asarray(s[key]) for s in self.snapshots]) for key in self.snapshots[0]}
        arrays["layers"] = np.array([layer.name for layer in self.model.layers])
        if self.inputs is not None:
            arrays["inputs"] = self.inputs
        if self.grid is not None:
            arrays["grid/x"], arrays["grid/y"] = self.grid_x, self.grid_y
        return Recording(arrays)


class ProgressBar:
    """The ``verbose=1`` display of ``fit``, on standard error: one bar per epoch with running logs.

    Parameters
    ----------
    epochs : int
        Epochs in the run, for "Epoch 3/10".
    steps : int
        Batches per epoch, the bar's length.
    verbose : int, default 1
        0 shows nothing.
    stream : file, optional
        Where to write; None means standard error.
    """

    def __init__(self, epochs, steps, verbose=1, stream=None):
        self.epochs, self.steps, self.verbose = epochs, steps, verbose
        self.stream = stream or sys.stderr
        self.width = 30

    def _write(self, text):
        if self.verbose:
            self.stream.write(text)
            self.stream.flush()

    def start(self, epoch):
        self.began = self.shown = time.perf_counter()
        self._write(f"Epoch {epoch + 1}/{self.epochs}\n")

    def _line(self, step, logs):
        filled = self.width * step // self.steps
        bar = "=" * max(filled - 1, 0) + (">" if filled < self.width else "=") + "." * (self.width - filled)
        metrics = " - ".join(f"{key}: {value:.4f}" for key, value in logs.items())
        return f"\r{step:>{len(str(self.steps))}}/{self.steps} [{bar}] - {metrics}"

    def update(self, step, logs):
        now = time.perf_counter()
        # Redraw at most ten times a second; ``end`` draws the final state.
        if self.verbose and now - self.shown > 0.1 and step < self.steps:
            self.shown = now
            self._write(self._line(step, logs))

    def end(self, logs):
        seconds = time.perf_counter() - self.began
        self._write(self._line(self.steps, logs) + f" - {seconds:.1f}s\n")
