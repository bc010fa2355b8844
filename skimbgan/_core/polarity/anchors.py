"""The anchors of each class: the real samples whose convex combinations G makes."""

import numpy as np


def choose_anchors(y_index, n_classes, max_anchors, random_state):
    """For each class index, the rows whose convex combinations make its samples.

    All of a class's rows, or a uniform random subset of ``max_anchors`` of
    them (sorted) when the class is larger; ``random_state`` (a numpy
    ``RandomState``) is drawn from only for such classes, in class order.
    """
    anchors = []
    for k in range(n_classes):
        rows = np.flatnonzero(y_index == k)
        if rows.shape[0] > max_anchors:
            rows = np.sort(random_state.choice(rows, max_anchors, replace=False))
        anchors.append(rows)
    return anchors
