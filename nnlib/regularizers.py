r"""Weight penalties added to the loss, used as ``Dense(..., kernel_regularizer=L2(1e-4))``.

- L1: \( R(W) = \lambda_1 \sum |W| \), gradient \( \lambda_1 \operatorname{sign}(W) \) (pushes weights to exactly zero);
- L2: \( R(W) = \lambda_2 \sum W^2 \), gradient \( 2 \lambda_2 W \) (weight decay).

>>> import nnlib.backend as backend
>>> W = backend.asarray([[1.0, -2.0]])
>>> print(f"{float(L1L2(l1=0.1, l2=0.01)(W)):.2f}")
0.35
"""

from . import backend
from ._lookup import Configurable, by_name


class Regularizer(Configurable):
    r"""Both penalties; L1 and L2 are this with one term set to zero.

    \[ R(W) = \lambda_1 \sum |W| + \lambda_2 \sum W^2 \]

    Parameters
    ----------
    l1 : float, default 0.0
        \( \lambda_1 \), the L1 factor.
    l2 : float, default 0.0
        \( \lambda_2 \), the L2 factor.
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1, self.l2 = l1, l2

    def __call__(self, W):
        """The penalty, a 0-d array."""
        xp = backend.xp()
        return self.l1 * xp.sum(xp.abs(W)) + self.l2 * xp.sum(W * W)

    def gradient(self, W):
        r"""The penalty's gradient, added to dW.

        \[ \frac{\partial R}{\partial W} = \lambda_1 \operatorname{sign}(W) + 2 \lambda_2 W \]

        Parameters
        ----------
        W : array
            The weights.

        Returns
        -------
        array
            Shaped like ``W``.
        """
        xp = backend.xp()
        return self.l1 * xp.sign(W) + (2 * self.l2) * W



class L1L2(Regularizer):
    """Both penalties."""


class L1(Regularizer):
    r"""The L1 penalty \( \lambda_1 \sum |W| \).

    Parameters
    ----------
    l1 : float, default 0.01
        \( \lambda_1 \).
    """

    def __init__(self, l1=0.01):
        super().__init__(l1=l1)



class L2(Regularizer):
    r"""The L2 penalty \( \lambda_2 \sum W^2 \) (weight decay).

    Parameters
    ----------
    l2 : float, default 0.01
        \( \lambda_2 \).
    """

    def __init__(self, l2=0.01):
        super().__init__(l2=l2)



ALL = (Regularizer, L1L2, L1, L2)
_NAMES = {"l1": L1, "l2": L2, "l1_l2": L1L2}


def get(identifier):
    """A regularizer from its name, the object itself, or None.

    Parameters
    ----------
    identifier : str, Regularizer or None
        "l1", "l2" or "l1_l2" (with the default factor 0.01), a regularizer, or None.

    Returns
    -------
    Regularizer or None
        None for None.

    Raises
    ------
    ValueError
        If the name is unknown.
    """
    return None if identifier is None else by_name("regularizer", identifier, _NAMES)
