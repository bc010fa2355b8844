"""EGANClassifier's extensions beyond the paper: real minority samples as the
discriminator's negatives (``minority_weight``), a cut-off at a quantile of
held-out majority scores or the F1-best one (``contamination``), averaged
eGANs (``n_estimators``), and the defaults that combine them. The paper's
eGAN stays reachable by parameters, its scores unchanged."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.model_selection import FixedThresholdClassifier, TunedThresholdClassifierCV

from skimbgan import EGANClassifier

from .conftest import FAST_EGAN, PAPER_EGAN


def egan(**params):
    """The paper's eGAN at contract-test size, with ``params`` on top."""
    return EGANClassifier(**{**FAST_EGAN, "random_state": 0, **params})


def test_the_papers_egan_is_unchanged_on_fixed_seeds(binary_data):
    X, y = binary_data
    clf = egan().fit(X, y)
    # measured before the extensions existed (torch 2.14.1, CPU)
    expected = [0.4183, 0.3147, 0.4354, 0.1686, 0.4602, -0.1863]
    np.testing.assert_allclose(clf.score_samples(X[:6]), expected, atol=2e-3)
    assert clf.offset_ == 0.0 and clf.cutoff_ == "zero"


@pytest.mark.parametrize(
    "params",
    [
        dict(minority_weight=1.0),
        dict(contamination=0.1),
        dict(minority_weight=2.0, contamination=0.05),
        dict(n_estimators=3, minority_weight=1.0),
        dict(contamination="f1", minority_weight=1.0),
    ],
)
def test_extensions_are_deterministic_and_pickle(binary_data, params):
    X, y = binary_data
    a = egan(**params).fit(X, y)
    b = egan(**params).fit(X, y)
    np.testing.assert_array_equal(a.decision_function(X), b.decision_function(X))
    loaded = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(loaded.predict_proba(X), a.predict_proba(X))


def test_real_minority_negatives_change_and_help_the_ranking(binary_data):
    from sklearn.metrics import roc_auc_score

    X, y = binary_data
    params = dict(
        FAST_EGAN, n_steps=300, learning_rate=1e-3, validation_fraction=None, random_state=0
    )
    paper = EGANClassifier(**params).fit(X, y)
    both = EGANClassifier(**{**params, "minority_weight": 1.0}).fit(X, y)
    # seeing the minority as negatives separates it on its own training data
    # (0.61 against 0.79 when written): the term reaches the discriminator
    auc_paper = roc_auc_score(y, paper.decision_function(X))
    assert roc_auc_score(y, both.decision_function(X)) > auc_paper + 0.05


@pytest.mark.parametrize("minority_label", [0, 1])
@pytest.mark.parametrize("validation_fraction", [0.2, None])
def test_contamination_calls_that_share_of_held_out_majority_minority(
    binary_data, minority_label, validation_fraction
):
    X, y = binary_data  # 180 of class 0, 20 of class 1
    y = y if minority_label == 1 else 1 - y
    clf = EGANClassifier(
        **{**FAST_EGAN, "n_steps": 60, "random_state": 0, "contamination": 0.1},
        validation_fraction=validation_fraction,
    ).fit(X, y)  # fmt: skip
    assert clf.minority_class_ == minority_label
    assert clf.offset_ != 0.0
    decision = clf.decision_function(X)
    predicted = clf.predict(X)
    # the sign convention holds with the minority as classes_[0] and as classes_[1]
    np.testing.assert_array_equal(predicted == clf.classes_[1], decision > 0)
    called = predicted[y != minority_label] == minority_label
    assert 0.0 < called.mean() < 0.3  # about 10% of the majority, on data D partly saw


def test_threshold_tools_work_on_the_extensions(binary_data):
    X, y = binary_data
    base = egan(minority_weight=1.0, contamination=0.05, n_estimators=2)
    fixed = FixedThresholdClassifier(base, threshold=0.5, response_method="predict_proba")
    fixed.fit(X, y)
    np.testing.assert_array_equal(fixed.predict(X), base.fit(X, y).predict(X))
    tuned = TunedThresholdClassifierCV(base, scoring="f1", cv=3).fit(X, y)
    assert set(np.unique(tuned.predict(X))) <= {0, 1}


@pytest.mark.parametrize(
    "params, match",
    [
        (dict(minority_weight=-1.0), "minority_weight"),
        (dict(contamination=0.0), "contamination"),
        (dict(contamination=0.7), "contamination"),
        (dict(contamination="auto"), "contamination"),
        (dict(contamination="F1"), "contamination"),
        (dict(n_estimators=0), "n_estimators"),
        (dict(n_estimators="Auto"), "n_estimators"),
        (dict(learning_rate="Auto"), "learning_rate"),
        (dict(learning_rate=0.0), "learning_rate"),
    ],
)
def test_bad_values_are_refused(binary_data, params, match):
    X, y = binary_data
    with pytest.raises(ValueError, match=match):
        EGANClassifier(**{**FAST_EGAN, **params}).fit(X, y)


def test_contamination_works_with_two_minority_samples(binary_data):
    X, y = binary_data
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:2]]
    clf = egan(contamination=0.05).fit(X[keep], y[keep])
    assert np.isfinite(clf.offset_) and np.isfinite(clf.predict_proba(X)).all()


def test_several_discriminators_average_their_logits(binary_data):
    X, y = binary_data
    single = egan(minority_weight=1.0).fit(X, y)
    three = egan(minority_weight=1.0, n_estimators=3)
    three.fit(X, y)
    members = three.discriminator_.members
    assert len(members) == 3 and len(three.generator_) == 3
    h = torch.from_numpy(np.asarray(three._prefix(members[0], X, role=1)))
    with torch.no_grad():
        logits = [m.eval().from_prefix(h).numpy() for m in members]
    np.testing.assert_allclose(three.score_samples(X), np.mean(logits, axis=0), atol=1e-5)
    # the members train together (one stacked network, batches and dropout
    # drawn for all at once): each is its own eGAN, none is a copy of another
    for i, j in [(0, 1), (0, 2), (1, 2)]:
        assert not np.allclose(logits[i], logits[j], atol=1e-3)
    assert not np.allclose(logits[0], single.score_samples(X), atol=1e-3)


@pytest.mark.parametrize("minority_label", [0, 1])
def test_several_discriminators_keep_the_sign_convention(binary_data, minority_label):
    X, y = binary_data
    y = y if minority_label == 1 else 1 - y
    clf = egan(n_estimators=2).fit(X, y)
    assert clf.minority_class_ == minority_label
    np.testing.assert_array_equal(clf.predict(X) == clf.classes_[1], clf.decision_function(X) > 0)
    # high score_samples means majority, whichever label the minority has
    minority_scores = clf.score_samples(X[y == minority_label])
    assert minority_scores.mean() < clf.score_samples(X[y != minority_label]).mean()


def _brute_force_f1_cutoff(scores, is_minority):
    """Best F1 over every cut-off between or beyond the distinct scores."""
    from sklearn.metrics import f1_score

    values = np.unique(scores)
    candidates = np.r_[values[0] - 1, (values[:-1] + values[1:]) / 2, values[-1] + 1]
    return max(f1_score(is_minority, scores < c, zero_division=0.0) for c in candidates)


@pytest.mark.parametrize("seed", range(6))
def test_the_f1_cutoff_is_the_best_one(seed):
    from sklearn.metrics import f1_score

    from skimbgan.classification._score_threshold import f1_cutoff

    rng = np.random.default_rng(seed)
    is_minority = rng.random(40) < 0.2
    is_minority[:2] = True
    scores = np.round(rng.normal(size=40) + 1.5 * ~is_minority, 1)  # ties included
    offset = f1_cutoff(scores, is_minority)
    reached = f1_score(is_minority, scores < offset)
    assert reached == pytest.approx(_brute_force_f1_cutoff(scores, is_minority))


@pytest.mark.parametrize("minority_label", [0, 1])
def test_contamination_f1_takes_the_f1_best_cutoff_on_the_validation_part(
    binary_data, minority_label
):
    from skimbgan.classification._score_threshold import f1_cutoff

    X, y = binary_data
    y = y if minority_label == 1 else 1 - y
    X_val, y_val = X[::4], y[::4]
    clf = egan(minority_weight=1.0, contamination="f1").fit(X, y, X_val=X_val, y_val=y_val)
    assert clf.cutoff_ == "f1"
    is_minority = y_val == minority_label
    assert clf.offset_ == f1_cutoff(clf.score_samples(X_val), is_minority)
    # the sign convention holds with the minority as classes_[0] and as classes_[1]
    np.testing.assert_array_equal(clf.predict(X) == clf.classes_[1], clf.decision_function(X) > 0)
    from sklearn.metrics import f1_score

    reached = f1_score(is_minority, clf.predict(X_val) == minority_label)
    best = _brute_force_f1_cutoff(clf.score_samples(X_val), is_minority)
    assert reached == pytest.approx(best)


def test_contamination_f1_without_a_validation_part_is_the_prevalence_quantile(binary_data):
    X, y = binary_data  # 180 of class 0, 20 of class 1: prevalence 0.1
    params = dict(FAST_EGAN, random_state=0, validation_fraction=None)
    f1 = EGANClassifier(**{**params, "contamination": "f1"}).fit(X, y)
    quantile = EGANClassifier(**{**params, "contamination": 0.1}).fit(X, y)
    assert f1.cutoff_ == "quantile" == quantile.cutoff_
    assert f1.offset_ == quantile.offset_
    np.testing.assert_array_equal(f1.decision_function(X), quantile.decision_function(X))


#: The defaults (every extension on) at contract-test size.
FAST_DEFAULTS = {k: v for k, v in FAST_EGAN.items() if k not in PAPER_EGAN}


def test_the_defaults_are_the_extended_egan_resolved_by_input_type(binary_data):
    X, y = binary_data
    params = EGANClassifier().get_params()
    assert params["minority_weight"] == 1.0 and params["contamination"] == "f1"
    assert params["learning_rate"] == "auto" == params["n_estimators"]
    clf = EGANClassifier(**FAST_DEFAULTS, random_state=0).fit(X, y)
    assert (clf.learning_rate_, clf.n_estimators_) == (1e-3, 5)
    assert len(clf.discriminator_.members) == 5 and clf.cutoff_ == "f1"
    kept = EGANClassifier(**FAST_DEFAULTS, learning_rate=0.01, n_estimators=2).fit(X, y)
    assert (kept.learning_rate_, kept.n_estimators_) == (0.01, 2)
    paper = egan().fit(X, y)
    assert (paper.learning_rate_, paper.n_estimators_, paper.cutoff_) == (1e-4, 1, "zero")


@pytest.mark.parametrize("minority_label", [0, 1])
def test_the_defaults_are_deterministic_keep_the_sign_convention_and_pickle(
    binary_data, minority_label
):
    X, y = binary_data
    y = y if minority_label == 1 else 1 - y
    a = EGANClassifier(**FAST_DEFAULTS, random_state=0).fit(X, y)
    b = EGANClassifier(**FAST_DEFAULTS, random_state=0).fit(X, y)
    np.testing.assert_array_equal(a.decision_function(X), b.decision_function(X))
    assert a.minority_class_ == minority_label
    decision = a.decision_function(X)
    # positive decision means classes_[1]; the minority scores low on score_samples
    expected = a.score_samples(X) < a.offset_
    np.testing.assert_array_equal(a.predict(X) == minority_label, expected)
    np.testing.assert_array_equal(a.predict(X) == a.classes_[1], decision > 0)
    restored = pickle.loads(pickle.dumps(a))
    np.testing.assert_array_equal(restored.decision_function(X), decision)
    tuned = TunedThresholdClassifierCV(
        EGANClassifier(**FAST_DEFAULTS, random_state=0), scoring="f1", cv=3
    ).fit(X, y)
    assert set(np.unique(tuned.predict(X))) <= {0, 1}
    fixed = FixedThresholdClassifier(a, threshold=0.5, response_method="predict_proba").fit(X, y)
    np.testing.assert_array_equal(fixed.predict(X), a.predict(X))


def test_paper_params_are_public_and_a_fresh_copy(binary_data):
    params = EGANClassifier.paper_params()
    assert params == dict(
        minority_weight=0.0,
        contamination=None,
        learning_rate=1e-4,
        n_estimators=1,
        closeness_weight=0.0,
        reconstruction="images",
        n_iter_no_change=10,
    )
    params["n_estimators"] = 7
    assert EGANClassifier.paper_params()["n_estimators"] == 1
    X, y = binary_data
    clf = EGANClassifier(**{**FAST_EGAN, **EGANClassifier.paper_params()}, random_state=0).fit(X, y)
    assert clf.cutoff_ == "zero" and clf.n_estimators_ == 1 and clf.learning_rate_ == 1e-4
