"""Mixed tables: what each method gets inside the training folds.

A data set whose features are not a complete float matrix (categorical,
string or ``bool`` columns, or missing values) is held as a DataFrame whose
categorical columns have the ``category`` dtype (string categories) and whose
numeric columns are float64. Every method's pipeline then starts with
:func:`prepare`: missing numeric values are replaced by the median of the
training fold, numeric columns are standardised, categorical columns pass
through as they are (a missing category became the category
:data:`MISSING` when the data were loaded: a constant, so nothing is learnt
from other rows). What follows depends on the method and the classifier:

- ``random``, ``smote`` and ``polarity`` resample the raw rows: random
  over-sampling copies rows; ``smote`` is imbalanced-learn's ``SMOTENC``
  (``SMOTEN`` on a table without numeric columns); ``polarity`` is
  :class:`~skimbgan.PolarityGANSampler` with ``categorical_features="auto"``.
- ``borderline``, ``adasyn``, ``random`` with ``shrinkage`` (noise added to
  numbers) and ``polarity:categorical_features=None`` resample the one-hot
  encoded columns.
- lr, rf, the ensembles and egan see the one-hot encoded columns
  (``OneHotEncoder(handle_unknown="ignore")``, numeric columns standardised);
  hgb sees ordinal codes with its ``categorical_features`` mask (native
  categorical splits), unless the sampler ran on one-hot columns, whose
  output it then takes as numbers.

A complete numeric table stays a float matrix and none of this applies: its
pipelines and cache keys are those of a numeric benchmark. A numeric table with
missing values gets the median imputation in front of its usual pipeline.
"""

from dataclasses import dataclass

import numpy as np

#: The category a missing categorical value becomes.
MISSING = "(missing)"
#: Part of the cache key of every run on a mixed table: a change to the
#: pipelines below changes it.
PIPELINE_VERSION = "mixed-1: median imputation; one-hot, or ordinal codes for hgb; SMOTENC"
#: hgb's largest number of categories per column (its ``max_bins``): rarer
#: categories beyond it are grouped into one.
HGB_MAX_CATEGORIES = 255


@dataclass(frozen=True)
class Columns:
    """The columns of a table that is not a complete float matrix."""

    numeric: tuple
    categorical: tuple

    @property
    def mixed(self):
        return bool(self.categorical)


def columns_of(X):
    """The :class:`Columns` of a DataFrame (categorical: its ``category``
    columns); None for an array: the numeric benchmark, unchanged."""
    if not hasattr(X, "dtypes"):
        return None
    import pandas as pd

    categorical = tuple(c for c in X.columns if isinstance(X[c].dtype, pd.CategoricalDtype))
    numeric = tuple(c for c in X.columns if c not in categorical)
    return Columns(numeric, categorical)


def rows(X, index):
    """The rows ``index`` of an array or a DataFrame."""
    return X.iloc[index] if hasattr(X, "iloc") else X[index]


def sampler_space(method):
    """``"raw"`` when the method's sampler resamples the mixed rows,
    ``"encoded"`` when it resamples the one-hot encoded columns (the
    registry's ``encoded``)."""
    return "encoded" if method.entry.encoded(method.params) else "raw"


def sampler_class(base, columns, params, space):
    """``(module, class name, extra parameters)`` of a sampler on a mixed
    table (the registry's ``on_mixed``), or None to keep the method's own."""
    from ._registry import REGISTRY

    entry = REGISTRY[base]
    if space == "encoded" or entry.on_mixed is None:
        return None
    return entry.on_mixed(columns, params)


def prepare(columns):
    """Median imputation and standardisation of the numeric columns; the
    categorical ones pass through; a DataFrame comes out."""
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    transformer = ColumnTransformer(
        [
            ("numeric", numeric, list(columns.numeric)),
            ("categorical", "passthrough", list(columns.categorical)),
        ],
        verbose_feature_names_out=False,
    )
    return transformer.set_output(transform="pandas")


def one_hot(columns):
    """Numeric columns as they are, then the one-hot encoded categories."""
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OneHotEncoder

    encoder = OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    return ColumnTransformer(
        [
            ("numeric", "passthrough", list(columns.numeric)),
            ("categorical", encoder, list(columns.categorical)),
        ]
    )


def ordinal(columns):
    """Numeric columns as they are, then each categorical column as codes
    0, 1, ...; a category unseen in training becomes NaN (hgb's missing)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import OrdinalEncoder

    encoder = OrdinalEncoder(
        handle_unknown="use_encoded_value",
        unknown_value=np.nan,
        max_categories=HGB_MAX_CATEGORIES,
    )
    return ColumnTransformer(
        [
            ("numeric", "passthrough", list(columns.numeric)),
            ("categorical", encoder, list(columns.categorical)),
        ]
    )


def steps(method, classifier, columns, sampler):
    """The steps before the final estimator on a mixed table, and hgb's
    ``categorical_features`` mask (None when it sees no ordinal codes)."""
    space = sampler_space(method)
    out = [prepare(columns)]
    if sampler is not None and space == "raw":
        out.append(sampler)
    encoded_sampler = sampler is not None and space == "encoded"
    mask = None
    if classifier == "hgb" and not method.own_classifier and not encoded_sampler:
        out.append(ordinal(columns))
        mask = [False] * len(columns.numeric) + [True] * len(columns.categorical)
    else:
        out.append(one_hot(columns))
    if encoded_sampler:
        out.append(sampler)
    return out, mask


def describe_pipelines():
    """One sentence for the summary of a benchmark with mixed tables."""
    return (
        "Mixed tables: inside each training fold, missing numeric values get the fold's "
        "median and numeric columns are standardised; lr, rf, the ensembles and egan see "
        "one-hot encoded categories, hgb its native categorical splits (ordinal codes); smote "
        "is SMOTENC (SMOTEN without numeric columns), random over-sampling and polarity "
        "(categorical_features='auto') resample the raw rows, borderline, adasyn and "
        "polarity:categorical_features=None the one-hot encoded columns."
    )
