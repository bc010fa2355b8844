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


def scaling(X):
    """``(unit, mean, scale)``: the networks see ``(X / unit - mean) / scale``.

    ``unit`` is :func:`power_of_two_units`; ``mean`` and ``scale`` are the
    column means and standard deviations in those units (1 for constant
    columns).
    """
    unit = power_of_two_units(X)
    X_unit = X / unit
    scale = X_unit.std(axis=0)
    scale[scale < 10 * np.finfo(np.float64).eps] = 1.0
    return unit, X_unit.mean(axis=0), scale
