"""The eGAN training loop, with checkpoint selection on held-out data.

Inputs are prefix features (see :mod:`.networks`): the discriminator's prefix
applied to the majority samples, the generator's prefix applied to the minority
samples. The caller (the ``EGANClassifier`` wrapper) computes them once,
chooses the validation data and turns logits into predictions.

The loop trains ``K`` eGANs at once as a stack (:mod:`.stack`): one step
updates every member, each with its own weights, batches and dropout masks,
its own checkpoint, early stopping and divergence check. A member that stops
is written out to its own networks and dropped from the stack, so the
members still training run alone. A stack of one is the single eGAN of the
paper.
"""

import math
from dataclasses import dataclass, field

import torch

from ..checkpoint import TensorCheckpoint
from ..history import History
from ..optim import Adam
from ..progress import Progress
from ..random import make_generator, seeded
from .losses import discriminator_loss, generator_loss, minority_loss
from .stack import stack


@dataclass
class EGANConfig:
    """Hyper-parameters of one eGAN fit (see ``EGANClassifier``)."""

    n_steps: int = 1000
    batch_size: int = 128
    generator_lr: float = 1e-4
    discriminator_lr: float = 1e-4
    betas: tuple = (0.9, 0.999)
    eval_every: int = 50
    n_iter_no_change: int | None = 10
    log_every: int = 10
    # weight of real minority samples as D's negatives (0: the paper, which
    # shows D only G's reconstructions of them)
    minority_weight: float = 0.0
    # drop members that stopped from a stack (MLP members), so that they cost
    # nothing more; False keeps them training unseen until every member stops
    drop_stopped: bool = True


@dataclass
class EGANData:
    """What one fit trains on, as prefix features (tensors on any device).

    ``majority``: the discriminator's prefix features of the majority training
    samples; ``minority``: the generator's of the minority training samples;
    ``validation``: ``(features, is_minority)`` of held-out samples (the
    discriminator's prefix), or None; ``minority_real``: the discriminator's
    prefix features of the same minority samples, row for row, used as D's
    negatives with weight ``config.minority_weight`` (None without them).

    ``majority_sample_weight`` and ``minority_sample_weight``: positive
    weights of the rows (None: equal). Majority batches are drawn in
    proportion to theirs; the minority's losses (D's on G's reconstructions,
    G's, and the real minority's) are means weighted by theirs.
    """

    majority: torch.Tensor
    minority: torch.Tensor
    validation: tuple | None = None
    minority_real: torch.Tensor | None = None
    majority_sample_weight: torch.Tensor | None = None
    minority_sample_weight: torch.Tensor | None = None


@dataclass
class TrainedEGAN:
    """What a fit returns: the networks of the chosen checkpoint and the history.

    ``best_step`` is the number of steps of the kept checkpoint (the last one
    when there was no validation data); ``best_score`` its validation score
    (NaN without validation data or without a sound checkpoint); ``n_steps``
    how many steps ran; ``stop_reason`` why training ended: ``"n_steps"``
    (the budget), ``"n_iter_no_change"`` (early stopping) or ``"diverged"``
    (a loss became infinite or NaN; training stops there).
    """

    generator: torch.nn.Module
    discriminator: torch.nn.Module
    history: dict = field(default_factory=dict)
    best_step: int = 0
    best_score: float = math.nan
    n_steps: int = 0
    stop_reason: str = "n_steps"

    @property
    def diverged(self):
        return self.stop_reason == "diverged"


@torch.no_grad()
def batched_logits(discriminator, h, batch_size=1024, n_members=None):
    """The discriminator's logits for prefix features ``h``, in eval mode:
    ``(n,)`` for a network, ``(K, n)`` for a stack of ``n_members`` networks
    that all score the same ``h``."""
    was_training = discriminator.training
    discriminator.eval()
    if n_members is None:
        parts = [discriminator.from_prefix(chunk) for chunk in h.split(batch_size)]
    else:
        parts = [
            discriminator.from_prefix(chunk.unsqueeze(0).expand(n_members, *chunk.shape))
            for chunk in h.split(batch_size)
        ]
    discriminator.train(was_training)
    if not parts:
        return h.new_empty(0) if n_members is None else h.new_empty(n_members, 0)
    return torch.cat(parts, dim=-1)


def _trainable(module):
    return [p for p in module.parameters() if p.requires_grad]


def _member_views(networks, k):
    """Member ``k``'s trainable weights as views into the stacks' tensors."""
    return [
        p.detach()[k] if network.stacked else p.detach()
        for network in networks
        for p in _trainable(network)
    ]


class _Members:
    """Book-keeping of ``K`` members trained together: history, checkpoint,
    steps and why each stopped, and ``order``, the members the stack still
    holds (member ``order[i]`` at position ``i``). A member that stopped
    records nothing more; its kept checkpoint is what it was when it
    stopped. With ``drop_stopped`` it leaves the stack at once; otherwise it
    keeps training, unseen, until every member has stopped."""

    def __init__(self, networks, n_members, patience):
        self.n = n_members
        self.histories = [History() for _ in range(n_members)]
        self.best = [
            TensorCheckpoint(_member_views(networks, k), patience) for k in range(n_members)
        ]
        self.stop_reason = ["n_steps"] * n_members
        self.steps = [0] * n_members
        self.active = [True] * n_members
        self.order = list(range(n_members))
        self.kept = [False] * n_members

    def stop(self, k, reason):
        self.stop_reason[k] = reason
        self.active[k] = False

    @property
    def running(self):
        return any(self.active)


def _draws(n_rows, batch, n_members, rng, device, weight=None):
    """``(K, batch)`` row indices drawn with replacement, a row of them per
    member: uniformly, or in proportion to ``weight``."""
    if weight is None:
        return torch.randint(n_rows, (n_members, batch), generator=rng, device=device)
    rows = torch.multinomial(weight, n_members * batch, replacement=True, generator=rng)
    return rows.view(n_members, batch)


def _subsets(n_rows, batch, n_members, rng, device):
    """``(K, batch)`` distinct row indices per member, or None when ``batch``
    is every row (every member then takes them all)."""
    if batch >= n_rows:
        return None
    return torch.stack(
        [torch.randperm(n_rows, generator=rng, device=device)[:batch] for _ in range(n_members)]
    )


def _live(index, members, device):
    """``index``'s rows of the members the stack still holds (all of them:
    ``index`` itself). Draws are made for every member, so each member's
    batches are the same whether or not others were dropped."""
    if index is None or len(members.order) == members.n:
        return index
    return index[torch.as_tensor(members.order, device=device)]


def _rows(tensor, index, n_members):
    """``tensor``'s rows for each member: ``tensor[index]`` (``(K, b, ...)``),
    or every row for every member when ``index`` is None (no copy)."""
    if index is None:
        return tensor.unsqueeze(0).expand(n_members, *tensor.shape)
    return tensor[index]


def train_egan(generators, discriminators, data, context, score_fn=None):
    """Train ``K`` eGANs together: member ``k`` is ``generators[k]`` and
    ``discriminators[k]``.

    Parameters
    ----------
    generators, discriminators : list of nn.Module
        From :mod:`.networks`, already built (their initialisation is the
        caller's, under a seeded RNG). MLP members are stacked into one
        network; other networks train one at a time (a list of one).
    data : EGANData
        The prefix features (see :class:`EGANData`). With validation data,
        every ``eval_every`` steps each member's discriminator scores it with
        ``score_fn(logits, is_minority) -> float`` (higher is better); each
        member keeps its best checkpoint and stops after ``n_iter_no_change``
        evaluations without improvement. Without it, the networks after
        ``n_steps`` steps are kept.
    context : FitContext
        ``config`` an :class:`EGANConfig`; ``seed`` seeds the batches and
        dropout (the global RNG is restored afterwards); each member draws
        its own batches and masks from these streams.
    score_fn : callable, optional

    Returns
    -------
    list of TrainedEGAN
        One per member, with the member's own networks (the modules passed
        in, trained, in eval mode).
    """
    cfg, device, seed, verbose = context.config, context.device, context.seed, context.verbose
    n_members = len(generators)
    generator, discriminator = stack(generators, discriminators)
    generator.to(device)
    discriminator.to(device)
    rng = make_generator(seed, device)
    majority = data.majority.to(device)
    minority = data.minority.to(device)
    minority_real = None
    if data.minority_real is not None and cfg.minority_weight > 0:
        minority_real = data.minority_real.to(device)
    validation = data.validation
    if validation is not None:
        val_h, val_minority = validation[0].to(device), validation[1]
    n_major, n_minor = majority.shape[0], minority.shape[0]
    minor_batch = min(n_minor, cfg.batch_size)
    major_weight = minor_weight = None
    if data.majority_sample_weight is not None:
        major_weight = data.majority_sample_weight.to(device)
    if data.minority_sample_weight is not None:
        minor_weight = data.minority_sample_weight.to(device)

    g_params, d_params = _trainable(generator), _trainable(discriminator)
    opt_g = Adam(g_params, lr=cfg.generator_lr, betas=cfg.betas)
    opt_d = Adam(d_params, lr=cfg.discriminator_lr, betas=cfg.betas)
    members = _Members((generator, discriminator), n_members, cfg.n_iter_no_change)
    networks = (generators, discriminators)
    # G's reconstructions are D's prefix features, or D's raw inputs (which
    # go through D's frozen prefix, with gradients flowing back to G)
    in_prefix = bool(generator.outputs_prefix)
    score_fake = discriminator.from_prefix if in_prefix else discriminator
    # Dropout draws from the global RNG: seed it, and restore it afterwards.
    with seeded(seed, device), Progress(cfg.n_steps, verbose, desc="eGAN") as progress:
        generator.train()
        discriminator.train()
        for step in range(1, cfg.n_steps + 1):
            n_live = len(members.order)
            drawn = _draws(n_major, cfg.batch_size, n_members, rng, device, major_weight)
            real = majority[_live(drawn, members, device)]
            picked = _live(_subsets(n_minor, minor_batch, n_members, rng, device), members, device)
            weight = None if minor_weight is None else _rows(minor_weight, picked, n_live)
            # G's reconstructions, once: D learns from them detached, then G
            # learns through the updated D (G has not changed in between).
            fake = generator(_rows(minority, picked, n_live))

            # D: majority is real, G(minority) is fake (and, with
            # minority_weight, the real minority too).
            prefix_parts = [real]
            if minority_real is not None:
                prefix_parts.append(_rows(minority_real, picked, n_live))
            if in_prefix:
                prefix_parts.append(fake.detach())
            prefix_logits, raw_logits = discriminator.score_together(
                prefix_parts, [] if in_prefix else [fake.detach()]
            )
            real_logits, *minority_logits = prefix_logits[: len(prefix_parts) - in_prefix]
            fake_logits = prefix_logits[-1] if in_prefix else raw_logits[0]
            loss_d = discriminator_loss(real_logits, fake_logits, weight)
            if minority_logits:
                loss_d = loss_d + cfg.minority_weight * minority_loss(minority_logits[0], weight)
            opt_d.step(torch.autograd.grad(loss_d.sum(), d_params))

            # G: make D call its reconstructions majority (D's weights get
            # no gradient: only G's are asked for).
            loss_g = generator_loss(score_fake(fake), weight)
            opt_g.step(torch.autograd.grad(loss_g.sum(), g_params))

            rows = [{} for _ in range(n_members)]
            if step % cfg.log_every == 0 or step == cfg.n_steps:
                _log(rows, members, step, loss_d, loss_g, real_logits, fake_logits)
            if validation is not None and (step % cfg.eval_every == 0 or step == cfg.n_steps):
                logits = batched_logits(discriminator, val_h, n_members=n_live)
                for i, k in enumerate(members.order):
                    if members.active[k]:
                        score = float(score_fn(logits[i], val_minority))
                        rows[k]["validation_score"] = score
                        members.best[k].update(score, step)
            for k in members.order:
                if rows[k]:
                    members.histories[k].record(step=step, **rows[k])
                if members.active[k]:
                    members.steps[k] = step
                    if members.best[k].exhausted:
                        members.stop(k, "n_iter_no_change")
            progress.update(1, **{k: v for k, v in rows[0].items() if not k.endswith("_logit")})
            if not members.running:
                break
            stopped = not all(members.active[k] for k in members.order)
            if cfg.drop_stopped and generator.stacked and stopped:
                stacks, optimisers = (generator, discriminator), (opt_g, opt_d)
                (g_params, d_params), (opt_g, opt_d) = _drop_stopped(
                    stacks, optimisers, networks, members, device
                )
    _write_out((generator, discriminator), networks, members, only_stopped=False)
    return _trained(networks, members)


def _log(rows, members, step, loss_d, loss_g, real_logits, fake_logits):
    """Fill each active member's history row with its losses and mean logits
    (one transfer to the host); a member whose values are not all finite
    has diverged and stops there."""
    values = torch.stack(
        [loss_d, loss_g, real_logits.mean(-1), fake_logits.mean(-1)], dim=1
    ).detach()
    values = values.double().cpu().numpy()
    for i, k in enumerate(members.order):
        if not members.active[k]:
            continue
        row = rows[k]
        row.update(
            discriminator_loss=values[i, 0],
            generator_loss=values[i, 1],
            real_logit=values[i, 2],
            fake_logit=values[i, 3],
        )
        if not math.isfinite(values[i].sum()):
            members.histories[k].record(step=step, **row)
            row.clear()
            members.steps[k] = step
            members.stop(k, "diverged")


def _drop_stopped(stacks, optimisers, networks, members, device):
    """Write the members that stopped out to their own networks and keep only
    the others in the ``(generator, discriminator)`` stacks; returns their
    new trainable parameters and the optimisers carried over to them."""
    _write_out(stacks, networks, members, only_stopped=True)
    keep = [i for i, k in enumerate(members.order) if members.active[k]]
    index = torch.as_tensor(keep, device=device)
    for network in stacks:
        network.keep(index)
    params = tuple(_trainable(network) for network in stacks)
    optimisers = tuple(opt.select(p, index) for opt, p in zip(optimisers, params, strict=True))
    members.order = [members.order[i] for i in keep]
    for i, k in enumerate(members.order):
        members.best[k].rebind(_member_views(stacks, i))
    return params, optimisers


def _write_out(stacks, networks, members, only_stopped):
    """The members of the ``(generator, discriminator)`` stacks that stopped
    (``only_stopped``), or all of them: each one's kept checkpoint restored
    and written into its own networks. (A single network, ``SingleStack``,
    was trained in place: there is nothing to copy.)"""
    chosen = [k for k in members.order if not (only_stopped and members.active[k])]
    for k in chosen:
        members.kept[k] = members.best[k].restore()
    device = next(stacks[0].parameters()).device
    for network, nets in zip(stacks, networks, strict=True):
        network.write_to([nets[k].to(device) if k in chosen else None for k in members.order])


def _trained(networks, members):
    """Each member's networks (with its kept checkpoint) and history."""
    out = []
    for k in range(members.n):
        generator, discriminator = networks[0][k], networks[1][k]
        generator.eval()
        discriminator.eval()
        best = members.best[k]
        kept = members.kept[k]
        out.append(
            TrainedEGAN(
                generator,
                discriminator,
                members.histories[k].as_dict(),
                best_step=best.position if kept else members.steps[k],
                best_score=best.score if kept else math.nan,
                n_steps=members.steps[k],
                stop_reason=members.stop_reason[k],
            )
        )
    return out
