"""Self-attention and positional encoding, on inputs of shape (batch, time, d_model)."""

import math

import numpy as np

from .. import backend, initializers
from .._checks import positive_int
from .activations import softmax
from .base import Layer


def positional_encoding(length, d_model, on_device=False):
    r"""Sinusoidal positions (Vaswani et al., 2017), a (length, d_model) array.

    \[ PE_{pos,\,2k} = \sin\!\left(\frac{pos}{10000^{2k/d_\text{model}}}\right), \qquad
       PE_{pos,\,2k+1} = \cos\!\left(\frac{pos}{10000^{2k/d_\text{model}}}\right) \]

    Each pair of columns is a clock turning at its own speed, from one turn per
    2π positions down to one per 10000·2π, so nearby positions get similar codes
    and every position a different one. A NumPy array (for figures) unless
    ``on_device``, then an array of the active backend.

    >>> pe = positional_encoding(4, 4)
    >>> print(pe.shape, " ".join(f"{v:+.3f}" for v in pe[1]))
    (4, 4) +0.841 +0.540 +0.010 +1.000

    Parameters
    ----------
    length : int
        Number of positions (time steps).
    d_model : int
        Width of each position's code, the model's width.
    on_device : bool, default False
        False returns a NumPy array; True an array of the active backend.

    Returns
    -------
    array
        PE, shape (length, d_model).
    """
    positions = np.arange(length)[:, None]
    rates = 1.0 / 10000 ** (np.arange(0, d_model, 2) / d_model)
    angles = positions * rates[None, :]
    pe = np.zeros((length, d_model))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles[:, : d_model // 2])
    return backend.asarray(pe) if on_device else pe


class PositionalEncoding(Layer):
    r"""Adds the position code to its input; no parameters, so dx = grad.

    \[ \text{out}_{t} = x_t + PE_{t} \qquad (PE \text{ from } \texttt{positional\_encoding}) \]

    Attention treats its inputs as a set; adding the position code is what lets it
    tell "3 then 5" from "5 then 3".

    >>> import numpy as np
    >>> from nnlib import backend
    >>> out = PositionalEncoding().forward(backend.asarray(np.zeros((1, 2, 2))))
    >>> print(np.round(backend.to_numpy(out)[0], 3))
    [[0.    1.   ]
     [0.841 0.54 ]]

    Parameters
    ----------
    input_shape : tuple of int, optional
        One sequence's shape (time, d_model), for a model's first layer.
    name : str, optional
        The layer's name; None names it "positional_encoding".

    Raises
    ------
    ValueError
        In ``forward``, if the input is not (batch, time, d_model).
    """

    trainable = False

    def __init__(self, input_shape=None, name=None):
        super().__init__(name, input_shape)

    def forward(self, x, training=False):
        if x.ndim != 3:
            raise ValueError(f"{self.name or self.kind} expected input of shape (batch, time, d_model), "
                             f"got shape {tuple(x.shape)}")
        self.pe = positional_encoding(x.shape[1], x.shape[2], on_device=True)
        return x + self.pe

    def backward(self, grad, need_dx=True):
        self.dx = grad
        return grad


class MultiHeadSelfAttention(Layer):
    r"""Multi-head scaled dot-product self-attention, with an optional causal mask.

    For input x (batch, time, d_model) and each head (of ``num_heads``), with
    \( d_k \) = ``key_dim``:

    \[ \begin{aligned}
    Q &= x W_q + b_q, \quad K = x W_k + b_k, \quad V = x W_v + b_v && \text{each head: } d_k \text{ columns} \\
    S &= Q K^\top / \sqrt{d_k} && \text{scores (time, time)} \\
    S_{ts} &= -\infty \ \text{ for } s > t && \text{when causal: no looking ahead} \\
    A &= \operatorname{softmax}(S) && \text{along the last axis; rows sum to 1} \\
    C &= A V && \text{each step: a weighted mix of values} \\
    \text{out} &= \operatorname{concat}_\text{heads}(C)\, W_o + b_o && \text{back to } d_\text{model}
    \end{aligned} \]

    After ``forward`` the layer keeps ``q``, ``k``, ``v`` (batch, heads, time, key_dim),
    ``scores`` and ``attention_weights`` (batch, heads, time, time) and ``context``
    (batch, time, heads * key_dim). ``backward`` fills the grads of Wq, bq, Wk, bk,
    Wv, bv, Wo, bo and returns dL/dx, through the softmax Jacobian
    \( dS = A \odot (dA - \textstyle\sum_s dA \odot A) \). The parameter count equals Keras's
    ``MultiHeadAttention(num_heads, key_dim)``:
    \( 4\, d_\text{model} \cdot \text{heads} \cdot d_k + 3\, \text{heads} \cdot d_k + d_\text{model} \).

    >>> import numpy as np
    >>> from nnlib import backend
    >>> attention = MultiHeadSelfAttention(num_heads=2, key_dim=4, causal=True)
    >>> attention.build((3, 8), np.random.default_rng(0))
    >>> out = attention.forward(backend.asarray(np.random.default_rng(1).normal(size=(1, 3, 8))))
    >>> print(np.round(backend.to_numpy(attention.attention_weights)[0, 0], 2))
    [[1.   0.   0.  ]
     [0.49 0.51 0.  ]
     [0.45 0.34 0.21]]
    >>> print(tuple(out.shape), attention.count_params())
    (1, 3, 8) 288

    Parameters
    ----------
    num_heads : int
        Number of heads, a positive integer.
    key_dim : int
        Width of each head's queries, keys and values.
    causal : bool, default False
        True masks the future: step t attends only to steps s <= t (for language models).
    input_shape : tuple of int, optional
        One sequence's shape (time, d_model), for a model's first layer.
    kernel_initializer : str or Initializer, default "glorot_uniform"
        How Wq, Wk, Wv and Wo start; the biases start at zero.
    name : str, optional
        The layer's name; None names it "multi_head_self_attention".

    Raises
    ------
    ValueError
        If ``num_heads`` or ``key_dim`` is not a positive integer, or the input is not
        (batch, time, d_model).
    """

    def __init__(self, num_heads, key_dim, causal=False, input_shape=None, kernel_initializer="glorot_uniform",
                 name=None):
        super().__init__(name, input_shape)
        self.num_heads = positive_int(num_heads, "MultiHeadSelfAttention num_heads")
        self.key_dim = positive_int(key_dim, "MultiHeadSelfAttention key_dim")
        self.causal = bool(causal)
        self.kernel_initializer = initializers.get(kernel_initializer)

    def build(self, input_shape, rng=None):
        if len(input_shape) != 2:
            raise ValueError(f"{self.name or self.kind} expects inputs of shape (batch, time, d_model) "
                             f"(input_shape=(time, d_model)), got input_shape {tuple(input_shape)}")
        super().build(input_shape)
        rng = np.random.default_rng() if rng is None else rng
        d_model, width = self.input_shape[-1], self.num_heads * self.key_dim
        for name in ("q", "k", "v"):
            self.params["W" + name] = backend.asarray(self.kernel_initializer((d_model, width), rng))
            self.params["b" + name] = backend.zeros((width,))
        self.params["Wo"] = backend.asarray(self.kernel_initializer((width, d_model), rng))
        self.params["bo"] = backend.zeros((d_model,))

    def _split_heads(self, a):
        """(batch, time, heads * key_dim) -> (batch, heads, time, key_dim)."""
        xp = backend.xp()
        batch, steps, _ = a.shape
        return xp.permute_dims(xp.reshape(a, (batch, steps, self.num_heads, self.key_dim)), (0, 2, 1, 3))

    def _merge_heads(self, a):
        """(batch, heads, time, key_dim) -> (batch, time, heads * key_dim)."""
        xp = backend.xp()
        batch, heads, steps, key_dim = a.shape
        return xp.reshape(xp.permute_dims(a, (0, 2, 1, 3)), (batch, steps, heads * key_dim))

    def forward(self, x, training=False):
        xp = backend.xp()
        d_model = self.params["Wo"].shape[1]
        if x.ndim != 3 or x.shape[-1] != d_model:
            raise ValueError(f"{self.name or self.kind} expected input of shape (batch, time, {d_model}), "
                             f"got shape {tuple(x.shape)}")
        p = self.params
        self.x = x
        self.q = self._split_heads(x @ p["Wq"] + p["bq"])
        self.k = self._split_heads(x @ p["Wk"] + p["bk"])
        self.v = self._split_heads(x @ p["Wv"] + p["bv"])
        self.scores = (self.q @ xp.matrix_transpose(self.k)) / math.sqrt(self.key_dim)
        if self.causal:
            steps = x.shape[1]
            position = backend.arange(steps)
            allowed = xp.reshape(position, (-1, 1)) >= xp.reshape(position, (1, -1))  # key s <= query t
            self.scores = xp.where(allowed, self.scores, -math.inf)
        self.attention_weights = softmax(self.scores)
        self.context = self._merge_heads(self.attention_weights @ self.v)
        self.out = self.context @ p["Wo"] + p["bo"]
        return self.out

    def backward(self, grad, need_dx=True):
        xp = backend.xp()
        p = self.params
        A = self.attention_weights
        width = self.num_heads * self.key_dim
        d_model = p["Wo"].shape[1]
        x2 = xp.reshape(self.x, (-1, d_model))
        # Output projection.
        self.grads["Wo"] = xp.reshape(self.context, (-1, width)).T @ xp.reshape(grad, (-1, d_model))
        self.grads["bo"] = xp.sum(xp.reshape(grad, (-1, d_model)), axis=0)
        dC = self._split_heads(grad @ p["Wo"].T)
        # C = A V.
        dA = dC @ xp.matrix_transpose(self.v)
        dV = xp.matrix_transpose(A) @ dC
        # A = softmax(S); masked entries have A = 0, so they get no gradient.
        dS = A * (dA - xp.sum(dA * A, axis=-1, keepdims=True)) / math.sqrt(self.key_dim)
        # S = Q Kᵀ / sqrt(key_dim), the scale already applied to dS.
        dQ = dS @ self.k
        dK = xp.matrix_transpose(dS) @ self.q
        self.dx = xp.zeros_like(self.x)
        for name, d in (("q", dQ), ("k", dK), ("v", dV)):
            d2 = xp.reshape(self._merge_heads(d), (-1, width))
            self.grads["W" + name] = x2.T @ d2
            self.grads["b" + name] = xp.sum(d2, axis=0)
            self.dx = self.dx + xp.reshape(d2 @ p["W" + name].T, tuple(self.x.shape))
        return self.dx
