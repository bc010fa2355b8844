"""
PolarityGANSampler next to SMOTE and a tuned threshold
=======================================================

Breast-cancer data (shipped with scikit-learn) made imbalanced, 1 malignant case
in 10; every method is scored by the same 5-fold cross-validation, at that
prevalence. Runs in about a minute on a CPU.

    python examples/compare_with_smote.py
"""

import numpy as np
from imblearn.datasets import make_imbalance
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV, cross_validate
from sklearn.preprocessing import StandardScaler

from skimbgan import PolarityGANSampler

X, y = load_breast_cancer(return_X_y=True)
y = 1 - y  # 1 = malignant, the class we make rare
X, y = make_imbalance(X, y, sampling_strategy={0: 357, 1: 36}, random_state=0)

models = {
    "no resampling": make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)),
    "tuned threshold": TunedThresholdClassifierCV(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)), scoring="f1"
    ),
    "SMOTE": make_pipeline(
        StandardScaler(), SMOTE(random_state=0), LogisticRegression(max_iter=2000)
    ),
    "PolarityGAN": make_pipeline(
        StandardScaler(),
        PolarityGANSampler(n_steps=500, random_state=0),
        LogisticRegression(max_iter=2000),
    ),
}
cv = StratifiedKFold(5, shuffle=True, random_state=0)
print(f"{'method':>16}  minority F1  average precision  fit s")
for name, model in models.items():
    res = cross_validate(model, X, y, cv=cv, scoring=["f1", "average_precision"])
    print(
        f"{name:>16}  {np.mean(res['test_f1']):.3f}        "
        f"{np.mean(res['test_average_precision']):.3f}              "
        f"{np.mean(res['fit_time']):.1f}"
    )
