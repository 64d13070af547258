"""Trained weights kept on disk, so that a lesson that trains for minutes is trained once.

:func:`fit_cached` is ``model.fit`` with a memory: the first call trains and stores the
weights and the loss history under ``.cache/trained/<key>.npz``; a later call with the same
inputs loads them instead. The key covers everything that decides the result: the model's
architecture, its initial weights, its optimizer and loss, the training (and validation) data, the
arguments to ``fit``, and nnlib's source. Weights are stored exactly (float32 or float64 bits), so a
page prints the same numbers whether it trained or loaded.

>>> import numpy as np
>>> from nnlib import Sequential, Dense
>>> def small_model():
...     model = Sequential([Dense(1, input_shape=(2,))], seed=0)
...     model.compile(optimizer="sgd", loss="mse")
...     return model
>>> X, y = np.ones((4, 2)), np.ones(4)
>>> first, second = small_model(), small_model()
>>> h1, h2 = fit_cached(first, X, y, epochs=2, verbose=0), fit_cached(second, X, y, epochs=2, verbose=0)
>>> h1.history == h2.history and all(np.array_equal(a, b) for a, b in zip(first.get_weights(), second.get_weights()))
True
"""

import hashlib
import json
import os
from pathlib import Path

import numpy as np

from buildcache.cache import CACHE_DIR, content_key

TRAINED_CACHE = CACHE_DIR / "trained"


def training_key(model, X, y, fit_arguments, validation_data=()):
    """SHA-256 (20 hex digits) of what decides the trained weights and history; see the module docstring."""
    if model.optimizer is None:
        raise ValueError("compile the model before fit_cached, as before fit")
    if not model.built:
        model.build(np.shape(X)[1:])
    digest = hashlib.sha256(content_key(Path(__file__)).encode())
    config = model.get_config()
    digest.update(json.dumps(config, sort_keys=True).encode())
    for array in (*model.get_weights(), np.asarray(X), np.asarray(y), *map(np.asarray, validation_data)):
        digest.update(str((array.dtype, array.shape)).encode())
        digest.update(np.ascontiguousarray(array).tobytes())
    digest.update(json.dumps(fit_arguments, sort_keys=True).encode())
    return digest.hexdigest()[:20]


def fit_cached(model, X, y, validation_data=None, **fit_arguments):
    """``model.fit(X, y, validation_data=validation_data, **fit_arguments)``, or its stored result.

    Returns the History. The other arguments must be JSON values (epochs, batch_size,
    verbose, seed, ...); callbacks, which could do anything, are refused.
    """
    from nnlib.model import History

    if "callbacks" in fit_arguments:
        raise ValueError("fit_cached cannot cache fit with callbacks; call model.fit instead")
    validation = () if validation_data is None else tuple(validation_data)
    path = TRAINED_CACHE / f"{training_key(model, X, y, fit_arguments, validation)}.npz"
    if path.is_file():
        with np.load(path, allow_pickle=False) as stored:
            model.set_weights([stored[f"w{i}"] for i in range(len(model.get_weights()))])
            logs = json.loads(stored["history"].tobytes().decode("utf-8"))
        history = History()
        for epoch, entry in enumerate(logs):
            history.append(epoch, entry)
        model.history = history
        return history
    history = model.fit(X, y, validation_data=validation_data, **fit_arguments)
    logs = [{key: values[i] for key, values in history.history.items()} for i in range(len(history.epoch))]
    arrays = {f"w{i}": w for i, w in enumerate(model.get_weights())}
    arrays["history"] = np.frombuffer(json.dumps(logs).encode("utf-8"), dtype=np.uint8)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.{os.getpid()}.npz")
    with open(partial, "wb") as f:
        np.savez(f, **arrays)
    os.replace(partial, path)  # a reader never sees half a file
    return history
