"""From the generator's convex weights to new samples (section 4 of the paper).

Two pieces of the method that follow training:

- :func:`most_uncertain`: the paper's uncertainty sampling. Of a pool of
  candidates per class, keep those the classifier C is least sure of (the
  ones nearest the class boundary), by one of the measures of eqs. 7-10.
- :func:`recombine`: each new sample is its convex weights times the real
  anchors they apply to, computed in exact power-of-two units so the result
  stays in the class's convex hull to rounding.
"""

import numpy as np


def most_uncertain(labels, scores, wanted):
    """Rows of the candidates to keep: for each class ``k``, the ``wanted[k]``
    candidates of label ``k`` with the highest uncertainty ``scores`` (ties in
    candidate order), in candidate order."""
    keep = []
    for k, n in enumerate(wanted):
        members = np.flatnonzero(labels == k)
        order = np.argsort(-scores[members], kind="stable")
        keep.append(np.sort(members[order[:n]]))
    return np.concatenate(keep)


def normalise_weights(weights):
    """Rows renormalised to sum to 1 in float64 (the networks run in float32)."""
    weights = np.asarray(weights, dtype=np.float64)
    return weights / weights.sum(axis=1, keepdims=True)


def recombine(weights, anchors, index, unit):
    """``X_new[i] = sum_j weights[i, j] * anchors[index[i, j]]``.

    ``anchors`` are real samples and ``unit`` their power-of-two column units:
    the sums run on ``anchors / unit`` (exact) in float64 and are scaled back,
    so no value overflows.
    """
    scaled = anchors.astype(np.float64, copy=False) / unit
    return np.einsum("nc,ncf->nf", weights, scaled[index]) * unit
