"""Networks of Polarity-GAN.

The generator is eq. 3 of the paper: every output is a convex combination of
real samples ("anchors") of the requested class. skimbgan conditions it on a
randomly drawn base anchor as part of its noise and combines the base with a
neighbourhood of it (``n_neighbors``; all anchors of the class reproduce the
paper's global softmax), with no single anchor allowed more than
``max_anchor_weight``: see the user guide, "how this differs from the paper".
"""

import torch
from torch import nn

from ..layers import mlp


class ConvexGenerator(nn.Module):
    """G(z | k): convex combinations of a class's anchors.

    Parameters
    ----------
    anchors : Tensor of shape (n_anchors, n_features)
        Real samples (already scaled as the critic sees them), all classes
        stacked. Stored as a buffer.
    anchor_class : LongTensor of shape (n_anchors,)
        Class index of each anchor, sorted (anchors are stacked class by class).
    candidates : LongTensor of shape (n_anchors, n_candidates)
        For each anchor used as a base, the anchors it may be combined with
        (same class, the base itself excluded). Padding entries are masked by
        ``candidate_mask``.
    candidate_mask : BoolTensor of shape (n_anchors, n_candidates)
        True where ``candidates`` holds a real entry.
    n_classes : int
    noise_dim : int
    hidden_dims : tuple of int
    max_anchor_weight : float in (0.5, 1]
        Largest weight any single anchor can receive.

    Notes
    -----
    For base anchor ``b`` the output is ``(1 - lam) * x_b + lam * sum_j v_j x_j``
    over the candidates ``j`` of ``b``, with ``v = softmax(P(Q(z|k)))`` (the
    paper's two mappings: Q to a hidden "pseudo space", P to one logit per
    anchor) and ``lam`` in ``[1 - max_anchor_weight, max_anchor_weight]``
    also computed from ``Q(z|k)``. All weights are non-negative and sum to one.
    """

    def __init__(
        self,
        anchors,
        anchor_class,
        candidates,
        candidate_mask,
        n_classes,
        noise_dim=32,
        hidden_dims=(128, 128),
        max_anchor_weight=0.75,
    ):
        super().__init__()
        n_anchors, n_features = anchors.shape
        self.n_classes = int(n_classes)
        self.noise_dim = int(noise_dim)
        self.max_anchor_weight = float(max_anchor_weight)
        self.register_buffer("anchors", anchors.clone())
        self.register_buffer("anchor_class", anchor_class.clone())
        self.register_buffer("candidates", candidates.clone())
        self.register_buffer("candidate_mask", candidate_mask.clone())
        # Anchors are stacked class by class: where each class starts, how many.
        count = torch.bincount(anchor_class, minlength=n_classes)
        self.register_buffer("anchor_count", count)
        self.register_buffer("anchor_start", torch.cumsum(count, 0) - count)
        # Per-class noise distribution: N(0, 1) unless the autoencoder
        # initialisation fits it to the encoder's codes (as BAGAN does).
        self.register_buffer("noise_mean", torch.zeros(n_classes, noise_dim))
        self.register_buffer("noise_std", torch.ones(n_classes, noise_dim))
        # Q: (noise, class, base anchor) -> pseudo space
        self.trunk = mlp(noise_dim + n_classes + n_features, hidden_dims[:-1], hidden_dims[-1])
        self.activation = nn.LeakyReLU(0.2)
        # P: pseudo space -> one logit per anchor; and the mixing coefficient.
        self.anchor_logits = nn.Linear(hidden_dims[-1], n_anchors)
        self.mixing = nn.Linear(hidden_dims[-1], 1)

    @property
    def n_features(self):
        return self.anchors.shape[1]

    def sample_noise(self, labels, generator):
        """Noise for ``labels`` from the per-class noise distribution."""
        eps = torch.randn(
            labels.shape[0], self.noise_dim, generator=generator, device=labels.device
        )
        return self.noise_mean[labels] + self.noise_std[labels] * eps

    def combine(self, noise, labels, base, exclude=None):
        """Weights of the convex combination for given noise, labels and bases.

        Parameters
        ----------
        noise : Tensor (batch, noise_dim)
        labels : LongTensor (batch,)
        base : LongTensor (batch,)
            Index of the base anchor of each sample (of class ``labels``).
        exclude : LongTensor (batch,), optional
            An anchor index per sample that must get weight zero (used by the
            autoencoder initialisation so a sample is never rebuilt from itself).

        Returns
        -------
        weights : Tensor (batch, 1 + n_candidates)
            Non-negative, rows sum to one; column 0 is the base.
        index : LongTensor (batch, 1 + n_candidates)
            Anchor index of each weight.
        """
        onehot = nn.functional.one_hot(labels, self.n_classes).to(noise.dtype)
        hidden = self.activation(self.trunk(torch.cat([noise, onehot, self.anchors[base]], 1)))
        cand = self.candidates[base]
        mask = self.candidate_mask[base]
        if exclude is not None:
            mask = mask & (cand != exclude[:, None])
        # P restricted to the candidates: gather their rows of the logit layer
        # instead of computing a logit for every anchor.
        # (index_select, whose backward is a cheap index_add, not index_put)
        flat = cand.reshape(-1)
        rows = self.anchor_logits.weight.index_select(0, flat).view(*cand.shape, -1)
        bias = self.anchor_logits.bias.index_select(0, flat).view(cand.shape)
        # a product and a sum, not a batched matrix product: a CPU runs
        # (1 x h) @ (h x n_candidates) per row several times slower
        logits = (hidden.unsqueeze(1) * rows).sum(2) + bias
        logits = logits.masked_fill(~mask, float("-inf"))
        has_candidate = mask.any(1, keepdim=True)
        logits = torch.where(has_candidate, logits, torch.zeros_like(logits))
        neighbour_weights = torch.softmax(logits, dim=1) * mask
        low = 1.0 - self.max_anchor_weight
        lam = low + (self.max_anchor_weight - low) * torch.sigmoid(self.mixing(hidden))
        lam = lam * has_candidate  # a base without candidates keeps all weight
        weights = torch.cat([1.0 - lam, lam * neighbour_weights], 1)
        index = torch.cat([base[:, None], cand], 1)
        return weights, index

    def weigh_anchors(self, weights):
        """Draw base anchors in proportion to ``weights`` (one positive
        number per anchor, e.g. the samples' weights) instead of uniformly."""
        cumulative = torch.cumsum(torch.as_tensor(weights).to(self.anchors), 0)
        self.register_buffer("anchor_cumweight", cumulative)
        return self

    def sample_bases(self, labels, generator):
        """An anchor of each requested class: uniformly drawn, or in
        proportion to the anchors' weights (:meth:`weigh_anchors`)."""
        cumulative = getattr(self, "anchor_cumweight", None)
        return draw_rows(labels, self.anchor_start, self.anchor_count, generator, cumulative)

    def sample(self, labels, generator):
        """Samples of classes ``labels``: ``(samples, weights, index)``."""
        noise = self.sample_noise(labels, generator)
        base = self.sample_bases(labels, generator)
        return self(noise, labels, base)

    def forward(self, noise, labels, base, exclude=None):
        weights, index = self.combine(noise, labels, base, exclude)
        samples = (weights.unsqueeze(2) * self.anchors[index]).sum(1)
        return samples, weights, index


def draw_rows(labels, start, count, generator, cumulative=None):
    """For each label, a row of a class-sorted table (class ``k``'s rows are
    ``start[k]`` to ``start[k] + count[k] - 1``): uniformly drawn, or, with
    ``cumulative`` (the running sum of the rows' positive weights), in
    proportion to each row's weight. One uniform draw per label either way,
    so the random stream advances alike."""
    u = torch.rand(labels.shape[0], generator=generator, device=labels.device)
    if cumulative is None:
        offset = (u * count[labels]).long().clamp_max(count[labels] - 1)
        return start[labels] + offset
    first = start[labels]
    last = first + count[labels] - 1
    before = torch.where(first > 0, cumulative[(first - 1).clamp_min(0)], 0.0)
    target = before + u.to(cumulative.dtype) * (cumulative[last] - before)
    rows = torch.searchsorted(cumulative, target, right=True)
    return torch.minimum(torch.maximum(rows, first), last)


class ConditionalCritic(nn.Module):
    """Wasserstein critic D(x | k): an unbounded score, no sigmoid."""

    def __init__(self, n_features, n_classes, hidden_dims=(128, 128)):
        super().__init__()
        self.n_classes = int(n_classes)
        self.net = mlp(n_features + n_classes, hidden_dims, 1)

    def forward(self, x, labels):
        onehot = nn.functional.one_hot(labels, self.n_classes).to(x.dtype)
        return self.net(torch.cat([x, onehot], 1)).squeeze(1)


class MLPClassifier(nn.Module):
    """The classifier C that the generator plays against (logits out)."""

    def __init__(self, n_features, n_classes, hidden_dims=(128, 128)):
        super().__init__()
        self.net = mlp(n_features, hidden_dims, n_classes)

    def forward(self, x):
        return self.net(x)


class Encoder(nn.Module):
    """Class-agnostic encoder of the autoencoder initialisation: x -> noise."""

    def __init__(self, n_features, noise_dim, hidden_dims=(128, 128)):
        super().__init__()
        self.net = mlp(n_features, hidden_dims, noise_dim)

    def forward(self, x):
        return self.net(x)
