"""Pure-PyTorch core of skimbgan.

Nothing in this package imports scikit-learn or imbalanced-learn: it takes and
returns tensors (and numpy arrays where a step is plain arithmetic). The
estimator wrappers in :mod:`skimbgan.over_sampling`,
:mod:`skimbgan.classification` and :mod:`skimbgan.image`, standing on
:mod:`skimbgan.utils`, validate input, seed, pick the device and hold the
fitted attributes.
"""
