"""
Tuning PolarityGANSampler with GridSearchCV
===========================================

``PolarityGANSampler`` is an imbalanced-learn sampler, so its parameters can be
searched like any estimator's, as steps of an imbalanced-learn ``Pipeline``:
then it resamples only the training part of each fold, and every score is
computed on real, unresampled data. This example searches the training
length ``n_steps`` and the neighbourhood size ``n_neighbors`` on
scikit-learn's breast-cancer data made imbalanced (1 malignant case in 10),
scored by average precision in a stratified 5-fold cross-validation.
"""

import matplotlib.pyplot as plt
import numpy as np
from imblearn.datasets import make_imbalance
from imblearn.pipeline import Pipeline
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.preprocessing import StandardScaler

from skimbgan import PolarityGANSampler

X, y = load_breast_cancer(return_X_y=True)
y = 1 - y  # 1 = malignant, the class made rare
X, y = make_imbalance(X, y, sampling_strategy={0: 357, 1: 36}, random_state=0)

# %%
# The pipeline and the grid
# -------------------------
# Parameters of a step are addressed as ``step__parameter``. ``n_steps`` is
# how many generator updates the sampler trains for; ``n_neighbors`` how many
# same-class neighbours of a randomly drawn real sample each synthetic sample
# may combine.
model = Pipeline(
    [
        ("scale", StandardScaler()),
        ("polarity", PolarityGANSampler(random_state=0)),
        ("classify", LogisticRegression(max_iter=2000)),
    ]
)
grid = {"polarity__n_steps": [50, 200], "polarity__n_neighbors": [2, 5, 10]}
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
search = GridSearchCV(model, grid, scoring="average_precision", cv=cv).fit(X, y)

print("best parameters:", search.best_params_)
print(f"best mean average precision: {search.best_score_:.3f}")

# %%
# The same cross-validation without any resampling, for reference:
plain = Pipeline([("scale", StandardScaler()), ("classify", LogisticRegression(max_iter=2000))])
plain_scores = cross_val_score(plain, X, y, scoring="average_precision", cv=cv)
print(f"no resampling: {plain_scores.mean():.3f} +- {plain_scores.std():.3f}")

# %%
# Mean score per setting
# ----------------------
# Each cell is the mean average precision over the five test folds, with the
# standard deviation over the folds below it.
results = search.cv_results_
rows, columns = grid["polarity__n_steps"], grid["polarity__n_neighbors"]
mean = np.empty((len(rows), len(columns)))
std = np.empty_like(mean)
for i, params in enumerate(results["params"]):
    r = rows.index(params["polarity__n_steps"])
    c = columns.index(params["polarity__n_neighbors"])
    mean[r, c], std[r, c] = results["mean_test_score"][i], results["std_test_score"][i]

fig, ax = plt.subplots(figsize=(6, 3.5))
image = ax.imshow(mean, cmap="viridis")
for r in range(len(rows)):
    for c in range(len(columns)):
        text = f"{mean[r, c]:.3f}\n+- {std[r, c]:.3f}"
        bright = mean[r, c] > (mean.min() + mean.max()) / 2  # dark text on light cells
        ax.text(c, r, text, ha="center", va="center", color="k" if bright else "w", fontsize=9)
ax.set_xticks(range(len(columns)), labels=columns)
ax.set_yticks(range(len(rows)), labels=rows)
ax.set_xlabel("n_neighbors")
ax.set_ylabel("n_steps")
ax.set_title(f"average precision (no resampling: {plain_scores.mean():.3f})")
fig.colorbar(image, ax=ax)
fig.tight_layout()

# %%
# How to read it: the colours stretch over a narrow range of scores (see the
# colour bar), and the differences between cells are far smaller than the
# spread over the folds (each test fold holds only 7 or 8 malignant cases).
# Logistic regression already ranks these data almost perfectly without any
# resampling, which leaves little room for the sampler. The search returns a
# best setting because it must, but on data this small the choice is mostly
# noise, and no setting clearly beats no resampling. A search like this is
# worth its cost on larger data, or with repeated cross-validation
# (``RepeatedStratifiedKFold``) to shrink the noise.
plt.show()
