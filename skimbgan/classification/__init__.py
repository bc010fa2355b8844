"""Classifiers built on the GAN methods."""

from ._egan import EGANClassifier

__all__ = ["EGANClassifier"]
