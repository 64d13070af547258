"""Layers: ``Dense``, ``Dropout`` and the activation layers.

>>> from nnlib.layers import Dense, get
>>> print(get("relu").kind, Dense(3).units)
relu 3
"""

from .activations import Activation, LeakyReLU, Linear, ReLU, Sigmoid, Softmax, Swish, Tanh, sigmoid
from .activations import get
from .base import Layer
from .dense import Dense
from .dropout import Dropout

ALL = (Dense, Dropout, Linear, Sigmoid, Tanh, ReLU, LeakyReLU, Swish, Softmax)

__all__ = ["Layer", "Activation", "Dense", "Dropout", "Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU",
           "Swish", "Softmax", "sigmoid", "get"]
