"""EGANClassifier's closeness to the known minority (``closeness_weight``)."""

import pickle

import numpy as np
import pytest
import torch
from sklearn.metrics import average_precision_score

from skimbgan import EGANClassifier
from skimbgan.classification._egan_networks import standardise

from .conftest import FAST_EGAN, TinyNet

#: The fast contract settings with the closeness blend left to ``params``.
FAST = {**FAST_EGAN, "random_state": 0}


def few_shot_table(n_minority=2, seed=0):
    """A minority that sits inside the majority's bulk (a novelty score
    cannot find it) as a tight cluster: 600 majority rows, ``n_minority``
    training minority rows; 300 + 30 test rows."""
    rng = np.random.RandomState(seed)
    centre = np.full(8, 0.5)

    def draw(n_major, n_minor):
        X = np.r_[rng.normal(size=(n_major, 8)), centre + 0.05 * rng.normal(size=(n_minor, 8))]
        return X, np.r_[np.zeros(n_major, int), np.ones(n_minor, int)]

    return draw(600, n_minority), draw(300, 30)


def test_paper_params_switch_closeness_off():
    assert EGANClassifier.paper_params()["closeness_weight"] == 0.0
    assert EGANClassifier().closeness_weight == "auto"


def test_weight_zero_is_the_logit_alone():
    (X, y), _ = few_shot_table()
    clf = EGANClassifier(**{**FAST, "closeness_weight": 0.0}).fit(X, y)
    assert clf.closeness_weight_ == 0.0
    with pytest.raises(ValueError, match="closeness_weight=0"):
        clf.score_components(X)
    # the logit itself, as the discriminator gives it
    h = torch.from_numpy(standardise(X, clf._unit, clf._mean, clf._scale))
    clf.discriminator_.eval()
    with torch.no_grad():
        logits = clf.discriminator_.from_prefix(h).double().numpy()
    np.testing.assert_allclose(clf.score_samples(X), logits, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("n_minority", [2, 5, 40])
def test_auto_weight_without_validation_follows_the_known_minority(n_minority):
    (X, y), _ = few_shot_table(n_minority)
    # no validation part: every minority row is a known one
    clf = EGANClassifier(**{**FAST, "closeness_weight": "auto", "validation_fraction": None})
    clf.fit(X, y)
    assert clf.closeness_weight_ == pytest.approx(50 / (50 + n_minority))


def test_auto_weight_is_chosen_on_the_validation_part():
    from skimbgan.classification._closeness import CANDIDATE_WEIGHTS

    (X, y), _ = few_shot_table(40)
    clf = EGANClassifier(**{**FAST, "closeness_weight": "auto", "validation_fraction": 0.25})
    clf.fit(X, y)
    assert clf.closeness_weight_ in CANDIDATE_WEIGHTS
    # the minority sits inside the majority's bulk as a tight cluster:
    # closeness finds the 10 held-out rows, the discriminator alone does not
    assert clf.closeness_weight_ >= 0.5
    # a given weight is kept as it is
    fixed = EGANClassifier(**{**FAST, "closeness_weight": 0.25, "validation_fraction": 0.25})
    assert fixed.fit(X, y).closeness_weight_ == 0.25


def test_choice_prefers_the_prior_among_ties():
    from skimbgan.classification._closeness import CANDIDATE_WEIGHTS, choose_weight

    is_minority = np.r_[np.zeros(20, bool), np.ones(3, bool)]
    # both parts rank the minority first: every weight is as good
    part = np.where(is_minority, -5.0, np.linspace(0, 1, 23))
    assert choose_weight((part, part), is_minority, None, 0.83) == 0.8
    # closeness ranks the minority last: the weights whose blend still
    # ranks it first tie, and the one nearest the prior is the largest
    against = np.linspace(-1, 1, 23)
    perfect = [
        w
        for w in CANDIDATE_WEIGHTS
        if ((1 - w) * part + w * against)[is_minority].max()
        < ((1 - w) * part + w * against)[~is_minority].min()
    ]
    assert 0.0 in perfect and 1.0 not in perfect
    assert choose_weight((part, against), is_minority, None, 0.83) == max(perfect)


@pytest.mark.parametrize("weight", [0.3, 1.0])
def test_score_is_the_blend_of_its_components(weight):
    (X, y), (X_test, _) = few_shot_table(5)
    clf = EGANClassifier(**{**FAST, "closeness_weight": weight}).fit(X, y)
    assert clf.closeness_weight_ == weight
    parts = clf.score_components(X_test)
    assert set(parts) == {"discriminator", "closeness"}
    expected = (1 - weight) * parts.discriminator + weight * parts.closeness
    np.testing.assert_allclose(clf.score_samples(X_test), expected, rtol=1e-12)
    # each part is in units of its spread over the training majority
    majority = clf.score_components(X[y == 0])
    assert abs(np.median(majority.discriminator)) < 0.3
    assert abs(np.median(majority.closeness)) < 0.3
    # the cut-off is on the blended score: predictions follow it
    np.testing.assert_array_equal(
        clf.predict(X_test), clf.classes_[(clf.decision_function(X_test) > 0).astype(int)]
    )


def test_known_minority_rows_score_lowest_on_closeness():
    (X, y), _ = few_shot_table(3)
    clf = EGANClassifier(**{**FAST, "closeness_weight": 1.0, "validation_fraction": None})
    scores = clf.fit(X, y).score_samples(X)
    # a known minority sample is at distance 0 from itself
    assert scores[y == 1].max() < scores[y == 0].min()


def test_closeness_finds_a_few_shot_minority_the_discriminator_misses():
    (X, y), (X_test, y_test) = few_shot_table(2)
    ap = {}
    for weight in (0.0, "auto"):
        clf = EGANClassifier(**{**FAST, "closeness_weight": weight, "n_steps": 100}).fit(X, y)
        ap[weight] = average_precision_score(y_test, -clf.score_samples(X_test))
    # inside the majority's bulk, the two known rows are the only guide
    assert ap[0.0] < 0.5
    assert ap["auto"] > 0.9


def test_closeness_with_images_uses_the_pretrained_embedding():
    rng = np.random.RandomState(0)
    X = rng.randint(0, 120, size=(28, 12, 12)).astype(np.uint8)
    X[24:] += 100
    y = np.r_[np.zeros(24, int), np.ones(4, int)]
    with torch.random.fork_rng():
        torch.manual_seed(0)
        backbone = TinyNet()
    clf = EGANClassifier(
        input_type="images",
        input_size=32,
        n_steps=6,
        batch_size=8,
        latent_dim=8,
        eval_every=2,
        device="cpu",
        random_state=0,
        generator_backbone=backbone,
        discriminator_backbone=backbone,
        trainable_stages="all",
        learning_rate=1e-2,
        closeness_weight=0.5,
    ).fit(X, y)
    # the discriminator's backbone trained, the embedder kept its weights
    trained = dict(clf.discriminator_.tail.named_parameters())
    for name, parameter in clf._embedder.named_parameters():
        assert not parameter.requires_grad
        assert not torch.equal(parameter, trained[name])
        assert torch.equal(parameter, dict(backbone.named_parameters())[name.split(".", 1)[-1]])
    parts = clf.score_components(X)
    np.testing.assert_allclose(
        clf.score_samples(X), 0.5 * parts.discriminator + 0.5 * parts.closeness, rtol=1e-12
    )
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_allclose(again.score_samples(X), clf.score_samples(X), rtol=1e-12)


def test_bad_weights_are_refused():
    (X, y), _ = few_shot_table()
    for bad in (-0.1, 1.5, "near"):
        with pytest.raises(ValueError, match="closeness_weight"):
            EGANClassifier(**{**FAST, "closeness_weight": bad}).fit(X, y)


def test_a_pickled_blend_scores_the_same():
    (X, y), (X_test, _) = few_shot_table(5)
    clf = EGANClassifier(**{**FAST, "closeness_weight": "auto"}).fit(X, y)
    again = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(again.score_samples(X_test), clf.score_samples(X_test))


@pytest.mark.parametrize("n_majority", [1, 2, 3])
def test_a_majority_of_a_few_rows_still_gets_a_closeness(n_majority):
    rng = np.random.RandomState(0)
    X = np.r_[rng.normal(size=(n_majority, 3)), rng.normal(size=(6, 3)) + 3]
    y = np.r_[np.zeros(n_majority, int), np.ones(6, int)]
    # (a held-out cut-off needs two majority rows: a clear error of its own)
    for contamination in ("f1", None) if n_majority > 1 else (None,):
        clf = EGANClassifier(
            **{**FAST, "closeness_weight": 0.5, "contamination": contamination},
            minority_class=1,
            validation_fraction=None,
        ).fit(X, y)
        assert np.isfinite(clf.score_samples(X)).all()
        assert np.isfinite(clf.score_components(X).closeness).all()


def test_threshold_wrappers_work_on_the_blended_score():
    from sklearn.model_selection import FixedThresholdClassifier, TunedThresholdClassifierCV

    (X, y), (X_test, _) = few_shot_table(40)
    clf = EGANClassifier(**{**FAST, "closeness_weight": "auto"}).fit(X, y)
    assert clf.closeness_weight_ > 0
    # threshold 0 on decision_function is the classifier's own prediction
    fixed = FixedThresholdClassifier(clf, threshold=0.0, response_method="decision_function")
    np.testing.assert_array_equal(fixed.fit(X, y).predict(X_test), clf.predict(X_test))
    tuned = TunedThresholdClassifierCV(
        EGANClassifier(**{**FAST, "closeness_weight": "auto"}), scoring="f1", cv=3
    ).fit(X, y)
    assert set(np.unique(tuned.predict(X_test))) <= {0, 1}
    assert np.isfinite(tuned.best_threshold_)


def test_the_discriminator_part_is_bounded_in_blends():
    from skimbgan.classification._closeness import DISCRIMINATOR_BOUND

    (X, y), (X_test, _) = few_shot_table(5)
    clf = EGANClassifier(**{**FAST, "closeness_weight": 0.3}).fit(X, y)
    # far from anything seen in training, the logit runs off; its part stops
    # at the bound, and the score is still the blend of the parts
    X_far = np.r_[X_test, 40 * X_test[:20], -40 * X_test[:20]]
    parts = clf.score_components(X_far)
    assert np.abs(parts.discriminator).max() == pytest.approx(DISCRIMINATOR_BOUND)
    bound = f"[-{DISCRIMINATOR_BOUND:g}, {DISCRIMINATOR_BOUND:g}]"  # as the docs say
    assert bound in EGANClassifier.__doc__ and bound in EGANClassifier.score_components.__doc__
    raw = clf._blend.parts(*clf._logits_and_embedding(X_far), bounded=False)[0]
    assert np.abs(raw).max() > DISCRIMINATOR_BOUND
    bounded = raw.clip(-DISCRIMINATOR_BOUND, DISCRIMINATOR_BOUND)
    np.testing.assert_allclose(bounded, parts.discriminator)
    expected = 0.7 * parts.discriminator + 0.3 * parts.closeness
    np.testing.assert_allclose(clf.score_samples(X_far), expected, rtol=1e-12)


def test_the_choice_bounds_the_discriminator_except_at_weight_zero():
    from skimbgan.classification._closeness import choose_weight

    is_minority = np.r_[np.zeros(20, bool), np.ones(3, bool)]
    # closeness ranks the minority first; the discriminator does too, but
    # calls one majority sample far more minority-like than anything
    closeness = np.where(is_minority, -3.0, np.linspace(0, 1, 23))
    discriminator = np.where(is_minority, -2.0, np.linspace(0, 1, 23))
    discriminator[0] = -60.0
    # unbounded, only closeness alone ranks the minority first; bounded at
    # 3, every blend with closeness does, and the prior's weight wins the tie
    assert choose_weight((discriminator, closeness), is_minority, None, 0.5) == 1.0
    assert choose_weight((discriminator, closeness), is_minority, None, 0.5, bound=3.0) == 0.5
    # the weight 0 is the logit alone, not clipped: here only it ranks the
    # minority (-10) before a majority outlier (-5), which clipping at 3
    # would tie; closeness ranks the minority last
    discriminator = np.where(is_minority, -10.0, np.linspace(0, 1, 23))
    discriminator[0] = -5.0
    closeness = np.where(is_minority, 5.0, np.linspace(0, 1, 23))
    assert choose_weight((discriminator, closeness), is_minority, None, 0.5, bound=3.0) == 0.0
