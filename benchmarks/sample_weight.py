"""Sample weights against label noise: down-weighting doubtful labels.

A user whose labels come with a confidence: some majority samples were
labelled minority by mistake, and the labelling process marked them, with
some correctly labelled samples, as doubtful. Each estimator is fitted three
ways on the same noisy training data and scored on clean test data at the
data's own prevalence:

- ``unweighted``: every label trusted;
- ``weighted``: the doubtful samples weigh ``--doubt-weight`` (0.1), the
  others 1 (``fit(X, y, sample_weight=w)``; for the sampler,
  ``fit_resample(..., sample_weight=w)`` and its ``sample_weight_resampled_``
  passed on to the logistic regression after it);
- ``clean``: the same rows with their true labels (what no noise would give).

Data: ``make_classification`` (2,000 training and 2,000 test rows, 10
features, 10% minority; ``--noise`` 5% of the training majority relabelled
minority, about a third of the minority labels wrong, and as many correct
samples as wrong ones also marked doubtful). One draw of the data per seed.

    python -m benchmarks.sample_weight --seeds 3 \\
        --out benchmarks/results/sample-weight.md
"""

import time

import numpy as np

from ._harness import Report, parser

VARIANTS = ("unweighted", "weighted", "clean")


def noisy_data(seed, noise):
    """``(X_train, y_noisy, y_true, doubtful, X_test, y_test)``."""
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=4000,
        n_features=10,
        n_informative=6,
        weights=[0.9],
        flip_y=0.0,
        random_state=seed,
    )
    X_train, y_train, X_test, y_test = X[:2000], y[:2000], X[2000:], y[2000:]
    rng = np.random.RandomState(seed)
    majority = np.flatnonzero(y_train == 0)
    flipped = rng.choice(majority, int(noise * majority.size), replace=False)
    y_noisy = y_train.copy()
    y_noisy[flipped] = 1
    correct = rng.choice(np.setdiff1d(np.arange(2000), flipped), flipped.size, replace=False)
    doubtful = np.zeros(2000, dtype=bool)
    doubtful[np.r_[flipped, correct]] = True
    return X_train, y_noisy, y_train, doubtful, X_test, y_test


def estimators():
    """``{name: fit(X, y, sample_weight) -> scores of X_test}`` makers."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from skimbgan import EGANClassifier, PolarityGANSampler

    def egan(seed):
        def fit(X, y, weight):
            model = EGANClassifier(device="cpu", random_state=seed).fit(X, y, sample_weight=weight)
            return model, lambda X_test: model.predict_proba(X_test)[:, 1]

        return fit

    def polarity_lr(seed):
        def fit(X, y, weight):
            scaler = StandardScaler().fit(X)
            sampler = PolarityGANSampler(device="cpu", random_state=seed)
            X_res, y_res = sampler.fit_resample(scaler.transform(X), y, sample_weight=weight)
            lr = LogisticRegression(max_iter=2000)
            lr.fit(X_res, y_res, sample_weight=sampler.sample_weight_resampled_)
            return lr, lambda X_test: lr.predict_proba(scaler.transform(X_test))[:, 1]

        return fit

    def lr(seed):
        def fit(X, y, weight):
            from sklearn.pipeline import make_pipeline

            model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
            model.fit(X, y, logisticregression__sample_weight=weight)
            return model, lambda X_test: model.predict_proba(X_test)[:, 1]

        return fit

    return {"EGANClassifier()": egan, "PolarityGANSampler() + lr": polarity_lr, "lr": lr}


def run(seeds, noise, doubt_weight, names):
    from sklearn.metrics import average_precision_score, f1_score

    rows = []
    for seed in seeds:
        X, y_noisy, y_true, doubtful, X_test, y_test = noisy_data(seed, noise)
        weight = np.where(doubtful, doubt_weight, 1.0)
        for name, make in estimators().items():
            if names and name not in names:
                continue
            for variant in VARIANTS:
                y_fit = y_true if variant == "clean" else y_noisy
                w = weight if variant == "weighted" else None
                start = time.perf_counter()
                _, score = make(seed)(X, y_fit, w)
                seconds = time.perf_counter() - start
                s = score(X_test)
                rows.append(
                    dict(
                        estimator=name,
                        variant=variant,
                        seed=seed,
                        average_precision=average_precision_score(y_test, s),
                        f1=f1_score(y_test, s >= 0.5),
                        fit_seconds=seconds,
                    )
                )
                print(
                    f"{name} {variant} seed {seed}: AP {rows[-1]['average_precision']:.3f}",
                    flush=True,
                )
    return rows


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--noise", type=float, default=0.05)
    p.add_argument("--doubt-weight", type=float, default=0.1)
    p.add_argument("--estimators", nargs="*", help="names of the estimators to run (default all)")
    args = p.parse_args(argv)
    report = Report("sample_weight", argv, args.out)
    rows = run(range(args.seeds), args.noise, args.doubt_weight, args.estimators)
    import pandas as pd

    frame = pd.DataFrame(rows)
    means = frame.groupby(["estimator", "variant"])[["average_precision", "f1"]].mean()
    table = pd.DataFrame(
        {
            f"{label} {variant}": means[metric].unstack()[variant]
            for metric, label in (("average_precision", "AP"), ("f1", "F1"))
            for variant in VARIANTS
        }
    ).round(3)
    seconds = frame.groupby(["estimator", "variant"]).fit_seconds.median().unstack()
    body = (
        "Means over seeds on the clean test data (F1 at predict_proba >= 0.5).\n\n"
        + table.to_markdown()
        + "\n\nMedian fit seconds.\n\n"
        + seconds[list(VARIANTS)].round(2).to_markdown()
    )
    settings = (
        f"Label noise: {args.noise:.0%} of the training majority labelled minority; those "
        f"samples and as many correct ones marked doubtful, weight {args.doubt_weight} in "
        f"the weighted fits. make_classification, 2,000 training and 2,000 test rows, 10% "
        f"minority, seeds 0-{args.seeds - 1}."
    )
    report.write(settings, body, rows=rows)


if __name__ == "__main__":
    main()
