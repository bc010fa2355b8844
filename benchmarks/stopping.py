"""When PolarityGANSampler's training stops, and what its generator did meanwhile.

For each data set (standardised, all of it), one fit with the defaults and
``tol=TOL, n_iter_no_change=2`` and a budget of ``--n-steps`` updates: the
step it stopped at and why (``n_steps_``, ``stop_reason_``), and the generator's
movement at every check (``history_["generator_change"]``: how far a fixed
probe of generated samples moved over 50 updates, in nearest-neighbour
distances).

    python -m benchmarks.stopping                       # the development subset
    python -m benchmarks.stopping --profile heldout --out benchmarks/results/stopping-heldout.md
"""

import warnings

import numpy as np

from skimbgan.benchmark import PROFILES

from ._harness import Report, parser
from ._tabular import load_dataset


def run(datasets, tol, n_steps, seed):
    from sklearn.preprocessing import StandardScaler

    from skimbgan import PolarityGANSampler

    rows = []
    for name in datasets:
        X, y = load_dataset(name)
        X = StandardScaler().fit_transform(X)
        sampler = PolarityGANSampler(
            tol=tol, n_iter_no_change=2, n_steps=n_steps, random_state=seed, device="cpu"
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sampler.fit_resample(X, y)
        change = np.array(sampler.history_["generator_change"])
        change = change[~np.isnan(change)]
        rows.append(
            dict(
                dataset=name,
                stopped_at=sampler.n_steps_,
                reason=sampler.stop_reason_,
                movement=" ".join(f"{c:.2f}" for c in change),
            )
        )
        print(rows[-1], flush=True)
    return rows


def main(argv=None):
    p = parser(__doc__, out="benchmarks/results/stopping-dev.md")
    p.add_argument("--profile", choices=sorted(PROFILES), default="dev")
    p.add_argument("--tol", type=float, default=0.1)
    p.add_argument("--n-steps", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args(argv)
    import pandas as pd

    report = Report("stopping", argv, args.out)
    rows = run(PROFILES[args.profile]["datasets"], args.tol, args.n_steps, args.seed)
    settings = (
        f"PolarityGANSampler(tol={args.tol}, n_iter_no_change=2, n_steps={args.n_steps}, "
        f"random_state={args.seed}), other parameters default, on each whole standardised "
        f"data set of the '{args.profile}' profile. 'movement': the generator's movement at "
        "each check (every 50 updates), in units of the median nearest-neighbour distance "
        "between real samples."
    )
    report.write(settings, pd.DataFrame(rows).to_markdown(index=False))


if __name__ == "__main__":
    main()
