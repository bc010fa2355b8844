"""skimbgan: GAN methods for class imbalance in the scikit-learn ecosystem."""

import importlib

__version__ = "0.1.0.dev0"

__all__ = [
    "EGANClassifier",
    "ImageEmbedder",
    "PolarityGANClassifier",
    "PolarityGANSampler",
    "datasets",
    "metrics",
    "__version__",
]

# The public names are imported on first use, so that ``skimbgan --help`` and
# ``import skimbgan`` do not load torch.
_HOMES = {
    "EGANClassifier": ".classification",
    "PolarityGANClassifier": ".classification",
    "ImageEmbedder": ".image",
    "PolarityGANSampler": ".over_sampling",
}
_SUBPACKAGES = ("classification", "datasets", "image", "metrics", "over_sampling", "utils")


def __getattr__(name):
    if name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name], __name__), name)
    elif name in _SUBPACKAGES:
        value = importlib.import_module("." + name, __name__)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(__all__))
