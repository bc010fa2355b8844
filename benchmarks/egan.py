"""eGAN on Fashion-MNIST in the paper's setting, done honestly.

The eGAN paper's experiment: 5,000 majority training images against 2 (1:2500),
5 (1:1000) or 50 (1:100) minority ones. Here on Fashion-MNIST (CIFAR-10 is not
available offline), with several seeds per setting. Pairs (majority ->
minority): the development pairs T-shirt/top -> Shirt, Sneaker -> Ankle boot
and Bag -> Sandal (the only ones any default was chosen on), and other pairs,
reported without tuning on them.

Test data: every test image of the two classes (1,000 + 1,000, the paper's
balanced test set). Metrics: minority F1 and average precision on that
balanced set (the paper's), and the same at the *training* prevalence, by
weighting each minority test image by the training ratio (n_minority /
n_majority): precision then counts false alarms as they would occur in use.
No method sees test data when it is fitted or when its checkpoint or
threshold is chosen.

The egan methods start from the paper's eGAN (``PAPER_PARAMS``: no real
minority negatives, cut-off 0, learning rate 1e-4, one eGAN), so that the
published rows stay reproducible now that EGANClassifier's defaults extend
it; ``--egan-params`` sets parameters on top (the defaults:
``'{"minority_weight": 1.0, "contamination": "f1", "learning_rate": "auto",
"n_estimators": "auto"}'``).

Methods, on the same training subsets:
- ``egan-images``: EGANClassifier on the images (pretrained EfficientNet-Lite0
  in both networks, the paper's design);
- ``egan-features``: EGANClassifier on ImageEmbedder features (the same
  backbone, frozen, pooled);
- on the same features: logistic regression with class_weight="balanced", the
  same with a tuned threshold (TunedThresholdClassifierCV on F1, inner CV on
  the training data), PolarityGANSampler + logistic regression,
  IsolationForest fitted on the majority alone, a nearest-neighbour rule
  (minority when closer to a minority example than to the k-th nearest
  majority one), the distance to the 5th nearest majority training
  example alone (``knn-majority``: a novelty score that uses no minority
  sample, what eGAN's discriminator learns in the paper's design),
  ``all-minority`` (every test image called minority: balanced F1 2/3, what
  a balanced test set gives away for nothing), and DevNet and Deep SAD
  (deepod), detectors made for a few labelled anomalies among many normal
  samples (PyOD 3.6 ships DevNet but not Deep SAD; deepod ships both).

    python -m benchmarks.egan --settings 2 5 50 --seeds 5
    python -m benchmarks.egan --pairs dev --methods egan-images --seeds 2
    python -m benchmarks.egan --pairs dev --egan-params '{}' '{"minority_weight": 1.0}'

Per-fit results are cached under ``--cache-dir`` (or ``--rows-dir``), packed
into one ``rows.jsonl.gz`` when the run ends: a re-run resumes.
"""

import functools
import hashlib
import json
import os
import time
import warnings

import numpy as np

from skimbgan import EGANClassifier
from skimbgan.datasets import FASHION_MNIST_CLASSES as LABELS

from ._harness import Report, RowStore, run_fits
from ._harness import parser as make_parser

#: The paper's eGAN (every extension off), from the public API.
PAPER_PARAMS = EGANClassifier.paper_params()

DEV_PAIRS = [(0, 6), (7, 9), (8, 5)]
OTHER_PAIRS = [(2, 4), (3, 0), (5, 7)]
METHODS = [
    "egan-images",
    "egan-features",
    "logreg-balanced",
    "logreg-threshold",
    "polarity-logreg",
    "isolation-forest",
    "nearest-neighbour",
    "knn-majority",
    "devnet",
    "deepsad",
    "all-minority",
]
INPUT_SIZE = 64
N_MAJORITY = 5000


def embeddings(images, cache_dir):
    """Pooled Lite0 features (64 px) of ``images``, cached on disk."""
    from skimbgan import ImageEmbedder

    embedder = ImageEmbedder(input_size=INPUT_SIZE, device="cpu", memory=cache_dir, random_state=0)
    return embedder.fit(images[:1]).transform(images)


def training_rows(train_y, pair, n_minority, seed):
    """Rows of the training set for one setting (the eGAN protocol), and y."""
    from skimbgan.datasets import make_egan_imbalance

    rows = np.arange(train_y.shape[0])[:, None]
    rows, y = make_egan_imbalance(
        rows,
        train_y,
        *pair,
        n_majority=N_MAJORITY,
        n_minority=n_minority,
        random_state=seed,
    )
    return rows[:, 0], y


def nearest_neighbour_scores(Z_train, y_train, Z_test, k=5):
    """Distance to the k-th nearest majority example minus distance to the
    nearest minority example: positive means minority."""
    from sklearn.neighbors import NearestNeighbors

    minority = NearestNeighbors(n_neighbors=1).fit(Z_train[y_train == 1])
    return majority_distance(Z_train, y_train, Z_test, k) - minority.kneighbors(Z_test)[0][:, 0]


def majority_distance(Z_train, y_train, Z, k=5, training=False):
    """Distance of each row of ``Z`` to its k-th nearest majority training
    example; ``training=True`` when ``Z`` is that majority (each row then
    leaves itself out)."""
    from sklearn.neighbors import NearestNeighbors

    majority = NearestNeighbors(n_neighbors=k).fit(Z_train[y_train == 0])
    return majority.kneighbors(Z, k + int(training))[0][:, -1]


def fit_score(method, X_train, Z_train, y_train, X_test, Z_test, seed, cache_dir, egan_params):
    """Fit one method; return (minority score, minority prediction) on the test set."""
    from sklearn.ensemble import IsolationForest
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    from skimbgan import EGANClassifier, PolarityGANSampler

    def logreg(class_weight=None):
        return make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=2000, class_weight=class_weight)
        )

    if method.startswith("egan"):
        images = method == "egan-images"
        clf = EGANClassifier(
            input_type="images" if images else "features",
            memory=cache_dir if images else None,
            device="cpu",
            random_state=seed,
            **{**PAPER_PARAMS, **egan_params},
        )
        clf.fit(X_train if images else Z_train, y_train)
        X_score = X_test if images else Z_test
        score = -clf.score_samples(X_score)
        # y = 1 is the minority: predict() applies the fitted cut-off offset_
        extra = dict(
            best_step=clf.best_step_,
            n_steps=clf.n_steps_,
            offset=clf.offset_,
            cutoff=clf.cutoff_,
            fallback=FALLBACK,
            closeness_weight=clf.closeness_weight_,
        )
        if clf.closeness_weight_ > 0:
            # the blend at other weights (and bounds), from the same fit
            parts = clf.score_components(X_score)
            extra["parts"] = (parts.discriminator, parts.closeness)
        return score, clf.predict(X_score) == 1, extra
    if method == "logreg-balanced":
        clf = logreg("balanced").fit(Z_train, y_train)
    elif method == "logreg-threshold":
        folds = min(5, int(y_train.sum()))
        clf = TunedThresholdClassifierCV(
            logreg("balanced"),
            scoring="f1",
            cv=StratifiedKFold(folds, shuffle=True, random_state=seed),
        ).fit(Z_train, y_train)
    elif method == "polarity-logreg":
        scaler = StandardScaler().fit(Z_train)
        sampler = PolarityGANSampler(device="cpu", random_state=seed)
        Z_res, y_res = sampler.fit_resample(scaler.transform(Z_train), y_train)
        model = LogisticRegression(max_iter=2000).fit(Z_res, y_res)
        score = model.decision_function(scaler.transform(Z_test))
        return score, score > 0, {}
    elif method == "isolation-forest":
        forest = IsolationForest(random_state=seed).fit(Z_train[y_train == 0])
        score = -forest.decision_function(Z_test)
        return score, score > 0, {}
    elif method == "nearest-neighbour":
        score = nearest_neighbour_scores(Z_train, y_train, Z_test)
        return score, score > 0, {}
    elif method == "knn-majority":
        score = majority_distance(Z_train, y_train, Z_test)
        # no cut-off of its own: the training prevalence's quantile of the
        # training majority's scores
        own = majority_distance(Z_train, y_train, Z_train[y_train == 0], training=True)
        cut = np.quantile(own, 1 - y_train.mean())
        return score, score > cut, {}
    elif method == "all-minority":
        score = np.zeros(Z_test.shape[0])
        return score, np.ones(Z_test.shape[0], dtype=bool), {}
    elif method in ("devnet", "deepsad"):
        from deepod.models import DeepSAD, DevNet

        detector = {"devnet": DevNet, "deepsad": DeepSAD}[method]
        detector = detector(device="cpu", random_state=seed, verbose=0)
        detector.fit(Z_train.astype(np.float32), y_train)
        score = detector.decision_function(Z_test.astype(np.float32))
        return score, detector.predict(Z_test.astype(np.float32)) == 1, {}
    else:
        raise ValueError(method)
    return clf.predict_proba(Z_test)[:, 1], clf.predict(Z_test) == 1, {}


def metrics(y_test, score, pred, train_ratio):
    from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

    weight = np.where(y_test == 1, train_ratio * (y_test == 0).sum() / (y_test == 1).sum(), 1.0)
    return dict(
        f1_balanced=f1_score(y_test, pred, zero_division=0),
        ap_balanced=average_precision_score(y_test, score),
        f1_prevalence=f1_score(y_test, pred, sample_weight=weight, zero_division=0),
        ap_prevalence=average_precision_score(y_test, score, sample_weight=weight),
        roc_auc=roc_auc_score(y_test, score),
        recall=float(pred[y_test == 1].mean()),
        specificity=float(1 - pred[y_test == 0].mean()),
    )


def label(method, params):
    """The name of ``method`` in the report: with its eGAN parameters, if any."""
    if not params or not method.startswith("egan"):
        return method
    return method + " " + ",".join(f"{k}={v}" for k, v in sorted(params.items()))


def variants(methods, egan_params):
    """(method, eGAN parameters) pairs to run: each eGAN method once per
    parameter set, the other methods once."""
    out = []
    for method in methods:
        params_list = (egan_params or [{}]) if method.startswith("egan") else [{}]
        out += [(method, params) for params in params_list]
    return out


#: Weights of closeness at which an eGAN fit with ``closeness_weight > 0``
#: is also ranked (``EGANClassifier.score_components``): its average
#: precision at the training prevalence for each, from the same networks.
BLEND_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0)


def blends(discriminator, closeness, weights=BLEND_WEIGHTS, bound=None):
    """``{weight: minority score}`` of the blend of the two parts at each
    weight of closeness; ``bound``: the discriminator's part clipped to
    ``[-bound, bound]`` in the blends with closeness (as EGANClassifier
    does; the weight 0 is the logit alone)."""
    from skimbgan.classification._closeness import blend_parts

    return {f"{w:g}": -blend_parts(discriminator, closeness, w, bound) for w in weights}


def blend_metrics(y_test, blend, train_ratio):
    """``{weight: average precision at the training prevalence}`` of each
    blended score in ``blend``."""
    from sklearn.metrics import average_precision_score

    weight = np.where(y_test == 1, train_ratio * (y_test == 0).sum() / (y_test == 1).sum(), 1.0)
    return {
        w: float(average_precision_score(y_test, score, sample_weight=weight))
        for w, score in blend.items()
    }


#: The rule of ``contamination="f1"`` without a validation part that
#: cached rows were made with (the training prevalence's quantile).
FALLBACK = "prevalence"


def stale(row, params):
    """A cached eGAN row whose cut-off is not today's: its predictions used
    the logit 0 although its parameters move the cut-off (rows written before
    predictions came from ``predict``, which applies ``offset_``), or an
    earlier fallback of ``contamination="f1"``. Its F1 is not the model's."""
    return params.get("contamination") is not None and row.get("fallback") != FALLBACK


def row_key(method, pair, n_minority, seed, params):
    """The file name of one fit's row: the parameters enter as a short hash
    (the row itself records them), so that the name is valid on every file
    system (no quotes, colons or braces)."""
    key = f"{method}-{pair[0]}-{pair[1]}-{n_minority}-{seed}"
    if params:
        text = json.dumps(params, sort_keys=True).replace(" ", "")
        key += "-" + hashlib.sha256(text.encode()).hexdigest()[:12]
    return key


def run(
    pairs, settings, seeds, methods, cache_dir, egan_params=None, cached_only=False, rows_dir=None
):
    from skimbgan.datasets import load_fashion_mnist

    train, test = load_fashion_mnist("train"), load_fashion_mnist("test")
    Z_all_train = embeddings(train.images, cache_dir)
    Z_all_test = embeddings(test.images, cache_dir)

    def fit_row(method, params, where, rows, y_train, test):
        """One fit's row; ``where``: (pair, n_minority, seed)."""
        pair, n_minority, seed = where
        X_test, Z_test, y_test = test
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            score, pred, extra = fit_score(
                method,
                train.images[rows],
                Z_all_train[rows],
                y_train,
                X_test,
                Z_test,
                seed,
                cache_dir,
                params,
            )
        ratio = n_minority / N_MAJORITY
        parts = extra.pop("parts", None)
        row = dict(
            method=method,
            egan_params=json.dumps(params, sort_keys=True),
            pair=f"{LABELS[pair[0]]} -> {LABELS[pair[1]]}",
            development=pair in DEV_PAIRS,
            n_minority=n_minority,
            seed=seed,
            seconds=time.perf_counter() - start,
            **metrics(y_test, score, np.asarray(pred), ratio),
            **extra,
        )
        if parts is not None:
            row["blend"] = blend_metrics(y_test, blends(*parts), ratio)
            # the test set's parts (rounded), to rank other blends later
            row["parts"] = [np.round(part, 3).tolist() for part in parts]
        if method.startswith("egan"):
            # the paper's cut-off (logit 0) on the same scores
            row["f1_balanced_at_zero"] = metrics(y_test, score, score > 0, ratio)["f1_balanced"]
        return row

    def tasks():
        for pair in pairs:
            test_rows = np.flatnonzero(np.isin(test.target, pair))
            y_test = (test.target[test_rows] == pair[1]).astype(int)
            test_data = (test.images[test_rows], Z_all_test[test_rows], y_test)
            for n_minority in settings:
                for seed in range(seeds):
                    rows, y_train = training_rows(train.target, pair, n_minority, seed)
                    for method, params in variants(methods, egan_params):
                        key = row_key(method, pair, n_minority, seed, params)
                        where = (pair, n_minority, seed)
                        yield (
                            key,
                            functools.partial(
                                fit_row, method, params, where, rows, y_train, test_data
                            ),
                        )

    found = run_fits(
        tasks(),
        RowStore(rows_dir or os.path.join(cache_dir, "egan")),
        cached_only,
        say=lambda row: (
            f"{row['method']} {row['pair']} {row['n_minority']} {row['seed']}: "
            f"f1_balanced {row['f1_balanced']:.3f}, ap_prevalence {row['ap_prevalence']:.3f}"
        ),
        fresh=lambda row: not stale(row, json.loads(row["egan_params"])),
    )
    return [dict(row, method=label(row["method"], json.loads(row["egan_params"]))) for row in found]


def summarise(results, methods):
    import pandas as pd

    df = pd.DataFrame(results)
    out = []
    for development, title in ((True, "Development pairs"), (False, "Other pairs (no tuning)")):
        part = df[df.development == development]
        if part.empty:
            continue
        out.append(f"### {title}: {', '.join(sorted(set(part.pair)))}\n")
        metrics_shown = ["f1_balanced", "ap_balanced", "f1_prevalence", "ap_prevalence", "roc_auc"]
        if "f1_balanced_at_zero" in part:  # eGAN rows: the paper's cut-off on the same scores
            metrics_shown.insert(1, "f1_balanced_at_zero")
        for metric in metrics_shown:
            grouped = part.groupby(["n_minority", "method"])[metric]
            mean, std = grouped.mean().round(3), grouped.std().round(3)
            # one value (a single seed): its mean alone
            text = mean.astype(str).where(std.isna(), mean.astype(str) + " ± " + std.astype(str))
            table = text.unstack("n_minority").reindex(
                [m for m in methods if m in set(part.method)]
            )
            table.columns = [f"1:{N_MAJORITY // n}" for n in table.columns]
            out.append(f"#### {metric} (mean ± std over pairs and seeds)\n")
            out.append(table.to_markdown() + "\n")
        spread = part.groupby(["pair", "n_minority", "method"])["f1_balanced"].std()
        spread = spread.groupby(["n_minority", "method"]).mean().unstack("n_minority")
        spread = spread.reindex(table.index)
        spread.columns = [f"1:{N_MAJORITY // n}" for n in spread.columns]
        out.append("#### f1_balanced: standard deviation over seeds (mean over pairs)\n")
        out.append(spread.round(3).to_markdown() + "\n")
        seconds = part.groupby("method")["seconds"].median().reindex(table.index)
        out.append("#### Median seconds per fit and prediction\n")
        out.append(seconds.round(1).to_frame().to_markdown() + "\n")
        out.append("#### f1_balanced per pair (mean over seeds)\n")
        per_pair = part.groupby(["pair", "n_minority", "method"])["f1_balanced"].mean()
        out.append(per_pair.unstack("method").round(3).to_markdown() + "\n")
        out.append(blend_table(part))
        out.append(bound_table(part))
    return "\n".join(out)


#: Bounds on the discriminator's part tried in :func:`bound_table` (None:
#: unbounded, today's blend).
BOUNDS = (None, 6.0, 4.0, 3.0, 2.0)


def test_labels(pair_name):
    """y of the test rows of a pair named ``"A -> B"`` (1: minority), in the
    order the fits scored them."""
    from skimbgan.datasets import load_fashion_mnist

    majority, minority = (LABELS.index(name) for name in pair_name.split(" -> "))
    target = load_fashion_mnist("test").target
    target = target[np.isin(target, (majority, minority))]
    return (target == minority).astype(int)


def bound_table(part):
    """Average precision at the training prevalence of the eGAN fits whose
    test parts were kept, with the discriminator's part bounded (each of
    :data:`BOUNDS`): at each weight of closeness, and at the weight
    ``p / (p + n)`` of each prior ``p`` in the settings without a
    validation part (mean over pairs and seeds)."""
    import pandas as pd

    if "parts" not in part:
        return ""
    kept = [r for r in part.itertuples() if isinstance(r.parts, list)]
    if not kept:
        return ""
    labels = {name: test_labels(name) for name in {r.pair for r in kept}}
    at_weight, at_prior = [], []
    for r in kept:
        y = labels[r.pair]
        ratio = r.n_minority / N_MAJORITY
        priors = PRIORS if r.n_minority < FEW_SHOT else ()
        weights = BLEND_WEIGHTS + tuple(p / (p + r.n_minority) for p in priors)
        for bound in BOUNDS:
            aps = blend_metrics(y, blends(*r.parts, weights, bound), ratio)
            name = "none" if bound is None else f"{bound:g}"
            key = dict(method=r.method, n_minority=r.n_minority, bound=name)
            at_weight += [dict(key, weight=w, ap=aps[f"{w:g}"]) for w in BLEND_WEIGHTS]
            at_prior += [dict(key, prior=p, ap=aps[f"{p / (p + r.n_minority):g}"]) for p in priors]
    index = ["method", "n_minority", "bound"]
    names = ["none" if b is None else f"{b:g}" for b in BOUNDS]
    at_weight, at_prior = pd.DataFrame(at_weight), pd.DataFrame(at_prior)
    for frame in (at_weight, at_prior):
        if not frame.empty:  # the bounds in the order of BOUNDS
            frame["bound"] = pd.Categorical(frame["bound"], names, ordered=True)
    table = at_weight.groupby([*index, "weight"], observed=True)["ap"].mean()
    text = (
        "#### ap_prevalence with the discriminator's part bounded, at each weight of closeness "
        f"(same fits; mean over pairs and seeds; {len(kept)} fits)\n\n"
        f"{table.unstack('weight').round(3).to_markdown()}\n"
    )
    if not at_prior.empty:
        table = at_prior.groupby([*index, "prior"], observed=True)["ap"].mean()
        text += (
            "\n#### ap_prevalence with the discriminator's part bounded, at the weight "
            "p / (p + n) of each prior p (settings without a validation part)\n\n"
            f"{table.unstack('prior').round(3).to_markdown()}\n"
        )
    return text


def blend_table(part):
    """Average precision at the training prevalence of the eGAN fits with
    closeness, ranked at each weight of closeness (mean over pairs and
    seeds): the table the ``closeness_weight="auto"`` rule was chosen on."""
    import pandas as pd

    if "blend" not in part:
        return ""
    rows = [
        dict(method=r.method, n_minority=r.n_minority, weight=float(w), ap=ap)
        for r in part.itertuples()
        if isinstance(r.blend, dict)
        for w, ap in r.blend.items()
    ]
    if not rows:
        return ""
    table = pd.DataFrame(rows).groupby(["method", "n_minority", "weight"])["ap"].mean()
    table = table.unstack("weight").round(3)
    title = "#### ap_prevalence at each weight of closeness (same fits; mean over pairs and seeds)"
    text = f"{title}\n\n{table.to_markdown()}\n"
    # without a validation part (fewer than 15 minority images), "auto" is
    # w = p / (p + n): the same fits ranked at each prior p, interpolated
    # linearly between the weights above
    few = [
        dict(
            method=r.method,
            n_minority=r.n_minority,
            prior=p,
            ap=float(
                np.interp(
                    p / (p + r.n_minority),
                    [float(w) for w in r.blend],
                    list(r.blend.values()),
                )
            ),
        )
        for r in part.itertuples()
        if isinstance(r.blend, dict) and r.n_minority < FEW_SHOT
        for p in PRIORS
    ]
    if few:
        prior = pd.DataFrame(few).groupby(["method", "n_minority", "prior"])["ap"].mean()
        title = (
            "#### ap_prevalence at the weight p / (p + n) of each prior p (settings without a "
            "validation part; interpolated between the weights above)"
        )
        text += f"\n{title}\n\n{prior.unstack('prior').round(3).to_markdown()}\n"
    return text


#: Priors ``p`` of the rule ``w = p / (p + n)`` shown in the report.
PRIORS = (2, 5, 10, 20, 50, 100, 200, 500)
#: Below this many minority images the eGAN has no validation part (20% of
#: them rounds to fewer than 3): ``closeness_weight="auto"`` is the prior rule.
FEW_SHOT = 13


def main(argv=None):
    parser = make_parser(__doc__, out="benchmarks/results/egan.md")
    parser.add_argument("--pairs", choices=["dev", "other", "all"], default="all")
    parser.add_argument(
        "--pair",
        nargs="+",
        default=None,
        help="explicit pairs MAJORITY-MINORITY (class indices), e.g. 2-4 3-0; overrides --pairs",
    )
    parser.add_argument("--settings", type=int, nargs="+", default=[2, 5, 50])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--methods", nargs="+", default=METHODS, choices=METHODS)
    parser.add_argument(
        "--egan-params",
        nargs="+",
        default=["{}"],
        help="JSON of EGANClassifier parameters for the egan methods, e.g. '{\"n_steps\": 250}'; "
        "several: each egan method runs with each (named by its parameters in the report)",
    )
    parser.add_argument("--cache-dir", default="benchmarks/results/cache")
    parser.add_argument(
        "--rows-dir",
        default=None,
        help="where the per-fit rows are cached (default CACHE_DIR/egan); the rows are small "
        "and can be kept in the repository while the embeddings stay in --cache-dir",
    )
    parser.add_argument(
        "--cached-only",
        action="store_true",
        help="report the fits found in the cache, fit nothing (an unfinished run's report)",
    )
    args = parser.parse_args(argv)
    report = Report("egan", argv, args.out)
    pairs = {"dev": DEV_PAIRS, "other": OTHER_PAIRS, "all": DEV_PAIRS + OTHER_PAIRS}[args.pairs]
    if args.pair:
        pairs = [tuple(int(c) for c in p.split("-")) for p in args.pair]
    egan_params = [json.loads(text) for text in args.egan_params]
    results = run(
        pairs,
        args.settings,
        args.seeds,
        args.methods,
        args.cache_dir,
        egan_params,
        args.cached_only,
        args.rows_dir,
    )
    settings = (
        f"Fashion-MNIST, {N_MAJORITY} majority training images against "
        f"{', '.join(map(str, args.settings))} minority ones, seeds 0-{args.seeds - 1}; "
        f"Lite0 ImageNet weights at {INPUT_SIZE} px; test: all 1,000 + 1,000 test images "
        f"of each pair. EGANClassifier parameters: the paper's eGAN "
        f"{json.dumps(PAPER_PARAMS)} with {'; '.join(json.dumps(p) for p in egan_params)} "
        "on top (others default)."
    )
    names = [label(method, params) for method, params in variants(args.methods, egan_params)]
    # the test parts stay in the packed rows, out of the CSV
    rows = [{k: v for k, v in row.items() if k != "parts"} for row in results]
    report.write(settings, summarise(results, names), rows=rows)


if __name__ == "__main__":
    main()
