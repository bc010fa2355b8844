"""Contract tests of EGANClassifier (feature-vector mode) and its core."""

import math
import pickle

import joblib
import numpy as np
import pytest
import torch
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.model_selection import (
    FixedThresholdClassifier,
    GridSearchCV,
    StratifiedKFold,
    TunedThresholdClassifierCV,
    cross_val_score,
)
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from skimbgan import EGANClassifier
from skimbgan._core.egan import discriminator_loss, generator_loss

from .conftest import FAST_EGAN


def fast_egan(**params):
    return EGANClassifier(**{**FAST_EGAN, "random_state": 0, **params})


@pytest.fixture
def data():
    """270 samples of class 0, 30 of class 1 (the minority), 6 features."""
    X, y = make_classification(
        n_samples=300, n_features=6, n_informative=4, weights=[0.9], random_state=0
    )
    return X, y


# --- the score's sign ------------------------------------------------------


@pytest.mark.parametrize(
    "labels, minority",
    [((0, 1), 1), ((1, 0), 0), (("major", "minor"), "minor"), (("b", "a"), "a")],
    ids=["minority-is-classes_1", "minority-is-classes_0", "str-1", "str-0"],
)
def test_sign_convention(data, labels, minority):
    X, y = data
    y_named = np.where(y == 1, labels[1], labels[0])
    clf = fast_egan().fit(X, y_named)
    assert clf.minority_class_ == minority
    score = clf.score_samples(X)
    decision = clf.decision_function(X)
    if clf.classes_[1] == minority:
        np.testing.assert_allclose(decision, clf.offset_ - score)
    else:
        np.testing.assert_allclose(decision, score - clf.offset_)
    # predict is classes_[1] exactly where decision_function > 0
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[(decision > 0).astype(int)])
    # and minority exactly where the logit is below the cut-off (the paper's rule)
    np.testing.assert_array_equal(clf.predict(X) == minority, score < clf.offset_)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(proba[:, 1] > 0.5, decision > 0)


def test_minority_score_is_lower(data):
    """After training, real minority samples score lower than majority ones on
    average: the discriminator learned the majority as real."""
    X, y = data
    clf = fast_egan(n_steps=300, hidden_dims=(64,), validation_fraction=None).fit(X, y)
    score = clf.score_samples(X)
    assert score[y == 1].mean() < score[y == 0].mean()


def test_minority_class_parameter(data):
    X, y = data
    clf = fast_egan(minority_class=0).fit(X, y)
    assert clf.minority_class_ == 0
    np.testing.assert_array_equal(clf.predict(X) == 0, clf.score_samples(X) < 0)


def test_threshold_tools_work_unchanged(data):
    X, y = data
    clf = fast_egan()
    fixed = FixedThresholdClassifier(clf, threshold=0.0, response_method="decision_function")
    fixed.fit(X, y)
    np.testing.assert_array_equal(fixed.predict(X), fixed.estimator_.predict(X))
    # a higher threshold on decision_function (classes_[1] = minority) calls fewer minority
    strict = FixedThresholdClassifier(clf, threshold=2.0, response_method="decision_function")
    strict.fit(X, y)
    assert (strict.predict(X) == 1).sum() <= (fixed.predict(X) == 1).sum()
    tuned = TunedThresholdClassifierCV(clf, scoring="f1", cv=3, random_state=0).fit(X, y)
    assert set(tuned.predict(X)) <= {0, 1}
    assert np.isfinite(tuned.best_threshold_)


def test_pipeline_and_grid_search(data):
    X, y = data
    model = make_pipeline(StandardScaler(), fast_egan())
    scores = cross_val_score(model, X, y, scoring="average_precision", cv=3)
    assert scores.shape == (3,) and np.all((scores >= 0) & (scores <= 1))
    grid = GridSearchCV(
        model,
        {"eganclassifier__latent_dim": [4, 8]},
        scoring="average_precision",
        cv=StratifiedKFold(2),
    ).fit(X, y)
    assert grid.best_params_["eganclassifier__latent_dim"] in (4, 8)


# --- reproducibility and persistence ----------------------------------------


def test_identical_refits_leave_global_rng_untouched(data):
    X, y = data
    np_state = np.random.get_state()[1].copy()
    torch_state = torch.random.get_rng_state().clone()
    first = fast_egan(random_state=3).fit(X, y).score_samples(X)
    second = fast_egan(random_state=3).fit(X, y).score_samples(X)
    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(np.random.get_state()[1], np_state)
    assert torch.equal(torch.random.get_rng_state(), torch_state)
    other = fast_egan(random_state=4).fit(X, y).score_samples(X)
    assert not np.array_equal(first, other)


def test_pickle_joblib_and_clone(data, tmp_path):
    X, y = data
    clf = fast_egan().fit(X, y)
    expected = clf.decision_function(X)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(clf)).decision_function(X), expected)
    joblib.dump(clf, tmp_path / "egan.joblib")
    np.testing.assert_array_equal(
        joblib.load(tmp_path / "egan.joblib").decision_function(X), expected
    )
    assert not hasattr(clone(clf), "discriminator_")
    assert next(clf.discriminator_.parameters()).device.type == "cpu"


# --- checkpoint selection ---------------------------------------------------


def test_validation_part_chooses_the_checkpoint(data):
    X, y = data  # 30 minority: 6 held out at the default 0.2
    clf = fast_egan(n_steps=60, eval_every=10, n_iter_no_change=None).fit(X, y)
    scored = [s for s in clf.history_["validation_score"] if not math.isnan(s)]
    assert len(scored) == 6
    assert clf.validation_score_ == max(scored)
    steps = np.array(clf.history_["step"])[~np.isnan(clf.history_["validation_score"])]
    assert clf.best_step_ == steps[int(np.argmax(scored))]
    assert clf.n_steps_ == 60


def test_early_stopping(data):
    X, y = data
    clf = fast_egan(n_steps=2000, eval_every=5, n_iter_no_change=2).fit(X, y)
    assert clf.n_steps_ < 2000
    assert clf.best_step_ <= clf.n_steps_


@pytest.mark.parametrize("n_minority", [2, 5])
def test_tiny_minority_keeps_the_last_networks(n_minority):
    """1:2500-like settings: too few minority samples to hold any out, so no
    checkpoint is chosen and training runs its whole budget."""
    rng = np.random.RandomState(0)
    X = rng.randn(200 + n_minority, 4)
    y = np.r_[np.zeros(200, int), np.ones(n_minority, int)]
    clf = fast_egan(n_steps=25).fit(X, y)
    assert clf.best_step_ == clf.n_steps_ == 25
    assert math.isnan(clf.validation_score_)
    assert "validation_score" not in clf.history_


def test_user_validation_set(data):
    X, y = data
    clf = fast_egan(validation_fraction=None).fit(X[:200], y[:200], X_val=X[200:], y_val=y[200:])
    assert not math.isnan(clf.validation_score_)
    with pytest.raises(ValueError, match="both classes"):
        fast_egan().fit(X, y, X_val=X[y == 0][:5], y_val=np.zeros(5, int))
    with pytest.raises(ValueError, match="both X_val and y_val"):
        fast_egan().fit(X, y, X_val=X[:5])
    with pytest.raises(ValueError, match="labels"):
        fast_egan().fit(X, y, X_val=X[:4], y_val=np.array([0, 1, 7, 0]))


def test_history(data):
    X, y = data
    history = fast_egan(n_steps=40).fit(X, y).history_
    for key in ("step", "discriminator_loss", "generator_loss", "real_logit", "fake_logit"):
        assert len(history[key]) == len(history["step"]) > 0
        assert np.all(np.isfinite(history[key]))


# --- bad input ---------------------------------------------------------------


@pytest.mark.parametrize(
    "make, error, match",
    [
        (lambda X, y: (X, np.arange(len(y)) % 3), ValueError, "OneVsRestClassifier"),
        (lambda X, y: (X, np.zeros(len(y))), ValueError, "1 class"),
        (lambda X, y: (np.where(np.eye(*X.shape) > 0, np.nan, X), y), ValueError, "NaN"),
        (lambda X, y: (np.where(np.eye(*X.shape) > 0, np.inf, X), y), ValueError, "infinity"),
        (lambda X, y: (sparse.csr_matrix(X), y), TypeError, "[Ss]parse"),
        (lambda X, y: (X, y.astype(float) + 0.5), ValueError, "Unknown label type"),
        (lambda X, y: (X[:, :, None], y), ValueError, "dim"),
        (lambda X, y: (X, y[:-1]), ValueError, "inconsistent"),
    ],
    ids=["three-classes", "one-class", "nan", "inf", "sparse", "continuous-y", "3d", "length"],
)
def test_bad_input_gets_a_clear_error(data, make, error, match):
    X, y = make(*data)
    with pytest.raises(error, match=match):
        fast_egan().fit(X, y)


def test_absent_minority_class(data):
    X, y = data
    with pytest.raises(ValueError, match="minority_class=5 is not one of the classes"):
        fast_egan(minority_class=5).fit(X, y)


@pytest.mark.parametrize(
    "params",
    [{"hidden_dims": ()}, {"n_steps": 0}, {"dropout": 1.0}, {"input_type": "text"}],
)
def test_bad_parameters(data, params):
    with pytest.raises(ValueError):
        fast_egan(**params).fit(*data)


def test_wrong_number_of_features_at_predict(data):
    X, y = data
    clf = fast_egan().fit(X, y)
    with pytest.raises(ValueError, match="features"):
        clf.predict(X[:, :3])


def test_missing_cuda_is_a_clear_error(data):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    with pytest.raises(ValueError, match="CUDA is not available"):
        fast_egan(device="cuda").fit(*data)


# --- core ------------------------------------------------------------------


def test_losses_known_values():
    zero = torch.zeros(4)
    assert discriminator_loss(zero, zero).item() == pytest.approx(2 * math.log(2))
    assert generator_loss(zero).item() == pytest.approx(math.log(2))
    big = torch.full((3,), 30.0)
    # a perfect discriminator: majority far above, fakes far below
    assert discriminator_loss(big, -big).item() == pytest.approx(0.0, abs=1e-10)
    # and then the generator's loss is large (non-saturating: no vanishing gradient)
    assert generator_loss(-big).item() == pytest.approx(30.0, rel=1e-6)
