"""Input handling of PolarityGANSampler shared by its fit and generate paths."""

import warnings

import numpy as np


def float_frame(X):
    """A pandas DataFrame with its integer and boolean columns as float64.

    imbalanced-learn casts a resampled DataFrame back to the input's column
    dtypes, which would truncate synthetic values in integer columns (and push
    them out of the convex hull). Other inputs are returned unchanged; the
    usual validation then converts them.
    """
    if not (hasattr(X, "dtypes") and hasattr(X, "columns") and hasattr(X, "astype")):
        return X
    import pandas as pd

    if not isinstance(X, pd.DataFrame):
        return X
    to_float = []
    for position, (column, dtype) in enumerate(X.dtypes.items()):
        if isinstance(dtype, pd.CategoricalDtype):
            raise ValueError(
                f"Column {column!r} is categorical: PolarityGANSampler makes convex "
                "combinations of numeric features, which a category is not. Encode it "
                "(e.g. one-hot) or use imbalanced-learn's SMOTENC for mixed data."
            )
        if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
            to_float.append(position)
    if not to_float:
        return X
    X = X.copy(deep=False)
    for position in to_float:
        # by position: column names need not be unique; nullable missing
        # values become NaN and are refused by the validation that follows
        X.isetitem(position, X.iloc[:, position].astype(np.float64))
    return X


def power_of_two_units(X):
    """A power of two per column that brings every value into [-2, 2].

    Dividing by a power of two is exact (no rounding), so statistics and
    convex combinations computed in these units and multiplied back are the
    same numbers, and they cannot overflow, even for values near the largest
    float. A column of zeros gets 0.5.
    """
    max_abs = np.abs(X).max(axis=0).astype(np.float64)
    return np.ldexp(1.0, np.frexp(max_abs)[1] - 1)


def scaling(X):
    """``(unit, mean, scale)``: the networks see ``(X / unit - mean) / scale``.

    ``unit`` is :func:`power_of_two_units`; ``mean`` and ``scale`` are the
    column means and standard deviations in those units (1 for constant
    columns).
    """
    unit = power_of_two_units(X)
    X_unit = X / unit
    scale = X_unit.std(axis=0)
    scale[scale < 10 * np.finfo(np.float64).eps] = 1.0
    return unit, X_unit.mean(axis=0), scale


def choose_anchors(classes, y_index, counts, max_anchors, random_state):
    """For each class, the rows whose convex combinations make its samples.

    A uniform random subset of ``max_anchors`` rows when the class is larger.
    Warns when a class to be generated has a single sample (its synthetic
    samples can only be copies of it).
    """
    anchors = {}
    for k, label in enumerate(classes):
        rows = np.flatnonzero(y_index == k)
        if rows.shape[0] > max_anchors:
            rows = np.sort(random_state.choice(rows, max_anchors, replace=False))
        anchors[label] = rows
        if counts[k] > 0 and rows.shape[0] == 1:
            warnings.warn(
                f"Class {label!r} has a single sample, which is its whole convex "
                f"hull: its {counts[k]} synthetic samples are copies of it.",
                UserWarning,
                stacklevel=7,  # the caller of fit_resample
            )
    return anchors
