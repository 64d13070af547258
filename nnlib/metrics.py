r"""Evaluation of a binary classifier beyond accuracy: precision, recall, F1, the ROC curve and AUC.

With true labels y (1 = positive) and predicted labels ŷ, count

- TP: ŷ = 1 and y = 1 (true positives),  FP: ŷ = 1 and y = 0 (false positives),
- FN: ŷ = 0 and y = 1 (false negatives), TN: ŷ = 0 and y = 0 (true negatives).

\[ \text{precision} = \frac{TP}{TP + FP}, \qquad \text{recall} = \frac{TP}{TP + FN}, \qquad
   F_1 = \frac{2 \cdot \text{precision} \cdot \text{recall}}{\text{precision} + \text{recall}} \]

Precision is the share of the examples called positive that are; recall the share of the
positives found (also sensitivity, true-positive rate); F1 their harmonic mean.

A classifier that outputs a score (a sigmoid's probability) gives one (ŷ) per threshold; the ROC
curve plots the true-positive rate against the false-positive rate FP / (FP + TN) over all
thresholds, and AUC, the area under it, is the probability that a random positive scores above
a random negative (ties count one half).

Everything runs on the host in NumPy (labels and scores are small); arrays of the GPU backend
are copied over.

>>> y = [1, 1, 1, 0, 0, 0, 0, 0]
>>> y_hat = [1, 1, 0, 1, 0, 0, 0, 0]
>>> print(confusion_counts(y, y_hat))
{'TP': 2, 'FP': 1, 'FN': 1, 'TN': 4}
>>> print(f"{precision(y, y_hat):.3f} {recall(y, y_hat):.3f} {f1_score(y, y_hat):.3f}")
0.667 0.667 0.667
"""

import numpy as np

from .backend import to_numpy


def _labels(y, what):
    """``y`` as a 1-D host array of 0s and 1s, or a ValueError saying what was wrong."""
    y = np.asarray(to_numpy(y))
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.ndim != 1 or y.size == 0:
        raise ValueError(f"{what} must be a non-empty 1-D array (or one column), got shape {y.shape}")
    if not np.isin(y, (0, 1)).all():
        found = np.unique(y[~np.isin(y, (0, 1))])[:5].tolist()
        raise ValueError(f"{what} must hold only 0 and 1 (1 = positive), found {found}")
    return y.astype(int)


def _pair(y_true, y_other, other_is_scores=False):
    y_true = _labels(y_true, "y_true")
    if other_is_scores:
        y_other = np.asarray(to_numpy(y_other), dtype=float).reshape(-1) if np.ndim(y_other) else None
        if y_other is None or not np.isfinite(y_other).all():
            raise ValueError("y_score must be a 1-D array of finite scores")
    else:
        y_other = _labels(y_other, "y_pred")
    if y_other.shape != y_true.shape:
        raise ValueError(f"y_true has {y_true.size} labels but the predictions have {y_other.size}")
    return y_true, y_other


def _ratio(numerator, denominator, name, zero_division):
    """numerator / denominator, or ``zero_division`` when nothing was counted (with a reason if None)."""
    if denominator:
        return numerator / denominator
    if zero_division is None:
        raise ValueError(f"{name} is undefined: its denominator counts no examples "
                         f"(pass zero_division=0.0 to read it as 0)")
    return float(zero_division)


def confusion_counts(y_true, y_pred):
    """TP, FP, FN and TN (see the module docstring) of predicted labels ``y_pred``.

    Parameters
    ----------
    y_true : array_like
        True labels, 0 or 1 (1 = positive), 1-D or one column.
    y_pred : array_like
        Predicted labels, 0 or 1, as many.

    Returns
    -------
    dict
        ``{"TP": int, "FP": int, "FN": int, "TN": int}``.

    Raises
    ------
    ValueError
        If the labels are empty, not 0/1, or of different lengths.
    """
    y, y_hat = _pair(y_true, y_pred)
    return {"TP": int(np.sum((y_hat == 1) & (y == 1))), "FP": int(np.sum((y_hat == 1) & (y == 0))),
            "FN": int(np.sum((y_hat == 0) & (y == 1))), "TN": int(np.sum((y_hat == 0) & (y == 0)))}


def precision(y_true, y_pred, zero_division=None):
    r"""Precision, \( TP / (TP + FP) \): of the examples called positive, the share that are.

    Undefined when nothing is predicted positive: a ValueError, unless ``zero_division``
    gives the value to use.

    Parameters
    ----------
    y_true : array_like
        True 0/1 labels.
    y_pred : array_like
        Predicted 0/1 labels.
    zero_division : float, optional
        The value when TP + FP = 0; None (the default) raises instead.

    Returns
    -------
    float
        Precision in [0, 1].

    Raises
    ------
    ValueError
        If it is undefined and ``zero_division`` is None, or the labels are invalid.
    """
    c = confusion_counts(y_true, y_pred)
    return _ratio(c["TP"], c["TP"] + c["FP"], "precision", zero_division)


def recall(y_true, y_pred, zero_division=None):
    r"""Recall, \( TP / (TP + FN) \): of the positives, the share found.

    Undefined when there is no positive example (see :func:`precision`).

    Parameters
    ----------
    y_true : array_like
        The labels, 1 for a positive example.
    y_pred : array_like
        The classifier's labels.
    zero_division : float, optional
        Used when there are no positives; None raises.

    Returns
    -------
    float
        Recall in [0, 1].
    """
    c = confusion_counts(y_true, y_pred)
    return _ratio(c["TP"], c["TP"] + c["FN"], "recall", zero_division)


def f1_score(y_true, y_pred, zero_division=None):
    r"""The F1 score, the harmonic mean of precision and recall.

    \[ F_1 = \frac{2\,TP}{2\,TP + FP + FN} = \frac{2 \cdot \text{precision} \cdot \text{recall}}{\text{precision} + \text{recall}} \]

    >>> print(f1_score([1, 0, 0, 0], [0, 0, 0, 0], zero_division=0.0))
    0.0

    Parameters
    ----------
    y_true, y_pred : array_like
        True and predicted 0/1 labels.
    zero_division : float, optional
        The score when TP, FP and FN are all 0; None raises.

    Returns
    -------
    float
        F1 in [0, 1].
    """
    c = confusion_counts(y_true, y_pred)
    return _ratio(2 * c["TP"], 2 * c["TP"] + c["FP"] + c["FN"], "F1", zero_division)


def roc_curve(y_true, y_score):
    """False- and true-positive rates (fpr, tpr) over every threshold, and the thresholds.

    Threshold t calls an example positive when its score is >= t; the thresholds are the distinct
    scores from the highest down, after +inf (nothing positive: the point (0, 0)).

    >>> fpr, tpr, thresholds = roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
    >>> print(fpr.tolist(), tpr.tolist())
    [0.0, 0.0, 0.5, 0.5, 1.0] [0.0, 0.5, 0.5, 1.0, 1.0]

    Parameters
    ----------
    y_true : array_like
        True 0/1 labels, with both classes present.
    y_score : array_like
        A finite score per example; higher means more likely positive.

    Returns
    -------
    fpr : numpy.ndarray
        False-positive rate FP / (FP + TN) at each threshold, increasing.
    tpr : numpy.ndarray
        True-positive rate TP / (TP + FN) at each threshold.
    thresholds : numpy.ndarray
        +inf, then the distinct scores from the highest down.

    Raises
    ------
    ValueError
        If y_true lacks a class or the scores are not finite.
    """
    y, score = _pair(y_true, y_score, other_is_scores=True)
    positives, negatives = int(y.sum()), int((1 - y).sum())
    if not positives or not negatives:
        raise ValueError(f"a ROC curve needs both classes in y_true, got {positives} positives "
                         f"and {negatives} negatives")
    thresholds = np.concatenate([[np.inf], np.unique(score)[::-1]])
    called = score[None, :] >= thresholds[:, None]  # (threshold, example)
    tpr = (called & (y == 1)).sum(axis=1) / positives
    fpr = (called & (y == 0)).sum(axis=1) / negatives
    return fpr, tpr, thresholds


def auc(fpr, tpr):
    """Area under a curve by the trapezoid rule (for a ROC curve from :func:`roc_curve`).

    >>> print(auc([0.0, 0.0, 1.0], [0.0, 1.0, 1.0]))
    1.0

    Parameters
    ----------
    fpr : array_like
        x coordinates, increasing.
    tpr : array_like
        y coordinates, as many.

    Returns
    -------
    float
        The area.

    Raises
    ------
    ValueError
        If the arrays differ in shape, are shorter than 2, or fpr decreases.
    """
    fpr, tpr = np.asarray(fpr, dtype=float), np.asarray(tpr, dtype=float)
    if fpr.shape != tpr.shape or fpr.ndim != 1 or fpr.size < 2:
        raise ValueError(f"auc needs two 1-D arrays of the same length >= 2, got {fpr.shape} and {tpr.shape}")
    if np.any(np.diff(fpr) < 0):
        raise ValueError("auc needs fpr in increasing order, as roc_curve returns it")
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def roc_auc(y_true, y_score):
    """The area under the ROC curve of scores ``y_score``: P(random positive outscores a random negative).

    >>> print(roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]))
    0.75

    Parameters
    ----------
    y_true : array_like
        True 0/1 labels, both classes present.
    y_score : array_like
        The classifier's scores.

    Returns
    -------
    float
        AUC in [0, 1]; 0.5 is chance.
    """
    fpr, tpr, _ = roc_curve(y_true, y_score)
    return auc(fpr, tpr)
