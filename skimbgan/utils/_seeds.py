"""One ``random_state`` turned into named, independent seeds."""

from collections import namedtuple

from sklearn.utils import check_random_state

from .._core.random import MAX_SEED  # seeds are drawn below it


def named_seeds(random_state, names):
    """Draw one integer seed per name from ``random_state``.

    Every source of randomness in a fit (a split, initialisation, batches, a
    backbone's random layers) gets its own seed, drawn here once, in the
    order of ``names``; each is then turned into its own generator where it
    is used (a ``torch.Generator`` or a ``numpy.random.RandomState``), so two
    sources never share a stream.

    Parameters
    ----------
    random_state : int, RandomState instance or None
        The estimator's parameter.
    names : sequence of str
        The seeds to draw, in order.

    Returns
    -------
    seeds : namedtuple of int
        One field per name.
    stream : numpy.random.RandomState
        ``random_state`` as a generator, positioned after the draws (only
        eGAN's hold-out split uses it, as it always has).
    """
    stream = check_random_state(random_state)
    values = stream.randint(MAX_SEED, size=len(names))
    seeds = namedtuple("Seeds", names)(*(int(v) for v in values))
    return seeds, stream


def one_seed(random_state):
    """A single integer seed from ``random_state``."""
    return int(check_random_state(random_state).randint(MAX_SEED))
