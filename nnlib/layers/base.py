"""The contract every layer keeps."""

import contextlib
import re

from .._checks import shape_tuple, size
from .._lookup import Configurable


@contextlib.contextmanager
def loss_gives_dz(layer):
    """For one backward pass, ``layer`` takes dL/dz from the loss instead of dL/da.

    Softmax or sigmoid with cross-entropy give dL/dz = (a - y) / N directly (lesson 6), which
    spares the activation's Jacobian. The mark lasts for the pass only: ``backward(dL_da)``
    called directly afterwards still takes dL/da, and a model recompiled with another loss
    finds no layer still marked.

    Parameters
    ----------
    layer : Layer
        The model's output layer: a Dense or an activation layer.

    Examples
    --------
    >>> from nnlib.layers import Softmax
    >>> output = Softmax()
    >>> with loss_gives_dz(output):
    ...     print(output.loss_gives_dz)
    True
    >>> print(output.loss_gives_dz)
    False
    """
    layer.loss_gives_dz = True
    try:
        yield layer
    finally:
        layer.loss_gives_dz = False


def entry(table, key):
    """A property for ``layer.<table>[key]`` under the lesson's name (``dense.W`` for
    ``dense.params["W"]``), with an error that says when it will exist.

    Parameters
    ----------
    table : str
        The layer's dict that holds the array: "params", "grads" or "state".
    key : str
        The array's name in it, e.g. "W".

    Returns
    -------
    property
        Reads and writes ``layer.<table>[key]``; reading it before it exists raises an
        AttributeError that names the step (build or backward) that creates it.
    """

    def get(layer):
        try:
            return getattr(layer, table)[key]
        except KeyError:
            made_by = "backward" if table == "grads" else "build (or calling the layer on an input)"
            raise AttributeError(f"{layer.name or layer.kind} has no {key!r} yet: {made_by} creates it") from None

    def set(layer, value):
        getattr(layer, table)[key] = value

    return property(get, set, doc=f"``{table}[{key!r}]``")


class Layer(Configurable):
    """A step of the network: ``forward`` computes the output, ``backward`` the chain rule.

    - ``forward(x, training=False)`` returns the output and keeps what backward needs.
    - ``backward(grad, need_dx=True)`` receives dL/d(output) and returns dL/d(input);
      layers with parameters also fill ``grads`` (same names as ``params``). With
      ``need_dx=False`` (the first layer during training) a layer may skip dL/d(input),
      when that saves work (Dense, Conv2D: a matrix product), and return None.
    - ``params`` / ``grads``: dicts name -> array, e.g. {"W": ..., "b": ...}.
    - ``build(input_shape, rng)`` creates the parameters once the input width is
      known; ``input_shape`` excludes the batch axis, as in Keras.
    - ``state``: arrays the layer updates itself, not by gradient (batch
      normalization's running statistics); saved with the model, counted as
      non-trainable parameters.
    - ``sublayers()``: layers held inside this one (a residual block's branch);
      ``Sequential`` walks them to name their parameters ("residual/dense/W").
    - ``get_config()``: the constructor's arguments, read back from the attributes of the
      same names, so a layer stores each argument once and ``load_model`` can rebuild it.

    Parameters
    ----------
    name : str, optional
        The layer's name, unique within its model; None lets the model name it after its
        class ("dense", "dense_1", ...). It may not contain "/".
    input_shape : tuple of int, optional
        One input's shape without the batch axis, given to the first layer of a model so
        that the model can build at once, as in Keras.

    Raises
    ------
    ValueError
        If ``name`` is empty or contains "/".
    TypeError
        If ``input_shape`` is not a tuple of axis lengths.
    """

    trainable = True
    saved_names = {}  # parameter name -> its name in a model file, where the two differ
    # True only while a model's backward_loss hands this output layer dL/dz, the gradient of
    # its activation's input, instead of dL/da (softmax or sigmoid with cross-entropy, lesson 6).
    loss_gives_dz = False

    def __init__(self, name=None, input_shape=None):
        self.name = check_name(name)
        self.params = {}
        self.grads = {}
        self.state = {}
        self.built = False
        # Any first layer may declare the model's input shape, as in Keras: Flatten(input_shape=(8, 8)).
        self.input_shape = None if input_shape is None else shape_tuple(input_shape)

    @property
    def kind(self):
        """Default name stem: the class name in snake case ("Dense" -> "dense", "LeakyReLU" -> "leaky_relu")."""
        return re.sub(r"(?<!^)(?=[A-Z][a-z])", "_", type(self).__name__).lower()

    def build(self, input_shape, rng=None):
        """Create the parameters for inputs of shape (batch, *input_shape); subclasses extend it.

        Parameters
        ----------
        input_shape : tuple of int
            One input's shape without the batch axis.
        rng : numpy.random.Generator, optional
            Draws the initial weights; None makes a fresh generator.
        """
        self.input_shape = tuple(input_shape)
        self.built = True

    def output_shape(self, input_shape):
        """The shape of one output for inputs of shape ``input_shape`` (both without the batch axis).

        Parameters
        ----------
        input_shape : tuple of int
            One input's shape.

        Returns
        -------
        tuple of int
            One output's shape; the base class returns ``input_shape`` unchanged.
        """
        return tuple(input_shape)

    def forward(self, x, training=False):
        """The layer's output for a batch x; keeps what ``backward`` needs (each layer defines it).

        Parameters
        ----------
        x : array
            A batch of inputs, (batch, *input_shape), on the active backend.
        training : bool, default False
            True during ``fit``: dropout drops units, batch normalization uses batch statistics.

        Returns
        -------
        array
            The batch of outputs.
        """
        raise NotImplementedError

    def backward(self, grad, need_dx=True):
        raise NotImplementedError

    def __getattr__(self, name):
        # Reached only for a missing attribute: most often something forward keeps (x, z, a, the
        # caches backward reads), asked for before forward ran.
        if name.startswith("__"):
            raise AttributeError(name)
        attribute = getattr(type(self), name, None)
        if isinstance(attribute, property):
            attribute.fget(self)  # a property that failed: let it raise its own message
        layer = self.__dict__.get("name") or type(self).__name__
        raise AttributeError(f"{layer} has no {name!r} yet: it is set by forward (or build), so call "
                             f"forward before backward or before reading it")

    def __call__(self, x, training=False):
        """``layer(x)``: forward, building the layer first from x's shape if needed (as Keras does)."""
        if not self.built:
            self.build(tuple(x.shape[1:]))
        return self.forward(x, training=training)

    def sublayers(self):
        """Layers inside this one (none for most layers)."""
        return []

    def count_params(self):
        """Trainable and non-trainable parameters, as Keras's summary counts them."""
        own = sum(int(_size(a)) for a in (*self.params.values(), *self.state.values()))
        return own + sum(layer.count_params() for layer in self.sublayers())

    def count_trainable_params(self):
        return sum(int(_size(p)) for p in self.params.values()) + sum(
            layer.count_trainable_params() for layer in self.sublayers())

    def regularization_loss(self):
        """Penalty this layer adds to the loss (0 unless it has a regularizer)."""
        return 0.0

    @classmethod
    def from_config(cls, config):
        """Rebuild the layer from ``get_config()``; nested objects are rebuilt by :func:`rebuild`.

        Parameters
        ----------
        config : dict
            The constructor's arguments by name, as ``get_config()`` returns them.

        Returns
        -------
        Layer
            A new, unbuilt layer of this class.
        """
        return cls(**{key: rebuild(key, value) for key, value in config.items()})

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"


class WeightedLayer(Layer):
    r"""What Dense and Conv2D share: z from the input, a kernel ``W`` and a bias ``b``, then
    a = activation(z). Each one's ``backward`` runs the activation's backward to get dL/dz,
    fills ``dW`` and ``db`` from it and returns dL/dx (or None when ``need_dx`` is False).

    \[ z = xW + b, \qquad a = \text{activation}(z) \]

    Parameters
    ----------
    name : str, optional
        The layer's name (see :class:`Layer`).
    input_shape : tuple of int, optional
        One input's shape without the batch axis (see :class:`Layer`).
    """

    # The parameters live in ``params``; W and b are the names lessons use.
    W, b = entry("params", "W"), entry("params", "b")
    dW, db = entry("grads", "W"), entry("grads", "b")


def features(layer, input_shape):
    """The length of the last axis of ``input_shape``, which a layer acting on features needs known.

    Parameters
    ----------
    layer : Layer
        The layer that asks, named in the error.
    input_shape : tuple of int
        One input's shape without the batch axis.

    Returns
    -------
    int
        The number of features.

    Raises
    ------
    ValueError
        If ``input_shape`` is empty or its last axis is unknown (None).

    Examples
    --------
    >>> from nnlib.layers import Dense
    >>> features(Dense(2), (5, 3))
    3
    >>> features(Dense(2), ())
    Traceback (most recent call last):
    ...
    ValueError: dense expects inputs of shape (batch, ..., features) with a known number of features, got input_shape ()
    """
    if len(input_shape) < 1 or input_shape[-1] is None:
        raise ValueError(f"{layer.name or layer.kind} expects inputs of shape (batch, ..., features) with a known "
                         f"number of features, got input_shape {tuple(input_shape)}")
    return input_shape[-1]


def rebuild(key, value):
    """A constructor argument from a saved config: an activation, initializer or regularizer
    saved as ``{"class": ..., "config": ...}`` is rebuilt by the kind its key names; any other
    value is returned as it is.

    Parameters
    ----------
    key : str
        The constructor argument's name: "activation", or one ending in "_initializer" or
        "_regularizer".
    value : object
        Its saved value.

    Returns
    -------
    object
        The rebuilt object, or ``value`` itself.

    Raises
    ------
    ValueError
        If ``value`` is a saved object under a key of no known kind.
    """
    if not (isinstance(value, dict) and "class" in value):
        return value
    # Imported here because activations.py builds on Layer, defined above.
    from .. import initializers, regularizers
    from .._lookup import from_config
    from . import activations

    if key == "activation":
        return from_config("activation", value, activations.ALL)
    if key.endswith("_initializer"):
        return from_config("initializer", value, initializers.ALL)
    if key.endswith("_regularizer"):
        return from_config("regularizer", value, regularizers.ALL)
    raise ValueError(f"cannot rebuild the saved object under {key!r}: {value['class']!r}")


def check_name(name):
    """A layer name: None (named later) or a non-empty string without "/", which separates
    the parts of a weight's path ("residual/dense/W").

    Parameters
    ----------
    name : str or None
        The name to check.

    Returns
    -------
    str or None
        ``name``, unchanged.

    Raises
    ------
    ValueError
        If ``name`` is not None and is not a non-empty string without "/".

    Examples
    --------
    >>> check_name("encoder/dense")
    Traceback (most recent call last):
    ...
    ValueError: a layer name must be a non-empty string without '/', got 'encoder/dense'
    """
    if name is not None and not (isinstance(name, str) and name and "/" not in name):
        raise ValueError(f"a layer name must be a non-empty string without '/', got {name!r}")
    return name


def give_name(layer, taken, owner):
    """Name an unnamed ``layer`` as Keras does ("dense", "dense_1", ...), avoiding ``taken``.

    A layer that already has a name keeps it; a name ``owner`` already holds is refused,
    as Keras refuses it.

    Parameters
    ----------
    layer : Layer
        The layer to name; its ``name`` is set in place.
    taken : set of str
        Names already used by the layers beside it.
    owner : str
        What holds the layers ("the model"), for the error message.

    Raises
    ------
    ValueError
        If ``layer`` has a name that is already taken.
    """
    if layer.name is None:
        stem, n = layer.kind, 0
        layer.name = stem
        while layer.name in taken:
            n += 1
            layer.name = f"{stem}_{n}"
    elif layer.name in taken:
        raise ValueError(f"{owner} already has a layer named {layer.name!r}")


def named_layers(layers, prefix=""):
    """(path, layer) for each layer and, depth first, the layers inside it: ("residual/dense", layer).

    Parameters
    ----------
    layers : list of Layer
        The layers to walk.
    prefix : str, default ""
        Put before each path, e.g. "residual/" for the layers inside a residual block.

    Yields
    ------
    path : str
        The layer's path of names.
    layer : Layer
        The layer.
    """
    for layer in layers:
        path = prefix + (layer.name or layer.kind)
        yield path, layer
        yield from named_layers(layer.sublayers(), path + "/")


def _size(a):
    return size(a.shape)
