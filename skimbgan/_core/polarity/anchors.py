"""The anchors of each class: the real samples whose convex combinations G makes."""

import numpy as np


def choose_anchors(y_index, n_classes, max_anchors, random_state, sample_weight=None):
    """For each class index, the rows whose convex combinations make its samples.

    All of a class's rows, or a random subset of ``max_anchors`` of them
    (sorted) when the class is larger; ``random_state`` (a numpy
    ``RandomState``) is drawn from only for such classes, in class order. With
    ``sample_weight``, rows of weight 0 are never anchors and a subset is
    drawn in proportion to the weights (without replacement); without, or
    with equal weights, it is uniform.
    """
    anchors = []
    for k in range(n_classes):
        rows = np.flatnonzero(y_index == k)
        p = None
        if sample_weight is not None:
            rows = rows[sample_weight[rows] > 0]
            weights = sample_weight[rows]
            if rows.size and weights.min() < weights.max():  # equal weights: uniform
                # ratios to the largest, never 0: no overflow in the sum, and
                # every row of positive weight stays drawable
                p = np.maximum(weights / weights.max(), np.finfo(np.float64).tiny)
                p /= p.sum()
        if rows.shape[0] > max_anchors:
            rows = np.sort(random_state.choice(rows, max_anchors, replace=False, p=p))
        anchors.append(rows)
    return anchors
