"""The imbalance protocols of the two papers, on top of ``make_imbalance``."""

import numpy as np
from imblearn.datasets import make_imbalance

#: Per-class training counts of the Polarity-GAN paper (Fashion-MNIST, MNIST).
POLARITY_GAN_COUNTS = (5000, 4000, 3000, 2000, 1500, 1000, 500, 250, 100, 50)


def make_polarity_imbalance(X, y, counts=POLARITY_GAN_COUNTS, *, random_state=None):
    """Subsample each class to the Polarity-GAN paper's training counts.

    Parameters
    ----------
    X : array-like of shape (n_samples, ...)
        Features; image arrays (n, H, W[, C]) are accepted too.
    y : array-like of shape (n_samples,)
        Class labels; as many classes as ``counts``.
    counts : sequence of int, default=(5000, 4000, ..., 100, 50)
        The count of the i-th class in sorted label order.
    random_state : int, RandomState instance or None
        Seeds which samples are kept.

    Returns
    -------
    X_sub : ndarray
        The kept samples, in the shape of ``X``'s samples.
    y_sub : ndarray
        Their labels.

    Examples
    --------
    >>> import numpy as np
    >>> from skimbgan.datasets import make_polarity_imbalance
    >>> X, y = np.zeros((300, 2)), np.repeat([0, 1, 2], 100)
    >>> X_sub, y_sub = make_polarity_imbalance(X, y, counts=(90, 30, 10), random_state=0)
    >>> np.bincount(y_sub).tolist()
    [90, 30, 10]
    """
    X, y = np.asarray(X), np.asarray(y)
    classes = np.unique(y)
    if len(counts) != len(classes):
        raise ValueError(f"{len(counts)} counts given for {len(classes)} classes.")
    strategy = {label: int(n) for label, n in zip(classes, counts, strict=True)}
    return _subsample(X, y, strategy, random_state)


def make_egan_imbalance(
    X, y, majority, minority, *, n_majority=5000, n_minority=2, random_state=None
):
    """The eGAN paper's binary setting: one majority class against a tiny minority.

    Parameters
    ----------
    X : array-like of shape (n_samples, ...)
        Features or images.
    y : array-like of shape (n_samples,)
        Class labels.
    majority, minority : label
        The two classes kept (the paper: automobile 5000 against airplane 2,
        5, 50 or 500).
    n_majority : int, default=5000
        Samples of the majority class kept.
    n_minority : int, default=2
        Samples of the minority class kept.
    random_state : int, RandomState instance or None
        Seeds which samples are kept.

    Returns
    -------
    X_sub : ndarray
        The kept samples.
    y_sub : ndarray of int
        1 for the minority class, 0 for the majority.

    Examples
    --------
    >>> import numpy as np
    >>> from skimbgan.datasets import make_egan_imbalance
    >>> X, y = np.zeros((300, 2)), np.repeat([0, 1, 2], 100)
    >>> X_sub, y_sub = make_egan_imbalance(X, y, 2, 0, n_majority=50, n_minority=2, random_state=0)
    >>> np.bincount(y_sub).tolist()
    [50, 2]
    """
    X, y = np.asarray(X), np.asarray(y)
    keep = (y == majority) | (y == minority)
    if not np.any(y == majority) or not np.any(y == minority):
        raise ValueError("Both the majority and the minority label must occur in y.")
    X_sub, y_sub = _subsample(
        X[keep], y[keep], {majority: int(n_majority), minority: int(n_minority)}, random_state
    )
    return X_sub, (y_sub == minority).astype(np.int64)


def _subsample(X, y, strategy, random_state):
    for label, n in strategy.items():
        available = int(np.sum(y == label))
        if n > available:
            raise ValueError(f"Class {label!r} has {available} samples, {n} requested.")
    # make_imbalance works on 2-D X: flatten images, then restore their shape.
    shape = X.shape[1:]
    X_sub, y_sub = make_imbalance(
        X.reshape(X.shape[0], -1), y, sampling_strategy=strategy, random_state=random_state
    )
    return X_sub.reshape((-1, *shape)), y_sub
