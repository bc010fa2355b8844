"""Drawing synthetic samples from a fitted PolarityGANSampler.

The generator gives convex weights over the anchors of each class; this mixin
turns them into samples: the numeric columns are the weighted sums of the
anchors' (:func:`recombine`), and with categorical features each categorical
value is drawn from the same anchors (:func:`._categories.draw_categories`).
``fit_resample`` and ``generate`` both draw through :meth:`_generate`.
"""

import numpy as np
import torch
from sklearn.utils.validation import check_is_fitted

from .._core.polarity.recombination import most_uncertain, normalise_weights, recombine
from .._core.polarity.training import generate_weights, predict_proba
from .._core.random import stream_seed
from ..metrics import UNCERTAINTY_MEASURES
from ..utils._seeds import one_seed
from ._categories import draw_categories


class GenerationMixin:
    """``generate`` and the drawing it shares with ``fit_resample``."""

    def _generate(self, n_samples, seed, selection):
        """Synthetic samples with their convex weights and anchor rows."""
        position = {label: k for k, label in enumerate(self.classes_)}
        wanted = np.zeros(len(self.classes_), dtype=np.int64)
        for label, n in n_samples.items():
            if label not in position:
                raise ValueError(f"Unknown class {label!r}; classes are {self.classes_}.")
            if int(n) < 0:
                raise ValueError(f"Cannot generate a negative number of samples: {n}.")
            wanted[position[label]] = int(n)
        pool = wanted if selection is None else np.ceil(wanted * self.selection_pool)
        labels = np.repeat(np.arange(len(self.classes_)), pool.astype(np.int64))
        z, weights, index = generate_weights(self.generator_, torch.from_numpy(labels), seed)
        weights = normalise_weights(weights.double().cpu().numpy())
        index = index.cpu().numpy()
        if selection is not None:
            proba = normalise_weights(predict_proba(self.classifier_, z).double().cpu().numpy())
            keep = most_uncertain(labels, UNCERTAINTY_MEASURES[selection](proba), wanted)
            labels, weights, index = labels[keep], weights[keep], index[keep]
        X_new = recombine(weights, self._anchors, index, self._unit)
        if getattr(self, "_layout", None) is not None:
            rng = np.random.RandomState(stream_seed(seed, "categories"))
            anchor_codes = self._anchor_codes[index]
            codes = draw_categories(weights, anchor_codes, self.categorical_sampling, rng)
            X_new = self._layout.synthetic(X_new, codes)
        rows = np.concatenate(list(self.anchor_indices_.values()))[index]
        return X_new, self.classes_[labels], weights, rows

    def generate(self, n_samples, *, random_state=None, return_weights=False):
        """Draw new synthetic samples from the fitted generator.

        Parameters
        ----------
        n_samples : dict
            ``{class_label: number_of_samples}``.
        random_state : int, RandomState instance or None, default=None
            Seed of this draw.
        return_weights : bool, default=False
            Also return the convex weights and the rows of the fitting ``X``
            they apply to.

        Returns
        -------
        X_new : {ndarray, DataFrame, list} of shape (n_new, n_features)
            In the dtype of the ``X`` the sampler was fitted on; with
            categorical features, in its kind and column dtypes.
        y_new : ndarray of shape (n_new,)
        weights : ndarray of shape (n_new, n_combined)
            Only with ``return_weights``: non-negative, rows sum to one.
        rows : ndarray of shape (n_new, n_combined)
            Only with ``return_weights``: ``X_new[i]`` (its numeric columns)
            equals ``weights[i] @ X_fit[rows[i]]``, every ``X_fit[rows[i]]`` is
            of class ``y_new[i]``, and each categorical value of ``X_new[i]`` is
            that of a row ``rows[i, j]`` with ``weights[i, j] > 0``.
        """
        check_is_fitted(self, "anchor_indices_")
        if self.generator_ is None:
            raise ValueError(
                "This sampler generated nothing during fit_resample (its sampling "
                "strategy asked for no new samples), so it has no generator."
            )
        seed = one_seed(random_state)
        X_new, y_new, weights, rows = self._generate(n_samples, seed, None)
        if getattr(self, "_layout", None) is None:
            X_new = X_new.astype(self._anchors.dtype, copy=False)
        if return_weights:
            return X_new, y_new, weights, rows
        return X_new, y_new
