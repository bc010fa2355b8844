"""What a fit costs: each estimator against a fixed torch workload and its baseline.

Every figure is a median over ``--repeats`` fits on fixed synthetic data
(``make_classification``, seed 0), timed in this one process beside:

- the *reference workload*: 1,000 Adam steps of a small torch MLP
  (20 -> 128 -> 128 -> 1, LeakyReLU, batch 128, binary cross-entropy) on a
  2,000 x 20 table. It says how fast this machine runs small torch work, so a
  ratio to it carries over between machines where seconds do not;
- the *baseline* the estimator competes with in ``skimbgan benchmark``: a
  logistic regression with a tuned decision threshold
  (``TunedThresholdClassifierCV``, F1, 5-fold) for the classifiers and for the
  sampler (``polarity+threshold`` against ``threshold``); for
  ``PolarityGANClassifier``, frozen ``ImageEmbedder()`` features with a
  class-weighted logistic regression, fitted on the same images; for
  image-mode ``EGANClassifier`` the same at its input size, 64 pixels
  (``ImageEmbedder(input_size=64)``).

The images are a few hundred of Fashion-MNIST's (the ``tops`` subset of
``benchmarks.polarity_small``, seed 0: 300, 60 and 20 images of three
classes), and for image-mode eGAN the eGAN protocol at 1:100 (5,000
T-shirts against 50 shirts, the first development pair of
``benchmarks.egan``, seed 0); their rows are left out when Debian's
``dataset-fashion-mnist`` is not installed. An image-mode eGAN fit takes
minutes on a CPU: it has no GridSearchCV row (``--no-grid`` is implied for
it).

Then each estimator's ``GridSearchCV`` over a small grid (2 candidates x 3
folds, one job), the way a user would tune it. Measurements take turns within
each repeat (reference, baseline, estimator, ...), so drift on a shared
machine reaches all of them alike.

``--profile`` prints, for one fit of each estimator, the top entries of
Python's profiler by own time: where the time goes.

    python -m benchmarks.cost                           # 3 repeats
    python -m benchmarks.cost --repeats 5 --out benchmarks/results/cost.md
    python -m benchmarks.cost --profile --only egan     # where eGAN's fit spends its time
    python -m benchmarks.cost --only PolarityGANClassifier --repeats 3   # one row
    python -m benchmarks.cost --only "EGANClassifier() defaults,polarity+threshold"
    python -m benchmarks.cost --device cuda             # the GAN fits on a GPU
"""

import cProfile
import io
import pstats
import statistics
import time

from ._harness import Report, parser


def reference_workload(seed=0):
    """Seconds of 1,000 Adam steps of a 20-128-128-1 MLP at batch 128."""
    import torch
    from torch import nn

    generator = torch.Generator().manual_seed(seed)
    X = torch.randn(2000, 20, generator=generator)
    y = (X[:, 0] > 0).float()
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        net = nn.Sequential(
            nn.Linear(20, 128),
            nn.LeakyReLU(0.2),
            nn.Linear(128, 128),
            nn.LeakyReLU(0.2),
            nn.Linear(128, 1),
        )
    optimiser = torch.optim.Adam(net.parameters(), lr=1e-3)
    start = time.perf_counter()
    for _ in range(1000):
        rows = torch.randint(2000, (128,), generator=generator)
        loss = nn.functional.binary_cross_entropy_with_logits(net(X[rows]).squeeze(1), y[rows])
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    return time.perf_counter() - start


#: The images' name in the table.
IMAGES = "380 images"
EGAN_IMAGES = "5,050 images (1:100)"


def tables(with_images=True):
    """The fixed data: ``{"2000x20": (X, y), "482x8": (X, y)}`` (5% and about
    10% minority): a mid-sized table and one of a few hundred rows; and
    ``IMAGES`` (Fashion-MNIST, 28 x 28) when they are installed and asked for."""
    from sklearn.datasets import make_classification

    big = make_classification(
        n_samples=2000, n_features=20, n_informative=8, weights=[0.95], random_state=0
    )
    small = make_classification(
        n_samples=482, n_features=8, n_informative=5, weights=[0.9], random_state=0
    )
    data = {"2000x20": big, "482x8": small}
    if with_images:
        from skimbgan.datasets import load_fashion_mnist

        from ._image_protocols import SUBSETS, subset_rows

        try:
            train = load_fashion_mnist("train")
        except OSError as error:
            print(f"Image rows left out: {error}")
            return data
        rows = subset_rows(train.target, SUBSETS["tops"], seed=0)
        data[IMAGES] = (train.images[rows], train.target[rows])
        data[EGAN_IMAGES] = egan_images(train)
    return data


def egan_images(train):
    """The eGAN protocol at 1:100: 5,000 majority and 50 minority images of the
    first development pair of ``benchmarks.egan``, seed 0; y = 1 the minority."""
    from skimbgan.datasets import make_egan_imbalance

    from .egan import DEV_PAIRS, N_MAJORITY

    return make_egan_imbalance(
        train.images, train.target, *DEV_PAIRS[0], n_majority=N_MAJORITY, n_minority=50,
        random_state=0,
    )  # fmt: skip


def threshold_baseline():
    """The tuned threshold: logistic regression, F1-best cut-off (5-fold)."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import TunedThresholdClassifierCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    return TunedThresholdClassifierCV(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)), scoring="f1"
    )


def embedder_baseline(device, **params):
    """Frozen ``ImageEmbedder(**params)`` features, class-weighted logistic
    regression."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skimbgan import ImageEmbedder

    return lambda: make_pipeline(
        ImageEmbedder(device=device, random_state=0, **params),
        StandardScaler(),
        LogisticRegression(max_iter=2000, class_weight="balanced"),
    )


def baselines(device):
    """``{table: (name, make_estimator, grid)}``: the baseline of each table."""
    threshold = ("tuned threshold (baseline)", threshold_baseline, BASELINE_GRID)
    grid = {"logisticregression__C": [0.1, 1.0]}
    embedder = ("ImageEmbedder() + logistic regression (baseline)", embedder_baseline(device), grid)
    # image-mode eGAN sees 64-pixel images (its input_size): so does its baseline
    small = (
        "ImageEmbedder(input_size=64) + logistic regression (baseline)",
        embedder_baseline(device, input_size=64),
        grid,
    )
    return {"2000x20": threshold, "482x8": threshold, IMAGES: embedder, EGAN_IMAGES: small}


def scoring(table):
    """GridSearchCV's score: average precision of the binary tables, macro F1
    of the three image classes."""
    return "f1_macro" if table == IMAGES else "average_precision"


#: Estimators too slow on a CPU for a GridSearchCV row.
NO_GRID = (
    "EGANClassifier(input_type='images') defaults",
    "EGANClassifier(input_type='images', reconstruction='images')",
)


def estimators(device):
    """``{name: (table, make_estimator, grid)}``: what is timed, on which
    table, and the small grid of its GridSearchCV."""
    from imblearn.pipeline import make_pipeline
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import TunedThresholdClassifierCV
    from sklearn.preprocessing import StandardScaler

    from skimbgan import EGANClassifier, PolarityGANClassifier, PolarityGANSampler

    def egan(**params):
        return lambda: EGANClassifier(device=device, random_state=0, **params)

    def polarity_threshold():
        return TunedThresholdClassifierCV(
            make_pipeline(
                StandardScaler(),
                PolarityGANSampler(device=device, random_state=0),
                LogisticRegression(max_iter=2000),
            ),
            scoring="f1",
        )

    paper = EGANClassifier.paper_params()
    return {
        "EGANClassifier() defaults": ("2000x20", egan(), {"minority_weight": [1.0, 2.0]}),
        "EGANClassifier(paper's settings)": ("2000x20", egan(**paper), {"dropout": [0.2, 0.3]}),
        "polarity+threshold (PolarityGANSampler)": (
            "482x8",
            polarity_threshold,
            {"estimator__polaritygansampler__n_steps": [500, 1000]},
        ),
        "PolarityGANClassifier() defaults": (
            IMAGES,
            lambda: PolarityGANClassifier(device=device, random_state=0),
            {"use_gan": [True, False]},
        ),
        NO_GRID[0]: (EGAN_IMAGES, egan(input_type="images"), None),
        NO_GRID[1]: (EGAN_IMAGES, egan(input_type="images", reconstruction="images"), None),
    }


BASELINE_GRID = {"estimator__logisticregression__C": [0.1, 1.0]}


def select(specs, only):
    """The estimators ``--only`` names: the one of exactly that name, or for
    each comma-separated part, the one of exactly that name, or else those
    whose name contains it."""
    if not only:
        return specs
    whole = [name for name in specs if name.lower() == only.strip().lower()]
    if whole:  # a name with commas in it
        return {whole[0]: specs[whole[0]]}
    chosen = {}
    for part in (p.strip().lower() for p in only.split(",") if p.strip()):
        exact = [name for name in specs if name.lower() == part]
        for name in exact or [name for name in specs if part in name.lower()]:
            chosen[name] = specs[name]
    return chosen


def timed(make, X, y):
    start = time.perf_counter()
    make().fit(X, y)
    return time.perf_counter() - start


def grid_seconds(make, grid, X, y, score="average_precision"):
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    search = GridSearchCV(make(), grid, cv=StratifiedKFold(3), scoring=score)
    start = time.perf_counter()
    search.fit(X, y)
    return time.perf_counter() - start


def profile(name, make, X, y, top):
    """The ``top`` entries of cProfile by own time for one fit of ``make()``."""
    profiler = cProfile.Profile()
    model = make()
    profiler.enable()
    model.fit(X, y)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
    stats.print_stats(top)
    lines = out.getvalue().strip().splitlines()
    keep = [line for line in lines if line.strip()][-(top + 1) :]
    return f"### {name}\n\n```\n" + "\n".join(keep) + "\n```\n"


def main(argv=None):
    p = parser(__doc__)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--device", default="cpu")
    p.add_argument("--no-grid", action="store_true", help="skip the GridSearchCV timings")
    p.add_argument("--profile", action="store_true", help="profile one fit of each estimator")
    p.add_argument("--top", type=int, default=15, help="profiler entries per estimator")
    p.add_argument(
        "--only",
        help="comma-separated names: the estimator of that exact name, or else every "
        "estimator whose name contains it (case-insensitive)",
    )
    args = p.parse_args(argv)
    report = Report("cost", argv, args.out)
    chosen = select(estimators(args.device), args.only)
    images = {IMAGES, EGAN_IMAGES}
    data = tables(with_images=any(table in images for table, _, _ in chosen.values()))
    chosen = {name: spec for name, spec in chosen.items() if spec[0] in data}
    if args.profile:
        body = "\n".join(
            profile(name, make, *data[table], args.top) for name, (table, make, _) in chosen.items()
        )
        report.write(
            "Top entries of Python's profiler (own time), one fit each.", body, args.device
        )
        return

    used = [table for table in data if any(spec[0] == table for spec in chosen.values())]
    base = {table: baselines(args.device)[table] for table in used}
    times = {"reference": [], **{f"baseline {t}": [] for t in used}, **{n: [] for n in chosen}}
    for _ in range(args.repeats):
        times["reference"].append(reference_workload())
        for table in used:
            times[f"baseline {table}"].append(timed(base[table][1], *data[table]))
        for name, (table, make, _) in chosen.items():
            times[name].append(timed(make, *data[table]))
    med = {key: statistics.median(values) for key, values in times.items()}
    grids = {}
    if not args.no_grid:
        for table in used:
            _, make, grid = base[table]
            grids[f"baseline {table}"] = grid_seconds(make, grid, *data[table], scoring(table))
        for name, (table, make, grid) in chosen.items():
            if grid is not None:
                grids[name] = grid_seconds(make, grid, *data[table], scoring(table))

    rows = [
        dict(
            estimator="reference workload (1,000 MLP steps)",
            table="2000x20",
            fit_seconds=med["reference"],
            x_reference=1.0,
            x_baseline=float("nan"),
            grid_seconds=float("nan"),
        )
    ]
    for table in used:
        key = f"baseline {table}"
        rows.append(
            dict(
                estimator=base[table][0],
                table=table,
                fit_seconds=med[key],
                x_reference=med[key] / med["reference"],
                x_baseline=1.0,
                grid_seconds=grids.get(key, float("nan")),
            )
        )
    for name, (table, _, _) in chosen.items():
        rows.append(
            dict(
                estimator=name,
                table=table,
                fit_seconds=med[name],
                x_reference=med[name] / med["reference"],
                x_baseline=med[name] / med[f"baseline {table}"],
                grid_seconds=grids.get(name, float("nan")),
            )
        )
    import pandas as pd

    table = pd.DataFrame(rows).to_markdown(index=False, floatfmt=".3g")
    settings = (
        f"Median of {args.repeats} fits each, taking turns within each repeat; ratios to the "
        "reference workload and to the baseline on the same data, measured in the same run. "
        "GridSearchCV: 2 candidates x 3 folds, one job, one run (average precision; macro F1 "
        "on the images). Tables: make_classification 2000 x 20 (5% minority) and 482 x 8 "
        "(10% minority), seed 0. Images: Fashion-MNIST, 380 training images of three "
        "classes (300 / 60 / 20), 28 x 28; for image-mode eGAN 5,000 T-shirts and 50 "
        "shirts (no GridSearchCV row)."
    )
    report.write(settings, table, args.device, rows=rows)


if __name__ == "__main__":
    main()
