"""The eGAN losses: binary cross-entropy on the discriminator's logit.

The discriminator D calls majority samples real (target 1) and the
generator's reconstructions of minority samples fake (target 0); the
generator G is trained with the non-saturating loss, target 1 on its own
outputs. Each term is a mean over its own batch, so the few minority
reconstructions weigh as much as the majority batch.

Logits may carry a leading member axis (``(K, n)``, a stack of ``K`` eGANs,
see :mod:`.stack`): every loss is then a mean over the last axis, one loss
per member.
"""

from torch.nn import functional as F


def _bce(logits, target, weight=None):
    """Mean BCE-with-logits of ``logits`` against a constant ``target`` over
    the last axis; a weighted mean with ``weight`` (broadcast to ``logits``)."""
    full = logits.new_full(logits.shape, float(target))
    loss = F.binary_cross_entropy_with_logits(logits, full, reduction="none")
    if weight is None:
        return loss.mean(-1)
    weight = weight.expand_as(loss)
    return (loss * weight).sum(-1) / weight.sum(-1)


def discriminator_loss(real_logits, fake_logits, fake_weight=None):
    """``BCE(1, D(majority)) + BCE(0, D(G(minority)))``; the second term a
    weighted mean with the minority samples' ``fake_weight``."""
    return _bce(real_logits, 1.0) + _bce(fake_logits, 0.0, fake_weight)


def generator_loss(fake_logits, weight=None):
    """``BCE(1, D(G(minority)))``: G wants its outputs called majority."""
    return _bce(fake_logits, 1.0, weight)


def minority_loss(minority_logits, weight=None):
    """``BCE(0, D(minority))``: real minority samples called minority (the
    extension that shows the discriminator what the paper's never sees)."""
    return _bce(minority_logits, 0.0, weight)
