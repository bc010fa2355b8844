"""Why RUSBoost fails on some splits, and why tuning it cannot avoid that.

imbalanced-learn's ``RUSBoostClassifier`` fits each boosting round's stump on a
random under-sample (balanced) of the training fold, then measures the stump's
error on the whole, imbalanced, training fold with the boosting weights (uniform
in the first round). A stump that learnt from a balanced sample flags many
majority samples as minority; when it flags half of them or more, the first
round's error reaches 0.5 and scikit-learn's AdaBoost stops with "worse than
random", so nothing is fitted.

For each data set of a profile and each split of the benchmark (the same
5-fold stratified splits and seeds as ``skimbgan benchmark --repeats 1``),
this fits the benchmark's RUSBoost pipeline with each of the four settings of
its ``--tune`` grid on the training fold and marks a failure ``x``. The first
round does not depend on ``n_estimators`` or ``learning_rate``, so a split
fails for every setting or for none. Then, for each data set, it fits stumps
on ``--samples`` random balanced under-samples of the training folds (an
equal number from each, scaled as in the pipeline) and reports the share whose
error on the whole of its fold is 0.5 or more: the chance that a first round
stops the fit.

    python -m benchmarks.rusboost_failures --data dev \
        --out benchmarks/results/rusboost-failures-dev.md
"""

import warnings

import numpy as np

from ._harness import Report, parser


def first_round_errors(X, y, n_samples, seed=0):
    """Errors on (X, y), uniform weights, of stumps fit on random balanced
    under-samples of it: what RUSBoost's first round measures."""
    from imblearn.under_sampling import RandomUnderSampler
    from sklearn.tree import DecisionTreeClassifier

    errors = []
    for i in range(n_samples):
        X_res, y_res = RandomUnderSampler(random_state=seed + i).fit_resample(X, y)
        stump = DecisionTreeClassifier(max_depth=1, random_state=seed + i).fit(X_res, y_res)
        errors.append(np.mean(stump.predict(X) != y))
    return np.array(errors)


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--data", default="dev", help="a profile of skimbgan benchmark (default dev)")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--samples", type=int, default=200, help="under-samples per data set")
    args = p.parse_args(argv)
    report = Report("rusboost_failures", argv, args.out)

    from sklearn.preprocessing import StandardScaler

    from skimbgan.benchmark import PROFILES, REGISTRY, load_dataset, make_tasks, parse_methods

    (method,) = parse_methods(["rusboost"])
    grid = REGISTRY["rusboost"].grid
    lines = [
        "| data set | minority / n | splits failing, per grid setting | "
        "first-round error >= 0.5 | median first-round error |",
        "|:--|--:|:--|--:|--:|",
    ]
    table_rows = []
    for name in PROFILES[args.data]["datasets"]:
        d = load_dataset(name)
        X, y = np.asarray(d.X, dtype=float), np.asarray(d.y)
        # the benchmark's own splits (its seed 0, one repeat)
        _, splits = make_tasks([d], [method], ["lr"], args.folds, 1, 0)
        splits = splits[name]
        marks = []
        for params in grid:
            mark = ""
            for split, (train, _) in enumerate(splits):
                model = method.build("lr", split, int(y[train].sum()))
                model.set_params(**{f"rusboostclassifier__{k}": v for k, v in params.items()})
                try:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        model.fit(X[train], y[train])
                    mark += "."
                except ValueError as exc:
                    if "worse than random" not in str(exc):
                        raise
                    mark += "x"
            marks.append(mark)
        errors = []
        for split, (train, _) in enumerate(splits):
            X_train = StandardScaler().fit_transform(X[train])
            per_split = args.samples // len(splits)
            errors.extend(first_round_errors(X_train, y[train], per_split, seed=split * per_split))
        errors = np.array(errors)
        share = float(np.mean(errors >= 0.5))
        lines.append(
            f"| {name} | {int(y.sum())} / {len(y)} | {' '.join(marks)} | "
            f"{share:.2f} | {np.median(errors):.3f} |"
        )
        table_rows.append(
            dict(
                dataset=name, splits=" ".join(marks), share_failing=share, median=np.median(errors)
            )
        )
    settings = (
        f"RUSBoost on the `{args.data}` profile: {args.folds}-fold stratified splits (seed 0), "
        "the benchmark's pipeline (StandardScaler, RUSBoostClassifier with random_state = the "
        "split's index) with each setting of the tune grid: "
        + ", ".join(str(g) for g in grid)
        + f". Split marks: '.' fitted, 'x' failed ('worse than random'), splits 0 to "
        f"{args.folds - 1}, one group per setting. Stumps: {args.samples} random balanced "
        "under-samples, an equal number from each split's (scaled) training fold, each "
        "stump's error on the whole of its training fold."
    )
    report.write(settings, "\n".join(lines), rows=table_rows)


if __name__ == "__main__":
    main()
