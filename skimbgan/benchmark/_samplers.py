"""SMOTE and its family with a neighbour count that fits the minority given.

SMOTE, BorderlineSMOTE and ADASYN interpolate between a minority sample and
one of its ``k`` nearest minority neighbours, so they need ``k + 1`` minority
samples. Inside a tuned threshold's inner folds a small minority can fall
below that (glass5: 9 minority samples, 7 in a training fold, 5 or 6 in an
inner training part, where SMOTE's default needs 6). A careful user lowers
``k`` there; :class:`NeighbourCappedSampler` does it at fit time.
"""

from sklearn.base import BaseEstimator, clone

#: The neighbour parameter of each sampler that is capped, by imbalanced-learn class name.
NEIGHBOUR_PARAMETER = {
    "SMOTE": "k_neighbors",
    "SMOTENC": "k_neighbors",
    "SMOTEN": "k_neighbors",
    "BorderlineSMOTE": "k_neighbors",
    "ADASYN": "n_neighbors",
}


class NeighbourCappedSampler(BaseEstimator):
    """Over-sample with ``sampler``, its neighbour count at most ``n_minority - 1``.

    At each ``fit_resample`` a clone of ``sampler`` gets
    ``min(its neighbour count, n_minority - 1)`` neighbours, where
    ``n_minority`` is the size of the smallest class of the ``y`` given; with
    enough minority samples it is ``sampler`` unchanged. With a single minority
    sample there is no neighbour to interpolate with: the data are returned
    unchanged (no synthetic sample; the classifier sees the imbalance as it is).

    Parameters
    ----------
    sampler : SMOTE, BorderlineSMOTE or ADASYN
        The over-sampler, with the neighbour count to use when the minority
        is large enough.

    Attributes
    ----------
    sampler_ : the fitted clone, or None when the minority had one sample.
    n_neighbors_ : int, the neighbour count used (0 when nothing was generated).
    """

    def __init__(self, sampler):
        self.sampler = sampler

    def _parameter(self):
        name = type(self.sampler).__name__
        if name not in NEIGHBOUR_PARAMETER:
            raise TypeError(
                f"NeighbourCappedSampler wraps {sorted(NEIGHBOUR_PARAMETER)}, got {name}."
            )
        return NEIGHBOUR_PARAMETER[name]

    def fit_resample(self, X, y):
        import numpy as np

        parameter = self._parameter()
        _, counts = np.unique(np.asarray(y), return_counts=True)
        n_minority = int(counts.min())
        if n_minority < 2:
            self.sampler_, self.n_neighbors_ = None, 0
            return X, y
        wanted = self.sampler.get_params()[parameter]
        if not isinstance(wanted, int | np.integer):  # a NearestNeighbors object: as given
            self.sampler_, self.n_neighbors_ = clone(self.sampler), wanted
        else:
            self.n_neighbors_ = min(int(wanted), n_minority - 1)
            self.sampler_ = clone(self.sampler).set_params(**{parameter: self.n_neighbors_})
        return self.sampler_.fit_resample(X, y)

    def fit(self, X, y):
        self.fit_resample(X, y)
        return self
