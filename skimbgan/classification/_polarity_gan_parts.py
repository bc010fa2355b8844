"""Pieces of PolarityGANClassifier's fit: the validation split, the class
weights, the anchors and the core's configuration."""

import numpy as np
from sklearn.utils.class_weight import compute_class_weight

from .._core.layers import check_hidden_dims
from .._core.polarity import PolarityGANConfig
from .._core.polarity.end_to_end import EndToEndConfig
from ..over_sampling._inputs import choose_anchors


def stratified_holdout(y_index, fraction, random_state):
    """``(train_rows, validation_rows)``: ``fraction`` of each class, rounded,
    at least one image of every class with two or more, never its last one."""
    train, validation = [], []
    for k in np.unique(y_index):
        rows = random_state.permutation(np.flatnonzero(y_index == k))
        n_val = min(max(int(round(fraction * rows.size)), 1), rows.size - 1)
        validation.append(rows[:n_val])
        train.append(rows[n_val:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(validation))


def class_weights(class_weight, classes, y_train):
    """Per-class weights of the loss as a tuple (index order), or None.

    ``class_weight`` is None, ``"balanced"`` or a dict keyed by labels of
    ``classes`` (missing classes weigh 1).
    """
    if class_weight is None:
        return None
    present = np.arange(classes.shape[0])
    if isinstance(class_weight, dict):
        unknown = set(class_weight) - set(classes.tolist())
        if unknown:
            raise ValueError(f"class_weight names classes {sorted(unknown)} that y does not have.")
        weights = {int(np.searchsorted(classes, k)): v for k, v in class_weight.items()}
        return tuple(float(weights.get(k, 1.0)) for k in present)
    return tuple(compute_class_weight("balanced", classes=present, y=y_train).tolist())


def generation_and_anchors(counts, y_train, max_anchors_per_class, random_state):
    """How many samples G makes per class (each class's deficit to the largest;
    one each when the data are balanced), and the training rows G combines,
    stacked class by class for the classes that get any."""
    n_classes = counts.shape[0]
    generation = counts.max() - counts
    if not generation.any():  # balanced data: G makes every class alike
        generation = np.ones(n_classes, dtype=np.int64)
    anchors = choose_anchors(
        np.arange(n_classes), y_train, generation, max_anchors_per_class, random_state
    )
    anchor_rows = np.concatenate([anchors[k] for k in range(n_classes) if generation[k] > 0])
    return generation, anchor_rows


def end_to_end_config(estimator, class_weight):
    """The core's training configuration from a PolarityGANClassifier's
    parameters, with the per-class loss weights already resolved."""
    est = estimator
    return EndToEndConfig(
        n_epochs=est.n_epochs,
        batch_size=est.batch_size,
        learning_rate=est.learning_rate,
        weight_decay=est.weight_decay,
        augment=est.augment,
        use_gan=est.use_gan,
        gan_steps=est.gan_steps,
        refresh_every=est.refresh_every,
        class_weight=class_weight,
        balanced_sampling=est.balanced_sampling,
        logit_adjustment=float(est.logit_adjustment),
        n_iter_no_change=est.n_iter_no_change,
        batch_size_inference=est.batch_size_inference,
        gan=PolarityGANConfig(
            batch_size=est.batch_size,
            noise_dim=est.noise_dim,
            hidden_dims=check_hidden_dims(est.hidden_dims),
            classifier_hidden_dims=check_hidden_dims(
                est.classifier_hidden_dims, "classifier_hidden_dims", allow_empty=True
            ),
            generator_lr=est.generator_lr,
            critic_lr=est.critic_lr,
            gp_weight=est.gp_weight,
            classifier_weight=est.classifier_weight,
            n_neighbors=est.n_neighbors,
            max_anchor_weight=est.max_anchor_weight,
        ),
    )
