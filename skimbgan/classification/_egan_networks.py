"""EGANClassifier's networks: MLPs for features, pretrained backbones for
images, and the features of their frozen prefix."""

import copy

import numpy as np
import torch
from sklearn.utils.validation import check_memory

from .._core.backbones import build_seeded, split_backbone
from .._core.egan import ImageDiscriminator, ImageGenerator, MLPDiscriminator, MLPGenerator
from .._core.images import embed
from .._core.random import seeded

#: Standardised features are clipped to this many training standard
#: deviations: a value far outside the training data gets the same score as
#: one at this distance, instead of overflowing the networks' float32.
CLIP = 1e4


def image_networks(
    spec_g, spec_d, trainable_stages, latent_dim, dropout, reconstruction="images", hidden_dims=()
):
    """``(generator, discriminator)`` on the two backbones. ``reconstruction``
    ``"prefix"``: the generator's outputs are the discriminator's prefix
    features (an MLP decoder with ``hidden_dims``); ``"images"``: images at
    the discriminator's input size."""
    prefix_g, tail_g = split_backbone(spec_g, trainable_stages)
    prefix_d, tail_d = split_backbone(spec_d, trainable_stages)
    shape = None
    if reconstruction == "prefix":
        shape = prefix_shape(prefix_d, spec_d.input_size)
    generator = ImageGenerator(
        prefix_g,
        tail_g,
        spec_g.n_features,
        spec_g.mean,
        spec_g.std,
        latent_dim=latent_dim,
        output_size=spec_d.input_size,
        prefix_shape=shape,
        hidden_dims=hidden_dims,
    )
    discriminator = ImageDiscriminator(
        prefix_d, tail_d, spec_d.n_features, spec_d.mean, spec_d.std, dropout=dropout
    )
    return generator, discriminator


def prefix_shape(prefix, input_size):
    """The shape of ``prefix``'s output for one image of side ``input_size``."""
    was_training = prefix.training
    prefix.eval()
    with torch.no_grad():
        shape = prefix(torch.zeros(1, 3, input_size, input_size)).shape[1:]
    prefix.train(was_training)
    return tuple(shape)


def prefix_array(images, backbone, weights, trainable_stages, input_size, seed, device, batch):
    """Prefix features of images for a named backbone; module-level so that
    ``joblib.Memory`` can cache it (same images and settings, same output)."""
    spec = build_seeded(backbone, weights, input_size, seed)
    prefix, _ = split_backbone(spec, trainable_stages)
    return run_prefix(prefix, images, spec.input_size, spec.mean, spec.std, device, batch).numpy()


def run_prefix(prefix, images, input_size, mean, std, device, batch, verbose=0):
    return embed(prefix, images, input_size, mean, std, torch.device(device), batch, verbose)


def standardise(X, unit, mean, scale):
    """Features as the networks see them: float32, clipped to ``CLIP``."""
    return np.clip((X / unit - mean) / scale, -CLIP, CLIP).astype(np.float32)


def feature_networks(n_features, hidden_dims, latent_dim, dropout, seed):
    """MLP generator and discriminator."""
    with seeded(seed, "cpu"):
        generator = MLPGenerator(n_features, hidden_dims, latent_dim)
        discriminator = MLPDiscriminator(n_features, hidden_dims, dropout)
    return generator, discriminator


def backbone_specs(backbones, weights, input_size, seeds):
    """The generator's and the discriminator's backbones. A module of the
    user's is copied: the two networks train their own tails, and the
    parameter passed in is never changed."""
    return [
        build_seeded(copy.deepcopy(backbone), weights, input_size, seed)
        for backbone, seed in zip(backbones, seeds, strict=True)
    ]


def image_prefix(prefix, images, named, spec, memory, device, batch, verbose):
    """Prefix features of images as a float32 tensor on the CPU; through
    ``memory`` (a disk cache) when it is set. ``named`` is ``(backbone,
    weights, trainable_stages, seed)``, what rebuilds the prefix for the cache;
    ``spec`` is ``(input_size, mean, std)``."""
    size, mean, std = spec
    if memory is not None:
        backbone, weights, trainable_stages, seed = named
        out = check_memory(memory).cache(prefix_array)(
            images, backbone, weights, trainable_stages, size, seed, str(device), batch
        )
        return torch.from_numpy(out)
    return run_prefix(prefix, images, size, mean, std, device, batch, verbose)
