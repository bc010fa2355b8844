"""``skimbgan benchmark``: methods for imbalance compared on the same splits.

The command line is :func:`main` (``skimbgan benchmark``, ``python -m skimbgan
benchmark``); the pieces it is built from (data sets, methods, runs, report)
are importable for scripts that make their own tables.
"""

from ._cli import main
from ._data import DEV_SUBSET, HELD_OUT, PROFILES, Dataset
from ._data import load as load_dataset
from ._methods import (
    Method,
    make_classifier,
    make_own,
    make_sampler,
    parse_classifiers,
    parse_method,
    parse_methods,
)
from ._registry import REGISTRY, Entry, own_code
from ._run import METRICS, code_fingerprint, execute, make_tasks, run_task, scores

__all__ = [
    "CTGANSampler",
    "DEV_SUBSET",
    "Dataset",
    "Entry",
    "HELD_OUT",
    "METRICS",
    "Method",
    "PROFILES",
    "REGISTRY",
    "code_fingerprint",
    "execute",
    "load_dataset",
    "main",
    "make_classifier",
    "make_own",
    "make_sampler",
    "make_tasks",
    "own_code",
    "parse_classifiers",
    "parse_method",
    "parse_methods",
    "run_task",
    "scores",
]


def __getattr__(name):
    # imported on first use: the sampler's module loads imbalanced-learn
    if name == "CTGANSampler":
        from ._ctgan import CTGANSampler

        return CTGANSampler
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
