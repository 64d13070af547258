"""The sampling layer of a variational autoencoder: the reparameterization trick and the KL term."""

import numpy as np

from .. import backend
from .base import Layer


class GaussianSample(Layer):
    r"""The VAE's sampling layer: a code z drawn from the normal distribution the encoder outputs.

    \[ z = \mu + \sigma \odot \varepsilon, \quad \varepsilon \sim \mathcal{N}(0, I), \qquad
       \text{from the input } h = [\mu,\ \log \sigma^2] \text{ of width } 2k \]

    The encoder of a variational autoencoder (VAE) outputs, for each input, a normal
    distribution over codes: its mean mu (the first k columns of h) and its log-variance
    log sigma² (the last k). This layer draws one code from it in a way the gradient can
    pass through (the *reparameterization trick*): the randomness is the input eps, drawn
    on the host from ``rng`` (``seed`` makes one), and z is a smooth function of mu and sigma.
    At inference (``training=False``) z = mu, the most likely code.

    It also adds the KL divergence of N(mu, sigma²) from the prior N(0, I) to the loss, as a
    layer's penalty (``regularization_loss``), averaged over the batch and times ``kl_weight``
    (\( \beta \) below), per example over the k codes:

    \[ KL = \tfrac{1}{2} \sum_j \left( \mu_j^2 + \sigma_j^2 - \log \sigma_j^2 - 1 \right) \]

    Backward, with \( g = \partial L / \partial z \) and B the batch size:

    \[ \frac{\partial L}{\partial \mu} = g + \frac{\beta \mu}{B}, \qquad
       \frac{\partial L}{\partial \log \sigma^2} = \frac{g\, \varepsilon\, \sigma}{2} + \frac{\beta (\sigma^2 - 1)}{2B} \]

    With a reconstruction loss that is a mean over D outputs (nnlib's losses average over
    every entry), ``kl_weight = 1 / D`` makes the total loss the negative ELBO divided by D.

    >>> from nnlib import backend
    >>> layer = GaussianSample(seed=0)
    >>> h = backend.asarray([[0.5, -1.0, 0.0, np.log(4.0)]])      # mu = (0.5, -1), sigma = (1, 2)
    >>> print(backend.to_numpy(layer.forward(h)), backend.to_numpy(layer.forward(h, training=True)).round(3))
    [[ 0.5 -1. ]] [[ 0.626 -1.264]]
    >>> print(f"KL = {float(layer.regularization_loss()):.4f}")    # 0.5 (0.25 + 1 + 1 + 4 - 0 - log 4 - 2)
    KL = 1.4319

    Parameters
    ----------
    kl_weight : float, default 1.0
        \( \beta \) >= 0, the KL term's weight in the loss; 0 turns it off.
    seed : int, optional
        Seeds a generator for eps, for repeatable draws.
    rng : numpy.random.Generator, optional
        The generator for eps itself (wins over ``seed``); by default the model's.
    input_shape : tuple of int, optional
        ``(2k,)``, for a model's first layer.
    name : str, optional
        The layer's name; None names it "gaussian_sample".

    Raises
    ------
    ValueError
        If ``kl_weight`` is not a number >= 0, or the input's width is not even.
    """

    trainable = False
    not_saved = ("rng",)

    def __init__(self, kl_weight=1.0, seed=None, rng=None, input_shape=None, name=None):
        super().__init__(name, input_shape)
        if not (isinstance(kl_weight, (int, float)) and not isinstance(kl_weight, bool) and kl_weight >= 0):
            raise ValueError(f"GaussianSample kl_weight must be a number >= 0, got {kl_weight!r}")
        self.kl_weight = float(kl_weight)
        self.seed = seed
        self.rng = rng if rng is not None else (None if seed is None else np.random.default_rng(seed))

    def build(self, input_shape, rng=None):
        if len(input_shape) != 1 or input_shape[0] % 2:
            raise ValueError(f"{self.name or self.kind} expects inputs of shape (batch, 2k): k means, then k "
                             f"log-variances; got input_shape {tuple(input_shape)}")
        super().build(input_shape)
        if self.rng is None:
            self.rng = rng if rng is not None else np.random.default_rng()

    def output_shape(self, input_shape):
        return (input_shape[0] // 2,)

    def noise(self, shape):
        r"""\( \varepsilon \sim \mathcal{N}(0, I) \), drawn on the host so every backend draws the same numbers.

        Parameters
        ----------
        shape : tuple of int
            The shape of the draw, (batch, k).

        Returns
        -------
        array
            Standard normal numbers on the active backend.
        """
        return backend.asarray(self.rng.normal(size=shape))

    def forward(self, x, training=False):
        xp = backend.xp()
        if not self.built:
            self.build(tuple(x.shape[1:]))
        if x.ndim != 2 or x.shape[1] % 2:
            raise ValueError(f"{self.name or self.kind} expected input of shape (batch, 2k), got {tuple(x.shape)}")
        k = x.shape[1] // 2
        self.mu, self.logvar = x[:, :k], x[:, k:]
        self.sigma = xp.exp(0.5 * self.logvar)
        self.eps = self.noise(tuple(self.mu.shape)) if training else None
        self.z = self.mu if self.eps is None else self.mu + self.sigma * self.eps
        return self.z

    def kl(self):
        """KL(N(mu, sigma²) || N(0, I)) of each example of the last forward pass, shape (batch,)."""
        xp = backend.xp()
        return 0.5 * xp.sum(self.mu ** 2 + self.sigma ** 2 - self.logvar - 1.0, axis=1)

    def regularization_loss(self):
        if not self.kl_weight:
            return 0.0
        return self.kl_weight * backend.xp().mean(self.kl())

    def backward(self, grad, need_dx=True):
        xp = backend.xp()
        batch = self.mu.shape[0]
        dmu = grad + self.kl_weight * self.mu / batch
        dlogvar = self.kl_weight * (self.sigma ** 2 - 1.0) / (2 * batch)
        if self.eps is not None:
            dlogvar = dlogvar + grad * self.eps * self.sigma / 2
        self.dx = xp.concat([dmu, dlogvar], axis=1)
        return self.dx
