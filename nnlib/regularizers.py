"""Weight penalties added to the loss, used as ``Dense(..., kernel_regularizer=L2(1e-4))``.

- L1: penalty = l1 * sum(|W|),  gradient = l1 * sign(W)  (pushes weights to exactly zero)
- L2: penalty = l2 * sum(W²),   gradient = 2 * l2 * W    (weight decay)

>>> import nnlib.backend as backend
>>> W = backend.asarray([[1.0, -2.0]])
>>> print(f"{float(L1L2(l1=0.1, l2=0.01)(W)):.2f}")
0.35
"""

from . import backend
from ._lookup import Configurable, by_name


class Regularizer(Configurable):
    """``l1 * sum(|W|) + l2 * sum(W²)``; L1 and L2 are this with one term set to zero."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = l1, l2

    def __call__(self, W):
        """The penalty, a 0-d array."""
        xp = backend.xp()
        return self.l1 * xp.sum(xp.abs(W)) + self.l2 * xp.sum(W * W)

    def gradient(self, W):
        """d(penalty)/dW."""
        xp = backend.xp()
        return self.l1 * xp.sign(W) + (2 * self.l2) * W



class L1L2(Regularizer):
    """Both penalties."""


class L1(Regularizer):
    """``l1 * sum(|W|)``."""

    def __init__(self, l1=0.01):
        super().__init__(l1=l1)



class L2(Regularizer):
    """``l2 * sum(W²)``."""

    def __init__(self, l2=0.01):
        super().__init__(l2=l2)



ALL = (Regularizer, L1L2, L1, L2)
_NAMES = {"l1": L1, "l2": L2, "l1_l2": L1L2}


def get(identifier):
    """A regularizer from its name ("l1", "l2", "l1_l2"), the object itself, or None."""
    return None if identifier is None else by_name("regularizer", identifier, _NAMES)
