r"""An encoder-decoder transformer (Vaswani et al., 2017): read a source sequence, write a target sequence.

The encoder (Embedding, PositionalEncoding, ``num_blocks`` transformer blocks without a mask)
turns the source ids into one vector per source position:

\[ S = \text{encoder}(\text{source}) \]

The decoder writes the target one token at a time. Its input is the target so far, behind
a start token; each of its blocks is a transformer block with a third sub-layer,
cross-attention over S, between the causal self-attention and the feed-forward network:

\[ p(\text{target}_t \mid \text{source}, \text{target}_{<t})
   = \text{decoder}([\text{start}, \text{target}_0, \dots, \text{target}_{t-1}],\ S)_t \]

``fit`` trains with *teacher forcing*: the decoder reads the true target, shifted right by
the start token, and every position learns to predict its next token at once (the causal
mask keeps it from reading the answer). ``generate`` writes greedily: the most probable
token, fed back in, step after step.

>>> import numpy as np
>>> from nnlib import Adam
>>> source = np.random.default_rng(0).integers(0, 4, size=(1024, 3))
>>> model = EncoderDecoder(source_vocab=4, target_vocab=4, d_model=16, num_heads=2,
...                        ff_units=32, seed=0)
>>> model.compile(optimizer=Adam(0.01))
>>> reversed_source = source[:, ::-1]  # the task: write the source backwards
>>> history = model.fit(source, reversed_source, epochs=5, batch_size=32)
>>> losses = history.history["loss"]
>>> print(f"loss {losses[0]:.2f} -> {losses[-1]:.3f}")
loss 1.45 -> 0.004
>>> print(source[0], "->", model.generate(source[:1], length=3)[0])
[3 2 2] -> [2 2 3]
"""

import json
import math
import os
import sys

import numpy as np

from . import backend, losses, optimizers
from ._arrays import host_array
from ._checks import positive_int
from ._lookup import from_config, to_config
from .layers import Dense, Embedding, LayerNormalization, PositionalEncoding
from .layers.attention import MultiHeadCrossAttention
from .layers.base import Layer, give_name, loss_gives_dz, named_layers
from .layers.transformer import transformer_block
from .model import (History, _batch_size, _read_archive, _write_atomically, _assign_weights, _parameters_of,
                    _weights_of)


class DecoderBlock(Layer):
    """A decoder block: causal self-attention, cross-attention over the encoder's output S, feed-forward.

    Each sub-layer sits in a residual connection, with layer normalization where
    :func:`~nnlib.layers.transformer.transformer_block` puts it (the first and last
    sub-layers *are* a causal ``transformer_block``)::

        "pre":   h = x + SelfAttention(LN(x)),  c = h + CrossAttention(LN(h), S),  y = c + FF(LN(c))
        "post":  h = LN(x + SelfAttention(x)),  c = LN(h + CrossAttention(h, S)),   y = LN(c + FF(c))

    ``forward(x, source)`` takes the decoder sequence x (batch, time, d_model) and S
    (batch, source_time, d_model); ``backward(grad)`` returns (dL/dx, dL/dS).

    Parameters
    ----------
    d_model : int
        Width of the decoder's vectors and of S's.
    num_heads : int
        Heads of both attentions; ``d_model`` must be divisible by it.
    ff_units : int
        Hidden units of the feed-forward network.
    norm : {"pre", "post"}, default "pre"
        Where layer normalization goes (see :func:`~nnlib.layers.transformer.transformer_block`).
    input_shape : tuple of int, optional
        One decoder sequence's shape (time, d_model); time may be None.
    name : str, optional
        The layer's name; None names it "decoder_block".

    Examples
    --------

    >>> import numpy as np
    >>> from nnlib import backend
    >>> block = DecoderBlock(d_model=8, num_heads=2, ff_units=16)
    >>> block.build((None, 8), np.random.default_rng(0))
    >>> x, S = backend.asarray(np.ones((1, 2, 8))), backend.asarray(np.ones((1, 3, 8)))
    >>> print(tuple(block.forward(x, S).shape), [layer.name for layer in block.sublayers()])
    (1, 2, 8) ['residual', 'layer_normalization', 'cross_attention', 'residual_1']
    """

    def __init__(self, d_model, num_heads, ff_units, norm="pre", input_shape=None, name=None):
        super().__init__(name, input_shape)
        self.d_model, self.num_heads, self.ff_units, self.norm = d_model, num_heads, ff_units, norm
        block = transformer_block(d_model, num_heads, ff_units, causal=True, norm=norm)  # checks the arguments
        half = len(block) // 2
        self.self_attention, self.feed_forward = block[:half], block[half:]
        self.cross_norm = LayerNormalization()
        self.cross_attention = MultiHeadCrossAttention(num_heads, d_model // num_heads, name="cross_attention")
        taken = set()
        for layer in self.sublayers():
            give_name(layer, taken, "DecoderBlock")
            taken.add(layer.name)

    def sublayers(self):
        return [*self.self_attention, self.cross_norm, self.cross_attention, *self.feed_forward]

    def build(self, input_shape, rng=None):
        super().build(input_shape)
        for layer in self.sublayers():
            layer.build(self.input_shape, rng)

    def forward(self, x, source, training=False):
        for layer in self.self_attention:
            x = layer.forward(x, training=training)
        if self.norm == "pre":
            h = x + self.cross_attention.forward(self.cross_norm.forward(x, training), source, training)
        else:
            h = self.cross_norm.forward(x + self.cross_attention.forward(x, source, training), training)
        for layer in self.feed_forward:
            h = layer.forward(h, training=training)
        return h

    def backward(self, grad, need_dx=True):
        for layer in reversed(self.feed_forward):
            grad = layer.backward(grad)
        if self.norm == "pre":
            d_normed, self.dsource = self.cross_attention.backward(grad)
            grad = grad + self.cross_norm.backward(d_normed)  # residual: identity path + branch
        else:
            grad = self.cross_norm.backward(grad)
            d_queries, self.dsource = self.cross_attention.backward(grad)
            grad = grad + d_queries
        for layer in reversed(self.self_attention):
            grad = layer.backward(grad)
        self.dx = grad
        return self.dx, self.dsource


class EncoderDecoder:
    """An encoder-decoder transformer for (source, target) pairs of integer ids; see the module docstring.

    Source ids lie in 0 .. source_vocab - 1, target ids in 0 .. target_vocab - 1; the decoder's
    embedding has one more row, id ``target_vocab``, for the start token, which is never an
    output. Layers (in ``encoder`` and ``decoder``, lists a reader can index):

    - encoder: Embedding(source_vocab, d_model), PositionalEncoding, ``num_blocks`` ×
      transformer_block(norm), and a LayerNormalization when norm="pre";
    - decoder: Embedding(target_vocab + 1, d_model), PositionalEncoding, ``num_blocks`` ×
      :class:`DecoderBlock`, a LayerNormalization when norm="pre", Dense(target_vocab, softmax).

    After ``forward`` (and so after ``generate``) each DecoderBlock's ``cross_attention`` keeps
    its ``attention_weights`` (batch, heads, target position, source position). ``save`` and
    :func:`load_encoder_decoder` keep a model in one file (Adam's moments are not saved).

    Parameters
    ----------
    source_vocab : int
        Number of source ids.
    target_vocab : int
        Number of target ids (the start token is one more, added by the model).
    d_model : int, default 16
        Width of every vector in the encoder and the decoder.
    num_heads : int, default 2
        Attention heads in every block; ``d_model`` must be divisible by it.
    ff_units : int, default 32
        Hidden units of every feed-forward network.
    num_blocks : int, default 1
        Blocks in the encoder, and in the decoder.
    norm : {"pre", "post"}, default "pre"
        Where layer normalization goes in every block.
    seed : int, default 0
        Seed of the initial weights and of the shuffling in ``fit``.
    name : str, optional
        The model's name; None names it "encoder_decoder".

    Raises
    ------
    ValueError
        If a vocabulary size or ``num_blocks`` is not a positive integer, or a block's
        arguments are invalid.
    """

    def __init__(self, source_vocab, target_vocab, d_model=16, num_heads=2, ff_units=32, num_blocks=1, norm="pre",
                 seed=0, name=None):
        self.source_vocab = positive_int(source_vocab, "EncoderDecoder source_vocab")
        self.target_vocab = positive_int(target_vocab, "EncoderDecoder target_vocab")
        self.d_model, self.num_heads, self.ff_units, self.norm = d_model, num_heads, ff_units, norm
        self.num_blocks = positive_int(num_blocks, "EncoderDecoder num_blocks")
        self.seed, self.name = seed, name or "encoder_decoder"
        self.rng = np.random.default_rng(seed)
        self.start_token = self.target_vocab
        final_norm = [LayerNormalization()] if norm == "pre" else []
        encoder_blocks = [layer for _ in range(self.num_blocks)
                          for layer in transformer_block(d_model, num_heads, ff_units, norm=norm)]
        self.encoder = [Embedding(self.source_vocab, d_model), PositionalEncoding(), *encoder_blocks, *final_norm]
        self.decoder = [Embedding(self.target_vocab + 1, d_model), PositionalEncoding(),
                        *(DecoderBlock(d_model, num_heads, ff_units, norm) for _ in range(self.num_blocks)),
                        *[LayerNormalization() for _ in final_norm], Dense(self.target_vocab, activation="softmax")]
        for part in (self.encoder, self.decoder):
            self._name_and_build(part)
        self.optimizer = self.loss = None
        self.history = None
        self.built = True

    def _name_and_build(self, layers):
        """Name the layers as Sequential does ("residual", "residual_1") and build them for any length."""
        taken, shape = set(), (None,)
        for layer in layers:
            give_name(layer, taken, self.name)
            taken.add(layer.name)
            layer.build(shape, self.rng)
            shape = layer.output_shape(shape)

    # ----- forward and backward ------------------------------------------------------------

    def encode(self, source, training=False):
        """S = encoder(source): (batch, source_time) ids -> (batch, source_time, d_model).

        Parameters
        ----------
        source : array
            Source ids on the device, (batch, source_time).
        training : bool, default False
            Passed to every layer (dropout and the like act only in training).

        Returns
        -------
        array
            S, (batch, source_time, d_model).
        """
        for layer in self.encoder:
            source = layer.forward(source, training=training)
        return source

    def decode(self, target_in, S, training=False):
        """Next-token probabilities (batch, time, target_vocab) for the decoder input ``target_in``.

        Parameters
        ----------
        target_in : array
            The decoder's input ids on the device, (batch, time): the start token, then the
            target so far.
        S : array
            The encoder's output, (batch, source_time, d_model).
        training : bool, default False
            Passed to every layer.

        Returns
        -------
        array
            p(next id), (batch, time, target_vocab); each row sums to 1.
        """
        h = target_in
        for layer in self.decoder:
            if isinstance(layer, DecoderBlock):
                h = layer.forward(h, S, training=training)
            else:
                h = layer.forward(h, training=training)
        return h

    def forward(self, source, target_in, training=False):
        """decode(target_in, encode(source)), on device arrays of ids.

        Parameters
        ----------
        source : array
            Source ids, (batch, source_time).
        target_in : array
            The decoder's input ids, (batch, time).
        training : bool, default False
            Passed to every layer.

        Returns
        -------
        array
            p(next id), (batch, time, target_vocab).
        """
        return self.decode(target_in, self.encode(source, training), training)

    def backward_loss(self, target, probabilities):
        """Backward from the loss through decoder and encoder; fills every layer's grads.

        The softmax output and cross-entropy give dL/dz = (p - y) / N directly (the fused
        gradient of lesson 6). The encoder's output S feeds every decoder block, so its
        gradient is the sum of what each block's cross-attention sends back.

        Parameters
        ----------
        target : array
            The target ids of the batch, (batch, time).
        probabilities : array
            The model's output for the batch, from :meth:`forward`.
        """
        output = self.decoder[-1]
        if self.loss.fuses_with == "softmax" and not self.loss.from_logits:
            with loss_gives_dz(output):
                grad = output.backward(self.loss.gradient_z(target, probabilities))
        else:
            grad = output.backward(self.loss.gradient(target, probabilities))
        dS = 0.0
        for layer in reversed(self.decoder[:-1]):
            if isinstance(layer, DecoderBlock):
                grad, d_from_block = layer.backward(grad)
                dS = dS + d_from_block
            else:
                grad = layer.backward(grad)
        for layer in reversed(self.encoder):
            dS = layer.backward(dS)

    # ----- parameters ----------------------------------------------------------------------

    def named_layers(self):
        """(path, layer) for every layer, e.g. ("decoder/decoder_block/cross_attention", layer)."""
        return [*named_layers(self.encoder, "encoder/"), *named_layers(self.decoder, "decoder/")]

    def named_parameters(self):
        """(name, parameter, gradient or None), e.g. ("decoder/decoder_block/cross_attention/Wq", Wq, dWq)."""
        return _parameters_of(self.named_layers())

    def named_weights(self):
        """(name, array) for every parameter and piece of state: what get_weights returns."""
        return _weights_of(self.named_layers())

    def get_weights(self):
        return [backend.to_numpy(array).copy() for _, array in self.named_weights()]

    def set_weights(self, weights):
        """Copy values into the weights in place, in ``named_weights`` order.

        Parameters
        ----------
        weights : list of numpy.ndarray
            One array per weight, shaped as ``get_weights()`` returns them.

        Raises
        ------
        ValueError
            If the number of arrays or a shape differs from the model's.
        """
        _assign_weights(self.named_weights(), weights, self.name)

    def count_params(self):
        return sum(layer.count_params() for layer in (*self.encoder, *self.decoder))

    def get_config(self):
        """The constructor's arguments, and the compiled optimizer and loss (their own configs)."""
        config = {key: getattr(self, key) for key in ("source_vocab", "target_vocab", "d_model", "num_heads",
                                                       "ff_units", "num_blocks", "norm", "seed", "name")}
        compiled = None if self.loss is None else {"optimizer": to_config(self.optimizer), "loss": to_config(self.loss)}
        return {"format": "nnlib.EncoderDecoder", **config, "compile": compiled}

    def save(self, path):
        """Write the configuration and the weights to one ``.npz`` file, laid out as ``Sequential.save``
        lays out its own: key "architecture" holds ``get_config()`` as UTF-8 JSON, and one key per
        weight ("decoder/dense/W"). The file is written whole or not at all.

        Parameters
        ----------
        path : str or os.PathLike
            Where to write the file.
        """
        architecture = np.frombuffer(json.dumps(self.get_config()).encode("utf-8"), dtype=np.uint8)
        weights = {name: backend.to_numpy(array) for name, array in self.named_weights()}
        _write_atomically(os.fspath(path), lambda f: np.savez(f, architecture=architecture, **weights))

    # ----- training and writing ------------------------------------------------------------

    def compile(self, optimizer="adam", loss="sparse_categorical_crossentropy"):
        """Choose the optimizer and the loss (by name or as objects), as Sequential.compile does.

        Parameters
        ----------
        optimizer : str or Optimizer, default "adam"
            The optimizer, e.g. "adam" or ``Adam(0.01)``.
        loss : str or Loss, default "sparse_categorical_crossentropy"
            The loss over every target position.
        """
        self.optimizer = optimizers.get(optimizer)
        self.loss = losses.get(loss)

    def _pairs(self, source, target, what=""):
        """(source, target) as host integer arrays, checked: ids in range, one target row per source row."""
        source = self._ids(source, what + "source", self.source_vocab)
        target = self._ids(target, what + "target", self.target_vocab)
        if len(source) != len(target):
            raise ValueError(f"{what}source has {len(source)} sequences but {what}target has {len(target)}")
        return source, target

    @staticmethod
    def _ids(a, what, vocab):
        """``a`` as a (batch, time) integer array with ids in 0 .. vocab - 1, or a clear error."""
        a = host_array(a, what)
        if a.ndim != 2 or a.shape[0] == 0 or a.shape[1] == 0:
            raise ValueError(f"{what} must be a non-empty array of shape (sequences, time), got shape {a.shape}")
        if not np.all(np.round(a) == a) or a.min() < 0 or a.max() >= vocab:
            raise ValueError(f"{what} must hold whole-number ids in 0 .. {vocab - 1}, "
                             f"got values from {a.min()} to {a.max()}")
        return a.astype(np.int64)

    def shift_right(self, target):
        """The decoder's input under teacher forcing: [start, target[0], ..., target[-2]] per row.

        Parameters
        ----------
        target : numpy.ndarray
            Target ids, (batch, time).

        Returns
        -------
        numpy.ndarray
            The decoder's input ids, (batch, time).
        """
        start = np.full((len(target), 1), self.start_token, dtype=np.int64)
        return np.concatenate([start, target[:, :-1]], axis=1)

    def train_step(self, source, target_in, target):
        """One optimizer step on a batch of device arrays (source, decoder input, target); returns the loss.

        Parameters
        ----------
        source : array
            Source ids, (batch, source_time).
        target_in : array
            The decoder's input ids, ``shift_right(target)``.
        target : array
            Target ids, (batch, time).

        Returns
        -------
        array
            The batch's loss, a 0-d array.
        """
        probabilities = self.forward(source, target_in, training=True)
        loss = self.loss(target, probabilities)
        self.backward_loss(target, probabilities)
        self.optimizer.step([(param, grad) for _, param, grad in self.named_parameters()])
        return loss

    def fit(self, source, target, epochs=1, batch_size=None, validation_data=None, shuffle=True, verbose=0,
            seed=None):
        """Train with teacher forcing for ``epochs`` passes in shuffled mini-batches; returns a History.

        The loss is averaged over every target position of every sequence.

        Parameters
        ----------
        source : array_like
            Source ids, (sequences, source_time).
        target : array_like
            Target ids, (sequences, time).
        epochs : int, default 1
            Passes over the data.
        batch_size : int, optional
            Sequences per step; None means 32.
        validation_data : tuple of array_like, optional
            (source_val, target_val): adds "val_loss" (teacher-forced) per epoch.
        shuffle : bool, default True
            Shuffle the sequences before each epoch.
        verbose : int, default 0
            1 prints one line per epoch to standard error.
        seed : int, optional
            Seed of the shuffling; None continues the model's own generator.

        Returns
        -------
        History
            The loss (and "val_loss") of every epoch.

        Raises
        ------
        ValueError
            If ids are out of range, the arrays are empty or not 2-D, or the numbers of
            sequences differ.
        RuntimeError
            If the model is not compiled.
        FloatingPointError
            If the loss stops being finite.
        """
        if self.optimizer is None:
            raise RuntimeError("call model.compile(optimizer=...) before fit")
        epochs, batch_size = positive_int(epochs, "epochs"), _batch_size(batch_size)
        source, target = self._pairs(source, target)
        validation = None if validation_data is None else self._pairs(*validation_data, what="validation ")
        arrays = [backend.asarray(a, dtype="int64") for a in (source, self.shift_right(target), target)]
        rng = self.rng if seed is None else np.random.default_rng(seed)
        self.history = History()
        for epoch in range(epochs):
            order = rng.permutation(len(source)) if shuffle else np.arange(len(source))
            loss_sum = 0.0
            for start in range(0, len(source), batch_size):
                index = backend.asarray(order[start:start + batch_size], dtype="int64")
                loss = float(self.train_step(*(backend.xp().take(a, index, axis=0) for a in arrays)))
                if not math.isfinite(loss):
                    raise FloatingPointError(f"training diverged at epoch {epoch + 1}: the loss became {loss}; "
                                             f"try a smaller learning rate")
                loss_sum += loss * index.shape[0]
            logs = {"loss": loss_sum / len(source)}
            if validation is not None:
                logs["val_loss"] = self.evaluate(*validation)
            self.history.append(epoch, logs)
            if verbose:
                print(f"epoch {epoch + 1}/{epochs} - " + " - ".join(f"{k}: {v:.4f}" for k, v in logs.items()),
                      file=sys.stderr)
        return self.history

    def evaluate(self, source, target):
        """The teacher-forced loss over (source, target), a float.

        Parameters
        ----------
        source : array_like
            Source ids, (sequences, source_time).
        target : array_like
            Target ids, (sequences, time).

        Returns
        -------
        float
            The mean loss over every target position.
        """
        if self.loss is None:
            raise RuntimeError("call model.compile(optimizer=...) before evaluate")
        source, target = self._pairs(source, target)
        probabilities = self.forward(backend.asarray(source), backend.asarray(self.shift_right(target)))
        return float(self.loss(backend.asarray(target), probabilities))

    def generate(self, source, length):
        """Greedy decoding: ``length`` target ids per source row, a (batch, length) NumPy int array.

        Step t runs the decoder on [start, written so far] and appends the most probable next
        id; the source is encoded once. The last step's forward leaves each cross-attention's
        ``attention_weights`` covering every written position.

        Parameters
        ----------
        source : array_like
            Source ids, (sequences, source_time).
        length : int
            How many target ids to write per sequence.

        Returns
        -------
        numpy.ndarray
            The written ids, (sequences, length).
        """
        source = self._ids(source, "source", self.source_vocab)
        length = positive_int(length, "length")
        S = self.encode(backend.asarray(source))
        written = np.full((len(source), 1), self.start_token, dtype=np.int64)
        for _ in range(length):
            probabilities = backend.to_numpy(self.decode(backend.asarray(written), S))
            written = np.concatenate([written, probabilities[:, -1].argmax(axis=-1)[:, None]], axis=1)
        return written[:, 1:]


def load_encoder_decoder(path):
    """Rebuild an :class:`EncoderDecoder` written by its ``save``; a file that is not one is a ValueError.

    Parameters
    ----------
    path : str or os.PathLike
        The file ``save`` wrote.

    Returns
    -------
    EncoderDecoder
        The model, compiled as it was when saved (without the optimizer's state).

    Raises
    ------
    ValueError
        If the file is missing, unreadable, of another kind, or its weights do not match its
        architecture.

    Examples
    --------

    >>> import tempfile
    >>> model = EncoderDecoder(source_vocab=5, target_vocab=4, d_model=8, seed=0)
    >>> model.set_weights([w + 1 for w in model.get_weights()])  # no longer what seed 0 gives
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     model.save(os.path.join(folder, "translator.npz"))
    ...     copy = load_encoder_decoder(os.path.join(folder, "translator.npz"))
    >>> print(copy.count_params(), all((a == b).all() for a, b in zip(copy.get_weights(), model.get_weights())))
    2196 True
    """
    arrays = _read_archive(path)
    try:
        config = json.loads(arrays.pop("architecture").tobytes().decode("utf-8"))
        if config.pop("format") != "nnlib.EncoderDecoder":
            raise ValueError("not an EncoderDecoder")
        compiled = config.pop("compile")
        model = EncoderDecoder(**config)
        if compiled is not None:
            model.compile(from_config("optimizer", compiled["optimizer"], optimizers.ALL),
                          from_config("loss", compiled["loss"], losses.ALL))
    except Exception as error:  # whatever a file of another kind makes the rebuilding raise
        raise ValueError(f"{path} is not an nnlib EncoderDecoder file: {error!r}") from None
    expected = [name for name, _ in model.named_weights()]
    if sorted(expected) != sorted(arrays):
        raise ValueError(f"{path} does not match its architecture: weights {sorted(arrays)}, "
                         f"expected {sorted(expected)}")
    model.set_weights([arrays[name] for name in expected])
    return model
