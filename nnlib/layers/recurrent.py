"""Recurrent layers: ``SimpleRNN``, ``LSTM`` and ``GRU`` on inputs of shape (batch, time, features).

Each layer walks the sequence one time step at a time, carrying a hidden state
``h`` (and for the LSTM a cell state ``c``) from step to step. The parameters
have Keras's names, shapes and gate order, so ``summary()`` counts as Keras does:

- ``kernel`` (features, k * units) multiplies the input x_t,
- ``recurrent_kernel`` (units, k * units) multiplies the previous state h_(t-1),
- ``bias`` (k * units,), or (2, 3 * units) for the GRU,

with k = 1 (SimpleRNN), 4 (LSTM: gates i, f, c, o) or 3 (GRU: gates z, r, h).

What a lesson can print after ``forward``: ``h`` (batch, time, units), the hidden
state at every step, and for the LSTM the gates ``i``, ``f``, ``o``, the candidate
``g`` and the cell state ``c``, all (batch, time, units); for the GRU ``z``, ``r``
and the candidate ``hh``. After ``backward``: ``dh`` (batch, time, units), the
gradient dL/dh_t that reached each step's hidden state, and ``gradient_norms()``,
its size per step, which shows the gradient shrinking as it flows back in time.

Backpropagation through time is backward over the unrolled network: step t
receives dL/dh_t from the output (when ``return_sequences``) plus from step t+1,
and passes dL/dh_(t-1) = (dL/dz_t) recurrent_kernelᵀ on to step t-1.

Speed, without hiding anything: the input part x_t kernel + bias does not depend on
the previous step, so it is one matrix product for all time steps at once before the
loop, and its gradients (and the recurrent kernel's) are one product each after the
backward loop; inside the loops there is one product per step, h_(t-1) recurrent_kernel
forward and dz_t recurrent_kernelᵀ backward, for all the gates together.

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
from .base import Layer


def _sigmoid(z):
    """sigmoid(z) = 1 / (1 + e^(-z)) = (1 + tanh(z / 2)) / 2; the tanh form never overflows."""
    return 0.5 + 0.5 * backend.xp().tanh(0.5 * z)


class _Recurrent(Layer):
    """Shared machinery: shape checks, parameter creation, the time-major input product, config."""

    gates = 1  # how many blocks of ``units`` columns the kernels have

    def __init__(self, units, return_sequences=False, input_shape=None, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros", name=None):
        super().__init__(name, input_shape)
        self.units = positive_int(units, f"{type(self).__name__} units")
        self.return_sequences = bool(return_sequences)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)

    def _expected(self, features="features"):
        return f"(batch, time, {features})"

    def _check_shape(self, input_shape):
        if len(input_shape) != 2:
            raise ValueError(f"{self.name or self.kind} expects inputs of shape {self._expected()} "
                             f"(input_shape=(time, features)), got input_shape {tuple(input_shape)}")

    def bias_shape(self):
        return (self.gates * self.units,)

    def build(self, input_shape, rng=None):
        self._check_shape(tuple(input_shape))
        super().build(input_shape)
        rng = np.random.default_rng() if rng is None else rng
        features, width = self.input_shape[-1], self.gates * self.units
        self.params["kernel"] = backend.asarray(self.kernel_initializer((features, width), rng))
        # One orthogonal block per gate, as Keras draws them.
        blocks = [self.recurrent_initializer((self.units, self.units), rng) for _ in range(self.gates)]
        self.params["recurrent_kernel"] = backend.asarray(np.concatenate(blocks, axis=1))
        self.params["bias"] = backend.asarray(self.initial_bias(rng))

    def initial_bias(self, rng):
        return self.bias_initializer(self.bias_shape(), rng)

    def output_shape(self, input_shape):
        return (input_shape[0], self.units) if self.return_sequences else (self.units,)

    def _input_projection(self, x):
        """x_t kernel + bias for every step at once, time-major: (time, batch, gates * units)."""
        xp = backend.xp()
        features = self.params["kernel"].shape[0]
        if x.ndim != 3 or x.shape[-1] != features:
            raise ValueError(f"{self.name or self.kind} expected input of shape {self._expected(features)}, "
                             f"got shape {tuple(x.shape)}")
        if x.shape[1] == 0:
            raise ValueError(f"{self.name or self.kind} needs at least one time step, got shape {tuple(x.shape)}")
        self.x = x
        batch, steps, _ = x.shape
        x_tm = xp.reshape(xp.permute_dims(x, (1, 0, 2)), (steps * batch, features))
        xw = x_tm @ self.params["kernel"]
        xw = xp.reshape(xw, (steps, batch, xw.shape[-1]))
        return xw

    def _upstream(self, grad):
        """dL/d(output) as a function of the step: zero except at the last step without return_sequences."""
        steps = self.x.shape[1]
        if self.return_sequences:
            return lambda t: grad[:, t, :]
        return lambda t: grad if t == steps - 1 else None

    def _input_gradients(self, dxw):
        """Given dL/d(x_t kernel) for all steps, time-major (time, batch, width): kernel grad and dx."""
        xp = backend.xp()
        steps, batch, width = dxw.shape
        features = self.params["kernel"].shape[0]
        x_tm = xp.reshape(xp.permute_dims(self.x, (1, 0, 2)), (steps * batch, features))
        dxw2 = xp.reshape(dxw, (steps * batch, width))
        self.grads["kernel"] = x_tm.T @ dxw2
        dx = xp.reshape(dxw2 @ self.params["kernel"].T, (steps, batch, features))
        self.dx = xp.permute_dims(dx, (1, 0, 2))
        return dx, dxw2

    def _recurrent_kernel_gradient(self, hs, dz):
        """d recurrent_kernel = Σ_t h_(t-1)ᵀ dz_t, as one product after the loop (h_0 = 0 adds nothing).

        ``hs``: the hidden states h_1 .. h_T (a list of (batch, units)); ``dz``: (time, batch, width).
        """
        xp = backend.xp()
        steps, batch, width = dz.shape
        if steps == 1:
            return xp.zeros_like(self.params["recurrent_kernel"])
        h_prev = xp.reshape(xp.stack(hs[:-1], axis=0), ((steps - 1) * batch, self.units))
        return h_prev.T @ xp.reshape(dz[1:, ...], ((steps - 1) * batch, width))

    def _output(self):
        return self.h if self.return_sequences else self.h[:, -1, :]

    def gradient_norms(self):
        """‖dL/dh_t‖ per time step (mean over the batch), a NumPy array of length time; after ``backward``."""
        dh = backend.to_numpy(self.dh)
        return np.sqrt((dh ** 2).sum(axis=-1)).mean(axis=0)


def _stack_time(steps):
    """A list of (batch, units) arrays, one per step -> (batch, time, units)."""
    return backend.xp().stack(steps, axis=1)


class SimpleRNN(_Recurrent):
    """h_t = activation(x_t kernel + h_(t-1) recurrent_kernel + bias), with h_0 = 0.

    Backward through time, with dh_t = dL/dh_t from the output and from step t+1:
    dz_t = dh_t * activation'(z_t), dh_(t-1) += dz_t recurrent_kernelᵀ,
    d recurrent_kernel = Σ_t h_(t-1)ᵀ dz_t, d kernel = Σ_t x_tᵀ dz_t, d bias = Σ_t dz_t.
    With tanh, activation' ≤ 1 and each step multiplies the gradient by recurrent_kernelᵀ
    once more, so it usually shrinks as it goes back in time (the vanishing gradient).

    >>> import numpy as np
    >>> from nnlib import backend
    >>> rnn = SimpleRNN(1, return_sequences=True)
    >>> rnn.build((3, 1), np.random.default_rng(0))
    >>> rnn.params["kernel"] = backend.asarray([[0.5]])
    >>> rnn.params["recurrent_kernel"] = backend.asarray([[0.9]])
    >>> h = rnn.forward(backend.asarray([[[1.0], [0.0], [0.0]]]))
    >>> print(", ".join(f"{float(v):.3f}" for v in h[0, :, 0]))
    0.462, 0.393, 0.340
    """

    gates = 1

    def __init__(self, units, activation="tanh", return_sequences=False, input_shape=None, **kwargs):
        super().__init__(units, return_sequences, input_shape, **kwargs)
        self.activation = activations.get(activation)

    def _step_activation(self):
        """A fresh activation layer per step, so each keeps its own input and output for backward."""
        return type(self.activation).from_config(self.activation.get_config())

    def forward(self, x, training=False):
        xw = self._input_projection(x) + self.params["bias"]
        U = self.params["recurrent_kernel"]
        h = backend.xp().zeros_like(xw[0, :, :])
        self._acts, hs = [], []
        for t in range(xw.shape[0]):
            act = self._step_activation()
            h = act.forward(xw[t, :, :] + h @ U)
            self._acts.append(act)
            hs.append(h)
        self._hs = hs
        self.h = _stack_time(hs)
        return self._output()

    def backward(self, grad, need_dx=True):
        xp = backend.xp()
        U = self.params["recurrent_kernel"]
        upstream = self._upstream(grad)
        steps = len(self._acts)
        dh_next = xp.zeros_like(self._hs[0])
        dzs, dhs = [None] * steps, [None] * steps
        for t in reversed(range(steps)):
            dh = dh_next if upstream(t) is None else dh_next + upstream(t)
            dz = self._acts[t].backward(dh)
            dh_next = dz @ U.T
            dzs[t], dhs[t] = dz, dh
        self.dh = _stack_time(dhs)
        dz = xp.stack(dzs, axis=0)
        self.grads["recurrent_kernel"] = self._recurrent_kernel_gradient(self._hs, dz)
        self.grads["bias"] = xp.sum(xp.sum(dz, axis=0), axis=0)
        self._input_gradients(dz)
        return self.dx


class LSTM(_Recurrent):
    """Long short-term memory (Hochreiter and Schmidhuber, 1997), in Keras's gate order i, f, c, o.

    With z_t = x_t kernel + h_(t-1) recurrent_kernel + bias split into four blocks::

        i_t = sigmoid(z_i)          input gate: how much of the candidate to write
        f_t = sigmoid(z_f)          forget gate: how much of the old cell to keep
        g_t = tanh(z_c)             candidate values
        o_t = sigmoid(z_o)          output gate: how much of the cell to show
        c_t = f_t * c_(t-1) + i_t * g_t
        h_t = o_t * tanh(c_t)

    The cell state c is the "conveyor belt": its gradient flows back through
    dc_(t-1) = dc_t * f_t, a product of gates rather than of weight matrices, so it
    can survive many steps. The forget gate's bias starts at 1 (Keras's
    ``unit_forget_bias``), so the cell remembers by default.

    Parameters: 4 * (features * units + units * units + units).

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
    """

    gates = 4

    def initial_bias(self, rng):
        bias = np.asarray(self.bias_initializer(self.bias_shape(), rng), dtype=float)
        bias[self.units:2 * self.units] = 1.0  # unit_forget_bias
        return bias

    def forward(self, x, training=False):
        xp = backend.xp()
        n = self.units
        xw = self._input_projection(x) + self.params["bias"]
        U = self.params["recurrent_kernel"]
        h = c = xp.zeros_like(xw[0, :, :n])
        names = ("i", "f", "g", "o", "c", "tanh_c", "h")
        steps = {name: [] for name in names}
        for t in range(xw.shape[0]):
            z = xw[t, :, :] + h @ U  # all four gates in one product
            i = _sigmoid(z[:, :n])
            f = _sigmoid(z[:, n:2 * n])
            g = xp.tanh(z[:, 2 * n:3 * n])
            o = _sigmoid(z[:, 3 * n:])
            c = f * c + i * g
            tanh_c = xp.tanh(c)
            h = o * tanh_c
            for name, value in zip(names, (i, f, g, o, c, tanh_c, h)):
                steps[name].append(value)
        self._steps = steps
        self.i, self.f, self.g, self.o, self.c, self.h = (_stack_time(steps[name])
                                                          for name in ("i", "f", "g", "o", "c", "h"))
        return self._output()

    def backward(self, grad, need_dx=True):
        """Backward through time; per step, with dh and dc arriving from the output and from step t+1::

            do = dh * tanh(c_t)                 dc += dh * o * (1 - tanh(c_t)²)
            di = dc * g    df = dc * c_(t-1)    dg = dc * i    dc_(t-1) = dc * f
            dz = [di i(1-i), df f(1-f), dg (1-g²), do o(1-o)]
            dh_(t-1) = dz recurrent_kernelᵀ
        """
        xp = backend.xp()
        s = self._steps
        U = self.params["recurrent_kernel"]
        upstream = self._upstream(grad)
        steps = len(s["h"])
        dh_next = dc_next = xp.zeros_like(s["h"][0])
        dzs, dhs = [None] * steps, [None] * steps
        for t in reversed(range(steps)):
            i, f, g, o, tanh_c = s["i"][t], s["f"][t], s["g"][t], s["o"][t], s["tanh_c"][t]
            c_prev = s["c"][t - 1] if t > 0 else xp.zeros_like(tanh_c)
            dh = dh_next if upstream(t) is None else dh_next + upstream(t)
            do = dh * tanh_c
            dc = dc_next + dh * o * (1 - tanh_c * tanh_c)
            di, df, dg = dc * g, dc * c_prev, dc * i
            dc_next = dc * f
            dz = xp.concat([di * i * (1 - i), df * f * (1 - f), dg * (1 - g * g), do * o * (1 - o)], axis=1)
            dh_next = dz @ U.T
            dzs[t], dhs[t] = dz, dh
        self.dh = _stack_time(dhs)
        dz = xp.stack(dzs, axis=0)
        self.grads["recurrent_kernel"] = self._recurrent_kernel_gradient(s["h"], dz)
        self.grads["bias"] = xp.sum(xp.sum(dz, axis=0), axis=0)
        self._input_gradients(dz)
        return self.dx


class GRU(_Recurrent):
    """Gated recurrent unit (Cho et al., 2014), Keras's default ``reset_after=True`` layout, gates z, r, h.

    The bias has shape (2, 3 * units): row 0 is added to the input part x_t kernel,
    row 1 to the recurrent part h_(t-1) recurrent_kernel (as cuDNN does). With
    those two parts split into blocks (x_z, x_r, x_h) and (u_z, u_r, u_h)::

        z_t = sigmoid(x_z + u_z)           update gate: how much of the old state to keep
        r_t = sigmoid(x_r + u_r)           reset gate: how much of the old state the candidate sees
        hh_t = tanh(x_h + r_t * u_h)       candidate state
        h_t = z_t * h_(t-1) + (1 - z_t) * hh_t

    Parameters: 3 * units * (features + units) + 6 * units (Keras's count).

    >>> import numpy as np
    >>> from nnlib import Sequential
    >>> print(Sequential([GRU(32, input_shape=(10, 8))]).count_params(), 3 * 32 * (8 + 32) + 6 * 32)
    4032 4032
    """

    gates = 3

    def bias_shape(self):
        return (2, 3 * self.units)

    def forward(self, x, training=False):
        xp = backend.xp()
        n = self.units
        bias = self.params["bias"]
        xw = self._input_projection(x) + bias[0, :]
        U = self.params["recurrent_kernel"]
        h = xp.zeros_like(xw[0, :, :n])
        names = ("z", "r", "hh", "u_h", "h")
        steps = {name: [] for name in names}
        for t in range(xw.shape[0]):
            u = h @ U + bias[1, :]  # the recurrent part of all three gates in one product
            z = _sigmoid(xw[t, :, :n] + u[:, :n])
            r = _sigmoid(xw[t, :, n:2 * n] + u[:, n:2 * n])
            u_h = u[:, 2 * n:]
            hh = xp.tanh(xw[t, :, 2 * n:] + r * u_h)
            h = z * h + (1 - z) * hh
            for name, value in zip(names, (z, r, hh, u_h, h)):
                steps[name].append(value)
        self._steps = steps
        self.z, self.r, self.hh, self.h = (_stack_time(steps[name]) for name in ("z", "r", "hh", "h"))
        return self._output()

    def backward(self, grad, need_dx=True):
        """Per step: dz = dh (h_(t-1) - hh), dhh = dh (1 - z), da_h = dhh (1 - hh²), dr = da_h u_h;
        the input part gets [dz z(1-z), dr r(1-r), da_h], the recurrent part the same with da_h * r,
        and dh_(t-1) = dh z + (recurrent part) recurrent_kernelᵀ."""
        xp = backend.xp()
        s = self._steps
        U = self.params["recurrent_kernel"]
        upstream = self._upstream(grad)
        steps = len(s["h"])
        dh_next = xp.zeros_like(s["h"][0])
        dxs, dus, dhs = [None] * steps, [None] * steps, [None] * steps
        for t in reversed(range(steps)):
            z, r, hh, u_h = s["z"][t], s["r"][t], s["hh"][t], s["u_h"][t]
            h_prev = s["h"][t - 1] if t > 0 else xp.zeros_like(hh)
            dh = dh_next if upstream(t) is None else dh_next + upstream(t)
            da_z = dh * (h_prev - hh) * z * (1 - z)
            da_h = dh * (1 - z) * (1 - hh * hh)
            da_r = da_h * u_h * r * (1 - r)
            du = xp.concat([da_z, da_r, da_h * r], axis=1)  # gradient of h_(t-1) U + bias[1]
            dh_next = dh * z + du @ U.T
            dxs[t], dus[t], dhs[t] = xp.concat([da_z, da_r, da_h], axis=1), du, dh
        self.dh = _stack_time(dhs)
        du = xp.stack(dus, axis=0)
        self.grads["recurrent_kernel"] = self._recurrent_kernel_gradient(s["h"], du)
        dxw = xp.stack(dxs, axis=0)
        self.grads["bias"] = xp.stack([xp.sum(xp.sum(dxw, axis=0), axis=0), xp.sum(xp.sum(du, axis=0), axis=0)],
                                      axis=0)
        self._input_gradients(dxw)
        return self.dx
