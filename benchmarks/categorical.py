"""PolarityGANSampler on mixed tables: cost against the numeric fit, memory with
a 1,000-category column, and what each category rule draws.

Three questions, on synthetic tables (``make_classification``, imbalance about
1:9; each categorical column is an informative feature cut into quantile bins):

- cost: a fit with 6 numeric and 4 categorical columns (3, 8, 30 and 200
  categories) against the same table with its categorical columns given as
  integer codes (numbers), default settings, each fit in a fresh process,
  taking turns; medians of ``--repeats``.
- memory: peak resident memory of a fit with a 1,000-category column against
  the same table integer-coded (and its growth during the fit, above the
  memory after imports).
- rule: with two dependent columns (a city determines its country), the share
  of synthetic rows whose (country, city) pair occurs in their class, and the
  number of distinct pairs, for ``categorical_sampling='anchor'`` and
  ``'column'``.

    python -m benchmarks.categorical
    python -m benchmarks.categorical --repeats 5 --out benchmarks/results/categorical.md
"""

import time

from ._harness import Report, in_fresh_process, median, parser, rss_mb

CARDINALITIES = (3, 8, 30, 200)


def table(n_samples, cardinalities, seed=0):
    """A mixed DataFrame, the same table integer-coded, and the labels."""
    import numpy as np
    import pandas as pd
    from sklearn.datasets import make_classification

    X, y = make_classification(
        n_samples=n_samples,
        n_features=6 + len(cardinalities),
        n_informative=6 + len(cardinalities),
        n_redundant=0,
        weights=[0.9],
        shuffle=False,
        random_state=seed,
    )
    mixed = pd.DataFrame(X[:, :6], columns=[f"x{j}" for j in range(6)])
    coded = mixed.copy()
    for k, n_cat in enumerate(cardinalities):
        values = X[:, 6 + k]
        codes = np.searchsorted(np.quantile(values, np.linspace(0, 1, n_cat + 1)[1:-1]), values)
        mixed[f"c{k}"] = pd.Categorical([f"v{c}" for c in codes])
        coded[f"c{k}"] = codes.astype(np.float64)
    return mixed, coded, y


def fit(kind, n_samples, cardinalities, seed):
    from skimbgan import PolarityGANSampler

    mixed, coded, y = table(n_samples, cardinalities, seed)
    X = mixed if kind == "categorical" else coded
    spec = "auto" if kind == "categorical" else None
    # a first tiny fit pays the one-off costs of a fresh process
    warm_up = PolarityGANSampler(categorical_features=spec, n_steps=1, device="cpu")
    warm_up.fit_resample(X[::25], y[::25])
    before = rss_mb()
    start = time.perf_counter()
    PolarityGANSampler(categorical_features=spec, device="cpu", random_state=seed).fit_resample(
        X, y
    )
    return {"seconds": time.perf_counter() - start, "rss_before_mb": before}


def rule_share(rule, seed=0):
    """Share of synthetic rows whose (country, city) pair exists in their class."""
    import numpy as np

    from skimbgan import PolarityGANSampler

    mixed, _, y = table(2000, (30,), seed)
    mixed["city"] = mixed.pop("c0")
    mixed["country"] = mixed.city.map(lambda v: f"k{int(v[1:]) // 5}").astype(object)
    sampler = PolarityGANSampler(categorical_features="auto", categorical_sampling=rule)
    X_res, y_res = sampler.set_params(device="cpu", random_state=seed).fit_resample(mixed, y)
    n = len(y)
    pairs = {(k, a, b) for k, a, b in zip(y, mixed.country, mixed.city, strict=True)}
    new = list(zip(y_res[n:], X_res.country[n:], X_res.city[n:], strict=True))
    return {
        "real_pairs": float(np.mean([p in pairs for p in new])),
        "distinct": len(set(new)),
    }


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--n-samples", type=int, default=5000)
    args = p.parse_args(argv)
    report = Report("categorical", argv, args.out)
    rows = []
    for seed in range(args.repeats):
        for kind in ("numeric", "categorical"):
            for question, cards in (("cost", CARDINALITIES), ("memory", (1000,))):
                row = in_fresh_process(fit, kind, args.n_samples, cards, seed)
                row["fit_mb"] = row["peak_mb"] - row["rss_before_mb"]
                rows.append({"question": question, "kind": kind, **row})
    lines = [
        "| question | columns | median fit (s) | median peak memory (MiB) | of which the fit |",
        "|---|---|---|---|---|",
    ]
    for question in ("cost", "memory"):
        for kind in ("numeric", "categorical"):
            match = dict(question=question, kind=kind)
            seconds, peak = median(rows, "seconds", **match), median(rows, "peak_mb", **match)
            grown = median(rows, "fit_mb", **match)
            lines.append(f"| {question} | {kind} | {seconds:.2f} | {peak:.0f} | {grown:.0f} |")
    ratio = median(rows, "seconds", question="cost", kind="categorical") / median(
        rows, "seconds", question="cost", kind="numeric"
    )
    lines += ["", f"Categorical / numeric fit time (cost question): {ratio:.2f}", ""]
    lines += ["| categorical_sampling | rows with a real (country, city) pair | distinct pairs |"]
    lines += ["|---|---|---|"]
    for rule in ("anchor", "column"):
        share = in_fresh_process(rule_share, rule)
        rows.append({"question": "rule", "kind": rule, **share})
        lines.append(f"| {rule} | {share['real_pairs']:.3f} | {share['distinct']} |")
    settings = (
        f"PolarityGANSampler defaults, {args.n_samples} samples, 6 numeric columns; cost: "
        f"categorical columns of {', '.join(map(str, CARDINALITIES))} categories; memory: one "
        f"column of 1,000 categories; {args.repeats} repeats, each fit in a fresh process."
    )
    report.write(settings, "\n".join(lines), rows=rows)


if __name__ == "__main__":
    main()
