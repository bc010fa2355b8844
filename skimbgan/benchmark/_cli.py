"""``skimbgan benchmark``: does a method for imbalance help on this data?"""

import argparse
import os
import platform
import shlex
import sys
import time
from dataclasses import dataclass

from . import _data, _methods, _report, _run

DESCRIPTION = """\
Compare ways of handling class imbalance (class weights, a tuned threshold,
SMOTE and its family, PolarityGANSampler, EGANClassifier) on the same repeated
stratified splits, scored at the data's real prevalence, with tests of
significance over data sets. Resampling and threshold tuning happen inside the
training folds only. With no arguments: the 'quick' profile (three KEEL data
sets, a few minutes on 2 CPU cores).
"""

EPILOG = """\
examples:
  skimbgan benchmark
  skimbgan benchmark --data dev --classifiers lr,rf,hgb --out results/dev
  skimbgan benchmark --data my.csv --target label --methods threshold,smote+threshold,polarity
  skimbgan benchmark --methods smote,polarity:n_steps=400,polarity+threshold
"""


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skimbgan benchmark",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--data",
        default="quick",
        help="profiles (quick, dev, heldout, fmnist), KEEL data set names, Fashion-MNIST "
        "tasks (fmnist:MAJORITY-MINORITY[:RATIO[:N_MAJORITY]], e.g. fmnist:0-6:100), or a "
        "CSV/Parquet file; comma-separated (default: quick)",
    )
    parser.add_argument("--target", help="class column of a CSV/Parquet file")
    parser.add_argument(
        "--methods",
        nargs="+",
        default=[_methods.DEFAULT_METHODS],
        help=f"comma- or space-separated (default: {_methods.DEFAULT_METHODS}); "
        f"valid: {', '.join(_methods.valid_method_names())}",
    )
    parser.add_argument(
        "--classifiers",
        nargs="+",
        default=["lr,rf"],
        help=f"among {', '.join(_methods.CLASSIFIERS)} (default: lr,rf)",
    )
    parser.add_argument("--folds", type=int, help="folds per repeat (default: 5)")
    parser.add_argument("--repeats", type=int, help="repeats (default: the profile's, else 2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the splits (default: 0)")
    parser.add_argument(
        "--metric",
        default="f1",
        choices=_run.METRICS,
        help="metric of the ranks, tests and diagrams (default: f1, the minority's F1)",
    )
    parser.add_argument("--out", default="skimbgan-benchmark", help="output folder")
    parser.add_argument("--n-jobs", type=int, default=1, help="parallel runs (joblib)")
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask cluster at ADDRESS (e.g. tcp://10.0.0.5:8786) through "
        "joblib's dask backend; needs dask[distributed]",
    )
    parser.add_argument("--device", default="cpu", help="device of the GAN methods")
    parser.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def _positive(parser, value, name):
    if value is not None and value < 1:
        parser.error(f"{name} must be a positive integer, got {value}.")


def main(argv=None):
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(argv)
    args.command_line = " ".join(shlex.quote(a) for a in argv)
    _positive(parser, args.folds, "--folds")
    _positive(parser, args.repeats, "--repeats")
    try:
        methods = _methods.parse_methods(args.methods)
        classifiers = _methods.parse_classifiers(args.classifiers)
        names, profile = _data.expand(args.data)
        _data.check_names(names)
    except ValueError as exc:
        parser.error(str(exc))
    folds = args.folds or (profile["folds"] if profile else 5)
    if folds < 2:
        parser.error("--folds must be at least 2.")
    repeats = args.repeats or (profile["repeats"] if profile else 2)
    if args.scheduler:
        try:
            import distributed  # noqa: F401
        except ImportError:
            parser.error("--scheduler needs Dask: pip install 'dask[distributed]'.")
    return run(args, methods, classifiers, names, folds, repeats)


def run(args, methods, classifiers, names, folds, repeats):
    os.makedirs(args.out, exist_ok=True)
    datasets, load_errors = [], []
    for name in names:
        try:
            dataset = _data.load(name, args.target, os.path.join(args.out, "cache", "embeddings"))
        except Exception as exc:  # reported, not fatal
            load_errors.append((name, f"{type(exc).__name__}: {exc}"))
            print(f"skipping data set {name}: {exc}", file=sys.stderr)
            continue
        if int(dataset.y.sum()) < folds:
            load_errors.append(
                (name, f"{int(dataset.y.sum())} minority samples: fewer than --folds {folds}")
            )
            print(f"skipping data set {name}: too few minority samples", file=sys.stderr)
            continue
        datasets.append(dataset)
    start = time.time()
    tasks, splits = _run.make_tasks(
        datasets, methods, classifiers, folds, repeats, args.seed, args.device
    )
    rows, interrupted = _run.execute(
        tasks,
        splits,
        datasets,
        os.path.join(args.out, "cache"),
        n_jobs=args.n_jobs,
        device=args.device,
        progress=not args.quiet,
        scheduler=args.scheduler,
    )
    plan = Plan(datasets, load_errors, methods, classifiers, folds, repeats, len(tasks))
    write_outputs(args, plan, rows, time.time() - start, interrupted)
    if interrupted:
        print(
            f"interrupted: {len(rows)} of {len(tasks)} runs kept; re-run to resume.",
            file=sys.stderr,
        )
        return 130
    return 0


@dataclass
class Plan:
    """What a benchmark invocation set out to run."""

    datasets: list
    load_errors: list
    methods: list
    classifiers: list
    folds: int
    repeats: int
    n_tasks: int


def write_outputs(args, plan, rows, seconds, interrupted):
    """The CSV of every run, the Markdown summary and the plots under ``args.out``."""
    import pandas as pd

    datasets, load_errors, methods, classifiers = (
        plan.datasets,
        plan.load_errors,
        plan.methods,
        plan.classifiers,
    )
    folds, repeats, n_tasks = plan.folds, plan.repeats, plan.n_tasks

    df = _report.results_frame(rows, classifiers)
    raw = pd.DataFrame(rows)
    raw.to_csv(os.path.join(args.out, "results.csv"), index=False)
    import sklearn
    import torch

    import skimbgan

    described = "; ".join(
        f"{d.name} ({len(d.y)} samples, {d.X.shape[1]} features, imbalance "
        f"{d.imbalance_ratio:.1f}:1)"
        for d in datasets
    )
    header = "\n".join(
        [
            "# skimbgan benchmark",
            "",
            f"Command: `skimbgan benchmark {args.command_line}`".rstrip(),
            "",
            f"Data: {described or 'none loaded'}.",
            f"Splits: {folds}-fold stratified cross-validation x {repeats} (seed {args.seed}), "
            "the same for every method; scaling, resampling and threshold tuning inside the "
            "training folds; scores on the test folds, at the data's real prevalence.",
            f"Methods: {', '.join(m.name for m in methods)}. Classifiers: "
            + ", ".join(f"{c} ({_methods.CLASSIFIERS[c]})" for c in classifiers)
            + ".",
            f"Runs: {len(rows)} of {n_tasks} finished"
            + (" (interrupted: re-run the same command to resume)" if interrupted else "")
            + f"; wall time of this invocation {seconds:.0f} s (cached runs count as zero), "
            + (f"Dask cluster {args.scheduler}." if args.scheduler else f"{args.n_jobs} job(s)."),
            f"Machine: {os.cpu_count()} CPU cores ({platform.machine()}), Python "
            f"{platform.python_version()}, skimbgan {skimbgan.__version__}, scikit-learn "
            f"{sklearn.__version__}, torch {torch.__version__}; GAN methods on {args.device}.",
        ]
    )
    if load_errors:
        header += "\n\nData sets skipped:\n\n" + "\n".join(
            f"- {name}: {error}" for name, error in load_errors
        )
    text = _report.summary(df, classifiers, args.metric, header) if len(df) else header
    with open(os.path.join(args.out, "summary.md"), "w") as f:
        f.write(text + "\n")
    written = []
    if len(df) and not args.no_plots:
        written = _report.plots(df, classifiers, args.metric, args.out)
    print(text)
    print(
        f"\nwritten: {args.out}/results.csv, {args.out}/summary.md"
        + "".join(f", {p}" for p in written)
    )
