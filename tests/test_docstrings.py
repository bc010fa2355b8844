"""Every public class, method and function has a numpydoc docstring that
passes numpydoc's validation (as scikit-learn's test_docstrings does), and
every public class and function has an example."""

import inspect

import pytest

import skimbgan
from skimbgan import datasets, metrics

numpydoc_validate = pytest.importorskip("numpydoc.validate")

#: Checks left out, with the reason:
#: ES01 an extended summary is not needed for every method;
#: SA01 a See Also section is not needed everywhere;
#: RT02 named return values (``self : EGANClassifier``) are scikit-learn's style;
#: GL01/GL02 docstrings start on the line of the opening quotes (house style).
IGNORED = {"ES01", "SA01", "RT02", "GL01", "GL02"}
METHODS = (
    "fit",
    "fit_resample",
    "fit_transform",
    "transform",
    "predict",
    "predict_proba",
    "decision_function",
    "score_samples",
)


def public_objects():
    """``(dotted name, needs an example)`` of the public API."""
    names = []
    for name in skimbgan.__all__:
        obj = getattr(skimbgan, name)
        if inspect.isclass(obj):
            names.append((f"skimbgan.{name}", True))
            own = [k for k in obj.__mro__ if k.__module__.startswith("skimbgan")]  # + mixins
            names += [
                (f"skimbgan.{name}.{m}", False) for m in METHODS if any(m in vars(k) for k in own)
            ]
    for module in (datasets, metrics):
        for name in module.__all__:
            if callable(getattr(module, name)):
                names.append((f"{module.__name__}.{name}", True))
    return names


def test_the_public_api_is_covered():
    names = {name for name, _ in public_objects()}
    assert {
        "skimbgan.PolarityGANSampler.fit_resample",
        "skimbgan.PolarityGANClassifier.fit",
    } <= names
    assert "skimbgan.datasets.load_fashion_mnist" in names
    assert "skimbgan.metrics.prediction_entropy" in names


@pytest.mark.parametrize("name, needs_example", public_objects())
def test_docstring(name, needs_example):
    result = numpydoc_validate.validate(name)
    ignored = IGNORED if needs_example else IGNORED | {"EX01"}
    errors = [f"{code}: {message}" for code, message in result["errors"] if code not in ignored]
    assert not errors, f"{name}:\n" + "\n".join(errors)
