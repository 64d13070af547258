"""Turning names such as "relu" or "adam" into objects and objects into saved configs, with
errors that list the valid names."""

import inspect

import numpy as np


class Configurable:
    """``get_config()`` read back from the constructor's arguments: each argument is stored
    once, as an attribute of the same name, and serves both the object and its saved file.

    >>> class Scaled(Configurable):
    ...     def __init__(self, factor=2.0):
    ...         self.factor = factor
    >>> Scaled(3.0).get_config()
    {'factor': 3.0}
    """

    not_saved = ()  # constructor arguments that get_config leaves out (a random generator)

    @classmethod
    def constructor_arguments(cls):
        """Names of the constructor's arguments, following ``**kwargs`` up to the parent class."""
        names = []
        for klass in cls.__mro__:
            if "__init__" not in vars(klass):
                continue
            parameters = list(inspect.signature(vars(klass)["__init__"]).parameters.values())[1:]
            names += [p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
                      and p.name not in names]
            if not any(p.kind == p.VAR_KEYWORD for p in parameters):
                break
        return [name for name in names if name not in cls.not_saved]

    def get_config(self):
        """Constructor arguments, JSON-friendly: what ``save`` writes and ``from_config`` reads."""
        return {name: saved_value(getattr(self, name)) for name in self.constructor_arguments()}


def saved_value(value):
    """A constructor argument as JSON can hold it: objects as ``{"class", "config"}``, tuples as lists.

    >>> saved_value((np.int64(3), 4))
    [3, 4]
    """
    if hasattr(value, "get_config"):
        return to_config(value)
    if isinstance(value, (tuple, list)):
        return [saved_value(item) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def by_name(kind, identifier, table, base=object):
    """Return ``table[identifier]()`` for a name, ``identifier()`` for a subclass of ``base``,
    ``identifier`` itself for an instance of ``base``; anything else is a TypeError.

    >>> by_name("color", "red", {"red": lambda: "#f00"})
    '#f00'
    >>> by_name("color", "blue", {"red": lambda: "#f00"})
    Traceback (most recent call last):
    ...
    ValueError: unknown color 'blue'; valid names: red
    >>> by_name("number", None, {"one": int}, int)
    Traceback (most recent call last):
    ...
    TypeError: number must be a name (one) or a int object, got None
    """
    if isinstance(identifier, type) and issubclass(identifier, base):
        return identifier()
    if isinstance(identifier, base) and not isinstance(identifier, (str, type)):
        return identifier
    if not isinstance(identifier, str):
        raise TypeError(f"{kind} must be a name ({', '.join(sorted(table))}) or a {base.__name__} object, "
                        f"got {identifier!r}")
    try:
        make = table[identifier.lower()]
    except KeyError:
        valid = ", ".join(sorted(table))
        raise ValueError(f"unknown {kind} {identifier!r}; valid names: {valid}") from None
    return make()


def class_for(kind, spec, classes):
    """The class named by ``spec["class"]`` among ``classes``."""
    table = {cls.__name__: cls for cls in classes}
    if not isinstance(spec, dict) or "class" not in spec or not isinstance(spec.get("config", {}), dict):
        raise ValueError(f"a saved {kind} must be {{'class': ..., 'config': {{...}}}}, got {spec!r}")
    if spec["class"] not in table:
        raise ValueError(f"unknown {kind} class {spec['class']!r}; valid: {', '.join(sorted(table))}")
    return table[spec["class"]]


def from_config(kind, spec, classes):
    """Rebuild an object from ``{"class": name, "config": {...}}`` as written by :func:`to_config`."""
    if spec is None:
        return None
    cls = class_for(kind, spec, classes)
    make = getattr(cls, "from_config", None)
    return make(spec["config"]) if make else cls(**spec["config"])


def to_config(obj):
    """``{"class": ..., "config": obj.get_config()}``, or None for None."""
    if obj is None:
        return None
    return {"class": type(obj).__name__, "config": obj.get_config()}
