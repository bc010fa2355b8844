"""The benchmark's outputs: raw CSV, Markdown summary with tests, PNG plots.

Statistics come from scipy (Friedman, Wilcoxon signed-rank), scikit-posthocs
(Nemenyi post-hoc test and the critical-difference diagram) and statsmodels
(Holm's correction). Data sets are the unit of every test (Demšar, 2006): a
method's score on a data set is its mean over that data set's splits.
"""

import os

import numpy as np

from ._run import METRICS

REFERENCES = ("smote", "threshold")


def results_frame(rows, classifiers):
    """Rows as a DataFrame; a method with its own classifier (EGAN) is listed
    under every classifier, so that it is ranked beside each."""
    import pandas as pd

    df = pd.DataFrame(rows)
    if df.empty:
        return df
    for column in (*METRICS, "fit_seconds"):  # absent when every run failed
        if column not in df:
            df[column] = np.nan
    df["error"] = df["error"].fillna("")
    own = df[df.classifier == "own"]
    parts = [df[df.classifier != "own"]]
    parts += [own.assign(classifier=c) for c in classifiers]
    return pd.concat(parts, ignore_index=True)


def per_dataset(df, metric):
    """Data sets x methods: mean of ``metric`` over splits (finished runs only)."""
    ok = df[df.error == ""]
    return ok.groupby(["dataset", "method"])[metric].mean().unstack("method")


def complete(table):
    """Only the data sets every method finished: rank-based tests need them all."""
    return table.dropna(axis=0, how="any")


def friedman_nemenyi(table):
    """Friedman test over data sets and the Nemenyi p-value matrix.

    Returns ``(statistic, p_value, nemenyi, ranks)``; NaNs and None when there
    are fewer than 3 methods or 2 complete data sets.
    """
    from scipy.stats import friedmanchisquare

    table = complete(table)
    ranks = table.rank(axis=1, ascending=False).mean()
    if table.shape[1] < 3 or table.shape[0] < 2:
        return float("nan"), float("nan"), None, ranks
    stat, p = friedmanchisquare(*[table[c].to_numpy() for c in table.columns])
    import scikit_posthocs as sp

    nemenyi = sp.posthoc_nemenyi_friedman(table.to_numpy())
    nemenyi.index = nemenyi.columns = table.columns
    return float(stat), float(p), nemenyi, ranks


def paired_against(table, reference):
    """Each method against ``reference``: mean difference over data sets,
    wins/ties/losses, Wilcoxon signed-rank p and Holm-corrected p."""
    import pandas as pd
    from scipy.stats import wilcoxon
    from statsmodels.stats.multitest import multipletests

    table = complete(table)
    if reference not in table.columns or table.shape[0] < 2:
        return None
    rows = []
    for method in table.columns:
        if method == reference:
            continue
        diff = table[method] - table[reference]
        nonzero = diff[diff != 0]
        p = wilcoxon(nonzero).pvalue if len(nonzero) >= 2 else float("nan")
        rows.append(
            dict(
                method=method,
                mean_difference=diff.mean(),
                wins=int((diff > 0).sum()),
                ties=int((diff == 0).sum()),
                losses=int((diff < 0).sum()),
                p=p,
            )
        )
    out = pd.DataFrame(rows).set_index("method")
    valid = out.p.notna()
    out["p_holm"] = np.nan
    if valid.any():
        out.loc[valid, "p_holm"] = multipletests(out.p[valid], method="holm")[1]
    return out


def summary(df, classifiers, metric, header):
    """The Markdown summary."""
    import pandas as pd

    lines = [header, ""]
    errors = df[df.error != ""]
    for clf in classifiers:
        sub = df[df.classifier == clf]
        if sub.empty:
            continue
        lines += [f"## Classifier: {clf}", ""]
        if (sub.error == "").sum() == 0:
            lines += ["No run finished with this classifier (see the failures below).", ""]
            continue
        means = {}
        for m in METRICS + ("fit_seconds",):
            table = per_dataset(sub, m)
            means[m] = table.mean()
        overview = pd.DataFrame(means)
        table = per_dataset(sub, metric)
        stat, p, nemenyi, ranks = friedman_nemenyi(table)
        overview.insert(0, f"rank ({metric})", ranks)
        lines += [
            f"Mean over data sets of the per-data-set means (rank: mean rank on {metric} "
            "over the data sets every method finished, 1 = best):",
            "",
            overview.sort_values(f"rank ({metric})").round(3).to_markdown(),
            "",
            f"{metric} per data set (mean over splits):",
            "",
            table.round(3).to_markdown(),
            "",
        ]
        n_complete = len(complete(table))
        if np.isnan(stat):
            lines += [
                f"Friedman test: needs at least 3 methods and 2 data sets finished by every "
                f"method (here {table.shape[1]} methods, {n_complete} data sets).",
                "",
            ]
        else:
            lines += [
                f"Friedman test on {metric} over {n_complete} data sets: "
                f"chi2 = {stat:.2f}, p = {p:.3g}"
                + (
                    " (no significant difference between the methods at 0.05)."
                    if p >= 0.05
                    else ". Nemenyi post-hoc p-values:"
                ),
                "",
            ]
            if p < 0.05:
                lines += [nemenyi.round(3).to_markdown(), ""]
        for reference in REFERENCES:
            paired = paired_against(table, reference)
            if paired is None:
                continue
            lines += [
                f"Paired against `{reference}` on {metric} (Wilcoxon signed-rank over "
                f"{n_complete} data sets, Holm-corrected; difference > 0: better than "
                f"`{reference}`):",
                "",
                paired.round(4).to_markdown(),
                "",
            ]
            if n_complete < 6:
                lines += [
                    f"(With {n_complete} data sets no Wilcoxon p-value can fall below 0.05: "
                    "run more data sets, e.g. --data dev, for a test with power.)",
                    "",
                ]
    if len(errors):
        lines += ["## Runs that failed (reported, skipped)", ""]
        grouped = errors.groupby(["dataset", "method", "classifier"])["error"]
        failed = grouped.agg(["count", "first"]).rename(columns={"first": "first error"})
        lines += [failed.to_markdown(), ""]
    return "\n".join(lines)


def plots(df, classifiers, metric, out):
    """PNG plots; returns the paths written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import scikit_posthocs as sp

    written = []
    ok = df[df.error == ""]
    if ok.empty:
        return written
    for clf in classifiers:
        table = per_dataset(ok[ok.classifier == clf], metric)
        stat, p, nemenyi, ranks = friedman_nemenyi(table)
        if nemenyi is None:
            continue
        fig, ax = plt.subplots(figsize=(8, 0.4 * len(ranks) + 1.5))
        sp.critical_difference_diagram(ranks, nemenyi, ax=ax)
        ax.set_title(
            f"{metric}, {clf}: mean rank over {len(complete(table))} data sets "
            f"(Friedman p = {p:.3g}; bars join methods Nemenyi does not separate)"
        )
        path = os.path.join(out, f"cd-{clf}-{metric}.png")
        fig.savefig(path, dpi=120, bbox_inches="tight")
        plt.close(fig)
        written.append(path)

    methods = sorted(ok.method.unique())
    for m in (metric, "average_precision") if metric != "average_precision" else (metric,):
        fig, axes = plt.subplots(
            1,
            len(classifiers),
            figsize=(5 * len(classifiers), 0.35 * len(methods) + 2),
            squeeze=False,
            sharey=True,
        )
        for ax, clf in zip(axes[0], classifiers, strict=True):
            sub = ok[ok.classifier == clf]
            data = [sub[sub.method == name][m].dropna().to_numpy() for name in methods]
            ax.boxplot(data, orientation="horizontal", tick_labels=methods)
            ax.set_title(f"{clf}: {m} per split")
        fig.tight_layout()
        path = os.path.join(out, f"distribution-{m}.png")
        fig.savefig(path, dpi=120)
        plt.close(fig)
        written.append(path)

    fig, ax = plt.subplots(figsize=(7, 5))
    for clf, marker in zip(classifiers, "os^", strict=False):
        sub = ok[ok.classifier == clf].groupby("method")[[metric, "fit_seconds"]].mean()
        ax.scatter(sub.fit_seconds, sub[metric], marker=marker, label=clf)
        for name, row in sub.iterrows():
            ax.annotate(name, (row.fit_seconds, row[metric]), fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel("mean fit time per split (s, log scale)")
    ax.set_ylabel(f"mean {metric}")
    ax.legend(title="classifier")
    ax.set_title("fit time against quality")
    path = os.path.join(out, f"time-vs-{metric}.png")
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    written.append(path)
    return written
