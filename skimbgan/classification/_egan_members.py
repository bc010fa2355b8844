"""Training EGANClassifier's members: the checkpoint scores, the members
trained on the same prefix features, and the fitted model they make."""

from dataclasses import dataclass

import numpy as np
import torch
from sklearn.metrics import average_precision_score, f1_score

from .._core.context import FitContext
from .._core.egan import AveragedDiscriminator, EGANData, MLPGenerator


@dataclass(frozen=True)
class MemberRun:
    """What training the members needs to know of the estimator."""

    name: str
    n_members: int
    selection_metric: str
    learning_rate: float
    device: object
    verbose: int


def selection_scores():
    # Higher is better; logits are high for the majority, so the minority's
    # score is the negated logit and its predicted set is logit < 0.
    return {
        "average_precision": lambda logits, is_min, weight=None: average_precision_score(
            is_min, -logits, sample_weight=weight
        ),
        "f1": lambda logits, is_min, weight=None: f1_score(
            is_min, logits < 0, zero_division=0.0, sample_weight=weight
        ),
    }


def selection_score(name, sample_weight=None):
    """The checkpoint score ``name`` of (logits, is_minority), weighted by the
    validation rows' ``sample_weight`` when given; a checkpoint whose logits
    are not all finite (a diverging fit) scores ``-inf`` and is never kept."""
    score = selection_scores()[name]

    def checked(logits, is_minority):
        logits = logits.double().cpu().numpy()
        if not np.isfinite(logits).all():
            return -np.inf
        return score(logits, is_minority, sample_weight)

    return checked


def prefix_data(prefix, networks, split, minority_weight):
    """The training loop's inputs as prefix features
    (:class:`~.._core.egan.EGANData`) of a :class:`~._egan_split.Split`;
    ``prefix(network, X, role)`` computes them (role 0: the generator's,
    1: the discriminator's)."""
    generator, discriminator = networks
    majority = prefix(discriminator, split.X_major, role=1)
    minority = prefix(generator, split.X_minor, role=0)
    validation = None
    if split.X_val is not None:
        validation = (
            prefix(discriminator, split.X_val, role=1),
            np.asarray(split.val_is_minority, dtype=bool),
        )
    minority_real = None
    if minority_weight > 0:
        minority_real = prefix(discriminator, split.X_minor, role=1)
    weights = {}
    if split.weights is not None:
        weights = {
            f"{part}_sample_weight": _unequal(split.weights[part])
            for part in ("majority", "minority")
        }
    return EGANData(majority, minority, validation, minority_real, **weights)


def _unequal(weight):
    """Weights as a float32 tensor, or None when they are all equal."""
    return None if weight.min() == weight.max() else torch.from_numpy(weight).float()


def check_trained(trained, name, learning_rate, validated):
    """Refuse a fit that diverged with nothing sound to keep."""
    if trained.diverged and not validated:
        raise ValueError(
            f"{name} diverged: its losses became infinite or NaN after "
            f"{trained.n_steps} steps (learning_rate={learning_rate!r}). Lower "
            "learning_rate, or pass validation data so that the last sound "
            "checkpoint is kept."
        )
    if validated and not np.isfinite(trained.best_score):
        raise ValueError(
            f"{name} diverged before its first checkpoint: every validation score was "
            f"computed on infinite or NaN logits (learning_rate={learning_rate!r}). "
            "Lower learning_rate."
        )


def combine_members(members):
    """``(generator, discriminator)`` of the fitted model: a single eGAN's
    networks, or for several a ``ModuleList`` of the generators and the
    :class:`AveragedDiscriminator` of the discriminators."""
    if len(members) == 1:
        return members[0].generator, members[0].discriminator
    generators = torch.nn.ModuleList([m.generator for m in members])
    return generators, AveragedDiscriminator([m.discriminator for m in members])


def train_members(run, first, build, init_seeds, train_seed, config, data, val_weight=None):
    """Train ``run.n_members`` eGANs (:class:`MemberRun`) on the same prefix features
    ``data`` (:class:`~.._core.egan.EGANData`): the first on the networks
    ``first``, the others on ``build(seed)`` of their own ``init_seeds``;
    each is checked (:func:`check_trained`). MLP members train together as
    one stacked network; image members one after another, each on its own
    seed's batches."""
    from .._core.egan import train_egan
    from .._core.random import member_seeds

    n_members = run.n_members
    seeds = member_seeds(train_seed, n_members)
    score_fn = selection_score(run.selection_metric, val_weight)

    def train(networks, seed):
        generators, discriminators = (list(parts) for parts in zip(*networks, strict=True))
        context = FitContext(config, run.device, seed, run.verbose)
        return train_egan(generators, discriminators, data, context, score_fn=score_fn)

    if isinstance(first[0], MLPGenerator):
        networks = [first, *(build(seed) for seed in init_seeds[1:n_members])]
        members = train(networks, seeds[0])
    else:
        members = []
        for k, seed in enumerate(seeds):
            members += train([first if k == 0 else build(init_seeds[k])], seed)
    for trained in members:
        check_trained(trained, run.name, run.learning_rate, data.validation is not None)
    return members
