"""The same `skimbgan benchmark` on one process and on a Dask LocalCluster.

Starts a ``dask.distributed.LocalCluster`` (``--workers`` processes, one thread
each), runs the benchmark once in this process (``--n-jobs 1``) and once on
the cluster (``--scheduler``), each into a fresh output folder, and reports
both wall times and whether the results agree.

    python -m benchmarks.dask_scaling --out benchmarks/results/dask-scaling.md
"""

import os
import shutil
import tempfile
import time

from ._harness import Report, parser

ARGS = [
    "--data",
    "quick",
    "--methods",
    "none,class_weight,threshold,smote,smote+threshold,polarity",
    "--classifiers",
    "lr,rf",
    "--quiet",
    "--no-plots",
]


def timed(args):
    from skimbgan.benchmark import main

    start = time.perf_counter()
    code = main(args)
    return time.perf_counter() - start, code


def main(argv=None):
    p = parser(__doc__, out="benchmarks/results/dask-scaling.md")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)
    report = Report("dask_scaling", argv, args.out)
    import pandas as pd
    from distributed import LocalCluster

    root = tempfile.mkdtemp(prefix="skimbgan-dask-")
    try:
        one, code_one = timed([*ARGS, "--n-jobs", "1", "--out", os.path.join(root, "one")])
        with LocalCluster(
            n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster:
            dask, code_dask = timed(
                [
                    *ARGS,
                    "--scheduler",
                    cluster.scheduler_address,
                    "--out",
                    os.path.join(root, "dask"),
                ]
            )
        keys = ["dataset", "split", "method", "classifier"]
        a = pd.read_csv(os.path.join(root, "one", "results.csv")).sort_values(keys)
        b = pd.read_csv(os.path.join(root, "dask", "results.csv")).sort_values(keys)
        metrics = ["f1", "average_precision", "roc_auc"]
        a, b = a.reset_index(drop=True), b.reset_index(drop=True)
        equal = (a[metrics] == b[metrics]).all(axis=1)
        same = {m: bool(equal[a.method == m].all()) for m in a.method.unique()}
    finally:
        shutil.rmtree(root, ignore_errors=True)
    settings = (
        f"`skimbgan benchmark {' '.join(ARGS)}` ({len(a)} runs), once in one process and once "
        f"on a Dask LocalCluster of {args.workers} worker processes with one thread each "
        "(cluster start-up not counted)."
    )
    body = (
        "| where | wall time s | exit status |\n|:--|--:|--:|\n"
        f"| one process (`--n-jobs 1`) | {one:.0f} | {code_one} |\n"
        f"| LocalCluster, {args.workers} workers (`--scheduler`) | {dask:.0f} | {code_dask} |\n\n"
        f"Speed-up {one / dask:.2f}x. Identical scores in both runs, per method: "
        + ", ".join(f"{m}: {'yes' if v else 'no'}" for m, v in same.items())
        + ". (Results that depend on the thread count of torch or of the BLAS library, "
        "1 in each worker and the machine's core count in the single process, may differ "
        "in the last digits.)"
    )
    report.write(settings, body)


if __name__ == "__main__":
    main()
