"""Pieces of EGANClassifier's fit: the image networks, their prefix features
and the checkpoint scores."""

import copy
import numbers
from dataclasses import dataclass

import numpy as np
import torch
from sklearn.metrics import average_precision_score, f1_score
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_memory

from .._core.backbones import build_seeded, split_backbone
from .._core.egan import (
    AveragedDiscriminator,
    EGANData,
    ImageDiscriminator,
    ImageGenerator,
    MLPDiscriminator,
    MLPGenerator,
)
from .._core.images import embed
from .._core.random import seeded, stream_seed
from ..utils._params import BACKBONE, COMMON, IMAGE_INPUT, MEMORY, VALIDATION, positive_int
from ..utils._validation import binary_holdout

#: Fewest minority samples a held-out validation part must contain for
#: checkpoint selection; with fewer, the networks after ``n_steps`` are kept.
MIN_VALIDATION_MINORITY = 3

#: Standardised features are clipped to this many training standard
#: deviations: a value far outside the training data gets the same score as
#: one at this distance, instead of overflowing the networks' float32.
CLIP = 1e4


#: EGANClassifier's parameter constraints (scikit-learn's validation).
PARAMETER_CONSTRAINTS = {
    **COMMON,
    **IMAGE_INPUT,
    **VALIDATION,
    "input_type": [StrOptions({"features", "images"})],
    "minority_class": "no_validation",
    "hidden_dims": ["array-like"],
    "latent_dim": positive_int(),
    "dropout": [Interval(numbers.Real, 0, 1, closed="left")],
    "generator_backbone": BACKBONE,
    "discriminator_backbone": BACKBONE,
    "n_steps": positive_int(),
    "batch_size": positive_int(),
    "learning_rate": [Interval(numbers.Real, 0, None, closed="neither"), StrOptions({"auto"})],
    "selection_metric": [StrOptions({"average_precision", "f1"})],
    "minority_weight": [Interval(numbers.Real, 0, None, closed="left")],
    "contamination": [
        Interval(numbers.Real, 0, 0.5, closed="right"),
        StrOptions({"f1"}),
        None,
    ],
    "n_estimators": [*positive_int(), StrOptions({"auto"})],
    "minority_augmentation": [Interval(numbers.Integral, 0, None, closed="left")],
    "eval_every": positive_int(),
    "memory": MEMORY,
}


#: The paper's eGAN, every extension off.
PAPER_PARAMS = dict(minority_weight=0.0, contamination=None, learning_rate=1e-4, n_estimators=1)


def resolve_auto(model, inputs):
    """``(learning_rate_, n_estimators_)``: the set values, or what
    ``"auto"`` means for the input kind (``inputs``, :mod:`._egan_inputs`)."""
    return (
        inputs.auto_learning_rate if model.learning_rate == "auto" else model.learning_rate,
        inputs.auto_n_estimators if model.n_estimators == "auto" else model.n_estimators,
    )


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


def image_networks(spec_g, spec_d, trainable_stages, latent_dim, dropout):
    prefix_g, tail_g = split_backbone(spec_g, trainable_stages)
    prefix_d, tail_d = split_backbone(spec_d, trainable_stages)
    generator = ImageGenerator(
        prefix_g,
        tail_g,
        spec_g.n_features,
        spec_g.mean,
        spec_g.std,
        latent_dim=latent_dim,
        output_size=spec_d.input_size,
    )
    discriminator = ImageDiscriminator(
        prefix_d, tail_d, spec_d.n_features, spec_d.mean, spec_d.std, dropout=dropout
    )
    return generator, discriminator


def prefix_array(images, backbone, weights, trainable_stages, input_size, seed, device, batch):
    """Prefix features of images for a named backbone; module-level so that
    ``joblib.Memory`` can cache it (same images and settings, same output)."""
    spec = build_seeded(backbone, weights, input_size, seed)
    prefix, _ = split_backbone(spec, trainable_stages)
    return run_prefix(prefix, images, spec.input_size, spec.mean, spec.std, device, batch).numpy()


def run_prefix(prefix, images, input_size, mean, std, device, batch, verbose=0):
    return embed(prefix, images, input_size, mean, std, torch.device(device), batch, verbose)


def standardise(X, unit, mean, scale):
    """Features as the networks see them: float32, clipped to ``CLIP``."""
    return np.clip((X / unit - mean) / scale, -CLIP, CLIP).astype(np.float32)


def feature_networks(n_features, hidden_dims, latent_dim, dropout, seed):
    """MLP generator and discriminator."""
    with seeded(seed, "cpu"):
        generator = MLPGenerator(n_features, hidden_dims, latent_dim)
        discriminator = MLPDiscriminator(n_features, hidden_dims, dropout)
    return generator, discriminator


def backbone_specs(backbones, weights, input_size, seeds):
    """The generator's and the discriminator's backbones. A module of the
    user's is copied: the two networks train their own tails, and the
    parameter passed in is never changed."""
    return [
        build_seeded(copy.deepcopy(backbone), weights, input_size, seed)
        for backbone, seed in zip(backbones, seeds, strict=True)
    ]


def image_prefix(prefix, images, named, spec, memory, device, batch, verbose):
    """Prefix features of images as a float32 tensor on the CPU; through
    ``memory`` (a disk cache) when it is set. ``named`` is ``(backbone,
    weights, trainable_stages, seed)``, what rebuilds the prefix for the cache;
    ``spec`` is ``(input_size, mean, std)``."""
    size, mean, std = spec
    if memory is not None:
        backbone, weights, trainable_stages, seed = named
        out = check_memory(memory).cache(prefix_array)(
            images, backbone, weights, trainable_stages, size, seed, str(device), batch
        )
        return torch.from_numpy(out)
    return run_prefix(prefix, images, size, mean, std, device, batch, verbose)


def training_rows(X, is_minority, X_val, y_val, minority, validation_fraction, random_state):
    """``(train_rows, val_rows, X_val, val_is_minority)``: all rows and the
    given validation data (which must hold both classes; ``y_val`` as class
    indices; ``val_rows`` None), or a stratified hold-out of ``X`` (``X_val``
    and ``val_rows`` None when the minority is too small to hold any out)."""
    if X_val is not None:
        val_is_minority = y_val == minority
        if val_is_minority.all() or not val_is_minority.any():
            raise ValueError("The validation data must contain samples of both classes.")
        return np.arange(X.shape[0]), None, X_val, val_is_minority
    split = binary_holdout(is_minority, validation_fraction, MIN_VALIDATION_MINORITY, random_state)
    if split is None:
        return np.arange(X.shape[0]), None, None, None
    return split[0], split[1], X[split[1]], is_minority[split[1]]


@dataclass
class Split:
    """Which rows train what (see :func:`split_rows`). ``weights`` holds the
    sample weights of ``majority``, ``minority``, ``validation`` and
    ``cutoff`` rows (each None where the rows weigh alike), or is None."""

    train_rows: np.ndarray
    X_major: object
    X_minor: object
    X_val: object
    val_is_minority: np.ndarray | None
    cutoff_rows: np.ndarray | None
    weights: dict | None = None


def split_rows(model, X, is_minority, X_val, y_val, stream, train_seed, weight=None):
    """Which rows train what (:class:`Split`): the validation part (given, or
    held out by ``validation_fraction``), a share of the majority held out
    for a ``contamination`` cut-off when there is no validation part, and in
    image mode the minority's augmented copies (``minority_augmentation``),
    which weigh what their image weighs."""
    train_rows, val_rows, X_val, val_is_minority = training_rows(
        X, is_minority, X_val, y_val, model._minority, model.validation_fraction, stream
    )
    cutoff_rows = None
    if model.contamination is not None and X_val is None:  # "f1" too: its fallback
        train_rows, cutoff_rows = majority_holdout(
            train_rows, is_minority, model.validation_fraction, stream
        )
    minor_rows = train_rows[is_minority[train_rows]]
    major_rows = train_rows[~is_minority[train_rows]]
    X_minor = X[minor_rows]
    n_copies = model._inputs.minority_copies(model)
    if n_copies:
        X_minor = augment_images(
            X_minor, n_copies, stream_seed(train_seed, "minority_augmentation")
        )
    weights = None
    if weight is not None:
        weights = dict(
            majority=weight[major_rows],
            minority=np.tile(weight[minor_rows], n_copies + 1),
            validation=None if val_rows is None else weight[val_rows],
            cutoff=None if cutoff_rows is None else weight[cutoff_rows],
        )
    return Split(train_rows, X[major_rows], X_minor, X_val, val_is_minority, cutoff_rows, weights)


def prefix_data(model, networks, split):
    """The training loop's inputs as prefix features
    (:class:`~.._core.egan.EGANData`) of a :class:`Split`."""
    generator, discriminator = networks
    majority = model._prefix(discriminator, split.X_major, role=1)
    minority = model._prefix(generator, split.X_minor, role=0)
    validation = None
    if split.X_val is not None:
        validation = (
            model._prefix(discriminator, split.X_val, role=1),
            np.asarray(split.val_is_minority, dtype=bool),
        )
    minority_real = None
    if model.minority_weight > 0:
        minority_real = model._prefix(discriminator, split.X_minor, role=1)
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


def majority_holdout(train_rows, is_minority, fraction, random_state):
    """``(train_rows, held_out_rows)``: ``fraction`` (0.2 when None) of the
    training majority, at least one row and never all of it, held out for the
    ``contamination`` cut-off alone; the minority stays whole."""
    majority = train_rows[~is_minority[train_rows]]
    n_out = min(max(int(round((fraction or 0.2) * majority.size)), 1), majority.size - 1)
    if n_out < 1:
        raise ValueError("contamination needs at least two majority samples.")
    held_out = np.sort(random_state.permutation(majority)[:n_out])
    return np.setdiff1d(train_rows, held_out), held_out


def cutoff(model, X, split, prevalence):
    """``(offset_, cutoff_)`` of a fitted EGANClassifier: the paper's logit 0
    (``"zero"``), a quantile of held-out majority scores (``"quantile"``), or
    the F1-best cut-off on the validation part (``"f1"``). Without a
    validation part, ``contamination="f1"`` takes the quantile at the
    training data's minority ``prevalence`` (PyOD's sense of contamination:
    about as many majority samples called minority as there are minority
    samples). With sample weights, the F1 and the quantile are weighted."""
    contamination = model.contamination
    if contamination is None:
        return 0.0, "zero"
    X_val, val_is_minority = split.X_val, split.val_is_minority
    weights = split.weights or {}
    if contamination == "f1" and X_val is not None:
        scores = model._score_checked(X_val)
        return f1_cutoff(scores, val_is_minority, weights.get("validation")), "f1"
    if contamination == "f1":
        contamination = prevalence
    if split.cutoff_rows is not None:
        held_out, weight = X[split.cutoff_rows], weights.get("cutoff")
    else:
        held_out = X_val[~val_is_minority]
        weight = weights.get("validation")
        weight = None if weight is None else weight[~val_is_minority]
    scores = model._score_checked(held_out)
    if weight is None:
        return float(np.quantile(scores, contamination)), "quantile"
    # the weighted quantile: the smallest score whose weight share reaches it
    quantile = np.quantile(scores, contamination, weights=weight, method="inverted_cdf")
    return float(quantile), "quantile"


def f1_cutoff(scores, is_minority, sample_weight=None):
    """The cut-off on the logits (minority where ``logit < cut-off``) that
    maximises the minority's F1 on held-out ``scores`` (weighted by
    ``sample_weight`` when given): the midpoint between two consecutive
    distinct scores, or just above the largest; the lowest such cut-off
    among ties."""
    scores = np.asarray(scores, dtype=np.float64)
    order = np.argsort(scores, kind="stable")
    sorted_scores = scores[order]
    weight = np.ones_like(scores) if sample_weight is None else np.asarray(sample_weight)[order]
    true_positives = np.cumsum(np.asarray(is_minority, dtype=bool)[order] * weight)
    # a cut-off can only fall after the last of a run of equal scores
    ends = np.flatnonzero(np.r_[np.diff(sorted_scores) > 0, True])
    n_predicted = np.cumsum(weight)[ends]
    f1 = 2 * true_positives[ends] / (n_predicted + true_positives[-1])
    best = int(np.argmax(f1))
    if ends[best] + 1 < sorted_scores.size:
        return float((sorted_scores[ends[best]] + sorted_scores[ends[best] + 1]) / 2)
    top = sorted_scores[-1]
    return float(np.nextafter(top, np.inf))


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


def augment_images(images, n_copies, seed):
    """The images, then ``n_copies`` light augmentations of each: a
    horizontal flip with probability 1/2, a shift by up to an eighth of the
    side in each direction (edge pixels repeated), a brightness scale in
    [0.9, 1.1]. ``images``: float32 ``(n, C, H, W)`` in [0, 1]."""
    rng = np.random.RandomState(seed)
    n, _, height, width = images.shape
    sy, sx = max(1, height // 8), max(1, width // 8)
    out = [images]
    for _ in range(n_copies):
        batch = images.copy()
        flip = rng.rand(n) < 0.5
        batch[flip] = batch[flip][..., ::-1]
        padded = np.pad(batch, ((0, 0), (0, 0), (sy, sy), (sx, sx)), mode="edge")
        dy, dx = rng.randint(0, 2 * sy + 1, n), rng.randint(0, 2 * sx + 1, n)
        for i in range(n):
            batch[i] = padded[i, :, dy[i] : dy[i] + height, dx[i] : dx[i] + width]
        batch *= rng.uniform(0.9, 1.1, size=(n, 1, 1, 1)).astype(np.float32)
        out.append(np.clip(batch, 0.0, 1.0, out=batch))
    return np.concatenate(out)


def train_members(estimator, first, build, init_seeds, train_seed, config, data, val_weight=None):
    """Train ``estimator.n_estimators_`` eGANs on the same prefix features
    ``data`` (:class:`~.._core.egan.EGANData`): the first on the networks
    ``first``, the others on ``build(seed)`` of their own ``init_seeds``;
    each is checked (:func:`check_trained`). MLP members train together as
    one stacked network; image members one after another, each on its own
    seed's batches."""
    from .._core.egan import train_egan
    from .._core.random import member_seeds

    name = type(estimator).__name__
    n_members = estimator.n_estimators_
    seeds = member_seeds(train_seed, n_members)
    score_fn = selection_score(estimator.selection_metric, val_weight)

    def train(networks, seed):
        generators, discriminators = (list(parts) for parts in zip(*networks, strict=True))
        return train_egan(
            generators, discriminators, data, config, estimator.device_, seed,
            score_fn=score_fn, verbose=estimator.verbose,
        )  # fmt: skip

    if isinstance(first[0], MLPGenerator):
        networks = [first, *(build(seed) for seed in init_seeds[1:n_members])]
        members = train(networks, seeds[0])
    else:
        members = []
        for k, seed in enumerate(seeds):
            members += train([first if k == 0 else build(init_seeds[k])], seed)
    for trained in members:
        check_trained(trained, name, estimator.learning_rate_, data.validation is not None)
    return members
