"""How large a difference is, with what uncertainty, and whether it matters.

Against a reference method (the tuned threshold, SMOTE), for each method:

- over several data sets: the mean of the per-data-set differences with a 95%
  bootstrap confidence interval (SciPy's ``bootstrap``, percentile method,
  10,000 resamples of the data sets), and the Bayesian signed-rank test of
  Benavoli et al. (2017) with a region of practical equivalence (ROPE):
  P(better), P(equivalent), P(worse) (``baycomp``);
- on a single data set: the spread of the differences over the splits and the
  Bayesian correlated t-test (Corani & Benavoli, 2015; ``baycomp``), which
  accounts for the overlap of the training sets of repeated cross-validation
  (the same correction as Nadeau and Bengio's corrected resampled t-test).

``baycomp`` is the reference implementation of these tests by their authors;
SciPy's bootstrap is the maintained one.
"""

import numpy as np

#: Half-width of the region of practical equivalence, in the metric's units:
#: two methods whose scores differ by less than 0.01 are practically equivalent.
ROPE = 0.01


def _bootstrap_ci(diff, seed):
    from scipy.stats import bootstrap

    if len(diff) < 2 or np.all(diff == diff[0]):
        return float(diff.mean()), float(diff.mean())
    result = bootstrap(
        (diff,),
        np.mean,
        confidence_level=0.95,
        n_resamples=10_000,
        method="percentile",
        random_state=seed,
    )
    return float(result.confidence_interval.low), float(result.confidence_interval.high)


def over_datasets(table, reference, rope=ROPE, seed=0):
    """Each method of ``table`` (data sets x methods, complete) against
    ``reference``: mean difference, its bootstrap interval and the Bayesian
    signed-rank probabilities; None without the reference or with fewer than
    two data sets."""
    import pandas as pd
    from baycomp import SignedRankTest

    if reference not in table.columns or table.shape[0] < 2:
        return None
    rows = []
    for method in table.columns:
        if method == reference:
            continue
        x, y = table[method].to_numpy(float), table[reference].to_numpy(float)
        diff = x - y
        low, high = _bootstrap_ci(diff, seed)
        better, equivalent, worse = SignedRankTest.probs(x, y, rope=rope, random_state=seed)
        rows.append(
            dict(
                method=method,
                mean_difference=diff.mean(),
                ci95_low=low,
                ci95_high=high,
                p_better=float(better),
                p_equivalent=float(equivalent),
                p_worse=float(worse),
            )
        )
    return pd.DataFrame(rows).set_index("method")


def over_splits(scores, reference, repeats, rope=ROPE):
    """On one data set: ``scores`` (splits x methods, in split order) against
    ``reference``: mean and standard deviation of the per-split differences,
    and the Bayesian correlated t-test's probabilities (``repeats`` runs of
    cross-validation); None without the reference or with fewer than two
    splits."""
    import pandas as pd
    from baycomp import CorrelatedTTest

    if reference not in scores.columns or scores.shape[0] < 2:
        return None
    rows = []
    for method in scores.columns:
        if method == reference:
            continue
        x, y = scores[method].to_numpy(float), scores[reference].to_numpy(float)
        diff = x - y
        if np.allclose(diff, diff[0]):  # the test needs a spread
            probs = (float(diff[0] > rope), float(abs(diff[0]) <= rope), float(diff[0] < -rope))
        else:
            probs = CorrelatedTTest.probs(x, y, rope=rope, runs=repeats)
        rows.append(
            dict(
                method=method,
                mean_difference=diff.mean(),
                sd_over_splits=diff.std(ddof=1),
                p_better=float(probs[0]),
                p_equivalent=float(probs[1]),
                p_worse=float(probs[2]),
            )
        )
    columns = ["method", "mean_difference", "sd_over_splits", "p_better", "p_equivalent"]
    # no other method to compare (a run of one method): an empty table
    return pd.DataFrame(rows, columns=[*columns, "p_worse"]).set_index("method")


def split_scores(rows, metric):
    """Splits x methods of one data set's finished runs, methods that did not
    finish every split left out."""
    table = rows.pivot_table(index="split", columns="method", values=metric, aggfunc="mean")
    return table.dropna(axis=1)
