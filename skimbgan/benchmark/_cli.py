"""``skimbgan benchmark``: does a method for imbalance help on this data?"""

import argparse
import dataclasses
import os
import platform
import shlex
import sys
import time
from dataclasses import dataclass, field

from . import _checks, _data, _methods, _mixed_pipelines, _report, _run

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
  skimbgan benchmark --data mixed --classifiers lr,rf,hgb
  skimbgan benchmark --methods smote,polarity:n_steps=400,polarity+threshold
"""


def _version():
    from .. import __version__

    return __version__


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skimbgan benchmark",
        description=DESCRIPTION,
        epilog=_methods.method_help() + "\n\n" + EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--data",
        default="quick",
        help="profiles (quick, dev, heldout, fmnist, mixed), KEEL data set names (a set with "
        "nominal attributes as categorical columns: mixed:NAME, e.g. mixed:car_good), "
        "Fashion-MNIST tasks (fmnist:MAJORITY-MINORITY[:RATIO[:N_MAJORITY]], e.g. "
        "fmnist:0-6:100), or a CSV/Parquet file (numeric, categorical and bool columns, "
        "missing values imputed); comma-separated (default: quick)",
    )
    parser.add_argument("--target", help="class column of a CSV/Parquet file")
    parser.add_argument(
        "--categorical",
        metavar="COLUMNS",
        help="comma-separated columns of a CSV/Parquet file to treat as categorical besides its "
        "text, category and bool columns (numbers that are codes, such as a region number)",
    )
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
    parser.add_argument(
        "--n-jobs",
        type=int,
        default=None,
        help="parallel runs (joblib; default: one per CPU core, each limited to its share of "
        "the cores, when there are more than 4 runs to do per core; else 1)",
    )
    parser.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on the Dask cluster at ADDRESS (e.g. tcp://10.0.0.5:8786) through "
        "joblib's dask backend; needs dask[distributed]",
    )
    parser.add_argument("--device", default="cpu", help="device of the GAN methods")
    parser.add_argument("--no-plots", action="store_true", help="skip the PNG plots")
    parser.add_argument(
        "--tune",
        action="store_true",
        help="also run every method tuned: the same small grid budget per method (4 "
        "settings), chosen on --metric by an inner cross-validation of each training fold; "
        "the summary shows tuned and default side by side and the choices per fold",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--version", action="version", version=f"skimbgan {_version()}")
    return parser


def main(argv=None):
    """Run the command; returns the exit status: 0 when runs finished, 1 when
    every run failed, 2 for bad input (every problem listed, nothing run), 130
    when interrupted."""
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    args = parser.parse_args(argv)
    args.command_line = " ".join(shlex.quote(a) for a in argv)
    problems, (methods, classifiers, names, profile) = _checks.argument_problems(args)
    folds = args.folds or (profile["folds"] if profile else 5)
    repeats = args.repeats or (profile["repeats"] if profile else 2)
    if problems:  # still look at the files, to list their problems too
        names = [n for n in names if _data.is_file(n)]
    cache = os.path.join(args.out, "cache", "embeddings")
    categorical = [c for c in (args.categorical or "").split(",") if c.strip()]
    datasets, load_errors = _checks.load_all(
        names, args.target, max(folds, 2), cache, [c.strip() for c in categorical]
    )
    if problems or not datasets:
        problems += [f"{name}: {error}" for name, error in load_errors]
        if not problems:
            problems.append("no data set to run on")
        _checks.report(problems)
        print("nothing was run; see `skimbgan benchmark --help`.", file=sys.stderr)
        return 2
    for name, error in load_errors:
        print(f"skipping data set {name}: {error}", file=sys.stderr)
    if args.tune:
        methods = [*methods, *(dataclasses.replace(m, tune=args.metric) for m in methods)]
    return run(args, methods, classifiers, Plan(datasets, load_errors, folds, repeats))


def run(args, methods, classifiers, plan):
    os.makedirs(args.out, exist_ok=True)
    plan.methods, plan.classifiers = methods, classifiers
    start = time.time()
    tasks, splits = _run.make_tasks(
        plan.datasets, methods, classifiers, plan.folds, plan.repeats, args.seed, args.device
    )
    plan.n_tasks = len(tasks)
    cache_dir = os.path.join(args.out, "cache")
    packed = _run.load_packed(cache_dir)
    done = sum(
        t.key in packed or os.path.exists(os.path.join(cache_dir, t.key + ".json")) for t in tasks
    )
    if args.n_jobs is None:  # worker start-up costs more than it saves on a few runs
        cores = os.cpu_count() or 1
        args.n_jobs = cores if len(tasks) - done > 4 * cores else 1
    if not args.quiet:
        print(plan_line(plan, len(tasks), done, args), file=sys.stderr)
    rows, interrupted = _run.execute(
        tasks,
        splits,
        plan.datasets,
        os.path.join(args.out, "cache"),
        n_jobs=args.n_jobs,
        device=args.device,
        progress=not args.quiet,
        scheduler=args.scheduler,
    )
    write_outputs(args, plan, rows, time.time() - start, interrupted)
    if interrupted:
        print(
            f"interrupted: {len(rows)} of {len(tasks)} runs kept; re-run to resume.",
            file=sys.stderr,
        )
        return 130
    if not any(row["error"] == "" for row in rows):
        print("no run finished: every run failed (see summary.md).", file=sys.stderr)
        return 1
    return 0


def plan_line(plan, n_tasks, done, args):
    """The size of the plan, said before it starts: a run of hours is seen at once."""
    where = f"the Dask cluster {args.scheduler}" if args.scheduler else f"{args.n_jobs} worker(s)"
    tuned = sum(m.tune is not None for m in plan.methods)
    note = f"; {tuned} tuned method(s) fit 13 or more models per run" if tuned else ""
    return (
        f"plan: {n_tasks} runs ({len(plan.datasets)} data set(s) x "
        f"{plan.folds * plan.repeats} splits x {len(plan.methods)} method(s) x "
        f"{len(plan.classifiers)} classifier(s); a classifier of its own runs once per split)"
        f", {done} already in the cache, {n_tasks - done} to run on {where}{note}."
    )


@dataclass
class Plan:
    """What a benchmark invocation set out to run."""

    datasets: list
    load_errors: list
    folds: int
    repeats: int
    methods: list = field(default_factory=list)
    classifiers: list = field(default_factory=list)
    n_tasks: int = 0


def describe(dataset):
    """A data set's size, features, minority label and imbalance, for the summary."""
    n_minority = int(dataset.y.sum())
    note = f"; {dataset.note}" if dataset.note else ""
    note += f"; {dataset.preparation}" if dataset.preparation else ""
    return (
        f"{dataset.name} ({len(dataset.y)} samples, {dataset.X.shape[1]} features, minority "
        f"label {dataset.minority_label!r}: {n_minority} samples{note}; imbalance "
        f"{dataset.imbalance_ratio:.1f}:1)"
    )


def runs_line(rows, n_tasks, interrupted):
    """How many runs were planned, finished, failed and not run."""
    failed = sum(row["error"] != "" for row in rows)
    text = f"Runs: {n_tasks} planned, {len(rows) - failed} finished, {failed} failed"
    if failed:
        text += " (listed at the end)"
    untuned = sum(bool(row.get("note")) for row in rows if row["error"] == "")
    if untuned:
        text += (
            f"; {untuned} finished with the threshold not tuned (constant scores in an "
            "inner fold; listed at the end)"
        )
    if len(rows) < n_tasks:
        text += f", {n_tasks - len(rows)} not run"
        if interrupted:
            text += " (interrupted: re-run the same command to resume)"
    return text


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

    described = "; ".join(describe(d) for d in datasets)
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
            f"Methods: {', '.join(m.name for m in methods)}"
            + (
                f" ('[tuned]': the same method with its parameters chosen on {args.metric} "
                "by an inner cross-validation of each training fold, 4 settings per method)"
                if args.tune
                else ""
            )
            + ". Classifiers: "
            + ", ".join(f"{c} ({_methods.CLASSIFIERS[c]})" for c in classifiers)
            + ".",
            runs_line(rows, n_tasks, interrupted)
            + f"; wall time of this invocation {seconds:.0f} s (cached runs count as zero), "
            + (f"Dask cluster {args.scheduler}." if args.scheduler else f"{args.n_jobs} job(s)."),
            f"Machine: {os.cpu_count()} CPU cores ({platform.machine()}), Python "
            f"{platform.python_version()}, skimbgan {skimbgan.__version__}, scikit-learn "
            f"{sklearn.__version__}, torch {torch.__version__}; GAN methods on {args.device}.",
        ]
    )
    if any(_mixed_pipelines.columns_of(d.X) is not None for d in datasets):
        header += "\n" + _mixed_pipelines.describe_pipelines()
    if load_errors:
        header += "\n\nData sets skipped:\n\n" + "\n".join(
            f"- {name}: {error}" for name, error in load_errors
        )
    if len(df) and not args.quiet:
        n = _report.n_comparisons(df, classifiers, args.metric)
        if n:
            print(
                f"summary: {n} Bayesian comparison(s) of a method against a reference; "
                "with many methods and data sets this takes minutes.",
                file=sys.stderr,
            )
    text = _report.summary(df, classifiers, args.metric, header) if len(df) else header
    with open(os.path.join(args.out, "summary.md"), "w") as f:
        f.write(text + "\n")
    written = []
    if len(df) and not args.no_plots:
        from ._plots import plots

        written = plots(df, classifiers, args.metric, args.out)
    print(text)
    print(
        f"\nwritten: {args.out}/results.csv, {args.out}/summary.md"
        + "".join(f", {p}" for p in written)
    )
