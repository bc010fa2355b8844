import numpy as np
from sklearn.utils import check_array


def _check_proba(proba):
    proba = check_array(proba, dtype=[np.float64, np.float32], ensure_min_features=2)
    if np.any(proba < 0) or np.any(proba > 1):
        raise ValueError("Probabilities must lie in [0, 1].")
    if not np.allclose(proba.sum(axis=1), 1.0, rtol=0, atol=1e-4):
        raise ValueError("Each row of the probability matrix must sum to 1.")
    return proba


def _top_two(proba):
    top = np.sort(proba, axis=1)[:, -2:]
    return top[:, 1], top[:, 0]


def least_confidence(proba):
    """Least confidence, eq. 7: ``(1 - y*) m / (m - 1)``.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Predicted class probabilities (rows sum to one), ``n_classes >= 2``.

    Returns
    -------
    ndarray of shape (n_samples,)
        0 for a certain prediction, 1 for a uniform one.

    Examples
    --------
    >>> from skimbgan.metrics import least_confidence
    >>> least_confidence([[1.0, 0.0], [0.5, 0.5]])
    array([0., 1.])
    """
    proba = _check_proba(proba)
    m = proba.shape[1]
    best, _ = _top_two(proba)
    return (1.0 - best) * m / (m - 1)


def margin_of_confidence(proba):
    """Margin of confidence, eq. 8: ``1 - (y* - y**)``.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Predicted class probabilities (rows sum to one), ``n_classes >= 2``.

    Returns
    -------
    ndarray of shape (n_samples,)
        0 when one class has all the mass, 1 when the top two tie.

    Examples
    --------
    >>> from skimbgan.metrics import margin_of_confidence
    >>> margin_of_confidence([[0.9, 0.1], [0.5, 0.5]])
    array([0.2, 1. ])
    """
    proba = _check_proba(proba)
    best, second = _top_two(proba)
    return 1.0 - (best - second)


def ratio_of_confidence(proba):
    """Ratio of confidence, eq. 9: ``y** / y*``.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Predicted class probabilities (rows sum to one), ``n_classes >= 2``.

    Returns
    -------
    ndarray of shape (n_samples,)
        0 when one class has all the mass, 1 when the top two tie.

    Examples
    --------
    >>> from skimbgan.metrics import ratio_of_confidence
    >>> ratio_of_confidence([[0.8, 0.2], [0.5, 0.5]])
    array([0.25, 1.  ])
    """
    proba = _check_proba(proba)
    best, second = _top_two(proba)
    return second / best


def prediction_entropy(proba):
    """Normalised entropy, eq. 10: ``-sum_c y_c log2 y_c / log2 m``.

    Parameters
    ----------
    proba : array-like of shape (n_samples, n_classes)
        Predicted class probabilities (rows sum to one), ``n_classes >= 2``.

    Returns
    -------
    ndarray of shape (n_samples,)
        0 for a certain prediction, 1 for a uniform one (``0 log 0 = 0``).

    Examples
    --------
    >>> from skimbgan.metrics import prediction_entropy
    >>> prediction_entropy([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]]).round(6)
    array([0., 1.])
    """
    proba = _check_proba(proba)
    m = proba.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(proba > 0, proba * np.log2(proba), 0.0)
    # (+ 0.0 turns the -0.0 of a certain prediction into 0.0)
    return np.clip(-terms.sum(axis=1) / np.log2(m), 0.0, 1.0) + 0.0


#: Names accepted by ``PolarityGANSampler(selection=...)``.
UNCERTAINTY_MEASURES = {
    "least_confidence": least_confidence,
    "margin": margin_of_confidence,
    "ratio": ratio_of_confidence,
    "entropy": prediction_entropy,
}
