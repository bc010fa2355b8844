"""Polarity-GAN (Deepshikha & Naman, arXiv 2012.04937) in plain PyTorch.

- :mod:`.networks`: the convex generator G, the class-conditional Wasserstein
  critic D, the classifier C and the autoencoder's encoder.
- :mod:`.losses`: the losses of eqs. 5-6 as skimbgan reads them, and the
  gradient penalty.
- :mod:`.steps`: the named pieces of Algorithm 1 (build G, D and C, one update
  of each, label distributions, anchor refresh), shared by both loops.
- :mod:`.training`: Algorithm 1 (and the autoencoder initialisation).
- :mod:`.end_to_end`: Algorithm 1 with a trainable feature extractor (images).
- :mod:`.config`: both loops' hyper-parameters and the optimiser policy.
- :mod:`.anchors`, :mod:`.recombination`: which real samples G combines, and
  the uncertainty selection and convex recombination after training.
"""

from .config import EndToEndConfig, PolarityGANConfig
from .losses import (
    classifier_loss,
    critic_loss,
    generator_loss,
    interpolate,
    penalty_at,
)
from .networks import ConditionalCritic, ConvexGenerator, Encoder, MLPClassifier
from .training import TrainedPolarityGAN, train_polarity_gan

__all__ = [
    "ConditionalCritic",
    "ConvexGenerator",
    "Encoder",
    "EndToEndConfig",
    "MLPClassifier",
    "PolarityGANConfig",
    "TrainedPolarityGAN",
    "classifier_loss",
    "critic_loss",
    "generator_loss",
    "interpolate",
    "penalty_at",
    "train_polarity_gan",
]
