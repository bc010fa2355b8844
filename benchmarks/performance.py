"""Time and peak memory of PolarityGANSampler.fit_resample against SMOTE.

Synthetic data (``make_classification``, 64 features, imbalance about 1:20) at
1k, 10k and 100k samples. Each measurement runs in a fresh process so that the
peak resident memory (``ru_maxrss``) belongs to that one fit; the resident
memory of the same process after imports, before the fit, is reported too.

    python -m benchmarks.performance                 # 3 repeats, prints a table
    python -m benchmarks.performance --repeats 5 --out benchmarks/results/performance.md
    python -m benchmarks.performance --device cuda   # the GAN fits on a GPU

The current defaults are timed beside the sampler's earlier defaults
(``OLD_DEFAULTS``, before its first speed-up; ``PREVIOUS_DEFAULTS``, before
its cheaper steps) and SMOTE, taking turns within each repeat.
"""

import time

from ._harness import Report, in_fresh_process, median, parser, rss_mb

SIZES = (1_000, 10_000, 100_000)

# The sampler's earlier defaults (the paper's learning rate, 1,000 steps after a
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
# The defaults before the cheaper steps (batch 64, the gradient penalty on one
# critic update in four).
PREVIOUS_DEFAULTS = dict(batch_size=128, gp_every=1)
METHODS = ("SMOTE", "PolarityGAN", "PolarityGAN previous defaults", "PolarityGAN old defaults")
PARAMS = {
    "PolarityGAN": {},
    "PolarityGAN previous defaults": PREVIOUS_DEFAULTS,
    "PolarityGAN old defaults": OLD_DEFAULTS,
}


def measure(method, n_samples, seed, device):
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
        sampler = PolarityGANSampler(random_state=seed, device=device, **PARAMS[method])
    before = rss_mb()
    start = time.perf_counter()
    X_res, _ = sampler.fit_resample(X, y)
    seconds = time.perf_counter() - start
    return dict(
        method=method,
        n_samples=n_samples,
        seconds=seconds,
        rss_before_mb=before,
        n_new=len(X_res) - len(X),
    )


def run(sizes, repeats, methods=METHODS, device="cpu"):
    """Every method at every size, ``repeats`` times, each fit in a fresh process.

    The methods take turns within each repeat, so that a slow spell of a shared
    machine affects them alike.
    """
    rows = []
    for n in sizes:
        for r in range(repeats):
            for method in methods:
                row = in_fresh_process(measure, method, n, r, device)
                rows.append(row)
                print(
                    f"{method:>26} n={n:>7} run {r}: {row['seconds']:.2f} s, "
                    f"peak {row['peak_mb']:.0f} MB",
                    flush=True,
                )
    return rows


def table(rows, sizes, methods=METHODS):
    def med(method, n, key):
        return median(rows, key, method=method, n_samples=n)

    new, previous, old = "PolarityGAN", "PolarityGAN previous defaults", "PolarityGAN old defaults"
    lines = [
        "| n_samples | SMOTE s | PolarityGAN s | previous defaults s | old defaults s | "
        "PolarityGAN / SMOTE | previous / new | old / new | SMOTE peak MB | "
        "PolarityGAN peak MB | previous defaults peak MB | RSS before fit MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def med_if(method, n, key):
        return med(method, n, key) if method in methods else float("nan")

    for n in sizes:
        s = med_if("SMOTE", n, "seconds")
        p = med(new, n, "seconds")
        v = med_if(previous, n, "seconds")
        o = med_if(old, n, "seconds")
        lines.append(
            f"| {n:,} | {s:.2f} | {p:.2f} | {v:.2f} | {o:.2f} | {p / s:.0f}x | {v / p:.2f}x | "
            f"{o / p:.2f}x | {med_if('SMOTE', n, 'peak_mb'):.0f} | "
            f"{med(new, n, 'peak_mb'):.0f} | {med_if(previous, n, 'peak_mb'):.0f} | "
            f"{med(new, n, 'rss_before_mb'):.0f} |"
        )
    return "\n".join(lines)


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    p.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    p.add_argument("--device", default="cpu", help="device of the GAN fits (cpu, cuda)")
    args = p.parse_args(argv)
    if "PolarityGAN" not in args.methods:
        p.error("--methods must include PolarityGAN (the table is built around it)")
    report = Report("performance", argv, args.out)
    rows = run(args.sizes, args.repeats, args.methods, args.device)
    settings = (
        f"Medians of {args.repeats} runs, each in a fresh process; PolarityGANSampler with "
        f"the current defaults, the previous ones ({PREVIOUS_DEFAULTS}) and the old ones "
        f"({OLD_DEFAULTS}); 64 features, "
        "imbalance 1:20, brought to balance."
    )
    report.write(settings, table(rows, args.sizes, args.methods), device=args.device)


if __name__ == "__main__":
    main()
