"""The under-sampling ensembles, the effect sizes with their uncertainty, and
the thread limit of parallel runs."""

import dataclasses
import importlib.util
import json

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import make_classification

from skimbgan.benchmark import _run
from skimbgan.benchmark._effect_sizes import over_datasets, over_splits
from skimbgan.benchmark._methods import parse_method, parse_methods
from skimbgan.benchmark._report import references

from .test_benchmark import csv_path, run_cli  # noqa: F401 - fixture and helper


@pytest.mark.parametrize(
    "text, base, threshold",
    [
        ("brf", "brf", False),
        ("balanced_random_forest", "brf", False),
        ("BalancedRandomForestClassifier+threshold", "brf", True),
        ("easy_ensemble", "easy_ensemble", False),
        ("EasyEnsemble", "easy_ensemble", False),
        ("balanced-bagging+threshold", "balanced_bagging", True),
        ("rusboost", "rusboost", False),
        ("RUSBoostClassifier", "rusboost", False),
        ("brf:n_estimators=20", "brf", False),
    ],
)
def test_ensemble_names_and_aliases(text, base, threshold):
    method = parse_method(text)
    assert (method.base, method.threshold, method.own_classifier) == (base, threshold, True)


def test_ensemble_parameters_are_checked_at_once():
    with pytest.raises(ValueError, match="brf"):
        parse_method("brf:not_a_parameter=3")
    with pytest.raises(ValueError, match="n_estimators"):
        parse_method("rusboost:n_estimators=-1")


def test_ensembles_run_once_per_split_under_every_classifier(csv_path, tmp_path):  # noqa: F811
    out = tmp_path / "out"
    methods = "threshold,brf,easy_ensemble:n_estimators=3,balanced_bagging,rusboost+threshold"
    run_cli(csv_path, out, "--methods", methods, "--classifiers", "lr,rf", "--folds", "2")
    rows = pd.read_csv(out / "results.csv")
    own = rows[rows.method != "threshold"]
    assert set(own.classifier) == {"own"}
    assert (own.error.isna() | (own.error == "")).all()
    assert own.groupby("method").size().eq(2).all()  # one run per split
    summary = (out / "summary.md").read_text()
    for name in ("brf", "balanced_bagging", "rusboost+threshold"):
        assert summary.count(f"| {name} ") >= 2  # listed under lr and under rf
    assert [m.name for m in parse_methods(["brf,brf+threshold"])] == ["brf", "brf+threshold"]


def test_effect_sizes_over_data_sets_have_the_known_answer():
    reference = np.array([0.5, 0.6, 0.7, 0.8, 0.55, 0.65])
    table = pd.DataFrame(
        {
            "ref": reference,
            "better": reference + 0.1,  # better by 0.1 everywhere
            "same": reference + 0.001,  # inside the region of equivalence
            "worse": reference - np.array([0.05, 0.1, 0.15, 0.05, 0.1, 0.15]),
        }
    )
    result = over_datasets(table, "ref")
    assert result.loc["better", "mean_difference"] == pytest.approx(0.1)
    assert result.loc["better", ["ci95_low", "ci95_high"]].tolist() == pytest.approx([0.1, 0.1])
    assert result.loc["better", "p_better"] > 0.95
    assert result.loc["same", "p_equivalent"] > 0.95
    worse = result.loc["worse"]
    assert worse.mean_difference == pytest.approx(-0.1)
    assert worse.ci95_low < -0.1 < worse.ci95_high < -0.05
    assert worse.p_worse > 0.95
    probs = result[["p_better", "p_equivalent", "p_worse"]].sum(axis=1)
    np.testing.assert_allclose(probs, 1.0, atol=1e-9)
    assert over_datasets(table.iloc[:1], "ref") is None  # one data set: no test
    assert over_datasets(table, "missing") is None


def test_effect_sizes_over_the_splits_of_one_data_set():
    rng = np.random.RandomState(0)
    ref = 0.6 + rng.normal(0, 0.02, 10)
    scores = pd.DataFrame({"ref": ref, "better": ref + 0.08 + rng.normal(0, 0.01, 10)})
    scores["noise"] = ref + rng.normal(0, 0.05, 10)
    result = over_splits(scores, "ref", repeats=2)
    assert result.loc["better", "p_better"] > 0.99
    assert result.loc["better", "sd_over_splits"] == pytest.approx(
        (scores.better - scores.ref).std(), rel=1e-9
    )
    noise = result.loc["noise"]
    assert max(noise.p_better, noise.p_worse) < 0.95  # noise is not called a difference


def test_a_single_csv_gets_the_spread_over_splits_and_the_correlated_test(
    csv_path,  # noqa: F811
    tmp_path,
):
    out = tmp_path / "out"
    run_cli(csv_path, out, "--methods", "none,threshold,smote", "--classifiers", "lr")
    summary = (out / "summary.md").read_text()
    assert "Bayesian correlated t-test" in summary and "sd_over_splits" in summary


def test_tuned_methods_are_also_compared_with_the_tuned_references():
    table = pd.DataFrame(
        columns=["smote", "threshold", "threshold [tuned]", "polarity [tuned]", "smote+threshold"]
    )
    assert references(table) == ["smote", "threshold", "threshold [tuned]"]
    assert references(pd.DataFrame(columns=["polarity", "smote [tuned]"])) == ["smote [tuned]"]
    assert dataclasses.replace(parse_method("threshold"), tune="f1").name == "threshold [tuned]"


@pytest.mark.parametrize(
    "n_jobs, cpus, expected", [(1, 2, None), (2, 2, 1), (2, 8, 4), (-1, 8, 1), (16, 4, 1)]
)
def test_threads_per_worker(n_jobs, cpus, expected):
    assert _run.threads_per_worker(n_jobs, cpus) == expected


def test_parallel_runs_use_the_threads_they_are_given(csv_path, tmp_path, monkeypatch):  # noqa: F811
    seen = []
    original = _run.run_task

    def recording(task, X, y, train, test, device="cpu"):
        import torch
        from threadpoolctl import threadpool_info

        blas = {pool["num_threads"] for pool in threadpool_info()}
        seen.append((torch.get_num_threads(), blas))
        return original(task, X, y, train, test, device)

    monkeypatch.setattr(_run, "run_task", recording)
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(2)  # as a worker on 2 cores starts, whatever this machine's setting
    task = _run.Task("d", 0, 0, 0, parse_method("polarity:n_steps=2"), "lr", "k")
    X = np.random.RandomState(0).normal(size=(40, 3))
    y = np.r_[np.zeros(30, int), np.ones(10, int)]
    dataset = type("D", (), {"X": X, "y": y})()
    try:
        _, row = _run._run_one(task, dataset, np.arange(0, 40, 2), np.arange(1, 40, 2), "cpu", 1)
        assert torch.get_num_threads() == 2  # restored after the run
    finally:
        torch.set_num_threads(before)
    assert row["error"] == ""
    torch_threads, blas = seen[0]
    assert torch_threads == 1 and blas <= {1}


# --- --tune ---------------------------------------------------------------------


@pytest.mark.parametrize("classifier", ["lr", "rf", "hgb"])
def test_every_method_gets_the_same_number_of_candidates(classifier):
    from skimbgan.benchmark import REGISTRY
    from skimbgan.benchmark._tuning import N_CANDIDATES, candidates

    names = [n for n, e in REGISTRY.items() if not e.requires or importlib.util.find_spec(n)]
    names += [f"{s}+threshold" for s in names if REGISTRY[s].is_sampler]
    for name in names:
        method = dataclasses.replace(parse_method(name), tune="f1")
        found = candidates(method, classifier)
        assert len(found) == N_CANDIDATES, name
        assert len({json.dumps(c, sort_keys=True, default=str) for c in found}) == N_CANDIDATES


def test_a_methods_own_parameters_stay_fixed_in_its_grid():
    from skimbgan.benchmark._tuning import candidates

    method = dataclasses.replace(parse_method("smote:k_neighbors=2"), tune="f1")
    assert {params["k_neighbors"] for params, _ in candidates(method, "lr")} == {2}


def test_tune_runs_each_method_twice_and_reports_its_choices(csv_path, tmp_path):  # noqa: F811
    from skimbgan.benchmark._tuning import CLASSIFIER_GRID

    out = tmp_path / "out"
    code = run_cli(csv_path, out, "--methods", "none,smote", "--tune")
    assert code == 0
    rows = pd.read_csv(out / "results.csv")
    assert set(rows.method) == {"none", "smote", "none [tuned]", "smote [tuned]"}
    tuned = rows[rows.method == "none [tuned]"]
    allowed = [{f"classifier.{k}": v for k, v in grid.items()} for grid in CLASSIFIER_GRID["lr"]]
    assert all(json.loads(choice) in allowed for choice in tuned.chosen)
    assert rows[rows.method == "none"].chosen.isna().all()
    summary = (out / "summary.md").read_text()
    assert "Settings chosen by the tuned methods" in summary and "smote [tuned]" in summary


def test_tuning_never_sees_the_test_fold(tmp_path, monkeypatch):
    import sklearn.preprocessing
    from sklearn.model_selection import RepeatedStratifiedKFold
    from sklearn.preprocessing import FunctionTransformer

    from skimbgan.benchmark import _methods
    from skimbgan.benchmark._cli import main

    from . import test_benchmark as tb

    path, ids, X, y = tb.write_id_csv(tmp_path)
    monkeypatch.setattr(sklearn.preprocessing, "StandardScaler", FunctionTransformer)
    monkeypatch.setattr(_methods, "make_classifier", lambda *a, **k: tb.RecordingClassifier())
    original = _run.run_task

    def tracked(task, *args, **kwargs):
        tb.CURRENT["split"] = task.split
        return original(task, *args, **kwargs)

    monkeypatch.setattr(_run, "run_task", tracked)
    tb.SEEN.clear()
    args = ["--data", str(path), "--target", "label", "--folds", "3", "--repeats", "1"]
    args += ["--methods", "none,threshold", "--tune", "--classifiers", "lr", "--n-jobs", "1"]
    assert main([*args, "--out", str(tmp_path / "out"), "--quiet", "--no-plots"]) == 0
    splits = list(RepeatedStratifiedKFold(n_splits=3, n_repeats=1, random_state=0).split(X, y))
    inner = 0
    assert len(tb.SEEN) > 2 * 3 * 4 * 3  # recorded in this process
    for split, seen in tb.SEEN:
        train, test = splits[split]
        assert not np.isin(seen, ids[test]).any(), "a test row reached a fit"
        assert np.isin(seen, ids[train]).all()
        inner += len(seen) < len(train)
    # each tuned twin: 4 candidates x 3 inner folds in each of the 3 training folds
    assert inner >= 2 * 3 * 4 * 3


def test_the_plan_is_said_before_it_runs_and_small_plans_stay_in_process(
    csv_path,  # noqa: F811
    tmp_path,
    capsys,
    monkeypatch,
):
    from skimbgan.benchmark._cli import main

    calls = []
    original = _run.execute
    monkeypatch.setattr(
        _run, "execute", lambda *a, **k: calls.append(k["n_jobs"]) or original(*a, **k)
    )
    args = ["--data", csv_path, "--target", "label", "--folds", "2", "--repeats", "1"]
    args += ["--methods", "none,threshold", "--classifiers", "lr", "--no-plots"]
    assert main([*args, "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "plan: 4 runs (1 data set(s) x 2 splits x 2 method(s) x 1 classifier(s)" in err
    assert "0 already in the cache, 4 to run on 1 worker(s)" in err
    # the summary's slow part is announced: none against threshold, on one data set
    assert "summary: 1 Bayesian comparison(s)" in err
    assert calls == [1]  # 4 runs: fewer than 4 per core, no worker processes
    assert main([*args, "--out", str(tmp_path / "out")]) == 0
    assert "4 already in the cache, 0 to run" in capsys.readouterr().err
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    main(
        [
            *args,
            "--methods",
            "none,threshold,smote,random,class_weight",
            "--out",
            str(tmp_path / "o2"),
        ]
    )
    assert calls[-1] == 1 and len(calls) == 3


class _ColumnScore(ClassifierMixin, BaseEstimator):
    """Its probability of class 1 is the first feature, whatever it was fitted on."""

    def fit(self, X, y):
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        p = np.asarray(X, dtype=float)[:, 0]
        return np.c_[1 - p, p]

    def predict(self, X):
        return (self.predict_proba(X)[:, 1] >= 0.5).astype(int)


def test_out_of_fold_scores_are_taken_at_their_f1_best_threshold():
    from sklearn.metrics import average_precision_score, f1_score
    from sklearn.model_selection import StratifiedKFold

    from skimbgan.benchmark._tuning import out_of_fold_score

    rng = np.random.RandomState(0)
    y = np.r_[np.zeros(40, int), np.ones(10, int)]
    p = np.clip(0.3 * y + rng.uniform(0, 0.6, 50), 0, 1)
    X = np.c_[p, rng.normal(size=50)]
    cv = StratifiedKFold(3, shuffle=True, random_state=0)
    best = max(f1_score(y, (p >= t).astype(int)) for t in np.unique(p))
    assert out_of_fold_score(_ColumnScore(), X, y, cv, "f1") == pytest.approx(best)
    assert best > f1_score(y, (p >= 0.5).astype(int))  # not the default cut-off
    ap = out_of_fold_score(_ColumnScore(), X, y, cv, "average_precision")
    assert ap == pytest.approx(average_precision_score(y, p))


@pytest.mark.parametrize("name", ["threshold", "smote+threshold"])
def test_a_tuned_threshold_is_tuned_once_on_the_chosen_candidate(name):
    from sklearn.model_selection import TunedThresholdClassifierCV

    from skimbgan.benchmark._tuning import tuned_model

    X, y = make_classification(n_samples=160, weights=[0.85], random_state=0)
    method = dataclasses.replace(parse_method(name), tune="f1")
    search = tuned_model(method, "lr", seed=0, n_minority_train=int(y.sum()))
    assert not any(isinstance(c, TunedThresholdClassifierCV) for c in search.candidates)
    search.fit(X, y)
    assert isinstance(search.best_estimator_, TunedThresholdClassifierCV)
    assert np.isfinite(search.cv_scores_).all() and len(search.cv_scores_) == 4
    plain = tuned_model(dataclasses.replace(parse_method("none"), tune="f1"), "lr", 0, 20)
    assert plain.refit_with is None


def test_a_samplers_seed_follows_the_split_unless_the_method_fixes_it():
    from skimbgan.benchmark._methods import make_sampler, parse_method

    assert make_sampler("polarity", 7, {}).random_state == 7
    method = parse_method("polarity:random_state=12345")
    assert make_sampler("polarity", 7, method.params).random_state == 12345
    assert make_sampler("smote", 3, {"random_state": 5}, cap=False).random_state == 5
