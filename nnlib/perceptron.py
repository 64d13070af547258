r"""Rosenblatt's perceptron (1958): one threshold neuron and its learning rule.

The neuron outputs \( \hat y = \operatorname{step}(w \cdot x + b) \), 1 when \( w \cdot x + b > 0 \),
else 0. The learning rule visits the examples one at a time and, for each mistake, moves the
weights towards the right answer:

\[ w \leftarrow w + \eta\, (y - \hat y)\, x, \qquad b \leftarrow b + \eta\, (y - \hat y) \]

with \( \eta \) the learning rate.

A right answer (y = ŷ) changes nothing. If one straight line separates the two classes, the rule
stops making mistakes after finitely many updates (Novikoff, 1962); if none does, as for XOR, it
never stops.

>>> X = [[0, 0], [0, 1], [1, 0], [1, 1]]
>>> w, b, mistakes = train_perceptron(X, [0, 0, 0, 1], epochs=10)   # AND: separable
>>> print(w.tolist(), b, mistakes)
[2.0, 1.0] -2.0 [1, 3, 3, 2, 1, 0, 0, 0, 0, 0]
"""

import numpy as np


def predict(w, b, X):
    r"""The neuron's answers, \( \operatorname{step}(X w + b) \): 1 where the weighted sum is above 0, else 0.

    Parameters
    ----------
    w : array_like
        Weights, shape (features,).
    b : float
        Bias.
    X : array_like
        Examples, shape (examples, features).

    Returns
    -------
    numpy.ndarray
        0/1 labels, shape (examples,).
    """
    return (np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b > 0).astype(int)


def perceptron_update(w, b, x, y, learning_rate=1.0):
    """One step of the learning rule on example (x, y): the new (w, b).

    Parameters
    ----------
    w : numpy.ndarray
        Weights, shape (features,).
    b : float
        Bias.
    x : array_like
        One example, shape (features,).
    y : int
        Its label, 0 or 1.
    learning_rate : float, default 1.0
        The step size.

    Returns
    -------
    w : numpy.ndarray
        The new weights (unchanged when the answer was right).
    b : float
        The new bias.

    Examples
    --------
    >>> w, b = perceptron_update(np.zeros(2), 0.0, np.array([1.0, 1.0]), 1)   # missed a positive
    >>> print(w.tolist(), b)
    [1.0, 1.0] 1.0
    """
    y_hat = int(np.dot(w, x) + b > 0)
    error = y - y_hat
    return w + learning_rate * error * np.asarray(x, dtype=float), b + learning_rate * error


def train_perceptron(X, y, epochs=10, learning_rate=1.0):
    """Run the rule over (X, y) in order for ``epochs`` passes, from w = 0, b = 0.

    Parameters
    ----------
    X : array_like
        Examples, shape (examples, features).
    y : array_like
        Labels 0 or 1, one per example.
    epochs : int, default 10
        Passes over the data, >= 1.
    learning_rate : float, default 1.0
        The step size, > 0.

    Returns
    -------
    w : numpy.ndarray
        The final weights.
    b : float
        The final bias.
    mistakes : list of int
        The number of wrong answers met in each pass; zeros once the rule has converged.

    Raises
    ------
    ValueError
        If the shapes do not match, a label is not 0 or 1, ``epochs`` is not a whole number
        >= 1, or ``learning_rate`` is not positive.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (examples, features) and y one label per example, "
                         f"got shapes {X.shape} and {y.shape}")
    if not np.isin(y, (0, 1)).all():
        raise ValueError(f"perceptron labels must be 0 or 1, found {sorted(set(np.unique(y).tolist()) - {0, 1})[:5]}")
    if not (isinstance(epochs, int) and epochs >= 1):
        raise ValueError(f"epochs must be a whole number >= 1, got {epochs!r}")
    if not learning_rate > 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate!r}")
    w, b, mistakes = np.zeros(X.shape[1]), 0.0, []
    for _ in range(epochs):
        wrong = 0
        for x_i, y_i in zip(X, y):
            wrong += int(int(np.dot(w, x_i) + b > 0) != y_i)
            w, b = perceptron_update(w, b, x_i, int(y_i), learning_rate)
        mistakes.append(wrong)
    return w, float(b), mistakes
