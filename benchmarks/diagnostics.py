"""Diversity diagnostics of synthetic samples (used by the benchmark scripts).

All distances are measured on standardised data (the caller standardises).
"""

import numpy as np
from sklearn.neighbors import NearestNeighbors


def diversity(X_real, X_synth, copy_fraction=0.1):
    """How spread out synthetic samples are, and how many nearly copy a real one.

    Parameters
    ----------
    X_real : ndarray (n_real, n_features)
        Real samples of one class (standardised).
    X_synth : ndarray (n_synth, n_features)
        Synthetic samples of the same class (same scaling).
    copy_fraction : float
        A synthetic sample is a near-copy when its distance to the nearest real
        sample is below ``copy_fraction`` times the median distance between a
        real sample and its nearest real neighbour.

    Returns
    -------
    dict
        ``spread_ratio``: median over features of std(synthetic) / std(real);
        ``copy_share``: share of near-copies;
        ``nn_ratio``: median synthetic-to-nearest-real distance over the
        median real-to-nearest-other-real distance.
    """
    real_std = X_real.std(axis=0)
    keep = real_std > 1e-12
    spread = np.median(X_synth.std(axis=0)[keep] / real_std[keep])
    nn = NearestNeighbors(n_neighbors=2).fit(X_real)
    real_nn = nn.kneighbors(X_real)[0][:, 1]
    scale = np.median(real_nn)
    synth_nn = nn.kneighbors(X_synth, n_neighbors=1)[0][:, 0]
    return {
        "spread_ratio": float(spread),
        "copy_share": float(np.mean(synth_nn < copy_fraction * scale)),
        "nn_ratio": float(np.median(synth_nn) / scale),
    }
