"""Image arrays in the layouts the image estimators accept."""

import numpy as np


def to_channels_first(X, channel_axis=None, name="ImageEmbedder"):
    """Validate an image array and return it as float32 (n, C, H, W) in [0, 1].

    Accepted: (n, H, W) grayscale; (n, H, W, C) or (n, C, H, W) with C in {1, 3}.
    uint8 is divided by 255; floats must already lie in [0, 1]. When both axis 1
    and the last axis could be channels, ``channel_axis`` (1 or -1) must say which.
    """
    if hasattr(X, "to_numpy"):
        X = X.to_numpy()
    X = np.asarray(X)
    if X.dtype == object or not (
        np.issubdtype(X.dtype, np.integer) or np.issubdtype(X.dtype, np.floating)
    ):
        raise ValueError(f"Images must be numeric arrays, got dtype {X.dtype}.")
    if X.ndim == 2:
        raise ValueError(
            f"Got a 2-D array: {name} takes images of shape (n, H, W), "
            "(n, H, W, C) or (n, C, H, W). Reshape flattened images first, e.g. "
            "X.reshape(-1, 28, 28)."
        )
    if X.ndim == 3:
        X = X[:, None]
    elif X.ndim == 4:
        first, last = X.shape[1] in (1, 3), X.shape[-1] in (1, 3)
        if channel_axis is None:
            if first and last:
                raise ValueError(
                    f"Ambiguous image layout {X.shape}: both axis 1 and the last axis "
                    "could hold channels; set channel_axis=1 or channel_axis=-1."
                )
            if not first and not last:
                raise ValueError(f"Images of shape {X.shape} have no channel axis of size 1 or 3.")
            channel_axis = 1 if first else -1
        if channel_axis in (-1, 3):
            X = np.moveaxis(X, -1, 1)
        elif channel_axis != 1:
            raise ValueError(f"channel_axis must be 1 or -1, got {channel_axis!r}.")
        if X.shape[1] not in (1, 3):
            raise ValueError(f"Images must have 1 or 3 channels, got {X.shape[1]}.")
    else:
        raise ValueError(f"Images must be 3-D or 4-D arrays, got shape {X.shape}.")
    if X.shape[0] == 0:
        raise ValueError("Found an empty array of images.")
    if np.issubdtype(X.dtype, np.integer):
        if X.min() < 0 or X.max() > 255:
            raise ValueError("Integer images must hold values in [0, 255].")
        return (X / 255.0).astype(np.float32)
    if not np.all(np.isfinite(X)):
        raise ValueError("Images contain NaN or infinity.")
    if X.min() < -1e-6 or X.max() > 1 + 1e-6:
        raise ValueError("Float images must be scaled to [0, 1] (uint8 images are divided by 255).")
    return X.astype(np.float32)


def check_image_input(estimator, X, channel_axis, reset):
    """Images for a classifier that takes them: float32 (n, C, H, W) in [0, 1].

    Sparse input is refused; with ``reset`` the image shape is stored as
    ``estimator.image_shape_``, otherwise ``X`` must have that shape.
    """
    if hasattr(X, "tocsr") or hasattr(X, "sparse"):
        raise TypeError(f"{type(estimator).__name__} does not take sparse input.")
    images = to_channels_first(X, channel_axis, type(estimator).__name__)
    if reset:
        estimator.image_shape_ = tuple(images.shape[1:])
    elif tuple(images.shape[1:]) != estimator.image_shape_:
        raise ValueError(
            f"Images of shape (channels, height, width) = {tuple(images.shape[1:])}; "
            f"the classifier was fitted on {estimator.image_shape_}."
        )
    return images
