"""Several eGANs trained as one network: the members' weights stacked.

An ensemble of small MLP eGANs trained one after another spends its time on
per-step overhead (a few hundred tiny operations a step, each one costing more
to launch than to compute). Stacking the members' weights along a leading axis
turns each layer of all ``K`` members into one batched matrix product, so one
training step updates every member at once.

The training loop (:func:`~.training.train_egan`) works on *stacks*: a
generator maps ``(K, m, ...)`` prefix features to ``(K, m, ...)``
reconstructions and a discriminator returns ``(K, n)`` logits, member ``k``
seeing only slice ``k``. Members never mix: member ``k``'s loss depends on its
own weights alone, so the gradient of the summed loss is each member's own
gradient.

- :class:`StackedMLPGenerator`, :class:`StackedMLPDiscriminator`: the feature
  networks of ``K`` members, built from (and written back to) the ordinary
  :class:`~.networks.MLPGenerator` / :class:`~.networks.MLPDiscriminator`, so
  each member keeps the initialisation of its own seed.
- :class:`SingleStack`: any one network (the image networks) as a stack of one.
"""

import torch
from torch import nn
from torch.nn import functional as F

from .networks import MLPDiscriminator, MLPGenerator


class StackedLinear(nn.Module):
    """``K`` linear layers applied to ``K`` inputs: ``(K, n, in) -> (K, n, out)``.

    The weights keep ``nn.Linear``'s layout, ``(K, out, in)``; with ``K = 1``
    the layer runs ``F.linear`` itself, so a stack of one computes exactly
    what the single network did.
    """

    def __init__(self, layers):
        super().__init__()
        self.weight = nn.Parameter(torch.stack([layer.weight.detach() for layer in layers]))
        self.bias = nn.Parameter(torch.stack([layer.bias.detach() for layer in layers]))

    def forward(self, x):
        if self.weight.shape[0] == 1:
            return F.linear(x[0], self.weight[0], self.bias[0]).unsqueeze(0)
        return torch.baddbmm(self.bias.unsqueeze(1), x, self.weight.transpose(1, 2))

    def write_to(self, layers):
        """Copy each member's weights back into ``layers`` (``nn.Linear``)."""
        with torch.no_grad():
            for k, layer in enumerate(layers):
                layer.weight.copy_(self.weight[k])
                layer.bias.copy_(self.bias[k])


def _stack_sequential(sequentials):
    """One ``nn.Sequential`` whose linear layers are stacked; activations and
    dropout (element-wise) are shared modules."""
    layers = []
    for parts in zip(*sequentials, strict=True):
        first = parts[0]
        layers.append(StackedLinear(parts) if isinstance(first, nn.Linear) else first)
    return nn.Sequential(*layers)


def _write_sequential(stacked, sequentials):
    for position, layer in enumerate(stacked):
        if isinstance(layer, StackedLinear):
            layer.write_to([sequential[position] for sequential in sequentials])


class StackedMLPGenerator(nn.Module):
    """The encoder-decoders of ``K`` :class:`~.networks.MLPGenerator` members."""

    stacked = True  # every parameter has the member axis first

    def __init__(self, members):
        super().__init__()
        self.encoder = _stack_sequential([m.encoder for m in members])
        self.decoder = _stack_sequential([m.decoder for m in members])

    def forward(self, h):
        return self.decoder(F.leaky_relu(self.encoder(h), 0.2))

    def write_to(self, members):
        """Copy the trained weights back into the ``members`` it was built from."""
        _write_sequential(self.encoder, [m.encoder for m in members])
        _write_sequential(self.decoder, [m.decoder for m in members])
        return members


class StackedMLPDiscriminator(nn.Module):
    """The discriminators of ``K`` :class:`~.networks.MLPDiscriminator` members."""

    stacked = True

    def __init__(self, members):
        super().__init__()
        self.net = _stack_sequential([m.net for m in members])

    def from_prefix(self, h):
        return self.net(h).squeeze(-1)

    def forward(self, x):
        return self.from_prefix(x)

    def write_to(self, members):
        _write_sequential(self.net, [m.net for m in members])
        return members


class SingleStack(nn.Module):
    """One network as a stack of one: ``(1, n, ...)`` in, ``(1, n, ...)`` out.

    ``network`` is an eGAN generator (``forward``) or discriminator
    (``from_prefix`` on cached prefix features, ``forward`` on raw inputs).
    Its parameters have no member axis (``stacked = False``).
    """

    stacked = False

    def __init__(self, network):
        super().__init__()
        self.network = network

    def from_prefix(self, h):
        return self.network.from_prefix(h[0]).unsqueeze(0)

    def forward(self, x):
        return self.network(x[0]).unsqueeze(0)

    def write_to(self, members):
        return [self.network]


def stack(generators, discriminators):
    """``(generator, discriminator)`` stacks of the members' networks: the MLP
    members batched into one network, any other single network wrapped."""
    mlps = all(isinstance(g, MLPGenerator) for g in generators) and all(
        isinstance(d, MLPDiscriminator) for d in discriminators
    )
    if mlps:
        return StackedMLPGenerator(generators), StackedMLPDiscriminator(discriminators)
    if len(generators) != 1:
        raise ValueError("Only MLP members can be stacked; train other networks one at a time.")
    return SingleStack(generators[0]), SingleStack(discriminators[0])
