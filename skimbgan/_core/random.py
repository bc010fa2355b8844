"""Seeding without touching the global random state.

Every source of randomness in a fit is a :class:`torch.Generator` made from one
integer seed; parameter initialisation runs under :func:`torch.random.fork_rng`
so the caller's global torch state is restored afterwards.
"""

import contextlib

import torch

#: Seeds are drawn below this bound (numpy's and torch's seeds accept it).
MAX_SEED = 2**31 - 1


def make_generator(seed, device):
    """A :class:`torch.Generator` on ``device`` seeded with ``seed``."""
    generator = torch.Generator(device=device)
    generator.manual_seed(int(seed))
    return generator


@contextlib.contextmanager
def seeded(seed, device):
    """Run a block with the global torch RNG seeded, then restore it.

    Used around module construction, whose initialisers draw from the global
    RNG. ``device`` decides whether the CUDA RNG state is forked too.
    """
    device = torch.device(device)
    devices = [device] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=devices, device_type=device.type):
        torch.manual_seed(int(seed))
        yield


#: The named random streams of a fit, each the seed its caller drew for it
#: plus an offset. Streams drawn from the same seed must have different
#: offsets; the comment says whose seed each is drawn from.
STREAMS = {
    # a loop's own draws (batches, noise): the seed itself
    "training": 0,
    # PolarityGANSampler's training seed: the convergence probe's draws, so
    # that checking convergence does not change what training draws ...
    "probe": 1,
    # ... and the fixed random embeddings of large categorical columns
    "category_encoding": 2,
    # PolarityGANSampler's generation seed (its stream 0 draws the convex
    # weights): the categories of the generated rows
    "categories": 1,
    # the image system's seed: G's and D's draws end to end, C's batches over
    # the cached features
    "gan": 1,
    "classifier_batches": 2,
    # EGANClassifier's training seed: the augmented copies of minority images
    "minority_augmentation": 1,
}


def stream_seed(seed, name):
    """The seed of a fit's stream ``name`` (:data:`STREAMS`): ``seed`` plus
    the stream's offset, so that each source of randomness of a fit has its
    own generator, derived in one place from the one seed its caller drew."""
    return int(seed) + STREAMS[name]


def member_seeds(seed, n):
    """``n`` seeds for the members of an ensemble whose first member is the
    single model's: ``seed`` itself, then draws from a generator seeded with
    it (far from :func:`stream_seed`'s small offsets)."""
    import numpy as np

    rest = np.random.RandomState(int(seed) % (MAX_SEED + 1)).randint(MAX_SEED, size=max(n - 1, 0))
    return [int(seed), *map(int, rest)]
