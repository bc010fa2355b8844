"""Standardisation that is exact and cannot overflow, whatever the magnitudes."""

import numpy as np


def power_of_two_units(X):
    """A power of two per column that brings every value into [-2, 2].

    Dividing by a power of two is exact (no rounding), so statistics and
    convex combinations computed in these units and multiplied back are the
    same numbers, and they cannot overflow, even for values near the largest
    float. A column of zeros gets 0.5.
    """
    max_abs = np.abs(X).max(axis=0).astype(np.float64)
    return np.ldexp(1.0, np.frexp(max_abs)[1] - 1)


def scaling(X, sample_weight=None, dtype=None):
    """``(unit, mean, scale)``: the networks see ``(X / unit - mean) / scale``.

    ``unit`` is :func:`power_of_two_units`, so the division is exact and the
    statistics cannot overflow or underflow at any magnitude; ``mean`` and
    ``scale`` are the column means and standard deviations in those units
    (accumulated in ``dtype``, numpy's choice for ``X`` when None), 1 for a
    column whose spread is below 10 machine epsilons of its largest value.
    With ``sample_weight`` the mean and the spread are weighted (a row of
    weight 2 counts as two copies).
    """
    unit = power_of_two_units(X)
    X_unit = X / unit
    if sample_weight is None:
        mean = X_unit.mean(axis=0, dtype=dtype)
        scale = X_unit.std(axis=0, dtype=dtype)
    else:
        mean = np.average(X_unit, axis=0, weights=sample_weight)
        scale = np.sqrt(np.average((X_unit - mean) ** 2, axis=0, weights=sample_weight))
    scale[scale < 10 * np.finfo(np.float64).eps] = 1.0
    return unit, mean, scale
