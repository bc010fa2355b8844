"""scikit-learn's and imbalanced-learn's own estimator check suites, for every
estimator that takes 2-D feature matrices.

PolarityGANClassifier, ImageEmbedder and EGANClassifier(input_type="images")
take image arrays; the suites feed 2-D matrices, so their contracts are tested
in test_classifier_properties.py and their own test files instead.
"""

from imblearn.utils.estimator_checks import (
    parametrize_with_checks as imblearn_parametrize_with_checks,
)
from sklearn.utils.estimator_checks import parametrize_with_checks

from skimbgan import EGANClassifier

from .conftest import FAST_EGAN, fast_sampler

IMBLEARN_EXPECTED_FAILURES = {
    "check_samplers_pandas_sparse": (
        "imbalanced-learn runs this check for every sampler that accepts "
        "DataFrames and expects sparse pandas columns to be accepted. "
        "PolarityGANSampler rejects sparse input with a clear TypeError: its "
        "networks need dense features and a convex combination of sparse rows "
        "is dense anyway."
    ),
}


@parametrize_with_checks([fast_sampler(), EGANClassifier(**FAST_EGAN, random_state=0)])
def test_sklearn_compatible(estimator, check):
    check(estimator)


@imblearn_parametrize_with_checks(
    [fast_sampler()], expected_failed_checks=lambda est: IMBLEARN_EXPECTED_FAILURES
)
def test_imblearn_compatible(estimator, check):
    check(estimator)
