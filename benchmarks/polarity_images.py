"""Polarity-GAN's Fashion-MNIST claim, and what earns the gain.

The paper's protocol (Table 1): Fashion-MNIST training sets with per-class
counts [5000, 4000, 3000, 2000, 1500, 1000, 500, 250, 100, 50] (classes 0-9,
drawn at random with one seed per repetition), evaluated on the full 10,000
test images (balanced, 1,000 per class). Paper: macro F1 0.90 for P-GAN,
0.85 BAGAN, 0.81 ResNet-50, 0.69 SMOTE-SVM.

Methods, on the same training subsets (one per seed):

- frozen embeddings (EfficientNet-Lite0, ImageNet weights, ``--input-size``):
  logistic regression (``emb-lr``), with class_weight="balanced"
  (``emb-lr-balanced``), after SMOTE (``emb-smote-lr``) and after
  PolarityGANSampler (``emb-polarity-lr``);
- the same backbone fine-tuned whole, no GAN (``PolarityGANClassifier(use_gan=
  False)``, the same loop, augmentation, schedule and epoch selection):
  cross-entropy (``ft-ce``), class weights (``ft-weighted``), class-balanced
  sampling (``ft-balanced-sampling``), logit adjustment, tau = 1
  (``ft-logit-adjusted``);
- the end-to-end Polarity-GAN (``pgan``), and the same on top of logit
  adjustment (``pgan-logit-adjusted``) and of class-balanced sampling
  (``pgan-balanced-sampling``): does the GAN add to the strongest simple
  answer?

Model selection (the epoch of the fine-tuned models) uses 10% of each class
of the training subset; test images are used only to score the final model.

    python -m benchmarks.polarity_images --seeds 3 --epochs 8 \\
        --out benchmarks/results/polarity-images.md

Per-fit rows are kept under ``--rows-dir`` (default ``--cache-dir``/rows),
packed into one ``rows.jsonl.gz`` when the run ends: a re-run resumes, and
runs with other ``--methods`` share them. Needs Debian's
dataset-fashion-mnist package.
"""

import os
import time
import warnings
from pathlib import Path

import numpy as np

from ._harness import Report, RowStore, parser, run_fits
from ._image_protocols import EARLIER_DEFAULTS, signed, training_rows

PAPER = {"SMOTE-SVM": 0.69, "ResNet50": 0.81, "BAGAN": 0.85, "P-GAN": 0.90}
EMBEDDING_METHODS = ["emb-lr", "emb-lr-balanced", "emb-smote-lr", "emb-polarity-lr"]
IMAGE_METHODS = {
    "ft-ce": dict(use_gan=False),
    "ft-weighted": dict(use_gan=False, class_weight="balanced"),
    "ft-balanced-sampling": dict(use_gan=False, balanced_sampling=True),
    "ft-logit-adjusted": dict(use_gan=False, logit_adjustment=1.0),
    "pgan": dict(use_gan=True),
    "pgan-logit-adjusted": dict(use_gan=True, logit_adjustment=1.0),
    "pgan-balanced-sampling": dict(use_gan=True, balanced_sampling=True),
}
METHODS = EMBEDDING_METHODS + list(IMAGE_METHODS)


def embed_all(images, input_size, cache_dir, name):
    """Lite0 embeddings of ``images`` (cached as a .npy file under ``name``)."""
    path = Path(cache_dir) / f"lite0-{name}-{input_size}px.npy"
    if path.is_file():
        return np.load(path)
    from skimbgan import ImageEmbedder

    embedder = ImageEmbedder(input_size=input_size, device="cpu", random_state=0)
    X = embedder.fit(images[:1]).transform(images)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, X)
    return X


def fit_embedding_method(method, X, y, seed):
    from imblearn.over_sampling import SMOTE
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skimbgan import PolarityGANSampler

    balanced = "balanced" if method == "emb-lr-balanced" else None
    lr = LogisticRegression(max_iter=2000, class_weight=balanced)
    scaler = StandardScaler().fit(X)
    Xs = scaler.transform(X)
    if method == "emb-smote-lr":
        Xs, y = SMOTE(random_state=seed).fit_resample(Xs, y)
    elif method == "emb-polarity-lr":
        Xs, y = PolarityGANSampler(random_state=seed).fit_resample(Xs, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # lbfgs convergence notes
        lr.fit(Xs, y)
    return make_pipeline(scaler, lr)


def run_one(method, seed, data, args):
    """Fit one method on one seed's training subset; score on the test set."""
    from sklearn.metrics import accuracy_score, f1_score

    from skimbgan import PolarityGANClassifier

    train_images, train_y, test_images, test_y, emb_test = data
    rows, y = training_rows(train_y, seed)
    if method in EMBEDDING_METHODS:
        emb_train = embed_all(train_images[rows], args.input_size, args.cache_dir, f"seed{seed}")
    start = time.perf_counter()
    if method in EMBEDDING_METHODS:
        model = fit_embedding_method(method, emb_train, y, seed)
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        pred = model.predict(emb_test)
        extra = {}
    else:
        params = dict(
            EARLIER_DEFAULTS,
            n_epochs=args.epochs,
            input_size=args.input_size,
            device=args.device,
            random_state=seed,
            **IMAGE_METHODS[method],
        )
        model = PolarityGANClassifier(**params).fit(train_images[rows], y)
        fit_s = time.perf_counter() - start
        start = time.perf_counter()
        pred = model.predict(test_images)
        extra = dict(
            best_epoch=model.best_epoch_,
            validation_macro_f1=model.validation_score_,
            epoch_seconds=[s for s in model.history_["epoch_seconds"] if s == s],
        )
    return dict(
        method=method,
        seed=seed,
        macro_f1=f1_score(test_y, pred, average="macro"),
        accuracy=accuracy_score(test_y, pred),
        per_class_f1=f1_score(test_y, pred, average=None).tolist(),
        fit_seconds=fit_s,
        predict_seconds=time.perf_counter() - start,
        n_train=int(rows.shape[0]),
        **extra,
    )


def row_key(method, seed, args):
    """The key of one fit's row in the run's :class:`RowStore`."""
    tag = "" if method in EMBEDDING_METHODS else f"-{args.epochs}ep"
    return f"{method}-{seed}-{args.input_size}px{tag}"


def tables(results, args):
    """The settings paragraph and the tables of a run's report."""
    import pandas as pd

    from skimbgan.datasets import FASHION_MNIST_CLASSES as TARGET_NAMES

    frame = pd.DataFrame(results)
    order = [m for m in METHODS if m in set(frame.method)]
    summary = (
        frame.groupby("method")
        .agg(
            seeds=("seed", "count"),
            macro_f1=("macro_f1", "mean"),
            macro_f1_sd=("macro_f1", "std"),
            accuracy=("accuracy", "mean"),
            fit_min=("fit_seconds", lambda s: s.median() / 60),
        )
        .loc[order]
        .round(3)
    )
    per_class = pd.DataFrame(
        np.vstack([np.mean(np.vstack(g.per_class_f1), axis=0) for _, g in frame.groupby("method")]),
        index=sorted(set(frame.method)),
        columns=[f"{i} {TARGET_NAMES[i]}" for i in range(10)],
    ).loc[order]
    settings = (
        "# Polarity-GAN on Fashion-MNIST: the paper's protocol\n\n"
        f"Training counts per class 0-9: 5000, 4000, ..., 100, 50 (one random subset per "
        f"seed; seeds {sorted(set(frame.seed))}); test: all 10,000 test images. Fine-tuned "
        f"models: EfficientNet-Lite0 (ImageNet weights) trained whole at {args.input_size} px "
        f"for {args.epochs} epoch{'s' if args.epochs != 1 else ''}, the epoch chosen on 10% "
        "of the training subset."
    )
    lines = [
        "Macro F1 and accuracy on the test set, mean (and standard deviation) over seeds; "
        "fit time: median minutes per fit.\n",
        summary.to_markdown(),
        "\nThe paper's Table 1 (macro F1, ResNet-50 features, its own test protocol): "
        + ", ".join(f"{k} {v:.2f}" for k, v in PAPER.items())
        + ".\n",
        "Per-class F1 (mean over seeds); classes in order of training count, 5000 down to 50:\n",
        per_class.round(3).to_markdown(),
    ]
    paired = _paired(frame)
    if paired:
        lines += ["\nPaired differences in macro F1 (same seeds), mean and per seed:\n", paired]
    return settings, "\n".join(lines)


def _paired(frame):
    pairs = [
        ("pgan", "ft-ce"),
        ("pgan", "ft-logit-adjusted"),
        ("pgan-logit-adjusted", "ft-logit-adjusted"),
        ("pgan", "ft-balanced-sampling"),
        ("pgan-balanced-sampling", "ft-balanced-sampling"),
        ("ft-logit-adjusted", "ft-ce"),
        ("ft-weighted", "ft-ce"),
        ("ft-balanced-sampling", "ft-ce"),
        ("ft-ce", "emb-lr"),
    ]
    wide = frame.pivot(index="seed", columns="method", values="macro_f1")
    rows = []
    for a, b in pairs:
        if a in wide and b in wide:
            diff = (wide[a] - wide[b]).dropna()
            if len(diff):
                values = ", ".join(signed(d) for d in diff)
                rows.append(f"| {a} - {b} | {signed(diff.mean())} | {values} |")
    if not rows:
        return ""
    return "| difference | mean | per seed |\n|:--|--:|:--|\n" + "\n".join(rows)


def main(argv=None):
    parser_ = parser(__doc__)
    parser_.add_argument("--seeds", type=int, default=3)
    parser_.add_argument("--first-seed", type=int, default=0)
    parser_.add_argument("--epochs", type=int, default=8)
    parser_.add_argument("--input-size", type=int, default=64)
    parser_.add_argument("--methods", nargs="+", choices=METHODS, default=METHODS)
    parser_.add_argument("--device", default="cpu")
    parser_.add_argument("--cache-dir", default="benchmarks/results/cache/polarity_images")
    parser_.add_argument(
        "--rows-dir", default=None, help="where each fit's row is kept (default CACHE_DIR/rows)"
    )
    args = parser_.parse_args(argv)
    report = Report("polarity_images", argv, args.out)

    from skimbgan.datasets import load_fashion_mnist

    train, test = load_fashion_mnist("train"), load_fashion_mnist("test")
    emb_test = None
    if any(m in EMBEDDING_METHODS for m in args.methods):
        emb_test = embed_all(test.images, args.input_size, args.cache_dir, "test")
    data = (train.images, train.target, test.images, test.target, emb_test)

    def fit(method, seed):
        return lambda: run_one(method, seed, data, args)

    tasks = [
        (row_key(method, seed, args), fit(method, seed))
        for seed in range(args.first_seed, args.first_seed + args.seeds)
        for method in args.methods
    ]
    results = run_fits(
        tasks,
        RowStore(args.rows_dir or os.path.join(args.cache_dir, "rows")),
        say=lambda r: (
            f"{r['method']} seed {r['seed']}: macro F1 {r['macro_f1']:.3f}, "
            f"fit {r['fit_seconds'] / 60:.1f} min"
        ),
    )
    settings, body = tables(results, args)
    report.write(settings, body, device=args.device)


if __name__ == "__main__":
    main()
