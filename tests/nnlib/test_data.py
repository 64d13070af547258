"""Tests for nnlib.data: toy generators, splits, scaling, one-hot, digits, IDX and MNIST.

Nothing here downloads: the MNIST tests build small IDX files themselves and serve
them through file:// URLs.
"""

import gzip
import hashlib
import struct

import numpy as np
import pytest

from nnlib import data

GENERATORS = {
    "xor": lambda rng: data.make_xor(101, noise=0.1, rng=rng),
    "spirals": lambda rng: data.make_spirals(301, n_classes=3, noise=0.2, rng=rng),
    "moons": lambda rng: data.make_moons(101, noise=0.1, rng=rng),
    "circles": lambda rng: data.make_circles(101, noise=0.05, rng=rng),
    "blobs": lambda rng: data.make_blobs(101, centers=4, cluster_std=1.0, rng=rng),
}
N_CLASSES = {"xor": 2, "spirals": 3, "moons": 2, "circles": 2, "blobs": 4}


# ---------------------------------------------------------------- generators


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_same_seed_same_data(name):
    X1, y1 = GENERATORS[name](7)
    X2, y2 = GENERATORS[name](np.random.default_rng(7))
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    X3, _ = GENERATORS[name](8)
    assert not np.array_equal(X1, X3)


@pytest.mark.parametrize("name", GENERATORS)
def test_generator_shapes_dtypes_and_labels(name):
    X, y = GENERATORS[name](0)
    n = 301 if name == "spirals" else 101
    assert X.shape == (n, 2) and X.dtype == np.float32
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert len(counts) == N_CLASSES[name]
    assert counts.max() - counts.min() <= 1  # balanced classes
    assert np.all(np.isfinite(X))


@pytest.mark.parametrize("name", GENERATORS)
def test_generators_leave_global_rng_alone(name):
    before = np.random.get_state()[1].copy()
    GENERATORS[name](0)
    GENERATORS[name](None)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_generator_object_stream_continues():
    rng = np.random.default_rng(3)
    first, _ = data.make_moons(50, rng=rng)
    second, _ = data.make_moons(50, rng=rng)
    assert not np.array_equal(first, second)


def test_rows_are_shuffled():
    _, y = data.make_spirals(300, rng=0)
    assert not np.array_equal(y, np.sort(y))


def test_xor_labels_follow_the_corners():
    X, y = data.make_xor(400, noise=0.05, rng=1)
    corner = np.round(X).astype(int)
    np.testing.assert_array_equal(y, corner[:, 0] ^ corner[:, 1])
    truth_X, truth_y = data.xor_truth_table()
    assert truth_X.dtype == np.float32
    assert truth_y.tolist() == [0, 1, 1, 0]


def test_spirals_radius_and_classes():
    X, y = data.make_spirals(500, n_classes=5, noise=0.0, rng=0)
    assert sorted(set(y.tolist())) == [0, 1, 2, 3, 4]
    radius = np.hypot(X[:, 0], X[:, 1])
    assert radius.max() == pytest.approx(1.0, abs=1e-6)


def test_circles_radii_and_factor_check():
    X, y = data.make_circles(200, noise=0.0, factor=0.3, rng=0)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0, atol=1e-6)
    np.testing.assert_allclose(radius[y == 1], 0.3, atol=1e-6)
    with pytest.raises(ValueError, match="factor"):
        data.make_circles(10, factor=1.5)


def test_blobs_given_centers_and_stds():
    centers = np.array([[0.0, 0.0, 0.0], [20.0, 0.0, 0.0]])
    X, y = data.make_blobs(2000, centers=centers, cluster_std=[0.1, 2.0], rng=0)
    assert X.shape == (2000, 3)
    np.testing.assert_allclose(X[y == 1].mean(axis=0), centers[1], atol=0.3)
    np.testing.assert_allclose(X[y == 0].std(axis=0), 0.1, rtol=0.1)
    np.testing.assert_allclose(X[y == 1].std(axis=0), 2.0, rtol=0.1)


def test_blobs_random_centers_inside_box():
    X, y = data.make_blobs(300, centers=3, cluster_std=0.01, center_box=(2.0, 3.0), rng=0)
    assert X.min() > 1.9 and X.max() < 3.1


def test_regression_1d_is_a_noisy_sine():
    X, y = data.make_regression_1d(1000, noise=0.2, rng=0)
    assert X.shape == y.shape == (1000, 1)
    assert X.dtype == y.dtype == np.float32
    assert np.all(np.diff(X[:, 0]) >= 0)
    assert X.min() >= -np.pi and X.max() <= np.pi
    assert np.std(y - np.sin(X)) == pytest.approx(0.2, rel=0.1)


@pytest.mark.parametrize("bad, error", [(0, ValueError), (-3, ValueError), (2.5, ValueError), (True, TypeError)])
def test_generators_refuse_bad_sample_counts(bad, error):
    with pytest.raises(error, match="n_samples must be a positive integer"):
        data.make_xor(bad)


# ---------------------------------------------------------------- splits


def _rows(X):
    return {tuple(row) for row in X.tolist()}


def test_train_test_split_sizes_and_disjoint():
    X = np.arange(200, dtype=np.float32).reshape(100, 2)
    y = np.arange(100)
    X_train, X_test, y_train, y_test = data.train_test_split(X, y, test=0.25, rng=0)
    assert len(X_train) == 75 and len(X_test) == 25
    assert _rows(X_train).isdisjoint(_rows(X_test))
    assert sorted(y_train.tolist() + y_test.tolist()) == list(range(100))
    # rows and labels stay paired
    np.testing.assert_array_equal(X_train[:, 0], 2 * y_train)
    np.testing.assert_array_equal(X_test[:, 0], 2 * y_test)


def test_split_is_seeded():
    X, y = data.make_blobs(60, rng=0)
    a = data.train_test_split(X, y, test=10, rng=5)
    b = data.train_test_split(X, y, test=10, rng=5)
    c = data.train_test_split(X, y, test=10, rng=6)
    for left, right in zip(a, b):
        np.testing.assert_array_equal(left, right)
    assert not np.array_equal(a[3], c[3]) or not np.array_equal(a[1], c[1])


def test_train_val_test_split_sizes_with_counts_and_fractions():
    X = np.zeros((100, 3))
    y = np.arange(100)
    parts = data.train_val_test_split(X, y, val=20, test=0.1, rng=0)
    assert [len(p) for p in parts] == [70, 20, 10, 70, 20, 10]
    assert sorted(np.concatenate(parts[3:]).tolist()) == list(range(100))


def test_stratified_split_keeps_class_shares():
    y = np.repeat([0, 1, 2], [700, 200, 100])
    X = np.arange(len(y))[:, None].astype(np.float32)
    X_train, X_val, X_test, y_train, y_val, y_test = data.train_val_test_split(
        X, y, val=0.1, test=0.2, rng=0, stratify=True
    )
    assert np.bincount(y_test).tolist() == [140, 40, 20]
    assert np.bincount(y_val).tolist() == [70, 20, 10]
    assert np.bincount(y_train).tolist() == [490, 140, 70]
    np.testing.assert_array_equal(y[X_test[:, 0].astype(int)], y_test)


def test_stratified_split_uneven_shares_within_one():
    y = np.repeat([0, 1, 2, 3], [13, 7, 29, 3])
    X = np.zeros((len(y), 1))
    _, _, _, y_test = data.train_test_split(X, y, test=0.3, rng=4, stratify=True)
    expected = np.bincount(y) * len(y_test) / len(y)
    assert np.all(np.abs(np.bincount(y_test, minlength=4) - expected) <= 1)


def test_stratify_with_group_array():
    y = np.zeros(40, dtype=int)
    groups = np.repeat([0, 1], [30, 10])
    X = np.arange(40)[:, None]
    _, X_test, _, _ = data.train_test_split(X, y, test=0.5, rng=0, stratify=groups)
    assert np.bincount(groups[X_test[:, 0]]).tolist() == [15, 5]


def test_unstratified_split_can_unbalance():
    # shows that stratification does something: without it, shares drift
    y = np.repeat([0, 1], [90, 10])
    X = np.zeros((100, 1))
    drifted = 0
    for seed in range(20):
        _, _, _, y_test = data.train_test_split(X, y, test=0.2, rng=seed)
        drifted += np.bincount(y_test, minlength=2)[1] != 2
    assert drifted > 0


def test_split_errors():
    X, y = np.zeros((10, 2)), np.zeros(10)
    with pytest.raises(ValueError, match="same number of samples"):
        data.train_test_split(X, y[:9])
    with pytest.raises(ValueError, match="nothing is left to train on"):
        data.train_val_test_split(X, y, val=0.5, test=0.5)
    with pytest.raises(ValueError, match="fraction"):
        data.train_test_split(X, y, test=1.5)
    with pytest.raises(ValueError, match="count"):
        data.train_test_split(X, y, test=11)
    with pytest.raises(TypeError):
        data.train_test_split(X, y, test="half")
    with pytest.raises(ValueError, match="one label per sample"):
        data.train_test_split(X, y, stratify=np.zeros(3))


# ---------------------------------------------------------------- standardizer


def test_standardizer_roundtrip_and_moments():
    rng = np.random.default_rng(0)
    X = rng.normal([5.0, -3.0, 100.0], [2.0, 0.5, 30.0], size=(500, 3)).astype(np.float32)
    scaler = data.Standardizer()
    Z = scaler.fit_transform(X)
    assert Z.dtype == np.float32
    np.testing.assert_allclose(Z.mean(axis=0), 0.0, atol=1e-5)
    np.testing.assert_allclose(Z.std(axis=0), 1.0, atol=1e-5)
    np.testing.assert_allclose(scaler.inverse_transform(Z), X, rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(scaler.mean, X.astype(np.float64).mean(axis=0))


def test_standardizer_uses_training_statistics_only():
    scaler = data.Standardizer().fit(np.array([[0.0], [2.0]]))
    np.testing.assert_allclose(scaler.transform(np.array([[4.0]])), [[3.0]])


def test_standardizer_constant_column_becomes_zero():
    X = np.array([[1.0, 7.0], [3.0, 7.0]])
    Z = data.Standardizer().fit_transform(X)
    assert np.all(np.isfinite(Z))
    np.testing.assert_array_equal(Z[:, 1], 0.0)


def test_standardizer_errors():
    with pytest.raises(RuntimeError, match="fit"):
        data.Standardizer().transform(np.zeros((2, 2)))
    scaler = data.Standardizer().fit(np.zeros((3, 2)))
    with pytest.raises(ValueError, match="shape"):
        scaler.transform(np.zeros((3, 5)))


# ---------------------------------------------------------------- one-hot


def test_one_hot_values():
    encoded = data.one_hot(np.array([2, 0, 1, 2]))
    assert encoded.dtype == np.float32
    np.testing.assert_array_equal(encoded, np.eye(3)[[2, 0, 1, 2]])
    assert data.one_hot([1], n_classes=5).shape == (1, 5)
    np.testing.assert_array_equal(data.one_hot(np.array([[1], [0]])), [[0, 1], [1, 0]])
    np.testing.assert_array_equal(data.one_hot(np.array([1.0, 0.0])), [[0, 1], [1, 0]])


@pytest.mark.parametrize(
    "labels, error, message",
    [
        ([0, -2, 1], ValueError, r"must be >= 0, found -2"),
        ([0.0, 1.5], ValueError, r"whole numbers, found 1.5"),
        ([0.0, np.nan], ValueError, r"whole numbers"),
        (["cat", "dog"], TypeError, r"must be integers"),
        ([[0, 1], [1, 0]], ValueError, r"1-D"),
    ],
)
def test_one_hot_rejects_bad_labels(labels, error, message):
    with pytest.raises(error, match=message):
        data.one_hot(np.array(labels))


def test_one_hot_label_too_large_for_n_classes():
    with pytest.raises(ValueError, match=r"label 3 does not fit n_classes=3"):
        data.one_hot([0, 3], n_classes=3)


# ---------------------------------------------------------------- digits


def test_load_digits_offline():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert X.min() == 0.0 and X.max() == 1.0
    assert set(y.tolist()) == set(range(10))
    images, _ = data.load_digits(flatten=False)
    assert images.shape == (1797, 8, 8)
    X_train, X_test, y_train, y_test = data.load_digits(test=0.2, rng=0)
    assert len(X_train) + len(X_test) == 1797
    assert np.all(np.abs(np.bincount(y_test) - np.bincount(y) * 0.2) <= 1)


# ---------------------------------------------------------------- IDX parser

TYPE_CODES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C, np.float32: 0x0D, np.float64: 0x0E}


def idx_bytes(array, type_code=None):
    """Write an IDX file by hand, independently of the parser under test."""
    array = np.asarray(array)
    if type_code is None:
        type_code = TYPE_CODES[array.dtype.type]
    header = struct.pack(">BBBB", 0, 0, type_code, array.ndim)
    header += b"".join(struct.pack(">I", size) for size in array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


@pytest.mark.parametrize("dtype", list(TYPE_CODES))
def test_read_idx_every_type(dtype):
    array = (np.arange(24).reshape(2, 3, 4) - 5).astype(dtype)
    if dtype is np.uint8:
        array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4) + 200
    parsed = data.read_idx(idx_bytes(array))
    assert parsed.dtype == np.dtype(dtype) and parsed.dtype.isnative
    np.testing.assert_array_equal(parsed, array)


def test_read_idx_is_big_endian():
    raw = bytes([0, 0, 0x0B, 1, 0, 0, 0, 1, 0x01, 0x02])
    assert data.read_idx(raw).tolist() == [0x0102]


def test_read_idx_from_raw_and_gzip_files(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, size=(5, 28, 28), dtype=np.uint8)
    raw_path = tmp_path / "images.idx"
    gz_path = tmp_path / "images.idx.gz"
    raw_path.write_bytes(idx_bytes(images))
    gz_path.write_bytes(gzip.compress(idx_bytes(images)))
    np.testing.assert_array_equal(data.read_idx(raw_path), images)
    np.testing.assert_array_equal(data.read_idx(str(gz_path)), images)
    np.testing.assert_array_equal(data.read_idx(gz_path.read_bytes()), images)


def test_read_idx_scalar_dims_zero():
    labels = np.array([], dtype=np.uint8)
    assert data.read_idx(idx_bytes(labels)).shape == (0,)


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"\x00\x00", "too short"),
        (bytes([0x1F, 0x8C, 0x08, 1]) + bytes(8), "bad magic number 0x1f8c0801"),
        (bytes([0, 1, 0x08, 1]) + bytes(8), "bad magic number"),
        (bytes([0, 0, 0x07, 1]) + bytes(8), "unknown IDX element type 0x07"),
        (bytes([0, 0, 0x08, 3, 0, 0, 0, 2]), "header is truncated"),
        (bytes([0, 0, 0x08, 1, 0, 0, 0, 4, 1, 2]), "truncated: shape (4,) of uint8 needs 4 bytes, found 2"),
        (bytes([0, 0, 0x0C, 1, 0, 0, 0, 1, 1, 2, 3, 4, 5]), "longer than its header says"),
        (b"\x1f\x8b\x08\x00garbage", "gzip stream is damaged"),
    ],
)
def test_read_idx_errors(raw, message):
    with pytest.raises(data.IDXError) as caught:
        data.read_idx(raw)
    assert message in str(caught.value)


def test_read_idx_truncated_gzip_file(tmp_path):
    whole = gzip.compress(idx_bytes(np.arange(1000, dtype=np.int32)))
    path = tmp_path / "cut.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(data.IDXError):
        data.read_idx(path)


# ---------------------------------------------------------------- MNIST download and cache


def _md5(raw):
    return hashlib.md5(raw).hexdigest()


@pytest.fixture
def fake_mirror(tmp_path, monkeypatch):
    """A folder served as file:// holding tiny MNIST-shaped IDX files, with their MD5s."""
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    rng = np.random.default_rng(0)
    contents = {
        "train_images": rng.integers(0, 256, size=(6, 28, 28), dtype=np.uint8),
        "train_labels": rng.integers(0, 10, size=6, dtype=np.uint8),
        "test_images": rng.integers(0, 256, size=(3, 28, 28), dtype=np.uint8),
        "test_labels": rng.integers(0, 10, size=3, dtype=np.uint8),
    }
    files = {}
    for key, array in contents.items():
        name = data.MNIST_FILES[key][0]
        raw = gzip.compress(idx_bytes(array), mtime=0)
        (mirror / name).write_bytes(raw)
        files[key] = (name, _md5(raw))
    monkeypatch.setattr(data, "MNIST_FILES", files)
    return mirror.as_uri() + "/", contents


@pytest.fixture
def download_log(monkeypatch):
    calls = []
    real = data._download

    def logged(url, destination):
        calls.append(url)
        real(url, destination)

    monkeypatch.setattr(data, "_download", logged)
    return calls


def test_mnist_published_checksums_are_constants():
    assert data.MNIST_BASE_URL.startswith("https://")
    assert data.MNIST_FILES["train_images"] == ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873")
    assert data.MNIST_FILES["test_labels"][1] == "ec29112dd5afa0611ce80d1b7f02629c"


def test_load_mnist_downloads_once_then_uses_cache(tmp_path, fake_mirror, download_log):
    base_url, contents = fake_mirror
    cache = tmp_path / "cache"
    (X_train, y_train), (X_test, y_test) = data.load_mnist(cache_dir=cache, base_url=base_url)
    np.testing.assert_array_equal(X_train, contents["train_images"])
    np.testing.assert_array_equal(y_test, contents["test_labels"])
    assert X_test.shape == (3, 28, 28) and y_train.dtype == np.uint8
    assert len(download_log) == 4
    assert sorted(p.name for p in cache.iterdir()) == sorted(name for name, _ in data.MNIST_FILES.values())

    data.load_mnist(cache_dir=cache, base_url=base_url)
    data.load_mnist(cache_dir=cache, base_url="file:///nowhere/", download=False)
    assert len(download_log) == 4  # cache hits: nothing fetched again


def test_load_mnist_refetches_a_corrupt_cached_file(tmp_path, fake_mirror, download_log):
    base_url, contents = fake_mirror
    cache = tmp_path / "cache"
    data.load_mnist(cache_dir=cache, base_url=base_url)
    name = data.MNIST_FILES["train_labels"][0]
    (cache / name).write_bytes(b"not what was published")
    with pytest.raises(FileNotFoundError, match="wrong checksum"):
        data.load_mnist(cache_dir=cache, download=False)
    (_, y_train), _ = data.load_mnist(cache_dir=cache, base_url=base_url)
    np.testing.assert_array_equal(y_train, contents["train_labels"])
    assert download_log[4:] == [base_url + name]


def test_load_mnist_without_download_and_empty_cache(tmp_path, fake_mirror, download_log):
    with pytest.raises(FileNotFoundError, match="is missing and download=False"):
        data.load_mnist(cache_dir=tmp_path / "empty", download=False)
    assert download_log == []


def test_checksum_mismatch_is_refused_and_not_kept(tmp_path, fake_mirror):
    base_url, _ = fake_mirror
    name, real_md5 = data.MNIST_FILES["test_labels"]
    wrong = "0" * 32
    target = tmp_path / "cache" / name
    with pytest.raises(data.ChecksumError) as caught:
        data.fetch_verified(base_url + name, target, wrong)
    message = str(caught.value)
    assert name in message and f"expected MD5 {wrong}" in message and f"got {real_md5}" in message
    assert list(target.parent.iterdir()) == []  # neither the file nor a partial one is left


def test_load_mnist_reports_checksum_mismatch(tmp_path, fake_mirror, monkeypatch):
    base_url, _ = fake_mirror
    files = dict(data.MNIST_FILES)
    name, _ = files["train_images"]
    files["train_images"] = (name, "f" * 32)
    monkeypatch.setattr(data, "MNIST_FILES", files)
    with pytest.raises(data.ChecksumError, match=f"checksum mismatch for {name}"):
        data.load_mnist(cache_dir=tmp_path / "cache", base_url=base_url)


def test_failed_download_leaves_no_partial_file(tmp_path, monkeypatch):
    def broken(url, destination):
        destination.write_bytes(b"half a file")
        raise OSError("connection reset")

    monkeypatch.setattr(data, "_download", broken)
    with pytest.raises(OSError, match="connection reset"):
        data.fetch_verified("https://example.invalid/x.gz", tmp_path / "x.gz", "0" * 32)
    assert list(tmp_path.iterdir()) == []


def test_default_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("NNLIB_DATA", str(tmp_path))
    assert data.default_cache_dir() == tmp_path / "mnist"
    monkeypatch.delenv("NNLIB_DATA")
    assert data.default_cache_dir().parts[-3:] == (".cache", "nn-visually", "mnist")


def test_load_mnist_uses_nnlib_data(monkeypatch, tmp_path, fake_mirror, download_log):
    base_url, _ = fake_mirror
    monkeypatch.setenv("NNLIB_DATA", str(tmp_path / "data"))
    data.load_mnist(base_url=base_url)
    assert (tmp_path / "data" / "mnist" / data.MNIST_FILES["test_images"][0]).exists()


def test_load_mnist_mismatched_files(tmp_path, fake_mirror):
    base_url, _ = fake_mirror
    mirror = tmp_path / "mirror"
    name = data.MNIST_FILES["test_labels"][0]
    raw = gzip.compress(idx_bytes(np.zeros(5, dtype=np.uint8)), mtime=0)
    (mirror / name).write_bytes(raw)
    files = dict(data.MNIST_FILES)
    files["test_labels"] = (name, _md5(raw))
    data.MNIST_FILES.update(files)
    with pytest.raises(data.IDXError, match="MNIST test files do not match"):
        data.load_mnist(cache_dir=tmp_path / "cache", base_url=base_url)
