"""Polarity-GAN's image system: Algorithm 1 with a trainable feature extractor.

For each mini-batch of real images (Algorithm 1 as skimbgan reads it):

1. line 2: the feature extractor F learns through the classifier C, which is
   held fixed: cross-entropy of ``C(F(x))``;
2. lines 3-7, ``gan_steps`` times: the critic D learns real features of a
   class against G's samples of that class, and C learns the batch's real
   features (as F gave them in step 1) together with G's samples;
3. lines 8-11: G learns against the fixed D and C
   (:func:`~skimbgan._core.polarity.steps.generator_step`).

G, D and C and their updates are those of ``PolarityGANSampler``
(:mod:`.training`); only F and the data pipeline are new. G combines
*anchors*: the features of a fixed set of real training images. Their values
depend on F, which changes, so they are recomputed (F in inference mode, no
augmentation) every ``refresh_every`` batches; anchor ``i`` stays the same
image, so what G has learnt about it keeps its meaning. The critic's real
samples are drawn from the same anchors, so D and G always compare like with
like.

With ``use_gan=False`` the same loop runs without steps 2's critic and 3:
F and C are fine-tuned with cross-entropy alone, the ablation that tells the
GAN's contribution from the fine-tuning's.
"""

import math
import time
from dataclasses import dataclass

import torch
from torch.nn import functional as F

from ..checkpoint import BestCheckpoint, frozen
from ..history import History
from ..images import embed, preprocess
from ..optim import Adam
from ..progress import Progress
from ..random import make_generator
from .networks import draw_rows
from .steps import (
    build_networks,
    classifier_step,
    critic_step,
    generator_step,
    label_distributions,
    refresh_anchors,
)


@dataclass
class TrainedEndToEnd:
    """The feature extractor and classifier of the kept epoch, G and D as they
    ended, the history, and which epoch was kept."""

    extractor: torch.nn.Module
    classifier: torch.nn.Module
    generator: torch.nn.Module | None
    critic: torch.nn.Module | None
    history: dict
    best_epoch: int
    best_score: float
    n_epochs: int


def augment(images, pad, rng):
    """Random shifts (zero padding of ``pad`` pixels, then a random crop of the
    original size) and horizontal flips with probability 1/2, per image."""
    n, _, height, width = images.shape
    padded = F.pad(images, (pad, pad, pad, pad))
    dy = torch.randint(0, 2 * pad + 1, (n,), generator=rng).tolist()
    dx = torch.randint(0, 2 * pad + 1, (n,), generator=rng).tolist()
    flip = (torch.rand(n, generator=rng) < 0.5).tolist()
    out = torch.empty_like(images)
    for i in range(n):
        crop = padded[i, :, dy[i] : dy[i] + height, dx[i] : dx[i] + width]
        out[i] = crop.flip(-1) if flip[i] else crop
    return out


def batch_bounds(n, batch_size):
    """``(start, stop)`` of each batch of an epoch of ``n`` rows. A last batch
    of a single row joins the one before it: a BatchNorm layer in training
    mode cannot normalise one sample."""
    starts = list(range(0, n, batch_size))
    if len(starts) > 1 and n - starts[-1] == 1:
        starts.pop()
    return list(zip(starts, starts[1:] + [n], strict=True))


def epoch_rows(y, balanced, rng):
    """Row order of one epoch: a permutation, or as many rows drawn with
    replacement with each class equally likely (class-balanced sampling)."""
    n = y.shape[0]
    if not balanced:
        return torch.randperm(n, generator=rng)
    counts = torch.bincount(y).float()
    weights = 1.0 / counts[y]
    return torch.multinomial(weights, n, replacement=True, generator=rng)


def make_loss(class_weight, logit_adjustment, priors, device):
    """Cross-entropy with optional class weights and logit adjustment
    (``logits + tau * log(prior)`` in the training loss; Menon et al., 2021)."""
    weight = None
    if class_weight is not None:
        weight = torch.as_tensor(class_weight, dtype=torch.float32, device=device)
    shift = None
    if logit_adjustment:
        shift = logit_adjustment * torch.log(priors.to(device))

    def loss(logits, labels):
        if shift is not None:
            logits = logits + shift
        return F.cross_entropy(logits, labels, weight=weight)

    return loss


@torch.no_grad()
def extract(extractor, images, input_size, device, batch_size):
    """Features of ``images`` (CPU tensor in [0, 1]) with F in inference mode;
    F is left in training mode (BatchNorm rules of ``SplitBackbone`` apply)."""
    mean = extractor.mean.flatten().tolist()
    std = extractor.std.flatten().tolist()
    module = _Features(extractor)
    out = embed(module, images, input_size, mean, std, device, batch_size)
    extractor.train()
    return out.to(device)


class _Features(torch.nn.Module):
    def __init__(self, extractor):
        super().__init__()
        self.extractor = extractor

    def forward(self, x):
        return self.extractor.features(x)


@torch.no_grad()
def logits_of(extractor, classifier, images, input_size, device, batch_size):
    """``C(F(x))`` for CPU images in [0, 1], both networks in inference mode."""
    h = extract(extractor, images, input_size, device, batch_size)
    was_training = classifier.training
    classifier.eval()
    out = torch.cat([classifier(chunk) for chunk in h.split(batch_size)])
    classifier.train(was_training)
    return out


def _one_cycle(optimizer, lr, total_steps):
    return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=total_steps)


def train_end_to_end(
    extractor,
    input_size,
    images,
    y,
    n_classes,
    anchor_rows,
    generation_counts,
    config,
    device,
    seed,
    validation=None,
    score_fn=None,
    verbose=0,
):
    """Train F, C (and G, D) of Polarity-GAN's image system.

    Parameters
    ----------
    extractor : SplitBackbone
        F: its tail trains, its prefix is frozen.
    input_size : int
        Side images are resized to before F.
    images : Tensor (n, C, H, W), float32 in [0, 1], on the CPU
    y : LongTensor (n,), class indices
    n_classes : int
    anchor_rows : LongTensor (n_anchors,)
        Rows of ``images`` whose features G combines, sorted by class.
    generation_counts : sequence of n_classes numbers
        How much each class is short of the largest (0: G never makes it).
    config : EndToEndConfig
    device : torch.device
    seed : int
    validation : (images, y) or None
        Held-out images and class indices: each epoch is scored on them by
        ``score_fn`` and the best epoch's F and C are kept.
    score_fn : callable (y_true, y_pred) -> float, higher is better
        Numpy arrays of class indices in, e.g. macro F1; needed with
        ``validation``.
    verbose : int

    Returns
    -------
    TrainedEndToEnd
    """
    cfg = config
    rng = make_generator(seed, "cpu")  # batches and augmentation (CPU side)
    gan_rng = make_generator(seed + 1, device)  # G's draws
    extractor = extractor.to(device).train()
    pad = max(1, round(images.shape[-1] / 8))
    mean = extractor.mean.flatten().tolist()
    std = extractor.std.flatten().tolist()
    priors = torch.bincount(y, minlength=n_classes).float() / y.shape[0]
    loss_fn = make_loss(cfg.class_weight, cfg.logit_adjustment, priors, device)

    anchor_class = y[anchor_rows].to(device)
    anchor_images = images[anchor_rows]
    if cfg.use_gan:
        anchors = extract(extractor, anchor_images, input_size, device, cfg.batch_size_inference)
    else:  # only the shapes matter: G and D are built (so C starts the same) but unused
        width = _n_features(extractor, images, input_size, mean, std, device)
        anchors = torch.zeros(len(anchor_rows), width, device=device)
    generator, critic, classifier, _ = build_networks(
        anchors, anchor_class, n_classes, cfg.gan, device, seed
    )
    deficit_p, uniform_p = (None, None)
    if cfg.use_gan:
        deficit_p, uniform_p = label_distributions(generation_counts, device)

    bounds = batch_bounds(images.shape[0], cfg.batch_size)
    n_batches = len(bounds)
    total = cfg.n_epochs * n_batches
    f_params = [p for p in extractor.parameters() if p.requires_grad]
    opt_f = None  # nothing of F trains with trainable_stages=0
    if f_params:
        opt_f = torch.optim.AdamW(f_params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    opt_c = torch.optim.AdamW(
        classifier.parameters(), lr=cfg.learning_rate, weight_decay=cfg.weight_decay
    )
    sched_f = _one_cycle(opt_f, cfg.learning_rate, total) if f_params else None
    c_updates = cfg.gan_steps if cfg.use_gan else 1
    sched_c = _one_cycle(opt_c, cfg.learning_rate, total * c_updates)
    gcfg = cfg.gan
    opt_g = Adam(generator.parameters(), lr=gcfg.generator_lr, betas=gcfg.betas)
    opt_d = Adam(critic.parameters(), lr=gcfg.critic_lr, betas=gcfg.betas)

    history = History()
    best = BestCheckpoint((extractor, classifier), cfg.n_iter_no_change)
    epoch = 0
    step = 0
    with Progress(total, verbose, desc="PolarityGAN end to end") as progress:
        for epoch in range(1, cfg.n_epochs + 1):
            started = time.perf_counter()
            order = epoch_rows(y, cfg.balanced_sampling, rng)
            sums = {}
            for start, stop in bounds:
                rows = order[start:stop]
                x = images[rows]
                if cfg.augment:
                    x = augment(x, pad, rng)
                x = preprocess(x.to(device), input_size, mean, std)
                labels = y[rows].to(device)
                values = _batch(
                    extractor,
                    classifier,
                    generator,
                    critic,
                    x,
                    labels,
                    loss_fn,
                    (opt_f, opt_c, opt_g, opt_d),
                    (sched_f, sched_c),
                    cfg,
                    deficit_p,
                    uniform_p,
                    gan_rng,
                )
                for key, value in values.items():
                    sums[key] = sums.get(key, 0.0) + value
                step += 1
                if cfg.use_gan and step % cfg.refresh_every == 0:
                    fresh = extract(
                        extractor, anchor_images, input_size, device, cfg.batch_size_inference
                    )
                    refresh_anchors(generator, fresh, gcfg.n_neighbors)
                if step % cfg.log_every == 0:
                    history.record(epoch=epoch, step=step, **values)
                progress.update(1, **{k: values[k] for k in ("feature_loss",) if k in values})
            if cfg.use_gan:  # G's anchors follow F at each epoch's end too
                fresh = extract(
                    extractor, anchor_images, input_size, device, cfg.batch_size_inference
                )
                refresh_anchors(generator, fresh, gcfg.n_neighbors)
            row = {f"epoch_{k}": v / n_batches for k, v in sums.items()}
            row["epoch_seconds"] = time.perf_counter() - started
            if validation is not None:
                val_images, val_y = validation
                logits = logits_of(
                    extractor, classifier, val_images, input_size, device, cfg.batch_size_inference
                )
                pred = logits.argmax(1).cpu().numpy()
                row["validation_macro_f1"] = score_fn(val_y.numpy(), pred)
            history.record(epoch=epoch, step=step, **row)
            best.update(row.get("validation_macro_f1", 0.0), epoch, keep=validation is None)
            if best.exhausted:
                break
    best.restore()
    extractor.eval()
    classifier.eval()
    return TrainedEndToEnd(
        extractor,
        classifier,
        generator.eval() if cfg.use_gan else None,
        critic.eval() if cfg.use_gan else None,
        history.as_dict(),
        best.position,
        best.score if validation is not None else math.nan,
        epoch,
    )


def _n_features(extractor, images, input_size, mean, std, device):
    with torch.no_grad():
        extractor.eval()
        out = extractor.features(preprocess(images[:1].to(device), input_size, mean, std))
        extractor.train()
    return out.shape[1]


def _batch(
    extractor,
    classifier,
    generator,
    critic,
    x,
    labels,
    loss_fn,
    opts,
    scheds,
    cfg,
    deficit_p,
    uniform_p,
    rng,
):
    """One batch of Algorithm 1; returns the losses as floats."""
    opt_f, opt_c, opt_g, opt_d = opts
    sched_f, sched_c = scheds
    values = {}
    # line 2: F through the fixed C
    with frozen(classifier):
        h = extractor.features(x)
        loss_f = loss_fn(classifier(h), labels)
        if opt_f is not None:
            opt_f.zero_grad()
            loss_f.backward()
            opt_f.step()
            sched_f.step()
    values["feature_loss"] = loss_f.item()
    real = h.detach()
    if not cfg.use_gan:
        values["classifier_loss"] = classifier_step(classifier, opt_c, real, labels, loss_fn).item()
        sched_c.step()
        return values
    gcfg = cfg.gan
    batch = real.shape[0]
    for _ in range(cfg.gan_steps):
        # lines 4-7: D on anchors of the drawn classes against G's samples; C
        # on the batch's real features and G's samples
        fake_labels = torch.multinomial(deficit_p, batch, replacement=True, generator=rng)
        anchor_rows = draw_rows(fake_labels, generator.anchor_start, generator.anchor_count, rng)
        out = critic_step(
            generator,
            critic,
            opt_d,
            generator.anchors[anchor_rows],
            fake_labels,
            gcfg.gp_weight,
            rng,
        )
        loss_c = classifier_step(
            classifier,
            opt_c,
            torch.cat([real, out.fake]),
            torch.cat([labels, fake_labels]),
            loss_fn,
        )
        sched_c.step()
    # lines 8-11: G against the fixed D and C
    g_labels = torch.multinomial(uniform_p, batch, replacement=True, generator=rng)
    loss_g, _, boundary = generator_step(
        generator, critic, classifier, opt_g, g_labels, gcfg.classifier_weight, rng
    )
    values.update(
        classifier_loss=loss_c.item(),
        critic_loss=out.loss.item(),
        wasserstein=out.wasserstein.item(),
        gradient_penalty=out.penalty.item(),
        generator_loss=loss_g.item(),
        generator_boundary=boundary.item(),
    )
    return values
