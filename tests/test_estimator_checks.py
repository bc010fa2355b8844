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


SKLEARN_EXPECTED_FAILURES = {
    "check_sample_weight_equivalence_on_dense_data": (
        "The check asks that a weight of 2 give exactly the model fitted on the "
        "row repeated. EGANClassifier's weights act through its random draws "
        "(majority batches drawn in proportion to them, weighted minority "
        "losses), so a weighted fit and a fit on repeated rows draw different "
        "batches and agree only up to the randomness of training; zero weights "
        "(check_sample_weights_invariance) do give the fit without those rows, "
        "and equal weights the unweighted fit, exactly. tests/test_sample_weight.py "
        "measures how close repetition and weights are."
    ),
}


def sklearn_expected_failures(estimator):
    if isinstance(estimator, EGANClassifier):
        return SKLEARN_EXPECTED_FAILURES
    return {}


@parametrize_with_checks(
    [fast_sampler(), EGANClassifier(**FAST_EGAN, random_state=0)],
    expected_failed_checks=sklearn_expected_failures,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@imblearn_parametrize_with_checks(
    [fast_sampler()], expected_failed_checks=lambda est: IMBLEARN_EXPECTED_FAILURES
)
def test_imblearn_compatible(estimator, check):
    check(estimator)
