"""The benchmark's tuned threshold keeps the model's own cut-off, and says so,
where scikit-learn's threshold search refuses a model with constant scores."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV

from skimbgan.benchmark._cli import main
from skimbgan.benchmark._threshold import (
    UNTUNED_NOTE,
    ThresholdOrOwnCutoff,
    untuned,
    with_threshold,
)


def _data(n=120, weight=0.85, seed=0):
    return make_classification(n, 5, weights=[weight], random_state=seed)


def test_a_constant_model_keeps_its_own_cutoff():
    X, y = _data()
    model = with_threshold(DummyClassifier(strategy="prior"), 0, int(y.sum()))
    with pytest.raises(ValueError, match="constant predictions"):
        TunedThresholdClassifierCV(DummyClassifier(strategy="prior"), cv=model.cv).fit(X, y)
    model.fit(X, y)
    assert model.threshold_tuned_ is False
    assert untuned(model)
    assert np.isnan(model.best_threshold_) and np.isnan(model.best_score_)
    np.testing.assert_array_equal(model.predict(X), np.zeros(len(y)))  # the prior's majority
    np.testing.assert_allclose(model.predict_proba(X)[:, 1], y.mean())
    np.testing.assert_array_equal(model.classes_, [0, 1])


def test_a_tunable_model_is_tuned_exactly_as_scikit_learn_does():
    X, y = _data()
    cv = StratifiedKFold(5, shuffle=True, random_state=3)
    ours = ThresholdOrOwnCutoff(LogisticRegression(), scoring="f1", cv=cv, random_state=3)
    theirs = TunedThresholdClassifierCV(LogisticRegression(), scoring="f1", cv=cv, random_state=3)
    ours.fit(X, y)
    theirs.fit(X, y)
    assert ours.threshold_tuned_ is True and not untuned(ours)
    assert ours.best_threshold_ == theirs.best_threshold_
    np.testing.assert_array_equal(ours.predict(X), theirs.predict(X))


def test_other_errors_are_not_swallowed():
    X, y = _data()
    y3 = y.copy()
    y3[:10] = 2
    with pytest.raises(ValueError, match="binary"):
        with_threshold(LogisticRegression(), 0, 5).fit(X, y3)


def test_untuned_looks_inside_an_inner_search():
    class Search:
        best_estimator_ = with_threshold(DummyClassifier(), 0, 5)

    X, y = _data()
    Search.best_estimator_.fit(X, y)
    assert untuned(Search())
    assert not untuned(LogisticRegression())


def test_the_benchmark_counts_and_lists_runs_that_kept_their_cutoff(tmp_path):
    # 6 minority rows: a gradient-boosted model fitted on an inner training
    # part cannot split (20 rows per leaf) and predicts one probability
    rng = np.random.default_rng(1)
    X, y = rng.normal(size=(80, 4)), np.r_[np.ones(6, int), np.zeros(74, int)]
    X[y == 1] += 1.5
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(4)]).assign(label=y)
    path = tmp_path / "small.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "out"
    args = ["--data", str(path), "--target", "label", "--folds", "2", "--repeats", "1"]
    args += ["--classifiers", "hgb", "--methods", "none,threshold", "--n-jobs", "1"]
    assert main([*args, "--out", str(out), "--quiet", "--no-plots"]) == 0
    rows = pd.read_csv(out / "results.csv")
    kept = rows[rows.method == "threshold"]
    assert (kept.error.isna() | (kept.error == "")).all()
    assert (kept.note == UNTUNED_NOTE).all()
    assert rows[rows.method == "none"].note.isna().all()
    # the model's own cut-off: the same predictions as the untuned model
    for metric in ("f1", "balanced_accuracy", "average_precision"):
        np.testing.assert_allclose(
            kept[metric].to_numpy(), rows[rows.method == "none"][metric].to_numpy()
        )
    summary = (out / "summary.md").read_text()
    assert "2 finished with the threshold not tuned" in summary
    assert "## Runs whose threshold could not be tuned" in summary
