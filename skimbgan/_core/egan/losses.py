"""The eGAN losses: binary cross-entropy on the discriminator's logit.

The discriminator D calls majority samples real (target 1) and the
generator's reconstructions of minority samples fake (target 0); the
generator G is trained with the non-saturating loss, target 1 on its own
outputs. Each term is a mean over its own batch, so the few minority
reconstructions weigh as much as the majority batch.
"""

import torch
from torch.nn import functional as F


def discriminator_loss(real_logits, fake_logits):
    """``BCE(1, D(majority)) + BCE(0, D(G(minority)))``."""
    real = F.binary_cross_entropy_with_logits(real_logits, torch.ones_like(real_logits))
    fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return real + fake


def generator_loss(fake_logits):
    """``BCE(1, D(G(minority)))``: G wants its outputs called majority."""
    return F.binary_cross_entropy_with_logits(fake_logits, torch.ones_like(fake_logits))


def minority_loss(minority_logits):
    """``BCE(0, D(minority))``: real minority samples called minority (the
    extension that shows the discriminator what the paper's never sees)."""
    return F.binary_cross_entropy_with_logits(minority_logits, torch.zeros_like(minority_logits))
