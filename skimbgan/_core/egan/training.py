"""The eGAN training loop, with checkpoint selection on held-out data.

Inputs are prefix features (see :mod:`.networks`): the discriminator's prefix
applied to the majority samples, the generator's prefix applied to the minority
samples. The caller (the ``EGANClassifier`` wrapper) computes them once,
chooses the validation data and turns logits into predictions.
"""

import math
from dataclasses import dataclass, field

import torch

from ..checkpoint import BestCheckpoint, frozen
from ..history import History
from ..progress import Progress
from ..random import make_generator, seeded
from .losses import discriminator_loss, generator_loss, minority_loss


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
def batched_logits(discriminator, h, batch_size=1024):
    """The discriminator's logits for prefix features ``h``, in eval mode."""
    was_training = discriminator.training
    discriminator.eval()
    parts = [discriminator.from_prefix(chunk) for chunk in h.split(batch_size)]
    discriminator.train(was_training)
    return torch.cat(parts) if parts else h.new_empty(0)


def _trainable(module):
    return [p for p in module.parameters() if p.requires_grad]


def train_egan(
    generator,
    discriminator,
    majority,
    minority,
    config,
    device,
    seed,
    validation=None,
    score_fn=None,
    verbose=0,
    minority_real=None,
):
    """Train eGAN's generator and discriminator.

    Parameters
    ----------
    generator, discriminator : nn.Module
        From :mod:`.networks`, already built (their initialisation is the
        caller's, under a seeded RNG).
    majority : Tensor (n_majority, ...)
        Discriminator prefix features of the majority training samples.
    minority : Tensor (n_minority, ...)
        Generator prefix features of the minority training samples.
    config : EGANConfig
    device : torch.device
    seed : int
        Seeds the batches and dropout; the global RNG is restored afterwards.
    validation : tuple (Tensor, BoolTensor), optional
        Discriminator prefix features of held-out samples and whether each is
        a minority sample. Every ``eval_every`` steps the discriminator scores
        them with ``score_fn(logits, is_minority) -> float`` (higher is better);
        the best checkpoint is kept and training stops after
        ``n_iter_no_change`` evaluations without improvement. Without it, the
        networks after ``n_steps`` steps are kept.
    score_fn : callable, optional
    verbose : int
    minority_real : Tensor (n_minority, ...), optional
        Discriminator prefix features of the same minority samples (row for
        row), used as D's negatives with weight ``config.minority_weight``.

    Returns
    -------
    TrainedEGAN
    """
    cfg = config
    rng = make_generator(seed, device)
    generator.to(device)
    discriminator.to(device)
    majority = majority.to(device)
    minority = minority.to(device)
    use_real_minority = minority_real is not None and cfg.minority_weight > 0
    if use_real_minority:
        minority_real = minority_real.to(device)
    if validation is not None:
        val_h, val_minority = validation[0].to(device), validation[1]
    n_major, n_minor = majority.shape[0], minority.shape[0]
    minor_batch = min(n_minor, cfg.batch_size)

    opt_g = torch.optim.Adam(_trainable(generator), lr=cfg.generator_lr, betas=cfg.betas)
    opt_d = torch.optim.Adam(_trainable(discriminator), lr=cfg.discriminator_lr, betas=cfg.betas)

    history = History()
    best = BestCheckpoint((generator, discriminator), cfg.n_iter_no_change)
    stop_reason = "n_steps"
    step = 0
    # Dropout draws from the global RNG: seed it, and restore it afterwards.
    with seeded(seed, device), Progress(cfg.n_steps, verbose, desc="eGAN") as progress:
        generator.train()
        discriminator.train()
        for step in range(1, cfg.n_steps + 1):
            real = majority[torch.randint(n_major, (cfg.batch_size,), generator=rng, device=device)]
            picked = None
            if minor_batch < n_minor:
                picked = torch.randperm(n_minor, generator=rng, device=device)[:minor_batch]
                source = minority[picked]
            else:
                source = minority  # the paper: every minority sample, every step

            # D: majority is real, G(minority) is fake.
            with torch.no_grad():
                fake = generator(source)
            real_logits = discriminator.from_prefix(real)
            fake_logits = discriminator(fake)
            loss_d = discriminator_loss(real_logits, fake_logits)
            if use_real_minority:
                rows = minority_real if picked is None else minority_real[picked]
                loss_d = loss_d + cfg.minority_weight * minority_loss(
                    discriminator.from_prefix(rows)
                )
            opt_d.zero_grad(set_to_none=True)
            loss_d.backward()
            opt_d.step()

            # G: make D call its reconstructions majority.
            with frozen(discriminator):
                loss_g = generator_loss(discriminator(generator(source)))
                opt_g.zero_grad(set_to_none=True)
                loss_g.backward()
                opt_g.step()

            values = {}
            if step % cfg.log_every == 0 or step == cfg.n_steps:
                values = dict(
                    discriminator_loss=loss_d.item(),
                    generator_loss=loss_g.item(),
                    real_logit=real_logits.mean().item(),
                    fake_logit=fake_logits.mean().item(),
                )
                if not all(math.isfinite(v) for v in values.values()):
                    history.record(step=step, **values)
                    stop_reason = "diverged"
                    break
            if validation is not None and (step % cfg.eval_every == 0 or step == cfg.n_steps):
                score = float(score_fn(batched_logits(discriminator, val_h), val_minority))
                values["validation_score"] = score
                best.update(score, step)
            if values:
                history.record(step=step, **values)
            progress.update(
                1, **{k: v for k, v in values.items() if k != "real_logit" and k != "fake_logit"}
            )
            if best.exhausted:
                stop_reason = "n_iter_no_change"
                break
    kept = best.restore()
    generator.eval()
    discriminator.eval()
    return TrainedEGAN(
        generator,
        discriminator,
        history.as_dict(),
        best_step=best.position if kept else step,
        best_score=best.score if kept else math.nan,
        n_steps=step,
        stop_reason=stop_reason,
    )
