"""sitebuild.trained.fit_cached: trains once, then loads exactly what training gave."""

import numpy as np
import pytest

from nnlib import Dense, Sequential
from sitebuild import trained


def small_model(seed=0):
    model = Sequential([Dense(3, activation="tanh", input_shape=(2,)), Dense(1)], seed=seed)
    model.compile(optimizer="adam", loss="mse")
    return model


def test_second_fit_loads_the_first_ones_weights_and_history(tmp_path, monkeypatch):
    monkeypatch.setattr(trained, "TRAINED_CACHE", tmp_path)
    X, y = np.random.default_rng(0).normal(size=(16, 2)), np.arange(16.0)
    first = small_model()
    h1 = trained.fit_cached(first, X, y, validation_data=(X, y), epochs=3, batch_size=4, verbose=0)
    assert len(list(tmp_path.glob("*.npz"))) == 1
    second = small_model()
    calls = []
    monkeypatch.setattr(second, "fit", lambda *a, **k: calls.append(1))
    h2 = trained.fit_cached(second, X, y, validation_data=(X, y), epochs=3, batch_size=4, verbose=0)
    assert not calls and h2.history == h1.history and h2.epoch == [0, 1, 2] and "val_loss" in h2.history
    assert all(np.array_equal(a, b) for a, b in zip(first.get_weights(), second.get_weights()))


def test_anything_that_changes_the_result_changes_the_key():
    X, y = np.ones((8, 2)), np.ones(8)
    key = trained.training_key(small_model(), X, y, {"epochs": 3})
    assert key == trained.training_key(small_model(), X, y, {"epochs": 3})
    assert key != trained.training_key(small_model(seed=1), X, y, {"epochs": 3})  # other initial weights
    assert key != trained.training_key(small_model(), X, 2 * y, {"epochs": 3})
    assert key != trained.training_key(small_model(), X, y, {"epochs": 4})
    assert key != trained.training_key(small_model(), X, y, {"epochs": 3}, (X, y))
    other_optimizer = small_model()
    other_optimizer.compile(optimizer="sgd", loss="mse")
    assert key != trained.training_key(other_optimizer, X, y, {"epochs": 3})


def test_what_cannot_be_cached_is_refused():
    with pytest.raises(ValueError, match="callbacks"):
        trained.fit_cached(small_model(), np.ones((4, 2)), np.ones(4), callbacks=[])
    with pytest.raises(ValueError, match="compile"):
        trained.fit_cached(Sequential([Dense(1, input_shape=(2,))]), np.ones((4, 2)), np.ones(4))
