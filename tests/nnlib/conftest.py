import pytest

from nnlib import backend as nnlib_backend


@pytest.fixture(params=["numpy", "array_api_strict"])
def backend(request):
    """Run the test on NumPy and on array-api-strict's second device (which refuses what CuPy refuses)."""
    with nnlib_backend.using(request.param):
        yield request.param


@pytest.fixture
def float64():
    with nnlib_backend.using(dtype="float64"):
        yield


