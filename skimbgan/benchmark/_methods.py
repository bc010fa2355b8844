"""Methods and classifiers of the benchmark, built from their command-line names.

A method is a way to handle the imbalance around a classifier: nothing,
class weights, a tuned decision threshold, an over-sampler (optionally followed
by a tuned threshold: ``smote+threshold``), or a classifier of its own:
EGANClassifier, or one of imbalanced-learn's under-sampling ensembles
(``brf``, ``easy_ensemble``, ``balanced_bagging``, ``rusboost``), which large
studies of imbalanced tables put near the top; these take ``+threshold`` too.
Parameters follow a colon: ``polarity:n_steps=2000`` (several:
``polarity:n_steps=2000,batch_size=256``).
"""

import ast
from dataclasses import dataclass, field

#: Appended to the name of a method whose parameters ``--tune`` chooses.
TUNED = " [tuned]"

#: Over-samplers by name, with the names a user would try as aliases.
SAMPLERS = {
    "random": ("imblearn.over_sampling", "RandomOverSampler"),
    "smote": ("imblearn.over_sampling", "SMOTE"),
    "borderline": ("imblearn.over_sampling", "BorderlineSMOTE"),
    "adasyn": ("imblearn.over_sampling", "ADASYN"),
    "polarity": ("skimbgan", "PolarityGANSampler"),
}
#: imbalanced-learn's under-sampling ensembles: classifiers of their own, run
#: with their defaults (``n_jobs=1``: the benchmark parallelises the runs).
ENSEMBLES = {
    "brf": ("imblearn.ensemble", "BalancedRandomForestClassifier"),
    "easy_ensemble": ("imblearn.ensemble", "EasyEnsembleClassifier"),
    "balanced_bagging": ("imblearn.ensemble", "BalancedBaggingClassifier"),
    "rusboost": ("imblearn.ensemble", "RUSBoostClassifier"),
}
PLAIN = ("none", "class_weight", "threshold", "egan", *ENSEMBLES)
#: What each method is, for ``--help``.
DESCRIPTIONS = {
    "none": "the classifier as it is",
    "class_weight": "the classifier with class_weight='balanced'",
    "threshold": "the classifier, its decision threshold tuned in the training fold",
    "egan": "skimbgan's EGANClassifier (a classifier of its own)",
    "brf": "imbalanced-learn's BalancedRandomForestClassifier",
    "easy_ensemble": "imbalanced-learn's EasyEnsembleClassifier",
    "balanced_bagging": "imbalanced-learn's BalancedBaggingClassifier",
    "rusboost": "imbalanced-learn's RUSBoostClassifier",
    "random": "RandomOverSampler, then the classifier",
    "smote": "SMOTE, then the classifier",
    "borderline": "BorderlineSMOTE, then the classifier",
    "adasyn": "ADASYN, then the classifier",
    "polarity": "skimbgan's PolarityGANSampler, then the classifier",
}
#: Methods that are classifiers themselves: ``--classifiers`` does not apply.
OWN_CLASSIFIERS = ("egan", *ENSEMBLES)
ALIASES = {
    "baseline": "none",
    "balanced": "class_weight",
    "class-weight": "class_weight",
    "classweight": "class_weight",
    "tuned_threshold": "threshold",
    "tuned-threshold": "threshold",
    "ros": "random",
    "randomoversampler": "random",
    "random_over": "random",
    "borderlinesmote": "borderline",
    "borderline_smote": "borderline",
    "borderline-smote": "borderline",
    "polaritygan": "polarity",
    "polarity_gan": "polarity",
    "polarity-gan": "polarity",
    "polaritygansampler": "polarity",
    "eganclassifier": "egan",
    "balanced_random_forest": "brf",
    "balancedrandomforest": "brf",
    "balancedrandomforestclassifier": "brf",
    "balanced-random-forest": "brf",
    "easyensemble": "easy_ensemble",
    "easy-ensemble": "easy_ensemble",
    "easyensembleclassifier": "easy_ensemble",
    "balancedbagging": "balanced_bagging",
    "balanced-bagging": "balanced_bagging",
    "balancedbaggingclassifier": "balanced_bagging",
    "rus_boost": "rusboost",
    "rus-boost": "rusboost",
    "rusboostclassifier": "rusboost",
}
#: Samplers whose neighbour count is capped at ``n_minority - 1`` at fit time
#: (:class:`~skimbgan.benchmark._samplers.NeighbourCappedSampler`) unless the
#: method sets it: the parameter per sampler.
CAPPED = {"smote": "k_neighbors", "borderline": "k_neighbors", "adasyn": "n_neighbors"}
#: Methods whose code is skimbgan's: their cache key includes a hash of it.
OWN_CODE = {
    "polarity": [
        "over_sampling",
        "_core/polarity",
        "_core/optim.py",
        "_core/layers.py",
        "_core/checkpoint.py",
        "_core/random.py",
        "_core/device.py",
        "_core/history.py",
        "_core/progress.py",
        "utils",
    ],
    "egan": [
        "classification",
        "_core/egan",
        "_core/backbones.py",
        "_core/layers.py",
        "_core/optim.py",
        "_core/checkpoint.py",
        "_core/random.py",
        "_core/device.py",
        "_core/images.py",
        "_core/history.py",
        "_core/progress.py",
        "image",
        "utils",
    ],
}
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
    width = max(map(len, DESCRIPTIONS))
    lines = [f"  {name:<{width}}  {text}" for name, text in DESCRIPTIONS.items()]
    return "\n".join(
        [
            "methods (a sampler or a classifier of its own + '+threshold': then a tuned threshold;",
            "parameters after a colon, e.g. polarity:n_steps=2000):",
            *lines,
        ]
    )


def valid_method_names():
    bases = list(PLAIN) + list(SAMPLERS)
    return bases + [f"{s}+threshold" for s in [*SAMPLERS, *OWN_CLASSIFIERS]]


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
    def name(self):
        text = self.base + ("+threshold" if self.threshold else "")
        if self.params:
            text += ":" + ",".join(f"{k}={v!r}" for k, v in sorted(self.params.items()))
        return text + (TUNED if self.tune else "")

    @property
    def own_classifier(self):
        """EGANClassifier and the ensembles classify by themselves: the
        --classifiers do not apply."""
        return self.base in OWN_CLASSIFIERS

    @property
    def is_sampler(self):
        return self.base in SAMPLERS

    @property
    def capped(self):
        """Whether the sampler's neighbour count adapts to the minority it is given."""
        return self.base in CAPPED and CAPPED[self.base] not in self.params

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
        (:class:`~._mixed.Columns`, from a DataFrame) says the table is not a
        complete float matrix: see :mod:`._mixed`; None is the numeric table."""
        from imblearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        sampler = None
        if self.is_sampler:
            # a tuned method's candidates set the neighbour count: still capped
            cap = "always" if self.tune else True
            sampler = make_sampler(self.base, seed, self.params, device, cap, self, columns)
        mask = None
        if columns is not None and columns.mixed:
            from ._mixed import steps

            steps, mask = steps(self, classifier, columns, sampler)
        else:
            steps = [StandardScaler()] + ([sampler] if sampler is not None else [])
            if columns is not None:  # numbers with missing values
                from sklearn.impute import SimpleImputer

                steps.insert(0, SimpleImputer(strategy="median"))
        if self.base == "egan":
            from skimbgan import EGANClassifier

            # egan:random_state=N fixes the model's seed in every split (to
            # measure seed noise on the same splits); by default it follows them
            params = {"device": device, "random_state": seed, **self.params}
            final = EGANClassifier(**params)
        elif self.base in ENSEMBLES:
            final = make_ensemble(self.base, seed, self.params)
        else:
            weight = "balanced" if self.base == "class_weight" else None
            params = dict(classifier_params or {})
            if mask is not None:
                params["categorical_features"] = mask
            final = make_classifier(classifier, seed, weight, **params)
        model = make_pipeline(*steps, final)
        if self.threshold or self.base == "threshold":
            from ._threshold import with_threshold

            model = with_threshold(model, seed, n_minority_train)
        return model

    def without_threshold(self):
        """The method whose model a tuned threshold wraps (``threshold``'s is
        ``none``'s)."""
        base = "none" if self.base == "threshold" else self.base
        return Method(base, False, self.params, tune=self.tune)


def make_sampler(base, seed, params, device="cpu", cap=True, method=None, columns=None):
    """The sampler of a method; with ``cap``, SMOTE, BorderlineSMOTE and ADASYN
    whose neighbour count the method does not set are wrapped in a
    :class:`NeighbourCappedSampler` (with ``cap="always"``, also when the
    count is set, as tuning's candidates set it). On a mixed table
    (``columns``), ``smote`` is SMOTENC and ``polarity`` takes the
    categorical columns (:func:`._mixed.sampler_class`)."""
    import importlib

    module, name = SAMPLERS[base]
    extra = {"device": device} if base == "polarity" else {}
    if columns is not None and columns.mixed:
        from ._mixed import sampler_class, sampler_space

        space = sampler_space(method or Method(base, params=params))
        mixed = sampler_class(base, columns, params, space)
        if mixed is not None:
            module, name, more = mixed
            extra.update(more)
    cls = getattr(importlib.import_module(module), name)
    try:
        # polarity:random_state=N fixes the sampler's seed in every split (to
        # measure seed noise on the same splits); by default it follows them
        sampler = cls(**{"random_state": seed, **extra, **params})
    except TypeError as exc:
        raise ValueError(f"Method {base!r}: {exc}") from exc
    if cap and base in CAPPED and (cap == "always" or CAPPED[base] not in params):
        from ._samplers import NeighbourCappedSampler

        return NeighbourCappedSampler(sampler)
    return sampler


def make_ensemble(base, seed, params):
    """One of imbalanced-learn's under-sampling ensembles, single-threaded."""
    import importlib

    module, name = ENSEMBLES[base]
    cls = getattr(importlib.import_module(module), name)
    extra = {} if base == "rusboost" else {"n_jobs": 1}
    try:
        return cls(random_state=seed, **{**extra, **params})
    except TypeError as exc:
        raise ValueError(f"Method {base!r}: {exc}") from exc


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
    base = ALIASES.get(base, base)
    if base not in PLAIN and base not in SAMPLERS:
        raise ValueError(
            f"Unknown method {text!r}. Valid methods: {', '.join(valid_method_names())} "
            "(samplers take '+threshold'; parameters after a colon, e.g. polarity:n_steps=2000)."
        )
    if threshold and base not in SAMPLERS and base not in OWN_CLASSIFIERS:
        raise ValueError(
            f"{text!r}: '+threshold' follows a sampler or a classifier of its own "
            "(e.g. smote+threshold, brf+threshold)."
        )
    params = {}
    if params_text:
        if base in ("none", "class_weight", "threshold"):
            raise ValueError(f"{text!r}: method {base!r} takes no parameters.")
        for item in _top_level_split(params_text):
            key, sep, value = item.partition("=")
            if not sep or not key.strip():
                raise ValueError(f"{text!r}: parameters are key=value pairs, got {item!r}.")
            params[key.strip()] = _value(value.strip())
    method = Method(base, threshold, params)
    # unknown parameter names and invalid values fail now, not in every split
    if method.is_sampler:
        estimator = make_sampler(base, 0, params, cap=False)
    elif base in ENSEMBLES:
        estimator = make_ensemble(base, 0, params)
    elif base == "egan":
        from skimbgan import EGANClassifier

        try:
            estimator = EGANClassifier(**params)
        except TypeError as exc:
            raise ValueError(f"Method 'egan': {exc}") from exc
    else:
        return method
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
