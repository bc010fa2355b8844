"""Real data that works offline, and the papers' imbalance protocols."""

from ._fashion_mnist import TARGET_NAMES as FASHION_MNIST_CLASSES
from ._fashion_mnist import load_fashion_mnist, read_idx
from ._imbalance import make_egan_imbalance, make_polarity_imbalance
from ._keel import load_keel

__all__ = [
    "FASHION_MNIST_CLASSES",
    "load_fashion_mnist",
    "load_keel",
    "make_egan_imbalance",
    "make_polarity_imbalance",
    "read_idx",
]
