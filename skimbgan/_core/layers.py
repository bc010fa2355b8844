"""Small building blocks shared by the methods' networks."""

import numpy as np
from torch import nn


def mlp(in_features, hidden_dims, out_features, dropout=0.0):
    """Linear layers with LeakyReLU between them (no normalisation layers, so a
    gradient penalty on a critic stays well defined).

    ``dropout`` > 0 adds a dropout layer before the last linear layer (the
    eGAN discriminator's head).
    """
    layers = []
    width = in_features
    for hidden in hidden_dims:
        layers += [nn.Linear(width, hidden), nn.LeakyReLU(0.2)]
        width = hidden
    if dropout > 0:
        layers.append(nn.Dropout(dropout))
    layers.append(nn.Linear(width, out_features))
    return nn.Sequential(*layers)


def check_hidden_dims(hidden_dims):
    """A user's ``hidden_dims`` as a tuple of positive ints, or a ValueError."""
    hidden = tuple(int(h) for h in np.atleast_1d(hidden_dims))
    if not hidden or min(hidden) < 1:
        raise ValueError(
            f"hidden_dims must be a non-empty sequence of positive integers, got {hidden_dims!r}."
        )
    return hidden
