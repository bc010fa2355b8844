"""Closeness to the known minority: EGANClassifier's score when the minority
is a handful of samples.

With two known minority images among thousands, what puts the unseen
minority at the top of a ranking is closeness to those two, in an embedding
where similar images are close; a discriminator trained on them has no such
notion. The blended score mixes the two, each in units of its own spread over
the training majority:

    score = (1 - w) * clip((logit - centre_D) / scale_D, -B, B)
            + w * (closeness - centre_C) / scale_C

where ``closeness = log d_min - log d_k`` (``d_min``: the distance to the
nearest known minority sample, ``d_k``: the distance to the ``k``-th nearest
training majority sample), high for the majority as the logit is, and ``B`` is
:data:`DISCRIMINATOR_BOUND`. The weight
``closeness_weight="auto"`` chooses ``w`` from :data:`CANDIDATE_WEIGHTS` by
average precision on the validation part when there is one (enough minority
to hold some out); without one, ``w = prior / (prior + n_minority)``, which
leans on closeness while the minority is a handful and on the discriminator
as it grows (the prior is the input kind's, chosen on the development pairs
of the eGAN image protocol). ``w = 0`` is the discriminator alone (the
paper's score).
"""

import numpy as np
from sklearn.metrics import average_precision_score
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import Bunch
from sklearn.utils.validation import check_is_fitted

from .._core.egan import batched_logits

#: The weights ``closeness_weight="auto"`` chooses among on a validation part.
CANDIDATE_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)

#: The majority neighbour that closeness is measured against (``d_k``).
N_NEIGHBOURS = 5

#: Training majority rows that set the two scales (evenly spaced when there
#: are more).
MAX_REFERENCE_ROWS = 2000


def closeness_weight(setting, n_minority, prior):
    """The blend's weight ``w`` for the ``closeness_weight`` parameter, the
    number of known minority samples and the input kind's ``prior`` (before
    any choice on a validation part)."""
    if setting == "auto":
        return prior / (prior + n_minority)
    return float(setting)


def blend_parts(discriminator, closeness, weight, bound=None):
    """``(1 - weight) * discriminator + weight * closeness`` of unclipped
    parts, the discriminator's part clipped to ``[-bound, bound]`` when
    ``weight > 0`` (the weight 0 is the logit alone, unclipped)."""
    discriminator = np.asarray(discriminator, dtype=np.float64)
    if weight > 0 and bound is not None:
        discriminator = np.clip(discriminator, -bound, bound)
    return (1.0 - weight) * discriminator + weight * np.asarray(closeness, dtype=np.float64)


def choose_weight(parts, is_minority, sample_weight, prior_weight, bound=None):
    """The weight of :data:`CANDIDATE_WEIGHTS` whose blend of ``parts``
    (``(discriminator, closeness)`` of validation samples, the
    discriminator's part not clipped) ranks their minority best (average
    precision, weighted by ``sample_weight``); among ties, the one nearest
    ``prior_weight``. Blends with closeness clip the discriminator's part to
    ``[-bound, bound]``; the weight 0 is the logit alone, unclipped."""
    scores = [
        average_precision_score(
            is_minority, -blend_parts(*parts, w, bound), sample_weight=sample_weight
        )
        for w in CANDIDATE_WEIGHTS
    ]
    best = max(scores)
    tied = [w for w, score in zip(CANDIDATE_WEIGHTS, scores, strict=True) if score >= best - 1e-12]
    return min(tied, key=lambda w: abs(w - prior_weight))


def spread(values, weight=None):
    """``(centre, scale)`` of ``values``: the (weighted) median and the
    interquartile range in units of a normal's standard deviation; the
    scale falls back to the mean absolute deviation, then 1, where the
    quartiles coincide."""
    values = np.asarray(values, dtype=np.float64)
    method = "linear" if weight is None else "inverted_cdf"  # numpy weighs only this one
    q25, centre, q75 = np.quantile(values, [0.25, 0.5, 0.75], weights=weight, method=method)
    scale = (q75 - q25) / 1.349
    if not scale > 0:
        scale = float(np.average(np.abs(values - centre), weights=weight))
    if not scale > 0 or not np.isfinite(scale):
        scale = 1.0
    return float(centre), float(scale)


#: In a blend with closeness, the discriminator's part counts at most this
#: many spreads from the training majority's median. Its logit on data unlike
#: anything it was trained on runs far beyond the training majority's range
#: (it is a learnt function extrapolating), where closeness, a log-ratio of
#: distances, does not: unbounded, a few unusual majority samples outrank the
#: minority at any weight short of 1. Chosen on the development pairs from
#: {none, 6, 4, 3, 2}: the largest bound that gains in feature mode, and one
#: that leaves image mode's blends as they were.
DISCRIMINATOR_BOUND = 6.0


#: Distances below this share of the majority's median ``d_k`` count as
#: that share: a sample on top of a known one (distance 0, or the rounding
#: error of a distance computed by dot products) scores as one very close to
#: it, the same at every magnitude of the data.
DISTANCE_FLOOR = 1e-2


class Closeness:
    """Closeness of embedded samples to the known minority.

    Parameters
    ----------
    minority, majority : ndarray of shape (n, d)
        Embeddings of the training minority and majority (rows of weight 0
        already left out; weights do not enter the distances).
    reference : ndarray of int
        Rows of ``majority`` that set the distance floor and whose scores
        (each leaving itself out) are :attr:`reference_scores`.
    n_neighbors : int
        ``k``: the majority neighbour measured against (at most the
        majority's size minus one).
    """

    def __init__(self, minority, majority, reference, n_neighbors=N_NEIGHBOURS):
        n_majority = majority.shape[0]
        self.k = max(1, min(int(n_neighbors), n_majority - 1))
        self._minority = NearestNeighbors(n_neighbors=1).fit(minority)
        self._majority = NearestNeighbors(n_neighbors=self.k).fit(majority)
        # each reference row leaves itself out (a lone majority row cannot)
        d_k = self._majority.kneighbors(majority[reference], min(self.k + 1, n_majority))[0][:, -1]
        median = float(np.median(d_k))
        self.floor = DISTANCE_FLOOR * median if median > 0 else np.finfo(np.float64).tiny
        d_min = self._minority.kneighbors(majority[reference], 1)[0][:, 0]
        self.reference_scores = self._log_ratio(d_min, d_k)

    def _log_ratio(self, d_min, d_k):
        floor = self.floor
        return np.log(np.maximum(d_min, floor)) - np.log(np.maximum(d_k, floor))

    def score(self, embedding):
        """``log d_min - log d_k`` per row (each distance at least
        :data:`DISTANCE_FLOOR` times the majority's median ``d_k``): high
        for the majority."""
        if embedding.shape[0] == 0:
            return np.empty(0)
        d_min = self._minority.kneighbors(embedding, 1)[0][:, 0]
        d_k = self._majority.kneighbors(embedding, self.k)[0][:, -1]
        return self._log_ratio(d_min, d_k)


def reference_rows(n, limit=MAX_REFERENCE_ROWS):
    """Evenly spaced row indices, at most ``limit`` of ``n``."""
    if n <= limit:
        return np.arange(n)
    return np.unique(np.linspace(0, n - 1, limit).round().astype(np.intp))


class BlendedScore:
    """The fitted blend of the discriminator's logit and closeness.

    Parameters
    ----------
    weight : float
        ``w`` in (0, 1].
    closeness : Closeness
    logit_spread, closeness_spread : (float, float)
        ``(centre, scale)`` of each part over the training majority.
    bound : float or None
        The discriminator's part is clipped to ``[-bound, bound]`` (None:
        not clipped).
    """

    def __init__(self, weight, closeness, logit_spread, closeness_spread, bound=None):
        self.weight = float(weight)
        self.closeness = closeness
        self.logit_spread = logit_spread
        self.closeness_spread = closeness_spread
        self.bound = bound

    def parts(self, logits, embedding, bounded=True):
        """``(discriminator, closeness)``: each part in units of its spread
        over the training majority (0 at its median), the discriminator's
        clipped to ``[-bound, bound]`` unless ``bounded=False``."""
        (c_d, s_d), (c_c, s_c) = self.logit_spread, self.closeness_spread
        near = self.closeness.score(embedding)
        discriminator = (np.asarray(logits, dtype=np.float64) - c_d) / s_d
        if bounded and self.bound is not None:
            discriminator = np.clip(discriminator, -self.bound, self.bound)
        return discriminator, (near - c_c) / s_c

    def __call__(self, logits, embedding):
        discriminator, closeness = self.parts(logits, embedding)
        return (1.0 - self.weight) * discriminator + self.weight * closeness


class ClosenessMixin:
    """EGANClassifier's score: the discriminator's logit blended with
    closeness (``score_samples``), fitting the blend after training, and the
    parts of a score (``score_components``)."""

    def score_samples(self, X):
        """The score: higher means more like the majority.

        The discriminator's logit, blended with closeness to the known
        minority when ``closeness_weight_ > 0`` (see
        :meth:`score_components`).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or images
            Data of the kind the classifier was fitted on.

        Returns
        -------
        ndarray of shape (n_samples,), float64
            The scores; higher means more like the majority.
        """
        check_is_fitted(self, "discriminator_")
        return self._score_checked(self._check_X(X, reset=False))

    def _score_checked(self, X, h=None):
        """``score_samples`` of an ``X`` already checked (the fit's own calls
        on its training and validation data, which lost their feature names);
        ``h``: its discriminator's prefix features, when already computed."""
        logits, embedding = self._logits_and_embedding(X, h)
        if embedding is None:
            return logits
        return self._blend(logits, embedding)

    def _fit_blend(self, data, split, discriminator, val_weight):
        """The fitted :class:`BlendedScore`: closeness to the training
        minority, and both parts' spreads over the training majority; with
        ``closeness_weight="auto"`` and a validation part, the weight chosen
        on it."""
        minority = data.minority_real
        if minority is None:
            minority = self._prefix(discriminator, split.X_minor, role=1)
        majority = self._inputs.embed(self, data.majority)
        rows = reference_rows(majority.shape[0])
        closeness = Closeness(self._inputs.embed(self, minority), majority, rows)
        weights = None if split.weights is None else split.weights["majority"][rows]
        logits = batched_logits(self.discriminator_, data.majority[rows].to(self.device_))
        blend = BlendedScore(
            self.closeness_weight_,
            closeness,
            spread(logits.double().cpu().numpy(), weights),
            spread(closeness.reference_scores, weights),
            bound=DISCRIMINATOR_BOUND,
        )
        if self.closeness_weight == "auto" and data.validation is not None:
            h_val, val_is_minority = data.validation
            logits = batched_logits(self.discriminator_, h_val.to(self.device_))
            parts = blend.parts(
                logits.double().cpu().numpy(), self._inputs.embed(self, h_val), bounded=False
            )
            blend.weight = choose_weight(
                parts, val_is_minority, val_weight, blend.weight, blend.bound
            )
        return blend

    def score_components(self, X):
        """The two parts of the blended score, each in units of its spread
        over the training majority (0 at the majority's median, higher more
        like the majority); the discriminator's part clipped to
        ``[-6, 6]``.

        ``score_samples(X)`` is ``(1 - closeness_weight_) * discriminator +
        closeness_weight_ * closeness``. The parts say why a sample scored
        low: the discriminator found it unlike the majority, or it lies close
        to a known minority sample. Other weights in (0, 1] can be tried on
        them without refitting (``closeness_weight=0`` is the logit alone,
        not clipped: ``score_samples`` of a fit with that weight).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or images
            Data of the kind the classifier was fitted on.

        Returns
        -------
        components : :class:`~sklearn.utils.Bunch`
            ``discriminator`` and ``closeness``, ndarrays of shape
            (n_samples,).

        Raises
        ------
        ValueError
            When the classifier was fitted with ``closeness_weight_ == 0``:
            its score is the logit alone and no closeness was fitted.
        """
        check_is_fitted(self, "discriminator_")
        if getattr(self, "_blend", None) is None:
            raise ValueError(
                "This EGANClassifier was fitted with closeness_weight=0: its score is the "
                "discriminator's logit alone (score_samples). Fit it with closeness_weight > 0 "
                "or 'auto' to get the closeness component."
            )
        logits, embedding = self._logits_and_embedding(self._check_X(X, reset=False))
        discriminator, closeness = self._blend.parts(logits, embedding)
        return Bunch(discriminator=discriminator, closeness=closeness)

    def _logits_and_embedding(self, X, h=None):
        if h is None:
            h = self._prefix(self.discriminator_, X, role=1)
        logits = batched_logits(self.discriminator_, h.to(self.device_)).double().cpu().numpy()
        if getattr(self, "_blend", None) is None:
            return logits, None
        return logits, self._inputs.embed(self, h)
