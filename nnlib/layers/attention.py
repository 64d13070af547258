"""Self-attention, cross-attention and positional encoding, on inputs of shape (batch, time, d_model)."""

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


class MultiHeadCrossAttention(Layer):
    r"""Multi-head scaled dot-product attention of one sequence (the queries) over another (the source).

    For x (batch, time, d_model), the source (batch, source_time, source_dim) and each head
    (of ``num_heads``), with \( d_k \) = ``key_dim``:

    \[ \begin{aligned}
    Q &= x W_q + b_q && \text{each head: } d_k \text{ columns} \\
    K &= \text{source}\, W_k + b_k, \quad V = \text{source}\, W_v + b_v && \text{the same} \\
    S &= Q K^\top / \sqrt{d_k} && \text{scores (time, source\_time)} \\
    A &= \operatorname{softmax}(S) && \text{row } t \text{: the weight of each source position} \\
    C &= A V && \text{each step: a weighted mix of source values} \\
    \text{out} &= \operatorname{concat}_\text{heads}(C)\, W_o + b_o && \text{back to } d_\text{model}
    \end{aligned} \]

    In an encoder-decoder, x is the decoder's sequence and the source the encoder's
    output: each target position asks which source positions matter for it.
    ``forward(x, source)`` takes the two inputs and ``backward(grad)`` returns both gradients,
    (dL/dx, dL/dsource), after filling the grads of Wq, bq, Wk, bk, Wv, bv, Wo, bo,
    through the softmax Jacobian \( dS = A \odot (dA - \textstyle\sum_s dA \odot A) \).
    :class:`MultiHeadSelfAttention` is this layer with the source equal to x.

    Parameters
    ----------
    num_heads : int
        Number of heads, a positive integer.
    key_dim : int
        Width of each head's queries, keys and values.
    source_dim : int, optional
        Width of the source's vectors; None means the same as x's.
    input_shape : tuple of int, optional
        The query sequence's shape (time, d_model), for a model's first layer.
    kernel_initializer : str or Initializer, default "glorot_uniform"
        How Wq, Wk, Wv and Wo start; the biases start at zero.
    name : str, optional
        The layer's name; None names it "multi_head_cross_attention".

    Raises
    ------
    ValueError
        If ``num_heads`` or ``key_dim`` is not a positive integer, or the inputs' shapes do
        not match: x (batch, time, d_model), source (batch, source_time, source_dim).

    Examples
    --------
    >>> import numpy as np
    >>> from nnlib import backend
    >>> cross = MultiHeadCrossAttention(num_heads=2, key_dim=4)
    >>> cross.build((2, 8), np.random.default_rng(0))
    >>> rng = np.random.default_rng(1)
    >>> x, source = backend.asarray(rng.normal(size=(1, 2, 8))), backend.asarray(rng.normal(size=(1, 3, 8)))
    >>> out = cross.forward(x, source)
    >>> print(np.round(backend.to_numpy(cross.attention_weights)[0, 0], 2))  # 2 target rows, 3 source columns
    [[0.17 0.25 0.58]
     [0.25 0.49 0.26]]
    >>> dx, dsource = cross.backward(backend.asarray(np.ones((1, 2, 8))))
    >>> print(tuple(out.shape), tuple(dx.shape), tuple(dsource.shape))
    (1, 2, 8) (1, 2, 8) (1, 3, 8)
    """

    causal = False  # cross-attention sees the whole source; self-attention may mask the future

    def __init__(self, num_heads, key_dim, source_dim=None, input_shape=None, kernel_initializer="glorot_uniform",
                 name=None):
        super().__init__(name, input_shape)
        what = type(self).__name__
        self.num_heads = positive_int(num_heads, f"{what} num_heads")
        self.key_dim = positive_int(key_dim, f"{what} key_dim")
        self.source_dim = None if source_dim is None else positive_int(source_dim, f"{what} source_dim")
        self.kernel_initializer = initializers.get(kernel_initializer)

    def build(self, input_shape, rng=None):
        if len(input_shape) != 2:
            raise ValueError(f"{self.name or self.kind} expects inputs of shape (batch, time, d_model) "
                             f"(input_shape=(time, d_model)), got input_shape {tuple(input_shape)}")
        super().build(input_shape)
        rng = np.random.default_rng() if rng is None else rng
        d_model, width = self.input_shape[-1], self.num_heads * self.key_dim
        source_dim = d_model if self.source_dim is None else self.source_dim
        for name, rows in (("q", d_model), ("k", source_dim), ("v", source_dim)):
            self.params["W" + name] = backend.asarray(self.kernel_initializer((rows, width), rng))
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

    def _check_inputs(self, x, source):
        """Refuse inputs that do not fit the weights or each other, naming both shapes."""
        d_model, source_dim = self.params["Wq"].shape[0], self.params["Wk"].shape[0]
        label = self.name or self.kind
        if x.ndim != 3 or x.shape[-1] != d_model:
            raise ValueError(f"{label} expected input of shape (batch, time, {d_model}), got shape {tuple(x.shape)}")
        if source.ndim != 3 or source.shape[-1] != source_dim or source.shape[0] != x.shape[0]:
            raise ValueError(f"{label} expected a source of shape ({x.shape[0]}, source_time, {source_dim}) "
                             f"for input of shape {tuple(x.shape)}, got shape {tuple(source.shape)}")

    def forward(self, x, source, training=False):
        xp = backend.xp()
        if not self.built:
            self.build(tuple(x.shape[1:]))
        self._check_inputs(x, source)
        p = self.params
        self.x, self.source = x, source
        self.q = self._split_heads(x @ p["Wq"] + p["bq"])
        self.k = self._split_heads(source @ p["Wk"] + p["bk"])
        self.v = self._split_heads(source @ p["Wv"] + p["bv"])
        self.scores = (self.q @ xp.matrix_transpose(self.k)) / math.sqrt(self.key_dim)
        if self.causal:
            position = backend.arange(x.shape[1])
            allowed = xp.reshape(position, (-1, 1)) >= xp.reshape(position, (1, -1))  # key s <= query t
            self.scores = xp.where(allowed, self.scores, -math.inf)
        self.attention_weights = softmax(self.scores)
        self.context = self._merge_heads(self.attention_weights @ self.v)
        self.out = self.context @ p["Wo"] + p["bo"]
        return self.out

    def backward(self, grad, need_dx=True):
        """(dL/dx, dL/dsource) from dL/d(out); fills the parameters' grads.

        Parameters
        ----------
        grad : array
            dL/d(out), shaped like the output (batch, time, d_model).
        need_dx : bool, default True
            Accepted for the common signature; both input gradients are always returned,
            since the decoder needs dL/dx and the encoder dL/dsource.

        Returns
        -------
        tuple of array
            (dL/dx, dL/dsource), shaped like x and like the source.
        """
        via_q, via_k, via_v = self._backward_parts(grad)
        self.dx, self.dsource = via_q, via_k + via_v  # the source gave the keys and the values
        return self.dx, self.dsource

    def _backward_parts(self, grad):
        """Fill the parameters' grads; return what reaches the inputs through Q, through K and through V."""
        xp = backend.xp()
        if tuple(grad.shape) != tuple(self.out.shape):
            raise ValueError(f"{self.name or self.kind} expected a gradient of its output's shape "
                             f"{tuple(self.out.shape)}, got shape {tuple(grad.shape)}")
        p = self.params
        A = self.attention_weights
        width = self.num_heads * self.key_dim
        d_model = p["Wo"].shape[1]
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
        return (self._project_back("q", dQ, self.x), self._project_back("k", dK, self.source),
                self._project_back("v", dV, self.source))

    def _project_back(self, name, d, inputs):
        """Grads of W<name> and b<name> from d = dL/d(projection) (per head); returns dL/d(inputs)."""
        xp = backend.xp()
        width = self.num_heads * self.key_dim
        d2 = xp.reshape(self._merge_heads(d), (-1, width))
        self.grads["W" + name] = xp.reshape(inputs, (-1, inputs.shape[-1])).T @ d2
        self.grads["b" + name] = xp.sum(d2, axis=0)
        return xp.reshape(d2 @ self.params["W" + name].T, tuple(inputs.shape))


class MultiHeadSelfAttention(MultiHeadCrossAttention):
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

    This is :class:`MultiHeadCrossAttention` with the source equal to x: x gives the queries,
    the keys and the values, so dL/dx is the sum of what comes back through all three.
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
        super().__init__(num_heads, key_dim, input_shape=input_shape, kernel_initializer=kernel_initializer,
                         name=name)
        self.causal = bool(causal)

    def forward(self, x, training=False):
        return super().forward(x, x, training=training)

    def backward(self, grad, need_dx=True):
        via_q, via_k, via_v = self._backward_parts(grad)
        self.dx = via_q + via_k + via_v  # x gave the queries, the keys and the values
        return self.dx
