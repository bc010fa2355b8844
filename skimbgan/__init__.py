"""skimbgan: GAN methods for class imbalance in the scikit-learn ecosystem."""

from . import datasets, metrics
from .classification import EGANClassifier, PolarityGANClassifier
from .image import ImageEmbedder
from .over_sampling import PolarityGANSampler

__version__ = "0.1.0.dev0"

__all__ = [
    "EGANClassifier",
    "ImageEmbedder",
    "PolarityGANClassifier",
    "PolarityGANSampler",
    "datasets",
    "metrics",
    "__version__",
]
