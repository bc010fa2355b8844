"""Input handling of PolarityGANSampler shared by its fit and generate paths."""

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
