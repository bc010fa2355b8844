"""
Over-sampling image embeddings: which real images are the new samples near?
===========================================================================

Three Fashion-MNIST classes, made imbalanced (300 T-shirts/tops, 60 dresses,
30 shirts), are turned into embeddings by ``ImageEmbedder`` (an
ImageNet-pretrained EfficientNet-Lite0, 1280 numbers per image), and
``PolarityGANSampler`` adds dresses and shirts until every class has 300.

The generated samples are **embeddings, not images**: each is a convex
combination of the embeddings of a few real images of its class, and there
is no decoder that would turn it back into a picture. To see what they stand
for, this example shows, for some generated embeddings, the real training
image nearest to each, and the real images each is combined from.

Needs Fashion-MNIST (``apt-get install dataset-fashion-mnist``, or
``load_fashion_mnist(download=True)`` with internet) and
``pip install "skimbgan[pretrained]"``.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.neighbors import NearestNeighbors

from skimbgan import ImageEmbedder, PolarityGANSampler
from skimbgan.datasets import load_fashion_mnist, make_polarity_imbalance

# %%
# An imbalanced subset and its embeddings
# ---------------------------------------
# ``make_polarity_imbalance`` gives the i-th class in sorted label order the
# i-th count. Small images (64 pixels a side instead of the network's 224)
# keep the embedding to a few seconds on a CPU.
train = load_fashion_mnist("train")
names = train.target_names
keep = np.isin(train.target, [0, 3, 6])  # T-shirt/top, Dress, Shirt
images, labels = make_polarity_imbalance(
    train.images[keep], train.target[keep], counts=(300, 60, 30), random_state=0
)
print({names[c]: int(n) for c, n in zip(*np.unique(labels, return_counts=True), strict=True)})

embeddings = ImageEmbedder(input_size=64, device="cpu").fit_transform(images)
print("embeddings:", embeddings.shape)

# %%
# Over-sample the embeddings
# --------------------------
# ``fit_resample`` trains the generator and returns the real embeddings
# followed by the synthetic ones. ``generate`` draws more from the fitted
# generator; with ``return_weights=True`` it also says which real rows each
# new sample combines, and with which weights.
sampler = PolarityGANSampler(random_state=0)
X_res, y_res = sampler.fit_resample(embeddings, labels)
counts = np.unique(y_res, return_counts=True)
print("after resampling:", {names[c]: int(n) for c, n in zip(*counts, strict=True)})

n_show = 8
new, new_labels, weights, rows = sampler.generate(
    {3: n_show, 6: n_show}, random_state=0, return_weights=True
)

# %%
# The nearest real image of each generated embedding
# --------------------------------------------------
# One row per over-sampled class: each picture is the training image (of any
# class) whose embedding is nearest, in Euclidean distance, to one generated
# embedding. Its title gives that image's class; red marks another class than
# the generated sample's.
nearest = NearestNeighbors(n_neighbors=1).fit(embeddings)
index = nearest.kneighbors(new, return_distance=False)[:, 0]

fig, axes = plt.subplots(2, n_show, figsize=(1.6 * n_show, 4.2))
for row_axes, label in zip(axes, [3, 6], strict=True):
    shown = index[new_labels == label]
    row_axes[0].set_ylabel(f"generated\n{names[label]}")
    for ax, i in zip(row_axes, shown, strict=True):
        ax.imshow(images[i], cmap="gray_r")
        ax.set_title(names[labels[i]], fontsize=8, color="k" if labels[i] == label else "r")
        ax.set_xticks([])
        ax.set_yticks([])
fig.suptitle("Nearest real training image of generated embeddings")
fig.tight_layout()

# %%
# What each generated embedding is made of
# ----------------------------------------
# For three generated shirts, the real images whose embeddings it combines,
# largest weight first (weights below 1% left out). Every one is a shirt:
# the sampler combines only samples of the class it generates, and no single
# image carries more than ``max_anchor_weight`` (75% by default) of a sample.
shirts = np.flatnonzero(new_labels == 6)[:3]
n_parts = int((weights[shirts] >= 0.01).sum(axis=1).max())
fig, axes = plt.subplots(3, n_parts, figsize=(1.8 * n_parts + 0.8, 5.4), squeeze=False)
for number, (row_axes, k) in enumerate(zip(axes, shirts, strict=True), start=1):
    order = np.argsort(weights[k])[::-1][:n_parts]
    row_axes[0].set_ylabel(f"generated\nshirt {number}")
    for ax, j in zip(row_axes, order, strict=True):
        ax.set_xticks([])
        ax.set_yticks([])
        if weights[k, j] < 0.01:
            ax.axis("off")
            continue
        ax.imshow(images[rows[k, j]], cmap="gray_r")
        ax.set_title(f"weight {weights[k, j]:.0%}", fontsize=9)
fig.suptitle("Real images combined\ninto generated shirts")
fig.tight_layout()

# %%
# The same over 200 generated embeddings per class: the largest weight of
# each, how many real images take part with at least 1%, and how often the
# nearest real image is the one with the largest weight.
many, _, many_weights, many_rows = sampler.generate(
    {3: 200, 6: 200}, random_state=1, return_weights=True
)
n_used = (many_weights >= 0.01).sum(axis=1)
main_part = many_rows[np.arange(len(many)), many_weights.argmax(axis=1)]
print(f"median largest weight: {np.median(many_weights.max(axis=1)):.2f}")
print("real images per generated embedding:", np.bincount(n_used)[1:], "(1, 2, ... images)")
print(
    "nearest real image is the one with the largest weight: "
    f"{np.mean(nearest.kneighbors(many, return_distance=False)[:, 0] == main_part):.0%}"
)

# %%
# How to read it: on these embeddings nearly every generated sample puts the
# largest weight it may (75%) on one real image and the remaining 25% on one
# other (see the counts above). The critic pushes the weights towards single
# real images, and ``max_anchor_weight`` stops them short of copies. So each
# generated embedding lies a quarter of the way from one real image to
# another of the same class, its nearest real image is the one with the
# largest weight, and the first grid shows those main ingredients. The
# generated samples are new points between real ones in embedding space, not
# new-looking garments.
#
# Whether such samples help a classifier is a separate question, and a few
# hundred images are far too few to answer it; the benchmarks page measures
# it.
plt.show()
