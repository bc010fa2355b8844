"""scikit-learn's and imbalanced-learn's own estimator check suites."""

from imblearn.utils.estimator_checks import (
    parametrize_with_checks as imblearn_parametrize_with_checks,
)
from sklearn.utils.estimator_checks import parametrize_with_checks

from .conftest import fast_sampler

IMBLEARN_EXPECTED_FAILURES = {
    "check_samplers_pandas_sparse": (
        "imbalanced-learn runs this check for every sampler that accepts "
        "DataFrames and expects sparse pandas columns to be accepted. "
        "PolarityGANSampler rejects sparse input with a clear TypeError: its "
        "networks need dense features and a convex combination of sparse rows "
        "is dense anyway."
    ),
}


@parametrize_with_checks([fast_sampler()])
def test_sklearn_compatible(estimator, check):
    check(estimator)


@imblearn_parametrize_with_checks(
    [fast_sampler()], expected_failed_checks=lambda est: IMBLEARN_EXPECTED_FAILURES
)
def test_imblearn_compatible(estimator, check):
    check(estimator)
