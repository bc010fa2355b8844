"""``skimbgan benchmark``: methods for imbalance compared on the same splits.

The command line is :func:`main` (``skimbgan benchmark``, ``python -m skimbgan
benchmark``); the pieces it is built from (data sets, methods, runs, report)
are importable for scripts that make their own tables.
"""

from ._cli import main
from ._data import DEV_SUBSET, HELD_OUT, PROFILES, Dataset
from ._methods import (
    OWN_CODE,
    Method,
    make_classifier,
    make_sampler,
    parse_classifiers,
    parse_methods,
)
from ._run import METRICS, code_fingerprint, execute, make_tasks, run_task, scores

__all__ = [
    "DEV_SUBSET",
    "Dataset",
    "HELD_OUT",
    "METRICS",
    "Method",
    "OWN_CODE",
    "PROFILES",
    "code_fingerprint",
    "execute",
    "main",
    "make_classifier",
    "make_sampler",
    "make_tasks",
    "parse_classifiers",
    "parse_methods",
    "run_task",
    "scores",
]
