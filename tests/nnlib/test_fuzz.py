"""Hypothesis draws garbage for nnlib's public entry points: every outcome must be success or a
ValueError/TypeError with a message, never a raw Python error (AttributeError, IndexError,
KeyError, ZeroDivisionError, UnboundLocalError) from inside nnlib.

Derandomized and bounded, so the run is the same every time and takes well under a minute.
"""

import json
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nnlib
from nnlib import layers, load_model

FUZZ = settings(derandomize=True, max_examples=60, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

CLEAR = (ValueError, TypeError)


def outcome(call):
    """Run ``call``; a refusal must be a ValueError or TypeError that says something."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            call()
        except CLEAR as error:
            assert str(error).strip(), f"{type(error).__name__} without a message"


# ----- garbage values --------------------------------------------------------------------

small_shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4)
odd_floats = st.sampled_from([np.nan, np.inf, -np.inf, 1e39, -0.0, 2.5, 1e-300])
numeric_arrays = st.one_of(
    hnp.arrays(st.sampled_from([np.float32, np.float64, np.int64, np.bool_, np.uint8]), small_shapes),
    hnp.arrays(np.float64, small_shapes, elements=st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                                                           odd_floats)),
)
odd_arrays = st.one_of(
    hnp.arrays(np.complex128, small_shapes),
    hnp.arrays(np.dtype("U3"), small_shapes),
    hnp.arrays(object, small_shapes, elements=st.one_of(st.none(), st.floats(), st.integers(-5, 5), st.text(max_size=2))),
)
# Sizes stay small (a layer of 10**9 units is a memory test, not a garbage test); NaN, inf and 1e39
# (which NumPy refuses at once as too big) are drawn on purpose.
scalars = st.one_of(st.none(), st.booleans(), st.integers(-3, 40), st.floats(-1e3, 1e3),
                    st.text(max_size=3), odd_floats)
counts = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([np.nan, np.inf, 2.5, "2"]))
ragged_lists = st.lists(st.lists(st.one_of(st.floats(-3, 3), st.none()), max_size=4), max_size=5)
data = st.one_of(numeric_arrays, odd_arrays, scalars, ragged_lists)
arguments = st.one_of(scalars, st.just(32), st.just(1), st.just(0.2), st.lists(st.integers(0, 3), max_size=3))


def model(kind):
    """A small compiled model of each family the lessons use."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if kind == "softmax":
            m = nnlib.Sequential([nnlib.Dense(3, activation="softmax", input_shape=(4,))], seed=0)
            m.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        elif kind == "sigmoid":
            m = nnlib.Sequential([nnlib.Dense(2, activation="relu", input_shape=(4,)),
                                  nnlib.Dense(1, activation="sigmoid")], seed=0)
            m.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
        elif kind == "rnn":
            m = nnlib.Sequential([nnlib.LSTM(2, input_shape=(None, 4)), nnlib.Dense(1)], seed=0)
            m.compile("rmsprop", "mse")
        else:
            m = nnlib.Sequential([nnlib.Conv2D(2, 2, input_shape=(4, 4, 1)), nnlib.Flatten(),
                                  nnlib.Dense(2, activation="softmax")], seed=0)
            m.compile("adam", "categorical_crossentropy")
    return m


kinds = st.sampled_from(["softmax", "sigmoid", "rnn", "conv"])


# ----- fit, evaluate, predict ------------------------------------------------------------------

@FUZZ
@given(kind=kinds, X=data, y=data, epochs=counts, batch_size=arguments, validation_split=arguments)
def test_fit_refuses_garbage_clearly(kind, X, y, epochs, batch_size, validation_split):
    outcome(lambda: model(kind).fit(X, y, epochs=epochs, batch_size=batch_size, validation_split=validation_split,
                                    verbose=0))


@FUZZ
@given(kind=kinds, X=data, y=data, batch_size=arguments)
def test_evaluate_and_predict_refuse_garbage_clearly(kind, X, y, batch_size):
    m = model(kind)
    outcome(lambda: m.evaluate(X, y, batch_size=batch_size))
    outcome(lambda: m.predict(X, batch_size=batch_size))


@FUZZ
@given(kind=kinds, X=numeric_arrays, validation=st.tuples(data, data) | data)
def test_validation_data_garbage_is_refused_clearly(kind, X, validation):
    outcome(lambda: model(kind).fit(X, np.zeros(len(X)) if X.ndim else X, validation_data=validation, verbose=0))


# ----- save and load -------------------------------------------------------------------------

json_values = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(-2, 70), st.floats(-1e3, 1e3),
                                     st.text(max_size=6), st.sampled_from(["Dense", "LSTM", "nnlib.Sequential",
                                                                           "GlorotUniform", "Adam", "ReLU"])),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner,
                                                                                        max_size=4),
                           max_leaves=12)


def architecture_variants(base):
    """The saved architecture with one entry replaced by garbage, at several depths."""
    paths = [("layers",), ("layers", 0), ("layers", 0, "config"), ("layers", 0, "config", "units"),
             ("layers", 0, "config", "activation"), ("input_shape",), ("compile",), ("compile", "optimizer"),
             ("compile", "loss", "config"), ("compile", "metrics"), ("name",), ("seed",)]
    return st.tuples(st.sampled_from(paths), json_values).map(lambda change: replaced(base, *change))


def replaced(config, path, value):
    config = json.loads(json.dumps(config))
    target = config
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return config


SAVED = model("softmax").get_config()


@FUZZ
@given(architecture=architecture_variants(SAVED) | json_values, weights=st.booleans())
def test_load_model_refuses_a_garbage_architecture_with_a_value_error(tmp_path_factory, architecture, weights):
    path = tmp_path_factory.mktemp("fuzz") / "model.npz"
    arrays = {"dense/W": np.zeros((4, 3)), "dense/b": np.zeros(3)} if weights else {}
    np.savez(path, architecture=np.frombuffer(json.dumps(architecture).encode(), dtype=np.uint8), **arrays)
    try:
        load_model(path)
    except ValueError as error:
        assert str(path) in str(error)


@FUZZ
@given(content=st.binary(max_size=200), cut=st.integers(0, 2000))
def test_load_model_refuses_garbage_bytes_with_a_value_error(tmp_path_factory, content, cut):
    folder = tmp_path_factory.mktemp("fuzz")
    model("softmax").save(folder / "good.npz")
    path = folder / "bad.npz"
    path.write_bytes((folder / "good.npz").read_bytes()[:cut] + content)
    try:
        load_model(path)
    except ValueError as error:
        assert str(path) in str(error)


# ----- layer constructors ------------------------------------------------------------------------

@pytest.mark.parametrize("layer_class", [cls for cls in layers.ALL if cls is not layers.Residual])
@FUZZ
@given(values=st.lists(arguments, min_size=1, max_size=4), shape=st.lists(st.integers(1, 5), max_size=3))
def test_layer_constructors_refuse_garbage_clearly(layer_class, values, shape):
    def construct_build_and_call():
        layer = layer_class(*values)
        layer(nnlib.backend.zeros((2, *shape)))

    outcome(construct_build_and_call)
