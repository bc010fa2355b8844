"""Mixed tables for PolarityGANSampler: numeric columns, categorical columns,
and the way back to the user's container and dtypes.

A :class:`MixedTable` splits the ``X`` given to ``fit_resample`` into a
float64 numeric matrix (what the convex weights combine) and one integer code
per categorical value (what the category rule draws). Its :class:`Layout`,
kept by the fitted sampler, turns synthetic numeric rows and codes back into
rows of the user's kind: a DataFrame with the same column names, order and
dtypes, an object array, or a list. Categorical values are taken from real
rows, so a synthetic ``category`` keeps its categories and their order, a
string stays a string, a bool a bool.

Missing categorical values (NaN, None, ``pd.NA``) are a category of their
own; missing numeric values are refused, as for numeric-only input.
"""

from dataclasses import dataclass, field

import numpy as np

from ._inputs import is_frame


@dataclass
class Layout:
    """How synthetic rows are given back: container, columns and dtypes.

    ``values[k]`` holds the values of the ``k``-th categorical column in code
    order (a pandas Series for DataFrames, so its dtype travels with it; an
    object array otherwise).
    """

    kind: str  # "frame", "array" or "list"
    n_features: int
    numeric: np.ndarray
    categorical: np.ndarray
    values: list
    numeric_dtypes: list = field(default_factory=list)
    columns: object = None
    array_dtype: object = object

    @property
    def n_categories(self):
        return [len(v) for v in self.values]

    def synthetic(self, numeric, codes):
        """New rows from numeric values ``(n, n_numeric)`` and category codes
        ``(n, n_categorical)``, in the input's kind."""
        if self.kind == "frame":
            import pandas as pd

            parts = {}
            for k, j in enumerate(self.numeric):
                parts[int(j)] = pd.Series(numeric[:, k]).astype(self.numeric_dtypes[k])
            for k, j in enumerate(self.categorical):
                parts[int(j)] = self.values[k].take(codes[:, k]).reset_index(drop=True)
            frame = pd.DataFrame({j: parts[j] for j in range(self.n_features)})
            frame.columns = self.columns
            return frame
        out = np.empty((numeric.shape[0], self.n_features), dtype=self.array_dtype)
        out[:, self.numeric] = numeric
        for k, j in enumerate(self.categorical):
            out[:, j] = self.values[k][codes[:, k]]
        return out.tolist() if self.kind == "list" else out

    def stack(self, originals, new):
        """The originals, then the new rows."""
        if self.kind == "frame":
            import pandas as pd

            return pd.concat([originals, new], ignore_index=True)
        if self.kind == "list":
            return originals + new
        return np.concatenate([originals, new])


class MixedTable:
    """``X`` split into numeric values and category codes (see the module).

    Parameters
    ----------
    X : DataFrame or 2-D ndarray
        As :func:`._inputs.two_dimensional` returns it.
    positions : ndarray of int
        The categorical columns, sorted.
    kind : {"frame", "array", "list"}
        The container the user passed.
    """

    def __init__(self, X, positions, kind):
        self.source = X
        n_features = X.shape[1]
        categorical = np.asarray(positions, dtype=np.int64)
        numeric = np.setdiff1d(np.arange(n_features), categorical)
        columns = [self._column(X, j) for j in range(n_features)]
        self.numeric = np.empty((X.shape[0], numeric.size), dtype=np.float64)
        for k, j in enumerate(numeric):
            self.numeric[:, k] = _numeric(columns[j], self._name(X, j))
        self.codes = np.empty((X.shape[0], categorical.size), dtype=np.int64)
        values = []
        for k, j in enumerate(categorical):
            self.codes[:, k], first = _codes(columns[j])
            if kind == "frame":
                values.append(columns[j].iloc[first].reset_index(drop=True))
            else:
                values.append(np.asarray(columns[j], dtype=object)[first])
        self.layout = Layout(kind, n_features, numeric, categorical, values)
        if kind == "frame":
            self.layout.columns = X.columns
            self.layout.numeric_dtypes = [_float_dtype(X.dtypes.iloc[j]) for j in numeric]
        elif X.dtype != object and X.dtype.kind in "biuf":
            self.layout.array_dtype = np.float32 if X.dtype == np.float32 else np.float64

    @staticmethod
    def _column(X, j):
        return X.iloc[:, j] if is_frame(X) else X[:, j]

    @staticmethod
    def _name(X, j):
        return f"Column {X.columns[j]!r}" if is_frame(X) else f"Column {j}"

    def originals(self):
        """The input rows in the output's form: numeric columns as floats."""
        layout = self.layout
        if layout.kind == "frame":
            frame = self.source.copy(deep=False)
            for j, dtype in zip(layout.numeric, layout.numeric_dtypes, strict=True):
                if frame.dtypes.iloc[j] != dtype:
                    frame.isetitem(int(j), frame.iloc[:, j].astype(dtype))
            return frame
        out = np.array(self.source, dtype=layout.array_dtype, copy=True)
        out[:, layout.numeric] = self.numeric.astype(
            np.float32 if layout.array_dtype == np.float32 else np.float64
        )
        return out.tolist() if layout.kind == "list" else out


def _float_dtype(dtype):
    """float32 and float64 stay; every other numeric column becomes float64."""
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float64)


def _numeric(column, name):
    """A column's values as finite float64, or a ValueError that says why not."""
    import pandas as pd

    dtype = getattr(column, "dtype", np.dtype(object))
    if isinstance(dtype, pd.CategoricalDtype):
        raise ValueError(
            f"{name} is categorical but not in categorical_features: list it there "
            "(or pass categorical_features='auto')."
        )
    if not (dtype.kind == "O" or pd.api.types.is_numeric_dtype(dtype)):
        raise ValueError(
            f"{name} has dtype {dtype}, which is not numeric: list it in "
            "categorical_features to treat it as categorical."
        )
    values = _to_float(column, name)
    if not np.all(np.isfinite(values)):
        kind = "NaN" if np.isnan(values).any() else "infinity"
        raise ValueError(
            f"Input X contains {kind} in numeric {name.lower()}: numeric values must be "
            "finite (missing values are only allowed in categorical columns)."
        )
    return values


def _to_float(column, name):
    try:
        if hasattr(column, "to_numpy"):
            return column.to_numpy(dtype=np.float64, na_value=np.nan)
        return np.asarray(column, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} holds values that are not numbers: list it in categorical_features "
            "to treat it as categorical."
        ) from None


def _codes(column):
    """Integer codes of a categorical column (missing values are one more
    code) and, for each code, the first row holding it."""
    import pandas as pd

    try:
        codes, uniques = pd.factorize(column, use_na_sentinel=True)
    except TypeError as error:
        raise TypeError(f"A categorical column holds unhashable values: {error}") from None
    codes = np.asarray(codes, dtype=np.int64)
    codes[codes < 0] = len(uniques)
    _, first = np.unique(codes, return_index=True)
    return codes, first
