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

Both kinds of discriminator stack score several batches with
``score_together``: the MLP stacks in one pass over all their rows. The MLP
stacks can also ``keep`` a subset of their members, so that members which
stopped training (early stopping) cost nothing more.
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
        """Copy each member's weights back into ``layers`` (``nn.Linear``, one
        per member; None skips that member)."""
        with torch.no_grad():
            for k, layer in enumerate(layers):
                if layer is not None:
                    layer.weight.copy_(self.weight[k])
                    layer.bias.copy_(self.bias[k])

    def keep(self, index):
        """Keep only the members at positions ``index`` (new parameters)."""
        self.weight = nn.Parameter(self.weight.detach()[index].clone())
        self.bias = nn.Parameter(self.bias.detach()[index].clone())


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
            layer.write_to([None if s is None else s[position] for s in sequentials])


def _keep_sequential(stacked, index):
    for layer in stacked:
        if isinstance(layer, StackedLinear):
            layer.keep(index)


def _parts(members, name):
    return [None if member is None else getattr(member, name) for member in members]


class StackedMLPGenerator(nn.Module):
    """The encoder-decoders of ``K`` :class:`~.networks.MLPGenerator` members."""

    stacked = True  # every parameter has the member axis first
    outputs_prefix = False

    def __init__(self, members):
        super().__init__()
        self.encoder = _stack_sequential([m.encoder for m in members])
        self.decoder = _stack_sequential([m.decoder for m in members])

    def forward(self, h):
        return self.decoder(F.leaky_relu(self.encoder(h), 0.2))

    def write_to(self, members):
        """Copy the trained weights back into the ``members`` it was built from
        (one per position of the stack; None skips that position)."""
        _write_sequential(self.encoder, _parts(members, "encoder"))
        _write_sequential(self.decoder, _parts(members, "decoder"))
        return members

    def keep(self, index):
        """Keep only the members at positions ``index`` (a 1-d index tensor):
        the stack's parameters are replaced, so build optimisers anew."""
        _keep_sequential(self.encoder, index)
        _keep_sequential(self.decoder, index)


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

    def score_together(self, prefix_parts, raw_parts):
        """The logits of several batches from one pass over their rows put
        together (the prefix is the identity, so prefix features and raw
        inputs are alike): ``(prefix logits, raw logits)``, a list each."""
        parts = [*prefix_parts, *raw_parts]
        logits = self.from_prefix(torch.cat(parts, dim=1))
        logits = list(logits.split([part.shape[1] for part in parts], dim=-1))
        return logits[: len(prefix_parts)], logits[len(prefix_parts) :]

    def write_to(self, members):
        _write_sequential(self.net, _parts(members, "net"))
        return members

    def keep(self, index):
        _keep_sequential(self.net, index)


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

    @property
    def outputs_prefix(self):
        """A generator whose outputs are the discriminator's prefix features."""
        return getattr(self.network, "outputs_prefix", False)

    def from_prefix(self, h):
        return self.network.from_prefix(h[0]).unsqueeze(0)

    def forward(self, x):
        return self.network(x[0]).unsqueeze(0)

    def score_together(self, prefix_parts, raw_parts):
        """``(prefix logits, raw logits)`` of several batches, a pass each
        (prefix features and raw inputs go through different parts)."""
        return [self.from_prefix(h) for h in prefix_parts], [self(x) for x in raw_parts]

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
