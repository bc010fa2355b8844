import numpy as np
import pytest
import torch
from sklearn.datasets import load_wine, make_classification
from torch import nn

from skimbgan import EGANClassifier, PolarityGANSampler

#: Settings that make a fit take well under a second: tests check contracts,
#: benchmarks check quality.
FAST = dict(
    n_steps=20,
    pretrain_steps=10,
    batch_size=32,
    hidden_dims=(16,),
    noise_dim=4,
    device="cpu",
)

#: The paper's eGAN (every extension off): the contract tests' estimator.
PAPER_EGAN = EGANClassifier.paper_params()

#: EGANClassifier on feature vectors, fast enough for contract tests: the
#: paper's eGAN; tests of the extended defaults override these.
FAST_EGAN = dict(
    n_steps=30,
    hidden_dims=(16,),
    latent_dim=8,
    batch_size=32,
    eval_every=10,
    device="cpu",
    **PAPER_EGAN,
)


def fast_sampler(**params):
    return PolarityGANSampler(**{**FAST, "random_state": 0, **params})


@pytest.fixture
def binary_data():
    """180 samples of class 0 and 20 of class 1, 5 features."""
    from imblearn.datasets import make_imbalance

    X, y = make_classification(
        n_samples=400, n_features=5, n_informative=3, n_redundant=0, random_state=0
    )
    return make_imbalance(X, y, sampling_strategy={0: 180, 1: 20}, random_state=0)


@pytest.fixture
def multiclass_data():
    """Wine made imbalanced (3 classes: 59, 30, 10)."""
    from imblearn.datasets import make_imbalance

    X, y = load_wine(return_X_y=True)
    return make_imbalance(X, y, sampling_strategy={0: 59, 1: 30, 2: 10}, random_state=0)


@pytest.fixture
def rng():
    return np.random.RandomState(0)


def three_class_images():
    """40 / 16 / 8 grey 12x12 images of three classes with different brightness."""
    rng = np.random.RandomState(0)
    y = np.repeat(["coat", "bag", "shirt"], [40, 16, 8])
    X = rng.randint(0, 90, size=(64, 12, 12)).astype(np.uint8)
    X[y == "bag"] += 80
    X[y == "shirt"] += 160
    return X, y


class TinyNet(nn.Sequential):
    """A user's own backbone, splittable at any child: two convolutions with a
    BatchNorm between them, 6 features."""

    def __init__(self):
        super().__init__(
            nn.Conv2d(3, 4, 3, padding=1),
            nn.BatchNorm2d(4),
            nn.ReLU(),
            nn.Conv2d(4, 6, 3, stride=2, padding=1),
        )


def tiny_backbone():
    """A TinyNet initialised the same way every time, global RNG untouched."""
    with torch.random.fork_rng():
        torch.manual_seed(0)
        return TinyNet()
