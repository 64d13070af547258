"""Embedding: integer ids to learned vectors."""

import numpy as np

from .. import backend, initializers
from .._checks import positive_int
from .base import Layer


class Embedding(Layer):
    r"""Embedding: a row lookup, one learned vector per id in 0 .. input_dim - 1.

    \[ \text{out}_{b,t} = E_{\text{ids}_{b,t}}, \qquad dE = \operatorname{onehot}(\text{ids})^\top \text{grad} \]

    ``embeddings`` has shape (input_dim, output_dim): one learned row per id (a word,
    a digit). Input (batch, time) of integer ids (floats holding whole numbers are
    accepted, since ``fit`` sends data as floats); output (batch, time, output_dim).

    Backward: each row's gradient is the sum of the upstream gradients of every
    position where its id appeared. NumPy would write that ``np.add.at(dE, ids, grad)``,
    but the array API (and so CuPy-portable code) has no scatter-add, so nnlib writes
    it as a matrix product with the one-hot matrix of the ids (the formula above), of shape
    (batch * time, input_dim). That
    costs batch * time * input_dim numbers, fine for the vocabularies of the lessons.
    The ids are not differentiable: ``backward`` returns zeros of the input's shape.

    >>> import numpy as np
    >>> from nnlib import backend
    >>> emb = Embedding(10, 3)
    >>> emb.build((2,), np.random.default_rng(0))
    >>> emb.params["embeddings"] = backend.asarray(np.arange(30.0).reshape(10, 3))
    >>> out = emb.forward(backend.asarray([[4, 4]], dtype="int64"))
    >>> print(backend.to_numpy(out)[0])
    [[12. 13. 14.]
     [12. 13. 14.]]
    >>> _ = emb.backward(backend.asarray(np.ones((1, 2, 3))))
    >>> print(backend.to_numpy(emb.grads["embeddings"])[4])
    [2. 2. 2.]

    Parameters
    ----------
    input_dim : int
        The vocabulary size: ids run from 0 to input_dim - 1.
    output_dim : int
        The length of each vector.
    input_length : int, optional
        The sequence length, Keras's shortcut for ``input_shape=(input_length,)``.
    embeddings_initializer : str or Initializer, default "random_uniform"
        How the table E starts.
    input_shape : tuple of int, optional
        ``(time,)``, for a model's first layer.
    name : str, optional
        The layer's name; None names it "embedding".

    Raises
    ------
    ValueError
        If ``input_dim`` or ``output_dim`` is not a positive integer; in ``forward``, if an id
        is fractional or out of range.
    """

    def __init__(self, input_dim, output_dim, input_length=None, embeddings_initializer="random_uniform",
                 input_shape=None, name=None):
        if input_shape is None and input_length is not None:
            input_shape = (input_length,)
        super().__init__(name, input_shape)
        self.input_dim = positive_int(input_dim, "Embedding input_dim")
        self.output_dim = positive_int(output_dim, "Embedding output_dim")
        self.input_length = input_length
        self.embeddings_initializer = initializers.get(embeddings_initializer)

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        rng = np.random.default_rng() if rng is None else rng
        shape = (self.input_dim, self.output_dim)
        self.params["embeddings"] = backend.asarray(self.embeddings_initializer(shape, rng))

    def output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def forward(self, x, training=False):
        xp = backend.xp()
        self.x = x
        if x.dtype == xp.int64:
            ids = x
        else:
            ids = xp.astype(xp.round(x), xp.int64)
            if not bool(xp.all(xp.astype(ids, x.dtype) == x)):
                raise ValueError(f"{self.name or self.kind} expected whole-number ids, got fractional values")
        flat = xp.reshape(ids, (-1,))
        if flat.shape[0] and (int(xp.min(flat)) < 0 or int(xp.max(flat)) >= self.input_dim):
            raise ValueError(f"{self.name or self.kind} expected integer ids in [0, {self.input_dim}), "
                             f"got values from {int(xp.min(flat))} to {int(xp.max(flat))}")
        self.ids = ids
        self.out = xp.reshape(xp.take(self.params["embeddings"], flat, axis=0),
                              tuple(ids.shape) + (self.output_dim,))
        return self.out

    def backward(self, grad, need_dx=True):
        xp = backend.xp()
        E = self.params["embeddings"]
        flat = xp.reshape(self.ids, (-1, 1))
        vocabulary = xp.reshape(backend.arange(self.input_dim), (1, -1))
        one_hot = xp.astype(flat == vocabulary, E.dtype)  # (batch * time, input_dim)
        self.grads["embeddings"] = one_hot.T @ xp.reshape(grad, (-1, self.output_dim))
        self.dx = backend.zeros(tuple(self.x.shape))
        return self.dx
