"""PolarityGANClassifier on small image sets, against frozen embeddings.

A user with a few hundred images of a few classes: does the classifier's
default setting do at least as well as what they could do in seconds,
``ImageEmbedder()`` features (the backbone's own input size) with a
class-weighted logistic regression?

Subsets of Fashion-MNIST (training counts per class, largest first; one
random draw of the training images per seed; test: all test images of the
subset's classes, 1,000 per class):

- ``tops``: T-shirt/top 300, Pullover 60, Shirt 20 (the hard classes; 15:1);
- ``shoes``: Sneaker 200, Sandal 40, Ankle boot 15 (13:1);
- ``four``: Trouser 300, Dress 100, Coat 40, Bag 20 (four classes; 15:1);
- ``tenth``: the paper's protocol at a tenth (500, 400, ..., 10, 5 of classes
  0-9; 1,740 images, 100:1), a medium-sized set, and ``quarter`` (1250, 1000,
  ..., 25, 12; 4,349 images): where the frozen backbone stops winning.

Every fit is scored twice: on a development set (``DEV_PER_CLASS`` further
training images of each of the subset's classes, never in the subset; what
defaults are chosen on) and on the test images (what confirms them).

Methods: ``emb-lr-balanced`` (the frozen baseline; its fit time includes
embedding the training images); ``PolarityGANClassifier`` with the settings
of ``VARIANTS`` (``pgan*`` with the GAN, ``ft*`` the same without, the
paired ablation) on top of the training of earlier releases
(``_image_protocols.EARLIER_DEFAULTS``: the backbone trained whole at 64 px for
8 epochs, one pass in random order); ``pgan-auto`` and ``ft-auto`` are the
classifier's defaults today (``"auto"``: a frozen backbone below 5,000
images, read without augmentation). The ``*-noaug`` variants are their
twins' settings without augmentation: the frozen backbone reads each image
once.
The epoch is chosen on 10% of the training images, never on test images.
Fits whose backbone stays frozen at 224 px are scored from the cached
embeddings of the evaluation images (checked equal to the fitted backbone's
features on 32 of them), which saves two backbone passes over 3,900 images
per fit.

    python -m benchmarks.polarity_small --seeds 3 \\
        --out benchmarks/results/polarity-small.md

Per-fit rows are kept under ``--rows-dir`` (default ``--cache-dir``/rows),
packed into one ``rows.jsonl.gz`` when the run ends: a re-run resumes.
Needs Debian's
dataset-fashion-mnist package.
"""

import time
import warnings
from pathlib import Path

import numpy as np

from ._harness import Report, RowStore, parser, run_fits
from ._image_protocols import EARLIER_DEFAULTS, SUBSETS, signed, subset_rows

# each variant starts from the training of earlier releases
# (_image_protocols.EARLIER_DEFAULTS), except the *-auto ones: today's defaults
VARIANTS = {
    "pgan-auto": {},
    "ft-auto": dict(use_gan=False),
    "pgan": {},
    "ft": dict(use_gan=False),
    "pgan-bs": dict(balanced_sampling=True),
    "ft-bs": dict(use_gan=False, balanced_sampling=True),
    "pgan-bs-224": dict(balanced_sampling=True, input_size=224),
    "ft-bs-224": dict(use_gan=False, balanced_sampling=True, input_size=224),
    "pgan-224": dict(input_size=224),
    "ft-224": dict(use_gan=False, input_size=224),
    "pgan-bs-probe": dict(balanced_sampling=True, probe_epochs=30),
    "ft-bs-probe": dict(use_gan=False, balanced_sampling=True, probe_epochs=30),
    "pgan-bs-probe-224": dict(balanced_sampling=True, probe_epochs=30, input_size=224),
    "ft-bs-probe-224": dict(use_gan=False, balanced_sampling=True, probe_epochs=30, input_size=224),
    # the backbone frozen: a probe, then two epochs of C on augmented images
    "pgan-frozen-224": dict(
        trainable_stages=0, balanced_sampling=True, probe_epochs=30, input_size=224, n_epochs=2
    ),
    "ft-frozen-224": dict(
        use_gan=False,
        trainable_stages=0,
        balanced_sampling=True,
        probe_epochs=30,
        input_size=224,
        n_epochs=2,
    ),
}
# the frozen ones without augmentation: the backbone reads each image once
VARIANTS.update(
    {
        f"{name}-noaug": {**VARIANTS[name], "augment": False}
        for name in ("pgan-frozen-224", "ft-frozen-224")
    }
)
METHODS = ["emb-lr-balanced", *VARIANTS]
PAIRS = (
    [(a, "ft" + a[4:]) for a in VARIANTS if a.startswith("pgan")]
    + [(a, a[: -len("-noaug")]) for a in VARIANTS if a.endswith("-noaug")]
    + [(m, "emb-lr-balanced") for m in VARIANTS]
)


DEV_PER_CLASS = 300


def dev_rows(train_y, counts, rows, seed):
    """Development rows: ``DEV_PER_CLASS`` training images of each class of
    the subset that are not in its training rows ``rows``."""
    rng = np.random.RandomState(10_000 + seed)
    free = np.setdiff1d(np.arange(train_y.shape[0]), rows)
    return np.concatenate(
        [rng.choice(free[train_y[free] == c], DEV_PER_CLASS, replace=False) for c in counts]
    )


def variant_params(method):
    """PolarityGANClassifier's parameters of a variant: the ``*-auto`` ones
    from today's defaults, the others from the earlier releases' training."""
    base = {} if method.endswith("-auto") else EARLIER_DEFAULTS
    return {**base, **VARIANTS[method]}


def embed(images, cache, name):
    from skimbgan import ImageEmbedder

    path = cache / f"emb-{name}.npy"
    if name and path.is_file():
        return np.load(path)
    X = ImageEmbedder(device="cpu", random_state=0).fit(images[:1]).transform(images)
    if name:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, X)
    return X


def predict_from_features(model, features):
    """``model.predict`` of images whose F features are ``features``."""
    import torch

    with torch.no_grad():
        logits = model.classifier_(torch.from_numpy(features).to(model.device_))
    return model.classes_[logits.argmax(1).cpu().numpy()]


def run_one(method, subset, seed, data, args, cache):
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skimbgan import PolarityGANClassifier

    train_images, train_y, test_images, test_y = data
    counts = SUBSETS[subset]
    rows = subset_rows(train_y, counts, seed)
    test_rows = np.flatnonzero(np.isin(test_y, list(counts)))
    dev = dev_rows(train_y, counts, rows, seed)
    start = time.perf_counter()
    if method == "emb-lr-balanced":
        X = embed(train_images[rows], cache, "")
        model = make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=2000, class_weight="balanced")
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            model.fit(X, train_y[rows])
        fit_s = time.perf_counter() - start
        pred = model.predict(embed(test_images[test_rows], cache, f"test-{subset}"))
        dev_pred = model.predict(embed(train_images[dev], cache, f"dev-{subset}-{seed}"))
        extra = {}
    else:
        params = {**variant_params(method), "device": args.device, "random_state": seed}
        model = PolarityGANClassifier(**params).fit(train_images[rows], train_y[rows])
        fit_s = time.perf_counter() - start
        if model.trainable_stages_ == 0 and model.input_size_ == 224:
            # F is the pretrained backbone, unchanged: C reads the cached
            # embeddings of the evaluation images (checked to be F's features)
            test_emb = embed(test_images[test_rows], cache, f"test-{subset}")
            dev_emb = embed(train_images[dev], cache, f"dev-{subset}-{seed}")
            np.testing.assert_allclose(
                model.transform(test_images[test_rows[:32]]), test_emb[:32], rtol=1e-4, atol=1e-4
            )
            pred, dev_pred = (predict_from_features(model, h) for h in (test_emb, dev_emb))
        else:
            pred = model.predict(test_images[test_rows])
            dev_pred = model.predict(train_images[dev])
        extra = dict(best_epoch=model.best_epoch_, validation_macro_f1=model.validation_score_)
    truth = test_y[test_rows]
    return dict(
        method=method,
        subset=subset,
        seed=seed,
        macro_f1=f1_score(truth, pred, average="macro"),
        dev_macro_f1=f1_score(train_y[dev], dev_pred, average="macro"),
        per_class_f1=f1_score(truth, pred, average=None, labels=list(counts)).tolist(),
        fit_seconds=fit_s,
        n_train=int(rows.shape[0]),
        **extra,
    )


def _score_table(frame, column, order):
    table = frame.pivot_table(index="method", columns="subset", values=column, aggfunc="mean")
    table = table.loc[order, [s for s in SUBSETS if s in table.columns]]
    table["mean"] = frame.groupby("method")[column].mean()
    table["min"] = frame.groupby("method")[column].min()
    return table


def _paired(frame, column):
    wide = frame.set_index(["subset", "seed", "method"])[column].unstack("method")
    rows = []
    for a, b in PAIRS:
        if a in wide and b in wide:
            diff = (wide[a] - wide[b]).dropna()
            if len(diff):
                rows.append(
                    f"| {a} - {b} | {signed(diff.mean())} | {signed(diff.min())} | "
                    f"{signed(diff.max())} | {int((diff > 0).sum())} of {len(diff)} |"
                )
    return "| difference | mean | min | max | ahead |\n|:--|--:|--:|--:|--:|\n" + "\n".join(rows)


def tables(results):
    import pandas as pd

    frame = pd.DataFrame(results)
    order = [m for m in METHODS if m in set(frame.method)]
    dev = _score_table(frame, "dev_macro_f1", order)
    dev["fits"] = frame.groupby("method").macro_f1.count()
    dev["fit_s"] = frame.groupby("method").fit_seconds.median()
    test = _score_table(frame, "macro_f1", order)
    body = "\n".join(
        [
            f"## Development images ({DEV_PER_CLASS} unused training images per class)\n",
            "Macro F1, mean over seeds per subset, the mean and minimum over every fit, "
            "and the median fit time in seconds.\n",
            dev.round(3).to_markdown(),
            "\nPaired differences in macro F1 (same subset and seed): mean, smallest, "
            "largest, and how often the first is ahead.\n",
            _paired(frame, "dev_macro_f1"),
            "\n## Test images (all test images of the subset's classes)\n",
            test.round(3).to_markdown(),
            "",
            _paired(frame, "macro_f1"),
        ]
    )
    subsets = "; ".join(
        f"{name}: " + ", ".join(f"class {c} x {n}" for c, n in counts.items())
        for name, counts in SUBSETS.items()
        if name in set(frame.subset)
    )
    settings = (
        "# PolarityGANClassifier on small image sets\n\n"
        f"Fashion-MNIST subsets ({subsets}; seeds {sorted(set(frame.seed))}, one draw of "
        "the training images per seed). Development: further training images of the "
        "subset's classes; test: all test images of those classes. Frozen baseline: "
        "`ImageEmbedder()` (EfficientNet-Lite0, 224 px) + class-weighted logistic regression."
    )
    return settings, body


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--first-seed", type=int, default=0)
    p.add_argument("--subsets", nargs="+", choices=list(SUBSETS), default=list(SUBSETS))
    p.add_argument("--methods", nargs="+", choices=METHODS, default=METHODS)
    p.add_argument("--device", default="cpu")
    p.add_argument("--cache-dir", default="benchmarks/results/cache/polarity_small")
    p.add_argument(
        "--rows-dir", default=None, help="where each fit's row is kept (default CACHE_DIR/rows)"
    )
    p.add_argument(
        "--cached-only", action="store_true", help="report the cached fits only, fit nothing"
    )
    args = p.parse_args(argv)
    report = Report("polarity_small", argv, args.out)

    from skimbgan.datasets import load_fashion_mnist

    train, test = load_fashion_mnist("train"), load_fashion_mnist("test")
    data = (train.images, train.target, test.images, test.target)
    cache = Path(args.cache_dir)

    def fit(method, subset, seed):
        return lambda: run_one(method, subset, seed, data, args, cache)

    tasks = [
        (f"{method}-{subset}-{seed}-dev{DEV_PER_CLASS}", fit(method, subset, seed))
        for seed in range(args.first_seed, args.first_seed + args.seeds)
        for subset in args.subsets
        for method in args.methods
    ]
    results = run_fits(
        tasks,
        RowStore(args.rows_dir or str(cache / "rows")),
        cached_only=args.cached_only,
        say=lambda r: (
            f"{r['method']} {r['subset']} seed {r['seed']}: macro F1 {r['macro_f1']:.3f}, "
            f"fit {r['fit_seconds']:.0f} s"
        ),
    )
    settings, body = tables(results)
    report.write(settings, body, device=args.device, rows=results)


if __name__ == "__main__":
    main()
