"""sample_weight: validated, respected where data are drawn, zero weights as
dropped rows, equal weights as none, routed through pipelines."""

import numpy as np
import pytest
import sklearn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imblearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression

from skimbgan import PolarityGANSampler

from .conftest import fast_sampler, three_class_images
from .test_classifier_properties import assert_clean_failure
from .test_polarity_gan_classifier import tiny

BAD_WEIGHTS = [
    (lambda n: np.r_[np.nan, np.ones(n - 1)], "NaN"),
    (lambda n: np.r_[np.inf, np.ones(n - 1)], "infinity|NaN"),
    (lambda n: np.r_[-1.0, np.ones(n - 1)], "Negative"),
    (lambda n: np.ones(n - 1), "shape"),
    (lambda n: np.zeros(n), "non-zero"),
    (lambda n: np.ones((n, 2)), "1D"),
]


@pytest.mark.parametrize(("make", "match"), BAD_WEIGHTS)
def test_sampler_refuses_bad_weights(binary_data, make, match):
    X, y = binary_data
    with pytest.raises(ValueError, match=match):
        fast_sampler().fit_resample(X, y, sample_weight=make(len(y)))


def test_sampler_refuses_weights_that_leave_one_class(binary_data):
    X, y = binary_data
    with pytest.raises(ValueError, match="one class only"):
        fast_sampler().fit_resample(X, y, sample_weight=(y == 0).astype(float))


def test_sampler_equal_weights_are_no_weights(binary_data):
    X, y = binary_data
    X_none, y_none = fast_sampler().fit_resample(X, y)
    for weight in (np.ones(len(y)), np.full(len(y), 2.5), 3.0):
        sampler = fast_sampler()
        X_w, y_w = sampler.fit_resample(X, y, sample_weight=weight)
        np.testing.assert_array_equal(X_w, X_none)
        np.testing.assert_array_equal(y_w, y_none)
        # a combination of rows of weight w weighs w
        value = np.broadcast_to(weight, len(y))[0]
        np.testing.assert_allclose(sampler.sample_weight_resampled_, value)
        assert sampler.sample_weight_resampled_.shape == y_w.shape


def test_sampler_zero_weights_are_dropped_rows(binary_data):
    """Rows of weight 0 are neither counted, drawn nor combined: the synthetic
    samples are those of the data without them, and they come back unchanged
    with their weight 0."""
    X, y = binary_data
    weight = np.ones(len(y))
    dropped = np.r_[np.flatnonzero(y == 1)[:5], np.flatnonzero(y == 0)[:30]]
    weight[dropped] = 0.0
    keep = weight > 0
    sampler = fast_sampler()
    X_w, y_w = sampler.fit_resample(X, y, sample_weight=weight)
    X_k, y_k = fast_sampler().fit_resample(X[keep], y[keep])
    n, n_kept = len(y), int(keep.sum())
    np.testing.assert_array_equal(X_w[:n], X)
    np.testing.assert_allclose(X_w[n:], X_k[n_kept:], rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(y_w[n:], y_k[n_kept:])
    # 150 majority and 15 minority rows count: 135 new ones
    assert sampler.sampling_strategy_ == {1: 135}
    anchors = np.concatenate(list(sampler.anchor_indices_.values()))
    assert not np.isin(dropped, anchors).any()
    _, _, _, rows = sampler.generate({1: 500}, random_state=0, return_weights=True)
    assert not np.isin(dropped, rows).any()
    np.testing.assert_array_equal(sampler.sample_weight_resampled_[:n], weight)
    np.testing.assert_allclose(sampler.sample_weight_resampled_[n:], 1.0)


def test_sampler_integer_weights_draw_like_copies(binary_data):
    """Four minority rows of weight 10 are the base of a synthetic sample as
    often as when each is there 10 times (40 of 56 minority rows: 0.714),
    against 4 of 20 without weights; the synthetic samples' weights are
    their rows' weights combined with their convex weights."""
    X, y = binary_data
    n = len(y)
    heavy = np.flatnonzero(y == 1)[:4]
    weight = np.ones(n)
    weight[heavy] = 10.0
    is_heavy = np.isin(np.arange(n), heavy)

    def base_share(sampler, heavy_rows):
        _, _, _, rows = sampler.generate({1: 4000}, random_state=0, return_weights=True)
        return heavy_rows[rows[:, 0]].mean()

    weighted = fast_sampler()
    X_w, _ = weighted.fit_resample(X, y, sample_weight=weight)
    copies = np.repeat(heavy, 9)
    copied, plain = fast_sampler(), fast_sampler()
    copied.fit_resample(np.vstack([X, X[copies]]), np.r_[y, y[copies]])
    plain.fit_resample(X, y)
    assert base_share(weighted, is_heavy) == pytest.approx(40 / 56, abs=0.03)
    assert base_share(copied, np.r_[is_heavy, np.ones(copies.size, bool)]) == pytest.approx(
        40 / 56, abs=0.03
    )
    assert base_share(plain, is_heavy) == pytest.approx(4 / 20, abs=0.03)

    synthetic = weighted.sample_weight_resampled_[n:]
    assert synthetic.shape == (len(X_w) - n,)
    assert synthetic.min() >= 1.0 - 1e-9 and synthetic.max() <= 10.0 + 1e-9
    assert (synthetic > 1.5).mean() > 0.5  # most are built on a heavy row


def test_sampler_weights_reach_it_through_a_routed_pipeline(binary_data):
    X, y = binary_data
    weight = np.ones(len(y))
    weight[np.flatnonzero(y == 1)[:5]] = 0.0
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(
            fast_sampler().set_fit_resample_request(sample_weight=True),
            LogisticRegression().set_fit_request(sample_weight=False),
        )
        pipe.fit(X, y, sample_weight=weight)
    sampler = pipe[0]
    np.testing.assert_array_equal(sampler.sample_weight_resampled_[: len(y)], weight)
    assert sampler.sampling_strategy_ == {1: 165}  # 180 - 15 counted minority rows
    # without the request, passing weights is an error, not silently ignored
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(fast_sampler(), LogisticRegression())
        with pytest.raises(ValueError, match="sample_weight"):
            pipe.fit(X, y, sample_weight=weight)


def test_sampler_weights_on_a_mixed_table(binary_data):
    pd = pytest.importorskip("pandas")
    X, y = binary_data
    frame = pd.DataFrame(X, columns=list("abcde"))
    frame["colour"] = np.where(X[:, 0] > 0, "red", "blue")
    weight = np.ones(len(y))
    weight[np.flatnonzero(y == 1)[:3]] = 0.0
    sampler = PolarityGANSampler(
        n_steps=20, hidden_dims=(16,), categorical_features="auto", random_state=0
    )
    X_res, y_res = sampler.fit_resample(frame, y, sample_weight=weight)
    assert len(sampler.sample_weight_resampled_) == len(y_res) == len(X_res)
    anchors = np.concatenate(list(sampler.anchor_indices_.values()))
    assert not np.isin(np.flatnonzero(weight == 0), anchors).any()


# --- PolarityGANClassifier ---------------------------------------------------


@pytest.fixture
def images():
    """40 / 16 / 8 grey 12x12 images of three classes with different brightness."""
    return three_class_images()


def tiny_polarity(**params):
    return tiny(**params)


@pytest.mark.parametrize(("make", "match"), BAD_WEIGHTS)
def test_polarity_classifier_refuses_bad_weights(images, make, match):
    X, y = images
    with pytest.raises(ValueError, match=match):
        tiny_polarity(n_epochs=1).fit(X, y, sample_weight=make(len(y)))


@pytest.mark.parametrize("use_gan", [True, False])
def test_polarity_classifier_zero_weights_drop_and_equal_weights_vanish(images, use_gan):
    X, y = images
    plain = tiny_polarity(use_gan=use_gan).fit(X, y).predict_proba(X)
    ones = tiny_polarity(use_gan=use_gan).fit(X, y, sample_weight=np.full(len(y), 3.0))
    np.testing.assert_array_equal(ones.predict_proba(X), plain)
    weight = np.ones(len(y))
    weight[[0, 5, 41, 60]] = 0.0
    keep = weight > 0
    zero = tiny_polarity(use_gan=use_gan).fit(X, y, sample_weight=weight)
    dropped = tiny_polarity(use_gan=use_gan).fit(X[keep], y[keep])
    np.testing.assert_allclose(zero.predict_proba(X), dropped.predict_proba(X), rtol=1e-6)


def test_polarity_classifier_weights_move_predictions_like_copies(images):
    """Weight 6 on the shirts (8 of 64 images) raises the share of images
    called shirt as six copies of each shirt do."""
    X, y = images
    params = dict(balanced_sampling=False, validation_fraction=None, n_epochs=3)
    weight = np.where(y == "shirt", 6.0, 1.0)
    shirts = np.flatnonzero(y == "shirt")
    copies = np.r_[np.arange(len(y)), np.repeat(shirts, 5)]

    def shirt_probability(model):
        return model.predict_proba(X)[:, list(model.classes_).index("shirt")].mean()

    plain = shirt_probability(tiny_polarity(**params).fit(X, y))
    weighted = shirt_probability(tiny_polarity(**params).fit(X, y, sample_weight=weight))
    copied = shirt_probability(tiny_polarity(**params).fit(X[copies], y[copies]))
    assert weighted > plain and copied > plain
    assert abs(weighted - copied) < abs(plain - copied)


def test_epoch_rows_draw_in_proportion_to_the_weights():
    import torch

    from skimbgan._core.polarity.fine_tuning import epoch_rows

    y = torch.tensor([0, 0, 0, 1, 1])
    weight = torch.tensor([1.0, 2.0, 1.0, 1.0, 3.0])
    rng = torch.Generator().manual_seed(0)
    draws = torch.cat([epoch_rows(y, False, rng, weight) for _ in range(4000)])
    share = torch.bincount(draws, minlength=5).double() / draws.numel()
    np.testing.assert_allclose(share.numpy(), (weight / weight.sum()).numpy(), atol=0.01)
    draws = torch.cat([epoch_rows(y, True, rng, weight) for _ in range(4000)])
    share = torch.bincount(draws, minlength=5).double() / draws.numel()
    # each class half the draws, its rows in proportion to their weights
    np.testing.assert_allclose(share.numpy(), [0.125, 0.25, 0.125, 0.125, 0.375], atol=0.01)


# --- EGANClassifier ----------------------------------------------------------


@pytest.fixture
def table():
    from sklearn.datasets import make_classification

    return make_classification(
        n_samples=600, n_features=6, n_informative=4, weights=[0.9], random_state=0
    )


def small_egan(**params):
    from skimbgan import EGANClassifier

    return EGANClassifier(
        **{"n_steps": 60, "hidden_dims": (16,), "eval_every": 20, "device": "cpu",
           "random_state": 0, **params}
    )  # fmt: skip


@pytest.mark.parametrize(("make", "match"), BAD_WEIGHTS)
def test_egan_refuses_bad_weights(table, make, match):
    X, y = table
    with pytest.raises(ValueError, match=match):
        small_egan().fit(X, y, sample_weight=make(len(y)))


@pytest.mark.parametrize("contamination", [0.1, "f1", None])
def test_egan_zero_weights_drop_and_equal_weights_vanish(table, contamination):
    """The defaults (five stacked members, hold-outs, a cut-off): a weight of
    0 is the fit without the row, equal weights the fit without weights."""
    X, y = table
    plain = small_egan(contamination=contamination).fit(X, y)
    equal = small_egan(contamination=contamination).fit(X, y, sample_weight=np.full(len(y), 2.0))
    np.testing.assert_array_equal(equal.score_samples(X), plain.score_samples(X))
    assert equal.offset_ == plain.offset_
    weight = np.ones(len(y))
    weight[np.r_[np.flatnonzero(y == 1)[:4], np.flatnonzero(y == 0)[:50]]] = 0.0
    keep = weight > 0
    zero = small_egan(contamination=contamination).fit(X, y, sample_weight=weight)
    dropped = small_egan(contamination=contamination).fit(X[keep], y[keep])
    np.testing.assert_allclose(zero.score_samples(X), dropped.score_samples(X), rtol=1e-6)
    assert zero.offset_ == pytest.approx(dropped.offset_)


def test_egan_weights_move_scores_like_copies(table):
    """Weight 5 on a fifth of the majority (its largest first feature) makes
    those rows more majority-like against the rest of the majority, as five
    copies of them do; mean over four seeds of the gap between their mean
    logit and the other majority rows' (measured: without weights -0.24,
    with weights -0.10, with copies -0.07). The discriminator's logit alone
    (``closeness_weight=0``): distances to the known minority are not
    weighted."""
    X, y = table
    majority = np.flatnonzero(y == 0)
    heavy = majority[X[majority, 0] > np.quantile(X[majority, 0], 0.8)]
    rest = np.setdiff1d(majority, heavy)
    weight = np.ones(len(y))
    weight[heavy] = 5.0
    copies = np.r_[np.arange(len(y)), np.repeat(heavy, 4)]
    gaps = []
    for seed in range(4):
        params = dict(n_steps=300, hidden_dims=(16,), random_state=seed, validation_fraction=None)
        params.update(n_estimators=1, contamination=None, closeness_weight=0.0)
        fits = [
            small_egan(**params).fit(X, y),
            small_egan(**params).fit(X, y, sample_weight=weight),
            small_egan(**params).fit(X[copies], y[copies]),
        ]
        gaps.append([m.score_samples(X)[heavy].mean() - m.score_samples(X)[rest].mean()
                     for m in fits])  # fmt: skip
    plain, weighted, copied = np.mean(gaps, axis=0)
    assert weighted > plain + 0.1 and copied > plain + 0.1
    assert abs(weighted - copied) < abs(plain - copied)


def test_weighted_minority_losses_and_majority_draws():
    import torch

    from skimbgan._core.egan.losses import discriminator_loss, generator_loss
    from skimbgan._core.egan.training import _draws

    logits = torch.tensor([[0.5, -2.0, 1.0], [3.0, 0.0, -1.0]])
    weight = torch.tensor([[1.0, 0.0, 3.0], [2.0, 2.0, 2.0]])
    loss = generator_loss(logits, weight)
    # member 0: rows 0 and 2 only, 1:3; member 1: equal weights, the plain mean
    expected_0 = (generator_loss(logits[0, :1]) + 3 * generator_loss(logits[0, 2:])) / 4
    torch.testing.assert_close(loss[0], expected_0)
    torch.testing.assert_close(loss[1], generator_loss(logits[1]))
    real = torch.zeros(2, 4)
    torch.testing.assert_close(
        discriminator_loss(real, logits, weight) - discriminator_loss(real, logits),
        discriminator_loss(real[:, :3], logits, weight) - discriminator_loss(real[:, :3], logits),
    )
    rng = torch.Generator().manual_seed(0)
    drawn = _draws(4, 5000, 2, rng, "cpu", torch.tensor([1.0, 0.0, 2.0, 1.0]))
    assert drawn.shape == (2, 5000)
    share = torch.bincount(drawn.flatten(), minlength=4).double() / drawn.numel()
    np.testing.assert_allclose(share.numpy(), [0.25, 0.0, 0.5, 0.25], atol=0.015)


def test_weighted_f1_cutoff_and_quantile():
    from skimbgan.classification._score_threshold import f1_cutoff

    rng = np.random.RandomState(0)
    scores = rng.normal(size=60)
    is_minority = scores + rng.normal(scale=0.8, size=60) < -0.8
    weight = rng.randint(1, 4, size=60).astype(float)
    # integer weights: the cut-off of the rows repeated
    repeated = np.repeat(np.arange(60), weight.astype(int))
    assert f1_cutoff(scores, is_minority, weight) == pytest.approx(
        f1_cutoff(scores[repeated], is_minority[repeated])
    )
    assert f1_cutoff(scores, is_minority, np.ones(60)) == f1_cutoff(scores, is_minority)


@pytest.mark.parametrize("estimator", ["egan", "polarity"])
def test_classifiers_take_weights_through_routed_searches(table, images, estimator):
    """With metadata routing, set_fit_request(sample_weight=True) passes the
    weights through a Pipeline and GridSearchCV (whose scorer weighs too):
    the refitted model is the one fitted directly with them, and a bad
    weight is refused from inside the search."""
    from sklearn.metrics import f1_score, make_scorer
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import make_pipeline

    if estimator == "egan":
        (X, y), model, param = table, small_egan(), "dropout"
    else:
        (X, y), model, param = images, tiny_polarity(n_epochs=1), "use_gan"
    values = [0.2, 0.3] if param == "dropout" else [True, False]
    weight = np.random.RandomState(0).randint(0, 4, size=len(y)).astype(float)
    with sklearn.config_context(enable_metadata_routing=True):
        pipe = make_pipeline(sklearn.base.clone(model).set_fit_request(sample_weight=True))
        step = pipe.steps[0][0]
        scorer = make_scorer(f1_score, average="macro").set_score_request(sample_weight=True)
        search = GridSearchCV(
            pipe, {f"{step}__{param}": values}, cv=2, scoring=scorer, error_score="raise"
        )
        search.fit(X, y, sample_weight=weight)
        best = search.best_params_[f"{step}__{param}"]
        direct = sklearn.base.clone(model).set_params(**{param: best})
        direct.fit(X, y, sample_weight=weight)
        np.testing.assert_allclose(search.predict_proba(X), direct.predict_proba(X))
        with pytest.raises(ValueError, match="NaN"):
            search.fit(X, y, sample_weight=np.r_[np.nan, weight[1:]])


def test_egan_image_mode_zero_weights_drop_with_augmented_copies():
    """Image mode with augmented minority copies: the copies weigh what their
    image weighs, and a weight of 0 is the fit without the image."""
    from .test_egan_images import tiny as tiny_egan_images

    rng = np.random.RandomState(0)
    y = np.r_[np.zeros(40, int), np.ones(8, int)]
    X = rng.randint(0, 120, size=(48, 12, 12)).astype(np.uint8)
    X[y == 1] += 100
    weight = np.ones(len(y))
    weight[[3, 44]] = 0.0
    weight[[40, 41]] = 3.0
    keep = weight > 0
    params = dict(minority_augmentation=1, validation_fraction=None)
    weighted = tiny_egan_images(**params).fit(X, y, sample_weight=weight)
    assert np.isfinite(weighted.score_samples(X)).all()
    weight[[40, 41]] = 1.0
    zero = tiny_egan_images(**params).fit(X, y, sample_weight=weight)
    dropped = tiny_egan_images(**params).fit(X[keep], y[keep])
    np.testing.assert_allclose(zero.score_samples(X), dropped.score_samples(X), rtol=1e-5)


# --- any weights a user may pass ---------------------------------------------

WEIGHT_SCALES = [1e-320, 1e-300, 1e-20, 1.0, 1e20, 1e300, 1e308]


PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,  # the same examples on every run
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def weight_vectors(n):
    """Non-negative weights a scale per row drawn from WEIGHT_SCALES (and 0),
    so that ratios from 1 to 1e628, denormals and overflowing sums occur."""
    scale = st.sampled_from([0.0, *WEIGHT_SCALES])
    return st.lists(scale, min_size=n, max_size=n).map(np.array)


def _fit_or_clean_error(fit):
    try:
        return fit()
    except (ValueError, TypeError, RuntimeError) as exc:
        assert_clean_failure(exc)  # an all-zero or one-class weight vector
        return None


@PROPERTY_SETTINGS
@given(weight_vectors(120), weight_vectors(64))
def test_any_weights_give_finite_outputs_or_a_clear_error(weight, image_weight):
    """Weights with zeros, denormals and values near the float64 maximum:
    every estimator fits and gives finite outputs, or refuses the weights
    with a ValueError from validation (no torch error, no NaN)."""
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=120, n_features=6, weights=[0.85], random_state=0)
    images, labels = three_class_images()
    egan = _fit_or_clean_error(
        lambda: small_egan(n_steps=20, n_estimators=2).fit(X, y, sample_weight=weight)
    )
    if egan is not None:
        assert np.isfinite(egan.score_samples(X)).all()
    sampler = fast_sampler(n_steps=10)
    out = _fit_or_clean_error(lambda: sampler.fit_resample(X, y, sample_weight=weight))
    if out is not None:
        assert np.isfinite(out[0]).all()
        assert np.isfinite(sampler.sample_weight_resampled_).all()
    clf = _fit_or_clean_error(
        lambda: tiny_polarity(n_epochs=1, trainable_stages=0, probe_epochs=2).fit(
            images, labels, sample_weight=image_weight
        )
    )
    if clf is not None:
        assert np.isfinite(clf.predict_proba(images)).all()
