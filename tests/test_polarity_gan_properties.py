"""Property-based tests of PolarityGANSampler.fit_resample over the inputs users pass.

Hypothesis draws the container (numpy array or pandas DataFrame), the column
dtypes, the column names, the label type, the class sizes (tiny classes
included), the magnitudes (huge, tiny, constant columns, NaN and inf) and the
``sampling_strategy`` form. Every successful call must satisfy the documented
contract; every failure must be a ValueError or TypeError raised by input
validation, never an error from inside torch.
"""

import traceback
import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from skimbgan import PolarityGANSampler

# Short training: these tests check the contract, not the quality.
TINY = dict(
    n_steps=2,
    pretrain_steps=1,
    batch_size=16,
    hidden_dims=(8,),
    noise_dim=4,
    device="cpu",
    random_state=0,
)
COLUMN_DTYPES = ["float64", "float32", "int64", "int32", "uint8", "bool"]
MAGNITUDES = ["unit", "huge", "tiny", "constant"]
STRATEGIES = [
    "auto",
    "minority",
    "not minority",
    "not majority",
    "all",
    "float",
    "dict",
    "callable",
]
Y_KINDS = ["int", "str", "list", "series", "categorical"]

PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _column(draw, dtype, magnitude, n_rows):
    """One column of ``dtype`` with values of the drawn magnitude."""
    if dtype == "bool":
        return np.array(draw(st.lists(st.booleans(), min_size=n_rows, max_size=n_rows)))
    if dtype.startswith(("int", "uint")):
        info = np.iinfo(dtype)
        high = {"unit": 10, "tiny": 1, "huge": int(info.max), "constant": 0}[magnitude]
        low = 0 if dtype.startswith("uint") else -high
        if magnitude == "constant":
            value = draw(st.integers(0 if dtype.startswith("uint") else -5, 5))
            return np.full(n_rows, value, dtype=dtype)
        values = draw(st.lists(st.integers(low, high), min_size=n_rows, max_size=n_rows))
        return np.array(values, dtype=dtype)
    finfo = np.finfo(dtype)
    if magnitude == "constant":
        return np.full(n_rows, draw(st.floats(-10, 10)), dtype=dtype)
    scale = {"unit": 1.0, "huge": float(finfo.max), "tiny": float(finfo.tiny) * 16}[magnitude]
    units = draw(st.lists(st.floats(-1, 1, allow_nan=False), min_size=n_rows, max_size=n_rows))
    return (np.array(units) * scale).astype(dtype)


@st.composite
def problems(draw):
    """X, y, sampling_strategy and what makes the input invalid (if anything)."""
    n_classes = draw(st.integers(1, 4))
    counts = draw(st.lists(st.integers(1, 12), min_size=n_classes, max_size=n_classes))
    n_rows = sum(counts)
    n_features = draw(st.integers(1, 4))
    container = draw(st.sampled_from(["numpy", "pandas"]))
    if container == "numpy":
        dtypes = [draw(st.sampled_from(COLUMN_DTYPES))] * n_features
    else:
        dtypes = draw(
            st.lists(st.sampled_from(COLUMN_DTYPES), min_size=n_features, max_size=n_features)
        )
    columns = [_column(draw, dtype, draw(st.sampled_from(MAGNITUDES)), n_rows) for dtype in dtypes]
    invalid = None
    bad_value = draw(st.sampled_from([None] * 6 + ["nan", "inf"]))
    if bad_value is not None:
        floating = [j for j, dtype in enumerate(dtypes) if dtype.startswith("float")]
        if floating:
            j = draw(st.sampled_from(floating))
            i = draw(st.integers(0, n_rows - 1))
            columns[j] = columns[j].copy()
            columns[j][i] = np.nan if bad_value == "nan" else -np.inf
            invalid = bad_value
    if container == "numpy":
        X = np.column_stack(columns).astype(dtypes[0])
    else:
        names = draw(st.sampled_from(["strings", "default", "mixed"]))
        if names == "strings":
            labels = [f"feature {j}" for j in range(n_features)]
        elif names == "default":
            labels = list(range(n_features))
        else:
            labels = [f"f{j}" if j % 2 else j for j in range(n_features)]
            if n_features > 1:
                invalid = invalid or "mixed column names"
        X = pd.DataFrame(dict(enumerate(columns)))
        X.columns = labels

    names = ["cat", "dog", "emu", "yak"] if draw(st.booleans()) else [3, 0, 7, 1]
    rows = np.repeat(np.arange(n_classes), counts)
    rows = rows[draw(st.permutations(range(n_rows)))]
    labels = np.array(names[:n_classes])[rows]
    y_kind = draw(st.sampled_from(Y_KINDS))
    if y_kind == "int":
        y = np.asarray(rows)
    elif y_kind == "str":
        y = labels.astype(str)
    elif y_kind == "list":
        y = labels.tolist()
    elif y_kind == "series":
        y = pd.Series(labels, name="target")
    else:
        y = pd.Series(pd.Categorical(labels), name="target")
    if n_classes < 2:
        invalid = invalid or "one class"

    strategy = draw(st.sampled_from(STRATEGIES))
    class_counts = Counter(np.asarray(y).tolist())
    if strategy == "float":
        if n_classes == 2:
            n_minority, n_majority = min(class_counts.values()), max(class_counts.values())
            strategy = draw(st.floats(n_minority / n_majority, 1.0))
            if int(n_majority * strategy - n_minority) <= 0:
                # imbalanced-learn refuses a ratio that asks for no new sample
                invalid = invalid or "float strategy that adds nothing"
        else:
            strategy = 0.5
            invalid = invalid or "float strategy with more than two classes"
    elif strategy == "dict":
        strategy = {label: count + draw(st.integers(0, 5)) for label, count in class_counts.items()}
    elif strategy == "callable":
        extra = draw(st.integers(0, 5))

        def strategy(target, extra=extra):
            return {label: count + extra for label, count in Counter(target).items()}

    return X, y, strategy, invalid


def _values(X):
    return X.to_numpy(dtype=np.float64) if isinstance(X, pd.DataFrame) else np.asarray(X)


def _expected_dtypes(X):
    """The documented rule: float32 and float64 stay, other numeric types become float64."""
    dtypes = list(X.dtypes) if isinstance(X, pd.DataFrame) else [X.dtype]
    return [d if d in (np.float32, np.float64) else np.dtype(np.float64) for d in dtypes]


def _hull_distance(points, members):
    """Largest distance (max-norm, per-column scaled units) from any of ``points``
    to the convex hull of ``members``, from one linear programme."""
    scale = np.abs(members).max(axis=0)
    scale[scale == 0] = 1.0
    A, P = members / scale, points / scale
    n_points, n_members, n_features = P.shape[0], A.shape[0], A.shape[1]
    # variables: one weight vector per point, then the bound t; minimise t
    n_vars = n_points * n_members + 1
    c = np.zeros(n_vars)
    c[-1] = 1.0
    combine = np.kron(np.eye(n_points), A.T)  # (n_points * n_features, n_weights)
    t = np.ones((n_points * n_features, 1))
    # |combine @ w - P| <= t, element by element
    A_ub = np.vstack([np.hstack([combine, -t]), np.hstack([-combine, -t])])
    b_ub = np.concatenate([P.ravel(), -P.ravel()])
    A_eq = np.hstack([np.kron(np.eye(n_points), np.ones(n_members)), np.zeros((n_points, 1))])
    result = linprog(
        c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=np.ones(n_points), bounds=(0, None), method="highs"
    )
    assert result.status == 0, result.message
    return result.fun


def _check_contract(sampler, X, y, X_res, y_res):
    y_arr = np.asarray(y)
    n = len(y_arr)
    wanted = sampler.sampling_strategy_
    # exact counts
    expected = Counter(y_arr.tolist())
    for label, n_new in wanted.items():
        expected[label] += n_new
    assert Counter(np.asarray(y_res).tolist()) == expected
    # output kinds and dtypes as documented
    if isinstance(X, pd.DataFrame):
        assert isinstance(X_res, pd.DataFrame)
        assert list(X_res.columns) == list(X.columns)
        assert list(X_res.dtypes) == _expected_dtypes(X)
    else:
        assert isinstance(X_res, np.ndarray)
        assert X_res.dtype == _expected_dtypes(X)[0]
    if isinstance(y, pd.Series):
        assert isinstance(y_res, pd.Series)
        assert y_res.name == y.name and y_res.dtype == y.dtype
    elif isinstance(y, list):
        assert isinstance(y_res, list)
    else:
        assert isinstance(y_res, np.ndarray) and y_res.dtype == y_arr.dtype
    # originals first and unchanged (integers compared as the float64 they become)
    values, res = _values(X).astype(np.float64), _values(X_res).astype(np.float64)
    assert res.shape == (len(np.asarray(y_res)), values.shape[1])
    np.testing.assert_array_equal(res[:n], values)
    np.testing.assert_array_equal(np.asarray(y_res)[:n], y_arr)
    # every synthetic row inside its own class's convex hull
    y_new = np.asarray(y_res)[n:]
    float32 = any(d == np.float32 for d in _expected_dtypes(X))
    tolerance = 1e-5 if float32 else 1e-8
    for label in np.unique(y_new):
        members = values[y_arr == label]
        points = res[n:][y_new == label]
        assert np.isfinite(points).all()
        assert _hull_distance(points, members) <= tolerance


def _raised_by_validation(error):
    """True when no frame of the traceback lies inside torch."""
    frames = traceback.extract_tb(error.__traceback__)
    return not any("/torch/" in frame.filename for frame in frames)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # sklearn sums huge values
@PROPERTY_SETTINGS
@given(problems())
def test_fit_resample_contract_on_drawn_inputs(problem):
    X, y, strategy, invalid = problem
    sampler = PolarityGANSampler(sampling_strategy=strategy, **TINY)
    try:
        with warnings.catch_warnings():
            # single-sample classes warn that their samples are copies
            warnings.simplefilter("ignore", UserWarning)
            X_res, y_res = sampler.fit_resample(X, y)
    except (ValueError, TypeError) as error:
        assert _raised_by_validation(error), "".join(traceback.format_exception(error))
        assert invalid is not None, f"valid input refused: {error!r}"
        return
    assert invalid is None, f"invalid input ({invalid}) accepted"
    _check_contract(sampler, X, y, X_res, y_res)


@pytest.mark.parametrize("dtype", ["int64", "int8", "uint16", "bool", "Int64", "boolean"])
def test_integer_and_boolean_frames_come_back_as_float64(dtype):
    """The reported bug: integer DataFrame columns truncated synthetic values."""
    rng = np.random.RandomState(0)
    values = rng.randint(0, 2, (40, 3)) if "bool" in dtype else rng.randint(0, 50, (40, 3))
    X = pd.DataFrame(values, columns=["a", "b", "c"]).astype(dtype)
    X["d"] = rng.normal(size=40).astype(np.float32)
    y = np.r_[np.zeros(32), np.ones(8)].astype(int)
    X_res, _ = PolarityGANSampler(**TINY).fit_resample(X, y)
    assert list(X_res.dtypes) == [np.float64] * 3 + [np.float32]
    new = X_res.iloc[40:, :3].to_numpy()
    assert not np.all(new == np.round(new)), "synthetic values were rounded"
    assert (
        _hull_distance(X_res.iloc[40:].to_numpy(np.float64), X[y == 1].to_numpy(np.float64)) <= 1e-5
    )


def test_categorical_columns_are_refused():
    X = pd.DataFrame({"a": pd.Categorical([1, 2, 3, 1, 2, 3]), "b": np.arange(6.0)})
    with pytest.raises(ValueError, match="categorical"):
        PolarityGANSampler(**TINY).fit_resample(X, [0, 0, 0, 0, 1, 1])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # sklearn sums huge values
def test_values_near_the_largest_float_stay_finite():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, (30, 2)) * np.finfo(np.float64).max
    y = np.r_[np.zeros(24), np.ones(6)].astype(int)
    X_res, _ = PolarityGANSampler(**TINY).fit_resample(X, y)
    assert np.isfinite(X_res).all()
    np.testing.assert_array_equal(X_res[:30], X)
    assert _hull_distance(X_res[30:], X[y == 1]) <= 1e-8
