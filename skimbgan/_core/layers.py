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


def check_hidden_dims(hidden_dims, name="hidden_dims", allow_empty=False):
    """A user's ``hidden_dims`` as a tuple of positive ints, or a ValueError.

    ``allow_empty`` accepts ``()`` (no hidden layer); ``name`` is the
    parameter the error message names.
    """
    hidden = tuple(int(h) for h in np.atleast_1d(hidden_dims))
    if (not hidden and not allow_empty) or (hidden and min(hidden) < 1):
        kind = "sequence" if allow_empty else "non-empty sequence"
        raise ValueError(f"{name} must be a {kind} of positive integers, got {hidden_dims!r}.")
    return hidden
