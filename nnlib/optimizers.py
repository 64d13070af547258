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
    """lr = initial_learning_rate * drop ** floor(step / step_size)."""

    def __init__(self, initial_learning_rate, drop=0.5, step_size=1000):
        self.initial_learning_rate, self.drop, self.step_size = initial_learning_rate, drop, step_size

    def __call__(self, step):
        return self.initial_learning_rate * self.drop ** (step // self.step_size)


class ExponentialDecay(Schedule):
    """lr = initial_learning_rate * decay_rate ** (step / decay_steps); ``staircase`` floors the exponent."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False):
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.decay_rate, self.staircase = decay_rate, staircase

    def __call__(self, step):
        exponent = step / self.decay_steps
        return self.initial_learning_rate * self.decay_rate ** (math.floor(exponent) if self.staircase else exponent)


class CosineDecay(Schedule):
    """lr = initial_learning_rate * ((1 - alpha) * (1 + cos(π t)) / 2 + alpha), t = min(step / decay_steps, 1)."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0):
        self.initial_learning_rate, self.decay_steps, self.alpha = initial_learning_rate, decay_steps, alpha

    def __call__(self, step):
        t = min(step / self.decay_steps, 1.0)
        return self.initial_learning_rate * ((1 - self.alpha) * (1 + math.cos(math.pi * t)) / 2 + self.alpha)


class LinearWarmup(Schedule):
    """lr = learning_rate * (step + 1) / warmup_steps for the first warmup_steps steps, then learning_rate.

    Adam's first steps are about learning_rate long whatever the gradient (lesson 9), and at
    the start of training the gradients of a fresh network point in directions that soon change;
    ramping the step size up over the first updates keeps those early steps small.

    >>> warmup = LinearWarmup(0.01, warmup_steps=4)
    >>> print([round(warmup(step), 4) for step in range(6)])
    [0.0025, 0.005, 0.0075, 0.01, 0.01, 0.01]
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
    """Base class: clipping, learning-rate schedule, per-parameter state, step count.

    Subclasses implement ``update(param, grad, state, lr)`` for one parameter.
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
        """Update every parameter in place from its gradient."""
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


def _scaled_step(param, step, v, epsilon):
    """param -= step / (sqrt(v) + epsilon), in place: the last line of RMSprop and Adam."""
    denominator = backend.xp().sqrt(v)
    denominator += epsilon
    param -= step / denominator


class SGD(Optimizer):
    """Gradient descent, optionally with momentum.

    velocity = momentum * velocity - lr * grad;  param += velocity.
    Nesterov looks ahead: param += momentum * velocity - lr * grad.
    With momentum 0 this is param -= lr * grad.
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
    """accumulator += grad²;  param -= lr * grad / sqrt(accumulator + epsilon).

    Steps shrink for parameters that have seen large gradients. The accumulator
    starts at ``initial_accumulator_value`` (Keras: 0.1).
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
    """v = rho * v + (1 - rho) * grad²;  param -= lr * grad / (sqrt(v) + epsilon).

    Like AdaGrad with a moving average instead of a sum, so steps do not die out.
    """

    def __init__(self, learning_rate=0.001, rho=0.9, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, **kwargs)
        self.rho, self.epsilon = fraction(rho, "rho"), positive_number(epsilon, "epsilon")

    def update(self, param, grad, state, lr):
        v = _moving_average(_zeros_like(state, "v", param), self.rho, grad * grad)
        _scaled_step(param, lr * grad, v, self.epsilon)



class Adam(Optimizer):
    """Momentum (m) plus RMSprop scaling (v), with bias correction, in Keras's form:

    m = beta_1 m + (1 - beta_1) grad;   v = beta_2 v + (1 - beta_2) grad²
    lr_t = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)       (t = 1, 2, ...)
    param -= lr_t * m / (sqrt(v) + epsilon)
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
        _scaled_step(param, lr_t * m, v, self.epsilon)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter, 2019), in Keras's form:

    param -= lr * weight_decay * param, then the Adam step above.

    An L2 penalty λ‖W‖² added to the loss puts 2λW into the gradient, and Adam then divides it
    by sqrt(v): weights with large gradients are barely decayed, those with small ones strongly.
    AdamW shrinks every parameter by the same factor 1 - lr * weight_decay per step, apart from
    the gradient. Like Keras's default it decays every parameter, biases included.

    >>> from nnlib import backend
    >>> w = backend.asarray([2.0])
    >>> AdamW(learning_rate=0.1, weight_decay=0.5).step([(w, backend.asarray([0.0]))])
    >>> print(f"{float(w[0]):.2f}")  # 2 * (1 - 0.1 * 0.5); a zero gradient moves nothing else
    1.90
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
    """An optimizer from its name ("sgd", "adagrad", "rmsprop", "adam", "adamw") with Keras defaults, or the object."""
    return by_name("optimizer", identifier, _NAMES, Optimizer)
