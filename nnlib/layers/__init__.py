"""Layers: ``Dense``, ``Dropout``, the activation layers, the recurrent layers
(``SimpleRNN``, ``LSTM``, ``GRU``), ``Embedding``, self- and cross-attention, convolution and
pooling (``Conv2D``, ``MaxPooling2D``, ``AveragePooling2D``, ``Flatten``), normalization
(``BatchNormalization``, ``LayerNormalization``), ``Residual``, ``transformer_block`` and
``GaussianSample`` (a variational autoencoder's sampling layer).

>>> from nnlib.layers import Dense, get
>>> print(get("relu").kind, Dense(3).units)
relu 3
"""

from .activations import ELU, GELU, Activation, LeakyReLU, Linear, ReLU, Sigmoid, Softmax, Swish, Tanh, sigmoid, softmax
from .activations import get
from .attention import MultiHeadCrossAttention, MultiHeadSelfAttention, PositionalEncoding, positional_encoding
from .base import Layer, named_layers
from .conv import Conv2D
from .dense import Dense
from .dropout import Dropout
from .embedding import Embedding
from .normalization import BatchNormalization, LayerNormalization
from .pooling import AveragePooling2D, MaxPooling2D
from .recurrent import GRU, LSTM, SimpleRNN
from .reshape import Flatten
from .residual import Residual
from .sampling import GaussianSample
from .transformer import transformer_block

ALL = (Dense, Dropout, Linear, Sigmoid, Tanh, ReLU, LeakyReLU, Swish, ELU, GELU, Softmax,
       SimpleRNN, LSTM, GRU, Embedding, MultiHeadSelfAttention, PositionalEncoding,
       Conv2D, MaxPooling2D, AveragePooling2D, Flatten, BatchNormalization, LayerNormalization, Residual,
       GaussianSample)

__all__ = ["SimpleRNN", "LSTM", "GRU", "Embedding", "MultiHeadSelfAttention", "MultiHeadCrossAttention", "PositionalEncoding",
           "positional_encoding", "Layer", "Activation", "Dense", "Dropout", "Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU",
           "Swish", "ELU", "GELU", "Softmax", "sigmoid", "softmax", "get", "Conv2D", "MaxPooling2D", "AveragePooling2D", "Flatten",
           "BatchNormalization", "LayerNormalization", "Residual", "named_layers", "transformer_block",
           "GaussianSample"]
