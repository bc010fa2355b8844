"""Paired comparison of two eGAN settings in the kept rows of benchmarks.egan.

``benchmarks.egan`` keeps one row per fit (a pair of classes, a minority
count and a seed) in its ``--rows-dir``. This script pairs the rows of one
method under two ``--egan-params`` settings, from one rows folder or two,
fit for fit (same pair, minority count and seed), and reports for each
minority count the means, the mean difference new - old with its standard
error, how many fits went up and down, and the two-sided Wilcoxon
signed-rank p-value over the fits; and the median seconds per fit of each.
Settings are matched exactly (the JSON of ``--egan-params`` as the row keeps
it); a fit present on one side only is left out and counted.

    python -m benchmarks.egan_compare --method egan-images \\
        --old-rows benchmarks/results/egan-closeness-dev --old-params "$P" \\
        --new-rows benchmarks/results/egan-prefix-dev --new-params "$P_PREFIX"
"""

import glob
import gzip
import json
import os

import numpy as np

from ._harness import Report, parser

METRICS = ["ap_prevalence", "f1_prevalence", "roc_auc"]
KEY = ["pair", "n_minority", "seed"]


def read_rows(folder):
    """Every row a ``benchmarks.egan`` rows folder keeps: packed and loose."""
    rows = []
    packed = os.path.join(folder, "rows.jsonl.gz")
    if os.path.exists(packed):
        with gzip.open(packed, "rt", encoding="utf-8") as f:
            rows += [json.loads(line)["row"] for line in f if line.strip()]
    for path in sorted(glob.glob(os.path.join(folder, "*.json"))):
        with open(path) as f:
            rows.append(json.load(f))
    return rows


def select(rows, method, params):
    """``{(pair, n_minority, seed): row}`` of ``method`` fitted with exactly
    ``params`` (a dict)."""
    chosen = {}
    for row in rows:
        if row.get("method") != method:
            continue
        if json.loads(row.get("egan_params") or "{}") != params:
            continue
        chosen[tuple(row[k] for k in KEY)] = row
    return chosen


def compare(old, new, metrics=METRICS):
    """Rows of the report: one per minority count and metric, then seconds."""
    from scipy.stats import wilcoxon

    common = sorted(set(old) & set(new))
    out = []
    for n_minority in sorted({key[1] for key in common}):
        keys = [key for key in common if key[1] == n_minority]
        for metric in metrics:
            a = np.array([old[key][metric] for key in keys], dtype=float)
            b = np.array([new[key][metric] for key in keys], dtype=float)
            diff = b - a
            p = np.nan
            if len(keys) > 1 and np.any(diff != 0):
                p = float(wilcoxon(b, a).pvalue)
            se = diff.std(ddof=1) / np.sqrt(len(diff)) if len(diff) > 1 else np.nan
            out.append(
                {
                    "n_minority": n_minority,
                    "metric": metric,
                    "fits": len(keys),
                    "old": round(float(a.mean()), 3),
                    "new": round(float(b.mean()), 3),
                    "new - old": round(float(diff.mean()), 3),
                    "se": round(float(se), 3),
                    "up / down": f"{int((diff > 0).sum())} / {int((diff < 0).sum())}",
                    "wilcoxon_p": round(p, 3) if np.isfinite(p) else np.nan,
                }
            )
        seconds = [np.median([side[key]["seconds"] for key in keys]) for side in (old, new)]
        out.append(
            {
                "n_minority": n_minority,
                "metric": "median seconds",
                "fits": len(keys),
                "old": round(float(seconds[0]), 1),
                "new": round(float(seconds[1]), 1),
            }
        )
    return out, len(set(old) ^ set(new))


def main(argv=None):
    import pandas as pd

    p = parser(__doc__)
    p.add_argument("--method", default="egan-images")
    p.add_argument("--old-rows", required=True, help="rows folder of the reference")
    p.add_argument("--new-rows", help="rows folder of the candidate (default: --old-rows)")
    p.add_argument("--old-params", required=True, help="the reference's --egan-params (JSON)")
    p.add_argument("--new-params", required=True, help="the candidate's --egan-params (JSON)")
    args = p.parse_args(argv)
    report = Report("egan_compare", argv, args.out)
    old = select(read_rows(args.old_rows), args.method, json.loads(args.old_params))
    new_rows = read_rows(args.new_rows or args.old_rows)
    new = select(new_rows, args.method, json.loads(args.new_params))
    rows, unpaired = compare(old, new)
    if not rows:
        raise SystemExit("No fit is on both sides: check the folders, method and settings.")
    settings = (
        f"{args.method}: {args.new_params} (new) against {args.old_params} (old), "
        f"paired by pair, minority count and seed; {unpaired} fits on one side only "
        "left out. Metrics as benchmarks.egan reports them (at the training prevalence, "
        "on every test image of each pair)."
    )
    body = pd.DataFrame(rows).to_markdown(index=False)
    report.write(settings, body, rows=rows)


if __name__ == "__main__":
    main()
