"""Contract tests of PolarityGANSampler."""

import pickle
import warnings
from collections import Counter

import joblib
import numpy as np
import pytest
import torch
from scipy.optimize import linprog
from sklearn.base import clone

from skimbgan import PolarityGANSampler

from .conftest import fast_sampler


def in_convex_hull(points, hull_points):
    """Linear-programming membership test: is each point a convex combination
    of ``hull_points``? (feasibility of w >= 0, sum w = 1, w @ P = x)."""
    n = hull_points.shape[0]
    A_eq = np.vstack([hull_points.T, np.ones((1, n))])
    inside = []
    for x in points:
        b_eq = np.concatenate([x, [1.0]])
        res = linprog(np.zeros(n), A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        inside.append(res.status == 0)
    return np.array(inside)


# --- counts and originals -------------------------------------------------


@pytest.mark.parametrize(
    "strategy, expected",
    [
        ("auto", {0: 180, 1: 180}),
        ("minority", {0: 180, 1: 180}),
        (0.5, {0: 180, 1: 90}),
        ({1: 100}, {0: 180, 1: 100}),
        ({0: 200, 1: 50}, {0: 200, 1: 50}),  # new samples of the largest class too
        (lambda y: {1: 30}, {0: 180, 1: 30}),
    ],
)
def test_counts_follow_sampling_strategy(binary_data, strategy, expected):
    X, y = binary_data
    X_res, y_res = fast_sampler(sampling_strategy=strategy).fit_resample(X, y)
    assert Counter(y_res.tolist()) == expected
    assert X_res.shape == (sum(expected.values()), X.shape[1])


def test_originals_come_back_unchanged_and_first(binary_data):
    X, y = binary_data
    X_res, y_res = fast_sampler().fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)


def test_nothing_to_generate_returns_input(binary_data):
    X, y = binary_data
    sampler = fast_sampler(sampling_strategy={1: 20})  # class 1 already has 20
    X_res, y_res = sampler.fit_resample(X, y)
    np.testing.assert_array_equal(X_res, X)
    np.testing.assert_array_equal(y_res, y)
    with pytest.raises(ValueError, match="generated nothing"):
        sampler.generate({1: 3})


# --- the convex-hull guarantee ---------------------------------------------


def test_samples_are_convex_combinations_of_their_class(multiclass_data):
    X, y = multiclass_data
    sampler = fast_sampler(sampling_strategy={0: 70, 1: 60, 2: 40})
    sampler.fit_resample(X, y)
    X_new, y_new, weights, rows = sampler.generate(
        {0: 30, 1: 30, 2: 30}, random_state=1, return_weights=True
    )
    assert np.all(weights >= 0)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, atol=1e-6)
    # every combined row is of the sample's own class ...
    np.testing.assert_array_equal(y[rows], np.repeat(y_new[:, None], rows.shape[1], 1))
    # ... and the weights rebuild the sample exactly
    rebuilt = np.einsum("nc,ncf->nf", weights, X[rows])
    np.testing.assert_allclose(X_new, rebuilt, rtol=1e-10, atol=1e-10)
    # no real sample has more than max_anchor_weight in a synthetic one
    assert weights.max() <= sampler.max_anchor_weight + 1e-6


@pytest.mark.parametrize("n_neighbors", [3, None])
def test_convex_hull_by_linear_programming(rng, n_neighbors):
    # Independent of the sampler's own weights: an LP feasibility test per sample.
    X = np.vstack([rng.normal(0, 1, (60, 3)), rng.normal(2, 1, (15, 3))])
    y = np.array([0] * 60 + [1] * 15)
    X_res, y_res = fast_sampler(n_neighbors=n_neighbors).fit_resample(X, y)
    new = X_res[len(X) :]
    assert np.all(y_res[len(X) :] == 1)
    assert in_convex_hull(new, X[y == 1]).all()
    # sanity of the test itself: a point outside the hull is detected
    assert not in_convex_hull(X[y == 1].max(axis=0, keepdims=True) + 1.0, X[y == 1])[0]


def test_max_anchors_caps_the_anchor_set(binary_data):
    X, y = binary_data
    sampler = fast_sampler(max_anchors=8)
    sampler.fit_resample(X, y)
    assert all(len(rows) <= 8 for rows in sampler.anchor_indices_.values())
    _, y_new, _, rows = sampler.generate({1: 50}, random_state=0, return_weights=True)
    assert set(np.unique(rows)) <= set(sampler.anchor_indices_[1])


# --- determinism and random state -------------------------------------------


def test_same_seed_same_output(multiclass_data):
    X, y = multiclass_data
    a = fast_sampler(random_state=3).fit_resample(X, y)[0]
    b = fast_sampler(random_state=3).fit_resample(X, y)[0]
    c = fast_sampler(random_state=4).fit_resample(X, y)[0]
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)


def test_global_random_state_untouched(binary_data):
    X, y = binary_data
    np.random.seed(123)
    torch.manual_seed(123)
    expected_np = np.random.get_state()[1].copy()
    expected_torch = torch.get_rng_state().clone()
    fast_sampler(random_state=0).fit_resample(X, y)
    np.testing.assert_array_equal(np.random.get_state()[1], expected_np)
    assert torch.equal(torch.get_rng_state(), expected_torch)


# --- dtypes, labels, pandas ---------------------------------------------------


@pytest.mark.parametrize(
    "dtype, out",
    [(np.float32, np.float32), (np.float64, np.float64), (np.int64, np.float64)],
)
def test_dtype(binary_data, dtype, out):
    X, y = binary_data
    X = (X * 10).astype(dtype)
    X_res, _ = fast_sampler().fit_resample(X, y)
    assert X_res.dtype == out


@pytest.mark.parametrize(
    "labels", [np.array(["neg", "pos"]), np.array([-1, 7]), np.array([False, True])]
)
def test_label_types(binary_data, labels):
    X, y = binary_data
    y = labels[y]
    X_res, y_res = fast_sampler().fit_resample(X, y)
    assert y_res.dtype == y.dtype
    assert Counter(y_res.tolist()) == {labels[0].item(): 180, labels[1].item(): 180}


def test_pandas_in_pandas_out(binary_data):
    pd = pytest.importorskip("pandas")
    X, y = binary_data
    X_df = pd.DataFrame(X, columns=[f"f{i}" for i in range(X.shape[1])])
    y_s = pd.Series(np.where(y == 1, "yes", "no"), name="target")
    X_res, y_res = fast_sampler().fit_resample(X_df, y_s)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(X_df.columns)
    assert y_res.name == "target"
    assert y_res.value_counts().to_dict() == {"no": 180, "yes": 180}


# --- bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    "make_X, match",
    [
        (lambda X: np.where(np.arange(X.size).reshape(X.shape) == 3, np.nan, X), "NaN"),
        (
            lambda X: np.where(np.arange(X.size).reshape(X.shape) == 3, np.inf, X),
            "infinity",
        ),
        (lambda X: X.astype(str).astype(object) + "x", "could not convert"),
        (lambda X: X[:, :0], "0 feature"),
    ],
    ids=["nan", "inf", "strings", "no-features"],
)
def test_bad_X_is_a_value_error(binary_data, make_X, match):
    X, y = binary_data
    with pytest.raises(ValueError, match=match):
        fast_sampler().fit_resample(make_X(X), y)


def test_empty_input(binary_data):
    with pytest.raises(ValueError):
        fast_sampler().fit_resample(np.empty((0, 3)), np.empty(0))


def test_single_class(binary_data):
    X, _ = binary_data
    with pytest.raises(ValueError, match="more than 1 class"):
        fast_sampler().fit_resample(X, np.zeros(len(X)))


def test_sparse_input_is_refused(binary_data):
    sparse = pytest.importorskip("scipy.sparse")
    X, y = binary_data
    with pytest.raises(TypeError, match="dense data is required"):
        fast_sampler().fit_resample(sparse.csr_matrix(X), y)


@pytest.mark.parametrize(
    "params",
    [
        {"n_steps": 0},
        {"max_anchor_weight": 0.3},
        {"selection": "most_fun"},
        {"init": "pretrained"},
        {"device": 3},
        {"n_neighbors": 0},
        {"gp_every": 0},
    ],
)
def test_bad_parameters(binary_data, params):
    X, y = binary_data
    with pytest.raises(ValueError):
        fast_sampler(**params).fit_resample(X, y)


def test_bad_hidden_dims(binary_data):
    X, y = binary_data
    with pytest.raises(ValueError, match="hidden_dims"):
        fast_sampler(hidden_dims=(16, 0)).fit_resample(X, y)


def test_unavailable_device(binary_data):
    if torch.cuda.is_available():
        pytest.skip("CUDA is available here")
    X, y = binary_data
    with pytest.raises(ValueError, match="CUDA is not available"):
        fast_sampler(device="cuda").fit_resample(X, y)


def test_single_sample_class_gives_copies_with_a_warning(rng):
    X = rng.normal(size=(30, 4))
    y = np.array([0] * 29 + [1])
    with pytest.warns(UserWarning, match="single sample"):
        X_res, y_res = fast_sampler().fit_resample(X, y)
    new = X_res[len(X) :]
    assert new.shape == (28, 4)
    np.testing.assert_allclose(new, np.repeat(X[-1:], 28, axis=0))


def test_constant_feature_is_fine(binary_data):
    X, y = binary_data
    X = np.hstack([X, np.full((len(X), 1), 5.0)])
    X_res, _ = fast_sampler().fit_resample(X, y)
    assert np.all(np.isfinite(X_res))
    np.testing.assert_allclose(X_res[:, -1], 5.0)


# --- options ----------------------------------------------------------------


@pytest.mark.parametrize("selection", ["least_confidence", "margin", "ratio", "entropy"])
def test_uncertainty_selection(binary_data, selection):
    X, y = binary_data
    X_res, y_res = fast_sampler(selection=selection).fit_resample(X, y)
    assert Counter(y_res.tolist()) == {0: 180, 1: 180}


def test_selection_keeps_the_most_uncertain(binary_data):
    # Among the same candidate pool, the kept samples are those C is least sure of.
    X, y = binary_data
    from skimbgan.metrics import least_confidence

    plain = fast_sampler(selection=None, n_steps=60)
    picked = fast_sampler(selection="least_confidence", n_steps=60)
    X_sel = picked.fit_resample(X, y)[0][len(X) :]
    X_all = plain.fit_resample(X, y)[0][len(X) :]

    def uncertainty(sampler, Z):
        z = torch.from_numpy(sampler._standardise(Z))
        with torch.no_grad():
            proba = torch.softmax(sampler.classifier_(z), 1).double().numpy()
        return least_confidence(proba / proba.sum(1, keepdims=True))

    assert uncertainty(picked, X_sel).mean() > uncertainty(picked, X_all).mean()


def test_random_init_and_global_softmax(binary_data):
    X, y = binary_data
    for params in (
        {"init": "autoencoder"},
        {"init": "autoencoder", "pretrain_steps": 0},
        {"n_neighbors": None},
    ):
        X_res, y_res = fast_sampler(**params).fit_resample(X, y)
        assert X_res.shape == (360, X.shape[1])


def test_history_records_losses(binary_data):
    X, y = binary_data
    sampler = fast_sampler(n_steps=30, init="autoencoder")
    sampler.fit_resample(X, y)
    history = sampler.history_
    assert np.array(history["phase"]).tolist().count(0) == 1  # 10 steps, logged every 10
    gan = np.array(history["phase"]) == 1
    assert np.array(history["step"])[gan].tolist() == [0, 10, 20, 29]
    for key in ("critic_loss", "wasserstein", "gradient_penalty", "classifier_loss"):
        assert np.all(np.isfinite(np.array(history[key])[gan]))
    assert np.all(np.isfinite(np.array(history["reconstruction_loss"])[~gan]))


@pytest.mark.parametrize(
    "gp_every, n_critic, expected", [(1, 1, 12), (4, 1, 3), (4, 2, 6), (5, 1, 3)]
)
def test_gp_every_penalises_one_critic_update_in_k(
    binary_data, monkeypatch, gp_every, n_critic, expected
):
    from skimbgan._core.polarity import steps

    computed = []
    real_penalty = steps.penalty_at

    def counted(scores, x_hat):
        computed.append(x_hat.shape[0])
        return real_penalty(scores, x_hat)

    seen = []
    real_step = steps.critic_step

    def critic_step(*args, **kwargs):
        seen.append((args[5], kwargs.get("penalise", True)))
        return real_step(*args, **kwargs)

    monkeypatch.setattr(steps, "penalty_at", counted)
    monkeypatch.setattr("skimbgan._core.polarity.training.critic_step", critic_step)
    sampler = fast_sampler(n_steps=12, n_critic=n_critic, gp_every=gp_every, gp_weight=2.0)
    sampler.fit_resample(*binary_data)
    # penalised updates: the 1st, then every gp_every-th, each weighted gp_every times
    assert len(computed) == expected
    assert [p for _, p in seen] == [i % gp_every == 0 for i in range(12 * n_critic)]
    assert {w for w, _ in seen} == {2.0 * gp_every}
    # the history reports the last penalty computed, never a missing one
    assert np.all(np.isfinite(sampler.history_["gradient_penalty"]))


def _checks(history):
    change = np.array(history["generator_change"])
    return np.array(history["step"])[~np.isnan(change)].tolist(), change[~np.isnan(change)]


def test_without_tol_training_runs_the_whole_budget(binary_data):
    X, y = binary_data
    sampler = fast_sampler(n_steps=120, tol=None)
    sampler.fit_resample(X, y)
    assert (sampler.n_steps_, sampler.stop_reason_) == (120, "n_steps")
    steps, change = _checks(sampler.history_)
    assert steps == [49, 99]  # a check every 50 updates, recorded even without tol
    assert np.all(change > 0)
    assert sampler.history_["step"][-1] == 119


def test_tol_stops_training_when_the_generator_stops_moving(binary_data):
    X, y = binary_data
    # every check is below an enormous tol: stop at the n_iter_no_change-th check
    sampler = fast_sampler(n_steps=1000, tol=1e9, n_iter_no_change=3)
    sampler.fit_resample(X, y)
    assert (sampler.n_steps_, sampler.stop_reason_) == (150, "converged")
    assert sampler.history_["step"][-1] == 149
    assert _checks(sampler.history_)[0] == [49, 99, 149]
    # tol=0 can never be met: the budget decides
    sampler = fast_sampler(n_steps=150, tol=0.0)
    sampler.fit_resample(X, y)
    assert (sampler.n_steps_, sampler.stop_reason_) == (150, "n_steps")


def test_tol_stops_at_the_first_quiet_run_of_checks(binary_data):
    X, y = binary_data
    reference = fast_sampler(n_steps=400)
    reference.fit_resample(X, y)
    steps, change = _checks(reference.history_)
    # a tol between the smallest and largest movement: training must stop at
    # the first check where the movement has stayed below it twice in a row
    tol = float(np.median(change))
    quiet = change < tol
    first = next(i for i in range(1, len(quiet)) if quiet[i] and quiet[i - 1])
    sampler = fast_sampler(n_steps=400, tol=tol, n_iter_no_change=2)
    X_res, _ = sampler.fit_resample(X, y)
    assert sampler.stop_reason_ == "converged"
    assert sampler.n_steps_ == steps[first] + 1
    # the same training up to there: the histories agree step for step
    n = len(sampler.history_["step"])
    np.testing.assert_array_equal(
        sampler.history_["critic_loss"], reference.history_["critic_loss"][:n]
    )
    # identical refits with early stopping
    again = fast_sampler(n_steps=400, tol=tol, n_iter_no_change=2)
    np.testing.assert_array_equal(again.fit_resample(X, y)[0], X_res)
    assert again.n_steps_ == sampler.n_steps_


def test_verbose_shows_progress(binary_data, capsys):
    X, y = binary_data
    fast_sampler(verbose=2, init="autoencoder").fit_resample(X, y)
    err = capsys.readouterr().err
    # one bar for the autoencoder initialisation, one for the GAN
    assert "PolarityGAN init" in err
    assert "PolarityGAN:" in err


# --- persistence and meta-estimators ----------------------------------------


def test_pickle_and_joblib(binary_data, tmp_path):
    X, y = binary_data
    sampler = fast_sampler()
    sampler.fit_resample(X, y)
    expected = sampler.generate({1: 10}, random_state=5)[0]
    restored = pickle.loads(pickle.dumps(sampler))
    np.testing.assert_array_equal(restored.generate({1: 10}, random_state=5)[0], expected)
    joblib.dump(sampler, tmp_path / "sampler.joblib")
    loaded = joblib.load(tmp_path / "sampler.joblib")
    np.testing.assert_array_equal(loaded.generate({1: 10}, random_state=5)[0], expected)


def test_clone_keeps_parameters():
    sampler = PolarityGANSampler(n_steps=7, n_neighbors=None, selection="margin")
    cloned = clone(sampler)
    assert cloned.get_params() == sampler.get_params()


def test_generate_validates_classes(binary_data):
    X, y = binary_data
    sampler = fast_sampler()
    with pytest.raises(Exception, match="not fitted"):
        sampler.generate({1: 3})
    sampler.fit_resample(X, y)
    with pytest.raises(ValueError, match="Unknown class"):
        sampler.generate({5: 3})
    with pytest.raises(ValueError, match="negative"):
        sampler.generate({1: -1})


def test_no_warnings_on_a_normal_fit(binary_data):
    X, y = binary_data
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fast_sampler().fit_resample(X, y)
