"""Time and peak memory of one EGANClassifier fit, and predictions per second.

- Feature mode: ``make_classification`` with 10,000 samples x 64 features
  (imbalance about 1:20), the paper's eGAN (``EGANClassifier.paper_params()``; the defaults
  train five eGANs in feature mode, about five times the fit time), against
  a logistic regression with class weights in the same run.
- Image mode: the eGAN paper's 1:2500 setting on Fashion-MNIST (5,000
  T-shirts against 2 shirts), the paper's eGAN (EfficientNet-Lite0 in both
  networks, 64 px), then scores for the 2,000 test images of the pair.

Each measurement runs in a fresh process (spawned) so that its peak resident
memory (``ru_maxrss``) is its own; the resident memory after imports is given too.

    python -m benchmarks.egan_performance --repeats 3 --out benchmarks/results/egan-performance.md
"""

import statistics
import time

from ._harness import Report, in_fresh_process, parser, rss_mb


def fit_once(mode, seed):
    import numpy as np
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression

    from skimbgan import EGANClassifier

    if mode == "images":
        from skimbgan.datasets import load_fashion_mnist, make_egan_imbalance

        train, test = load_fashion_mnist("train"), load_fashion_mnist("test")
        X, y = make_egan_imbalance(
            train.images, train.target, 0, 6, n_majority=5000, n_minority=2, random_state=seed
        )
        X_pred = test.images[np.isin(test.target, [0, 6])]
        model = EGANClassifier(
            input_type="images", device="cpu", random_state=seed, **EGANClassifier.paper_params()
        )
    else:
        X, y = make_classification(
            n_samples=10_000,
            n_features=64,
            n_informative=16,
            weights=[20 / 21],
            flip_y=0,
            random_state=seed,
        )
        X_pred = X
        model = (
            LogisticRegression(class_weight="balanced", max_iter=2000)
            if mode == "logistic regression"
            else EGANClassifier(device="cpu", random_state=seed, **EGANClassifier.paper_params())
        )
    before = rss_mb()
    start = time.perf_counter()
    model.fit(X, y)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    model.decision_function(X_pred)
    per_second = len(X_pred) / (time.perf_counter() - start)
    return dict(
        mode=mode,
        fit_seconds=seconds,
        predictions_per_second=per_second,
        steps=getattr(model, "n_steps_", None),
        rss_after_imports_mb=before,
    )


def measure(mode, seed):
    row = in_fresh_process(fit_once, mode, seed)
    print(row, flush=True)
    return row


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--image-repeats", type=int, default=1)
    args = p.parse_args(argv)
    import pandas as pd

    report = Report("egan_performance", argv, args.out)
    rows = []
    for mode, repeats in (
        ("features", args.repeats),
        ("logistic regression", args.repeats),
        ("images", args.image_repeats),
    ):
        rows += [measure(mode, seed) for seed in range(repeats)]
    table = (
        pd.DataFrame(rows)
        .groupby("mode", sort=False)
        .agg(
            runs=("fit_seconds", "size"),
            median_fit_seconds=("fit_seconds", statistics.median),
            predictions_per_second=("predictions_per_second", statistics.median),
            median_steps=("steps", "median"),
            peak_rss_mb=("peak_mb", "max"),
            rss_after_imports_mb=("rss_after_imports_mb", "median"),
        )
    )
    settings = (
        "Feature mode: make_classification 10,000 x 64, about 1:20, the paper's "
        "eGAN (early stopping on a 20% validation part); logistic regression "
        "with class weights for scale. Image mode: Fashion-MNIST T-shirt/top 5,000 "
        "against Shirt 2, the paper's eGAN with input_type='images' (Lite0, 64 px, "
        "no validation part at 2 minority images: all 1,000 steps); predictions on the "
        "pair's 2,000 test images. Each run in a fresh process."
    )
    report.write(settings, table.round(1).to_markdown())


if __name__ == "__main__":
    main()
