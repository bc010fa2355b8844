"""One way to build a core configuration from an estimator's parameters."""

import dataclasses


def core_config(config_class, estimator, skip=(), **values):
    """A configuration of the torch core for ``estimator``.

    Every field of the dataclass ``config_class`` that is named like one of
    the estimator's parameters takes that parameter's value, except the
    fields in ``skip``; ``values`` set the rest (a parameter under another
    name, a checked or converted value) and override; the remaining fields
    keep the core's defaults.
    """
    params = estimator.get_params(deep=False)
    fields = {field.name for field in dataclasses.fields(config_class)}
    taken = {name: params[name] for name in fields & params.keys() if name not in skip}
    return config_class(**{**taken, **values})
