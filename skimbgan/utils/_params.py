"""Parameter constraints shared by several estimators.

Each estimator's ``_parameter_constraints`` starts from the blocks here that
apply to it (``{**COMMON, **IMAGE_INPUT, ...}``), so one parameter has one
rule everywhere.
"""

import numbers

import joblib
import torch
from sklearn.utils._param_validation import Interval, StrOptions

#: Every estimator that trains networks.
COMMON = {
    "device": [str, torch.device],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
}

#: Estimators that take images and transfer a pretrained backbone.
IMAGE_INPUT = {
    "weights": [str, None],
    "trainable_stages": [
        Interval(numbers.Integral, 0, None, closed="left"),
        StrOptions({"all"}),
    ],
    "input_size": [Interval(numbers.Integral, 8, None, closed="left")],
    "channel_axis": [numbers.Integral, None],
    "batch_size_inference": [Interval(numbers.Integral, 1, None, closed="left")],
}

#: Classifiers that choose a checkpoint on held-out data and stop early.
VALIDATION = {
    "validation_fraction": [Interval(numbers.Real, 0, 1, closed="neither"), None],
    "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left"), None],
}

#: The convex generator, the critic and the classifier of Polarity-GAN
#: (PolarityGANSampler, and PolarityGANClassifier in feature space).
CONVEX_GAN = {
    "noise_dim": [Interval(numbers.Integral, 1, None, closed="left")],
    "hidden_dims": ["array-like"],
    "generator_lr": [Interval(numbers.Real, 0, None, closed="neither")],
    "critic_lr": [Interval(numbers.Real, 0, None, closed="neither")],
    "gp_weight": [Interval(numbers.Real, 0, None, closed="left")],
    "classifier_weight": [Interval(numbers.Real, 0, None, closed="left")],
    "n_neighbors": [Interval(numbers.Integral, 1, None, closed="left"), None],
    "max_anchor_weight": [Interval(numbers.Real, 0.5, 1, closed="both")],
}

#: A backbone: a name or a module of the user's.
BACKBONE = [str, torch.nn.Module]

#: A disk cache.
MEMORY = [None, str, joblib.Memory]


def positive_int(low=1):
    """Integers from ``low`` up."""
    return [Interval(numbers.Integral, low, None, closed="left")]
