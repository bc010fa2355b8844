"""Paired comparison of two settings of a method over the same splits.

Reads the per-split results of runs made on the same profile: CSVs of
``benchmarks/quality.py`` or the output folders of ``skimbgan benchmark``
(their ``results.csv``): a candidate (``--new``), a reference (``--old``) and,
optionally, the reference run again with other random streams (``--noise``:
other sampler seeds, e.g. ``--sampler-seed-offset`` or
``polarity:random_state=N``), which measures how much the scores move from
seed to seed alone. Each side may name its own method (``--new-method``,
``--old-method``, ``--noise-method``; by default ``--method``), so that two
settings in one run folder compare too. For each classifier and metric it
reports the means, the mean paired difference new - old over the (data set,
split) pairs with its standard error, the same for the reseeded reference
(the run-to-run noise), and the two-sided Wilcoxon signed-rank p-value over
the data sets' mean differences (data sets as the unit, as Demšar, 2006,
recommends). Samplers are compared with each classifier (lr, rf, hgb); a
method that is its own classifier (``egan``) on its ``own`` rows.

    python -m benchmarks.compare --new benchmarks/results/quality-dev.csv \\
        --old benchmarks/results/quality-dev-old-defaults.csv \\
        --noise benchmarks/results/quality-dev-old-defaults-seed1000.csv
    python -m benchmarks.compare --old benchmarks/results/command-dev \\
        --new RUN_FOLDER --new-method "polarity:gp_every=4"
    python -m benchmarks.compare --method egan --old OLD_FOLDER --new NEW_FOLDER
"""

import os

import numpy as np

from ._harness import Report, parser

METRICS = ["f1", "average_precision"]
DIVERSITY = ["spread_ratio", "copy_share", "nn_ratio"]


#: Names in result files written before the scripts took ``skimbgan benchmark``'s
#: method and classifier names (the published quality-*.csv files).
EARLIER_NAMES = {"PolarityGAN": "polarity", "SMOTE": "smote", "RF": "rf", "LR": "lr"}


def load(path, method):
    import pandas as pd

    if os.path.isdir(path):  # an output folder of skimbgan benchmark
        path = os.path.join(path, "results.csv")
    df = pd.read_csv(path).replace({"method": EARLIER_NAMES, "classifier": EARLIER_NAMES})
    df = df[df.method == method]
    if "error" in df:
        df = df[df["error"].isna()]
    return df.set_index(["classifier", "dataset", "split"]).sort_index()


def paired(new, old, column):
    """Mean, standard error and per-data-set Wilcoxon p of new - old."""
    from scipy.stats import wilcoxon

    joined = (
        new[[column]]
        .rename(columns={column: "new"})
        .join(old[[column]].rename(columns={column: "old"}), how="inner")
    )
    diff = joined["new"] - joined["old"]
    per_dataset = diff.groupby("dataset").mean()
    nonzero = per_dataset[per_dataset != 0]
    p = wilcoxon(nonzero).pvalue if len(nonzero) >= 2 else float("nan")
    return dict(
        mean_diff=diff.mean(),
        se=diff.std(ddof=1) / np.sqrt(len(diff)),
        p_wilcoxon=p,
        n_pairs=len(diff),
    )


def mean_over_datasets(df, column):
    return df[column].groupby("dataset").mean().mean()


def shared_classifiers(new, old):
    """The classifiers both runs hold."""
    return set(new.index.get_level_values("classifier")) & set(
        old.index.get_level_values("classifier")
    )


def compare(new, old, noise=None):
    """Rows of the comparison table (one per classifier and measure)."""
    rows = []
    present = shared_classifiers(new, old)
    measures = [(c, m) for c in ("rf", "lr", "hgb", "own") if c in present for m in METRICS]
    # the diversity diagnostics do not depend on the classifier: read the rf rows
    if "rf" in present:
        measures += [("rf", m) for m in DIVERSITY if m in new.columns and m in old.columns]
    for clf, column in measures:
        n, o = new.loc[clf], old.loc[clf]
        row = {
            "measure": column if column in DIVERSITY else f"{clf} {column}",
            "new": mean_over_datasets(n, column),
            "old": mean_over_datasets(o, column),
        }
        stats = paired(n, o, column)
        row["new - old (± se)"] = f"{stats['mean_diff']:+.4f} ± {stats['se']:.4f}"
        row["p new vs old"] = stats["p_wilcoxon"]
        if noise is not None:
            reseeded = paired(noise.loc[clf], o, column)
            row["old reseeded - old (± se)"] = (
                f"{reseeded['mean_diff']:+.4f} ± {reseeded['se']:.4f}"
            )
            row["p reseeded vs old"] = reseeded["p_wilcoxon"]
        rows.append(row)
    return rows


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--new", required=True)
    p.add_argument("--old", required=True)
    p.add_argument("--noise", help="the reference run with other sampler seeds")
    p.add_argument("--method", default="polarity")
    for side in ("new", "old", "noise"):
        p.add_argument(f"--{side}-method", help=f"the method of --{side} (default: --method)")
    args = p.parse_args(argv)
    import pandas as pd

    report = Report("compare", argv, args.out)
    new = load(args.new, args.new_method or args.method)
    old = load(args.old, args.old_method or args.method)
    noise = load(args.noise, args.noise_method or args.method) if args.noise else None
    table = pd.DataFrame(compare(new, old, noise)).set_index("measure")
    first = sorted(shared_classifiers(new, old))[0]
    n_pairs = len(new.loc[first].index.intersection(old.loc[first].index))
    settings = (
        f"Paired comparison over {n_pairs} (data set, split) pairs per classifier; means "
        "over data sets of the per-data-set means; differences are means over the pairs "
        "with their standard error; p: two-sided Wilcoxon signed-rank test over the data "
        "sets' mean differences."
    )
    report.write(settings, table.round(4).to_markdown())


if __name__ == "__main__":
    main()
