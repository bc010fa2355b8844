"""Smoke test of an installed skimbgan (run from outside the repository):
the package imports from where it was installed, each estimator fits a tiny
problem, and the command answers --help."""

import pathlib
import subprocess
import sys

import numpy as np

import skimbgan
from skimbgan import EGANClassifier, PolarityGANSampler

where = pathlib.Path(skimbgan.__file__).resolve()
expected = pathlib.Path(sys.argv[1]).resolve()
assert expected in where.parents, f"skimbgan imported from {where}, not from {expected}"
rng = np.random.RandomState(0)
X = rng.randn(80, 4)
y = np.r_[np.zeros(64, int), np.ones(16, int)]
X_res, y_res = PolarityGANSampler(n_steps=5, device="cpu", random_state=0).fit_resample(X, y)
assert (np.bincount(y_res) == 64).all()
scores = EGANClassifier(n_steps=5, device="cpu", random_state=0).fit(X, y).decision_function(X)
assert scores.shape == (80,) and np.isfinite(scores).all()
out = subprocess.run([sys.executable, "-m", "skimbgan", "benchmark", "--help"], capture_output=True)
assert out.returncode == 0 and b"--methods" in out.stdout, out.stderr
print(f"skimbgan {skimbgan.__version__} from {where.parent}: smoke test passed")
