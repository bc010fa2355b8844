"""Regression tests for inputs that used to crash an estimator inside torch or
give a silently useless model."""

import pickle
import warnings

import numpy as np
import pytest
import torch
from torch import nn

from skimbgan import EGANClassifier, PolarityGANClassifier, PolarityGANSampler

from .conftest import tiny_backbone

FAST_EGAN = dict(n_steps=20, hidden_dims=(8,), latent_dim=4, batch_size=16, device="cpu")


def images(counts, size=8, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(0, 1, size=(sum(counts), size, size, 3)).astype(np.float32)
    y = np.repeat(np.arange(len(counts)), counts)
    X += y[:, None, None, None] * 0.1
    return np.clip(X, 0, 1), y


class PooledBatchNorm(nn.Sequential):
    """A backbone whose last layer normalises 1x1 maps: one image in a
    training batch gives torch's 'more than 1 value per channel' error."""

    def __init__(self):
        super().__init__(nn.Conv2d(3, 4, 3), nn.AdaptiveAvgPool2d(1), nn.BatchNorm2d(4))


@pytest.mark.parametrize("magnitude", [1e300, 1e200, 1e-20, 1e-300])
def test_egan_features_at_any_magnitude(binary_data, magnitude):
    X, y = binary_data
    clf = EGANClassifier(**FAST_EGAN, random_state=0).fit(X * magnitude, y)
    scores = clf.score_samples(X * magnitude)
    assert np.isfinite(scores).all()
    assert np.unique(scores).size > 10  # no feature was dropped as constant
    reference = EGANClassifier(**FAST_EGAN, random_state=0).fit(X, y).score_samples(X)
    np.testing.assert_allclose(scores, reference, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("validation_fraction", [None, 0.2])
def test_a_diverging_egan_fit_says_so(binary_data, validation_fraction):
    X, y = binary_data
    clf = EGANClassifier(
        **{**FAST_EGAN, "n_steps": 200}, learning_rate=1e20,
        validation_fraction=validation_fraction, random_state=0,
    )  # fmt: skip
    with pytest.raises(ValueError, match="diverged.*learning_rate"):
        clf.fit(X, y)


def test_last_batch_of_one_image_trains():
    X, y = images([6, 3])  # 9 training images in batches of 4: the last has one
    clf = PolarityGANClassifier(
        backbone=PooledBatchNorm(), input_size=8, n_epochs=2, batch_size=4,
        validation_fraction=None, hidden_dims=(4,), device="cpu", random_state=0,
    ).fit(X, y)  # fmt: skip
    assert clf.history_["epoch"][-1] == 2
    assert np.isfinite(clf.predict_proba(X)).all()


def test_a_frozen_backbone_trains_the_classifier_only():
    X, y = images([8, 4])
    backbone = tiny_backbone()
    before = [p.detach().clone() for p in backbone.parameters()]
    clf = PolarityGANClassifier(
        backbone=backbone, trainable_stages=0, input_size=8, n_epochs=1, batch_size=4,
        hidden_dims=(4,), device="cpu", random_state=0,
    ).fit(X, y)  # fmt: skip
    after = list(clf.extractor_.parameters())
    assert all(torch.equal(a, b) for a, b in zip(before, after, strict=True))
    assert np.isfinite(clf.predict_proba(X)).all()


@pytest.mark.parametrize(
    "class_weight, match",
    [({0: 0.0, 1: 0.0}, "weight of 0"), ({0: -1.0}, ">= 0"), ({1: float("nan")}, ">= 0")],
)
def test_class_weights_that_cannot_train_are_refused(class_weight, match):
    X, y = images([6, 4])
    clf = PolarityGANClassifier(backbone=tiny_backbone(), class_weight=class_weight, device="cpu")
    with pytest.raises(ValueError, match=match):
        clf.fit(X, y)


def test_validation_labels_of_another_type_are_named(binary_data):
    X, y = binary_data
    with pytest.raises(ValueError, match="y_val has labels"):
        EGANClassifier(**FAST_EGAN).fit(X, y, X_val=X[:10], y_val=np.array(["0", "1"] * 5))
    Xi, yi = images([6, 4])
    with pytest.raises(ValueError, match="y_val has labels"):
        PolarityGANClassifier(backbone=tiny_backbone(), device="cpu").fit(
            Xi, yi, X_val=Xi[:2], y_val=["a", "b"]
        )


def test_two_dimensional_input_names_the_classifier():
    with pytest.raises(ValueError, match="PolarityGANClassifier takes images"):
        PolarityGANClassifier(device="cpu").fit(np.zeros((4, 64)), [0, 1, 0, 1])
    with pytest.raises(ValueError, match="EGANClassifier takes images"):
        EGANClassifier(input_type="images", device="cpu").fit(np.zeros((4, 64)), [0, 1, 0, 1])


def test_one_image_class_warning_names_the_label_and_the_callers_line():
    X, _ = images([6, 1])
    y = np.array(["cat"] * 6 + ["eel"])
    clf = PolarityGANClassifier(
        backbone=tiny_backbone(), input_size=8, n_epochs=1, batch_size=4,
        validation_fraction=None, hidden_dims=(4,), device="cpu", random_state=0,
    )  # fmt: skip
    with pytest.warns(UserWarning, match="'eel'") as record:
        clf.fit(X, y)
    assert record[0].filename == __file__


def test_sampler_warning_points_at_the_callers_line(binary_data):
    X, y = binary_data
    keep = np.r_[np.flatnonzero(y == 0), np.flatnonzero(y == 1)[:1]]
    sampler = PolarityGANSampler(n_steps=2, pretrain_steps=1, device="cpu", random_state=0)
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        sampler.fit_resample(X[keep], y[keep])
    single = [w for w in record if "single sample" in str(w.message)]
    assert single and single[0].filename == __file__


def test_a_model_fitted_on_a_missing_device_loads_on_the_cpu(binary_data):
    X, y = binary_data
    clf = EGANClassifier(**FAST_EGAN, random_state=0).fit(X, y)
    expected = clf.predict_proba(X)
    clf.device_ = torch.device("cuda", 0)  # as if fitted on a GPU ...
    state = clf.__getstate__()
    assert all(p.device.type == "cpu" for p in state["discriminator_"].parameters())
    if not torch.cuda.is_available():  # ... and loaded where there is none
        loaded = pickle.loads(pickle.dumps(clf))
        assert loaded.device_ == torch.device("cpu")
        np.testing.assert_array_equal(loaded.predict_proba(X), expected)


@pytest.mark.parametrize("kind", ["array", "series"])
def test_labels_of_mixed_types_get_a_clear_message(kind):
    """An object array of ints and strings cannot be sorted into classes:
    every estimator says so, instead of calling it a regression target."""
    import pandas as pd

    from skimbgan import EGANClassifier, PolarityGANClassifier, PolarityGANSampler

    X = np.random.RandomState(0).randn(40, 3)
    y = np.array([1] * 30 + ["a"] * 10, dtype=object)
    y = pd.Series(y) if kind == "series" else y
    images = np.random.RandomState(0).rand(40, 8, 8).astype(np.float32)
    calls = [
        lambda: EGANClassifier(n_steps=2).fit(X, y),
        lambda: PolarityGANSampler(n_steps=2).fit_resample(X, y),
        lambda: PolarityGANClassifier(n_epochs=1).fit(images, y),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="mixes labels of different types \\(int, str\\)"):
            call()
    # a list is numpy's to convert: every label becomes a string, as in scikit-learn
    fitted = EGANClassifier(n_steps=2, device="cpu").fit(X, [1] * 30 + ["a"] * 10)
    assert list(fitted.classes_) == ["1", "a"]


def test_importing_and_using_the_package_under_python_OO():
    """``python -OO`` strips docstrings: the estimators still import and fit."""
    import subprocess
    import sys

    code = (
        "import numpy as np, skimbgan\n"
        "assert skimbgan.EGANClassifier.__doc__ is None\n"
        "X = np.random.RandomState(0).randn(60, 3); y = np.r_[np.zeros(50), np.ones(10)]\n"
        "skimbgan.EGANClassifier(n_steps=3, device='cpu').fit(X, y).predict(X)\n"
        "print('ok')\n"
    )
    out = subprocess.run([sys.executable, "-OO", "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"


def test_a_dataframe_fit_raises_no_feature_name_warning():
    """The fit's own scoring of its held-out rows must not warn that X lost
    the feature names it was fitted with."""
    import warnings

    import pandas as pd

    from skimbgan import EGANClassifier

    X = pd.DataFrame(np.random.RandomState(0).randn(200, 4), columns=list("abcd"))
    y = np.r_[np.zeros(170), np.ones(30)]
    for contamination in ("f1", 0.1):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            model = EGANClassifier(n_steps=10, contamination=contamination, device="cpu")
            model.fit(X, y).predict(X)
        assert model.cutoff_ in {"f1", "quantile"}


@pytest.mark.parametrize("kind", [object, int])
def test_egan_features_of_other_dtypes_are_read_as_float64(binary_data, kind):
    """Object (and integer) input becomes float64, not float32: at magnitude
    1e-300 float32 held only zeros, and every row got the same score."""
    X, y = binary_data
    X_in = (X * 1e-300).astype(object) if kind is object else np.round(X * 1e6).astype(np.int64)
    clf = EGANClassifier(**FAST_EGAN, random_state=0).fit(X_in, y)
    scores = clf.score_samples(X_in)
    assert np.unique(scores).size > 10
    as_float = X_in.astype(np.float64)
    reference = EGANClassifier(**FAST_EGAN, random_state=0).fit(as_float, y)
    np.testing.assert_array_equal(scores, reference.score_samples(as_float))
