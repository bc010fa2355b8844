"""Input handling of PolarityGANSampler shared by its fit and generate paths."""

import numbers

import numpy as np


def is_frame(X):
    """Whether ``X`` is a pandas DataFrame (without importing pandas for arrays)."""
    if not (hasattr(X, "dtypes") and hasattr(X, "columns") and hasattr(X, "iloc")):
        return False
    import pandas as pd

    return isinstance(X, pd.DataFrame)


def float_frame(X):
    """A pandas DataFrame with its integer and boolean columns as float64.

    imbalanced-learn casts a resampled DataFrame back to the input's column
    dtypes, which would truncate synthetic values in integer columns (and push
    them out of the convex hull). Other inputs are returned unchanged; the
    usual validation then converts them.
    """
    if not is_frame(X):
        return X
    import pandas as pd

    to_float = []
    for position, (column, dtype) in enumerate(X.dtypes.items()):
        if isinstance(dtype, pd.CategoricalDtype):
            raise ValueError(
                f"Column {column!r} is categorical: PolarityGANSampler makes convex "
                "combinations of numeric features, which a category is not. Pass "
                "categorical_features='auto' (or the categorical columns' names) to "
                "draw categories from the combined samples instead."
            )
        if pd.api.types.is_bool_dtype(dtype) or pd.api.types.is_integer_dtype(dtype):
            to_float.append(position)
    return as_float64(X, to_float)


def as_float64(frame, positions):
    """``frame`` with the columns at ``positions`` cast to float64 (a shallow copy)."""
    if not len(positions):
        return frame
    frame = frame.copy(deep=False)
    for position in positions:
        # by position: column names need not be unique; nullable missing
        # values become NaN and are refused by the validation that follows
        frame.isetitem(position, frame.iloc[:, position].astype(np.float64))
    return frame


def is_auto_categorical(dtype):
    """The dtypes ``categorical_features='auto'`` takes as categorical:
    pandas ``category``, ``object``, strings and booleans."""
    import pandas as pd

    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or pd.api.types.is_bool_dtype(dtype)
    )


def input_kind(X):
    """``"frame"``, ``"array"`` or ``"list"``: the container output is given in."""
    if is_frame(X):
        return "frame"
    return "array" if isinstance(X, np.ndarray) else "list"


def two_dimensional(X):
    """``X`` itself when it is a DataFrame or a 2-D ndarray; lists become
    object arrays (so numbers and strings keep their types)."""
    if hasattr(X, "tocsr") or hasattr(X, "sparse"):
        raise TypeError("PolarityGANSampler does not take sparse input with categorical features.")
    if not is_frame(X):
        if not isinstance(X, np.ndarray) or X.dtype.kind in "USV":
            X = np.array(X, dtype=object)
        if X.ndim != 2:
            raise ValueError(f"Expected a 2-D X, got an array of shape {X.shape}.")
    return X


def categorical_positions(X, spec):
    """Sorted positions of the columns of ``X`` that ``spec`` names categorical.

    ``spec`` is ``'auto'`` (a DataFrame's category, object, string and bool
    columns), column indices (negative ones count from the end), column names
    of a DataFrame, or a boolean mask with one entry per column.
    """
    n_features = X.shape[1]
    if isinstance(spec, str):
        if spec != "auto":
            raise ValueError(f"categorical_features must be 'auto', not {spec!r}.")
        if not is_frame(X):
            raise ValueError(
                "categorical_features='auto' reads the column dtypes of a pandas "
                "DataFrame; for an array, pass the categorical columns' indices or a "
                "boolean mask."
            )
        return np.flatnonzero([is_auto_categorical(dtype) for dtype in X.dtypes])
    spec = list(spec)
    if not spec:
        return np.empty(0, dtype=np.int64)
    if all(isinstance(s, bool | np.bool_) for s in spec):
        if len(spec) != n_features:
            raise ValueError(
                f"A boolean categorical_features mask needs one entry per column: "
                f"got {len(spec)} entries for {n_features} columns."
            )
        return np.flatnonzero(spec)
    if all(isinstance(s, numbers.Integral) and not isinstance(s, bool | np.bool_) for s in spec):
        bad = [int(s) for s in spec if not -n_features <= s < n_features]
        if bad:
            raise ValueError(
                f"categorical_features holds column indices {bad} outside the "
                f"{n_features} columns of X."
            )
        positions = np.array([int(s) % n_features for s in spec], dtype=np.int64)
    elif all(isinstance(s, str) for s in spec):
        positions = np.array(_named_positions(X, spec), dtype=np.int64)
    else:
        raise TypeError(
            "categorical_features must be 'auto', column indices, column names or a "
            f"boolean mask; got {spec!r}."
        )
    if np.unique(positions).size != positions.size:
        raise ValueError(f"categorical_features names a column twice: {spec!r}.")
    return np.sort(positions)


def _named_positions(X, names):
    if not is_frame(X):
        raise ValueError(
            "categorical_features holds column names, which only a pandas DataFrame "
            "has; for an array, pass column indices or a boolean mask."
        )
    columns = list(X.columns)
    positions = []
    for name in names:
        found = [j for j, column in enumerate(columns) if column == name]
        if not found:
            raise ValueError(f"categorical_features names a column {name!r} that X does not have.")
        if len(found) > 1:
            raise ValueError(f"Column name {name!r} is not unique in X.")
        positions.append(found[0])
    return positions
