"""Networks of eGAN.

Both networks work on *prefix features*: what a frozen front part of the
network gives for a real input. That part's output never changes during
training, so it is computed once per real sample; only the trainable rest runs
at each step. For feature vectors the prefix is the identity.

- The generator maps the prefix features of a minority sample to a
  reconstruction in the discriminator's input space (standardised features, or
  an image in ``[0, 1]``): encoder -> latent code -> decoder. An image
  generator may instead reconstruct in the discriminator's *prefix-feature*
  space (``outputs_prefix``): the discriminator then scores its outputs with
  its trainable tail alone, and no reconstruction runs through the frozen
  prefix.
- The discriminator returns one logit per sample (higher = more like the
  majority). ``from_prefix`` scores cached prefix features of real samples;
  calling it on raw inputs (the generator's outputs) runs the prefix too, with
  gradients flowing back to the generator.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

from ..backbones import SplitBackbone
from ..layers import mlp


class MLPGenerator(nn.Module):
    """Encoder-decoder for feature vectors: ``x -> z (latent_dim) -> x'``."""

    outputs_prefix = False  # the prefix is the identity: either space is the same

    def __init__(self, n_features, hidden_dims=(128, 128), latent_dim=128):
        super().__init__()
        self.prefix = nn.Identity()
        self.encoder = mlp(n_features, hidden_dims, latent_dim)
        self.decoder = mlp(latent_dim, tuple(reversed(hidden_dims)), n_features)

    def forward(self, h):
        return self.decoder(F.leaky_relu(self.encoder(h), 0.2))


class MLPDiscriminator(nn.Module):
    """MLP with dropout before its linear output: one logit per sample."""

    def __init__(self, n_features, hidden_dims=(128, 128), dropout=0.2):
        super().__init__()
        self.prefix = nn.Identity()
        self.net = mlp(n_features, hidden_dims, 1, dropout=dropout)

    def from_prefix(self, h):
        return self.net(h).squeeze(1)

    def forward(self, x):
        return self.from_prefix(x)


class ConvDecoder(nn.Module):
    """Latent code -> RGB image in ``[0, 1]`` of side ``output_size``.

    A linear layer to a ``128 x s x s`` map (``s = ceil(output_size / 8)``),
    three stride-2 transposed convolutions, a sigmoid, and a resize when
    ``8 s`` is not ``output_size``.
    """

    def __init__(self, latent_dim, output_size, width=128):
        super().__init__()
        self.output_size = int(output_size)
        self.side = math.ceil(self.output_size / 8)
        self.width = int(width)
        self.project = nn.Linear(latent_dim, self.width * self.side * self.side)
        w = self.width
        self.deconv = nn.Sequential(
            nn.ConvTranspose2d(w, w // 2, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(w // 2, w // 4, 4, stride=2, padding=1),
            nn.LeakyReLU(0.2),
            nn.ConvTranspose2d(w // 4, 3, 4, stride=2, padding=1),
        )

    def forward(self, z):
        x = F.leaky_relu(self.project(z), 0.2).view(-1, self.width, self.side, self.side)
        x = torch.sigmoid(self.deconv(x))
        if x.shape[-1] != self.output_size:
            x = F.interpolate(x, size=(self.output_size,) * 2, mode="bilinear", align_corners=False)
        return x


class PrefixDecoder(nn.Module):
    """Latent code -> a tensor of ``shape`` (the discriminator's prefix
    features of one image): an MLP (:func:`~..layers.mlp`) with hidden widths
    ``hidden_dims`` and a linear output, reshaped."""

    def __init__(self, latent_dim, shape, hidden_dims=(128, 128)):
        super().__init__()
        self.shape = tuple(int(n) for n in shape)
        self.net = mlp(latent_dim, tuple(hidden_dims), math.prod(self.shape))

    def forward(self, z):
        return self.net(z).view(-1, *self.shape)


class _BackboneNetwork(SplitBackbone):
    """A frozen backbone prefix and a trainable tail; BatchNorm layers of the
    backbone stay in inference mode whatever ``train()`` is called with."""

    def __init__(self, prefix, tail, mean, std):
        super().__init__(prefix, tail, mean, std, train_tail_batchnorm=False)


class ImageGenerator(_BackboneNetwork):
    """Pretrained encoder (prefix + tail + pooling) -> Dense(latent_dim) ->
    decoder.

    The decoder is a :class:`ConvDecoder` to images in ``[0, 1]`` of side
    ``output_size`` (the paper's), or, with ``prefix_shape``, a
    :class:`PrefixDecoder` to the discriminator's prefix features of that
    shape (``outputs_prefix`` is then True; ``hidden_dims`` are its widths).
    """

    def __init__(
        self,
        prefix,
        tail,
        n_features,
        mean,
        std,
        latent_dim=128,
        output_size=64,
        prefix_shape=None,
        hidden_dims=(128, 128),
    ):
        super().__init__(prefix, tail, mean, std)
        self.to_latent = nn.Linear(n_features, latent_dim)
        self.outputs_prefix = prefix_shape is not None
        if self.outputs_prefix:
            self.decoder = PrefixDecoder(latent_dim, prefix_shape, hidden_dims)
        else:
            self.decoder = ConvDecoder(latent_dim, output_size)

    def forward(self, h):
        return self.decoder(F.leaky_relu(self.to_latent(self.tail(h)), 0.2))


class ImageDiscriminator(_BackboneNetwork):
    """Pretrained backbone (prefix + tail + pooling) -> dropout -> Dense(1)."""

    def __init__(self, prefix, tail, n_features, mean, std, dropout=0.2):
        super().__init__(prefix, tail, mean, std)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(n_features, 1))

    def from_prefix(self, h):
        return self.head(self.tail(h)).squeeze(1)

    def forward(self, images):
        """Logits of images in ``[0, 1]``, already at the network's input size."""
        return self.from_prefix(self.prefix(self.normalise(images)))


class AveragedDiscriminator(nn.Module):
    """The mean logit of several discriminators that share one frozen prefix.

    Averaging independently trained discriminators (each its own eGAN,
    initialisation and batches) lowers the variance of the score, as a
    bagged or seed-averaged network ensemble does. ``prefix`` is the first
    member's: the members' prefixes are the same frozen network.
    """

    def __init__(self, members):
        super().__init__()
        self.members = nn.ModuleList(members)

    @property
    def prefix(self):
        return self.members[0].prefix

    def from_prefix(self, h):
        return torch.stack([member.from_prefix(h) for member in self.members]).mean(0)

    def forward(self, x):
        return torch.stack([member(x) for member in self.members]).mean(0)
