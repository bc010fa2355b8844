"""Pieces of PolarityGANSampler's fit: what the networks are given."""

import numpy as np

from .._core.polarity.anchors import choose_anchors
from .._core.random import stream_seed
from ..utils._scaling import scaling
from ..utils._validation import warn_single_sample_classes
from ._categories import CategoryEncoding


def network_inputs(sampler, X, table, y_index, counts, stream, train_seed, sample_weight=None):
    """``(X_net, anchor_rows)``: the rows the networks train on (numeric
    columns standardised, then the encoded categories of a mixed ``table``)
    and the anchors' rows, class by class (never a row of weight 0). Sets
    the sampler's fitted anchors, scaling and category encoding."""
    anchors = choose_anchors(
        y_index, len(sampler.classes_), sampler.max_anchors, stream, sample_weight
    )
    warn_single_sample_classes(sampler.classes_, anchors, counts)
    sampler.anchor_indices_ = dict(zip(sampler.classes_, anchors, strict=True))
    anchor_rows = np.concatenate(list(sampler.anchor_indices_.values()))
    sampler._anchors = X[anchor_rows]
    fitted = X if sample_weight is None else X[sample_weight > 0]
    sampler._unit, sampler._mean, sampler._scale = scaling(fitted)
    X_net = sampler._standardise(X)
    sampler.categorical_features_ = np.empty(0, dtype=np.int64)
    if table is not None:
        sampler.categorical_features_ = table.layout.categorical
        seed = stream_seed(train_seed, "category_encoding")
        sampler._encoding = CategoryEncoding(table.layout.n_categories, seed)
        sampler._anchor_codes = table.codes[anchor_rows]
        X_net = np.hstack([X_net, sampler._encoding.transform(table.codes)])
    return X_net, anchor_rows
