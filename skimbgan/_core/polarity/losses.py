"""Losses of Polarity-GAN as skimbgan reads eqs. 5 and 6.

Eq. 5 read literally (``p_i E[D(x|i)] - (p_k - p_i) E[D(G(z|i))]``) is not a
bounded objective: adding a constant c to D changes it by ``c (2 p_i - p_k)``.
skimbgan uses the standard class-conditional Wasserstein critic loss with a
gradient penalty (Gulrajani et al., 2017) and expresses the priors through how
often each class is drawn in training (see :mod:`.training`).
"""

import torch
from torch.nn import functional as F


def interpolate(real, fake, generator=None):
    """Random points on the segments between paired real and fake samples,
    ready for :func:`penalty_at` (they require grad).

    With :func:`penalty_at` this is the WGAN-GP penalty
    ``E[(||grad_x D(x_hat | k)||_2 - 1)^2]`` (Gulrajani et al., 2017), in two
    pieces so that the critic scores real, fake and interpolated points in
    one forward pass (:func:`~.steps.critic_step`)."""
    alpha = torch.rand(real.shape[0], 1, generator=generator, device=real.device)
    return (alpha * real + (1 - alpha) * fake).detach().requires_grad_(True)


def penalty_at(scores, x_hat):
    """``E[(||grad_x D(x_hat)||_2 - 1)^2]`` given the critic's ``scores`` at
    ``x_hat`` (computed in a graph that can be differentiated again)."""
    (grad,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)
    return ((grad.norm(2, dim=1) - 1.0) ** 2).mean()


def critic_loss(real_scores, fake_scores):
    """Wasserstein critic loss ``E[D(fake)] - E[D(real)]`` (minimised)."""
    return fake_scores.mean() - real_scores.mean()


def classifier_loss(logits, labels):
    """Cross-entropy of C (the classifier part of eq. 6)."""
    return F.cross_entropy(logits, labels)


def generator_loss(fake_scores, class_logits, labels, classifier_weight):
    """G's loss against both adversaries.

    ``-E[D(G(z|k)|k)]`` keeps the samples in the class's own distribution;
    ``classifier_weight * E[log C_k(G(z|k))]`` rewards samples that C finds hard
    (it is minus C's cross-entropy, so G maximises C's loss as in Algorithm 1).
    Its gradient with respect to C's logits is bounded, so it cannot explode
    when C is confidently wrong.

    Returns
    -------
    total, adversarial_part, classifier_part : Tensor scalars
    """
    adversarial = -fake_scores.mean()
    log_p = F.log_softmax(class_logits, dim=1).gather(1, labels[:, None]).squeeze(1)
    boundary = log_p.mean()
    return adversarial + classifier_weight * boundary, adversarial, boundary
