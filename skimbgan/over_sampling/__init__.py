"""Over-samplers that follow imbalanced-learn's ``fit_resample`` contract."""

from ._polarity_gan import PolarityGANSampler

__all__ = ["PolarityGANSampler"]
