"""What each part of PolarityGANSampler contributes, on the development subset.

Each variant changes one parameter of the default sampler: the classifier's
push towards the boundary (``classifier_weight`` 0 and 5), uncertainty
sampling (``selection``), the autoencoder initialisation (``init``), the bound
on a single sample's weight (``max_anchor_weight``), the neighbourhood size
(``n_neighbors``) and the training length (``n_steps``). All variants and the
baselines (no resampling, balanced class weights, a tuned threshold, SMOTE) see
the same splits: the first ``--splits`` splits of the quality benchmark's
5-fold x 2 scheme, whose cache they share (``benchmarks/quality.py``). Means
over the data sets, scored at the real prevalence; the diversity diagnostics of
``benchmarks/diagnostics.py``.

    python -m benchmarks.ablation                 # first 5 splits (one 5-fold CV)
    python -m benchmarks.ablation --variants default classifier_weight=0
    python -m benchmarks.ablation --variants default n_neighbors=None \
        --datasets pima ecoli1 segment0 --out benchmarks/results/ablation-global-softmax.md
    python -m benchmarks.ablation --variants init=random,n_steps=200   # any parameters
"""

import json
import time

from skimbgan.benchmark import DEV_SUBSET

from ._harness import Report, parser
from ._tabular import run

VARIANTS = {
    "default": {},
    "classifier_weight=0": {"classifier_weight": 0.0},
    "classifier_weight=5": {"classifier_weight": 5.0},
    "selection=entropy": {"selection": "entropy"},
    "init=random": {"init": "random"},
    "max_anchor_weight=0.9": {"max_anchor_weight": 0.9},
    "n_neighbors=None": {"n_neighbors": None},
    "n_neighbors=15": {"n_neighbors": 15},
    "n_steps=3000": {"n_steps": 3000},
}
# the paper's global softmax over every anchor of a class is much slower
# (about a minute a fit here): run it on its own, on a few data sets
SLOW = {"n_neighbors=None"}
BASELINES = ["none", "class_weight", "threshold", "smote"]


def parse_variant(name):
    """Parameters of a variant: a name of ``VARIANTS``, or ``key=value[,key=value]``
    with JSON values (``None``, ``true`` and bare strings allowed)."""
    if name in VARIANTS:
        return VARIANTS[name]
    params = {}
    for item in name.split(","):
        key, sep, value = item.partition("=")
        if not sep:
            raise SystemExit(f"Variant {name!r}: expected key=value pairs.")
        try:
            params[key] = json.loads({"None": "null"}.get(value, value))
        except json.JSONDecodeError:
            params[key] = value
    return params


METRICS = ["f1", "average_precision"]
DIVERSITY = ["spread_ratio", "copy_share", "nn_ratio"]


def summarise(frames):
    """One row per method or variant: mean over data sets of each score."""
    import pandas as pd

    labels = {"f1": "f1", "average_precision": "AP"}
    rows = []
    for label, df in frames.items():
        if "error" in df:
            df = df[df["error"].isna()]
        row = {"method": label}
        for clf in ("rf", "lr"):
            per_dataset = df[df.classifier == clf].groupby("dataset")[METRICS].mean()
            for metric in METRICS:
                row[f"{clf} {labels[metric]}"] = per_dataset[metric].mean()
        # diagnostics and resampling time are per split: read them off the rf rows
        rf = df[df.classifier == "rf"]
        for col in DIVERSITY:
            row[col] = rf[col].mean() if col in rf else float("nan")
        row["fit s"] = rf["resample_seconds"].mean()
        rows.append(row)
    return pd.DataFrame(rows).set_index("method")


def main(argv=None):
    p = parser(__doc__, out="benchmarks/results/ablation-dev.md")
    p.add_argument(
        "--variants",
        nargs="+",
        default=[v for v in VARIANTS if v not in SLOW],
        help=f"names among {sorted(VARIANTS)}, or key=value[,key=value] pairs",
    )
    p.add_argument("--datasets", nargs="+", default=DEV_SUBSET)
    p.add_argument("--splits", type=int, default=5)
    p.add_argument("--cache-dir", default="benchmarks/results/cache")
    args = p.parse_args(argv)
    import pandas as pd

    report = Report("ablation", argv, args.out)
    start = time.time()
    common = dict(
        datasets=args.datasets,
        folds=5,
        repeats=2,
        cache_dir=args.cache_dir,
        max_splits=args.splits,
        verbose=False,
    )
    frames = {}
    base = pd.DataFrame(run(methods=BASELINES, pgan_params={"device": "cpu"}, **common))
    for method in BASELINES:
        frames[method] = base[base.method == method]
    for name in args.variants:
        params = {"device": "cpu", **parse_variant(name)}
        frames[f"polarity {name}"] = pd.DataFrame(
            run(methods=["polarity"], pgan_params=params, **common)
        )
        print(f"{name} done ({time.time() - start:.0f} s)", flush=True)
    settings = (
        f"Data: {', '.join(args.datasets)} (KEEL); the first {args.splits} splits of the "
        "quality benchmark's 5-fold x 2 stratified CV, the same for every row; means "
        "over data sets of the per-data-set means; scores at the real prevalence. "
        "Variants: the default PolarityGANSampler with one parameter changed "
        "(device cpu). 'fit s' is the mean fit_resample time. Variants: "
        + json.dumps({k: parse_variant(k) for k in args.variants})
    )
    report.write(settings, summarise(frames).round(3).to_markdown())


if __name__ == "__main__":
    main()
