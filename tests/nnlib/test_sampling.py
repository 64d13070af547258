"""GaussianSample: the reparameterization trick, the KL term and their gradients."""

import numpy as np
import pytest

from nnlib import Dense, GaussianSample, Sequential, backend as nb, load_model
from nnlib.gradcheck import numerical_gradient, relative_error


def fixed_noise_layer(kl_weight, eps):
    """A GaussianSample whose every training pass draws the same eps (so central differences see one function)."""
    layer = GaussianSample(kl_weight=kl_weight, seed=0)
    layer.noise = lambda shape: nb.asarray(eps)
    return layer


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("kl_weight", [0.0, 1.0, 0.25])
def test_gradient_of_sample_and_kl_term(backend, training, kl_weight):
    rng = np.random.default_rng(0)
    with nb.using(dtype="float64"):
        x = nb.asarray(rng.normal(size=(5, 6)))
        g = nb.asarray(rng.normal(size=(5, 3)))
        layer = fixed_noise_layer(kl_weight, rng.normal(size=(5, 3)))

        def f(_):
            return nb.xp().sum(layer.forward(x, training=training) * g) + layer.regularization_loss()

        layer.forward(x, training=training)
        assert relative_error(layer.backward(g), numerical_gradient(f, x)) < 1e-6


def test_samples_have_the_encoded_mean_and_spread():
    layer = GaussianSample(seed=1)
    mu, sigma = np.array([1.0, -2.0]), np.array([0.5, 3.0])
    h = np.tile(np.concatenate([mu, np.log(sigma ** 2)]), (20000, 1))
    z = nb.to_numpy(layer.forward(nb.asarray(h), training=True))
    assert np.allclose(z.mean(axis=0), mu, atol=0.05) and np.allclose(z.std(axis=0), sigma, rtol=0.03)
    np.testing.assert_array_equal(nb.to_numpy(layer.forward(nb.asarray(h[:3]))), np.tile(mu, (3, 1)))


def test_kl_matches_a_monte_carlo_estimate():
    """KL(q || p) = E_q[log q(z) - log p(z)], estimated from samples of q."""
    rng = np.random.default_rng(2)
    mu, logvar = np.array([0.7, -0.3]), np.array([-1.0, 0.8])
    layer = GaussianSample()
    layer.forward(nb.asarray(np.concatenate([mu, logvar])[None]))
    sigma = np.exp(0.5 * logvar)
    z = mu + sigma * rng.normal(size=(200000, 2))
    log_q = -0.5 * (((z - mu) / sigma) ** 2 + logvar + np.log(2 * np.pi))
    log_p = -0.5 * (z ** 2 + np.log(2 * np.pi))
    assert float(nb.to_numpy(layer.kl())[0]) == pytest.approx(np.mean(np.sum(log_q - log_p, axis=1)), abs=0.01)
    layer.forward(nb.asarray(np.zeros((1, 4))))
    assert float(layer.regularization_loss()) == 0.0  # q = p: nothing to pay


def test_a_vae_saves_and_loads(tmp_path):
    model = Sequential([Dense(4, input_shape=(3,)), GaussianSample(kl_weight=0.5, seed=3), Dense(3)], seed=0)
    model.save(tmp_path / "vae.npz")
    loaded = load_model(tmp_path / "vae.npz")
    x = np.ones((2, 3))
    np.testing.assert_allclose(loaded.predict(x), model.predict(x))
    assert loaded.layers[1].kl_weight == 0.5 and model.output_shape() == (3,)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="kl_weight"):
        GaussianSample(kl_weight=-1)
    with pytest.raises(ValueError, match=r"\(batch, 2k\)"):
        Sequential([Dense(3, input_shape=(2,)), GaussianSample()])
