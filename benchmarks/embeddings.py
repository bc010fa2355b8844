"""ImageEmbedder: throughput, peak memory, and the value of pretrained embeddings.

1. Throughput of the default EfficientNet-Lite0 embedder on Fashion-MNIST test
   images at several input sizes (each size in a fresh process, so its peak
   resident memory is its own), median of ``--repeats`` transforms.
2. Quality on an imbalanced Fashion-MNIST task at its real prevalence: Shirt
   (minority) against T-shirt/top, 1:10 in training (1000 vs 100 images drawn
   from the training set) and in testing (the test set's 1000 T-shirts and
   first 100 shirts). Logistic regression on raw pixels, on pretrained
   embeddings and on embeddings of the same network with random weights.

Needs Debian's dataset-fashion-mnist package (or the files under data_home).

    python -m benchmarks.embeddings --out benchmarks/results/embeddings.md
"""

import statistics
import time

import numpy as np

from ._harness import Report, in_fresh_process, parser


def embed_repeatedly(size, n_images, repeats):
    from skimbgan import ImageEmbedder
    from skimbgan.datasets import load_fashion_mnist

    images = load_fashion_mnist("test").images[:n_images]
    embedder = ImageEmbedder(input_size=size, device="cpu").fit(images[:2])
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        embedder.transform(images)
        times.append(time.perf_counter() - start)
    return dict(size=size, images_per_s=n_images / statistics.median(times))


def throughput(sizes, n_images, repeats):
    rows = []
    for size in sizes:
        rows.append(in_fresh_process(embed_repeatedly, size, n_images, repeats))
        print(rows[-1], flush=True)
    return rows


def quality(input_size, seed=0):
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import average_precision_score, balanced_accuracy_score, f1_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skimbgan import ImageEmbedder
    from skimbgan.datasets import load_fashion_mnist, make_polarity_imbalance

    train, test = load_fashion_mnist("train"), load_fashion_mnist("test")
    keep = np.isin(train.target, [0, 6])
    X_tr, y_tr = make_polarity_imbalance(
        train.images[keep], train.target[keep], counts=(1000, 100), random_state=seed
    )
    rows_te = np.concatenate(
        [np.flatnonzero(test.target == 0), np.flatnonzero(test.target == 6)[:100]]
    )
    X_te, y_te = test.images[rows_te], test.target[rows_te]
    y_tr, y_te = (y_tr == 6).astype(int), (y_te == 6).astype(int)

    features = {
        "raw pixels": lambda X: X.reshape(len(X), -1) / 255.0,
    }
    for label, weights in (("Lite0 ImageNet", "imagenet"), ("Lite0 random weights", None)):
        emb = ImageEmbedder(
            weights=weights, input_size=input_size, device="cpu", random_state=seed
        ).fit(X_tr[:2])
        features[f"{label} ({input_size} px)"] = emb.transform
    results = []
    for name, featurise in features.items():
        start = time.perf_counter()
        Z_tr, Z_te = featurise(X_tr), featurise(X_te)
        seconds = time.perf_counter() - start
        model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=5000))
        model.fit(Z_tr, y_tr)
        score = model.predict_proba(Z_te)[:, 1]
        pred = model.predict(Z_te)
        results.append(
            dict(
                features=name,
                dim=Z_tr.shape[1],
                minority_f1=f1_score(y_te, pred),
                average_precision=average_precision_score(y_te, score),
                balanced_accuracy=balanced_accuracy_score(y_te, pred),
                featurise_s=seconds,
            )
        )
        print(results[-1], flush=True)
    return results


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--sizes", type=int, nargs="+", default=[224, 112, 64])
    p.add_argument("--n-images", type=int, default=256)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--quality-size", type=int, default=112)
    args = p.parse_args(argv)
    import pandas as pd

    report = Report("embeddings", argv, args.out)
    thr = pd.DataFrame(throughput(args.sizes, args.n_images, args.repeats))
    qual = pd.DataFrame(quality(args.quality_size))
    settings = (
        f"Throughput of ImageEmbedder() (EfficientNet-Lite0, ImageNet weights) on "
        f"{args.n_images} Fashion-MNIST test images, median of {args.repeats} "
        "transforms, each input size in a fresh process (peak memory includes "
        "the imported libraries and the data set); then Shirt (minority) against "
        "T-shirt/top, 1:10 in training and test, logistic regression on standardised "
        "features."
    )
    body = thr.round(1).to_markdown(index=False) + "\n\n" + qual.round(3).to_markdown(index=False)
    report.write(settings, body)


if __name__ == "__main__":
    main()
