"""Pieces of EGANClassifier's fit: the image networks, their prefix features
and the checkpoint scores."""

import torch
from sklearn.metrics import average_precision_score, f1_score

from .._core.backbones import split_backbone
from .._core.egan import ImageDiscriminator, ImageGenerator
from .._core.images import embed
from ..image._embedder import _build


def selection_scores():
    # Higher is better; logits are high for the majority, so the minority's
    # score is the negated logit and its predicted set is logit < 0.
    return {
        "average_precision": lambda logits, is_min: average_precision_score(is_min, -logits),
        "f1": lambda logits, is_min: f1_score(is_min, logits < 0, zero_division=0.0),
    }


def image_networks(spec_g, spec_d, trainable_stages, latent_dim, dropout):
    prefix_g, tail_g = split_backbone(spec_g, trainable_stages)
    prefix_d, tail_d = split_backbone(spec_d, trainable_stages)
    generator = ImageGenerator(
        prefix_g,
        tail_g,
        spec_g.n_features,
        spec_g.mean,
        spec_g.std,
        latent_dim=latent_dim,
        output_size=spec_d.input_size,
    )
    discriminator = ImageDiscriminator(
        prefix_d, tail_d, spec_d.n_features, spec_d.mean, spec_d.std, dropout=dropout
    )
    return generator, discriminator


def prefix_array(images, backbone, weights, trainable_stages, input_size, seed, device, batch):
    """Prefix features of images for a named backbone; module-level so that
    ``joblib.Memory`` can cache it (same images and settings, same output)."""
    spec = _build(backbone, weights, input_size, seed)
    prefix, _ = split_backbone(spec, trainable_stages)
    return run_prefix(prefix, images, spec.input_size, spec.mean, spec.std, device, batch).numpy()


def run_prefix(prefix, images, input_size, mean, std, device, batch, verbose=0):
    out = embed(prefix, images, input_size, mean, std, torch.device(device), batch, verbose)
    prefix.cpu()
    return out
