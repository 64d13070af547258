"""nnlib.metrics against scikit-learn's, and the perceptron learning rule."""

import numpy as np
import pytest
from sklearn import metrics as sk

from nnlib import backend as nb, metrics, perceptron

rng = np.random.default_rng(0)


@pytest.mark.parametrize("trial", range(5))
def test_metrics_equal_scikit_learns(trial):
    y = rng.integers(0, 2, size=60)
    y[:2] = [0, 1]
    score = np.round(rng.random(60) + 0.4 * y, 2)  # rounded: ties between scores happen
    y_hat = (score > 0.7).astype(int)
    assert metrics.precision(y, y_hat) == pytest.approx(sk.precision_score(y, y_hat))
    assert metrics.recall(y, y_hat) == pytest.approx(sk.recall_score(y, y_hat))
    assert metrics.f1_score(y, y_hat) == pytest.approx(sk.f1_score(y, y_hat))
    assert metrics.roc_auc(y, score) == pytest.approx(sk.roc_auc_score(y, score))
    fpr, tpr, _ = metrics.roc_curve(y, score)
    sk_fpr, sk_tpr, _ = sk.roc_curve(y, score, drop_intermediate=False)
    assert np.allclose(fpr, sk_fpr) and np.allclose(tpr, sk_tpr)


def test_auc_is_the_probability_that_a_positive_outscores_a_negative():
    y = rng.integers(0, 2, size=40)
    score = np.round(rng.normal(size=40) + y, 1)
    pos, neg = score[y == 1], score[y == 0]
    pairs = (pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean()
    assert metrics.roc_auc(y, score) == pytest.approx(pairs)


def test_metrics_take_backend_arrays_and_columns():
    y = nb.asarray(np.array([[1.0], [0.0], [1.0]]))
    assert metrics.recall(y, np.array([1, 0, 0])) == 0.5


@pytest.mark.parametrize("call, message", [
    (lambda: metrics.precision([1, 0], [0, 0]), "precision is undefined"),
    (lambda: metrics.recall([0, 0], [0, 1]), "recall is undefined"),
    (lambda: metrics.precision([1, 2], [0, 1]), r"y_true must hold only 0 and 1 \(1 = positive\), found \[2\]"),
    (lambda: metrics.recall([1, 0, 1], [1, 0]), "y_true has 3 labels but the predictions have 2"),
    (lambda: metrics.roc_curve([1, 1], [0.2, 0.3]), "needs both classes"),
    (lambda: metrics.roc_auc([1, 0], [0.2, float("nan")]), "finite scores"),
    (lambda: metrics.auc([0.5, 0.2], [0.1, 0.3]), "increasing order"),
    (lambda: metrics.f1_score([], []), "non-empty 1-D"),
])
def test_bad_input_is_refused_with_the_reason(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_zero_division_reads_an_undefined_ratio_as_asked():
    assert metrics.precision([1, 0], [0, 0], zero_division=0.0) == 0.0


XY = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)


@pytest.mark.parametrize("labels", [[0, 0, 0, 1], [0, 1, 1, 1], [1, 1, 0, 0]], ids=["and", "or", "not_x1"])
def test_the_rule_converges_on_separable_sets(labels):
    w, b, mistakes = perceptron.train_perceptron(XY, labels, epochs=20)
    assert mistakes[-1] == 0 and perceptron.predict(w, b, XY).tolist() == labels


def test_the_rule_never_converges_on_xor():
    w, b, mistakes = perceptron.train_perceptron(XY, [0, 1, 1, 0], epochs=100)
    assert min(mistakes) >= 1
    assert (perceptron.predict(w, b, XY) != [0, 1, 1, 0]).sum() >= 1


def test_an_update_moves_only_on_a_mistake():
    w, b = np.array([1.0, -1.0]), 0.5
    assert perceptron.perceptron_update(w, b, np.array([1.0, 0.0]), 1)[1] == 0.5  # right: unchanged
    w2, b2 = perceptron.perceptron_update(w, b, np.array([1.0, 0.0]), 0, learning_rate=0.5)
    assert w2.tolist() == [0.5, -1.0] and b2 == 0.0


@pytest.mark.parametrize("args, message", [((XY, [0, 1, 2, 0]), "labels must be 0 or 1, found \\[2\\]"),
                                           ((XY, [0, 1]), "one label per example"),
                                           ((XY, [0, 1, 1, 0], 0), "epochs must be a whole number")])
def test_the_rule_refuses_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        perceptron.train_perceptron(*args)
