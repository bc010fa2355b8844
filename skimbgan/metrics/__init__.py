"""Uncertainty measures of Polarity-GAN (eqs. 7-10 of the paper).

Each function takes a predicted-probability matrix of shape
``(n_samples, n_classes)`` and returns one score per sample in ``[0, 1]``;
higher means the classifier is less sure. The paper writes them as sums over
samples: the sum (or mean) of these per-sample scores gives its numbers.
"""

from ._uncertainty import (
    UNCERTAINTY_MEASURES,
    least_confidence,
    margin_of_confidence,
    prediction_entropy,
    ratio_of_confidence,
)

__all__ = [
    "UNCERTAINTY_MEASURES",
    "least_confidence",
    "margin_of_confidence",
    "prediction_entropy",
    "ratio_of_confidence",
]
