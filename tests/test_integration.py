"""PolarityGANSampler inside imbalanced-learn pipelines and model selection."""

import numpy as np
from imblearn.datasets import make_imbalance
from imblearn.pipeline import make_pipeline
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, cross_val_score
from sklearn.preprocessing import StandardScaler

from skimbgan import PolarityGANSampler

from .conftest import fast_sampler


def test_pipeline_cross_val_score(binary_data):
    X, y = binary_data
    model = make_pipeline(StandardScaler(), fast_sampler(), LogisticRegression())
    scores = cross_val_score(model, X, y, cv=StratifiedKFold(3), scoring="f1")
    assert scores.shape == (3,) and np.all(np.isfinite(scores))


def test_grid_search_over_sampler_parameters(binary_data):
    X, y = binary_data
    model = make_pipeline(StandardScaler(), fast_sampler(), LogisticRegression())
    grid = GridSearchCV(
        model,
        {
            "polaritygansampler__n_neighbors": [2, None],
            "polaritygansampler__sampling_strategy": [0.5, "auto"],
        },
        cv=StratifiedKFold(2),
        scoring="average_precision",
    ).fit(X, y)
    assert len(grid.cv_results_["params"]) == 4
    assert grid.best_params_["polaritygansampler__n_neighbors"] in (2, None)
    assert grid.predict(X).shape == (len(X),)


def test_multiclass_digits():
    X, y = load_digits(return_X_y=True)
    counts = {k: c for k, c in enumerate([150, 120, 100, 80, 60, 40, 30, 20, 10, 5])}
    X, y = make_imbalance(X, y, sampling_strategy=counts, random_state=0)
    sampler = PolarityGANSampler(
        n_steps=20,
        pretrain_steps=5,
        batch_size=32,
        hidden_dims=(16,),
        device="cpu",
        random_state=0,
    )
    X_res, y_res = sampler.fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [150] * 10
    # digits pixels are integers 0..16: synthetic samples stay within box (to rounding)
    new = X_res[len(X) :]
    assert new.min() >= -1e-9 and new.max() <= 16 + 1e-9
