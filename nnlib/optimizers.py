"""Optimizers: turn gradients into parameter updates.

``optimizer.step(pairs)`` takes a list of (parameter, gradient) arrays and updates
each parameter in place, so a model's layers see the new values without copying.
Per-parameter state (momentum, running averages) is keyed by the parameter
object, so one optimizer serves one set of parameters (use two for a GAN).

Every optimizer accepts

- ``learning_rate``: a positive number or a schedule (``StepDecay``,
  ``ExponentialDecay``, ``CosineDecay``, ``LinearWarmup``) called with the step count;
- ``clipnorm``: rescale each gradient whose L2 norm exceeds it to that norm;
- ``clipvalue``: clip each gradient entry to [-clipvalue, clipvalue].

Defaults follow Keras. Plain SGD on f(w) = w², gradient 2w:

>>> from nnlib import backend
>>> w = backend.asarray([1.0])
>>> opt = SGD(learning_rate=0.1)
>>> for _ in range(3):
...     opt.step([(w, 2 * w)])
>>> print(f"{float(w[0]):.3f}")  # 1.0 * (1 - 0.2)³
0.512
"""

import math
import numbers

from . import backend
from ._checks import fraction, positive_number
from ._lookup import Configurable, by_name, from_config


class Schedule(Configurable):
    """A learning rate that depends on the step count: ``schedule(step) -> float``."""


class StepDecay(Schedule):
    r"""Step decay: the learning rate falls by the factor ``drop`` every ``step_size`` steps.

    \[ \eta(t) = \eta_0 \cdot \text{drop}^{\lfloor t / \text{step\_size} \rfloor} \]

    Parameters
    ----------
    initial_learning_rate : float
        \( \eta_0 \), the rate at step 0.
    drop : float, default 0.5
        The factor applied at each drop.
    step_size : int, default 1000
        Steps between drops.
    """

    def __init__(self, initial_learning_rate, drop=0.5, step_size=1000):
        self.initial_learning_rate, self.drop, self.step_size = initial_learning_rate, drop, step_size

    def __call__(self, step):
        return self.initial_learning_rate * self.drop ** (step // self.step_size)


class ExponentialDecay(Schedule):
    r"""Exponential decay: the rate is multiplied by ``decay_rate`` every ``decay_steps`` steps.

    \[ \eta(t) = \eta_0 \cdot \text{decay\_rate}^{\, t / \text{decay\_steps}} \]

    Parameters
    ----------
    initial_learning_rate : float
        \( \eta_0 \), the rate at step 0.
    decay_steps : int
        Steps over which the rate is multiplied by ``decay_rate`` once.
    decay_rate : float
        The factor per ``decay_steps`` steps, e.g. 0.96.
    staircase : bool, default False
        True floors the exponent, so the rate changes in steps rather than smoothly.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False):
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.decay_rate, self.staircase = decay_rate, staircase

    def __call__(self, step):
        exponent = step / self.decay_steps
        return self.initial_learning_rate * self.decay_rate ** (math.floor(exponent) if self.staircase else exponent)


class CosineDecay(Schedule):
    r"""Cosine decay from ``initial_learning_rate`` down to ``alpha`` times it, over ``decay_steps`` steps.

    \[ \eta(t) = \eta_0 \left( (1 - \alpha) \frac{1 + \cos(\pi \tau)}{2} + \alpha \right), \qquad
       \tau = \min(t / \text{decay\_steps},\ 1) \]

    Parameters
    ----------
    initial_learning_rate : float
        \( \eta_0 \), the rate at step 0.
    decay_steps : int
        Steps until the rate reaches its floor.
    alpha : float, default 0.0
        The floor, as a fraction of \( \eta_0 \).
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0):
        self.initial_learning_rate, self.decay_steps, self.alpha = initial_learning_rate, decay_steps, alpha

    def __call__(self, step):
        t = min(step / self.decay_steps, 1.0)
        return self.initial_learning_rate * ((1 - self.alpha) * (1 + math.cos(math.pi * t)) / 2 + self.alpha)


class LinearWarmup(Schedule):
    r"""Linear warm-up: the rate ramps up over the first ``warmup_steps`` steps, then stays.

    \[ \eta(t) = \eta \cdot \min\!\left(1,\ \frac{t + 1}{\text{warmup\_steps}}\right) \]

    Adam's first steps are about learning_rate long whatever the gradient (lesson 9), and at
    the start of training the gradients of a fresh network point in directions that soon change;
    ramping the step size up over the first updates keeps those early steps small.

    >>> warmup = LinearWarmup(0.01, warmup_steps=4)
    >>> print([round(warmup(step), 4) for step in range(6)])
    [0.0025, 0.005, 0.0075, 0.01, 0.01, 0.01]

    Parameters
    ----------
    learning_rate : float
        \( \eta \), the rate after the warm-up; a positive number.
    warmup_steps : int
        Length of the ramp, a whole number >= 1.

    Raises
    ------
    ValueError
        If ``learning_rate`` is not a positive number or ``warmup_steps`` not a whole number >= 1.
    """

    def __init__(self, learning_rate, warmup_steps):
        if not (isinstance(learning_rate, (int, float)) and math.isfinite(learning_rate) and learning_rate > 0):
            raise ValueError(f"LinearWarmup learning_rate must be a positive number, got {learning_rate!r}")
        if not (isinstance(warmup_steps, int) and warmup_steps >= 1):
            raise ValueError(f"LinearWarmup warmup_steps must be a whole number of steps >= 1, got {warmup_steps!r}")
        self.learning_rate, self.warmup_steps = learning_rate, warmup_steps

    def __call__(self, step):
        return self.learning_rate * min(1.0, (step + 1) / self.warmup_steps)


SCHEDULES = (StepDecay, ExponentialDecay, CosineDecay, LinearWarmup)


class Optimizer(Configurable):
    r"""Base class: clipping, learning-rate schedule, per-parameter state, step count.

    Subclasses implement ``update(param, grad, state, lr)`` for one parameter.

    Parameters
    ----------
    learning_rate : float or Schedule
        The step size \( \eta \): a positive finite number, or a schedule called with the
        step count.
    clipnorm : float, optional
        If given, each gradient whose L2 norm exceeds it is rescaled to that norm.
    clipvalue : float, optional
        If given, each gradient entry is clipped to [-clipvalue, clipvalue].

    Raises
    ------
    ValueError
        If ``learning_rate``, ``clipnorm`` or ``clipvalue`` is not a positive finite number.
    """

    def __init__(self, learning_rate, clipnorm=None, clipvalue=None):
        self.learning_rate = learning_rate
        self.clipnorm = None if clipnorm is None else positive_number(clipnorm, "clipnorm")
        self.clipvalue = None if clipvalue is None else positive_number(clipvalue, "clipvalue")
        self.iterations = 0  # steps taken; schedules and Adam's bias correction read it
        self.state = {}

    @property
    def learning_rate(self):
        return self._learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        """A schedule, or any positive finite real number (NumPy scalars too), kept as a float."""
        if callable(value):
            self._learning_rate = value
            return
        try:
            self._learning_rate = positive_number(value, "learning_rate")
        except TypeError:
            raise TypeError(f"learning_rate must be a positive finite number or a schedule, got {value!r}") from None
        except ValueError:
            raise ValueError(f"learning_rate must be a positive finite number or a schedule, got {value!r}") from None

    def current_learning_rate(self):
        """The learning rate for the next step; a schedule's value is checked like a fixed rate."""
        lr = self._learning_rate
        if not callable(lr):
            return lr
        value = lr(self.iterations)
        try:
            return positive_number(value, "learning_rate")
        except (TypeError, ValueError):
            raise ValueError(f"the learning-rate schedule {lr!r} returned {value!r} at step {self.iterations}; "
                             f"a learning rate must be a positive finite number") from None

    def clip(self, grad):
        xp = backend.xp()
        if self.clipvalue is not None:
            grad = xp.clip(grad, -self.clipvalue, self.clipvalue)
        if self.clipnorm is not None:
            norm = xp.sqrt(xp.sum(grad * grad))
            # scale = 1 when the norm is within bounds; stays on the device (no sync)
            grad = grad * (self.clipnorm / xp.maximum(norm, self.clipnorm))
        return grad

    def step(self, pairs):
        """Update every parameter in place from its gradient.

        Parameters
        ----------
        pairs : list of tuple
            ``(parameter, gradient)`` arrays, as ``model.parameter_gradient_pairs()`` returns them.

        Raises
        ------
        ValueError
            If a gradient is None (backward has not run), or a schedule returns a learning
            rate that is not a positive finite number.
        """
        lr = self.current_learning_rate()
        self.iterations += 1
        for param, grad in pairs:
            if grad is None:
                raise ValueError("a parameter has no gradient yet: run forward and backward before step")
            # Keeping the parameter in its state entry keeps id(param) from being reused.
            state = self.state.setdefault(id(param), {"param": param})
            self.update(param, self.clip(grad), state, lr)


    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if isinstance(config["learning_rate"], dict):
            config["learning_rate"] = from_config("schedule", config["learning_rate"], SCHEDULES)
        return cls(**config)


def _zeros_like(state, key, param):
    if key not in state:
        state[key] = backend.xp().zeros_like(param)
    return state[key]


def _moving_average(average, decay, value):
    """average = decay * average + (1 - decay) * value, in place (no new array each step)."""
    average *= decay
    average += (1 - decay) * value
    return average


def _scaled_step(param, learning_rate, direction, v, epsilon):
    """param -= learning_rate * direction / (sqrt(v) + epsilon), in place: the last line of
    RMSprop and Adam."""
    step = learning_rate * direction
    denominator = backend.xp().sqrt(v)
    denominator += epsilon
    # Dividing in place keeps two parameter-sized arrays alive, not three: a third made glibc
    # hand memory back to the system and fault it in again on every step (2 % of the benchmark
    # MLP's training step).
    step /= denominator
    param -= step


class SGD(Optimizer):
    r"""Gradient descent, optionally with momentum.

    \[ v \leftarrow \mu v - \eta\, \nabla, \qquad \theta \leftarrow \theta + v \]

    Nesterov looks ahead: \( \theta \leftarrow \theta + \mu v - \eta\, \nabla \). With momentum
    \( \mu = 0 \) this is \( \theta \leftarrow \theta - \eta\, \nabla \).

    Parameters
    ----------
    learning_rate : float or Schedule, default 0.01
        The step size \( \eta \).
    momentum : float, default 0.0
        \( \mu \) in [0, 1]: how much of the previous velocity each step keeps.
    nesterov : bool, default False
        Use Nesterov's look-ahead form.
    **kwargs
        ``clipnorm`` and ``clipvalue``, as for :class:`Optimizer`.
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.momentum, self.nesterov = fraction(momentum, "momentum"), bool(nesterov)

    def update(self, param, grad, state, lr):
        if self.momentum == 0:
            param -= lr * grad
            return
        velocity = _zeros_like(state, "velocity", param)
        velocity *= self.momentum
        velocity -= lr * grad
        if self.nesterov:
            param += self.momentum * velocity - lr * grad
        else:
            param += velocity



class AdaGrad(Optimizer):
    r"""AdaGrad: each parameter's step is divided by the root of its summed squared gradients.

    \[ G \leftarrow G + \nabla^2, \qquad \theta \leftarrow \theta - \frac{\eta\, \nabla}{\sqrt{G + \epsilon}} \]

    Steps shrink for parameters that have seen large gradients.

    Parameters
    ----------
    learning_rate : float or Schedule, default 0.001
        The step size \( \eta \).
    initial_accumulator_value : float, default 0.1
        Where the accumulator G starts (Keras's default); 0 or a positive number.
    epsilon : float, default 1e-7
        \( \epsilon \), keeps the division finite.
    **kwargs
        Gradient clipping: ``clipnorm``, ``clipvalue`` (see :class:`Optimizer`).
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        # Keras allows an accumulator that starts at 0 (epsilon keeps the first step finite).
        self.initial_accumulator_value = (0.0 if initial_accumulator_value == 0 else
                                          positive_number(initial_accumulator_value, "initial_accumulator_value"))
        self.epsilon = positive_number(epsilon, "epsilon")

    def update(self, param, grad, state, lr):
        if "accumulator" not in state:
            state["accumulator"] = backend.xp().full_like(param, self.initial_accumulator_value)
        accumulator = state["accumulator"]
        accumulator += grad * grad
        param -= lr * grad / backend.xp().sqrt(accumulator + self.epsilon)



class RMSprop(Optimizer):
    r"""RMSprop: like AdaGrad with a moving average instead of a sum, so steps do not die out.

    \[ v \leftarrow \rho v + (1 - \rho) \nabla^2, \qquad
       \theta \leftarrow \theta - \frac{\eta\, \nabla}{\sqrt{v} + \epsilon} \]

    Parameters
    ----------
    learning_rate : float or Schedule, default 0.001
        The step size \( \eta \).
    rho : float, default 0.9
        \( \rho \) in [0, 1], the moving average's decay.
    epsilon : float, default 1e-7
        \( \epsilon \) in the denominator.
    **kwargs
        ``clipnorm``, ``clipvalue``: see :class:`Optimizer`.
    """

    def __init__(self, learning_rate=0.001, rho=0.9, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho, self.epsilon = fraction(rho, "rho"), positive_number(epsilon, "epsilon")

    def update(self, param, grad, state, lr):
        v = _moving_average(_zeros_like(state, "v", param), self.rho, grad * grad)
        _scaled_step(param, lr, grad, v, self.epsilon)



class Adam(Optimizer):
    r"""Adam: momentum (m) plus RMSprop scaling (v), with bias correction, in Keras's form:

    \[ \begin{aligned}
    m &\leftarrow \beta_1 m + (1 - \beta_1) \nabla, \qquad v \leftarrow \beta_2 v + (1 - \beta_2) \nabla^2 \\
    \eta_t &= \eta \sqrt{1 - \beta_2^t} / (1 - \beta_1^t) \qquad (t = 1, 2, \dots) \\
    \theta &\leftarrow \theta - \eta_t\, m / (\sqrt{v} + \epsilon)
    \end{aligned} \]

    Parameters
    ----------
    learning_rate : float or Schedule, default 0.001
        The step size \( \eta \).
    beta_1 : float, default 0.9
        \( \beta_1 \) in [0, 1], decay of the gradient's moving average m.
    beta_2 : float, default 0.999
        \( \beta_2 \) in [0, 1], decay of the squared gradient's moving average v.
    epsilon : float, default 1e-7
        \( \epsilon \) in the denominator.
    **kwargs
        Optional ``clipnorm`` and ``clipvalue`` (see :class:`Optimizer`).
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.beta_1, self.beta_2 = fraction(beta_1, "beta_1"), fraction(beta_2, "beta_2")
        self.epsilon = positive_number(epsilon, "epsilon")

    def update(self, param, grad, state, lr):
        m = _zeros_like(state, "m", param)
        v = _zeros_like(state, "v", param)
        t = self.iterations
        lr_t = lr * math.sqrt(1 - self.beta_2**t) / (1 - self.beta_1**t)
        _moving_average(m, self.beta_1, grad)
        _moving_average(v, self.beta_2, grad * grad)
        _scaled_step(param, lr_t, m, v, self.epsilon)


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov and Hutter, 2019), in Keras's form:

    \[ \theta \leftarrow \theta - \eta \lambda \theta, \quad \text{then the Adam step.} \]

    with \( \lambda \) = ``weight_decay``. An L2 penalty λ‖W‖² added to the loss puts 2λW into the gradient, and Adam then divides it
    by sqrt(v): weights with large gradients are barely decayed, those with small ones strongly.
    AdamW shrinks every parameter by the same factor 1 - lr * weight_decay per step, apart from
    the gradient. Like Keras's default it decays every parameter, biases included.

    >>> from nnlib import backend
    >>> w = backend.asarray([2.0])
    >>> AdamW(learning_rate=0.1, weight_decay=0.5).step([(w, backend.asarray([0.0]))])
    >>> print(f"{float(w[0]):.2f}")  # 2 * (1 - 0.1 * 0.5); a zero gradient moves nothing else
    1.90

    Parameters
    ----------
    learning_rate : float or Schedule, default 0.001
        The step size \( \eta \).
    weight_decay : float, default 0.004
        \( \lambda \) >= 0, the fraction (times \( \eta \)) each parameter shrinks per step.
    **kwargs
        Adam's ``beta_1``, ``beta_2``, ``epsilon``, and ``clipnorm``, ``clipvalue``.

    Raises
    ------
    ValueError
        If ``weight_decay`` is not a finite number >= 0.
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, **kwargs):
        super().__init__(learning_rate, **kwargs)
        if isinstance(weight_decay, bool) or not isinstance(weight_decay, numbers.Real) \
                or not (math.isfinite(weight_decay) and weight_decay >= 0):
            raise ValueError(f"AdamW weight_decay must be a number >= 0, got {weight_decay!r}")
        self.weight_decay = float(weight_decay)

    def update(self, param, grad, state, lr):
        param -= (lr * self.weight_decay) * param
        super().update(param, grad, state, lr)


ALL = (SGD, AdaGrad, RMSprop, Adam, AdamW)
_NAMES = {"sgd": SGD, "adagrad": AdaGrad, "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW}


def get(identifier):
    """An optimizer from its name with Keras defaults, or the object itself.

    Parameters
    ----------
    identifier : str or Optimizer
        "sgd", "adagrad", "rmsprop", "adam" or "adamw", or an optimizer object.

    Returns
    -------
    Optimizer
        A new optimizer for a name; ``identifier`` itself for an object.

    Raises
    ------
    ValueError
        If the name is unknown; the message lists the valid ones.
    TypeError
        If ``identifier`` is neither a name nor an optimizer.
    """
    return by_name("optimizer", identifier, _NAMES, Optimizer)
