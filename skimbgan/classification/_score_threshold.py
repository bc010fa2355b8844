"""Binary classification by a threshold on a score, as eGAN's discriminator gives it."""

import numpy as np


class ScoreThresholdMixin:
    """``decision_function``, ``predict`` and ``predict_proba`` of a binary
    classifier whose ``score_samples`` is high for the majority.

    The estimator sets ``classes_``, ``_minority`` (the index of the minority
    in ``classes_``) and ``offset_`` (the cut-off on the score) in ``fit``.
    """

    def decision_function(self, X):
        """Signed distance to the cut-off; positive means ``classes_[1]``.

        ``score_samples(X) - offset_`` when ``classes_[1]`` is the majority,
        ``offset_ - score_samples(X)`` when it is the minority.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or images
            Data of the kind the classifier was fitted on.

        Returns
        -------
        ndarray of shape (n_samples,)
            Positive where ``classes_[1]`` is predicted.
        """
        score = self.score_samples(X) - self.offset_
        return -score if self._minority == 1 else score

    def predict(self, X):
        """``classes_[1]`` where ``decision_function(X) > 0``, else ``classes_[0]``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or images
            Data of the kind the classifier was fitted on.

        Returns
        -------
        ndarray of shape (n_samples,)
            Predicted labels, from ``classes_``.
        """
        decision = self.decision_function(X)  # checks that the model is fitted
        return self.classes_[(decision > 0).astype(np.intp)]

    def predict_proba(self, X):
        """Logistic function of ``decision_function``: uncalibrated scores.

        They rank samples as the discriminator does and cross 0.5 at the
        cut-off, but are not probabilities of anything (the discriminator never
        sees a real minority sample as such). Use them for ranking, or
        calibrate them on held-out data.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or images
            Data of the kind the classifier was fitted on.

        Returns
        -------
        ndarray of shape (n_samples, 2)
            Scores of ``classes_[0]`` and ``classes_[1]``, rows summing to 1.
        """
        positive = 1.0 / (1.0 + np.exp(-np.clip(self.decision_function(X), -500, 500)))
        return np.column_stack([1.0 - positive, positive])


def cutoff(contamination, score, X, split, prevalence):
    """``(offset_, cutoff_)`` of a fitted EGANClassifier whose logits are
    ``score(X)``, for its ``contamination``: the paper's logit 0
    (``"zero"``), a quantile of held-out majority scores (``"quantile"``), or
    the F1-best cut-off on the validation part (``"f1"``). Without a
    validation part, ``contamination="f1"`` takes the quantile at the
    training data's minority ``prevalence`` (PyOD's sense of contamination:
    about as many majority samples called minority as there are minority
    samples). With sample weights, the F1 and the quantile are weighted."""
    if contamination is None:
        return 0.0, "zero"
    X_val, val_is_minority = split.X_val, split.val_is_minority
    weights = split.weights or {}
    if contamination == "f1" and X_val is not None:
        scores = score(X_val)
        return f1_cutoff(scores, val_is_minority, weights.get("validation")), "f1"
    if contamination == "f1":
        contamination = prevalence
    if split.cutoff_rows is not None:
        held_out, weight = X[split.cutoff_rows], weights.get("cutoff")
    else:
        held_out = X_val[~val_is_minority]
        weight = weights.get("validation")
        weight = None if weight is None else weight[~val_is_minority]
    scores = score(held_out)
    if weight is None:
        return float(np.quantile(scores, contamination)), "quantile"
    # the weighted quantile: the smallest score whose weight share reaches it
    quantile = np.quantile(scores, contamination, weights=weight, method="inverted_cdf")
    return float(quantile), "quantile"


def f1_cutoff(scores, is_minority, sample_weight=None):
    """The cut-off on the logits (minority where ``logit < cut-off``) that
    maximises the minority's F1 on held-out ``scores`` (weighted by
    ``sample_weight`` when given): the midpoint between two consecutive
    distinct scores, or just above the largest; the lowest such cut-off
    among ties."""
    scores = np.asarray(scores, dtype=np.float64)
    order = np.argsort(scores, kind="stable")
    sorted_scores = scores[order]
    weight = np.ones_like(scores) if sample_weight is None else np.asarray(sample_weight)[order]
    true_positives = np.cumsum(np.asarray(is_minority, dtype=bool)[order] * weight)
    # a cut-off can only fall after the last of a run of equal scores
    ends = np.flatnonzero(np.r_[np.diff(sorted_scores) > 0, True])
    n_predicted = np.cumsum(weight)[ends]
    f1 = 2 * true_positives[ends] / (n_predicted + true_positives[-1])
    best = int(np.argmax(f1))
    if ends[best] + 1 < sorted_scores.size:
        return float((sorted_scores[ends[best]] + sorted_scores[ends[best] + 1]) / 2)
    top = sorted_scores[-1]
    return float(np.nextafter(top, np.inf))
