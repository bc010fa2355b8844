"""What the image scripts share: the protocols that pick training images,
the earlier training settings their tables start from, and number formatting.

``polarity_images``, ``polarity_small``, ``polarity_decoupled`` and ``cost``
import these from here (no script imports another).
"""

import numpy as np

#: PolarityGANClassifier's training before the "auto" defaults: every image
#: method here starts from it, so these tables stay reproducible.
EARLIER_DEFAULTS = dict(
    trainable_stages="all",
    input_size=64,
    n_epochs=8,
    probe_epochs=0,
    balanced_sampling=False,
    augment=True,
)

#: The small subsets of Fashion-MNIST's training set: images per class.
SUBSETS = {
    "tops": {0: 300, 2: 60, 6: 20},
    "shoes": {7: 200, 5: 40, 9: 15},
    "four": {1: 300, 3: 100, 4: 40, 8: 20},
    # not small: the paper's protocol at a tenth, where the crossover from
    # frozen to fine-tuned backbones is looked for
    "tenth": {0: 500, 1: 400, 2: 300, 3: 200, 4: 150, 5: 100, 6: 50, 7: 25, 8: 10, 9: 5},
    "quarter": {0: 1250, 1: 1000, 2: 750, 3: 500, 4: 375, 5: 250, 6: 125, 7: 62, 8: 25, 9: 12},
}


def training_rows(train_y, seed):
    """Rows of the training set in the paper's protocol for one seed."""
    from skimbgan.datasets import make_polarity_imbalance

    rows = np.arange(train_y.shape[0])[:, None]
    rows, y = make_polarity_imbalance(rows, train_y, random_state=seed)
    return rows[:, 0], y


def subset_rows(train_y, counts, seed):
    """Training rows of a subset: ``counts[c]`` random images of class ``c``."""
    rng = np.random.RandomState(seed)
    return np.concatenate(
        [rng.choice(np.flatnonzero(train_y == c), n, replace=False) for c, n in counts.items()]
    )


def signed(value):
    """A difference with its sign, to three decimals."""
    # rounded first, so that -0.0004 reads +0.000, not -0.000
    return f"{round(float(value), 3) + 0.0:+.3f}"
