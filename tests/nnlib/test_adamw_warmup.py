"""AdamW (decoupled weight decay) and LinearWarmup."""

import numpy as np
import pytest

import nnlib
from nnlib import backend as nb
from nnlib.optimizers import Adam, AdamW, LinearWarmup


def run(optimizer, gradients, start=1.0):
    w = nb.asarray(np.array([start]))
    for g in gradients:
        optimizer.step([(w, nb.asarray(np.array([g])))])
    return float(nb.to_numpy(w)[0])


def test_adamw_is_adam_plus_a_shrink_by_lr_times_decay(float64):
    grads = [0.3, -0.1, 0.5, 0.2]
    # With weight_decay = 0 AdamW is Adam, bit for bit.
    assert run(AdamW(0.01, weight_decay=0.0), grads) == run(Adam(0.01), grads)
    # With a zero gradient only the decay acts: w (1 - lr wd)^t.
    assert run(AdamW(0.01, weight_decay=0.1), [0.0] * 5) == pytest.approx((1 - 0.001) ** 5)
    # One step: first the shrink, then Adam's step of about lr against the gradient's sign.
    assert run(AdamW(0.01, weight_decay=0.1), [0.3]) == pytest.approx(1.0 * (1 - 0.001) - 0.01, abs=1e-6)


def test_adamw_decay_does_not_depend_on_the_gradient_scale_but_l2_in_adam_does(float64):
    """The decay's share of a step: the same for large and small gradients with AdamW; with L2
    added to the gradient, Adam's normalization makes it small where gradients are large."""
    lr, decay, w0 = 0.01, 0.1, 1.0

    def adamw_decay_share(scale):
        return run(AdamW(lr, weight_decay=decay), [scale] * 3, w0) - run(Adam(lr), [scale] * 3, w0)

    def l2_decay_share(scale):
        w = nb.asarray(np.array([w0]))
        opt = Adam(lr)
        for _ in range(3):
            opt.step([(w, nb.asarray(np.array([scale])) + 2 * (decay / 2) * w)])
        return float(nb.to_numpy(w)[0]) - run(Adam(lr), [scale] * 3, w0)

    assert adamw_decay_share(10.0) == pytest.approx(adamw_decay_share(0.01), rel=0.05)
    assert abs(l2_decay_share(10.0)) < 0.05 * abs(l2_decay_share(0.01))


def test_adamw_by_name_config_and_errors(tmp_path):
    model = nnlib.Sequential([nnlib.Dense(1, input_shape=(2,))], seed=0)
    model.compile(optimizer=AdamW(0.01, weight_decay=0.05), loss="mse")
    model.save(tmp_path / "m")
    loaded = nnlib.load_model(tmp_path / "m").optimizer
    assert isinstance(loaded, AdamW) and loaded.weight_decay == 0.05
    assert isinstance(nnlib.optimizers.get("adamw"), AdamW)
    with pytest.raises(ValueError, match="AdamW weight_decay must be a number >= 0, got -1"):
        AdamW(weight_decay=-1)


def test_linear_warmup_ramps_then_holds():
    schedule = LinearWarmup(0.1, warmup_steps=10)
    assert [schedule(s) for s in (0, 4, 9, 10, 500)] == pytest.approx([0.01, 0.05, 0.1, 0.1, 0.1])


def test_linear_warmup_drives_the_optimizer_steps(float64):
    opt = nnlib.SGD(learning_rate=LinearWarmup(0.1, warmup_steps=4))
    w = nb.asarray(np.array([0.0]))
    steps = []
    for _ in range(6):
        before = float(nb.to_numpy(w)[0])
        opt.step([(w, nb.asarray(np.array([1.0])))])
        steps.append(before - float(nb.to_numpy(w)[0]))
    assert steps == pytest.approx([0.025, 0.05, 0.075, 0.1, 0.1, 0.1])


@pytest.mark.parametrize("args, message", [((0.0, 5), "learning_rate must be a positive number"),
                                           ((0.1, 0), "warmup_steps must be a whole number of steps >= 1"),
                                           ((0.1, 2.5), "warmup_steps must be a whole number")])
def test_linear_warmup_errors(args, message):
    with pytest.raises(ValueError, match=message):
        LinearWarmup(*args)


def test_linear_warmup_round_trips_through_config(tmp_path):
    model = nnlib.Sequential([nnlib.Dense(1, input_shape=(2,))], seed=0)
    model.compile(optimizer=nnlib.Adam(LinearWarmup(0.01, 7)), loss="mse")
    model.save(tmp_path / "m")
    schedule = nnlib.load_model(tmp_path / "m").optimizer.learning_rate
    assert isinstance(schedule, LinearWarmup) and schedule(0) == pytest.approx(0.01 / 7)
