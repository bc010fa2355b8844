"""Time and peak memory of PolarityGANSampler.fit_resample against SMOTE.

Synthetic data (``make_classification``, 64 features, imbalance about 1:20) at
1k, 10k and 100k samples. Each measurement runs in a fresh process so that the
peak resident memory (``ru_maxrss``) belongs to that one fit; the resident
memory of the same process after imports, before the fit, is reported too.

    python -m benchmarks.performance                 # 3 repeats, prints a table
    python -m benchmarks.performance --repeats 5 --out benchmarks/results/performance.md
    python -m benchmarks.performance --device cuda   # the GAN fits on a GPU

The current defaults are timed beside the defaults of skimbgan 0.1
(``OLD_DEFAULTS``) and SMOTE, taking turns within each repeat.
"""

import argparse
import multiprocessing as mp
import os
import platform
import resource
import statistics
import sys
import time

SIZES = (1_000, 10_000, 100_000)


def _rss_mb():
    # current resident set size, from /proc (Linux)
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


# The defaults of skimbgan 0.1 (the paper's learning rate, 1,000 steps after a
# 300-step autoencoder initialisation): the reference the new defaults are
# measured against.
OLD_DEFAULTS = dict(
    n_steps=1000,
    init="autoencoder",
    pretrain_steps=300,
    generator_lr=2e-4,
    critic_lr=2e-4,
    classifier_lr=2e-4,
)
METHODS = ("SMOTE", "PolarityGAN", "PolarityGAN old defaults")


def _measure(method, n_samples, seed, device, queue):
    import numpy as np
    from imblearn.over_sampling import SMOTE
    from sklearn.datasets import make_classification

    from skimbgan import PolarityGANSampler

    X, y = make_classification(
        n_samples=n_samples,
        n_features=64,
        n_informative=16,
        weights=[20 / 21],
        flip_y=0,
        random_state=seed,
    )
    X = X.astype(np.float64)
    if method == "SMOTE":
        sampler = SMOTE(random_state=seed)
    else:
        params = OLD_DEFAULTS if method.endswith("old defaults") else {}
        sampler = PolarityGANSampler(random_state=seed, device=device, **params)
    before = _rss_mb()
    start = time.perf_counter()
    X_res, _ = sampler.fit_resample(X, y)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put(
        dict(
            method=method,
            n_samples=n_samples,
            seconds=seconds,
            rss_before_mb=before,
            peak_mb=peak,
            n_new=len(X_res) - len(X),
        )
    )


def run(sizes, repeats, methods=METHODS, device="cpu"):
    """Every method at every size, ``repeats`` times, each fit in a fresh process.

    The methods take turns within each repeat, so that a slow spell of a shared
    machine affects them alike.
    """
    ctx = mp.get_context("spawn")
    rows = []
    for n in sizes:
        for r in range(repeats):
            for method in methods:
                queue = ctx.Queue()
                proc = ctx.Process(target=_measure, args=(method, n, r, device, queue))
                proc.start()
                row = queue.get()
                proc.join()
                rows.append(row)
                print(
                    f"{method:>26} n={n:>7} run {r}: {row['seconds']:.2f} s, "
                    f"peak {row['peak_mb']:.0f} MB",
                    flush=True,
                )
    return rows


def table(rows, sizes, methods=METHODS):
    def med(method, n, key):
        return statistics.median(
            r[key] for r in rows if r["method"] == method and r["n_samples"] == n
        )

    new, old = "PolarityGAN", "PolarityGAN old defaults"
    lines = [
        "| n_samples | SMOTE s | PolarityGAN s | PolarityGAN old defaults s | "
        "PolarityGAN / SMOTE | old / new | SMOTE peak MB | PolarityGAN peak MB "
        "| RSS before fit MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        s = med("SMOTE", n, "seconds") if "SMOTE" in methods else float("nan")
        p = med(new, n, "seconds")
        o = med(old, n, "seconds") if old in methods else float("nan")
        smote_peak = med("SMOTE", n, "peak_mb") if "SMOTE" in methods else float("nan")
        lines.append(
            f"| {n:,} | {s:.2f} | {p:.2f} | {o:.2f} | {p / s:.0f}x | {o / p:.2f}x | "
            f"{smote_peak:.0f} | {med(new, n, 'peak_mb'):.0f} | "
            f"{med(new, n, 'rss_before_mb'):.0f} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--device", default="cpu", help="device of the GAN fits (cpu, cuda)")
    parser.add_argument("--out", help="also write the markdown table here")
    args = parser.parse_args(argv)
    if "PolarityGAN" not in args.methods:
        parser.error("--methods must include PolarityGAN (the table is built around it)")
    rows = run(args.sizes, args.repeats, args.methods, args.device)
    import torch

    header = (
        f"Medians of {args.repeats} runs, each in a fresh process; "
        f"{os.cpu_count()} CPU cores ({platform.processor() or platform.machine()}), "
        f"torch {torch.__version__} with {torch.get_num_threads()} threads, "
        f"PolarityGANSampler on device {args.device!r} with the current defaults and with "
        f"the old ones ({OLD_DEFAULTS}); 64 features, imbalance 1:20, brought to balance.\n\n"
        f"Command: `python -m benchmarks.performance {' '.join(sys.argv[1:])}`\n\n"
    )
    text = header + table(rows, args.sizes, args.methods)
    print(text)
    if args.out:
        os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
