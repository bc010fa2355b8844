"""The benchmark's methods: one entry each, everything about a method in one place.

An :class:`Entry` says what a method is (``--help``), what it builds (an
estimator class by module and name, with the parameters the benchmark gives
it), how ``--tune`` varies it (its own grid), what it becomes on a mixed table
(:mod:`._mixed_pipelines`), and which optional package it needs. Adding a method is
adding an entry to :data:`REGISTRY`.

The cache key of a run includes a hash of the source files of skimbgan that
the method's estimator imports (:func:`own_code`): found by reading the
``import`` statements of its module and of every skimbgan module they reach,
so no list is kept by hand. A method built from another library has no own
code; its library's version is part of the key instead (:func:`versions`).
"""

import ast
import os
from collections.abc import Callable
from dataclasses import dataclass, field


def _never(params):
    return False


@dataclass(frozen=True)
class Entry:
    """One method of ``skimbgan benchmark``.

    Attributes
    ----------
    name : str
        Its command-line name.
    kind : {"classifier", "sampler", "own"}
        ``"classifier"``: a way to use each of ``--classifiers`` (nothing,
        class weights, a tuned threshold); ``"sampler"``: an over-sampler in
        front of each classifier; ``"own"``: a classifier of its own
        (``--classifiers`` do not apply).
    description : str
        What ``--help`` says of it.
    estimator : (module, class name) or None
        What it builds (None for the ``"classifier"`` kind): the module that
        defines the class, where the fingerprint's walk starts.
    aliases : tuple of str
        Other names a user would try.
    defaults : dict
        Parameters the benchmark sets (the user's, after a colon, win).
    seeded, takes_device : bool
        Whether the estimator takes ``random_state`` (the split's seed) and
        ``device``.
    grid : tuple of dict
        ``--tune``'s settings of the method itself (two for a sampler, four
        for a classifier of its own, none for the ``"classifier"`` kind, whose
        candidates are the classifier's: :data:`._tuning.CLASSIFIER_GRID`).
    capped : str or None
        A sampler's neighbour parameter, capped at ``n_minority - 1`` at fit
        time unless the method sets it (:mod:`._samplers`).
    class_weight, threshold : bool
        For the ``"classifier"`` kind: class weights ``"balanced"``; a tuned
        decision threshold.
    encoded : callable(params) -> bool
        On a mixed table, whether the sampler resamples the one-hot encoded
        columns (True) or the raw rows (False).
    on_mixed : callable(columns, params) -> (module, class name, extra) or None
        On a mixed table whose raw rows it resamples: the sampler to use
        instead of ``estimator`` (and parameters to add); None keeps it.
    requires : str or None
        An optional package the estimator needs (its version joins the cache
        key), installed by the extra named in ``extra``.
    """

    name: str
    kind: str
    description: str
    estimator: tuple | None = None
    aliases: tuple = ()
    defaults: dict = field(default_factory=dict)
    seeded: bool = True
    takes_device: bool = False
    grid: tuple = ()
    capped: str | None = None
    class_weight: bool = False
    threshold: bool = False
    encoded: Callable = _never
    on_mixed: Callable | None = None
    requires: str | None = None
    extra: str | None = None

    @property
    def own_classifier(self):
        return self.kind == "own"

    @property
    def is_sampler(self):
        return self.kind == "sampler"

    @property
    def takes_threshold(self):
        """Whether ``name+threshold`` is a method."""
        return self.kind in ("sampler", "own")


def _smote_on_mixed(columns, params):
    if columns.numeric:
        return "imblearn.over_sampling", "SMOTENC", {"categorical_features": "auto"}
    return "imblearn.over_sampling", "SMOTEN", {}


def _polarity_encoded(params):
    return "categorical_features" in params and params["categorical_features"] is None


def _polarity_on_mixed(columns, params):
    if "categorical_features" in params:
        return None
    return "skimbgan.over_sampling", "PolarityGANSampler", {"categorical_features": "auto"}


def _random_encoded(params):
    # noise added to numbers needs numbers: the one-hot columns
    return params.get("shrinkage") is not None


def _always(params):
    return True


#: Under-sampling ensembles: sizes and the balance of their draws.
_ENSEMBLE_GRID = (
    {"n_estimators": 10, "sampling_strategy": "auto"},
    {"n_estimators": 30, "sampling_strategy": "auto"},
    {"n_estimators": 10, "sampling_strategy": 0.5},
    {"n_estimators": 30, "sampling_strategy": 0.5},
)

_ENTRIES = (
    Entry(
        "none",
        "classifier",
        "the classifier as it is",
        aliases=("baseline",),
    ),
    Entry(
        "class_weight",
        "classifier",
        "the classifier with class_weight='balanced'",
        aliases=("balanced", "class-weight", "classweight"),
        class_weight=True,
    ),
    Entry(
        "threshold",
        "classifier",
        "the classifier, its decision threshold tuned in the training fold",
        aliases=("tuned_threshold", "tuned-threshold"),
        threshold=True,
    ),
    Entry(
        "egan",
        "own",
        "skimbgan's EGANClassifier (a classifier of its own)",
        ("skimbgan.classification._egan", "EGANClassifier"),
        aliases=("eganclassifier",),
        takes_device=True,
        # its defaults, then one change each: the weight of the real minority
        # negatives, a smaller learning rate with twice the steps to use it,
        # wider networks. (More steps alone is no setting: early stopping
        # often ends a default fit before its 1000.)
        grid=(
            {},
            {"minority_weight": 2.0},
            {"learning_rate": 3e-4, "n_steps": 2000},
            {"hidden_dims": (256, 256)},
        ),
    ),
    Entry(
        "brf",
        "own",
        "imbalanced-learn's BalancedRandomForestClassifier (each tree on a balanced draw)",
        ("imblearn.ensemble", "BalancedRandomForestClassifier"),
        aliases=(
            "balanced_random_forest",
            "balancedrandomforest",
            "balancedrandomforestclassifier",
            "balanced-random-forest",
        ),
        defaults={"n_jobs": 1},
        grid=(
            {"sampling_strategy": "auto", "min_samples_leaf": 1},
            {"sampling_strategy": "auto", "min_samples_leaf": 5},
            {"sampling_strategy": 0.5, "min_samples_leaf": 1},
            {"sampling_strategy": 0.5, "min_samples_leaf": 5},
        ),
    ),
    Entry(
        "easy_ensemble",
        "own",
        "imbalanced-learn's EasyEnsembleClassifier",
        ("imblearn.ensemble", "EasyEnsembleClassifier"),
        aliases=("easyensemble", "easy-ensemble", "easyensembleclassifier"),
        defaults={"n_jobs": 1},
        grid=_ENSEMBLE_GRID,
    ),
    Entry(
        "balanced_bagging",
        "own",
        "imbalanced-learn's BalancedBaggingClassifier",
        ("imblearn.ensemble", "BalancedBaggingClassifier"),
        aliases=("balancedbagging", "balanced-bagging", "balancedbaggingclassifier"),
        defaults={"n_jobs": 1},
        grid=_ENSEMBLE_GRID,
    ),
    Entry(
        "rusboost",
        "own",
        "imbalanced-learn's RUSBoostClassifier",
        ("imblearn.ensemble", "RUSBoostClassifier"),
        aliases=("rus_boost", "rus-boost", "rusboostclassifier"),
        grid=(
            {"n_estimators": 50, "learning_rate": 1.0},
            {"n_estimators": 100, "learning_rate": 1.0},
            {"n_estimators": 50, "learning_rate": 0.5},
            {"n_estimators": 100, "learning_rate": 0.5},
        ),
    ),
    Entry(
        "random",
        "sampler",
        "RandomOverSampler, then the classifier",
        ("imblearn.over_sampling", "RandomOverSampler"),
        aliases=("ros", "randomoversampler", "random_over"),
        grid=({"shrinkage": None}, {"shrinkage": 0.5}),
        encoded=_random_encoded,
    ),
    Entry(
        "smote",
        "sampler",
        "SMOTE, then the classifier",
        ("imblearn.over_sampling", "SMOTE"),
        grid=({"k_neighbors": 5}, {"k_neighbors": 3}),
        capped="k_neighbors",
        on_mixed=_smote_on_mixed,
    ),
    Entry(
        "borderline",
        "sampler",
        "BorderlineSMOTE, then the classifier",
        ("imblearn.over_sampling", "BorderlineSMOTE"),
        aliases=("borderlinesmote", "borderline_smote", "borderline-smote"),
        grid=({"k_neighbors": 5}, {"k_neighbors": 3}),
        capped="k_neighbors",
        encoded=_always,
    ),
    Entry(
        "adasyn",
        "sampler",
        "ADASYN, then the classifier",
        ("imblearn.over_sampling", "ADASYN"),
        grid=({"n_neighbors": 5}, {"n_neighbors": 3}),
        capped="n_neighbors",
        encoded=_always,
    ),
    Entry(
        "polarity",
        "sampler",
        "skimbgan's PolarityGANSampler, then the classifier",
        ("skimbgan.over_sampling._polarity_gan", "PolarityGANSampler"),
        aliases=("polaritygan", "polarity_gan", "polarity-gan", "polaritygansampler"),
        takes_device=True,
        grid=(
            {},
            {
                "n_steps": 600,
                "generator_lr": 1e-3,
                "critic_lr": 1e-3,
                "classifier_lr": 1e-3,
                "hidden_dims": (256, 256),
            },
        ),
        encoded=_polarity_encoded,
        on_mixed=_polarity_on_mixed,
    ),
    Entry(
        "ctgan",
        "sampler",
        "CTGAN (the ctgan package) fitted on each class it grows, then the classifier",
        ("skimbgan.benchmark._ctgan", "CTGANSampler"),
        aliases=("ctgansampler",),
        takes_device=True,
        # its defaults, then a shorter fit with smaller networks (the setting
        # CTGAN's authors suggest trying on small tables)
        grid=(
            {},
            {"epochs": 100, "generator_dim": (128, 128), "discriminator_dim": (128, 128)},
        ),
        # on a mixed table it keeps its own class: it models categories itself
        requires="ctgan",
        extra="ctgan",
    ),
)

#: Every method, by name.
REGISTRY = {entry.name: entry for entry in _ENTRIES}
#: The names a user would try, to the method's name.
ALIASES = {alias: entry.name for entry in _ENTRIES for alias in entry.aliases}


def lookup(name):
    """The :class:`Entry` of a method name or alias (lower case), or None."""
    return REGISTRY.get(ALIASES.get(name, name))


def names(kind=None):
    """The methods' names, in the registry's order (only ``kind``'s if given)."""
    return [e.name for e in _ENTRIES if kind is None or e.kind == kind]


# --- the cache fingerprint: the skimbgan files a method imports -----------------


def _root():
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _module_file(module):
    """The source file of a skimbgan module (package: its ``__init__.py``), or None."""
    parts = module.split(".")[1:]
    base = os.path.join(_root(), *parts)
    if os.path.isfile(os.path.join(base, "__init__.py")):
        return os.path.join(base, "__init__.py")
    if os.path.isfile(base + ".py"):
        return base + ".py"
    return None


def _imports(module, path):
    """The skimbgan modules named by the import statements of one file (at
    any depth: imports inside functions count); ``from X import a`` names
    ``X`` and, where ``a`` is a module, ``X.a``."""
    package = module if path.endswith("__init__.py") else module.rpartition(".")[0]
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                target = ".".join(parts + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found += [target] + [f"{target}.{alias.name}" for alias in node.names]
    return [name for name in found if name == "skimbgan" or name.startswith("skimbgan.")]


def own_code(name):
    """The skimbgan source files (relative to the package) that method
    ``name``'s estimator module imports, directly or through other skimbgan
    modules, itself included; empty for a method built from another library."""
    entry = lookup(name)
    if entry is None or entry.estimator is None:
        return []
    start = entry.estimator[0]
    if not start.startswith("skimbgan"):
        return []
    seen, todo = {}, [start]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        path = _module_file(module)
        if path is None:  # a name imported from a module, not a module
            continue
        seen[module] = path
        todo += _imports(module, path)
    return sorted(os.path.relpath(path, _root()).replace(os.sep, "/") for path in seen.values())


def versions(name):
    """``{package: version}`` of the optional package method ``name`` needs."""
    entry = lookup(name)
    if entry is None or entry.requires is None:
        return {}
    from importlib.metadata import PackageNotFoundError, version

    try:
        return {entry.requires: version(entry.requires)}
    except PackageNotFoundError:
        return {entry.requires: "not installed"}


def missing_package(name):
    """A message for a method whose optional package is not installed, or None."""
    entry = lookup(name)
    if entry is None or entry.requires is None:
        return None
    import importlib.util

    if importlib.util.find_spec(entry.requires) is not None:
        return None
    return (
        f"Method {name!r} needs the {entry.requires!r} package: "
        f"pip install 'skimbgan[{entry.extra}]' (or pip install {entry.requires})."
    )
