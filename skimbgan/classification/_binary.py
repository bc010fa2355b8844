"""Checks and splits for binary classifiers built around a minority class."""

import numpy as np
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_consistent_length, column_or_1d


def check_binary_target(y, minority_class=None):
    """Classes, index of the minority class, and ``y`` as class indices.

    Raises a ValueError for anything but exactly two classes, and when
    ``minority_class`` names a class that is not in ``y``.
    """
    check_classification_targets(y)
    classes, y_index = np.unique(y, return_inverse=True)
    if classes.shape[0] < 2:
        raise ValueError(
            f"EGANClassifier needs samples of two classes; y has only 1 class ({classes[0]!r})."
        )
    if classes.shape[0] > 2 or type_of_target(y) != "binary":
        raise ValueError(
            "Only binary classification is supported: EGANClassifier learns one "
            f"minority class against one majority class, and y has {classes.shape[0]} "
            "classes. Wrap it in sklearn.multiclass.OneVsRestClassifier for more classes."
        )
    if minority_class is None:
        counts = np.bincount(y_index, minlength=2)
        minority = 0 if counts[0] < counts[1] else 1
    else:
        matches = np.flatnonzero(classes == minority_class)
        if matches.size == 0:
            raise ValueError(
                f"minority_class={minority_class!r} is not one of the classes in y: "
                f"{classes.tolist()}."
            )
        minority = int(matches[0])
    return classes, minority, y_index


def holdout_split(is_minority, fraction, min_minority, random_state):
    """Stratified hold-out: ``(train_rows, validation_rows)`` or None.

    ``fraction`` of each class (rounded, at least one majority sample) goes to
    validation; None when the minority's share would be under ``min_minority``
    or would leave no minority sample for training.
    """
    if fraction is None:
        return None
    minority_rows = np.flatnonzero(is_minority)
    majority_rows = np.flatnonzero(~is_minority)
    n_val_min = int(round(fraction * minority_rows.size))
    n_val_maj = max(int(round(fraction * majority_rows.size)), 1)
    if n_val_min < min_minority or n_val_min >= minority_rows.size:
        return None
    if n_val_maj >= majority_rows.size:
        return None
    minority_rows = random_state.permutation(minority_rows)
    majority_rows = random_state.permutation(majority_rows)
    validation = np.sort(np.concatenate([minority_rows[:n_val_min], majority_rows[:n_val_maj]]))
    train = np.sort(np.concatenate([minority_rows[n_val_min:], majority_rows[n_val_maj:]]))
    return train, validation


def check_validation_target(y_val, X_val, classes, minority_class):
    """Whether each validation sample is of the minority class; the labels must
    be known and both classes present."""
    y_val = column_or_1d(y_val, warn=True)
    check_consistent_length(X_val, y_val)
    unknown = np.setdiff1d(np.unique(y_val), classes)
    if unknown.size:
        raise ValueError(f"y_val has labels {unknown.tolist()} that y does not have.")
    is_minority = y_val == minority_class
    if is_minority.all() or not is_minority.any():
        raise ValueError("The validation data must contain samples of both classes.")
    return is_minority
