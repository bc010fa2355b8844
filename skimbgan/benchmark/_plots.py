"""The benchmark's PNG plots, aggregated like the summary's tables.

Every plot uses the same numbers as the summary: per classifier, a method's
score on a data set is its mean over the splits, and only the data sets where
every compared method finished every split are shown (:func:`_report.complete`).
"""

import os

from ._report import complete, friedman_nemenyi, per_dataset


def plots(df, classifiers, metric, out):
    """Critical-difference diagrams, per-data-set distributions and fit time
    against quality; returns the paths written."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if (df.error == "").sum() == 0:
        return []
    written = [
        path
        for clf in classifiers
        if (path := critical_difference(df[df.classifier == clf], clf, metric, out, plt))
    ]
    for m in dict.fromkeys((metric, "average_precision")):
        written.append(distribution(df, classifiers, m, metric, out, plt))
    written.append(time_against_quality(df, classifiers, metric, out, plt))
    return written


def compared(sub, metric, column=None):
    """Per-data-set means of ``column`` (default ``metric``) on the data sets and
    methods that the ranks on ``metric`` compare."""
    kept = complete(per_dataset(sub, metric))
    return per_dataset(sub, column or metric).loc[kept.index, kept.columns]


def critical_difference(sub, clf, metric, out, plt):
    import scikit_posthocs as sp

    table = per_dataset(sub, metric)
    stat, p, nemenyi, ranks = friedman_nemenyi(table)
    if nemenyi is None:
        return None
    fig, ax = plt.subplots(figsize=(8, 0.4 * len(ranks) + 1.5))
    sp.critical_difference_diagram(ranks, nemenyi, ax=ax)
    ax.set_title(
        f"{metric}, {clf}: mean rank over {len(complete(table))} data sets "
        f"(Friedman p = {p:.3g}; bars join methods Nemenyi does not separate)"
    )
    path = os.path.join(out, f"cd-{clf}-{metric}.png")
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path


def distribution(df, classifiers, column, metric, out, plt):
    """Box plots of the per-data-set means of ``column``, one panel per classifier."""
    methods = sorted(df.method.unique())
    fig, axes = plt.subplots(
        1,
        len(classifiers),
        figsize=(5 * len(classifiers), 0.35 * len(methods) + 2),
        squeeze=False,
        sharey=True,
    )
    for ax, clf in zip(axes[0], classifiers, strict=True):
        table = compared(df[df.classifier == clf], metric, column)
        data = [table[m].to_numpy() if m in table else [] for m in methods]
        ax.boxplot(data, orientation="horizontal", tick_labels=methods)
        ax.set_title(f"{clf}: {column}, mean per data set ({len(table)} data sets)")
    fig.tight_layout()
    path = os.path.join(out, f"distribution-{column}.png")
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def time_against_quality(df, classifiers, metric, out, plt):
    """Mean over the compared data sets of the per-data-set mean fit time and score."""
    fig, ax = plt.subplots(figsize=(7, 5))
    for clf, marker in zip(classifiers, "os^", strict=False):
        sub = df[df.classifier == clf]
        quality = compared(sub, metric).mean()
        seconds = compared(sub, metric, "fit_seconds").mean()
        ax.scatter(seconds, quality, marker=marker, label=clf)
        for name in quality.index:
            ax.annotate(name, (seconds[name], quality[name]), fontsize=7)
    ax.set_xscale("log")
    ax.set_xlabel("fit time per split (s, log scale): mean over data sets of the mean over splits")
    ax.set_ylabel(f"{metric}: mean over data sets of the mean over splits")
    ax.legend(title="classifier")
    ax.set_title("fit time against quality, on the data sets every method finished")
    path = os.path.join(out, f"time-vs-{metric}.png")
    fig.savefig(path, dpi=120, bbox_inches="tight")
    plt.close(fig)
    return path
