"""Small synthetic data and a small backbone, shared by the quick scripts
(``behaviour``, ``gpu``)."""

import numpy as np
import torch
from imblearn.datasets import make_imbalance
from sklearn.datasets import make_classification
from torch import nn


class TinyNet(nn.Sequential):
    """A small backbone of the user's kind, splittable at any child."""

    def __init__(self):
        super().__init__(
            nn.Conv2d(3, 4, 3, padding=1),
            nn.BatchNorm2d(4),
            nn.ReLU(),
            nn.Conv2d(4, 6, 3, stride=2, padding=1),
        )


def tiny_backbone():
    with torch.random.fork_rng():
        torch.manual_seed(0)
        return TinyNet()


def tables():
    X, y = make_classification(
        n_samples=400, n_features=5, n_informative=3, n_redundant=0, random_state=0
    )
    return make_imbalance(X, y, sampling_strategy={0: 180, 1: 20}, random_state=0)


def images(n_per_class=(24, 8, 6), size=16, seed=0):
    rng = np.random.RandomState(seed)
    X, y = [], []
    for k, n in enumerate(n_per_class):
        base = rng.uniform(0, 1, (1, size, size, 3)) * (k + 1) / len(n_per_class)
        X.append(np.clip(base + rng.normal(0, 0.1, (n, size, size, 3)), 0, 1))
        y += [k] * n
    return np.concatenate(X).astype(np.float32), np.array(y)
