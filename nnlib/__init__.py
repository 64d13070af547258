"""nnlib: a small neural-network engine on NumPy (CuPy on a GPU), written to be read.

Keras-style use, with only the import changed:

>>> import numpy as np
>>> from nnlib import Sequential, Dense
>>> model = Sequential([Dense(8, activation="tanh", input_shape=(2,)), Dense(1, activation="sigmoid")], seed=0)
>>> model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
>>> X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
>>> history = model.fit(X, np.array([0, 1, 1, 0]), epochs=2, batch_size=4, verbose=0)
>>> print(sorted(history.history))
['accuracy', 'loss']
"""

from . import (backend, callbacks, data, encoder_decoder, gradcheck, initializers, layers, losses, metrics, optimizers,
               perceptron, regularizers, text)
from .backend import get_backend, set_backend, set_dtype, to_numpy
from .callbacks import EarlyStopping, LearningRateScheduler, Recorder, load_recording
from .layers import GRU, LSTM, Embedding, MultiHeadCrossAttention, MultiHeadSelfAttention, PositionalEncoding, SimpleRNN
from .layers import positional_encoding
from .layers import ELU, GELU, Dense, Dropout, LeakyReLU, Linear, ReLU, Sigmoid, Softmax, Swish, Tanh
from .layers import (AveragePooling2D, BatchNormalization, Conv2D, Flatten, LayerNormalization, MaxPooling2D,
                     Residual, transformer_block, GaussianSample)
from .model import History, Sequential, TrainingDiverged, load_model
from .encoder_decoder import EncoderDecoder, load_encoder_decoder
from .optimizers import SGD, AdaGrad, Adam, AdamW, RMSprop

__all__ = [
    "backend", "callbacks", "data", "encoder_decoder", "gradcheck", "initializers", "layers", "losses", "metrics",
    "optimizers", "perceptron", "regularizers", "text",
    "get_backend", "set_backend", "set_dtype", "to_numpy",
    "EarlyStopping", "LearningRateScheduler", "Recorder", "load_recording",
    "SimpleRNN", "LSTM", "GRU", "Embedding", "MultiHeadSelfAttention", "MultiHeadCrossAttention", "PositionalEncoding",
    "positional_encoding",
    "Dense", "Dropout", "LeakyReLU", "Linear", "ReLU", "Sigmoid", "Softmax", "Swish", "Tanh", "ELU", "GELU",
    "Conv2D", "MaxPooling2D", "AveragePooling2D", "Flatten", "BatchNormalization", "LayerNormalization", "Residual",
    "transformer_block", "GaussianSample",
    "History", "Sequential", "TrainingDiverged", "load_model", "EncoderDecoder", "load_encoder_decoder",
    "SGD", "AdaGrad", "Adam", "AdamW", "RMSprop",
]
