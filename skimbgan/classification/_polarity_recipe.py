"""PolarityGANClassifier's training recipe: its parameter constraints, the
class weights, the anchors, the "auto" recipe, the validation split, the
feature extractor and the core's configuration of its fit."""

import copy
import math
import numbers
from dataclasses import dataclass

import numpy as np
import torch
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.class_weight import compute_class_weight

from .._core.backbones import SplitBackbone, build_seeded, split_backbone
from .._core.layers import check_hidden_dims
from .._core.polarity.anchors import choose_anchors
from .._core.polarity.config import EndToEndConfig, PolarityGANConfig
from ..utils._config import core_config
from ..utils._params import BACKBONE, COMMON, CONVEX_GAN, IMAGE_INPUT, VALIDATION
from ..utils._validation import (
    check_validation_data,
    stratified_holdout,
    warn_single_sample_classes,
)


def class_weights(class_weight, classes, y_train, sample_weight=None):
    """Per-class weights of the loss as a tuple (index order), or None.

    ``class_weight`` is None, ``"balanced"`` or a dict keyed by labels of
    ``classes`` (missing classes weigh 1). ``"balanced"`` weighs class ``k``
    ``n / (n_classes * n_k)``, with ``n`` and ``n_k`` the sums of the
    training rows' ``sample_weight`` when given.
    """
    if class_weight is None:
        return None
    present = np.arange(classes.shape[0])
    if isinstance(class_weight, dict):
        unknown = set(class_weight) - set(classes.tolist())
        if unknown:
            raise ValueError(f"class_weight names classes {sorted(unknown)} that y does not have.")
        for label, value in class_weight.items():
            if not isinstance(value, numbers.Real) or not math.isfinite(value) or value < 0:
                raise ValueError(
                    f"class_weight[{label!r}]={value!r}: class weights must be finite numbers >= 0."
                )
        weights = {int(np.searchsorted(classes, k)): v for k, v in class_weight.items()}
        resolved = tuple(float(weights.get(k, 1.0)) for k in present)
        if not any(resolved):
            raise ValueError(
                "class_weight gives every class a weight of 0: the loss would be 0/0. "
                "Give at least one class a positive weight."
            )
        return resolved
    if sample_weight is None:
        return tuple(compute_class_weight("balanced", classes=present, y=y_train).tolist())
    totals = np.bincount(y_train, weights=sample_weight, minlength=present.size)
    return tuple((totals.sum() / (present.size * totals)).tolist())


#: PolarityGANClassifier's parameter constraints (scikit-learn's validation).
PARAMETER_CONSTRAINTS = {
    **CONVEX_GAN,
    **COMMON,
    **IMAGE_INPUT,
    **VALIDATION,
    "backbone": BACKBONE,
    "use_gan": ["boolean"],
    "trainable_stages": [
        Interval(numbers.Integral, 0, None, closed="left"),
        StrOptions({"all", "auto"}),
    ],
    "input_size": [Interval(numbers.Integral, 8, None, closed="left"), StrOptions({"auto"})],
    "n_epochs": [Interval(numbers.Integral, 1, None, closed="left"), StrOptions({"auto"})],
    "batch_size": [Interval(numbers.Integral, 2, None, closed="left")],
    "learning_rate": [Interval(numbers.Real, 0, None, closed="neither")],
    "weight_decay": [Interval(numbers.Real, 0, None, closed="left")],
    "augment": ["boolean", StrOptions({"auto"})],
    "class_weight": [dict, StrOptions({"balanced"}), None],
    "balanced_sampling": ["boolean"],
    "logit_adjustment": [Interval(numbers.Real, 0, None, closed="left")],
    "probe_epochs": [Interval(numbers.Integral, 0, None, closed="left"), StrOptions({"auto"})],
    "classifier_hidden_dims": ["array-like"],
    "max_anchors_per_class": [Interval(numbers.Integral, 1, None, closed="left")],
    "gan_steps": [Interval(numbers.Integral, 1, None, closed="left")],
    "refresh_every": [Interval(numbers.Integral, 1, None, closed="left")],
}


#: ``trainable_stages="auto"`` freezes the backbone below this many training
#: images and fine-tunes all of it from there (docs/results_images.md, on
#: development images: the frozen backbone at its own input size won on every
#: set of up to 1,740 images, was level at 4,349, and fine-tuning at 64 px
#: won on the paper's 17,400).
FROZEN_BELOW = 5_000
#: The "auto" recipe of each regime: input size (None: the backbone's own),
#: probe passes, epochs and augmentation. A frozen backbone without
#: augmentation reads each image once (docs/results_images.md: on the small
#: development sets augmentation moved macro F1 by -0.006 to +0.002, +0.000
#: on average, and made the fit 2.8 times as long).
AUTO_RECIPES = {
    "frozen": dict(input_size=None, probe_epochs=30, n_epochs=2, augment=False),
    "fine-tuned": dict(input_size=64, probe_epochs=0, n_epochs=8, augment=True),
}


@dataclass(frozen=True)
class Recipe:
    """The training recipe of one fit, every ``"auto"`` resolved."""

    trainable_stages: object  # int or "all"
    input_size: int | None  # None: the backbone's own
    probe_epochs: int
    n_epochs: int
    augment: bool = True


def resolve_recipe(estimator, n_images):
    """``trainable_stages``, ``input_size``, ``probe_epochs``, ``n_epochs``
    and ``augment`` of a PolarityGANClassifier for ``n_images`` training
    images.

    ``"auto"`` stages: 0 (the backbone frozen) below :data:`FROZEN_BELOW`
    images, ``"all"`` from there. The others, where ``"auto"``, follow the
    regime: a frozen backbone (``trainable_stages=0``) is read at its own
    input size, once per image (no augmentation), with a linear probe and
    two epochs of ``C`` after it; a trainable one at 64 px, with
    augmentation, without a probe, for eight epochs.
    """
    est = estimator
    stages = est.trainable_stages
    if stages == "auto":
        stages = 0 if n_images < FROZEN_BELOW else "all"
    auto = AUTO_RECIPES["frozen" if stages == 0 else "fine-tuned"]
    values = {
        name: auto[name] if isinstance(getattr(est, name), str) else getattr(est, name)
        for name in ("input_size", "probe_epochs", "n_epochs", "augment")
    }
    return Recipe(trainable_stages=stages, **values)


def generation_and_anchors(
    classes, counts, y_train, max_anchors_per_class, random_state, sample_weight=None
):
    """How many samples G makes per class (each class's deficit to the largest;
    one each when the data are balanced), and the training rows G combines,
    stacked class by class for the classes that get any (a subset of a large
    class drawn in proportion to ``sample_weight`` when given)."""
    n_classes = counts.shape[0]
    generation = counts.max() - counts
    if not generation.any():  # balanced data: G makes every class alike
        generation = np.ones(n_classes, dtype=np.int64)
    anchors = choose_anchors(y_train, n_classes, max_anchors_per_class, random_state, sample_weight)
    warn_single_sample_classes(classes, anchors, generation)
    anchor_rows = np.concatenate([anchors[k] for k in range(n_classes) if generation[k] > 0])
    return generation, anchor_rows


def end_to_end_config(estimator, class_weight, recipe):
    """The core's training configuration from a PolarityGANClassifier's
    parameters, with the per-class loss weights and the :class:`Recipe`
    already resolved."""
    est = estimator
    gan = core_config(
        PolarityGANConfig,
        est,
        skip=("n_iter_no_change",),  # the GAN's steps stop with the epochs
        hidden_dims=check_hidden_dims(est.hidden_dims),
        classifier_hidden_dims=check_hidden_dims(
            est.classifier_hidden_dims, "classifier_hidden_dims", allow_empty=True
        ),
    )
    return core_config(
        EndToEndConfig,
        est,
        augment=recipe.augment,
        class_weight=class_weight,
        logit_adjustment=float(est.logit_adjustment),
        probe_epochs=recipe.probe_epochs,
        n_epochs=recipe.n_epochs,
        gan=gan,
    )


def validation_split(estimator, images, y_index, X_val, y_val, seed):
    """``(train_rows, validation, val_rows)`` of a fit: the images that score
    each epoch are ``X_val`` when given, else a stratified part of ``X``,
    its rows ``val_rows`` (None otherwise); ``validation`` is ``(images,
    class indices)`` or None."""
    val_images, y_val = check_validation_data(
        X_val, y_val, estimator.classes_, lambda X_val: estimator._check_images(X_val, reset=False)
    )
    if val_images is not None:
        return np.arange(images.shape[0]), (val_images, torch.from_numpy(y_val)), None
    if estimator.validation_fraction is None:
        return np.arange(images.shape[0]), None, None
    train_rows, val_rows = stratified_holdout(
        y_index, estimator.validation_fraction, np.random.RandomState(seed)
    )
    if not val_rows.size:
        return train_rows, None, None
    return train_rows, (images[val_rows], torch.from_numpy(y_index[val_rows])), val_rows


def training_counts(classes, y_train):
    """Training images per class (``y_train`` as class indices); every class
    must keep at least one after the validation split."""
    counts = np.bincount(y_train, minlength=classes.shape[0])
    if counts.min() == 0:
        missing = classes[counts == 0].tolist()
        raise ValueError(f"Classes {missing} have no training image left after the split.")
    return counts


def build_extractor(backbone, weights, recipe, seed):
    """``(F, input_size)``: the backbone (a copy: the parameter passed in is
    never changed) split into its frozen prefix and its last
    ``recipe.trainable_stages`` trained stages."""
    spec = build_seeded(copy.deepcopy(backbone), weights, recipe.input_size, seed)
    prefix, tail = split_backbone(spec, recipe.trainable_stages)
    extractor = SplitBackbone(prefix, tail, spec.mean, spec.std, train_tail_batchnorm=True)
    return extractor, spec.input_size
