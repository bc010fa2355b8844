"""Small building blocks shared by the methods' networks."""

import numpy as np
import torch
from torch import nn


class Dropout(nn.Module):
    """Inverted dropout, as ``nn.Dropout``: in training each element is kept
    with probability ``1 - p`` and scaled by ``1 / (1 - p)``; the identity in
    eval mode.

    The mask is drawn as ``uniform >= p`` from ``torch.rand`` instead of
    ``nn.Dropout``'s Bernoulli sampler: the same distribution (up to the
    uniform's 2**-24 resolution), at about half the cost on a CPU, where the
    mask of a small network's activations costs more than its matrix
    products. Draws come from the global RNG, as ``nn.Dropout``'s do.
    """

    def __init__(self, p=0.5):
        super().__init__()
        if not 0.0 <= p < 1.0:
            raise ValueError(f"dropout probability must be in [0, 1), got {p!r}")
        self.p = float(p)

    def forward(self, x):
        if not self.training or self.p == 0.0:
            return x
        mask = torch.rand_like(x).ge_(self.p).mul_(1.0 / (1.0 - self.p))
        return x * mask

    def extra_repr(self):
        return f"p={self.p}"


def mlp(in_features, hidden_dims, out_features, dropout=0.0):
    """Linear layers with LeakyReLU between them (no normalisation layers, so a
    gradient penalty on a critic stays well defined).

    ``dropout`` > 0 adds a dropout layer (:class:`Dropout`) before the last
    linear layer (the eGAN discriminator's head).
    """
    layers = []
    width = in_features
    for hidden in hidden_dims:
        layers += [nn.Linear(width, hidden), nn.LeakyReLU(0.2)]
        width = hidden
    if dropout > 0:
        layers.append(Dropout(dropout))
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
