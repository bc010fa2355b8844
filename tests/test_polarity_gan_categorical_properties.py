"""Property-based tests of PolarityGANSampler on mixed tables.

Hypothesis draws pandas DataFrames and numpy object arrays with numeric,
``category``, object, string and boolean columns, rare categories, classes
whose rows all share a category, one-sample classes, missing categorical
values (a category of their own) and missing numeric values (refused), and
``categorical_features`` in each of its forms. Every success must keep the
documented contract; every failure must be a ValueError or TypeError from
input validation, never an error from inside torch.
"""

import math
import traceback
import warnings
from collections import Counter

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from skimbgan import PolarityGANSampler

from .test_polarity_gan_properties import _hull_distance

TINY = dict(
    n_steps=2,
    pretrain_steps=1,
    batch_size=16,
    hidden_dims=(8,),
    noise_dim=4,
    device="cpu",
    random_state=0,
)
KINDS = ["category", "float", "object", "string", "bool", "int", "float32"]
CATEGORICAL = {"category", "object", "string", "bool"}
SETTINGS = settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _key(value):
    """A value compared with missing values equal to each other."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "<missing>"
    return value


def _categorical_column(draw, kind, labels):
    """Values drawn from a small pool with a rare value, or one value per class."""
    n = len(labels)
    pool = ["red", "green", "blue"] if kind != "bool" else [True, False]
    shape = draw(st.sampled_from(["free", "rare", "per class"]))
    if shape == "per class":
        by_class = {k: draw(st.sampled_from(pool)) for k in set(labels)}
        values = [by_class[k] for k in labels]
    else:
        values = draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
        if shape == "rare" and kind != "bool":
            values[draw(st.integers(0, n - 1))] = "rare"
    if kind != "bool" and draw(st.booleans()):
        i = draw(st.integers(0, n - 1))
        values[i] = None if kind == "object" else np.nan
    if kind == "category":
        return pd.Categorical(values, categories=["blue", "green", "red", "rare", "unused"])
    if kind == "string":
        return pd.array(values, dtype="string")
    if kind == "object":
        return pd.Series(values, dtype=object)
    return np.array(values, dtype=bool)


@st.composite
def problems(draw):
    n_classes = draw(st.sampled_from([2, 3, 2, 3, 2, 1]))
    counts = draw(st.lists(st.integers(1, 10), min_size=n_classes, max_size=n_classes))
    labels = np.repeat(np.arange(n_classes), counts)
    labels = labels[draw(st.permutations(range(labels.size)))]
    n = labels.size
    kinds = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=4))
    invalid = None
    columns = []
    for kind in kinds:
        if kind in CATEGORICAL:
            columns.append(_categorical_column(draw, kind, labels))
        elif kind == "int":
            columns.append(np.array(draw(st.lists(st.integers(-50, 50), min_size=n, max_size=n))))
        else:
            floats = st.floats(-1e3, 1e3, allow_nan=False, width=32 if kind == "float32" else 64)
            values = np.array(draw(st.lists(floats, min_size=n, max_size=n)))
            if draw(st.integers(0, 19)) == 13:  # hypothesis favours 0
                values[draw(st.integers(0, n - 1))] = np.nan
                invalid = "missing numeric value"
            columns.append(values.astype(np.float32 if kind == "float32" else np.float64))
    names = [f"c{j}" for j in range(len(kinds))]
    X = pd.DataFrame(dict(zip(names, columns, strict=True)))
    # bool columns are categorical under 'auto'; listed explicitly, sometimes numeric
    categorical = [j for j, kind in enumerate(kinds) if kind in CATEGORICAL - {"bool"}]
    for j, kind in enumerate(kinds):
        if kind == "bool" and draw(st.booleans()):
            categorical.append(j)
    categorical.sort()
    container = draw(st.sampled_from(["pandas", "numpy"]))
    forms = ["auto", "names"] * 3 if container == "pandas" else []
    form = draw(st.sampled_from([*forms, "indices", "mask"] * 3 + ["auto", "names", "unknown"]))
    if form == "auto":
        spec = "auto"
        categorical = [j for j, kind in enumerate(kinds) if kind in CATEGORICAL]
        if container == "numpy":
            invalid = invalid or "'auto' on an array"
    elif form == "indices":
        spec = categorical
    elif form == "names":
        spec = [names[j] for j in categorical]
        if container == "numpy" and categorical:
            invalid = invalid or "names on an array"
    elif form == "mask":
        spec = [j in categorical for j in range(len(kinds))]
    else:
        spec = [*categorical, len(kinds) + 1]
        invalid = invalid or "unknown column"
    if container == "numpy":
        X = X.to_numpy(dtype=object)
    y = labels if draw(st.booleans()) else np.array(["cat", "dog", "emu"])[labels]
    if n_classes < 2:
        invalid = invalid or "one class"
    strategy = draw(st.sampled_from(["auto", "all", "dict"]))
    if strategy == "dict":
        strategy = {label: c + draw(st.integers(0, 4)) for label, c in Counter(y.tolist()).items()}
    return X, y, spec, categorical, strategy, invalid


def _columns(X):
    if isinstance(X, pd.DataFrame):
        return [X.iloc[:, j].tolist() for j in range(X.shape[1])]
    return [list(X[:, j]) for j in range(X.shape[1])]


def _check_contract(sampler, X, y, categorical, X_res, y_res):
    n = len(y)
    expected = Counter(y.tolist())
    for label, n_new in sampler.sampling_strategy_.items():
        expected[label] += n_new
    assert Counter(np.asarray(y_res).tolist()) == expected
    assert len(X_res) == len(y_res)
    numeric = [j for j in range(X.shape[1]) if j not in categorical]
    np.testing.assert_array_equal(sampler.categorical_features_, categorical)
    if isinstance(X, pd.DataFrame):
        assert isinstance(X_res, pd.DataFrame)
        assert list(X_res.columns) == list(X.columns)
        for j in range(X.shape[1]):
            before, after = X.dtypes.iloc[j], X_res.dtypes.iloc[j]
            if j in categorical:
                assert after == before  # a category dtype compares its categories too
            else:
                assert after == (before if before == np.float32 else np.float64)
        assert X_res.index.equals(pd.RangeIndex(len(X_res)))
    elif not categorical:  # no categorical column: the numeric path, float64 out
        assert isinstance(X_res, np.ndarray) and X_res.dtype == np.float64
    else:
        assert isinstance(X_res, np.ndarray) and X_res.dtype == object
        assert all(isinstance(v, float) for j in numeric for v in X_res[:, j])
    # the originals come first and unchanged
    np.testing.assert_array_equal(np.asarray(y_res)[:n], y)
    before, after = _columns(X), _columns(X_res)
    for j in range(X.shape[1]):
        if j in categorical:
            assert [_key(v) for v in after[j][:n]] == [_key(v) for v in before[j]]
        else:
            np.testing.assert_array_equal(
                np.asarray(after[j][:n], float), np.asarray(before[j], float)
            )
    # numeric part in the class's hull; every category exists in its class
    y_new = np.asarray(y_res)[n:]
    values = np.array([before[j] for j in numeric], dtype=float).reshape(len(numeric), n).T
    new = np.array([after[j][n:] for j in numeric], dtype=float).reshape(len(numeric), y_new.size).T
    float32 = isinstance(X_res, pd.DataFrame) and np.float32 in list(X_res.dtypes)
    tolerance = 1e-5 if float32 else 1e-8
    for label in np.unique(y_new):
        if numeric:
            assert _hull_distance(new[y_new == label], values[y == label]) <= tolerance
        for j in categorical:
            seen = {_key(v) for v, k in zip(before[j], y, strict=True) if k == label}
            drawn = {_key(v) for v, k in zip(after[j][n:], y_new, strict=True) if k == label}
            assert drawn <= seen


def _check_generate(sampler, X, y, categorical):
    """generate(return_weights=True): numeric part = weights @ rows, every
    category from a row the sample combines with positive weight."""
    if sampler.generator_ is None:
        return
    wanted = {label: 3 for label, n in sampler.sampling_strategy_.items() if n > 0}
    X_new, y_new, weights, rows = sampler.generate(wanted, random_state=1, return_weights=True)
    assert len(X_new) == sum(wanted.values())
    if categorical:  # without categorical columns, generate returns an array as before
        assert type(X_new) is type(X)
    assert np.all(weights >= 0) and np.allclose(weights.sum(1), 1)
    assert all(np.all(y[r] == label) for r, label in zip(rows, y_new, strict=True))
    before, after = _columns(X), _columns(X_new)
    for j in range(X.shape[1]):
        if j in categorical:
            for i, value in enumerate(after[j]):
                sources = {
                    _key(before[j][r]) for r, w in zip(rows[i], weights[i], strict=True) if w > 0
                }
                assert _key(value) in sources
        else:
            column = np.asarray(before[j], dtype=float)
            rebuilt = np.einsum("nc,nc->n", weights, column[rows])
            np.testing.assert_allclose(np.asarray(after[j], float), rebuilt, rtol=1e-5, atol=1e-6)


def _raised_by_validation(error):
    frames = traceback.extract_tb(error.__traceback__)
    return not any("/torch/" in frame.filename for frame in frames)


@SETTINGS
@given(problems())
def test_mixed_tables_keep_the_contract(problem):
    X, y, spec, categorical, strategy, invalid = problem
    sampler = PolarityGANSampler(categorical_features=spec, sampling_strategy=strategy, **TINY)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # one-sample classes
            X_res, y_res = sampler.fit_resample(X, y)
    except (ValueError, TypeError) as error:
        assert _raised_by_validation(error), "".join(traceback.format_exception(error))
        assert invalid is not None, f"valid input refused: {error!r}"
        event(f"refused: {invalid}")
        return
    assert invalid is None, f"invalid input ({invalid}) accepted"
    event("resampled, categorical" if categorical else "resampled, numeric only")
    _check_contract(sampler, X, y, categorical, X_res, y_res)
    _check_generate(sampler, X, y, categorical)
