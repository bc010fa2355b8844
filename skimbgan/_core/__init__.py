"""Pure-PyTorch core of skimbgan.

Nothing in this package imports scikit-learn or imbalanced-learn: it takes and
returns tensors. The estimator wrappers in :mod:`skimbgan.over_sampling` (and,
later, the classifiers) validate input, seed, pick the device and hold the
fitted attributes.
"""
