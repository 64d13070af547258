"""Recurrent layers: ``SimpleRNN``, ``LSTM`` and ``GRU`` on inputs of shape (batch, time, features).

Each layer walks the sequence one time step at a time, carrying a hidden state
``h`` (and for the LSTM a cell state ``c``) from step to step. A layer is two
methods in the shape CS231n teaches, holding exactly the equations of the lesson:

- ``step(x_t, h, c) -> (h, c, cache)``: one time step forward (c is None for
  SimpleRNN and GRU);
- ``step_backward(dh, dc, cache) -> (dz_x, dz_h, dh, dc)``: the same step backward,
  from the gradients reaching its outputs h_t and c_t to those of its inputs
  h_(t-1) and c_(t-1), and of its pre-activations (dz_x for x_t Wx + b, dz_h for
  h_(t-1) Wh: the same array except in the GRU).

``forward`` and ``backward`` are one loop over the steps, shared by the three layers.
The parameters use the lesson's names, ``Wx`` (features, k * units) for the input,
``Wh`` (units, k * units) for the previous state and ``b`` (k * units,), or (2, 3 * units)
for the GRU, with k = 1 (SimpleRNN), 4 (LSTM: gates i, f, c, o) or 3 (GRU: gates z, r, h)
in Keras's order, so ``summary()`` counts as Keras does; saved files use Keras's names
(kernel, recurrent_kernel, bias).

What a lesson can print after ``forward``: ``h`` (batch, time, units), the hidden
state at every step, and for the LSTM the gates ``i``, ``f``, ``o``, the candidate
``g`` and the cell state ``c``, all (batch, time, units); for the GRU ``z``, ``r``
and the candidate ``hh``. After ``backward``: ``dh`` (batch, time, units), the
gradient dL/dh_t that reached each step's hidden state, and ``gradient_norms()``,
its size per step, which shows the gradient shrinking as it flows back in time.

Backpropagation through time is backward over the unrolled network: step t
receives dL/dh_t from the output (when ``return_sequences``) plus from step t+1,
and passes dL/dh_(t-1) = dz_h Whᵀ on to step t-1. The weights are shared by all
steps, so their gradients are sums over the steps: dWx = Σ x_tᵀ dz_x, dWh = Σ
h_(t-1)ᵀ dz_h, db = Σ dz; each sum is one matrix product after the loop.

>>> import numpy as np
>>> from nnlib import Sequential, backend
>>> rnn = SimpleRNN(2, return_sequences=True)
>>> rnn.build((3, 1), np.random.default_rng(0))
>>> h = rnn.forward(backend.asarray(np.ones((1, 3, 1))))
>>> print(tuple(h.shape), tuple(rnn.h.shape))
(1, 3, 2) (1, 3, 2)
>>> model = Sequential([SimpleRNN(50, activation="tanh", input_shape=(100, 1))])
>>> print(model.count_params())
2600
"""

import numpy as np

from .. import backend, initializers
from .._checks import positive_int
from . import activations
from .activations import sigmoid
from .base import Layer, entry
from .conv import _device_of


class _Recurrent(Layer):
    """What the three layers share: parameters, shape checks and the loop over time (BPTT).

    Parameters
    ----------
    units : int
        Size of the hidden state h (and of the LSTM's cell state c); a positive integer.
    return_sequences : bool, default False
        True returns h at every step, (batch, time, units); False only the last, (batch, units).
    input_shape : tuple of int, optional
        One sequence's shape (time, features), for a model's first layer; time may be None.
    kernel_initializer : str or Initializer, default "glorot_uniform"
        How Wx (features, gates * units) starts.
    recurrent_initializer : str or Initializer, default "orthogonal"
        How Wh (units, gates * units) starts, one orthogonal block per gate, as Keras draws them.
    bias_initializer : str or Initializer, default "zeros"
        How b starts (the LSTM then sets its forget gate's block to 1).
    name : str, optional
        The layer's name; None names it after the class ("lstm", "gru", ...).
    """

    gates = 1  # how many blocks of ``units`` columns Wx and Wh have
    has_cell = False  # whether the layer carries a cell state c (the LSTM)
    shown = ("h",)  # per-step values kept as (batch, time, units) arrays after forward
    saved_names = {"Wx": "kernel", "Wh": "recurrent_kernel", "b": "bias"}

    Wx, Wh, b = entry("params", "Wx"), entry("params", "Wh"), entry("params", "b")
    dWx, dWh, db = entry("grads", "Wx"), entry("grads", "Wh"), entry("grads", "b")

    def __init__(self, units, return_sequences=False, input_shape=None, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", name=None):
        super().__init__(name, input_shape)
        self.units = positive_int(units, f"{type(self).__name__} units")
        self.return_sequences = bool(return_sequences)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)

    # ----- parameters and shapes -----------------------------------------------------------

    def _expected(self, features="features"):
        return f"(batch, time, {features})"

    def bias_shape(self):
        return (self.gates * self.units,)

    def build(self, input_shape, rng=None):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(f"{self.name or self.kind} expects inputs of shape {self._expected()} "
                             f"(input_shape=(time, features)), got input_shape {tuple(input_shape)}")
        super().build(input_shape)
        rng = np.random.default_rng() if rng is None else rng
        features, width = self.input_shape[-1], self.gates * self.units
        self.Wx = backend.asarray(self.kernel_initializer((features, width), rng))
        # One orthogonal block per gate, as Keras draws them.
        blocks = [self.recurrent_initializer((self.units, self.units), rng) for _ in range(self.gates)]
        self.Wh = backend.asarray(np.concatenate(blocks, axis=1))
        self.b = backend.asarray(self.initial_bias(rng))

    def initial_bias(self, rng):
        return self.bias_initializer(self.bias_shape(), rng)

    def output_shape(self, input_shape):
        return (input_shape[0], self.units) if self.return_sequences else (self.units,)

    # ----- the loop over time ---------------------------------------------------------------

    def forward(self, x, training=False):
        """h_0 = 0 (and c_0 = 0); then ``step`` at every time step, keeping each step's cache."""
        xp = backend.xp()
        features = self.Wx.shape[0]
        if x.ndim != 3 or x.shape[-1] != features:
            raise ValueError(f"{self.name or self.kind} expected input of shape {self._expected(features)}, "
                             f"got shape {tuple(x.shape)}")
        if x.shape[1] == 0:
            raise ValueError(f"{self.name or self.kind} needs at least one time step, got shape {tuple(x.shape)}")
        self.x = x
        h = xp.zeros((x.shape[0], self.units), dtype=self.Wx.dtype, **_device_of(x))
        c = xp.zeros_like(h) if self.has_cell else None
        self.caches = []
        for t in range(x.shape[1]):
            h, c, cache = self.step(x[:, t, :], h, c)
            self.caches.append(cache)
        for name in self.shown:
            setattr(self, name, xp.stack([cache[name] for cache in self.caches], axis=1))
        return self.h if self.return_sequences else self.h[:, -1, :]

    def backward(self, grad, need_dx=True):
        """Backpropagation through time: ``step_backward`` from the last step to the first, then
        the weight gradients (sums over the steps) and dx, one matrix product each."""
        xp = backend.xp()
        steps = len(self.caches)
        dh = xp.zeros_like(self.caches[0]["h"])
        dc = xp.zeros_like(dh) if self.has_cell else None
        dz_x, dz_h, dhs = [None] * steps, [None] * steps, [None] * steps
        for t in reversed(range(steps)):
            if self.return_sequences:
                dh = dh + grad[:, t, :]
            elif t == steps - 1:
                dh = dh + grad
            dhs[t] = dh
            dz_x[t], dz_h[t], dh, dc = self.step_backward(dh, dc, self.caches[t])
        self.dh = xp.stack(dhs, axis=1)
        dz_x, dz_h = xp.stack(dz_x, axis=0), xp.stack(dz_h, axis=0)  # (time, batch, width)
        self.grads["Wx"], self.dx = self._input_gradients(dz_x)
        self.grads["Wh"] = self._recurrent_gradient(dz_h)
        self.grads["b"] = self.bias_gradient(dz_x, dz_h)
        return self.dx

    def bias_gradient(self, dz_x, dz_h):
        """db = Σ over steps and batch of dz."""
        xp = backend.xp()
        return xp.sum(xp.sum(dz_x, axis=0), axis=0)

    def _input_gradients(self, dz_x):
        """dWx = Σ_t x_tᵀ dz_x,t and dx_t = dz_x,t Wxᵀ, over all steps in one product each."""
        xp = backend.xp()
        steps, batch, width = dz_x.shape
        features = self.Wx.shape[0]
        x_tm = xp.reshape(xp.permute_dims(self.x, (1, 0, 2)), (steps * batch, features))
        dz2 = xp.reshape(dz_x, (steps * batch, width))
        dx = xp.reshape(dz2 @ self.Wx.T, (steps, batch, features))
        return x_tm.T @ dz2, xp.permute_dims(dx, (1, 0, 2))

    def _recurrent_gradient(self, dz_h):
        """dWh = Σ_t h_(t-1)ᵀ dz_h,t in one product (h_0 = 0 adds nothing)."""
        xp = backend.xp()
        steps, batch, width = dz_h.shape
        if steps == 1:
            return xp.zeros_like(self.Wh)
        h_prev = xp.stack([cache["h"] for cache in self.caches[:-1]], axis=0)
        return xp.reshape(h_prev, ((steps - 1) * batch, self.units)).T @ xp.reshape(dz_h[1:, ...],
                                                                                    ((steps - 1) * batch, width))

    def gradient_norms(self):
        """‖dL/dh_t‖ per time step (mean over the batch), a NumPy array of length time; after ``backward``."""
        dh = backend.to_numpy(self.dh)
        return np.sqrt((dh ** 2).sum(axis=-1)).mean(axis=0)


class SimpleRNN(_Recurrent):
    r"""The simple recurrent layer: one hidden state, updated at every time step.

    \[ h_t = \text{activation}(x_t W_x + b + h_{t-1} W_h), \qquad h_0 = 0 \]

    Backward through time, with \( dh_t = \partial L / \partial h_t \) from the output and
    from step t+1:

    \[ dz_t = dh_t \odot \text{activation}'(z_t), \qquad dh_{t-1} = dz_t W_h^\top, \]

    \[ dW_h = \sum_t h_{t-1}^\top dz_t, \qquad dW_x = \sum_t x_t^\top dz_t, \qquad db = \sum_t dz_t. \]

    With tanh, activation' ≤ 1 and each step multiplies the gradient by Whᵀ
    once more, so it usually shrinks as it goes back in time (the vanishing gradient).

    >>> import numpy as np
    >>> from nnlib import backend
    >>> rnn = SimpleRNN(1, return_sequences=True)
    >>> rnn.build((3, 1), np.random.default_rng(0))
    >>> rnn.Wx = backend.asarray([[0.5]])
    >>> rnn.Wh = backend.asarray([[0.9]])
    >>> h = rnn.forward(backend.asarray([[[1.0], [0.0], [0.0]]]))
    >>> print(", ".join(f"{float(v):.3f}" for v in h[0, :, 0]))
    0.462, 0.393, 0.340

    Parameters
    ----------
    units : int
        Size of the hidden state h; a positive integer.
    activation : str or Activation, default "tanh"
        Applied to the pre-activation at each step.
    return_sequences : bool, default False
        True returns h at every step, shape (batch, time, units); False only the last,
        shape (batch, units).
    input_shape : tuple of int, optional
        One sequence's shape (time, features), for a model's first layer; time may be None.
    **kwargs
        ``kernel_initializer`` (default "glorot_uniform", for Wx), ``recurrent_initializer``
        ("orthogonal", for Wh), ``bias_initializer`` ("zeros") and ``name``, as for :class:`LSTM`.

    Raises
    ------
    ValueError
        If ``units`` is not a positive integer; at build or forward, if the input is not
        (batch, time, features) with the features it was built for, or has no time step.
    """

    gates = 1

    def __init__(self, units, activation="tanh", return_sequences=False, input_shape=None, **kwargs):
        super().__init__(units, return_sequences, input_shape, **kwargs)
        self.activation = activations.get(activation)

    def step(self, x_t, h, c=None):
        r"""One time step forward; the cache keeps h_t and the step's activation.

        \[ h_t = \text{activation}(x_t W_x + b + h_{t-1} W_h) \]

        Parameters
        ----------
        x_t : array
            The inputs at step t, shape (batch, features).
        h : array
            The previous hidden state h_(t-1), shape (batch, units).
        c : None
            Unused: a SimpleRNN has no cell state.

        Returns
        -------
        h : array
            The new hidden state h_t.
        c : None
            No cell state.
        cache : dict
            What ``step_backward`` reads.

        Examples
        --------
        >>> import numpy as np
        >>> from nnlib import backend
        >>> rnn = SimpleRNN(1)
        >>> rnn.build((3, 1), np.random.default_rng(0))
        >>> rnn.Wx, rnn.Wh = backend.asarray([[0.5]]), backend.asarray([[0.9]])
        >>> h, _, _ = rnn.step(backend.asarray([[1.0]]), backend.asarray([[0.0]]))
        >>> print(f"{float(h[0, 0]):.3f}")
        0.462
        """
        # A fresh activation layer per step, so each keeps its own input and output for backward.
        activation = type(self.activation).from_config(self.activation.get_config())
        h = activation.forward(x_t @ self.Wx + self.b + h @ self.Wh)
        return h, None, {"h": h, "activation": activation}

    def step_backward(self, dh, dc, cache):
        r"""One time step backward.

        \[ dz = dh \odot \text{activation}'(z), \qquad dh_{t-1} = dz\, W_h^\top \]

        Parameters
        ----------
        dh : array
            dL/dh_t, from the output and from step t+1, shape (batch, units).
        dc : None
            Unused: a SimpleRNN has no cell state.
        cache : dict
            The step's cache from ``step``.

        Returns
        -------
        dz_x : array
            dL/dz for the input part x_t Wx + b.
        dz_h : array
            dL/dz for the recurrent part h_(t-1) Wh (the same array here).
        dh_prev : array
            dL/dh_(t-1).
        dc_prev : None
            No cell state.
        """
        dz = cache["activation"].backward(dh)
        return dz, dz, dz @ self.Wh.T, None


class LSTM(_Recurrent):
    r"""Long short-term memory (Hochreiter and Schmidhuber, 1997), in Keras's gate order i, f, c, o.

    With \( z_t = x_t W_x + b + h_{t-1} W_h \) split into four blocks:

    \[ \begin{aligned}
    i_t &= \sigma(z_i) && \text{input gate: how much of the candidate to write} \\
    f_t &= \sigma(z_f) && \text{forget gate: how much of the old cell to keep} \\
    g_t &= \tanh(z_c) && \text{candidate values} \\
    o_t &= \sigma(z_o) && \text{output gate: how much of the cell to show} \\
    c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\
    h_t &= o_t \odot \tanh(c_t)
    \end{aligned} \]

    The cell state c is the "conveyor belt": its gradient flows back through
    \( dc_{t-1} = dc_t \odot f_t \), a product of gates rather than of weight matrices, so it
    can survive many steps. The forget gate's bias starts at 1 (Keras's
    ``unit_forget_bias``), so the cell remembers by default.

    It has \( 4(\text{features} \cdot \text{units} + \text{units}^2 + \text{units}) \) parameters.

    >>> import numpy as np
    >>> from nnlib import backend
    >>> lstm = LSTM(1, return_sequences=True)
    >>> lstm.build((2, 1), np.random.default_rng(0))
    >>> h = lstm.forward(backend.asarray([[[1.0], [-1.0]]]))
    >>> for name in ("i", "f", "g", "o", "c", "h"):
    ...     print(name, " ".join(f"{float(v):+.3f}" for v in getattr(lstm, name)[0, :, 0]))
    i +0.574 +0.452
    f +0.621 +0.802
    g -0.764 +0.716
    o +0.257 +0.722
    c -0.439 -0.028
    h -0.106 -0.021
    >>> print(LSTM(64, input_shape=(100, 16)).output_shape((100, 16)))
    (64,)

    Raises
    ------
    ValueError
        If ``units`` is not a positive integer, or the input is not (batch, time, features).
    """

    gates = 4
    has_cell = True
    shown = ("i", "f", "g", "o", "c", "h")

    def initial_bias(self, rng):
        bias = np.asarray(self.bias_initializer(self.bias_shape(), rng), dtype=float)
        bias[self.units:2 * self.units] = 1.0  # unit_forget_bias
        return bias

    def step(self, x_t, h, c):
        """One step of the gate equations above; the cache keeps what ``step_backward`` reads.

        Parameters
        ----------
        x_t : array
            This step's slice of the sequence, (batch, features).
        h : array
            h_(t-1), the hidden state the gates read, (batch, units).
        c : array
            c_(t-1), the cell state the forget gate scales, (batch, units).

        Returns
        -------
        h : array
            The new hidden state h_t.
        c : array
            The new cell state c_t.
        cache : dict
            The gates and states ``step_backward`` reads.
        """
        xp = backend.xp()
        n = self.units
        z = x_t @ self.Wx + self.b + h @ self.Wh  # all four gates in one product
        i = sigmoid(z[:, :n])
        f = sigmoid(z[:, n:2 * n])
        g = xp.tanh(z[:, 2 * n:3 * n])
        o = sigmoid(z[:, 3 * n:])
        c_prev, c = c, f * c + i * g
        tanh_c = xp.tanh(c)
        h = o * tanh_c
        return h, c, {"i": i, "f": f, "g": g, "o": o, "c_prev": c_prev, "c": c, "tanh_c": tanh_c, "h": h}

    def step_backward(self, dh, dc, cache):
        r"""One step backward, with dh and dc arriving from the output and from step t+1:

        \[ \begin{aligned}
        do &= dh \odot \tanh(c_t), & dc &\mathrel{+}= dh \odot o \odot (1 - \tanh^2(c_t)), \\
        di &= dc \odot g, \quad df = dc \odot c_{t-1}, & dg &= dc \odot i, \quad dc_{t-1} = dc \odot f, \\
        dz &= [di\, i(1-i),\ df\, f(1-f),\ dg\, (1-g^2),\ do\, o(1-o)], & dh_{t-1} &= dz\, W_h^\top.
        \end{aligned} \]

        Parameters
        ----------
        dh : array
            dL/dh_t, shape (batch, units).
        dc : array
            dL/dc_t from step t+1, shape (batch, units).
        cache : dict
            The step's cache from ``step``.

        Returns
        -------
        dz_x : array
            dL/dz of the four gates, for the input part.
        dz_h : array
            The same array, for the recurrent part.
        dh_prev : array
            dL/dh_(t-1).
        dc_prev : array
            dL/dc_(t-1).
        """
        xp = backend.xp()
        i, f, g, o, tanh_c = cache["i"], cache["f"], cache["g"], cache["o"], cache["tanh_c"]
        do = dh * tanh_c
        dc = dc + dh * o * (1 - tanh_c * tanh_c)
        di, df, dg = dc * g, dc * cache["c_prev"], dc * i
        dz = xp.concat([di * i * (1 - i), df * f * (1 - f), dg * (1 - g * g), do * o * (1 - o)], axis=1)
        return dz, dz, dz @ self.Wh.T, dc * f


class GRU(_Recurrent):
    r"""Gated recurrent unit (Cho et al., 2014), Keras's default ``reset_after=True`` layout, gates z, r, h.

    The bias has shape (2, 3 * units): row 0 is added to the input part x_t Wx,
    row 1 to the recurrent part h_(t-1) Wh (as cuDNN does). With those two parts
    split into blocks \( (x_z, x_r, x_h) \) and \( (u_z, u_r, u_h) \):

    \[ \begin{aligned}
    z_t &= \sigma(x_z + u_z) && \text{update gate: how much of the old state to keep} \\
    r_t &= \sigma(x_r + u_r) && \text{reset gate: how much of the old state the candidate sees} \\
    \tilde h_t &= \tanh(x_h + r_t \odot u_h) && \text{candidate state (hh)} \\
    h_t &= z_t \odot h_{t-1} + (1 - z_t) \odot \tilde h_t
    \end{aligned} \]

    It has \( 3\,\text{units}(\text{features} + \text{units}) + 6\,\text{units} \) parameters
    (Keras's count).

    >>> import numpy as np
    >>> from nnlib import Sequential
    >>> print(Sequential([GRU(32, input_shape=(10, 8))]).count_params(), 3 * 32 * (8 + 32) + 6 * 32)
    4032 4032

    Raises
    ------
    ValueError
        If ``units`` is not a positive integer, or the input is not (batch, time, features).
    """

    gates = 3
    shown = ("z", "r", "hh", "h")

    def bias_shape(self):
        return (2, 3 * self.units)

    def step(self, x_t, h, c=None):
        """One step of the gate equations above; the cache keeps what ``step_backward`` reads.

        Parameters
        ----------
        x_t : array
            Step t of the input sequence, (batch, features).
        h : array
            h_(t-1), which the gates read and the update gate partly keeps; (batch, units).
        c : None
            Ignored: the GRU carries no cell state.

        Returns
        -------
        h : array
            h_t, the mix of h_(t-1) and the candidate.
        c : None
            Always None.
        cache : dict
            The gates, the candidate and h_(t-1).
        """
        xp = backend.xp()
        n = self.units
        x_part = x_t @ self.Wx + self.b[0, :]
        u = h @ self.Wh + self.b[1, :]  # the recurrent part of all three gates in one product
        z = sigmoid(x_part[:, :n] + u[:, :n])
        r = sigmoid(x_part[:, n:2 * n] + u[:, n:2 * n])
        u_h = u[:, 2 * n:]
        hh = xp.tanh(x_part[:, 2 * n:] + r * u_h)
        h_prev, h = h, z * h + (1 - z) * hh
        return h, None, {"z": z, "r": r, "hh": hh, "u_h": u_h, "h_prev": h_prev, "h": h}

    def step_backward(self, dh, dc, cache):
        r"""One step backward:

        \[ dz = dh \odot (h_{t-1} - \tilde h), \quad d\tilde h = dh \odot (1 - z), \quad
           da_h = d\tilde h \odot (1 - \tilde h^2), \quad dr = da_h \odot u_h; \]

        the input part gets \( [dz\, z(1-z),\ dr\, r(1-r),\ da_h] \), the recurrent part
        the same with \( da_h \odot r \), and \( dh_{t-1} = dh \odot z + dz_h W_h^\top \).

        Parameters
        ----------
        dh : array
            The gradient reaching h_t from the output and from step t+1, (batch, units).
        dc : None
            Ignored (no cell state in a GRU).
        cache : dict
            What ``step`` kept: the gates, hh, u_h and h_(t-1).

        Returns
        -------
        dz_x : array
            dL/d(x_t Wx + b[0]), shape (batch, 3 * units).
        dz_h : array
            dL/d(h_(t-1) Wh + b[1]), shape (batch, 3 * units).
        dh_prev : array
            dL/dh_(t-1), through the update gate and through Wh.
        dc_prev : None
            Always None.
        """
        xp = backend.xp()
        z, r, hh, u_h = cache["z"], cache["r"], cache["hh"], cache["u_h"]
        da_z = dh * (cache["h_prev"] - hh) * z * (1 - z)
        da_h = dh * (1 - z) * (1 - hh * hh)
        da_r = da_h * u_h * r * (1 - r)
        dz_h = xp.concat([da_z, da_r, da_h * r], axis=1)  # gradient of h_(t-1) Wh + b[1]
        return xp.concat([da_z, da_r, da_h], axis=1), dz_h, dh * z + dz_h @ self.Wh.T, None

    def bias_gradient(self, dz_x, dz_h):
        """db: row 0 from the input part, row 1 from the recurrent part, each summed over steps and batch.

        Parameters
        ----------
        dz_x : array
            The input parts' dL/dz, shape (time, batch, 3 * units).
        dz_h : array
            The recurrent parts' dL/dz, same shape.

        Returns
        -------
        array
            Shape (2, 3 * units), like b.
        """
        xp = backend.xp()
        return xp.stack([xp.sum(xp.sum(dz_x, axis=0), axis=0), xp.sum(xp.sum(dz_h, axis=0), axis=0)], axis=0)
