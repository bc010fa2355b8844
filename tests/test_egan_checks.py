"""scikit-learn's estimator checks on EGANClassifier (feature-vector mode)."""

from sklearn.utils.estimator_checks import parametrize_with_checks

from skimbgan import EGANClassifier

FAST_EGAN = dict(
    n_steps=30, hidden_dims=(16,), latent_dim=8, batch_size=32, eval_every=10, device="cpu"
)


@parametrize_with_checks([EGANClassifier(**FAST_EGAN, random_state=0)])
def test_sklearn_compatible(estimator, check):
    check(estimator)
