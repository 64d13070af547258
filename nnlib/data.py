"""Data for the lessons: toy datasets, splits, scaling, one-hot labels, digits and MNIST.

Everything here runs on the host with NumPy (data loading is I/O, not training), and
every function that draws random numbers takes ``rng``: a ``numpy.random.Generator``
or an integer seed. The global NumPy random state is never touched, so a lesson that
passes ``rng=0`` gets the same points every time, on every machine.

Generators return ``(X, y)`` like scikit-learn: ``X`` is a float32 array of shape
``(n_samples, n_features)`` and ``y`` an int64 array of class labels ``0 .. k-1``
(for the regression set, ``y`` is a float32 column).

>>> X, y = make_moons(200, noise=0.1, rng=0)
>>> X.shape, X.dtype, y.dtype
((200, 2), dtype('float32'), dtype('int64'))
>>> [int(c) for c in np.bincount(y)]
[100, 100]
"""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
import tempfile
import urllib.request
from pathlib import Path

import numpy as np

from ._checks import positive_int, size

__all__ = [
    "xor_truth_table",
    "make_xor",
    "make_spirals",
    "make_moons",
    "make_circles",
    "make_blobs",
    "make_regression_1d",
    "make_people",
    "train_test_split",
    "train_val_test_split",
    "Standardizer",
    "one_hot",
    "load_digits",
    "load_mnist",
    "read_idx",
    "IDXError",
    "ChecksumError",
    "MNIST_BASE_URL",
    "MNIST_FILES",
]

FLOAT = np.float32
LABEL = np.int64


def _rng(rng) -> np.random.Generator:
    """Turn ``rng`` (a Generator, an int seed, or None for fresh entropy) into a Generator.

    A Generator passed in is used as it is, so its stream continues where it was.
    """
    return np.random.default_rng(rng)


def _shuffle_together(X, y, rng):
    """Shuffle the rows of ``X`` and ``y`` with the same permutation."""
    order = rng.permutation(len(X))
    return X[order], y[order]


def _split_evenly(n_samples: int, n_parts: int) -> list[int]:
    """How many samples each of ``n_parts`` groups gets: as equal as possible."""
    base, extra = divmod(n_samples, n_parts)
    return [base + (1 if k < extra else 0) for k in range(n_parts)]


# --------------------------------------------------------------------------------------
# Toy datasets
# --------------------------------------------------------------------------------------


def xor_truth_table():
    """The four points of XOR: label 1 where exactly one input is 1.

    No straight line separates the two classes, which is why a single neuron fails
    (Minsky and Papert, 1969) and one hidden layer succeeds.

    >>> X, y = xor_truth_table()
    >>> for (a, b), label in zip(X, y):
    ...     print(int(a), int(b), "->", int(label))
    0 0 -> 0
    0 1 -> 1
    1 0 -> 1
    1 1 -> 0
    """
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=FLOAT)
    y = np.array([0, 1, 1, 0], dtype=LABEL)
    return X, y


def make_xor(n_samples: int = 200, noise: float = 0.1, rng=None):
    """Noisy XOR: points scattered around the four corners of the unit square.

    Sample ``i`` sits at corner ``(a, b)`` plus Gaussian noise of standard deviation
    ``noise``; its label is ``a XOR b``. The corners are used in turn, so each gets
    ``n_samples / 4`` points (give or take one), and the rows come out shuffled.

    >>> X, y = make_xor(8, noise=0.0, rng=0)
    >>> sorted((int(a), int(b), int(c)) for (a, b), c in zip(X, y))
    [(0, 0, 0), (0, 0, 0), (0, 1, 1), (0, 1, 1), (1, 0, 1), (1, 0, 1), (1, 1, 0), (1, 1, 0)]

    Parameters
    ----------
    n_samples : int, default 200
        Number of points, a positive integer.
    noise : float, default 0.1
        Standard deviation of the noise around each corner.
    rng : numpy.random.Generator or int, optional
        A generator or a seed; None draws fresh entropy.

    Returns
    -------
    X : numpy.ndarray
        float32 points, shape (n_samples, 2).
    y : numpy.ndarray
        Their 0/1 labels, shape (n_samples,).
    """
    n_samples = positive_int(n_samples, "n_samples")
    rng = _rng(rng)
    corners, labels = xor_truth_table()
    which = np.arange(n_samples) % 4
    X = corners[which] + rng.normal(0.0, noise, size=(n_samples, 2))
    return _shuffle_together(X.astype(FLOAT), labels[which], rng)


def make_spirals(n_samples: int = 300, n_classes: int = 3, noise: float = 0.2, rng=None):
    r"""Interleaved spiral arms, one per class (the CS231n toy problem).

    Arm k runs outwards from the origin: radius r grows from 0 to 1 while the angle t
    grows from 4k to 4(k+1) radians, plus Gaussian noise of standard deviation ``noise``
    on the angle:

    \[ x = (r \sin t,\ r \cos t) \]

    No linear model gets far on three arms; a small MLP bends its boundary around them.

    >>> X, y = make_spirals(300, n_classes=3, rng=0)
    >>> X.shape, [int(c) for c in np.bincount(y)]
    ((300, 2), [100, 100, 100])
    >>> print(f"radius from {np.hypot(*X.T).min():.2f} to {np.hypot(*X.T).max():.2f}")
    radius from 0.00 to 1.00

    Parameters
    ----------
    n_samples : int, default 300
        Total number of points, shared evenly by the arms.
    n_classes : int, default 3
        Number of arms (classes).
    noise : float, default 0.2
        Standard deviation of the noise on the angle, in radians.
    rng : numpy.random.Generator or int, optional
        Generator or seed for the noise and the shuffle.

    Returns
    -------
    X : numpy.ndarray
        float32, shape (n_samples, 2).
    y : numpy.ndarray
        Class labels 0 .. n_classes - 1.
    """
    n_samples = positive_int(n_samples, "n_samples")
    n_classes = positive_int(n_classes, "n_classes")
    rng = _rng(rng)
    points, labels = [], []
    for k, n in enumerate(_split_evenly(n_samples, n_classes)):
        radius = np.linspace(0.0, 1.0, n)
        angle = np.linspace(4.0 * k, 4.0 * (k + 1), n) + rng.normal(0.0, noise, size=n)
        points.append(np.column_stack([radius * np.sin(angle), radius * np.cos(angle)]))
        labels.append(np.full(n, k, dtype=LABEL))
    return _shuffle_together(np.concatenate(points).astype(FLOAT), np.concatenate(labels), rng)


def make_moons(n_samples: int = 200, noise: float = 0.1, rng=None):
    r"""Two interleaving half circles.

    Class 0 is the upper arc \( (\cos t, \sin t) \) and class 1 the lower arc
    \( (1 - \cos t,\ 0.5 - \sin t) \) for \( t \in [0, \pi] \); Gaussian noise of standard
    deviation ``noise`` is added to both coordinates.

    >>> X, y = make_moons(100, noise=0.0, rng=0)
    >>> print(f"{X[:, 0].min():.2f} {X[:, 0].max():.2f}")
    -1.00 2.00

    Parameters
    ----------
    n_samples : int, default 200
        Points in both arcs together, at least 2.
    noise : float, default 0.1
        Standard deviation of the noise added to each coordinate.
    rng : numpy.random.Generator or int, optional
        Seed or generator; None for fresh entropy.

    Returns
    -------
    X : numpy.ndarray
        The points, float32 (n_samples, 2).
    y : numpy.ndarray
        0 for the upper arc, 1 for the lower.
    """
    n_samples = positive_int(n_samples, "n_samples", minimum=2)
    rng = _rng(rng)
    n_upper, n_lower = _split_evenly(n_samples, 2)
    t_upper = np.linspace(0.0, np.pi, n_upper)
    t_lower = np.linspace(0.0, np.pi, n_lower)
    upper = np.column_stack([np.cos(t_upper), np.sin(t_upper)])
    lower = np.column_stack([1.0 - np.cos(t_lower), 0.5 - np.sin(t_lower)])
    X = np.concatenate([upper, lower]) + rng.normal(0.0, noise, size=(n_samples, 2))
    y = np.concatenate([np.zeros(n_upper, LABEL), np.ones(n_lower, LABEL)])
    return _shuffle_together(X.astype(FLOAT), y, rng)


def make_circles(n_samples: int = 200, noise: float = 0.05, factor: float = 0.5, rng=None):
    """A small circle (class 1, radius ``factor``) inside a large one (class 0, radius 1).

    Points are spread evenly around each circle, then Gaussian noise of standard
    deviation ``noise`` is added. A network needs a closed, curved boundary here.

    >>> X, y = make_circles(100, noise=0.0, factor=0.5, rng=0)
    >>> radius = np.hypot(X[:, 0], X[:, 1])
    >>> print(f"{radius[y == 0].mean():.2f} {radius[y == 1].mean():.2f}")
    1.00 0.50

    Parameters
    ----------
    n_samples : int, default 200
        Points on both circles together, at least 2.
    noise : float, default 0.05
        Standard deviation of the noise on each coordinate.
    factor : float, default 0.5
        The inner circle's radius, between 0 and 1.
    rng : numpy.random.Generator or int, optional
        Where the noise comes from (a seed is accepted).

    Returns
    -------
    X : numpy.ndarray
        float32 points, (n_samples, 2).
    y : numpy.ndarray
        1 on the inner circle, 0 on the outer.

    Raises
    ------
    ValueError
        If ``factor`` is not between 0 and 1.
    """
    n_samples = positive_int(n_samples, "n_samples", minimum=2)
    if not 0.0 < factor < 1.0:
        raise ValueError(f"factor must be between 0 and 1 (the inner radius), got {factor!r}")
    rng = _rng(rng)
    n_outer, n_inner = _split_evenly(n_samples, 2)
    t_outer = np.linspace(0.0, 2 * np.pi, n_outer, endpoint=False)
    t_inner = np.linspace(0.0, 2 * np.pi, n_inner, endpoint=False)
    outer = np.column_stack([np.cos(t_outer), np.sin(t_outer)])
    inner = factor * np.column_stack([np.cos(t_inner), np.sin(t_inner)])
    X = np.concatenate([outer, inner]) + rng.normal(0.0, noise, size=(n_samples, 2))
    y = np.concatenate([np.zeros(n_outer, LABEL), np.ones(n_inner, LABEL)])
    return _shuffle_together(X.astype(FLOAT), y, rng)


def make_blobs(
    n_samples: int = 300,
    centers=3,
    cluster_std=1.0,
    n_features: int = 2,
    center_box: tuple[float, float] = (-10.0, 10.0),
    rng=None,
):
    """Gaussian clusters, one class per cluster.

    ``centers`` is either a number of clusters (their centres drawn uniformly from
    ``center_box`` in each of ``n_features`` dimensions) or an array of centres of
    shape ``(k, n_features)``. Cluster ``k`` gets ``n_samples / k`` points drawn from
    a normal distribution around its centre with standard deviation ``cluster_std``
    (one number, or one per cluster).

    >>> X, y = make_blobs(90, centers=[[0, 0], [5, 5], [-5, 5]], cluster_std=0.5, rng=0)
    >>> for k in range(3):
    ...     print(k, np.round(X[y == k].mean(axis=0)).astype(int).tolist())
    0 [0, 0]
    1 [5, 5]
    2 [-5, 5]

    Parameters
    ----------
    n_samples : int, default 300
        Total number of points, shared evenly by the clusters.
    centers : int or array_like, default 3
        A number of clusters, or their centres, shape (k, n_features).
    cluster_std : float or array_like, default 1.0
        Standard deviation of every cluster, or one per cluster.
    n_features : int, default 2
        Dimensions of the drawn centres (when ``centers`` is a number).
    center_box : tuple of float, default (-10.0, 10.0)
        The range the centres are drawn from.
    rng : numpy.random.Generator or int, optional
        For the centres, the points and the shuffle.

    Returns
    -------
    X : numpy.ndarray
        float32, shape (n_samples, n_features).
    y : numpy.ndarray
        The cluster of each point.

    Raises
    ------
    ValueError
        If ``centers`` or ``cluster_std`` has the wrong shape.
    """
    n_samples = positive_int(n_samples, "n_samples")
    rng = _rng(rng)
    if np.ndim(centers) == 0:
        n_centers = positive_int(centers, "centers")
        low, high = center_box
        centers = rng.uniform(low, high, size=(n_centers, n_features))
    centers = np.asarray(centers, dtype=np.float64)
    if centers.ndim != 2:
        raise ValueError(f"centers must be an int or an array of shape (k, n_features), got shape {centers.shape}")
    stds = np.asarray(cluster_std, dtype=np.float64)
    if stds.ndim > 1 or stds.ndim == 1 and len(stds) != len(centers):
        raise ValueError(f"cluster_std must be one number or one per cluster ({len(centers)}), "
                         f"got shape {stds.shape}")
    stds = np.broadcast_to(stds, (len(centers),))
    points, labels = [], []
    for k, n in enumerate(_split_evenly(n_samples, len(centers))):
        points.append(rng.normal(centers[k], stds[k], size=(n, centers.shape[1])))
        labels.append(np.full(n, k, dtype=LABEL))
    return _shuffle_together(np.concatenate(points).astype(FLOAT), np.concatenate(labels), rng)


def make_regression_1d(n_samples: int = 100, noise: float = 0.1, rng=None):
    r"""A noisy sine wave for regression.

    \[ y = \sin(x) + \text{noise} \cdot \varepsilon, \qquad \varepsilon \sim \mathcal{N}(0, 1) \]

    ``x`` is drawn uniformly from ``[-pi, pi]`` and sorted, so ``plot(X, y)`` draws a
    curve from left to right. Both ``X`` and ``y`` are float32 columns of shape
    ``(n_samples, 1)``, the shape a ``Dense(1)`` output layer produces.

    >>> X, y = make_regression_1d(50, noise=0.0, rng=0)
    >>> X.shape, y.shape
    ((50, 1), (50, 1))
    >>> print(f"{np.abs(y - np.sin(X)).max():.4f}")
    0.0000

    Parameters
    ----------
    n_samples : int, default 100
        Number of (x, y) pairs.
    noise : float, default 0.1
        The noise's standard deviation.
    rng : numpy.random.Generator or int, optional
        Draws x and the noise.

    Returns
    -------
    X : numpy.ndarray
        Sorted inputs, float32 (n_samples, 1).
    y : numpy.ndarray
        Targets, float32 (n_samples, 1).
    """
    n_samples = positive_int(n_samples, "n_samples")
    rng = _rng(rng)
    x = np.sort(rng.uniform(-np.pi, np.pi, size=n_samples))
    y = np.sin(x) + rng.normal(0.0, noise, size=n_samples)
    return x[:, None].astype(FLOAT), y[:, None].astype(FLOAT)


def make_people(n_samples: int, group: str, rng=None):
    r"""People of group ``"A"`` or ``"B"`` for lesson 19's study of bias: two features, a yes/no label.

    The two groups differ in their features *and* in the rule that links features to the label:

    - group A: \( x \sim N(0, 1) \) in both features, label 1 where \( x_2 > 0.5\,x_1 \);
    - group B: \( x \sim N((2.5, 0), 0.8^2) \), label 1 where \( x_2 < 2.5 - x_1 \).

    A model fitted mostly to A learns A's rule, which is wrong for much of B. Pass one Generator
    to every call to draw a population piece by piece, as the lesson does.

    >>> rng = np.random.default_rng(3)
    >>> X, y = make_people(1000, "B", rng)
    >>> X.shape, X.dtype, y.dtype
    ((1000, 2), dtype('float32'), dtype('int64'))
    >>> print(f"feature means {X.mean(axis=0).round(1)}, share labelled 1: {y.mean():.2f}")
    feature means [2.5 0. ], share labelled 1: 0.48

    Parameters
    ----------
    n_samples : int
        How many people to draw, at least 1.
    group : {"A", "B"}
        Which group they belong to.
    rng : numpy.random.Generator or int, optional
        Seed or generator; None for fresh entropy. Pass the same Generator to every call to
        continue one random stream.

    Returns
    -------
    X : numpy.ndarray
        The two features, float32 (n_samples, 2).
    y : numpy.ndarray
        The labels, 0 or 1.

    Raises
    ------
    ValueError
        If ``group`` is neither ``"A"`` nor ``"B"``, or ``n_samples`` is not a positive integer.
    """
    n_samples = positive_int(n_samples, "n_samples")
    if group not in ("A", "B"):
        raise ValueError(f'group must be "A" or "B", got {group!r}')
    rng = _rng(rng)
    if group == "A":
        x = rng.normal(0.0, 1.0, (n_samples, 2))
        return x.astype(FLOAT), (x[:, 1] > 0.5 * x[:, 0]).astype(LABEL)
    x = rng.normal([2.5, 0.0], 0.8, (n_samples, 2))
    return x.astype(FLOAT), (x[:, 1] < 2.5 - x[:, 0]).astype(LABEL)


# --------------------------------------------------------------------------------------
# Splits, scaling, labels
# --------------------------------------------------------------------------------------


def _count(name: str, size, n_samples: int) -> int:
    """A split size given as a fraction of the data (0.2) or as a number of samples (30)."""
    if isinstance(size, (float, np.floating)):
        if not 0.0 <= size < 1.0:
            raise ValueError(f"{name} as a fraction must be in [0, 1), got {size!r}")
        return int(round(size * n_samples))
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        if not 0 <= size <= n_samples:
            raise ValueError(f"{name} as a count must be in [0, {n_samples}], got {size!r}")
        return int(size)
    raise TypeError(f"{name} must be a fraction (float) or a count (int), got {size!r}")


def _dealt_order(n_samples: int, groups, rng) -> np.ndarray:
    """A random order of the indices in which every group is spread out evenly.

    Without groups this is a plain permutation. With groups (stratification), the
    samples of each class are shuffled, and the ``j``-th of ``n_c`` samples of class
    ``c`` gets the key ``(j + 0.5) / n_c``; sorting by key deals the classes out like
    cards, so any leading slice of the order holds each class in proportion (within
    one sample).
    """
    order = rng.permutation(n_samples)
    if groups is None:
        return order
    groups = np.asarray(groups)[order]
    _, codes, counts = np.unique(groups, return_inverse=True, return_counts=True)
    codes = codes.reshape(-1)
    rank_in_class = np.empty(n_samples, dtype=np.int64)
    for c in range(len(counts)):
        members = np.flatnonzero(codes == c)
        rank_in_class[members] = np.arange(len(members))
    key = (rank_in_class + 0.5) / counts[codes]
    return order[np.argsort(key, kind="stable")]


def _split_indices(n_samples: int, sizes, groups, rng) -> list[np.ndarray]:
    """Cut a dealt order into consecutive pieces of the given sizes; the rest comes last."""
    if sum(sizes) >= n_samples:
        raise ValueError(
            f"the held-out sets take {sum(sizes)} of {n_samples} samples; nothing is left to train on"
        )
    order = _dealt_order(n_samples, groups, rng)
    pieces, start = [], 0
    for size in sizes:
        pieces.append(order[start : start + size])
        start += size
    pieces.append(order[start:])
    return pieces


def _check_paired(X, y):
    X, y = np.asarray(X), np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of samples, got {len(X)} and {len(y)}")
    return X, y


def _stratify_groups(stratify, y):
    if stratify is None or stratify is False:
        return None
    if stratify is True:
        return y
    groups = np.asarray(stratify)
    if len(groups) != len(y):
        raise ValueError(f"stratify must have one label per sample ({len(y)}), got {len(groups)}")
    return groups


def train_test_split(X, y, test=0.2, rng=None, stratify=False):
    """Split ``(X, y)`` into a training set and a test set, in scikit-learn's order.

    ``test`` is a fraction (``0.2``) or a count (``30``). With ``stratify=True`` each
    class keeps its share of the data in both parts (or pass an array of group labels).

    >>> X, y = make_blobs(100, centers=2, rng=0)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test=0.2, rng=0, stratify=True)
    >>> len(X_train), len(X_test), [int(c) for c in np.bincount(y_test)]
    (80, 20, [10, 10])

    Parameters
    ----------
    X : array_like
        Samples, one per row.
    y : array_like
        Their labels or targets, as many.
    test : float or int, default 0.2
        The test set's size: a fraction in (0, 1) or a number of samples.
    rng : numpy.random.Generator or int, optional
        For the random order.
    stratify : bool or array_like, default False
        True keeps each class's share in both parts; an array gives other groups to keep.

    Returns
    -------
    X_train, X_test, y_train, y_test : numpy.ndarray
        The two parts, in scikit-learn's order.

    Raises
    ------
    ValueError
        If X and y differ in length or ``test`` leaves no sample for one part.
    """
    X, y = _check_paired(X, y)
    n_test = _count("test", test, len(X))
    test_idx, train_idx = _split_indices(len(X), [n_test], _stratify_groups(stratify, y), _rng(rng))
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]


def train_val_test_split(X, y, val=0.15, test=0.15, rng=None, stratify=False):
    """Split ``(X, y)`` three ways: train on one, tune on the second, report the third.

    ``val`` and ``test`` are fractions or counts; the training set is what is left.
    Returns ``X_train, X_val, X_test, y_train, y_val, y_test``; the middle pair is what
    ``fit(..., validation_data=(X_val, y_val))`` takes.

    >>> X, y = make_spirals(300, rng=0)
    >>> parts = train_val_test_split(X, y, val=0.2, test=0.2, rng=0, stratify=True)
    >>> [len(p) for p in parts[:3]]
    [180, 60, 60]
    >>> [int(c) for c in np.bincount(parts[4])]
    [20, 20, 20]

    Parameters
    ----------
    X : array_like
        Samples.
    y : array_like
        Labels or targets, one per sample.
    val : float or int, default 0.15
        Validation size, a fraction or a count.
    test : float or int, default 0.15
        Test size, a fraction or a count.
    rng : numpy.random.Generator or int, optional
        Generator or seed for the order.
    stratify : bool or array_like, default False
        Keep class shares (True) or those of the given groups in every part.

    Returns
    -------
    X_train, X_val, X_test, y_train, y_val, y_test : numpy.ndarray
        The three parts.

    Raises
    ------
    ValueError
        If the sizes do not fit the data.
    """
    X, y = _check_paired(X, y)
    n_val, n_test = _count("val", val, len(X)), _count("test", test, len(X))
    groups = _stratify_groups(stratify, y)
    test_idx, val_idx, train_idx = _split_indices(len(X), [n_test, n_val], groups, _rng(rng))
    return X[train_idx], X[val_idx], X[test_idx], y[train_idx], y[val_idx], y[test_idx]


class Standardizer:
    """Scale every feature to mean 0 and standard deviation 1: ``x' = (x - mean) / std``.

    ``fit`` learns ``mean`` and ``std`` per column from the training data only;
    ``transform`` applies them to any data (validation and test sets too, so no
    information leaks from them). A constant column has ``std = 0``; it is divided by
    1 instead, so it becomes all zeros rather than NaN.

    >>> X = np.array([[1.0, 10.0], [2.0, 10.0], [3.0, 10.0]], dtype=np.float32)
    >>> scaler = Standardizer().fit(X)
    >>> print(np.round(scaler.mean, 2), np.round(scaler.std, 3))
    [ 2. 10.] [0.816 1.   ]
    >>> print(np.round(scaler.transform(X), 3))
    [[-1.225  0.   ]
     [ 0.     0.   ]
     [ 1.225  0.   ]]
    >>> bool(np.allclose(scaler.inverse_transform(scaler.transform(X)), X))
    True
    """

    def __init__(self):
        self.mean = None
        self.std = None

    def fit(self, X):
        """Learn each column's mean and standard deviation from training data.

        Parameters
        ----------
        X : array_like
            Training samples, one per row.

        Returns
        -------
        Standardizer
            This object, so that ``Standardizer().fit(X)`` can be kept.

        Raises
        ------
        ValueError
            If X has no samples or holds NaN or infinite values.
        """
        X = np.asarray(X, dtype=np.float64)
        if X.ndim < 1 or len(X) == 0:
            raise ValueError("Standardizer.fit needs at least one sample")
        if not np.all(np.isfinite(X)):
            raise ValueError(f"Standardizer.fit got {int(np.sum(~np.isfinite(X)))} NaN or infinite value(s); "
                             f"clean or impute them first")
        self.mean = X.mean(axis=0)
        std = X.std(axis=0)
        self.std = np.where(std > 0.0, std, 1.0)
        return self

    def _checked(self, X):
        if self.mean is None:
            raise RuntimeError("this Standardizer is not fitted yet: call fit(X_train) first")
        X = np.asarray(X)
        if X.shape[1:] != self.mean.shape:
            raise ValueError(f"expected samples of shape {self.mean.shape}, got {X.shape[1:]}")
        return X

    @staticmethod
    def _out_dtype(X):
        return X.dtype if np.issubdtype(X.dtype, np.floating) else FLOAT

    def transform(self, X):
        r"""Apply the learned scaling, \( x' = (x - \text{mean}) / \text{std} \).

        Parameters
        ----------
        X : array_like
            Samples shaped like the training data's (any split: train, validation, test).

        Returns
        -------
        numpy.ndarray
            The scaled samples, float (X's dtype if it is a float, else float32).

        Raises
        ------
        RuntimeError
            If ``fit`` has not been called.
        ValueError
            If a sample's shape differs from the training data's.
        """
        X = self._checked(X)
        return ((X - self.mean) / self.std).astype(self._out_dtype(X))

    def inverse_transform(self, X):
        r"""Undo ``transform``: \( x = x' \cdot \text{std} + \text{mean} \).

        Parameters
        ----------
        X : array_like
            Scaled samples.

        Returns
        -------
        numpy.ndarray
            The samples in their original units.
        """
        X = self._checked(X)
        return (X * self.std + self.mean).astype(self._out_dtype(X))

    def fit_transform(self, X):
        """``fit`` on X, then ``transform`` it: for the training set only.

        Parameters
        ----------
        X : array_like
            The training samples.

        Returns
        -------
        numpy.ndarray
            X scaled to mean 0 and standard deviation 1 per column.
        """
        return self.fit(X).transform(X)


def one_hot(y, n_classes: int | None = None, dtype=FLOAT):
    r"""Turn integer class labels into one-hot rows: label k becomes \( e_k \).

    Parameters
    ----------
    y : array_like of int
        Class labels, whole numbers in 0 .. n_classes - 1; a column (n, 1) is accepted too.
    n_classes : int, optional
        The number of columns; None means max(y) + 1.
    dtype : numpy.dtype, default float32
        The result's dtype.

    Returns
    -------
    numpy.ndarray
        Shape (n, n_classes), a single 1 per row.

    Raises
    ------
    ValueError
        If a label is negative, fractional, or does not fit ``n_classes``.

    Examples
    --------
    >>> print(one_hot([0, 2, 1], n_classes=4))
    [[1. 0. 0. 0.]
     [0. 0. 1. 0.]
     [0. 1. 0. 0.]]
    >>> one_hot([1, -1])
    Traceback (most recent call last):
        ...
    ValueError: labels must be >= 0, found -1
    """
    labels = _integer_labels(y)
    if n_classes is None:
        n_classes = int(labels.max()) + 1 if labels.size else 0
    n_classes = positive_int(n_classes, "n_classes")
    if labels.size and labels.max() >= n_classes:
        raise ValueError(f"label {int(labels.max())} does not fit n_classes={n_classes} (labels are 0..{n_classes - 1})")
    encoded = np.zeros((labels.size, n_classes), dtype=dtype)
    encoded[np.arange(labels.size), labels] = 1
    return encoded


def _integer_labels(y) -> np.ndarray:
    """Check that ``y`` holds whole, non-negative class labels; return them as int64."""
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1:
        raise ValueError(f"labels must be a 1-D array (one label per sample), got shape {y.shape}")
    if y.dtype.kind == "f":
        if not np.all(np.isfinite(y)) or not np.all(y == np.round(y)):
            bad = y[~np.isfinite(y) | (y != np.round(y))][0]
            raise ValueError(f"labels must be whole numbers, found {bad.item()!r}")
    elif y.dtype.kind not in "iu":
        raise TypeError(f"labels must be integers, got an array of dtype {y.dtype}")
    if y.size and y.min() < 0:
        raise ValueError(f"labels must be >= 0, found {int(y.min())}")
    return y.astype(LABEL)


# --------------------------------------------------------------------------------------
# Real data: the 8x8 digits (bundled with scikit-learn) and MNIST (downloaded once)
# --------------------------------------------------------------------------------------


def load_digits(test=None, rng=None, stratify=True, flatten=True):
    """The 1,797 handwritten digits of 8x8 pixels that ship with scikit-learn (no download).

    Pixels are scaled from 0..16 to [0, 1] as float32; ``X`` has shape ``(1797, 64)``
    (or ``(1797, 8, 8)`` with ``flatten=False``) and ``y`` holds the digits 0..9.
    With ``test`` (a fraction or count) the data comes back already split, as
    ``X_train, X_test, y_train, y_test`` (stratified unless ``stratify=False``).

    Parameters
    ----------
    test : float or int, optional
        Split off a test set of this size (fraction or count); None returns all the data.
    rng : numpy.random.Generator or int, optional
        For the split.
    stratify : bool, default True
        Keep each digit's share in both parts.
    flatten : bool, default True
        Rows of 64 pixels; False keeps 8x8 images.

    Returns
    -------
    tuple of numpy.ndarray
        ``X, y``, or ``X_train, X_test, y_train, y_test`` with ``test``.

    Examples
    --------
    >>> X, y = load_digits()
    >>> X.shape, float(X.min()), float(X.max()), sorted(set(y.tolist()))
    ((1797, 64), 0.0, 1.0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    >>> X_train, X_test, y_train, y_test = load_digits(test=0.2, rng=0)
    >>> len(X_train), len(X_test)
    (1438, 359)
    """
    from sklearn.datasets import load_digits as sklearn_digits

    digits = sklearn_digits()
    X = (digits.images / 16.0).astype(FLOAT)
    if flatten:
        X = X.reshape(len(X), -1)
    y = digits.target.astype(LABEL)
    if test is None:
        return X, y
    return train_test_split(X, y, test=test, rng=rng, stratify=stratify)


class IDXError(ValueError):
    """A file that is not a well-formed IDX file (the format MNIST is stored in)."""


class ChecksumError(OSError):
    """A downloaded or cached file whose checksum is not the published one."""


# The IDX type byte and the big-endian NumPy dtype it stands for.
IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}


def read_idx(source) -> np.ndarray:
    """Parse an IDX file (raw or gzip-compressed) from a path or from bytes.

    The layout (LeCun's MNIST page): two zero bytes, one byte for the element type
    (``0x08`` unsigned byte, ``0x09`` signed byte, ``0x0B`` int16, ``0x0C`` int32,
    ``0x0D`` float32, ``0x0E`` float64), one byte for the number of dimensions ``d``,
    then ``d`` big-endian uint32 sizes, then the data in big-endian, C order.
    Gzip is recognised by its magic bytes, not by the file name.

    Parameters
    ----------
    source : str, os.PathLike or bytes
        A file's path, or its contents.

    Returns
    -------
    numpy.ndarray
        The data, in native byte order, of the shape the header gives.

    Raises
    ------
    IDXError
        If the file is not well-formed (damaged gzip, bad header, wrong length); a ValueError.

    Examples
    --------
    >>> header = bytes([0, 0, 0x08, 2]) + (2).to_bytes(4, "big") + (3).to_bytes(4, "big")
    >>> print(read_idx(header + bytes(range(6))))
    [[0 1 2]
     [3 4 5]]
    >>> try:
    ...     read_idx(bytes([0, 0, 0x08, 1]) + (5).to_bytes(4, "big") + bytes(3))
    ... except IDXError as error:
    ...     print(error)
    IDX data is truncated: shape (5,) of uint8 needs 5 bytes, found 3
    """
    raw = _read_bytes(source)
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise IDXError(f"the gzip stream is damaged: {error}") from error
    if len(raw) < 4:
        raise IDXError(f"too short for an IDX header: {len(raw)} bytes")
    zero, type_code, ndim = struct.unpack(">HBB", raw[:4])
    if zero != 0:
        raise IDXError(f"bad magic number 0x{raw[:4].hex()}: an IDX file starts with two zero bytes")
    if type_code not in IDX_DTYPES:
        known = ", ".join(f"0x{code:02X}" for code in IDX_DTYPES)
        raise IDXError(f"unknown IDX element type 0x{type_code:02X} (known: {known})")
    header_size = 4 + 4 * ndim
    if len(raw) < header_size:
        raise IDXError(f"IDX header is truncated: {ndim} dimensions need {header_size} bytes, found {len(raw)}")
    shape = struct.unpack(f">{ndim}I", raw[4:header_size])
    dtype = IDX_DTYPES[type_code]
    expected = size(shape) * dtype.itemsize
    found = len(raw) - header_size
    if found != expected:
        problem = "truncated" if found < expected else "longer than its header says"
        raise IDXError(
            f"IDX data is {problem}: shape {shape} of {dtype.newbyteorder('=').name} needs {expected} bytes, found {found}"
        )
    data = np.frombuffer(raw, dtype=dtype, offset=header_size).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def _read_bytes(source) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    return Path(source).read_bytes()


MNIST_BASE_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"

# The four MNIST files and their published MD5 checksums.
MNIST_FILES = {
    "train_images": ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
    "train_labels": ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
    "test_images": ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
    "test_labels": ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
}


def default_cache_dir() -> Path:
    """Where downloaded data lives: ``$NNLIB_DATA/mnist`` or ``~/.cache/nn-visually/mnist``."""
    root = os.environ.get("NNLIB_DATA")
    base = Path(root) if root else Path.home() / ".cache" / "nn-visually"
    return base / "mnist"


def md5_of(path) -> str:
    """The hex MD5 digest of a file, read in chunks.

    Parameters
    ----------
    path : str or os.PathLike
        The file.

    Returns
    -------
    str
        32 hex digits.
    """
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _download(url: str, destination: Path) -> None:
    """Copy ``url`` to ``destination`` (any scheme ``urllib`` opens, ``file://`` included)."""
    with urllib.request.urlopen(url, timeout=60) as response, open(destination, "wb") as out:
        while chunk := response.read(1 << 20):
            out.write(chunk)


def fetch_verified(url: str, path, md5: str) -> Path:
    """Download ``url`` to ``path`` atomically and check its MD5 before keeping it.

    The file is written under a temporary name in the same folder and renamed into
    place only once its checksum matches, so an interrupted or corrupt download never
    leaves a file that looks finished.

    Parameters
    ----------
    url : str
        Any address ``urllib`` opens (``file://`` too).
    path : str or os.PathLike
        Where to keep the file; its folder is created.
    md5 : str
        The expected hex MD5 digest.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ChecksumError
        If the download's MD5 differs; nothing is kept.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    temporary = Path(temporary)
    try:
        _download(url, temporary)
        actual = md5_of(temporary)
        if actual != md5:
            raise ChecksumError(
                f"checksum mismatch for {path.name} downloaded from {url}: "
                f"expected MD5 {md5}, got {actual}. The file was not kept; "
                f"the mirror may be serving a different file (set base_url to another mirror)."
            )
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def _cached_file(name: str, md5: str, cache_dir: Path, base_url: str, download: bool) -> Path:
    """The verified local copy of one MNIST file: reused when it checks out, else fetched."""
    path = cache_dir / name
    if path.exists() and md5_of(path) == md5:
        return path
    if not download:
        state = "has the wrong checksum" if path.exists() else "is missing"
        raise FileNotFoundError(
            f"{path} {state} and download=False; call load_mnist(download=True) once, "
            f"or put the file there (MD5 {md5})"
        )
    return fetch_verified(base_url.rstrip("/") + "/" + name, path, md5)


def load_mnist(cache_dir=None, download=True, base_url=None):
    """MNIST: 60,000 training and 10,000 test digits of 28x28 pixels, as Keras returns them.

    The four IDX files are downloaded once from ``base_url`` (default
    ``MNIST_BASE_URL``), checked against their published MD5 checksums
    (``MNIST_FILES``) and kept in ``cache_dir`` (default ``$NNLIB_DATA/mnist`` or
    ``~/.cache/nn-visually/mnist``); later calls read the cache. Returns
    ``(X_train, y_train), (X_test, y_test)`` with uint8 images of shape ``(n, 28, 28)``
    and uint8 labels, like ``keras.datasets.mnist.load_data()``. For a Dense network,
    flatten and scale: ``X_train.reshape(-1, 784).astype("float32") / 255``.

    Parameters
    ----------
    cache_dir : str or os.PathLike, optional
        Where the files are kept; None means ``$NNLIB_DATA/mnist`` or ``~/.cache/nn-visually/mnist``.
    download : bool, default True
        Fetch missing files; False raises instead.
    base_url : str, optional
        The mirror to download from; None means ``MNIST_BASE_URL``.

    Returns
    -------
    tuple
        ``(X_train, y_train), (X_test, y_test)``.

    Raises
    ------
    FileNotFoundError
        If a file is missing or damaged and ``download`` is False.
    ChecksumError
        If a downloaded file does not match its published checksum.
    IDXError
        If the files are not well-formed or do not match each other.
    """
    cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    base_url = MNIST_BASE_URL if base_url is None else base_url
    arrays = {
        key: read_idx(_cached_file(name, md5, cache_dir, base_url, download))
        for key, (name, md5) in MNIST_FILES.items()
    }
    for part in ("train", "test"):
        images, labels = arrays[f"{part}_images"], arrays[f"{part}_labels"]
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise IDXError(
                f"MNIST {part} files do not match: images {images.shape}, labels {labels.shape}"
            )
    return (arrays["train_images"], arrays["train_labels"]), (arrays["test_images"], arrays["test_labels"])
