"""The benchmark's outputs: raw CSV and Markdown summary with tests (plots: ``_plots``).

Statistics come from scipy (Friedman, Wilcoxon signed-rank), scikit-posthocs
(Nemenyi post-hoc test and the critical-difference diagram) and statsmodels
(Holm's correction). Data sets are the unit of every test (Demšar, 2006): a
method's score on a data set is its mean over that data set's splits, and a
method that did not finish every split of a data set has no score there. The
comparison (means, ranks, tests, plots) uses the data sets where every compared
method finished every split; see :func:`complete`.
"""

import numpy as np

from ._methods import TUNED
from ._run import METRICS

REFERENCES = ("smote", "threshold")


def references(table):
    """The references present in ``table``: each of REFERENCES, then its tuned
    twin when the run has one (so tuned methods are also compared against a
    tuned reference, not only against a reference at its defaults)."""
    found = []
    for reference in REFERENCES:
        found += [name for name in (reference, reference + TUNED) if name in table.columns]
    return found


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
    df["own"] = df.classifier == "own"
    own = df[df.own]
    parts = [df[~df.own]]
    parts += [own.assign(classifier=c) for c in classifiers]
    return pd.concat(parts, ignore_index=True)


def per_dataset(df, metric):
    """Data sets x methods: mean of ``metric`` over splits, NaN where the method
    did not finish every split of that data set (a failed or missing split).

    A data set's splits are those any of its rows has (failed runs included).
    """
    counts = finished_counts(df)
    ok = df[df.error == ""]
    table = ok.groupby(["dataset", "method"])[metric].mean().unstack("method")
    table = table.reindex(index=counts.index, columns=counts.columns)
    return table.where(counts.eq(counts.attrs["n_splits"], axis=0))


def finished_counts(df):
    """Data sets x methods: the number of finished splits; ``attrs["n_splits"]``
    holds each data set's number of splits."""
    n_splits = df.groupby("dataset").split.nunique()
    ok = df[df.error == ""]
    counts = ok.groupby(["dataset", "method"]).size().unstack("method")
    methods = sorted(df.method.unique())
    counts = counts.reindex(index=n_splits.index, columns=methods).fillna(0).astype(int)
    counts.attrs["n_splits"] = n_splits
    return counts


def complete(table):
    """The data sets every compared method finished on every split.

    A method that finished no data set on every split is left out first (else
    it would empty the comparison); of the others, only data sets without a
    gap remain: rank-based tests need them all.
    """
    table = table.dropna(axis=1, how="all")
    return table.dropna(axis=0, how="any")


def accounting(df, table):
    """Markdown lines saying which data sets and methods the comparison left out and why."""
    counts = finished_counts(df)
    n_splits = counts.attrs["n_splits"]
    kept = complete(table)
    dropped = [m for m in table.columns if m not in kept.columns]
    lines = [
        f"Compared on {len(kept)} of {len(table)} data sets: those where every compared "
        "method finished every split (means, ranks, tests and plots all use these)."
    ]
    if dropped:
        lines.append(
            "Not compared (no data set finished on every split): "
            + ", ".join(f"`{m}`" for m in dropped)
            + "."
        )
    gaps = []
    for dataset in table.index.difference(kept.index, sort=False):
        short = [
            f"`{m}` {n_splits[dataset] - counts.at[dataset, m]} of {n_splits[dataset]} "
            "splits failed or missing"
            for m in kept.columns
            if counts.at[dataset, m] < n_splits[dataset]
        ]
        gaps.append(f"{dataset} ({'; '.join(short)})")
    if gaps:
        lines.append("Left out: " + ", ".join(gaps) + ".")
    return lines


def overview(df, metric):
    """Methods x (rank on ``metric``, every metric, fit time): means over the
    compared data sets (:func:`complete`) of the per-data-set means."""
    import pandas as pd

    kept = complete(per_dataset(df, metric))
    means = pd.DataFrame(
        {
            m: per_dataset(df, m).loc[kept.index, kept.columns].mean()
            for m in METRICS + ("fit_seconds",)
        }
    )
    means.insert(0, f"rank ({metric})", friedman_nemenyi(per_dataset(df, metric))[3])
    return means


def gaps_as_dashes(table):
    """Markdown of a per-data-set table, a data set a method did not finish as '-'."""
    text = table.round(3).astype(object).where(table.notna(), None)
    return text.to_markdown(missingval="-")


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


def uncertainty_lines(sub, table, metric):
    """Effect sizes with their uncertainty against each reference: over the
    compared data sets, or over the splits when there is only one."""
    from ._effect_sizes import ROPE, over_datasets, over_splits, split_scores

    kept = complete(table)
    lines = []
    for reference in references(kept):
        if len(kept) >= 2:
            result = over_datasets(kept, reference)
            intro = (
                f"Against `{reference}` on {metric}, over {len(kept)} data sets: mean "
                "difference with its 95% bootstrap interval (data sets resampled), and the "
                f"Bayesian signed-rank test with a region of practical equivalence of "
                f"+-{ROPE}: P(better), P(equivalent), P(worse) than `{reference}`:"
            )
        else:
            dataset = kept.index[0]
            rows = sub[(sub.dataset == dataset) & (sub.error == "")]
            repeats = int(rows["repeat"].nunique()) if "repeat" in rows else 1
            result = over_splits(split_scores(rows, metric), reference, repeats)
            intro = (
                f"Against `{reference}` on {metric}, on the one data set `{dataset}`: mean "
                "and standard deviation of the per-split differences, and the Bayesian "
                "correlated t-test (it accounts for the overlap of training sets in repeated "
                f"cross-validation) with a region of practical equivalence of +-{ROPE}:"
            )
        if result is None:
            continue
        lines += [intro, "", result.round(3).to_markdown(), ""]
    return lines


def n_comparisons(df, classifiers, metric):
    """How many Bayesian comparisons (a method against a reference) the
    summary will compute: said before it starts, since with many methods and
    data sets they take minutes (each signed-rank test draws 50,000 samples)."""
    n = 0
    for clf in classifiers:
        sub = df[df.classifier == clf]
        if (sub.error == "").any():
            kept = complete(per_dataset(sub, metric))
            if not kept.empty:
                n += (kept.shape[1] - 1) * len(references(kept))
    return n


def chosen_lines(df):
    """The settings the tuned methods chose, per data set and split."""
    if "chosen" not in df or df.chosen.isna().all():
        return []
    tuned = df[df.chosen.notna() & (df.chosen != "")]
    table = tuned.pivot_table(
        index=["dataset", "method", "classifier"],
        columns="split",
        values="chosen",
        aggfunc="first",
    )
    table.columns = [f"split {c}" for c in table.columns]
    return [
        "## Settings chosen by the tuned methods (per split of each data set)",
        "",
        table.reset_index().to_markdown(index=False),
        "",
    ]


def failure_lines(errors):
    """Markdown lines counting the failed runs per data set, method and classifier.

    A method with its own classifier (an ensemble, EGAN) ran once per split although
    it is ranked beside every classifier: its failures are counted once, under
    ``own``, as the header counts them.
    """
    if "own" in errors:
        errors = errors.assign(classifier=errors.classifier.mask(errors.own, "own"))
        errors = errors.drop_duplicates(["dataset", "split", "method", "classifier"])
    grouped = errors.groupby(["dataset", "method", "classifier"])["error"]
    failed = grouped.agg(["count", "first"]).rename(columns={"first": "first error"})
    lines = [failed.to_markdown(), ""]
    if (failed.index.get_level_values("classifier") == "own").any():
        lines += [
            "(`own`: a method with its own classifier, which ran once per split and is "
            "ranked beside each classifier above.)",
            "",
        ]
    return lines


def summary(df, classifiers, metric, header):
    """The Markdown summary."""

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
        table = per_dataset(sub, metric)
        kept = complete(table)
        lines += [" ".join(accounting(sub, table)), ""]
        if kept.empty:
            lines += [
                f"{metric} per data set (mean over splits; -: a split failed or is missing):",
                "",
                gaps_as_dashes(table),
                "",
            ]
            continue
        stat, p, nemenyi, ranks = friedman_nemenyi(table)
        means = overview(sub, metric)
        lines += [
            f"Mean over the {len(kept)} compared data sets of the per-data-set means "
            f"(rank: mean rank on {metric}, 1 = best):",
            "",
            means.sort_values(f"rank ({metric})").round(3).to_markdown(),
            "",
            f"{metric} per data set (mean over splits; -: the method did not finish every "
            "split of that data set):",
            "",
            gaps_as_dashes(table),
            "",
        ]
        n_complete = len(kept)
        if np.isnan(stat):
            lines += [
                f"Friedman test: needs at least 3 methods and 2 data sets finished by every "
                f"method (here {kept.shape[1]} methods, {n_complete} data sets).",
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
        for reference in references(table):
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
        lines += uncertainty_lines(sub, table, metric)
    lines += chosen_lines(df)
    noted = df[df.note.fillna("").astype(bool) & (df.error == "")] if "note" in df else df[:0]
    if len(noted):
        counts = noted.groupby(["dataset", "method", "classifier"]).size().rename("runs")
        lines += [
            "## Runs whose threshold could not be tuned (kept, with the model's own cut-off)",
            "",
            "The model gave a constant score on an inner fold of the threshold search, "
            "so the run kept the model's own predictions.",
            "",
            counts.to_frame().to_markdown(),
            "",
        ]
    if len(errors):
        lines += ["## Runs that failed (reported, skipped)", ""]
        lines += failure_lines(errors)
    return "\n".join(lines)
