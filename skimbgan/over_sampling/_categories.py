"""Categorical columns for the networks and for the synthetic rows.

- :class:`CategoryEncoding`: what the critic and the classifier see of a
  category. A column with at most ``ONE_HOT_MAX`` categories is one-hot; a
  larger one gives each category a fixed random unit vector of
  ``EMBEDDING_DIM`` numbers (a seeded random projection of its one-hot
  column). Either way two different categories lie about as far apart as two
  standardised numeric values, and the encoding of a column costs at most
  ``n_categories * EMBEDDING_DIM`` numbers, however many categories it has.
  Nothing is learned: the encoding is a fixed table made once per fit from its
  seed, so the generator's samples (convex weights times the anchors'
  encodings) stay a differentiable function of its weights.
- :func:`draw_categories`: the categorical values of synthetic rows, drawn
  from the anchors each row combines with its convex weights as probabilities.
"""

import numpy as np

#: Columns with at most this many categories are one-hot encoded.
ONE_HOT_MAX = 16
#: Width of the random embedding of a column with more categories.
EMBEDDING_DIM = 16
#: The category rules of ``categorical_sampling``.
CATEGORY_RULES = ("anchor", "column")


class CategoryEncoding:
    """A fixed numeric encoding of category codes (see the module).

    Parameters
    ----------
    n_categories : list of int
        Number of categories (codes ``0 .. n - 1``) of each categorical column.
    seed : int
        Seed of the random embeddings (drawn from only for columns with more
        than ``ONE_HOT_MAX`` categories, in column order).
    """

    def __init__(self, n_categories, seed):
        rng = np.random.RandomState(seed)
        self.tables = []
        for n in n_categories:
            if n <= ONE_HOT_MAX:
                table = np.eye(n)
            else:
                table = rng.standard_normal((n, EMBEDDING_DIM))
                table /= np.linalg.norm(table, axis=1, keepdims=True)
            self.tables.append(table.astype(np.float32))

    @property
    def width(self):
        """Numbers per row that the networks see for the categorical columns."""
        return sum(table.shape[1] for table in self.tables)

    @property
    def n_parameters(self):
        """Numbers stored for the encoding (all columns)."""
        return sum(table.size for table in self.tables)

    def transform(self, codes):
        """``(n_rows, width)`` float32 encodings of ``(n_rows, n_columns)`` codes."""
        parts = [table[codes[:, k]] for k, table in enumerate(self.tables)]
        if not parts:
            return np.empty((codes.shape[0], 0), dtype=np.float32)
        return np.hstack(parts)


def _pick(cumulative, last, u):
    """Column of each row's weight interval that holds ``u`` (in ``[0, total)``)."""
    pick = (u[:, None] >= cumulative).sum(axis=1)
    return np.minimum(pick, last)  # rounding at the top end: the last positive weight


def draw_categories(weights, anchor_codes, rule, rng):
    """Category codes of synthetic rows, drawn from the anchors they combine.

    Parameters
    ----------
    weights : ndarray (n_rows, n_combined)
        Convex weights of each synthetic row.
    anchor_codes : ndarray (n_rows, n_combined, n_columns)
        Category codes of the anchors each row combines.
    rule : {"anchor", "column"}
        ``"anchor"``: one anchor per row, drawn with probabilities ``weights``,
        gives all its categorical values. ``"column"``: each column's value is
        drawn independently in the same way. In both, a value held by anchors of
        total weight ``w`` is chosen with probability ``w``, and an anchor of
        weight zero is never chosen.
    rng : numpy.random.RandomState

    Returns
    -------
    codes : ndarray (n_rows, n_columns)
    """
    n_rows, n_combined, n_columns = anchor_codes.shape
    cumulative = np.cumsum(weights, axis=1)
    total = cumulative[:, -1]
    last = n_combined - 1 - np.argmax(weights[:, ::-1] > 0, axis=1)
    rows = np.arange(n_rows)
    if rule == "anchor":
        pick = _pick(cumulative, last, rng.random_sample(n_rows) * total)
        return anchor_codes[rows, pick]
    if rule != "column":
        raise ValueError(f"categorical_sampling must be one of {CATEGORY_RULES}, got {rule!r}.")
    codes = np.empty((n_rows, n_columns), dtype=np.int64)
    u = rng.random_sample((n_columns, n_rows)) * total
    for k in range(n_columns):
        codes[:, k] = anchor_codes[rows, _pick(cumulative, last, u[k]), k]
    return codes
