"""Which rows train what in EGANClassifier's fit: the validation part, the
majority held out for a cut-off, and the minority with its augmented copies."""

from dataclasses import dataclass

import numpy as np

from .._core.random import stream_seed
from ..utils._validation import binary_holdout

#: Fewest minority samples a held-out validation part must contain for
#: checkpoint selection; with fewer, the networks after ``n_steps`` are kept.
MIN_VALIDATION_MINORITY = 3


@dataclass(frozen=True)
class SplitSettings:
    """The settings :func:`split_rows` reads."""

    minority: int
    validation_fraction: object
    contamination: object


def training_rows(X, is_minority, X_val, y_val, minority, validation_fraction, random_state):
    """``(train_rows, val_rows, X_val, val_is_minority)``: all rows and the
    given validation data (which must hold both classes; ``y_val`` as class
    indices; ``val_rows`` None), or a stratified hold-out of ``X`` (``X_val``
    and ``val_rows`` None when the minority is too small to hold any out)."""
    if X_val is not None:
        val_is_minority = y_val == minority
        if val_is_minority.all() or not val_is_minority.any():
            raise ValueError("The validation data must contain samples of both classes.")
        return np.arange(X.shape[0]), None, X_val, val_is_minority
    split = binary_holdout(is_minority, validation_fraction, MIN_VALIDATION_MINORITY, random_state)
    if split is None:
        return np.arange(X.shape[0]), None, None, None
    return split[0], split[1], X[split[1]], is_minority[split[1]]


@dataclass
class Split:
    """Which rows train what (see :func:`split_rows`). ``weights`` holds the
    sample weights of ``majority``, ``minority``, ``validation`` and
    ``cutoff`` rows (each None where the rows weigh alike), or is None."""

    train_rows: np.ndarray
    X_major: object
    X_minor: object
    X_val: object
    val_is_minority: np.ndarray | None
    cutoff_rows: np.ndarray | None
    weights: dict | None = None


def split_rows(X, is_minority, X_val, y_val, stream, train_seed, weight, *, settings, n_copies):
    """Which rows train what (:class:`Split`): the validation part (given, or
    held out by ``validation_fraction``), a share of the majority held out
    for a ``contamination`` cut-off when there is no validation part, and in
    image mode the minority's ``n_copies`` augmented copies
    (``minority_augmentation``), which weigh what their image weighs.
    ``settings`` (:class:`SplitSettings`): ``minority`` (the minority's class index),
    ``validation_fraction`` and ``contamination``."""
    train_rows, val_rows, X_val, val_is_minority = training_rows(
        X, is_minority, X_val, y_val, settings.minority, settings.validation_fraction, stream
    )
    cutoff_rows = None
    if settings.contamination is not None and X_val is None:  # "f1" too: its fallback
        train_rows, cutoff_rows = majority_holdout(
            train_rows, is_minority, settings.validation_fraction, stream
        )
    minor_rows = train_rows[is_minority[train_rows]]
    major_rows = train_rows[~is_minority[train_rows]]
    X_minor = X[minor_rows]
    if n_copies:
        X_minor = augment_images(
            X_minor, n_copies, stream_seed(train_seed, "minority_augmentation")
        )
    weights = None
    if weight is not None:
        weights = dict(
            majority=weight[major_rows],
            minority=np.tile(weight[minor_rows], n_copies + 1),
            validation=None if val_rows is None else weight[val_rows],
            cutoff=None if cutoff_rows is None else weight[cutoff_rows],
        )
    return Split(train_rows, X[major_rows], X_minor, X_val, val_is_minority, cutoff_rows, weights)


def majority_holdout(train_rows, is_minority, fraction, random_state):
    """``(train_rows, held_out_rows)``: ``fraction`` (0.2 when None) of the
    training majority, at least one row and never all of it, held out for the
    ``contamination`` cut-off alone; the minority stays whole."""
    majority = train_rows[~is_minority[train_rows]]
    n_out = min(max(int(round((fraction or 0.2) * majority.size)), 1), majority.size - 1)
    if n_out < 1:
        raise ValueError("contamination needs at least two majority samples.")
    held_out = np.sort(random_state.permutation(majority)[:n_out])
    return np.setdiff1d(train_rows, held_out), held_out


def augment_images(images, n_copies, seed):
    """The images, then ``n_copies`` light augmentations of each: a
    horizontal flip with probability 1/2, a shift by up to an eighth of the
    side in each direction (edge pixels repeated), a brightness scale in
    [0.9, 1.1]. ``images``: float32 ``(n, C, H, W)`` in [0, 1]."""
    rng = np.random.RandomState(seed)
    n, _, height, width = images.shape
    sy, sx = max(1, height // 8), max(1, width // 8)
    out = [images]
    for _ in range(n_copies):
        batch = images.copy()
        flip = rng.rand(n) < 0.5
        batch[flip] = batch[flip][..., ::-1]
        padded = np.pad(batch, ((0, 0), (0, 0), (sy, sy), (sx, sx)), mode="edge")
        dy, dx = rng.randint(0, 2 * sy + 1, n), rng.randint(0, 2 * sx + 1, n)
        for i in range(n):
            batch[i] = padded[i, :, dy[i] : dy[i] + height, dx[i] : dx[i] + width]
        batch *= rng.uniform(0.9, 1.1, size=(n, 1, 1, 1)).astype(np.float32)
        out.append(np.clip(batch, 0.0, 1.0, out=batch))
    return np.concatenate(out)
