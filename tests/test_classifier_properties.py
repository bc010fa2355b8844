"""Property-based tests of the classifiers and ImageEmbedder over the inputs users pass.

Hypothesis draws the data (shapes, layouts, dtypes, magnitudes from 1e-20 to
1e300, NaN, tiny classes, label types), the validation data and the
parameters that have tripped estimators before (a diverging learning rate,
class weights, devices, frozen backbones, batch sizes that leave one image
in the last batch). Every successful fit must give finite outputs of the
documented shapes and classes; every failure must be a ValueError or
TypeError raised by our validation, with no torch frame in its traceback.
"""

import traceback
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from skimbgan import EGANClassifier, ImageEmbedder, PolarityGANClassifier

from .conftest import tiny_backbone

PROPERTY_SETTINGS = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,  # the same examples on every run: CI is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MAGNITUDES = {"unit": 1.0, "huge": 1e300, "large": 1e200, "tiny": 1e-20}


def assert_clean_failure(exc):
    """A ValueError or TypeError from validation, not from inside torch."""
    assert isinstance(exc, (ValueError, TypeError)), repr(exc)
    frames = [frame.filename for frame in traceback.extract_tb(exc.__traceback__)]
    assert not any("/torch/" in name for name in frames), (repr(exc), frames)
    assert str(exc)


def labels_of(kind, index):
    """Class indices as the label type a user might pass."""
    index = np.asarray(index)
    if kind == "str":
        return np.array(["cat", "dog", "eel", "fox"])[index]
    if kind == "bool" and index.max() <= 1:
        return index.astype(bool)
    if kind == "float":
        return index.astype(float)
    return index * 3 - 2


def check_fitted_classifier(clf, X, labels):
    proba = clf.predict_proba(X)
    assert proba.shape == (len(X), len(clf.classes_))
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    decision = clf.decision_function(X)
    assert np.isfinite(decision).all()
    assert decision.shape[0] == len(X)
    predicted = clf.predict(X)
    assert predicted.shape == (len(X),)
    assert set(predicted.tolist()) <= set(np.unique(labels).tolist())


def fit_and_check(make, X, y, fit_params, X_check):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            clf = make().fit(X, y, **fit_params)
        except Exception as exc:  # noqa: BLE001 - the property is about the kind
            assert_clean_failure(exc)
            event(f"refused: {type(exc).__name__}")
            return None
        check_fitted_classifier(clf, X_check, y)
    event("fitted")
    return clf


# --- EGANClassifier on feature vectors ------------------------------------------


@st.composite
def egan_feature_problems(draw):
    n_minority = draw(st.integers(1, 8))
    n_majority = draw(st.integers(n_minority, 30))
    n_features = draw(st.integers(1, 4))
    magnitude = MAGNITUDES[draw(st.sampled_from(sorted(MAGNITUDES)))]
    dtype = draw(st.sampled_from(["float64", "float32", "int64"]))
    rng = np.random.RandomState(draw(st.integers(0, 2**16)))
    X = rng.normal(size=(n_minority + n_majority, n_features))
    X[:n_minority] += 2.0
    if draw(st.booleans()):
        X[:, 0] = 1.0  # a constant column
    if dtype == "int64":
        X = np.rint(X * 10).astype(np.int64)
    else:
        if dtype == "float32":
            magnitude = min(magnitude, 1e30)
        X = (X * magnitude).astype(dtype)
    if draw(st.integers(0, 20)) == 0:
        X = X.astype(np.float64)
        X[0, 0] = np.nan
    kind = draw(st.sampled_from(["int", "str", "bool", "float"]))
    y = labels_of(kind, np.r_[np.ones(n_minority, int), np.zeros(n_majority, int)])
    if draw(st.integers(0, 15)) == 0:
        y = labels_of(kind, np.arange(len(y)) % 3)  # three classes
    params = dict(
        learning_rate=draw(st.sampled_from([1e-3] * 5 + [1e3])),
        validation_fraction=draw(st.sampled_from([None, 0.2, 0.5])),
        selection_metric=draw(st.sampled_from(["average_precision", "f1"])),
        minority_class=draw(st.sampled_from([None] * 6 + [y[0], "nope"])),
        device=draw(st.sampled_from(["cpu"] * 10 + ["meta", "cuda:7"])),
    )
    fit_params = {}
    if draw(st.integers(0, 3)) == 0:
        n_val = draw(st.integers(1, 6))
        val_kind = draw(st.sampled_from([kind, kind, "str", "int"]))
        fit_params = dict(
            X_val=np.asarray(X[:n_val], dtype=np.float64),
            y_val=labels_of(val_kind, np.arange(n_val) % 2),
        )
    return X, y, params, fit_params


@PROPERTY_SETTINGS
@given(egan_feature_problems())
def test_egan_features_contract(problem):
    X, y, params, fit_params = problem

    def make():
        return EGANClassifier(
            n_steps=4, hidden_dims=(4,), latent_dim=2, batch_size=8, eval_every=2,
            random_state=0, **params,
        )  # fmt: skip

    clf = fit_and_check(make, X, y, fit_params, X)
    if clf is not None:
        assert clf.minority_class_ in clf.classes_
        assert np.isfinite(clf.score_samples(X)).all()


# --- image data ---------------------------------------------------------------------


@st.composite
def image_arrays(draw, n):
    size = draw(st.integers(4, 12))
    layout = draw(st.sampled_from(["grey", "last", "first"] * 4 + ["flat", "two-channel"]))
    shape = {
        "grey": (n, size, size),
        "last": (n, size, size, 3),
        "first": (n, 3, size, size),
        "flat": (n, size * size),
        "two-channel": (n, size, size, 2),
    }[layout]
    dtype = draw(st.sampled_from(["uint8", "float32", "float64", "int16"]))
    rng = np.random.RandomState(draw(st.integers(0, 2**16)))
    X = rng.uniform(0, 1, size=shape)
    if dtype in ("uint8", "int16"):
        X = (X * 255).astype(dtype)
    else:
        X = X.astype(dtype)
        bad = draw(st.sampled_from([None] * 12 + ["nan", "range"]))
        if bad == "nan" and n:
            X.flat[0] = np.nan
        if bad == "range" and n:
            X.flat[0] = 3.0
    return X


@st.composite
def image_problems(draw, max_classes):
    n_classes = 1 if draw(st.integers(0, 12)) == 0 else draw(st.integers(2, max_classes))
    counts = [draw(st.integers(1, 9)) for _ in range(n_classes)]
    if draw(st.booleans()):
        counts = [max(count, 3) for count in counts]
    X = draw(image_arrays(sum(counts)))
    kind = draw(st.sampled_from(["int", "str", "bool", "float"]))
    y = labels_of(kind, np.repeat(np.arange(n_classes), counts))
    fit_params = {}
    if draw(st.integers(0, 4)) == 0:
        n_val = draw(st.integers(1, 5))
        val_kind = draw(st.sampled_from([kind, kind, "str", "int"]))
        fit_params = dict(X_val=X[:n_val], y_val=labels_of(val_kind, np.arange(n_val) % n_classes))
    return X, y, fit_params


@PROPERTY_SETTINGS
@given(
    image_problems(max_classes=2),
    st.sampled_from([0, 1, "all"]),
    st.sampled_from([None, 0.3]),
    st.sampled_from([1e-3] * 5 + [1e3]),
)
def test_egan_images_contract(problem, trainable_stages, validation_fraction, learning_rate):
    X, y, fit_params = problem

    def make():
        backbone = tiny_backbone()
        return EGANClassifier(
            input_type="images", input_size=8, n_steps=3, batch_size=4, latent_dim=2,
            eval_every=1, trainable_stages=trainable_stages, learning_rate=learning_rate,
            validation_fraction=validation_fraction, generator_backbone=backbone,
            discriminator_backbone=backbone, device="cpu", random_state=0,
        )  # fmt: skip

    fit_and_check(make, X, y, fit_params, X)


@PROPERTY_SETTINGS
@given(
    image_problems(max_classes=4),
    st.sampled_from([0, 1, "all"]),
    st.integers(2, 9),
    st.booleans(),
    st.sampled_from([None] * 3 + ["balanced", "some", "zeros", "negative"]),
    st.sampled_from([None, 0.3]),
)
def test_polarity_gan_classifier_contract(
    problem, trainable_stages, batch_size, use_gan, class_weight, validation_fraction
):
    X, y, fit_params = problem
    labels = np.unique(y).tolist()
    weights = {
        "zeros": {label: 0.0 for label in labels},
        "negative": {labels[0]: -1.0},
        "some": {labels[-1]: 2.5},
    }.get(class_weight, class_weight)

    def make():
        return PolarityGANClassifier(
            backbone=tiny_backbone(), input_size=8, n_epochs=1, batch_size=batch_size,
            trainable_stages=trainable_stages, use_gan=use_gan, class_weight=weights,
            validation_fraction=validation_fraction, hidden_dims=(4,), noise_dim=2,
            device="cpu", random_state=0,
        )  # fmt: skip

    fit_and_check(make, X, y, fit_params, X)


@PROPERTY_SETTINGS
@given(st.sampled_from([0, 1, 2, 3, 5, 6] * 2).flatmap(image_arrays), st.booleans())
def test_image_embedder_contract(X, same_layout_later):
    embedder = ImageEmbedder(backbone=tiny_backbone(), weights=None, input_size=8, device="cpu")
    try:
        out = embedder.fit_transform(X)
    except Exception as exc:  # noqa: BLE001 - the property is about the kind
        assert_clean_failure(exc)
        event(f"refused: {type(exc).__name__}")
        return
    event("embedded")
    assert out.shape == (len(X), embedder.n_features_out_)
    assert out.dtype == np.float32 and np.isfinite(out).all()
    if same_layout_later:
        np.testing.assert_array_equal(embedder.transform(X), out)


@pytest.mark.parametrize("device", ["meta", "cuda:7", "not-a-device"])
def test_devices_that_cannot_run_are_refused_at_fit(device, binary_data):
    X, y = binary_data
    with pytest.raises(ValueError, match="device"):
        EGANClassifier(n_steps=2, device=device).fit(X, y)
