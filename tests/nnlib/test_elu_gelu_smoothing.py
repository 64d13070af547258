"""ELU, GELU and label smoothing: formulas, gradients (float64 gradcheck) and errors."""

import math

import numpy as np
import pytest

import nnlib
from nnlib import backend as nb, losses
from nnlib.gradcheck import check_layer, check_loss, gradcheck
from nnlib.layers import ELU, GELU, Dense

rng = np.random.default_rng(0)


@pytest.mark.parametrize("layer", [ELU(), ELU(alpha=0.5), GELU()], ids=["elu", "elu_0.5", "gelu"])
def test_gradients_match_central_differences(backend, layer):
    x = rng.normal(size=(4, 5)) * 2
    x = np.where(np.abs(x) < 0.1, 0.5, x)  # ELU's second derivative jumps at 0 when alpha != 1
    assert check_layer(layer, x) < 1e-6


def test_elu_is_continuous_and_bounded_below_by_minus_alpha():
    out = nb.to_numpy(ELU(alpha=0.5).forward(nb.asarray(np.array([-50.0, -1e-9, 0.0, 1e-9, 800.0]))))
    assert out[0] == pytest.approx(-0.5) and abs(out[1]) < 1e-8 and out[2] == 0 and out[4] == 800.0


def test_gelu_is_close_to_x_times_the_normal_cdf():
    x = np.linspace(-6, 6, 241)
    exact = x * 0.5 * (1 + np.array([math.erf(v / math.sqrt(2)) for v in x]))
    with nb.using(dtype="float64"):
        approx = nb.to_numpy(GELU().forward(nb.asarray(x)))
    assert np.max(np.abs(approx - exact)) < 5e-4


def test_by_name_in_a_model_and_saved_config(tmp_path):
    with nb.using(dtype="float64"):
        model = nnlib.Sequential([Dense(4, activation="gelu", input_shape=(3,)), Dense(2, activation="elu"),
                                  Dense(3, activation="softmax")], seed=0)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        assert gradcheck(model, rng.normal(size=(5, 3)), np.array([0, 1, 2, 1, 0])) < 1e-6
    model.save(tmp_path / "m")
    kinds = [layer.activation.kind for layer in nnlib.load_model(tmp_path / "m").layers]
    assert kinds == ["gelu", "elu", "softmax"]


def test_elu_refuses_a_bad_alpha():
    with pytest.raises(ValueError, match="ELU alpha must be a positive number, got -1"):
        ELU(alpha=-1)


def test_label_smoothing_targets_and_loss():
    loss = losses.CategoricalCrossentropy(label_smoothing=0.3)
    y = loss.one_hot(nb.asarray(np.array([2, 0])), nb.asarray(np.full((2, 3), 1 / 3)))
    assert np.allclose(nb.to_numpy(y), [[0.1, 0.1, 0.8], [0.8, 0.1, 0.1]])
    # Cross-entropy with smoothed targets is minimal where the prediction equals them.
    best = float(loss(nb.asarray(np.array([2])), nb.asarray(np.array([[0.1, 0.1, 0.8]]))))
    worse = float(loss(nb.asarray(np.array([2])), nb.asarray(np.array([[0.01, 0.01, 0.98]]))))
    assert best < worse
    assert best == pytest.approx(-(0.2 * math.log(0.1) + 0.8 * math.log(0.8)), rel=1e-5)


@pytest.mark.parametrize("from_logits", [False, True])
def test_label_smoothing_gradients(backend, from_logits):
    loss = losses.CategoricalCrossentropy(from_logits=from_logits, label_smoothing=0.2)
    p = rng.dirichlet(np.ones(4), size=3) if not from_logits else rng.normal(size=(3, 4))
    assert check_loss(loss, np.array([0, 3, 1]), p) < 1e-6


def test_fused_gradient_with_smoothing_matches_the_chain(float64):
    model = nnlib.Sequential([Dense(4, activation="softmax", input_shape=(3,))], seed=0)
    model.compile(optimizer="sgd", loss=losses.CategoricalCrossentropy(label_smoothing=0.1))
    assert gradcheck(model, rng.normal(size=(6, 3)), np.array([0, 1, 2, 3, 0, 1])) < 1e-6


@pytest.mark.parametrize("bad", [-0.1, 1.0, "a lot"])
def test_label_smoothing_refuses_values_outside_0_1(bad):
    with pytest.raises(ValueError, match="label_smoothing must be a number in \\[0, 1\\)"):
        losses.CategoricalCrossentropy(label_smoothing=bad)
