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


def stream_seed(seed, index):
    """The seed of a fit's ``index``-th independent stream (``seed + index``).

    A loop that needs a second generator (the image system: batches on the
    CPU, G's draws on the device) derives it here, in one place, from the one
    seed its caller drew for it.
    """
    return int(seed) + int(index)


def member_seeds(seed, n):
    """``n`` seeds for the members of an ensemble whose first member is the
    single model's: ``seed`` itself, then draws from a generator seeded with
    it (far from ``seed + index``, :func:`stream_seed`'s streams)."""
    import numpy as np

    rest = np.random.RandomState(int(seed) % (MAX_SEED + 1)).randint(MAX_SEED, size=max(n - 1, 0))
    return [int(seed), *map(int, rest)]
