"""``skimbgan benchmark``: methods for imbalance compared on the same splits.

The command line is :func:`main` (``skimbgan benchmark``, ``python -m skimbgan
benchmark``); the pieces it is built from (data sets, methods, runs, report)
are importable for scripts that make their own tables.
"""

from ._cli import main
from ._data import DEV_SUBSET, HELD_OUT, PROFILES, Dataset
from ._methods import Method, parse_classifiers, parse_methods
from ._run import METRICS, execute, make_tasks, run_task, scores

__all__ = [
    "DEV_SUBSET",
    "Dataset",
    "HELD_OUT",
    "METRICS",
    "Method",
    "PROFILES",
    "execute",
    "main",
    "make_tasks",
    "parse_classifiers",
    "parse_methods",
    "run_task",
    "scores",
]
