import numpy as np
import pytest
from sklearn.datasets import load_wine, make_classification

from skimbgan import PolarityGANSampler

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
