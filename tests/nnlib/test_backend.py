import subprocess
import sys
import types

import numpy as np
import pytest

import nnlib
from nnlib import backend
from nnlib.layers import Dense


def test_asarray_uses_active_device_and_dtype(backend):
    from nnlib import backend as b

    a = b.asarray(np.arange(3))
    assert str(a.dtype).endswith("float32")
    if backend == "array_api_strict":
        assert "device1" in str(a.device)
    np.testing.assert_array_equal(b.to_numpy(a * 2), [0, 2, 4])


def test_using_restores_backend_and_dtype():
    before = (backend.get_backend(), backend.get_dtype())
    with backend.using("array_api_strict", dtype="float64"):
        assert backend.get_backend() == "array_api_strict"
        assert str(backend.zeros(2).dtype).endswith("float64")
    assert (backend.get_backend(), backend.get_dtype()) == before


def test_unknown_backend_and_dtype_list_valid_names():
    with pytest.raises(ValueError, match="numpy, cupy, array_api_strict"):
        backend.set_backend("jax")
    with pytest.raises(ValueError, match="float32, float64"):
        backend.set_dtype("float16")


def test_cupy_missing_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)
    with pytest.raises(ImportError, match=r"CuPy is not installed: pip install 'nn-visually\[gpu\]'"):
        backend.set_backend("cupy")


def test_cupy_without_gpu_says_so(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", types.SimpleNamespace(is_available=lambda: False))
    with pytest.raises(RuntimeError, match="no CUDA GPU"):
        backend.set_backend("cupy")
    assert backend.get_backend() == "numpy"


def test_environment_variable_selects_backend():
    code = "import nnlib; print(nnlib.get_backend())"
    out = subprocess.run([sys.executable, "-c", code], env={"NNLIB_BACKEND": "array_api_strict", "PATH": ""},
                         capture_output=True, text=True, check=True).stdout
    assert out.strip() == "array_api_strict"


def test_strict_backend_refuses_implicit_numpy_conversion():
    """The point of the strict backend: code that would silently copy from a GPU fails."""
    with backend.using("array_api_strict"):
        with pytest.raises((TypeError, RuntimeError, ValueError)):
            np.asarray(backend.asarray([1.0]))


def test_same_seed_same_weights_on_every_backend():
    weights = []
    for name in ("numpy", "array_api_strict"):
        with backend.using(name):
            model = nnlib.Sequential([Dense(3, input_shape=(2,))], seed=7)
            weights.append(model.get_weights()[0])
    np.testing.assert_array_equal(*weights)


def _cupy_ready():
    try:
        import cupy
    except ImportError:
        return False
    return cupy.is_available()


@pytest.mark.gpu
@pytest.mark.skipif(not _cupy_ready(), reason="needs CuPy and a CUDA GPU")
def test_cupy_matches_numpy():
    from nnlib.data import make_spirals

    X, y = make_spirals(300, n_classes=3, rng=0)
    results = []
    for name in ("numpy", "cupy"):
        with backend.using(name, dtype="float64"):
            model = nnlib.Sequential([Dense(16, activation="relu", input_shape=(2,)),
                                      Dense(3, activation="softmax")], seed=0)
            model.compile("adam", "sparse_categorical_crossentropy")
            model.fit(X, y, epochs=3, verbose=0)
            results.append(model.predict(X))
    np.testing.assert_allclose(*results, rtol=1e-6, atol=1e-8)
