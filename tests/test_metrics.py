import numpy as np
import pytest

from skimbgan.metrics import (
    UNCERTAINTY_MEASURES,
    least_confidence,
    margin_of_confidence,
    prediction_entropy,
    ratio_of_confidence,
)

PROBA = np.array([[1.0, 0.0, 0.0], [0.5, 0.3, 0.2], [1 / 3, 1 / 3, 1 / 3]])


def test_least_confidence():
    np.testing.assert_allclose(least_confidence(PROBA), [0.0, 0.5 * 3 / 2, 1.0])


def test_margin():
    np.testing.assert_allclose(margin_of_confidence(PROBA), [0.0, 0.8, 1.0])


def test_ratio():
    np.testing.assert_allclose(ratio_of_confidence(PROBA), [0.0, 0.6, 1.0])


def test_entropy():
    h = -(0.5 * np.log2(0.5) + 0.3 * np.log2(0.3) + 0.2 * np.log2(0.2)) / np.log2(3)
    np.testing.assert_allclose(prediction_entropy(PROBA), [0.0, h, 1.0])


@pytest.mark.parametrize("measure", list(UNCERTAINTY_MEASURES.values()))
def test_ranges_and_ordering(measure):
    rng = np.random.RandomState(0)
    proba = rng.dirichlet(np.ones(4), size=100)
    scores = measure(proba)
    assert scores.shape == (100,)
    assert np.all((scores >= -1e-12) & (scores <= 1 + 1e-12))
    # a sharper prediction is never more uncertain than a flatter one
    assert measure([[0.9, 0.1]])[0] < measure([[0.6, 0.4]])[0]


@pytest.mark.parametrize("measure", list(UNCERTAINTY_MEASURES.values()))
@pytest.mark.parametrize(
    "bad, match",
    [
        ([[0.5, 0.6]], "sum to 1"),
        ([[1.2, -0.2]], r"\[0, 1\]"),
        ([[1.0]], "feature"),
        ([[np.nan, 1.0]], "NaN"),
    ],
)
def test_bad_input(measure, bad, match):
    with pytest.raises(ValueError, match=match):
        measure(bad)
