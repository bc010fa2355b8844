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
