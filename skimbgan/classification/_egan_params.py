"""EGANClassifier's parameters: their constraints, the paper's settings, and
what ``"auto"`` resolves to."""

import numbers

from sklearn.utils._param_validation import Interval, StrOptions

from ..utils._params import BACKBONE, COMMON, IMAGE_INPUT, MEMORY, VALIDATION, positive_int

#: EGANClassifier's parameter constraints (scikit-learn's validation).
PARAMETER_CONSTRAINTS = {
    **COMMON,
    **IMAGE_INPUT,
    **VALIDATION,
    "input_type": [StrOptions({"features", "images"})],
    "reconstruction": [StrOptions({"images", "prefix"})],
    "minority_class": "no_validation",
    "hidden_dims": ["array-like"],
    "latent_dim": positive_int(),
    "dropout": [Interval(numbers.Real, 0, 1, closed="left")],
    "generator_backbone": BACKBONE,
    "discriminator_backbone": BACKBONE,
    "n_steps": positive_int(),
    "batch_size": positive_int(),
    "learning_rate": [Interval(numbers.Real, 0, None, closed="neither"), StrOptions({"auto"})],
    "selection_metric": [StrOptions({"average_precision", "f1"})],
    "minority_weight": [Interval(numbers.Real, 0, None, closed="left")],
    "contamination": [
        Interval(numbers.Real, 0, 0.5, closed="right"),
        StrOptions({"f1"}),
        None,
    ],
    "n_estimators": [*positive_int(), StrOptions({"auto"})],
    "minority_augmentation": [Interval(numbers.Integral, 0, None, closed="left")],
    "closeness_weight": [Interval(numbers.Real, 0, 1, closed="both"), StrOptions({"auto"})],
    "eval_every": positive_int(),
    "n_iter_no_change": [
        Interval(numbers.Integral, 1, None, closed="left"),
        None,
        StrOptions({"auto"}),
    ],
    "memory": MEMORY,
}


#: The paper's eGAN, every extension off.
PAPER_PARAMS = dict(
    minority_weight=0.0,
    contamination=None,
    learning_rate=1e-4,
    n_estimators=1,
    closeness_weight=0.0,
    reconstruction="images",
    n_iter_no_change=10,
)


def resolve_auto(model, inputs):
    """``(learning_rate_, n_estimators_, n_iter_no_change_)``: the set values,
    or what ``"auto"`` means for the input kind (``inputs``,
    :mod:`._egan_inputs`)."""
    patience = model.n_iter_no_change
    return (
        inputs.auto_learning_rate if model.learning_rate == "auto" else model.learning_rate,
        inputs.auto_n_estimators if model.n_estimators == "auto" else model.n_estimators,
        inputs.auto_n_iter_no_change if patience == "auto" else patience,
    )
