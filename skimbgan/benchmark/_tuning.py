"""``--tune``: every method gets the same small grid budget, searched inside each training fold.

Each method is given :data:`N_CANDIDATES` candidate settings, no more, no
fewer, so that no method is favoured by a larger search: for the plain
methods four settings of the classifier; for a sampler two of its own
settings times two of the classifier's; for a classifier of its own (eGAN and
the ensembles) four of its own. The candidate with the best mean score (the
benchmark's ``--metric``) over a stratified inner cross-validation of the
training fold is refitted on the whole training fold. The test fold never
reaches the search: it sees only what ``fit`` is given.

A method with a tuned threshold (``threshold``, ``X+threshold``) is searched
without re-tuning the threshold inside every inner fit: each candidate's
out-of-fold scores over the inner cross-validation give its ``--metric`` at
the F1-best threshold of those scores, and only the chosen candidate is
refitted with its threshold tuned (:func:`._threshold.with_threshold`). So its
search costs 4 x 3 fits and its refit 6, instead of 4 x 3 x 6 and 6: the
budget of fits stays close to the other methods' (4 x 3 and 1).

The grids are small and not tuned to any data set: the classifier's main
regularisation (:data:`CLASSIFIER_GRID`, here), and each method's own settings
in its registry entry (:mod:`._registry`): the samplers' neighbourhood sizes,
the GANs' training length, learning rates and widths, the ensembles' sizes and
balance.
"""

import itertools
import json

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone

N_CANDIDATES = 4

#: Four settings per classifier (the plain methods'), the first and third the
#: two used beside a sampler's own two.
CLASSIFIER_GRID = {
    "lr": [{"C": 0.1}, {"C": 0.01}, {"C": 1.0}, {"C": 10.0}],
    "rf": [
        {"min_samples_leaf": 1, "max_features": "sqrt"},
        {"min_samples_leaf": 1, "max_features": 0.5},
        {"min_samples_leaf": 5, "max_features": "sqrt"},
        {"min_samples_leaf": 5, "max_features": 0.5},
    ],
    "hgb": [
        {"learning_rate": 0.1, "max_leaf_nodes": 31},
        {"learning_rate": 0.1, "max_leaf_nodes": 15},
        {"learning_rate": 0.05, "max_leaf_nodes": 31},
        {"learning_rate": 0.05, "max_leaf_nodes": 15},
    ],
}
#: The benchmark's metrics as scikit-learn scorers.
SCORERS = {
    "f1": "f1",
    "macro_f1": "f1_macro",
    "balanced_accuracy": "balanced_accuracy",
    "average_precision": "average_precision",
    "roc_auc": "roc_auc",
}


def candidates(method, classifier):
    """``[(method_params, classifier_params), ...]``: the method's grid, the
    method's own parameters (given after a colon) kept fixed."""
    grid = method.entry.grid  # the method's own settings (its registry entry)
    if method.own_classifier:
        pairs = [(params, {}) for params in grid]
    elif method.is_sampler:
        classifier_grid = CLASSIFIER_GRID[classifier][::2]
        pairs = list(itertools.product(grid, classifier_grid))
    else:
        pairs = [({}, grid) for grid in CLASSIFIER_GRID[classifier]]
    fixed = method.params
    out = [({**params, **fixed}, clf) for params, clf in pairs]
    if len(out) != N_CANDIDATES:
        raise AssertionError(f"{method.base}: {len(out)} candidates, not {N_CANDIDATES}")
    return out


def scorer(metric):
    from imblearn.metrics import geometric_mean_score
    from sklearn.metrics import get_scorer, make_scorer

    if metric == "g_mean":
        return make_scorer(geometric_mean_score)
    return get_scorer(SCORERS[metric])


class InnerSearch(ClassifierMixin, BaseEstimator):
    """The best of ``candidates`` (unfitted estimators) by mean ``metric`` over
    ``cv`` on the data ``fit`` is given, refitted on all of it. With
    ``refit_with`` (a function wrapping an estimator in a threshold tuner),
    candidates are compared by :func:`out_of_fold_score` and the best is
    refitted wrapped.

    Attributes: ``best_index_``, ``cv_scores_`` (mean per candidate),
    ``best_estimator_``, ``classes_``.
    """

    def __init__(self, candidates, labels, metric="f1", cv=None, refit_with=None):
        self.candidates = candidates
        self.labels = labels
        self.metric = metric
        self.cv = cv
        self.refit_with = refit_with

    def fit(self, X, y):
        from sklearn.model_selection import cross_val_score

        score = scorer(self.metric)
        self.cv_scores_ = []
        for candidate in self.candidates:
            try:
                if self.refit_with is None:
                    values = cross_val_score(clone(candidate), X, y, cv=self.cv, scoring=score)
                    mean = float(np.mean(values))
                else:
                    mean = out_of_fold_score(clone(candidate), X, y, self.cv, self.metric)
            except ValueError:  # a candidate that cannot fit this fold is not chosen
                mean = float("nan")
            self.cv_scores_.append(mean)
        scores = np.nan_to_num(np.asarray(self.cv_scores_), nan=-np.inf)
        self.best_index_ = int(np.argmax(scores))  # the first of equals: the default first
        best = clone(self.candidates[self.best_index_])
        if self.refit_with is not None:
            best = self.refit_with(best)
        self.best_estimator_ = best.fit(X, y)
        self.classes_ = self.best_estimator_.classes_
        return self

    @property
    def chosen(self):
        """The chosen candidate's label, as JSON."""
        return json.dumps(self.labels[self.best_index_], sort_keys=True, default=str)

    def predict(self, X):
        return self.best_estimator_.predict(X)

    def predict_proba(self, X):
        return self.best_estimator_.predict_proba(X)

    def decision_function(self, X):
        return self.best_estimator_.decision_function(X)


def tuned_model(method, classifier, seed, n_minority_train, device="cpu", columns=None):
    """The :class:`InnerSearch` of a tuned method on one training fold."""
    from sklearn.model_selection import StratifiedKFold

    from ._methods import Method

    thresholded = method.threshold or method.base == "threshold"
    models, labels = [], []
    for params, classifier_params in candidates(method, classifier):
        twin = Method(method.base, method.threshold, params, tune=method.tune)
        if thresholded:
            twin = twin.without_threshold()
        models.append(
            twin.build(classifier, seed, n_minority_train, device, classifier_params, columns)
        )
        labels.append({**params, **{f"classifier.{k}": v for k, v in classifier_params.items()}})
    folds = max(2, min(3, n_minority_train))
    cv = StratifiedKFold(folds, shuffle=True, random_state=seed)
    refit_with = None
    if thresholded:
        from ._threshold import with_threshold

        def refit_with(model):
            return with_threshold(model, seed, n_minority_train)

    return InnerSearch(models, labels, method.tune, cv, refit_with)


def out_of_fold_score(model, X, y, cv, metric):
    """``metric`` of ``model``'s out-of-fold scores over ``cv``: the scores
    themselves for a ranking metric, else the predictions at the threshold
    that maximises the minority's F1 on them (the threshold a tuned
    threshold would look for). ``y``: 1 is the minority."""
    from imblearn.metrics import geometric_mean_score
    from sklearn.metrics import (
        average_precision_score,
        balanced_accuracy_score,
        f1_score,
        precision_recall_curve,
        roc_auc_score,
    )
    from sklearn.model_selection import cross_val_predict

    y = np.asarray(y)
    response = "predict_proba" if hasattr(model, "predict_proba") else "decision_function"
    scores = cross_val_predict(model, X, y, cv=cv, method=response)
    if scores.ndim == 2:
        scores = scores[:, 1]
    if metric == "average_precision":
        return float(average_precision_score(y, scores))
    if metric == "roc_auc":
        return float(roc_auc_score(y, scores))
    precision, recall, cuts = precision_recall_curve(y, scores)
    with np.errstate(divide="ignore", invalid="ignore"):
        f1 = np.nan_to_num(2 * precision * recall / (precision + recall))[:-1]
    predicted = (scores >= cuts[int(np.argmax(f1))]).astype(int)
    functions = {
        "f1": f1_score,
        "macro_f1": lambda a, b: f1_score(a, b, average="macro"),
        "balanced_accuracy": balanced_accuracy_score,
        "g_mean": geometric_mean_score,
    }
    return float(functions[metric](y, predicted))
