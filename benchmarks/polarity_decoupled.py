"""Polarity-GAN as a second stage: generated features on a fine-tuned backbone.

Decoupled training (representation first, classifier second; Kang et al.,
ICLR 2020): stage 1 fine-tunes EfficientNet-Lite0 whole with
``PolarityGANClassifier(use_gan=False, ...)`` on the paper's Fashion-MNIST
protocol (``benchmarks/polarity_images.py``: 5000 ... 50 training images per
class, the full 10,000 test images). Stage 2 freezes that backbone
(``PolarityGANClassifier.transform``) and retrains a linear classifier on its
features of the training images, with and without generated features. Every
head of a seed sits on the *same* stage-1 backbone, so the differences
between heads are exactly paired: they say what the generated features add,
nothing else.

Heads (standardised features, logistic regression):

- ``own-head``: stage 1's own classifier C (no second stage);
- ``lr``, ``lr-balanced`` (class weights), ``lr-posthoc-la`` (post-hoc logit
  adjustment: the plain model's logits minus the log class priors; Menon et
  al., ICLR 2021);
- ``smote-lr``: SMOTE to the largest class, then ``lr``;
- ``polarity-lr``: ``PolarityGANSampler`` (defaults) to the largest class,
  then ``lr``; ``polarity-margin-lr``: the same with the paper's uncertainty
  selection (``selection="margin"``: of three candidates per sample, the
  ones C finds hardest).

Stage 1 is chosen by ``--stage1``: ``balanced`` (class-balanced sampling,
the strongest no-GAN fine-tuning on this protocol) or ``ce`` (plain
cross-entropy, the usual first stage of decoupled training).

    python -m benchmarks.polarity_decoupled --seeds 3 --epochs 3 \\
        --out benchmarks/results/polarity-decoupled-3ep.md

Stage-1 features are cached under ``--cache-dir``; each head's row under
``--rows-dir`` (default ``--cache-dir``/rows), packed into one
``rows.jsonl.gz`` when the run ends: a re-run resumes.
Needs Debian's dataset-fashion-mnist package.
"""

import json
import time
import warnings
from pathlib import Path

import numpy as np

from ._harness import Report, RowStore, parser, run_fits
from ._image_protocols import EARLIER_DEFAULTS, signed, training_rows

STAGE1 = {
    "balanced": dict(use_gan=False, balanced_sampling=True),
    "ce": dict(use_gan=False),
}
HEADS = [
    "own-head",
    "lr",
    "lr-balanced",
    "lr-posthoc-la",
    "smote-lr",
    "polarity-lr",
    "polarity-margin-lr",
]
PAIRS = [
    ("polarity-lr", "lr-balanced"),
    ("polarity-lr", "lr-posthoc-la"),
    ("polarity-lr", "smote-lr"),
    ("polarity-margin-lr", "polarity-lr"),
    ("lr-balanced", "own-head"),
    ("lr-posthoc-la", "own-head"),
    ("polarity-lr", "own-head"),
]


def stage1(seed, data, args, cache):
    """Fit stage 1 for a seed (or read it): the features of the training
    subset and of the test images, and the stage-1 model's own result."""
    from sklearn.metrics import f1_score

    from skimbgan import PolarityGANClassifier

    tag = f"{args.stage1}-{seed}-{args.input_size}px-{args.epochs}ep"
    paths = [cache / f"{tag}-{name}.npy" for name in ("train", "test")]
    meta_path = cache / f"{tag}.json"
    if meta_path.is_file() and all(p.is_file() for p in paths):
        meta = json.loads(meta_path.read_text())
        return np.load(paths[0]), np.asarray(meta["y"]), np.load(paths[1]), meta
    train_images, train_y, test_images, test_y = data
    rows, y = training_rows(train_y, seed)
    start = time.perf_counter()
    params = {
        **EARLIER_DEFAULTS,
        **STAGE1[args.stage1],
        "n_epochs": args.epochs,
        "input_size": args.input_size,
        "device": args.device,
        "random_state": seed,
    }
    model = PolarityGANClassifier(**params).fit(train_images[rows], y)
    fit_s = time.perf_counter() - start
    pred = model.predict(test_images)
    start = time.perf_counter()
    features = model.transform(train_images[rows]), model.transform(test_images)
    meta = dict(
        y=y.tolist(),
        fit_seconds=fit_s,
        feature_seconds=time.perf_counter() - start,
        best_epoch=model.best_epoch_,
        macro_f1=f1_score(test_y, pred, average="macro"),
        per_class_f1=f1_score(test_y, pred, average=None).tolist(),
    )
    cache.mkdir(parents=True, exist_ok=True)
    for path, values in zip(paths, features, strict=True):
        np.save(path, values)
    meta_path.write_text(json.dumps(meta))
    return features[0], y, features[1], meta


def fit_head(head, X, y, seed):
    """``(predict, fit seconds)`` of one stage-2 head on training features."""
    from imblearn.over_sampling import SMOTE
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    from skimbgan import PolarityGANSampler

    start = time.perf_counter()
    scaler = StandardScaler().fit(X)
    Xs = scaler.transform(X)
    lr = LogisticRegression(
        max_iter=1000, class_weight="balanced" if head == "lr-balanced" else None
    )
    if head == "smote-lr":
        Xs, y = SMOTE(random_state=seed).fit_resample(Xs, y)
    elif head.startswith("polarity"):
        selection = "margin" if head == "polarity-margin-lr" else None
        sampler = PolarityGANSampler(selection=selection, random_state=seed)
        Xs, y = sampler.fit_resample(Xs, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lbfgs convergence notes
        lr.fit(Xs, y)
    shift = 0.0
    if head == "lr-posthoc-la":
        shift = np.log(np.bincount(y) / y.shape[0])

    def predict(features):
        scores = lr.decision_function(scaler.transform(features)) - shift
        return lr.classes_[scores.argmax(axis=1)]

    return predict, time.perf_counter() - start


def run_head(head, seed, data, args, cache):
    from sklearn.metrics import f1_score

    X, y, X_test, meta = stage1(seed, data, args, cache)
    test_y = data[3]
    row = dict(head=head, seed=seed, stage1_seconds=meta["fit_seconds"])
    if head == "own-head":
        return dict(
            row, macro_f1=meta["macro_f1"], per_class_f1=meta["per_class_f1"], head_seconds=0.0
        )
    predict, seconds = fit_head(head, X, y, seed)
    pred = predict(X_test)
    return dict(
        row,
        macro_f1=f1_score(test_y, pred, average="macro"),
        per_class_f1=f1_score(test_y, pred, average=None).tolist(),
        head_seconds=seconds,
    )


def tables(results, args):
    import pandas as pd

    from skimbgan.datasets import FASHION_MNIST_CLASSES as NAMES

    frame = pd.DataFrame(results)
    order = [h for h in HEADS if h in set(frame["head"])]
    summary = (
        frame.groupby("head")
        .agg(
            seeds=("seed", "count"),
            macro_f1=("macro_f1", "mean"),
            macro_f1_sd=("macro_f1", "std"),
            min_macro_f1=("macro_f1", "min"),
            stage2_s=("head_seconds", "median"),
        )
        .loc[order]
        .round(3)
    )
    per_class = pd.DataFrame(
        [np.mean(np.vstack(g.per_class_f1), axis=0) for _, g in frame.groupby("head")],
        index=sorted(set(frame["head"])),
        columns=[f"{i} {NAMES[i]}" for i in range(10)],
    ).loc[order]
    wide = frame.pivot(index="seed", columns="head", values="macro_f1")
    rows = []
    for a, b in PAIRS:
        if a in wide and b in wide:
            diff = (wide[a] - wide[b]).dropna()
            rows.append(f"| {a} - {b} | {signed(diff.mean())} | {', '.join(map(signed, diff))} |")
    stage1_min = frame.groupby("seed").stage1_seconds.first().median() / 60
    settings = (
        "# Polarity-GAN as a second stage on a fine-tuned backbone\n\n"
        f"Stage 1: `PolarityGANClassifier(**{STAGE1[args.stage1]})`, EfficientNet-Lite0 "
        f"(ImageNet weights) trained whole at {args.input_size} px for {args.epochs} epochs, "
        "the epoch chosen on 10% of the training subset; median "
        f"{stage1_min:.1f} min per fit. Stage 2: logistic regression on the standardised "
        "features of the frozen backbone (all training images). Data: the paper's "
        "Fashion-MNIST protocol (5000 ... 50 per class, one subset per seed; seeds "
        f"{sorted(set(frame.seed))}), scored on all 10,000 test images."
    )
    body = "\n".join(
        [
            "Macro F1 on the test set (mean, sd and minimum over seeds); stage 2: median "
            "seconds of the head's fit (resampling included).\n",
            summary.to_markdown(),
            "\nPaired differences in macro F1 (same backbone, same seed), mean and per seed:\n",
            "| difference | mean | per seed |\n|:--|--:|:--|\n" + "\n".join(rows),
            "\nPer-class F1 (mean over seeds); classes in order of training count:\n",
            per_class.round(3).to_markdown(),
        ]
    )
    return settings, body


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--first-seed", type=int, default=0)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--input-size", type=int, default=64)
    p.add_argument("--stage1", choices=sorted(STAGE1), default="balanced")
    p.add_argument("--heads", nargs="+", choices=HEADS, default=HEADS)
    p.add_argument("--device", default="cpu")
    p.add_argument("--cache-dir", default="benchmarks/results/cache/polarity_decoupled")
    p.add_argument(
        "--rows-dir", default=None, help="where each fit's row is kept (default CACHE_DIR/rows)"
    )
    args = p.parse_args(argv)
    report = Report("polarity_decoupled", argv, args.out)

    from skimbgan.datasets import load_fashion_mnist

    train, test = load_fashion_mnist("train"), load_fashion_mnist("test")
    data = (train.images, train.target, test.images, test.target)
    cache = Path(args.cache_dir)

    def fit(head, seed):
        return lambda: run_head(head, seed, data, args, cache)

    tasks = [
        (f"head-{head}-{args.stage1}-{seed}-{args.input_size}px-{args.epochs}ep", fit(head, seed))
        for seed in range(args.first_seed, args.first_seed + args.seeds)
        for head in args.heads
    ]
    # the rows in a folder of their own: the cache folder also holds the
    # first stage's models and their descriptions
    results = run_fits(
        tasks,
        RowStore(args.rows_dir or str(cache / "rows")),
        say=lambda r: f"{r['head']} seed {r['seed']}: macro F1 {r['macro_f1']:.3f}",
    )
    settings, body = tables(results, args)
    report.write(settings, body, device=args.device, rows=results)


if __name__ == "__main__":
    main()
