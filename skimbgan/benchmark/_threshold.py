"""The tuned threshold of the ``threshold`` and ``+threshold`` methods.

scikit-learn's ``TunedThresholdClassifierCV`` refuses to tune when the model
gives a constant score on any of its inner folds ("constant predictions"):
with 6 minority rows (lymphography), a gradient-boosted model fitted on an
inner training part of 4 of them can predict one probability for every row.
A careful user keeps the model's own cut-off there instead of losing the run;
:class:`ThresholdOrOwnCutoff` does that, and says so (``threshold_tuned_``),
so the benchmark reports how many runs kept their own cut-off.
"""

from sklearn.base import clone
from sklearn.model_selection import TunedThresholdClassifierCV

#: Note recorded on a run whose threshold could not be tuned.
UNTUNED_NOTE = "threshold not tuned (constant scores in an inner fold): the model's own cut-off"


class ThresholdOrOwnCutoff(TunedThresholdClassifierCV):
    """``TunedThresholdClassifierCV`` that falls back to the model's own
    ``predict`` when the threshold cannot be tuned because the model's
    scores are constant on an inner fold.

    Attributes (besides ``TunedThresholdClassifierCV``'s)
    ----------
    threshold_tuned_ : bool
        False when the fallback was taken; ``best_threshold_`` and
        ``best_score_`` are then NaN and ``predict`` is the refitted model's.
    """

    def fit(self, X, y, **params):
        try:
            super().fit(X, y, **params)
        except ValueError as exc:
            if "constant predictions" not in str(exc):
                raise
            self.estimator_ = clone(self.estimator).fit(X, y, **params)
            self.best_threshold_ = float("nan")
            self.best_score_ = float("nan")
            self.threshold_tuned_ = False
            return self
        self.threshold_tuned_ = True
        return self

    def predict(self, X):
        if not getattr(self, "threshold_tuned_", True):
            return self.estimator_.predict(X)
        return super().predict(X)


def with_threshold(model, seed, n_minority_train):
    """``model`` with its F1-best threshold chosen by a stratified
    cross-validation inside the training fold it is fitted on (the model's
    own cut-off where its scores are constant on an inner fold)."""
    from sklearn.model_selection import StratifiedKFold

    folds = max(2, min(5, n_minority_train))
    cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
    return ThresholdOrOwnCutoff(model, scoring="f1", cv=cv, random_state=seed)


def untuned(model):
    """Whether a fitted benchmark model (or the model its inner search kept)
    kept its own cut-off because its threshold could not be tuned."""
    for candidate in (model, getattr(model, "best_estimator_", None)):
        if candidate is not None and getattr(candidate, "threshold_tuned_", True) is False:
            return True
    return False
