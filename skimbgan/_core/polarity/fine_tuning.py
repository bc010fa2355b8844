"""Fine-tuning a backbone F with a classifier C on images, and the epoch loop
that the image system's two trainings share.

:func:`run_epochs` is the loop: batches (plain or class-balanced order,
augmentation), the one-cycle schedules, a history, a validation score per
epoch and the best epoch's F and C kept. What one batch does is the caller's:
:func:`train_fine_tuning` updates F, then C, on the batch (the no-GAN
ablation, ``use_gan=False``); :func:`~.end_to_end.train_end_to_end` adds
Algorithm 1's critic and generator updates.

Randomness: one CPU ``torch.Generator`` for batch order and augmentation;
the global torch RNG (a user's backbone with dropout draws from it) is
seeded for the loop and restored afterwards.
"""

import math
import time
from dataclasses import dataclass

import torch
from torch.nn import functional as F

from ..checkpoint import BestCheckpoint, frozen
from ..history import History
from ..progress import Progress
from ..random import make_generator, seeded, stream_seed
from .inputs import extract


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


def batch_bounds(n, batch_size):
    """``(start, stop)`` of each batch of an epoch of ``n`` rows. A last batch
    of a single row joins the one before it: a BatchNorm layer in training
    mode cannot normalise one sample."""
    starts = list(range(0, n, batch_size))
    if len(starts) > 1 and n - starts[-1] == 1:
        starts.pop()
    return list(zip(starts, starts[1:] + [n], strict=True))


def epoch_rows(y, balanced, rng, sample_weight=None):
    """Row order of one epoch: a permutation, or as many rows drawn with
    replacement with each class equally likely (class-balanced sampling).
    With ``sample_weight`` (positive), rows are drawn with replacement in
    proportion to their weight (within their class when balanced)."""
    n = y.shape[0]
    if sample_weight is None:
        if not balanced:
            return torch.randperm(n, generator=rng)
        weights = 1.0 / torch.bincount(y).float()[y]
    else:
        weights = sample_weight.float()
        if balanced:
            weights = weights / torch.bincount(y, weights=weights).float()[y]
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
def logits_of(extractor, classifier, images, input_size, device, batch_size):
    """``C(F(x))`` for CPU images in [0, 1], both networks in inference mode."""
    h = extract(extractor, images, input_size, device, batch_size)
    was_training = classifier.training
    classifier.eval()
    out = torch.cat([classifier(chunk) for chunk in h.split(batch_size)])
    classifier.train(was_training)
    return out


def one_cycle(optimizer, lr, total_steps):
    return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=total_steps)


@dataclass
class FineTuner:
    """F and C with their loss, optimisers and schedules (AdamW with one
    cycle: the usual recipe for fine-tuning a pretrained network)."""

    inputs: object  # ImageInputs or CachedFeatures: what F reads
    classifier: torch.nn.Module
    loss_fn: object
    opt_f: object
    sched_f: object
    opt_c: object
    sched_c: object
    sample_weight: torch.Tensor | None = None  # of the training rows, on the CPU

    @classmethod
    def build(cls, inputs, classifier, loss_fn, config, n_steps, c_updates=1, sample_weight=None):
        """``n_steps`` batches in all; C is updated ``c_updates`` times a batch."""
        cfg = config
        f_params = [p for p in inputs.extractor.parameters() if p.requires_grad]
        opt_f = sched_f = None  # nothing of F trains with trainable_stages=0
        if f_params:
            opt_f = torch.optim.AdamW(f_params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
        opt_c = torch.optim.AdamW(
            classifier.parameters(), lr=cfg.learning_rate, weight_decay=cfg.weight_decay
        )
        if f_params:
            sched_f = one_cycle(opt_f, cfg.learning_rate, n_steps)
        sched_c = one_cycle(opt_c, cfg.learning_rate, n_steps * c_updates)
        return cls(inputs, classifier, loss_fn, opt_f, sched_f, opt_c, sched_c, sample_weight)

    @property
    def extractor(self):
        return self.inputs.extractor

    def feature_step(self, x, labels):
        """Line 2 of Algorithm 1: F learns through the fixed C. ``x`` is a
        batch of the inputs; returns F's features of it (detached) and the
        loss. With nothing of F to train, the loss is only computed."""
        if self.opt_f is None:
            with torch.no_grad():
                h = self.inputs.features(x)
                return h, self.loss_fn(self.classifier(h), labels).item()
        with frozen(self.classifier):
            h = self.inputs.features(x)
            loss = self.loss_fn(self.classifier(h), labels)
            self.opt_f.zero_grad()
            loss.backward()
            self.opt_f.step()
            self.sched_f.step()
        return h.detach(), loss.item()

    def classifier_step(self, x, labels):
        """One update of C on features ``x`` (real, or real and generated)."""
        loss = self.loss_fn(self.classifier(x), labels)
        self.opt_c.zero_grad()
        loss.backward()
        self.opt_c.step()
        self.sched_c.step()
        return loss.item()


def make_tuner(inputs, classifier, y, n_classes, config, c_updates=1, sample_weight=None):
    """The :class:`FineTuner` of a fit on ``inputs`` (see :mod:`.inputs`),
    and the epoch's batch bounds. With ``sample_weight`` (positive, one per
    training row) the class priors of the logit adjustment are weighted and
    epochs draw rows in proportion to the weights."""
    counts = torch.bincount(y, weights=sample_weight, minlength=n_classes).float()
    priors = counts / counts.sum()
    loss_fn = make_loss(config.class_weight, config.logit_adjustment, priors, inputs.device)
    bounds = batch_bounds(y.shape[0], config.batch_size)
    n_steps = config.n_epochs * len(bounds)
    tuner = FineTuner.build(inputs, classifier, loss_fn, config, n_steps, c_updates, sample_weight)
    return tuner, bounds


def run_epochs(
    tuner, bounds, y, context, batch_fn, validation=None, end_of_epoch=None, desc="Fine-tuning"
):
    """Train for ``config.n_epochs`` epochs; ``batch_fn(x, labels, step)``
    updates the networks on one batch of ``tuner.inputs`` and returns its
    losses.

    ``end_of_epoch()`` runs after each epoch's last batch. With
    ``validation`` (the validation images' class indices and ``score_fn(y_true,
    y_pred)``), each epoch is scored on the inputs' validation images and the
    best epoch's F and C are kept (early stopping after
    ``config.n_iter_no_change`` epochs without improvement); without, the
    last epoch's. ``context`` (:class:`FitContext`): its config, its seed
    (batch order and augmentation) and verbosity; the inputs' device. Returns
    ``(history, checkpoint, epochs_run)``.
    """
    cfg, seed, verbose = context.config, context.seed, context.verbose
    inputs, classifier = tuner.inputs, tuner.classifier
    device = inputs.device
    rng = make_generator(seed, "cpu")  # batch order and augmentation
    history = History()
    best = BestCheckpoint((inputs.extractor, classifier), cfg.n_iter_no_change)
    epoch = step = 0
    total = cfg.n_epochs * len(bounds)
    with seeded(seed, device), Progress(total, verbose, desc=desc) as progress:
        if cfg.probe_epochs:
            row = linear_probe(tuner, y, cfg, seed)
            if validation is not None:
                row["validation_macro_f1"] = _validate(tuner, validation, cfg)
            history.record(epoch=0, step=0, **row)
            best.update(row.get("validation_macro_f1", 0.0), 0)
        for epoch in range(1, cfg.n_epochs + 1):
            started = time.perf_counter()
            order = epoch_rows(y, cfg.balanced_sampling, rng, tuner.sample_weight)
            sums = {}
            for start, stop in bounds:
                rows = order[start:stop]
                x = inputs.batch(rows, rng)
                step += 1
                values = batch_fn(x, y[rows].to(device), step)
                for key, value in values.items():
                    sums[key] = sums.get(key, 0.0) + value
                if step % cfg.log_every == 0:
                    history.record(epoch=epoch, step=step, **values)
                progress.update(1, feature_loss=values["feature_loss"])
            if end_of_epoch is not None:
                end_of_epoch()
            row = {f"epoch_{k}": v / len(bounds) for k, v in sums.items()}
            row["epoch_seconds"] = time.perf_counter() - started
            if validation is not None:
                row["validation_macro_f1"] = _validate(tuner, validation, cfg)
            history.record(epoch=epoch, step=step, **row)
            best.update(row.get("validation_macro_f1", 0.0), epoch, keep=validation is None)
            if best.exhausted:
                break
    best.restore()
    inputs.extractor.eval()
    classifier.eval()
    return history, best, epoch


@torch.no_grad()
def _validate(tuner, validation, config):
    """``score_fn`` of C's predictions on the validation images' features."""
    val_y, score_fn = validation
    classifier = tuner.classifier
    h = tuner.inputs.validation_features()
    classifier.eval()
    logits = torch.cat([classifier(chunk) for chunk in h.split(config.batch_size_inference)])
    classifier.train()
    return score_fn(val_y.numpy(), logits.argmax(1).cpu().numpy())


def linear_probe(tuner, y, config, seed):
    """Train C alone on F's frozen features of the training images.

    The first stage of LP-FT (Kumar et al., ICLR 2022): before F trains, C
    learns F's pretrained features (F in inference mode, no augmentation)
    for ``config.probe_epochs`` passes, with the fit's loss (class weights,
    logit adjustment) and row order (plain or class-balanced), AdamW at
    ``config.learning_rate`` with a one-cycle schedule. Fine-tuning then
    starts from this C instead of a random one, and the probe can be kept as
    epoch 0. Its draws come from their own stream, so the epochs after it see
    the same batches as without it. Returns the history row of epoch 0.
    """
    cfg = config
    started = time.perf_counter()
    features = tuner.inputs.training_features()
    labels = y.to(features.device)
    classifier = tuner.classifier
    rng = make_generator(stream_seed(seed, "classifier_batches"), "cpu")
    bounds = batch_bounds(features.shape[0], cfg.batch_size)
    opt = torch.optim.AdamW(
        classifier.parameters(), lr=cfg.learning_rate, weight_decay=cfg.weight_decay
    )
    schedule = one_cycle(opt, cfg.learning_rate, cfg.probe_epochs * len(bounds))
    total = 0.0
    classifier.train()
    for _ in range(cfg.probe_epochs):
        order = epoch_rows(y, cfg.balanced_sampling, rng, tuner.sample_weight)
        order = order.to(features.device)
        total = 0.0
        for start, stop in bounds:
            rows = order[start:stop]
            loss = tuner.loss_fn(classifier(features[rows]), labels[rows])
            opt.zero_grad()
            loss.backward()
            opt.step()
            schedule.step()
            total += loss.item()
    return {
        "epoch_probe_loss": total / len(bounds),
        "epoch_seconds": time.perf_counter() - started,
    }


def train_fine_tuning(
    inputs, classifier, y, n_classes, context, validation=None, sample_weight=None
):
    """Fine-tune F and C with the classification loss alone (no GAN).

    Each batch: F learns through the fixed C (line 2 of Algorithm 1), then C
    learns the batch's features: the same two updates as the GAN system's,
    without its critic and generator. ``inputs`` (:mod:`.inputs`) holds F and
    the images; ``classifier`` is C, built by the caller; ``validation`` is
    ``(class indices of the validation images, score_fn)`` or None;
    ``sample_weight`` as for :func:`~.end_to_end.train_end_to_end`. Returns a
    :class:`TrainedEndToEnd` without G and D.
    """
    tuner, bounds = make_tuner(inputs, classifier, y, n_classes, context.config, 1, sample_weight)

    def batch(x, labels, step):
        h, feature_loss = tuner.feature_step(x, labels)
        return {"feature_loss": feature_loss, "classifier_loss": tuner.classifier_step(h, labels)}

    history, best, epochs = run_epochs(tuner, bounds, y, context, batch, validation)
    score = best.score if validation is not None else math.nan
    return TrainedEndToEnd(
        inputs.extractor, classifier, None, None, history.as_dict(), best.position, score, epochs
    )
