"""The benchmark's runs: one (data set, split, method, classifier) each, cached.

Every method sees the same repeated stratified splits of a data set. Each run
fits its model on the training fold only (scaling, resampling and threshold
tuning included: they are steps of the fitted model) and scores it on the test
fold at the data's real prevalence. A finished run is written at once to
``out/cache/<key>.json``, so an interrupted benchmark keeps its finished runs
and a re-run with the same ``--out`` resumes. The key covers the data, the
split, the method with its parameters, the classifier, the versions of the
libraries and, for skimbgan's own methods, a hash of the source files they
import (:func:`._registry.own_code`).

When a benchmark ends (or is interrupted), every run it knows is also packed
into one file, ``out/runs.jsonl.gz`` (one JSON line per run, sorted by key,
gzip without a time stamp, so the same runs give the same bytes). That file
is what a repository keeps of a run, instead of thousands of small files: a
re-run reads it first, so a long benchmark resumes on another machine from a
clone.
"""

import gzip
import hashlib
import json
import os
import time
import traceback
import warnings
from dataclasses import dataclass

import numpy as np

from ._mixed_pipelines import PIPELINE_VERSION, columns_of, rows
from ._registry import own_code, versions
from ._threshold import UNTUNED_NOTE, untuned

METRICS = (
    "f1",
    "macro_f1",
    "balanced_accuracy",
    "g_mean",
    "average_precision",
    "roc_auc",
)


@dataclass
class Task:
    """One run: what to fit and score, and where its result is cached."""

    dataset: str
    split: int
    repeat: int
    fold: int
    method: object
    classifier: str
    key: str


def code_fingerprint(paths):
    """Hash of the text of skimbgan's source files under ``paths``
    (relative to the package)."""
    import skimbgan

    root = os.path.dirname(skimbgan.__file__)
    digest = hashlib.sha1()
    for path in paths:
        full = os.path.join(root, path)
        if os.path.isdir(full):
            files = sorted(
                os.path.join(folder, name)
                for folder, _, names in os.walk(full)
                for name in names
                if name.endswith(".py")
            )
        else:
            files = [full]
        for name in files:
            digest.update(os.path.relpath(name, root).encode())
            with open(name, "rb") as f:
                digest.update(f.read())
    return digest.hexdigest()


def data_fingerprint(dataset):
    if hasattr(dataset.X, "dtypes"):  # a mixed table: values, names and dtypes
        import pandas as pd

        digest = hashlib.sha1(pd.util.hash_pandas_object(dataset.X, index=False).to_numpy())
        digest.update(repr([(str(c), str(t)) for c, t in dataset.X.dtypes.items()]).encode())
    else:
        digest = hashlib.sha1(np.ascontiguousarray(dataset.X).tobytes())
    digest.update(np.ascontiguousarray(dataset.y).tobytes())
    return digest.hexdigest()


def library_versions():
    import imblearn
    import sklearn
    import torch

    return {
        "sklearn": sklearn.__version__,
        "imblearn": imblearn.__version__,
        "torch": torch.__version__,
    }


def make_tasks(datasets, methods, classifiers, folds, repeats, seed, device="cpu"):
    """Every run of the benchmark, with its splits, in a stable order."""
    from sklearn.model_selection import RepeatedStratifiedKFold

    libraries = library_versions()
    bases = sorted({method.base for method in methods})
    files = {base: own_code(base) for base in bases}
    code = {base: code_fingerprint(paths) for base, paths in files.items() if paths}
    extra_versions = {base: versions(base) for base in bases}
    tasks, splits = [], {}
    for dataset in datasets:
        cv = RepeatedStratifiedKFold(n_splits=folds, n_repeats=repeats, random_state=seed)
        splits[dataset.name] = list(cv.split(dataset.X, dataset.y))
        fingerprint = data_fingerprint(dataset)
        for split in range(folds * repeats):
            for method in methods:
                for classifier in ["own"] if method.own_classifier else classifiers:
                    identity = dict(
                        data=fingerprint,
                        folds=folds,
                        repeats=repeats,
                        seed=seed,
                        split=split,
                        method=method.name,
                        classifier=classifier,
                        versions={**libraries, **extra_versions[method.base]},
                        code=code.get(method.base, ""),
                        device=device if method.entry.takes_device else "",
                    )
                    if method.tune:  # the grids are part of what a tuned run is
                        from ._tuning import candidates

                        identity["grid"] = candidates(method, classifier)
                        if method.threshold or method.base == "threshold":
                            identity["search"] = "out-of-fold scores, one threshold refit"
                    if method.capped:  # runs made before the cap failed on small minorities
                        identity["neighbours"] = "capped at n_minority - 1"
                    if hasattr(
                        dataset.X, "dtypes"
                    ):  # not a float matrix: the pipelines of _mixed_pipelines
                        identity["table"] = PIPELINE_VERSION
                    text = json.dumps(identity, sort_keys=True, default=str)
                    key = f"{dataset.name}-{split}-" + hashlib.sha1(text.encode()).hexdigest()[:16]
                    tasks.append(
                        Task(
                            dataset.name,
                            split,
                            split // folds,
                            split % folds,
                            method,
                            classifier,
                            key,
                        )
                    )
    return tasks, splits


def scores(y_true, y_pred, y_score):
    """The benchmark's metrics, at the test fold's (the data's) prevalence."""
    from imblearn.metrics import geometric_mean_score
    from sklearn.metrics import (
        average_precision_score,
        balanced_accuracy_score,
        f1_score,
        roc_auc_score,
    )

    return dict(
        f1=f1_score(y_true, y_pred, zero_division=0),
        macro_f1=f1_score(y_true, y_pred, average="macro", zero_division=0),
        balanced_accuracy=balanced_accuracy_score(y_true, y_pred),
        g_mean=geometric_mean_score(y_true, y_pred),
        average_precision=average_precision_score(y_true, y_score),
        roc_auc=roc_auc_score(y_true, y_score),
    )


def _score_of(model, X):
    if hasattr(model, "predict_proba"):
        return model.predict_proba(X)[:, 1]
    return model.decision_function(X)


def run_task(task, X, y, train, test, device="cpu"):
    """Fit and score one run; a failure becomes a row with its error."""
    row = dict(
        dataset=task.dataset,
        split=task.split,
        repeat=task.repeat,
        fold=task.fold,
        method=task.method.name,
        classifier=task.classifier,
        n_train=len(train),
        n_test=len(test),
        error="",
    )
    try:
        n_minority = int(y[train].sum())
        columns = columns_of(X)
        if task.method.tune:
            from ._tuning import tuned_model

            model = tuned_model(
                task.method, task.classifier, task.split, n_minority, device, columns
            )
        else:
            model = task.method.build(
                task.classifier, task.split, n_minority, device, columns=columns
            )
        X_train, X_test = rows(X, train), rows(X, test)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            model.fit(X_train, y[train])
            row["fit_seconds"] = time.perf_counter() - start
            row.update(scores(y[test], model.predict(X_test), _score_of(model, X_test)))
            if untuned(model):
                row["note"] = UNTUNED_NOTE
            if task.method.tune:
                row["chosen"] = model.chosen
    except Exception as exc:  # reported in the output, never fatal
        last = traceback.extract_tb(exc.__traceback__)[-1]
        row["error"] = (
            f"{type(exc).__name__}: {exc} ({os.path.basename(last.filename)}:{last.lineno})"
        )
    return row


def _write_cached(row, task, cache_dir):
    """Write one finished run (in the main process: workers of a remote
    cluster need not share its disk)."""
    path = os.path.join(cache_dir, task.key + ".json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(row, f)
    os.replace(tmp, path)  # a killed run never leaves half a file behind


def threads_per_worker(n_jobs, cpu_count=None):
    """CPU threads each parallel run may use: the cores shared out among the
    workers (one each for ``n_jobs=-1`` or a cluster); None for one run at a
    time (the libraries' own defaults)."""
    cpu_count = cpu_count or os.cpu_count() or 1
    if n_jobs is None or n_jobs == 1:
        return None
    workers = cpu_count if n_jobs < 0 else min(n_jobs, cpu_count)
    return max(1, cpu_count // workers)


def _run_one(task, dataset, train, test, device, threads=None):
    """One run in a worker, limited to ``threads`` CPU threads: torch's
    intra-op pool and the BLAS and OpenMP pools (threadpoolctl). Without the
    limit, torch's threads in two workers on a busy machine wait on each other
    and a run slows many times over."""
    if threads is None:
        return task, run_task(task, dataset.X, dataset.y, train, test, device)
    import torch
    from threadpoolctl import threadpool_limits

    previous = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        with threadpool_limits(limits=threads):
            row = run_task(task, dataset.X, dataset.y, train, test, device)
    finally:
        torch.set_num_threads(previous)
    return task, row


def load_cached(task, cache_dir, packed=None):
    """The cached row of ``task``: its file in ``cache_dir``, else its entry
    in ``packed`` (a dict from :func:`load_packed`), else None."""
    path = os.path.join(cache_dir, task.key + ".json")
    if not os.path.exists(path):
        return (packed or {}).get(task.key)
    with open(path) as f:
        return json.load(f)


#: The packed runs of a benchmark, beside its ``cache`` folder.
PACKED = "runs.jsonl.gz"


def packed_path(cache_dir):
    return os.path.join(os.path.dirname(os.path.normpath(cache_dir)), PACKED)


def load_packed(cache_dir):
    """``{key: row}`` of the packed runs beside ``cache_dir`` (empty if none)."""
    path = packed_path(cache_dir)
    if not os.path.exists(path):
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as f:
        entries = (json.loads(line) for line in f if line.strip())
        return {entry["key"]: entry["row"] for entry in entries}


def write_packed(cache_dir, rows_by_key):
    """Pack ``rows_by_key`` with the runs already packed beside ``cache_dir``
    (none is dropped) into :data:`PACKED`, written whole or not at all."""
    merged = {**load_packed(cache_dir), **rows_by_key}
    path = packed_path(cache_dir)
    tmp = path + ".tmp"
    with open(tmp, "wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
            for key in sorted(merged):
                line = json.dumps({"key": key, "row": merged[key]})
                f.write((line + "\n").encode("utf-8"))
    os.replace(tmp, path)
    return path


def execute(
    tasks, splits, datasets, cache_dir, n_jobs=1, device="cpu", progress=True, scheduler=None
):
    """Run the tasks not yet cached; return every finished row.

    Runs go through joblib (``n_jobs`` processes), or to the Dask cluster at
    ``scheduler`` through joblib's dask backend. Each finished run is cached
    as it arrives; a KeyboardInterrupt stops the benchmark and returns the rows
    finished so far with ``interrupted=True``.
    """
    import contextlib

    from joblib import Parallel, delayed, parallel_config
    from tqdm.auto import tqdm

    os.makedirs(cache_dir, exist_ok=True)
    by_name = {d.name: d for d in datasets}
    packed = load_packed(cache_dir)
    rows, todo, finished = [], [], {}
    for task in tasks:
        cached = load_cached(task, cache_dir, packed)
        if cached is None:
            todo.append(task)
        else:
            rows.append(cached)
            finished[task.key] = cached
    interrupted = False
    bar = tqdm(total=len(tasks), initial=len(rows), disable=not progress, desc="benchmark")
    backend = contextlib.nullcontext()
    client = None
    if scheduler is not None and todo:
        from dask.distributed import Client

        client = Client(scheduler)
        backend = parallel_config(backend="dask")
        n_jobs = -1
    threads = 1 if client is not None else threads_per_worker(n_jobs)
    try:
        with backend:
            jobs = (
                delayed(_run_one)(
                    task, by_name[task.dataset], *splits[task.dataset][task.split], device, threads
                )
                for task in todo
            )
            for task, row in Parallel(n_jobs=n_jobs, return_as="generator_unordered")(jobs):
                _write_cached(row, task, cache_dir)
                rows.append(row)
                finished[task.key] = row
                bar.set_postfix_str(f"{row['dataset']} {row['method']} {row['classifier']}")
                bar.update(1)
    except KeyboardInterrupt:
        interrupted = True
    finally:
        bar.close()
        if client is not None:
            client.close()
        if finished:
            write_packed(cache_dir, finished)
    return rows, interrupted
