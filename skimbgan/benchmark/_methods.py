"""Methods and classifiers of the benchmark, built from their command-line names.

A method is a way to handle the imbalance around a classifier: nothing,
class weights, a tuned decision threshold, an over-sampler (optionally followed
by a tuned threshold: ``smote+threshold``), or a classifier of its own:
EGANClassifier, or one of imbalanced-learn's under-sampling ensembles
(``brf``, ``easy_ensemble``, ``balanced_bagging``, ``rusboost``), which large
studies of imbalanced tables put near the top; these take ``+threshold`` too.
Parameters follow a colon: ``polarity:n_steps=2000`` (several:
``polarity:n_steps=2000,batch_size=256``). What each method is and builds is
its entry in :mod:`._registry`; this module parses names and builds pipelines.
"""

import ast
from dataclasses import dataclass, field

from ._registry import REGISTRY, lookup, missing_package, names

#: Appended to the name of a method whose parameters ``--tune`` chooses.
TUNED = " [tuned]"

CLASSIFIERS = {
    "lr": "logistic regression (standardised features, max_iter=2000)",
    "rf": "random forest (100 trees)",
    "hgb": "histogram gradient boosting (scikit-learn's HistGradientBoostingClassifier)",
}
CLASSIFIER_ALIASES = {
    "logreg": "lr",
    "logistic": "lr",
    "logistic_regression": "lr",
    "random_forest": "rf",
    "forest": "rf",
    "gb": "hgb",
    "gbm": "hgb",
    "hist_gradient_boosting": "hgb",
    "gradient_boosting": "hgb",
}
DEFAULT_METHODS = "none,class_weight,threshold,smote,smote+threshold,polarity,polarity+threshold"


def method_help():
    """The ``--help`` lines that say what each method is."""
    entries = list(REGISTRY.values())
    width = max(len(e.name) for e in entries)
    lines = []
    for entry in entries:
        text = entry.description
        if entry.extra:
            text += f" [needs: pip install 'skimbgan[{entry.extra}]']"
        lines.append(f"  {entry.name:<{width}}  {text}")
    return "\n".join(
        [
            "methods (a sampler or a classifier of its own + '+threshold': then a tuned threshold;",
            "parameters after a colon, e.g. polarity:n_steps=2000):",
            *lines,
        ]
    )


def valid_method_names():
    bases = [n for n in names() if REGISTRY[n].kind != "sampler"] + names("sampler")
    return bases + [f"{n}+threshold" for n in bases if REGISTRY[n].takes_threshold]


@dataclass(frozen=True)
class Method:
    """One method of the benchmark, parsed from its command-line name."""

    base: str
    threshold: bool = False
    params: dict = field(default_factory=dict, hash=False, compare=False)
    #: With ``--tune``: the metric its parameters are chosen on, by an inner
    #: cross-validation inside each training fold (:mod:`._tuning`).
    tune: str | None = None

    @property
    def entry(self):
        """The method's :class:`~._registry.Entry`."""
        return REGISTRY[self.base]

    @property
    def name(self):
        text = self.base + ("+threshold" if self.threshold else "")
        if self.params:
            text += ":" + ",".join(f"{k}={v!r}" for k, v in sorted(self.params.items()))
        return text + (TUNED if self.tune else "")

    @property
    def own_classifier(self):
        """EGANClassifier and the ensembles classify by themselves: the
        --classifiers do not apply."""
        return self.entry.own_classifier

    @property
    def is_sampler(self):
        return self.entry.is_sampler

    @property
    def capped(self):
        """Whether the sampler's neighbour count adapts to the minority it is given."""
        parameter = self.entry.capped
        return parameter is not None and parameter not in self.params

    def build(
        self,
        classifier,
        seed,
        n_minority_train,
        device="cpu",
        classifier_params=None,
        columns=None,
    ):
        """The estimator to fit on one training fold (``classifier_params``
        set parameters of the classifier; tuning's candidates do). ``columns``
        (:class:`~._mixed_pipelines.Columns`, from a DataFrame) says the table is not a
        complete float matrix: see :mod:`._mixed_pipelines`; None is the numeric table."""
        from imblearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        entry = self.entry
        sampler = None
        if entry.is_sampler:
            # a tuned method's candidates set the neighbour count: still capped
            cap = "always" if self.tune else True
            sampler = make_sampler(self.base, seed, self.params, device, cap, self, columns)
        mask = None
        if columns is not None and columns.mixed:
            from ._mixed_pipelines import steps

            steps, mask = steps(self, classifier, columns, sampler)
        else:
            steps = [StandardScaler()] + ([sampler] if sampler is not None else [])
            if columns is not None:  # numbers with missing values
                from sklearn.impute import SimpleImputer

                steps.insert(0, SimpleImputer(strategy="median"))
        if entry.own_classifier:
            final = make_own(self.base, seed, self.params, device)
        else:
            weight = "balanced" if entry.class_weight else None
            params = dict(classifier_params or {})
            if mask is not None:
                params["categorical_features"] = mask
            final = make_classifier(classifier, seed, weight, **params)
        model = make_pipeline(*steps, final)
        if self.threshold or entry.threshold:
            from ._threshold import with_threshold

            model = with_threshold(model, seed, n_minority_train)
        return model

    def without_threshold(self):
        """The method whose model a tuned threshold wraps (``threshold``'s is
        ``none``'s)."""
        base = "none" if self.base == "threshold" else self.base
        return Method(base, False, self.params, tune=self.tune)


def _construct(base, module, name, seed, params, device, extra=None):
    """An instance of ``module.name`` for method ``base``: the split's seed
    and the device where the estimator takes them, the registry's defaults,
    ``extra``, then the method's own parameters (``polarity:random_state=N``
    fixes a seed in every split, to measure seed noise on the same splits)."""
    import importlib

    entry = REGISTRY[base]
    problem = missing_package(base)
    if problem:
        raise ValueError(problem)
    cls = getattr(importlib.import_module(module), name)
    given = dict(entry.defaults)
    if entry.seeded:
        given["random_state"] = seed
    if entry.takes_device:
        given["device"] = device
    try:
        return cls(**{**given, **(extra or {}), **params})
    except TypeError as exc:
        raise ValueError(f"Method {base!r}: {exc}") from exc


def make_sampler(base, seed, params, device="cpu", cap=True, method=None, columns=None):
    """The sampler of a method; with ``cap``, SMOTE, BorderlineSMOTE and ADASYN
    whose neighbour count the method does not set are wrapped in a
    :class:`NeighbourCappedSampler` (with ``cap="always"``, also when the
    count is set, as tuning's candidates set it). On a mixed table
    (``columns``), the registry's ``on_mixed`` may replace it (``smote`` is
    SMOTENC, ``polarity`` takes the categorical columns: :mod:`._mixed_pipelines`)."""
    entry = REGISTRY[base]
    module, name = entry.estimator
    extra = {}
    if columns is not None and columns.mixed:
        from ._mixed_pipelines import sampler_class, sampler_space

        space = sampler_space(method or Method(base, params=params))
        mixed = sampler_class(base, columns, params, space)
        if mixed is not None:
            module, name, extra = mixed
    sampler = _construct(base, module, name, seed, params, device, extra)
    parameter = entry.capped
    if cap and parameter and (cap == "always" or parameter not in params):
        from ._samplers import NeighbourCappedSampler

        return NeighbourCappedSampler(sampler)
    return sampler


def make_own(base, seed, params, device="cpu"):
    """A classifier of its own: EGANClassifier (on ``device``) or one of
    imbalanced-learn's under-sampling ensembles (single-threaded: the
    benchmark parallelises the runs)."""
    module, name = REGISTRY[base].estimator
    return _construct(base, module, name, seed, params, device)


def make_classifier(name, seed, class_weight=None, **params):
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression

    if name == "lr":
        return LogisticRegression(max_iter=2000, class_weight=class_weight, **params)
    if name == "rf":
        return RandomForestClassifier(
            n_estimators=100, class_weight=class_weight, random_state=seed, n_jobs=1, **params
        )
    return HistGradientBoostingClassifier(class_weight=class_weight, random_state=seed, **params)


def _value(text):
    if text in ("None", "none", "null"):
        return None
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def _top_level_split(text):
    """Split on commas outside brackets: ``hidden_dims=(8,)`` stays whole."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(depth - 1, 0)
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def split_list(values):
    """Items of ``--methods``: separated by spaces or commas, where a comma
    followed by ``key=value`` continues the previous method's parameters."""
    items = []
    for value in values:
        for token in _top_level_split(value):
            token = token.strip()
            if not token:
                continue
            if "=" in token and ":" not in token and items:
                items[-1] += "," + token
            else:
                items.append(token)
    return items


def parse_method(text):
    """A :class:`Method` from ``name[+threshold][:key=value[,key=value]]``."""
    head, _, params_text = text.partition(":")
    base = head.strip().lower()
    threshold = False
    if base.endswith("+threshold"):
        base, threshold = base.removesuffix("+threshold"), True
    entry = lookup(base)
    if entry is None:
        raise ValueError(
            f"Unknown method {text!r}. Valid methods: {', '.join(valid_method_names())} "
            "(samplers take '+threshold'; parameters after a colon, e.g. polarity:n_steps=2000)."
        )
    base = entry.name
    if threshold and not entry.takes_threshold:
        raise ValueError(
            f"{text!r}: '+threshold' follows a sampler or a classifier of its own "
            "(e.g. smote+threshold, brf+threshold)."
        )
    params = {}
    if params_text:
        if entry.estimator is None:
            raise ValueError(f"{text!r}: method {base!r} takes no parameters.")
        for item in _top_level_split(params_text):
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise ValueError(f"{text!r}: parameters are key=value pairs, got {item!r}.")
            params[key.strip()] = _value(value.strip())
    method = Method(base, threshold, params)
    if entry.estimator is None:
        return method
    # unknown parameter names and invalid values fail now, not in every split
    if entry.is_sampler:
        estimator = make_sampler(base, 0, params, cap=False)
    else:
        estimator = make_own(base, 0, params)
    try:
        estimator._validate_params()
    except ValueError as exc:  # scikit-learn's InvalidParameterError
        raise ValueError(f"Method {text!r}: {exc}") from exc
    return method


def parse_methods(values):
    methods = [parse_method(item) for item in split_list(values)]
    names = [m.name for m in methods]
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise ValueError(f"Methods given twice: {duplicated}.")
    return methods


def parse_classifiers(values):
    names = []
    for item in split_list(values):
        name = CLASSIFIER_ALIASES.get(item.lower(), item.lower())
        if name not in CLASSIFIERS:
            raise ValueError(
                f"Unknown classifier {item!r}. Valid: "
                + ", ".join(f"{k} ({v})" for k, v in CLASSIFIERS.items())
            )
        if name not in names:
            names.append(name)
    return names
