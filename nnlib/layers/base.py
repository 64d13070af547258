"""The contract every layer keeps."""

import re


class Layer:
    """A step of the network: ``forward`` computes the output, ``backward`` the chain rule.

    - ``forward(x, training=False)`` returns the output and keeps what backward needs.
    - ``backward(grad)`` receives dL/d(output) and returns dL/d(input); layers with
      parameters also fill ``grads`` (same names as ``params``).
    - ``params`` / ``grads``: dicts name -> array, e.g. {"W": ..., "b": ...}.
    - ``build(input_shape, rng)`` creates the parameters once the input width is
      known; ``input_shape`` excludes the batch axis, as in Keras.
    - ``state``: arrays the layer updates itself, not by gradient (batch
      normalization's running statistics); saved with the model, counted as
      non-trainable parameters.
    - ``sublayers()``: layers held inside this one (a residual block's branch);
      ``Sequential`` walks them to name their parameters ("residual/dense/W").
    """

    trainable = True

    def __init__(self, name=None, input_shape=None):
        # Any first layer may declare the model's input shape, as in Keras: Flatten(input_shape=(8, 8)).
        self.name = name
        self.params = {}
        self.grads = {}
        self.state = {}
        self.built = False
        self.input_shape = None if input_shape is None else tuple(input_shape)

    @property
    def kind(self):
        """Default name stem: the class name in snake case ("Dense" -> "dense", "LeakyReLU" -> "leaky_relu")."""
        return re.sub(r"(?<!^)(?=[A-Z][a-z])", "_", type(self).__name__).lower()

    def build(self, input_shape, rng=None):
        self.input_shape = tuple(input_shape)
        self.built = True

    def output_shape(self, input_shape):
        return tuple(input_shape)

    def forward(self, x, training=False):
        raise NotImplementedError

    def backward(self, grad):
        raise NotImplementedError

    def backward_parameters(self, grad):
        """Fill ``grads`` from dL/d(output) when nothing needs dL/d(input), as for the first
        layer during training. By default this is the whole ``backward``; layers whose input
        gradient costs a matrix product (Dense, Conv2D) skip that product."""
        self.backward(grad)

    def __call__(self, x, training=False):
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

    def get_config(self):
        """Constructor arguments, JSON-friendly, used by ``Sequential.save``."""
        return {"name": self.name}

    @classmethod
    def from_config(cls, config):
        """Rebuild the layer from ``get_config()``; nested objects are rebuilt by :func:`rebuild`."""
        return cls(**{key: rebuild(key, value) for key, value in config.items()})

    def __repr__(self):
        return f"{type(self).__name__}(name={self.name!r})"


class WeightedLayer(Layer):
    """What Dense and Conv2D share: z from the input, a kernel ``W`` and a bias ``b``, then
    a = activation(z). Backward runs the activation's backward to get dL/dz and hands it to
    the subclass's ``backward_from_z(dz, input_gradient=True)``, which fills ``dW`` and ``db``
    and returns dL/dx (or None when ``input_gradient`` is False).
    """

    # The parameters live in ``params``; W and b are the names lessons use.
    W = property(lambda self: self.params["W"], lambda self, v: self.params.__setitem__("W", v))
    b = property(lambda self: self.params["b"], lambda self, v: self.params.__setitem__("b", v))
    dW = property(lambda self: self.grads["W"])
    db = property(lambda self: self.grads["b"])

    def backward(self, grad):
        """dz = grad * da/dz (the activation's backward), then the layer's own backward."""
        return self.backward_from_z(self.activation.backward(grad))

    def backward_parameters(self, grad):
        self.backward_from_z(self.activation.backward(grad), input_gradient=False)


def rebuild(key, value):
    """A constructor argument from a saved config: an activation, initializer or regularizer
    saved as ``{"class": ..., "config": ...}`` is rebuilt by the kind its key names; any other
    value is returned as it is.
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


def give_name(layer, taken, owner):
    """Name an unnamed ``layer`` as Keras does ("dense", "dense_1", ...), avoiding ``taken``.

    A layer that already has a name keeps it; a name ``owner`` already holds is refused.
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
    """(path, layer) for each layer and, depth first, the layers inside it: ("residual/dense", layer)."""
    for layer in layers:
        path = prefix + (layer.name or layer.kind)
        yield path, layer
        yield from named_layers(layer.sublayers(), path + "/")


def _size(a):
    n = 1
    for d in a.shape:
        n *= d
    return n
