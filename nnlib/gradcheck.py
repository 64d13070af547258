r"""Gradient checking: compare backward passes with central differences.

\[ \frac{\partial f}{\partial x_i} \approx \frac{f(x + \varepsilon e_i) - f(x - \varepsilon e_i)}{2 \varepsilon} \]

The error of this estimate shrinks like eps², but float32 rounding would swamp
it, so checks run in float64. A relative error below about 1e-6 means the
backward pass is right.

>>> import numpy as np
>>> from nnlib.layers import Dense
>>> error = check_layer(Dense(3, activation="tanh"), np.random.default_rng(0).normal(size=(4, 2)))
>>> print(error < 1e-6)
True
"""

import numpy as np

from . import backend


def numerical_gradient(f, x, eps=1e-6):
    r"""Central-difference gradient of the scalar ``f(x)`` with respect to array ``x`` (NumPy float64).

    ``x`` is perturbed in place one entry at a time and restored, so it may be a
    layer's parameter: ``f`` then ignores its argument and runs the layer.

    Parameters
    ----------
    f : callable
        ``f(x)`` returning a scalar (a 0-d array or a float).
    x : array
        The point; changed in place during the call and restored.
    eps : float, default 1e-6
        The step \( \varepsilon \).

    Returns
    -------
    numpy.ndarray
        df/dx, float64, shaped like ``x``.
    """
    grad = np.zeros(tuple(x.shape))
    for index in np.ndindex(*x.shape):
        original = float(x[index])
        x[index] = original + eps
        f_plus = float(f(x))
        x[index] = original - eps
        f_minus = float(f(x))
        x[index] = original
        grad[index] = (f_plus - f_minus) / (2 * eps)
    return grad


def relative_error(a, b, floor=1e-3):
    r"""The relative error of two gradients, by their norms.

    \[ \frac{\lVert a - b \rVert}{\max(\lVert a \rVert + \lVert b \rVert,\ \text{floor})} \]

    Norms rather than entries, so a derivative that happens to cross zero does
    not make an otherwise exact gradient look wrong. The floor is for a true gradient
    of 0 (attention's key bias): central differences then return rounding noise of
    about 1e-10, which must not read as a relative error of 1.

    >>> print(relative_error([1.0, 2.0], [1.0, 2.0 + 1e-9]) < 1e-9, relative_error([0.0], [1e-10]))
    True 1e-07

    Parameters
    ----------
    a, b : array_like
        The two gradients, of the same shape (any backend).
    floor : float, default 1e-3
        The smallest denominator.

    Returns
    -------
    float
        The relative error.
    """
    a, b = np.asarray(backend.to_numpy(a), float), np.asarray(backend.to_numpy(b), float)
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), floor))


def check_layer(layer, x, rng=None, training=False):
    """Max relative error of ``layer.backward`` (input and parameter gradients), in float64.

    The scalar checked is sum(forward(x) * g) for a random upstream gradient g, so
    backward(g) must return its gradient. Parameters of layers inside the layer
    (a residual block's) are checked too. ``training=True`` checks the training-mode
    pass (batch normalization through its batch statistics).

    Parameters
    ----------
    layer : Layer
        The layer to check; built from ``x`` if it is not built yet.
    x : array_like
        A batch of inputs.
    rng : numpy.random.Generator, optional
        For the weights (if built here) and g; by default seeded with 0.
    training : bool, default False
        Check the training-mode forward and backward.

    Returns
    -------
    float
        The largest relative error over dx and every parameter's gradient; below about 1e-6
        when backward is right.
    """
    from .layers import named_layers

    rng = np.random.default_rng(0) if rng is None else rng
    with backend.using(dtype="float64"):
        x = backend.asarray(x)
        if not layer.built:
            layer.build(tuple(x.shape[1:]), rng)
        inner = [sub for _, sub in named_layers([layer])]
        for sub in inner:
            for table in (sub.params, sub.state):
                for key, array in table.items():
                    table[key] = backend.asarray(array)
        g = backend.asarray(rng.normal(size=tuple(layer.forward(x, training=training).shape)))

        def f(_):
            return backend.xp().sum(layer.forward(x, training=training) * g)

        layer.forward(x, training=training)
        errors = [relative_error(layer.backward(g), numerical_gradient(f, x))]
        for sub in inner:
            grads = dict(sub.grads)  # the numerical passes below overwrite nothing but forward's caches
            for key, param in sub.params.items():
                errors.append(relative_error(grads[key], numerical_gradient(f, param)))
        return max(errors)


def check_loss(loss, y_true, y_pred):
    """Max relative error of ``loss.gradient`` against central differences, in float64.

    Parameters
    ----------
    loss : Loss
        The loss to check.
    y_true : array_like
        Targets (integer labels stay integers).
    y_pred : array_like
        Predictions where the gradient is taken.

    Returns
    -------
    float
        The relative error of dL/dy_pred.
    """
    with backend.using(dtype="float64"):
        y_true = backend.asarray(y_true, None if np.asarray(backend.to_numpy(y_true)).dtype.kind == "f" else "int64")
        y_pred = backend.asarray(y_pred)
        numeric = numerical_gradient(lambda p: loss(y_true, p), y_pred)
        return relative_error(loss.gradient(y_true, y_pred), numeric)


def gradcheck(model, x, y):
    """Max relative error of a compiled model's parameter and input gradients, in float64.

    The model must have been built in float64 (e.g. under ``backend.using(dtype="float64")``);
    the fused softmax/cross-entropy gradient is checked too.

    Parameters
    ----------
    model : Sequential
        A compiled model, built in float64.
    x : array_like
        A batch of inputs.
    y : array_like
        Its targets.

    Returns
    -------
    float
        The largest relative error over dL/dx and every parameter's gradient.
    """
    with backend.using(dtype="float64"):
        x = backend.asarray(x)
        y = backend.asarray(y, None if np.asarray(y).dtype.kind == "f" else "int64")

        def f(_):
            return model.compute_loss(y, model.forward(x))

        dx = model.backward_loss(y, model.forward(x))
        errors = [relative_error(dx, numerical_gradient(f, x))]
        for _, param, grad in model.named_parameters():
            errors.append(relative_error(grad, numerical_gradient(f, param)))
        return max(errors)
