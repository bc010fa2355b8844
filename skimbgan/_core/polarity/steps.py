"""The named pieces of Polarity-GAN's Algorithm 1, shared by the sampler's
training loop (:mod:`.training`) and the end-to-end image classifier
(:mod:`.end_to_end`): building G, D and C, one update of each, the label
distributions, and refreshing G's anchors when the features they come from
change.
"""

from dataclasses import dataclass

import torch

from ..checkpoint import frozen
from ..random import seeded
from .losses import classifier_loss, critic_loss, generator_loss, interpolate, penalty_at
from .networks import ConditionalCritic, ConvexGenerator, Encoder, MLPClassifier


def neighbour_table(anchors, anchor_class, n_neighbors):
    """Candidate anchors of each anchor: its nearest neighbours in its class.

    Parameters
    ----------
    anchors : Tensor (n_anchors, n_features), stacked class by class
    anchor_class : LongTensor (n_anchors,), sorted
    n_neighbors : int or None
        None means every other anchor of the class (the paper's global form).

    Returns
    -------
    candidates : LongTensor (n_anchors, K)
    mask : BoolTensor (n_anchors, K)
        False on padding (classes with fewer than K + 1 anchors).
    """
    n_anchors = anchors.shape[0]
    classes, counts = torch.unique_consecutive(anchor_class, return_counts=True)
    widths = [int(c - 1) if n_neighbors is None else int(min(n_neighbors, c - 1)) for c in counts]
    width = max(max(widths), 1)
    candidates = torch.zeros(n_anchors, width, dtype=torch.long, device=anchors.device)
    mask = torch.zeros(n_anchors, width, dtype=torch.bool, device=anchors.device)
    start = 0
    for count, k in zip(counts.tolist(), widths, strict=True):
        stop = start + count
        if k > 0:
            block = anchors[start:stop]
            dist = torch.cdist(block, block)
            dist.fill_diagonal_(float("inf"))
            nearest = dist.topk(k, dim=1, largest=False).indices
            candidates[start:stop, :k] = nearest + start
            mask[start:stop, :k] = True
        candidates[start:stop, k:] = torch.arange(start, stop, device=anchors.device)[:, None]
        start = stop
    return candidates, mask


@dataclass
class CriticStep:
    """What one critic update returns: G's samples it used (no gradient), the
    loss, the Wasserstein estimate and the gradient penalty."""

    fake: torch.Tensor
    loss: torch.Tensor
    wasserstein: torch.Tensor
    penalty: torch.Tensor


def critic_step(generator, critic, optimizer, real, labels, gp_weight, rng, penalise=True):
    """One update of the class-conditional critic D (Algorithm 1, lines 4-7).

    ``real`` holds real samples of classes ``labels``; the generator makes as
    many samples of the same classes (without gradient). One critic pass over
    real and generated points gives the Wasserstein loss, one over points
    between them the gradient penalty (weighted ``gp_weight``). With
    ``penalise=False`` the update leaves the penalty out (and its cost: a
    second derivative through D); its value is then reported as NaN.

    Returns
    -------
    CriticStep
    """
    with torch.no_grad():
        fake, _, _ = generator.sample(labels, rng)
    # real and generated samples in one pass; the interpolates in their own,
    # so that the penalty's input gradient (and its derivative) runs over
    # their rows only, not over zeros for the other two thirds
    scores = critic(torch.cat([real, fake]), labels.repeat(2))
    real_scores, fake_scores = scores.split(real.shape[0])
    loss = critic_loss(real_scores, fake_scores)
    if penalise:
        x_hat = interpolate(real, fake, rng)
        penalty = penalty_at(critic(x_hat, labels), x_hat)
        loss = loss + gp_weight * penalty
    else:
        penalty = torch.full((), float("nan"), device=real.device)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    wasserstein = (real_scores.mean() - fake_scores.mean()).detach()
    return CriticStep(fake, loss.detach(), wasserstein, penalty.detach())


def classifier_step(classifier, optimizer, x, labels, loss_fn=None):
    """One cross-entropy update of C on samples ``x`` (real and generated).

    ``loss_fn(logits, labels)`` replaces the plain cross-entropy when given
    (the image classifier's class weights or logit adjustment).
    """
    logits = classifier(x)
    loss = (loss_fn or classifier_loss)(logits, labels)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.detach()


def generator_step(generator, critic, classifier, optimizer, labels, classifier_weight, rng):
    """One update of G against the fixed critic and classifier (lines 8-11).

    Returns ``(loss, adversarial_part, classifier_part)``, detached.
    """
    with frozen(critic, classifier):
        fake, _, _ = generator.sample(labels, rng)
        loss, adversarial, boundary = generator_loss(
            critic(fake, labels), classifier(fake), labels, classifier_weight
        )
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return loss.detach(), adversarial.detach(), boundary.detach()


def build_networks(anchors, anchor_class, n_classes, config, device, seed):
    """G, D, C and the autoencoder's encoder for ``anchors`` (stacked class by
    class), initialised from ``seed`` without touching the global RNG.

    C's hidden widths are ``config.classifier_hidden_dims`` when set, else
    ``config.hidden_dims`` (those of G, D and the encoder).
    """
    cfg = config
    candidates, mask = neighbour_table(anchors, anchor_class, cfg.n_neighbors)
    n_features = anchors.shape[1]
    hidden = tuple(cfg.hidden_dims)
    c_hidden = hidden if cfg.classifier_hidden_dims is None else tuple(cfg.classifier_hidden_dims)
    with seeded(seed, device):
        generator = ConvexGenerator(
            anchors,
            anchor_class,
            candidates,
            mask,
            n_classes,
            noise_dim=cfg.noise_dim,
            hidden_dims=hidden,
            max_anchor_weight=cfg.max_anchor_weight,
        ).to(device)
        critic = ConditionalCritic(n_features, n_classes, hidden).to(device)
        classifier = MLPClassifier(n_features, n_classes, c_hidden).to(device)
        encoder = Encoder(n_features, cfg.noise_dim, hidden).to(device)
    return generator, critic, classifier, encoder


def refresh_anchors(generator, anchors, n_neighbors):
    """Give G new values for its anchors (the same samples seen through a
    feature extractor that has changed) and recompute their neighbours.

    Anchor ``i`` stays the same sample, so the weight rows G has learnt for it
    keep their meaning.
    """
    candidates, mask = neighbour_table(anchors, generator.anchor_class, n_neighbors)
    if candidates.shape != generator.candidates.shape:
        raise ValueError("The new anchors do not match the generator's anchor classes.")
    with torch.no_grad():
        generator.anchors.copy_(anchors)
        generator.candidates.copy_(candidates)
        generator.candidate_mask.copy_(mask)


def label_distributions(generation_counts, device):
    """Label probabilities of Algorithm 1: ``(deficit_p, uniform_p)``.

    Critic and classifier updates draw the classes of generated samples in
    proportion to how many each class gets (its deficit, line 6); generator
    updates draw uniformly over the classes that get any (line 9).
    """
    counts = torch.as_tensor(generation_counts, dtype=torch.float32, device=device)
    if counts.sum() <= 0:
        raise ValueError("No class gets generated samples.")
    deficit_p = counts / counts.sum()
    uniform_p = (counts > 0).float() / (counts > 0).sum()
    return deficit_p, uniform_p
