"""Time and peak memory of PolarityGANSampler.fit_resample against SMOTE.

Synthetic data (``make_classification``, 64 features, imbalance about 1:20) at
1k, 10k and 100k samples. Each measurement runs in a fresh process so that the
peak resident memory (``ru_maxrss``) belongs to that one fit; the resident
memory of the same process after imports, before the fit, is reported too.

    python -m benchmarks.performance                 # 3 repeats, prints a table
    python -m benchmarks.performance --repeats 5 --out benchmarks/results/performance.md
"""

import argparse
import multiprocessing as mp
import os
import platform
import resource
import statistics
import time

SIZES = (1_000, 10_000, 100_000)


def _rss_mb():
    # current resident set size, from /proc (Linux)
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _measure(method, n_samples, seed, queue):
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
    sampler = (
        SMOTE(random_state=seed)
        if method == "SMOTE"
        else PolarityGANSampler(random_state=seed, device="cpu")
    )
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


def run(sizes, repeats):
    ctx = mp.get_context("spawn")
    rows = []
    for n in sizes:
        for method in ("SMOTE", "PolarityGANSampler"):
            for r in range(repeats):
                queue = ctx.Queue()
                proc = ctx.Process(target=_measure, args=(method, n, r, queue))
                proc.start()
                row = queue.get()
                proc.join()
                rows.append(row)
                print(
                    f"{method:>18} n={n:>7} run {r}: {row['seconds']:.2f} s, "
                    f"peak {row['peak_mb']:.0f} MB",
                    flush=True,
                )
    return rows


def table(rows, sizes):
    def med(method, n, key):
        return statistics.median(
            r[key] for r in rows if r["method"] == method and r["n_samples"] == n
        )

    base_10k = med("PolarityGANSampler", 10_000, "seconds") if 10_000 in sizes else None
    lines = [
        "| n_samples | SMOTE s | PolarityGAN s | PolarityGAN / SMOTE | "
        "PolarityGAN / its 10k time | SMOTE peak MB | PolarityGAN peak MB "
        "| PolarityGAN RSS before fit MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        s, p = med("SMOTE", n, "seconds"), med("PolarityGANSampler", n, "seconds")
        scale = f"{p / base_10k:.2f}" if base_10k else "-"
        lines.append(
            f"| {n:,} | {s:.2f} | {p:.2f} | {p / s:.0f}x | {scale} | "
            f"{med('SMOTE', n, 'peak_mb'):.0f} | "
            f"{med('PolarityGANSampler', n, 'peak_mb'):.0f} | "
            f"{med('PolarityGANSampler', n, 'rss_before_mb'):.0f} |"
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--out", help="also write the markdown table here")
    args = parser.parse_args(argv)
    rows = run(args.sizes, args.repeats)
    import torch

    header = (
        f"Medians of {args.repeats} runs, each in a fresh process; "
        f"{os.cpu_count()} CPU cores ({platform.processor() or platform.machine()}), "
        f"torch {torch.__version__} with {torch.get_num_threads()} threads, "
        "default PolarityGANSampler on the CPU; 64 features, imbalance 1:20.\n\n"
    )
    text = header + table(rows, args.sizes)
    print(text)
    if args.out:
        os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
