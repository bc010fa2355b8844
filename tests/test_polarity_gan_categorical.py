"""PolarityGANSampler with categorical features: the forms of
``categorical_features``, what is refused, the encoding's size, the category
rule's frequencies, pipelines, and that ``None`` changes nothing."""

import hashlib
import warnings

import numpy as np
import pandas as pd
import pytest
from imblearn.pipeline import make_pipeline
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skimbgan import PolarityGANSampler
from skimbgan.over_sampling._categories import EMBEDDING_DIM, CategoryEncoding, draw_categories

TINY = dict(
    n_steps=2,
    pretrain_steps=1,
    batch_size=16,
    hidden_dims=(8,),
    noise_dim=4,
    device="cpu",
    random_state=0,
)


def _table(n=60, seed=0):
    rng = np.random.RandomState(seed)
    X = pd.DataFrame(
        {
            "age": rng.normal(40, 10, n),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
            "visits": rng.randint(0, 20, n),
            "city": pd.Series(rng.choice(["Oslo", "Lima", None], n), dtype=object),
            "member": rng.rand(n) > 0.5,
        }
    )
    y = np.r_[np.zeros(n - 12), np.ones(12)].astype(int)
    return X, y


def _digest(X, y):
    h = hashlib.sha256()
    h.update(pd.util.hash_pandas_object(X, index=False).to_numpy().tobytes())
    h.update(np.asarray(y).tobytes())
    return h.hexdigest()


@pytest.mark.parametrize(
    "spec",
    [
        "auto",
        [1, 3, 4],
        [-4, -2, -1],
        ["colour", "city", "member"],
        [False, True, False, True, True],
        np.array([False, True, False, True, True]),
    ],
)
def test_every_form_of_categorical_features_names_the_same_columns(spec):
    X, y = _table()
    reference = PolarityGANSampler(categorical_features="auto", **TINY).fit_resample(X, y)
    sampler = PolarityGANSampler(categorical_features=spec, **TINY)
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(sampler.categorical_features_, [1, 3, 4])
    assert _digest(X_res, y_res) == _digest(*reference)
    assert list(X_res.dtypes) == [np.float64, X.colour.dtype, np.float64, object, bool]


def test_bool_columns_stay_numeric_unless_listed():
    X, y = _table()
    X_res, _ = PolarityGANSampler(categorical_features=["colour", "city"], **TINY).fit_resample(
        X, y
    )
    assert X_res.member.dtype == np.float64
    assert not np.all(np.isin(X_res.member.iloc[60:], [0.0, 1.0])), "bool combined as a number"


@pytest.mark.parametrize(
    "spec, message",
    [
        (["colour", "town"], "'town' that X does not have"),
        ([1, 7], r"indices \[7\] outside the 5 columns"),
        ([True, False], "one entry per column"),
        ([1, 1], "twice"),
        ([1], "Column 'city' has dtype object|not numbers"),
        ([1, 3], "Column 'member'|numeric"),
    ],
)
def test_bad_categorical_features_are_refused(spec, message):
    X, y = _table()
    if spec == [1, 3]:  # a string column not listed: make 'member' hold text
        X = X.assign(member=np.where(X.member, "yes", "no").astype(object))
    with pytest.raises(ValueError, match=message):
        PolarityGANSampler(categorical_features=spec, **TINY).fit_resample(X, y)


def test_a_categorical_column_not_listed_is_refused_with_a_pointer():
    X, y = _table()
    with pytest.raises(ValueError, match="not in categorical_features"):
        PolarityGANSampler(categorical_features=["city"], **TINY).fit_resample(X, y)
    with pytest.raises(ValueError, match="categorical_features='auto'"):
        PolarityGANSampler(**TINY).fit_resample(X[["age", "colour"]], y)


def test_names_and_auto_need_a_dataframe():
    X, y = _table()
    A = X.to_numpy(dtype=object)
    for spec in ("auto", ["colour"]):
        with pytest.raises(ValueError, match="DataFrame"):
            PolarityGANSampler(categorical_features=spec, **TINY).fit_resample(A, y)


def test_numeric_missing_values_are_refused_categorical_ones_are_a_category():
    X, y = _table()
    X.loc[3, "age"] = np.nan
    with pytest.raises(ValueError, match="NaN in numeric column 'age'"):
        PolarityGANSampler(categorical_features="auto", **TINY).fit_resample(X, y)
    X, y = _table()
    X["city"] = None  # one category: missing
    X_res, _ = PolarityGANSampler(categorical_features="auto", **TINY).fit_resample(X, y)
    assert X_res.city.isna().all() and X_res.city.dtype == object


def test_numpy_object_arrays_and_lists():
    X, y = _table()
    A = X.to_numpy(dtype=object)
    sampler = PolarityGANSampler(categorical_features=[1, 3, 4], **TINY)
    A_res, _ = sampler.fit_resample(A, y)
    assert A_res.dtype == object and A_res.shape == (96, 5)
    assert all(isinstance(v, float) for v in A_res[:, [0, 2]].ravel())
    assert set(A_res[60:, 4]) <= {True, False}
    L_res, _ = sampler.fit_resample(A.tolist(), y)
    assert isinstance(L_res, list) and len(L_res) == 96
    assert [row[1] for row in L_res] == list(A_res[:, 1])


def test_all_categorical_tables_are_resampled():
    X, y = _table()
    X = X[["colour", "city", "member"]]
    sampler = PolarityGANSampler(categorical_features="auto", **TINY)
    X_res, y_res = sampler.fit_resample(X, y)
    assert list(X_res.dtypes) == list(X.dtypes) and len(X_res) == 96
    pd.testing.assert_frame_equal(X_res.iloc[:60], X)
    X_new, _ = sampler.generate({1: 5}, random_state=0)
    assert list(X_new.dtypes) == list(X.dtypes)


def test_a_column_with_1000_categories_costs_16_numbers_per_category():
    rng = np.random.RandomState(0)
    n = 3000
    X = pd.DataFrame(
        {
            "x": rng.normal(size=n),
            "id": pd.Categorical([f"c{i}" for i in rng.randint(0, 1000, n)]),
            "flag": rng.rand(n) > 0.5,
        }
    )
    X["id"] = X["id"].cat.set_categories([f"c{i}" for i in range(1000)])
    y = (rng.rand(n) < 0.1).astype(int)
    sampler = PolarityGANSampler(categorical_features="auto", **TINY)
    X_res, _ = sampler.fit_resample(X, y)
    encoding = sampler._encoding
    n_id = X["id"].nunique()
    assert encoding.n_parameters == n_id * EMBEDDING_DIM + 2 * 2
    assert encoding.width == EMBEDDING_DIM + 2
    # the critic sees 1 numeric + 18 encoded numbers + the class one-hot
    assert sampler.critic_.net[0].in_features == 1 + EMBEDDING_DIM + 2 + 2
    assert X_res["id"].dtype == X["id"].dtype


def test_encoding_is_seeded_and_deterministic():
    a, b, c = (CategoryEncoding([3, 40], seed) for seed in (1, 1, 2))
    codes = np.array([[0, 5], [2, 39]])
    np.testing.assert_array_equal(a.transform(codes), b.transform(codes))
    assert not np.array_equal(a.transform(codes), c.transform(codes))
    np.testing.assert_allclose(np.linalg.norm(a.tables[1], axis=1), 1, rtol=1e-6)


@pytest.mark.parametrize("rule", ["anchor", "column"])
def test_a_category_of_total_weight_w_is_drawn_with_probability_w(rule):
    n = 40_000
    weights = np.tile([0.45, 0.25, 0.3, 0.0], (n, 1))
    # column 0: 'a' at anchors 0 and 2 (0.75), 'b' at 1 (0.25), 'c' only at weight 0
    codes = np.tile(np.array([[0, 5], [1, 6], [0, 7], [2, 8]]), (n, 1, 1))
    drawn = draw_categories(weights, codes, rule, np.random.RandomState(0))
    freq = np.bincount(drawn[:, 0], minlength=3) / n
    np.testing.assert_allclose(freq, [0.75, 0.25, 0.0], atol=0.015)  # 6 standard errors
    freq = np.bincount(drawn[:, 1] - 5, minlength=4) / n
    np.testing.assert_allclose(freq, [0.45, 0.25, 0.3, 0.0], atol=0.015)
    together = np.mean(drawn[:, 1] - 5 == np.array([0, 1, 0])[drawn[:, 0]])
    if rule == "anchor":  # both values come from one anchor
        assert set(map(tuple, drawn)) <= {(0, 5), (1, 6), (0, 7)}
    else:  # independent columns: 'b' in column 0 with anchor 0's value in column 1, too
        assert together < 0.9


def test_the_fitted_sampler_draws_categories_with_its_weights():
    """Over many generated rows, each row's chosen category is one of its
    anchors', and on average it is chosen as often as its total weight says."""
    X, y = _table()
    sampler = PolarityGANSampler(categorical_features="auto", **TINY)
    sampler.fit_resample(X, y)
    X_new, _, weights, rows = sampler.generate({1: 4000}, random_state=0, return_weights=True)
    colours = X.colour.to_numpy()
    total = np.array([weights[i][colours[rows[i]] == c].sum() for i, c in enumerate(X_new.colour)])
    assert total.min() > 0
    for colour in ("red", "green", "blue"):
        w = (weights * (colours[rows] == colour)).sum(1)
        gap = np.mean((X_new.colour.to_numpy() == colour) - w)
        assert abs(gap) < 0.03, (colour, gap)


def test_pipeline_and_grid_search_on_a_mixed_frame():
    X, y = _table(200, seed=1)
    X = X[["age", "colour", "visits", "member"]]
    y = np.r_[np.zeros(170), np.ones(30)].astype(int)
    model = make_pipeline(
        PolarityGANSampler(categorical_features="auto", **TINY),
        HistGradientBoostingClassifier(categorical_features="from_dtype", max_iter=10),
    )
    search = GridSearchCV(
        model,
        {"polaritygansampler__categorical_sampling": ["anchor", "column"]},
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
        scoring="balanced_accuracy",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        search.fit(X, y)
    assert search.predict(X).shape == (200,)


def test_none_and_no_categorical_column_change_nothing():
    """categorical_features=None is the numeric path of before; 'auto' or []
    on a numeric frame take that same path (same output, bit for bit)."""
    rng = np.random.RandomState(0)
    X = pd.DataFrame(rng.normal(size=(50, 3)), columns=["a", "b", "c"]).assign(
        d=rng.randint(0, 9, 50)
    )
    y = np.r_[np.zeros(40), np.ones(10)].astype(int)
    base = _digest(*PolarityGANSampler(**TINY).fit_resample(X, y))
    for spec in (None, "auto", []):
        out = PolarityGANSampler(categorical_features=spec, **TINY).fit_resample(X, y)
        assert _digest(*out) == base
