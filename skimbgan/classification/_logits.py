"""Predictions of a classifier from its logits."""

import numpy as np


class LogitsMixin:
    """``decision_function``, ``predict_proba`` and ``predict`` from the
    estimator's ``_logits(X)`` (float64, one column per class of
    ``classes_``)."""

    def decision_function(self, X):
        """Return ``C``'s logits (one score for two classes).

        With two classes, the logit of ``classes_[1]`` minus that of
        ``classes_[0]``: positive means ``classes_[1]``.

        Parameters
        ----------
        X : array-like of images
            Images in a layout and shape the classifier was fitted on.

        Returns
        -------
        decision : ndarray of shape (n_samples, n_classes) or (n_samples,)
            The logits, or their difference for two classes.
        """
        logits = self._logits(X)
        return logits[:, 1] - logits[:, 0] if logits.shape[1] == 2 else logits

    def predict_proba(self, X):
        """Softmax of ``C``'s logits.

        These are the classifier's probabilities, trained with cross-entropy
        on real and generated samples; they are not recalibrated.

        Parameters
        ----------
        X : array-like of images
            Images in a layout and shape the classifier was fitted on.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Class probabilities, columns in the order of ``classes_``.
        """
        logits = self._logits(X)
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return p / p.sum(axis=1, keepdims=True)

    def predict(self, X):
        """Predict the class with the largest logit.

        The logits are ``C(F(x))`` with both networks in inference mode (no
        augmentation).

        Parameters
        ----------
        X : array-like of images
            Images in a layout and shape the classifier was fitted on.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,)
            Predicted labels, from ``classes_``.
        """
        best = self._logits(X).argmax(axis=1)  # checks that the model is fitted
        return self.classes_[best]
