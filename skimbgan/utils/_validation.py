"""Targets, validation data and hold-out splits shared by the estimators."""

import numpy as np
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import _check_sample_weight, check_consistent_length, column_or_1d

from ._warnings import warn


def check_label_types(y):
    """Refuse an object array (or Series) of labels that mixes strings with
    other types (``np.array([1, "a"], dtype=object)``): such labels cannot be
    sorted into classes, and scikit-learn's own message for them ("Unknown
    label type: unknown ... regression target") points elsewhere. A list is
    left to numpy, which makes every label a string, as scikit-learn does."""
    dtype = getattr(y, "dtype", None)
    if dtype is None or getattr(dtype, "kind", None) != "O":
        return
    values = np.asarray(y, dtype=object).ravel()
    strings = np.fromiter((isinstance(v, str) for v in values), bool, values.size)
    if strings.any() and not strings.all():
        kinds = sorted({type(v).__name__ for v in values})
        raise ValueError(
            f"y mixes labels of different types ({', '.join(kinds)}): every class label "
            "must be of one type, for example all strings (y.astype(str)) or all numbers."
        )


def check_sample_weight(sample_weight, n_samples):
    """``sample_weight`` as a float64 array of ``n_samples`` finite weights
    ``>= 0``, not all zero (a scalar is every row's weight); None stays None.
    Clear errors otherwise (scikit-learn's own checks)."""
    if sample_weight is None:
        return None
    return _check_sample_weight(
        sample_weight, np.empty((n_samples, 0)), dtype=np.float64, ensure_non_negative=True
    )


def weighted_rows(weight):
    """``(rows, weights)`` of a fit with ``weight`` (checked by
    :func:`check_sample_weight`): the rows of positive weight, which are all
    that training sees (a row of weight 0 is as if dropped), and their weights,
    or None where there are no weights or they are all equal (equal weights
    train as no weights).

    Only ratios of weights matter to a fit, so the weights come back divided
    by the largest, and no smaller than float32's smallest normal number: the
    networks' float32 draws and losses then neither overflow (weights near
    1e308) nor see a positive weight as 0 (weights near 1e-300)."""
    if weight is None:
        return None, None
    rows = np.flatnonzero(weight > 0)
    kept = weight[rows]
    if kept.min() == kept.max():
        return rows, None
    return rows, np.maximum(kept / kept.max(), np.finfo(np.float32).tiny)


def check_labels(y, n_samples):
    """``y`` as a 1-D array of classification labels for ``n_samples`` rows."""
    check_label_types(y)
    y = column_or_1d(y, warn=True)
    check_consistent_length(np.empty(n_samples), y)
    check_classification_targets(y)
    return y


def check_binary_target(y, minority_class, name):
    """Classes, index of the minority class, and ``y`` as class indices.

    Raises a ValueError naming the estimator ``name`` for anything but exactly
    two classes, and when ``minority_class`` names a class that is not in ``y``.
    """
    check_label_types(y)
    check_classification_targets(y)
    classes, y_index = np.unique(y, return_inverse=True)
    if classes.shape[0] < 2:
        raise ValueError(
            f"{name} needs samples of two classes; y has only 1 class ({classes[0]!r})."
        )
    if classes.shape[0] > 2 or type_of_target(y) != "binary":
        raise ValueError(
            f"Only binary classification is supported: {name} learns one "
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


def check_validation_data(X_val, y_val, classes, check_X):
    """``(X_val, y_val as indices into classes)``, or ``(None, None)``.

    Both or neither must be given; ``check_X`` validates ``X_val`` against
    the fitted input (shape, dtype); every label of ``y_val`` must be one of
    ``classes``, compared with the same type (``1`` and ``"1"`` differ).
    """
    if (X_val is None) != (y_val is None):
        raise ValueError("Pass both X_val and y_val, or neither.")
    if X_val is None:
        return None, None
    X_val = check_X(X_val)
    y_val = check_labels(y_val, len(X_val))
    known = set(classes.tolist())
    seen = list(dict.fromkeys(y_val.tolist()))
    unknown = [label for label in seen if label not in known]
    if unknown or _kind(y_val) != _kind(classes):
        shown = unknown or seen
        raise ValueError(
            f"y_val has labels {shown[:10]!r} that y does not have; the classes of y "
            f"are {classes.tolist()!r}."
        )
    return X_val, np.searchsorted(classes, y_val)


def _kind(labels):
    """Whether labels are strings or numbers (``np.unique`` cannot sort a mix)."""
    return "str" if labels.dtype.kind in "OUS" and isinstance(labels.flat[0], str) else "number"


def holdout_sizes(counts, fraction):
    """Validation images per class: ``fraction`` of each class, rounded, at
    least one of every class with two or more, never a class's last one."""
    counts = np.asarray(counts)
    return np.minimum(np.maximum(np.rint(fraction * counts).astype(np.int64), 1), counts - 1)


def stratified_holdout(y_index, fraction, random_state, order=None):
    """``(train_rows, validation_rows)``, both sorted.

    Each class's rows are permuted by ``random_state`` (class by class, in
    ``order``, by default the class indices' order) and the first
    :func:`holdout_sizes` of them are held out.
    """
    classes = np.unique(y_index) if order is None else order
    train, validation = [], []
    for k in classes:
        rows = random_state.permutation(np.flatnonzero(y_index == k))
        n_val = holdout_sizes([rows.size], fraction)[0]
        validation.append(rows[:n_val])
        train.append(rows[n_val:])
    return np.sort(np.concatenate(train)), np.sort(np.concatenate(validation))


def binary_holdout(is_minority, fraction, min_minority, random_state):
    """Stratified hold-out for a minority against a majority, or None.

    None when ``fraction`` is None, when the held-out minority (``fraction``
    of it, rounded) would be under ``min_minority`` or would leave no minority
    sample for training, or when no majority sample would be left.
    """
    if fraction is None:
        return None
    n_minority = int(is_minority.sum())
    n_majority = is_minority.size - n_minority
    n_val_min = int(round(fraction * n_minority))
    if n_val_min < min_minority or n_val_min >= n_minority:
        return None
    if max(int(round(fraction * n_majority)), 1) >= n_majority:
        return None
    y_index = (~is_minority).astype(np.int64)  # the minority is class 0, permuted first
    return stratified_holdout(y_index, fraction, random_state, order=(0, 1))


def warn_single_sample_classes(classes, anchors, counts):
    """Warn for each class to be generated whose hull is a single sample.

    ``anchors[k]`` are the rows of class ``classes[k]``, ``counts[k]`` how many
    synthetic samples it gets; the warning names the label.
    """
    for label, rows, count in zip(classes, anchors, counts, strict=True):
        if count > 0 and len(rows) == 1:
            warn(
                f"Class {label!r} has a single sample, which is its whole convex "
                f"hull: its {count} synthetic samples are copies of it."
            )
