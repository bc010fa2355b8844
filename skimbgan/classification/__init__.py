"""Classifiers built on the GAN methods."""

from ._egan import EGANClassifier
from ._polarity_gan import PolarityGANClassifier

__all__ = ["EGANClassifier", "PolarityGANClassifier"]
