"""
Where the synthetic samples go: PolarityGAN, SMOTE and Borderline-SMOTE
=======================================================================

Two interleaved half-moons, the lower one made rare (50 samples against
400). Each over-sampler adds synthetic samples of the rare class until both
classes are the same size, and an RBF support vector classifier is trained on
each resampled set. The three panels show the real samples, the synthetic
ones, the convex hull of the rare class and the classifier's decision
boundary.

Every synthetic sample of ``PolarityGANSampler`` is a convex combination of
real samples of its own class, so it lies inside that class's convex hull.
SMOTE and Borderline-SMOTE (its default ``kind="borderline-1"``) interpolate
between two samples of the rare class, so theirs lie in the hull too: the
methods differ in *where* inside the hull they put their samples.
"""

import matplotlib.pyplot as plt
import numpy as np
from imblearn.datasets import make_imbalance
from imblearn.over_sampling import SMOTE, BorderlineSMOTE
from scipy.spatial import ConvexHull
from sklearn.datasets import make_moons
from sklearn.inspection import DecisionBoundaryDisplay
from sklearn.neighbors import KNeighborsClassifier, NearestNeighbors
from sklearn.svm import SVC

from skimbgan import PolarityGANSampler

# %%
# The data
# --------
# 400 samples per moon, then 50 of the lower moon (class 1) are kept at random.
X, y = make_moons(n_samples=800, noise=0.25, random_state=0)
X, y = make_imbalance(X, y, sampling_strategy={0: 400, 1: 50}, random_state=0)
print("class counts:", np.bincount(y))

# %%
# Resample with each method and train a classifier
# -------------------------------------------------
# Every resampled set returns the original samples first, so the synthetic
# ones are the rows after ``len(X)``.
samplers = {
    "PolarityGANSampler": PolarityGANSampler(random_state=0),
    "SMOTE": SMOTE(random_state=0),
    "BorderlineSMOTE": BorderlineSMOTE(random_state=0),
}
resampled, models = {}, {}
for name, sampler in samplers.items():
    X_res, y_res = sampler.fit_resample(X, y)
    resampled[name] = X_res[len(X) :]
    models[name] = SVC(kernel="rbf", gamma=2.0, random_state=0).fit(X_res, y_res)

# %%
# Draw the three panels
# ---------------------
# Background colour: the region each classifier assigns to each class (the
# rare class in red). Black line: the convex hull of the real rare-class
# samples. Small crosses: the synthetic samples.
hull = ConvexHull(X[y == 1])
hull_points = X[y == 1][np.append(hull.vertices, hull.vertices[0])]

fig, axes = plt.subplots(1, 3, figsize=(15, 5), sharex=True, sharey=True)
for ax, (name, X_new) in zip(axes, resampled.items(), strict=True):
    DecisionBoundaryDisplay.from_estimator(
        models[name], X, response_method="predict", cmap="coolwarm", alpha=0.25, ax=ax
    )
    ax.scatter(*X[y == 0].T, s=8, c="tab:blue", label="majority (real)")
    ax.scatter(*X[y == 1].T, s=25, c="tab:red", edgecolors="k", label="minority (real)")
    ax.scatter(*X_new.T, s=12, marker="x", c="tab:orange", label="minority (synthetic)")
    ax.plot(*hull_points.T, c="k", lw=1.2, label="minority convex hull")
    ax.set_title(name)
axes[0].legend(loc="lower left", fontsize=8)
fig.tight_layout()

# %%
# How to read it
# ---------------
# All synthetic samples stay inside the black hull. The hull of the lower
# moon also covers the tip of the upper moon, where the majority lives, so a
# convex combination can land there. SMOTE spreads its samples along the
# segments between rare samples, over the whole moon; Borderline-SMOTE starts
# only from rare samples with many majority neighbours, so its samples crowd
# the overlap. PolarityGAN's samples form small clouds around real rare
# samples; its critic is meant to keep them in the rare class's own
# distribution while its classifier pushes them towards the boundary.
#
# Two numbers per method put this in figures: the share of synthetic samples
# whose five nearest real samples are mostly of the majority class ("in
# majority territory"), and the median distance from a synthetic sample to
# its nearest real rare sample. On this run PolarityGAN puts more of its
# samples in the overlap than SMOTE and fewer than Borderline-SMOTE, and all
# three stay about equally close to the real rare samples.
#
# This is one small toy set and one seed: the figure shows how the methods
# place samples, not which one gives the better classifier.
neighbours = KNeighborsClassifier(n_neighbors=5).fit(X, y)
nearest_rare = NearestNeighbors(n_neighbors=1).fit(X[y == 1])
for name, X_new in resampled.items():
    share = np.mean(neighbours.predict(X_new) == 0)
    distance = np.median(nearest_rare.kneighbors(X_new)[0])
    print(
        f"{name:>18}: {len(X_new)} synthetic samples, {share:4.0%} in majority territory, "
        f"median distance to a real rare sample {distance:.3f}"
    )

plt.show()
