"""What PolarityGANClassifier's C reads: a frozen backbone's features are
computed once per image; a training or augmented one reads every batch."""

import numpy as np
import pytest
import torch
from torch import nn

from skimbgan import PolarityGANClassifier
from skimbgan._core.backbones import SplitBackbone, build_seeded, split_backbone
from skimbgan._core.polarity import end_to_end
from skimbgan._core.polarity.inputs import (
    CachedFeatures,
    ImageInputs,
    image_inputs,
    reads_the_same,
)

from .conftest import TinyNet, three_class_images
from .test_polarity_gan_classifier import TINY

# the tests' tiny training with the whole backbone frozen and no augmentation
FROZEN = {
    **TINY,
    "trainable_stages": 0,
    "balanced_sampling": True,
    "probe_epochs": 3,
    "augment": False,
}


class CountingNet(TinyNet):
    """TinyNet that counts the images its forward pass has read."""

    def __init__(self):
        super().__init__()
        self.images_read = 0

    def forward(self, x):
        self.images_read += x.shape[0]
        return super().forward(x)


def counting_backbone():
    with torch.random.fork_rng():
        torch.manual_seed(0)
        return CountingNet()


def read_by(classifier):
    """Images the fitted F's copy of the counting backbone has read."""
    nets = [m for m in classifier.extractor_.modules() if isinstance(m, CountingNet)]
    return nets[0].images_read


@pytest.fixture
def images():
    return three_class_images()


def extractor_of(n_trainable, tail_extra=None):
    with torch.random.fork_rng():
        torch.manual_seed(0)
        spec = build_seeded(TinyNet(), None, 12, 0)
    prefix, tail = split_backbone(spec, n_trainable)
    if tail_extra is not None:
        tail = nn.Sequential(tail, tail_extra)
    return SplitBackbone(prefix, tail, spec.mean, spec.std, train_tail_batchnorm=True)


def test_which_inputs_are_chosen():
    images = torch.rand(10, 1, 12, 12)
    frozen = extractor_of(0)
    assert reads_the_same(frozen)
    assert type(image_inputs(frozen, images, None, 12, False, "cpu", 4)) is CachedFeatures
    # augmentation changes the images: the backbone must read every batch
    assert type(image_inputs(frozen, images, None, 12, True, "cpu", 4)) is ImageInputs
    # a trainable backbone changes its features as it trains
    trained = extractor_of("all")
    assert not reads_the_same(trained)
    assert type(image_inputs(trained, images, None, 12, False, "cpu", 4)) is ImageInputs
    # no parameter trains, but dropout in the tail acts differently in training
    moody = extractor_of(0, nn.Dropout(0.5))
    assert not reads_the_same(moody)
    assert type(image_inputs(moody, images, None, 12, False, "cpu", 4)) is ImageInputs


def test_cached_features_are_the_backbones_features():
    images = torch.rand(10, 1, 12, 12)
    validation = torch.rand(3, 1, 12, 12)
    extractor = extractor_of(0)
    cached = CachedFeatures(extractor, images, validation, 12, "cpu", 4)
    live = ImageInputs(extractor, images, validation, 12, False, "cpu", 4)
    rows = torch.tensor([3, 0, 7])
    torch.testing.assert_close(cached.training_features(), live.training_features())
    torch.testing.assert_close(cached.training_features(rows), live.training_features(rows))
    torch.testing.assert_close(cached.validation_features(), live.validation_features())
    # a training batch: the rows of the table, the same as F reading the batch
    with torch.no_grad():
        torch.testing.assert_close(
            cached.features(cached.batch(rows, None)), live.features(live.batch(rows, None))
        )


@pytest.mark.parametrize("use_gan", [True, False])
def test_frozen_fit_reads_each_image_once_and_equals_the_batch_by_batch_fit(
    images, use_gan, monkeypatch
):
    """Without augmentation a frozen backbone reads each image once (training
    and validation images, nothing else), and the fit is the one that reads
    every batch (the same batches, the same draws)."""
    X, y = images
    backbone = counting_backbone()
    cached = PolarityGANClassifier(**FROZEN, backbone=backbone, use_gan=use_gan).fit(X, y)
    # the fitted F is a copy of the backbone: count on the copy's forward,
    # less what building it read (its feature width)
    built = build_seeded(counting_backbone(), None, 12, 0).module
    to_build = next(m for m in built.modules() if isinstance(m, CountingNet)).images_read
    assert read_by(cached) - to_build == X.shape[0]

    def live_inputs(extractor, images, validation_images, input_size, augment, device, batch):
        return ImageInputs(extractor, images, validation_images, input_size, augment, device, batch)

    monkeypatch.setattr(end_to_end, "image_inputs", live_inputs)
    live = PolarityGANClassifier(**FROZEN, backbone=counting_backbone(), use_gan=use_gan)
    live.fit(X, y)
    # per epoch: every training image, the validation images, anchor refreshes
    assert read_by(live) > 3 * X.shape[0]
    np.testing.assert_allclose(live.predict_proba(X), cached.predict_proba(X), rtol=1e-5, atol=1e-6)
    assert live.best_epoch_ == cached.best_epoch_
    np.testing.assert_allclose(
        live.history_["validation_macro_f1"], cached.history_["validation_macro_f1"]
    )


def test_augmented_frozen_fit_reads_every_batch(images):
    X, y = images
    clf = PolarityGANClassifier(**{**FROZEN, "augment": True}, backbone=counting_backbone())
    clf.fit(X, y)
    n_train = X.shape[0] - 7  # 10% of each class held out: 4 + 2 + 1
    assert read_by(clf) >= 3 * n_train
