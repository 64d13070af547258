"""The Explorer's data sets have nnlib.data's shapes: without noise, the page's points and
labels are nnlib's (as sets: the order is shuffled by different draws, and nnlib keeps float32)."""

import numpy as np
import pytest

from nnlib import data

from explorer_page import in_page, module_page

pytestmark = pytest.mark.browser

N = 60

GENERATE = """
const { makeDataset } = await import('./data.js');
const out = {};
for (const name of arg.names) {
  const d = makeDataset(name, { n: arg.n, noise: 0, seed: 3 });
  out[name] = { points: d.points, labels: d.labels, classes: d.classes };
}
return out;
"""

NNLIB = {
    "xor": lambda: data.make_xor(N, noise=0.0, rng=0),
    "circles": lambda: data.make_circles(N, noise=0.0, rng=0),
    "moons": lambda: data.make_moons(N, noise=0.0, rng=0),
    "spirals2": lambda: data.make_spirals(N, n_classes=2, noise=0.0, rng=0),
    "spirals3": lambda: data.make_spirals(N, n_classes=3, noise=0.0, rng=0),
}


@pytest.fixture(scope="module")
def page_data():
    with module_page() as page:
        return in_page(page, GENERATE, {"names": list(NNLIB) + ["regression"], "n": N})


def same_points(page_X, page_y, X, y, tolerance=1e-6):
    """Every row of one set has a row of the other, same label, within float32's rounding, one to one."""
    page_X, X = np.asarray(page_X, dtype=float), np.asarray(X, dtype=float)
    unmatched = list(range(len(X)))
    for point, label in zip(page_X, page_y):
        near = [i for i in unmatched if y[i] == label and np.max(np.abs(X[i] - point)) < tolerance]
        if not near:
            return False
        unmatched.remove(near[0])
    return not unmatched


@pytest.mark.parametrize("name", NNLIB)
def test_noise_free_points_are_nnlibs(name, page_data):
    X, y = NNLIB[name]()
    page = page_data[name]
    assert page["classes"] == len(set(y.tolist()))
    assert same_points(page["points"], page["labels"], X, y)


def test_regression_is_a_sine(page_data):
    page = page_data["regression"]
    x = np.array(page["points"])[:, 0]
    assert np.all(np.abs(x) <= np.pi) and np.allclose(page["labels"], np.sin(x))
