"""Pieces of PolarityGANClassifier's fit: network widths, the validation
split and the class weights."""

import numpy as np
from sklearn.utils.class_weight import compute_class_weight


def widths(hidden_dims, name, allow_empty):
    widths = tuple(int(h) for h in np.atleast_1d(np.asarray(hidden_dims, dtype=float)))
    if (not widths and not allow_empty) or (widths and min(widths) < 1):
        raise ValueError(f"{name} must be a sequence of positive integers, got {hidden_dims!r}.")
    return widths


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
