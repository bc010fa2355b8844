"""Algorithm 1 of Polarity-GAN, with the autoencoder initialisation.

Inputs are tensors already scaled for the networks; the caller (the
``PolarityGANSampler`` wrapper) chooses the anchors and turns the returned
convex weights back into samples in the user's units.
"""

from dataclasses import dataclass, field

import torch
from torch.nn import functional as F

from ..history import History
from ..optim import Adam
from ..progress import Progress
from ..random import make_generator, stream_seed
from .networks import ConditionalCritic, ConvexGenerator, MLPClassifier, draw_rows
from .steps import (
    build_networks,
    classifier_step,
    critic_step,
    generator_step,
    label_distributions,
)


@dataclass
class TrainedPolarityGAN:
    """What a fit returns: the three trained networks and the loss history."""

    generator: ConvexGenerator
    critic: ConditionalCritic
    classifier: MLPClassifier
    history: dict = field(default_factory=dict)
    n_steps: int = 0
    stop_reason: str = "n_steps"


class GeneratorProbe:
    """How far the generator's samples move between two checks.

    A fixed set of inputs (labels, noise, base anchors) is drawn once; at each
    check the generator maps them again and the mean distance each sample moved
    since the previous check is divided by the typical distance between a real
    anchor and its nearest same-class anchor. A value near 0 means the
    generator's output has stopped changing: training has converged. One
    forward pass of ``size`` samples per check, no gradients.
    """

    def __init__(self, generator, class_p, size, rng):
        self.generator = generator
        self.labels = torch.multinomial(class_p, size, replacement=True, generator=rng)
        self.noise = generator.sample_noise(self.labels, rng)
        self.base = generator.sample_bases(self.labels, rng)
        nearest = generator.candidates[:, 0]
        valid = generator.candidate_mask[:, 0]
        gaps = (generator.anchors[nearest] - generator.anchors).norm(dim=1)[valid]
        gaps = gaps[gaps > 0]
        self.unit = float(gaps.median()) if gaps.numel() else 1.0
        self.previous = self.samples()

    @torch.no_grad()
    def samples(self):
        return self.generator(self.noise, self.labels, self.base)[0]

    def change(self):
        """Mean movement since the last call, in nearest-neighbour distances."""
        current = self.samples()
        moved = (current - self.previous).norm(dim=1).mean()
        self.previous = current
        return float(moved) / self.unit


def pretrain_autoencoder(generator, encoder, steps, batch_size, lr, betas, rng, verbose=0):
    """Autoencoder initialisation of G (BAGAN-style, section 4 of the paper).

    A class-agnostic encoder E maps a real anchor ``x_t`` to the noise space;
    the generator, used as the decoder, must rebuild ``x_t`` from a random
    neighbour's neighbourhood with ``x_t`` itself excluded, so it learns the
    local shape of the data rather than to copy. Afterwards the per-class noise
    distribution of G is set to the mean and spread of the codes E gives that
    class's anchors, as BAGAN fits a class-conditional latent distribution.

    With weighted anchors (:meth:`ConvexGenerator.weigh_anchors`) the
    targets are drawn in proportion to their weights. Returns the list of
    reconstruction losses (one per step).
    """
    eligible = torch.nonzero(generator.candidate_mask.any(1)).squeeze(1)
    losses = []
    if steps <= 0 or eligible.numel() == 0:
        return losses
    params = list(generator.parameters()) + list(encoder.parameters())
    optimizer = Adam(params, lr=lr, betas=betas)
    progress = Progress(steps, verbose, desc="PolarityGAN init")
    cumulative = getattr(generator, "anchor_cumweight", None)  # weighted anchors
    if cumulative is not None:
        eligible_weight = torch.diff(cumulative, prepend=cumulative[:1] * 0)[eligible]
    for step in range(steps):
        if cumulative is None:
            pick = torch.randint(
                eligible.numel(), (batch_size,), generator=rng, device=eligible.device
            )
        else:
            pick = torch.multinomial(eligible_weight, batch_size, replacement=True, generator=rng)
        target = eligible[pick]
        labels = generator.anchor_class[target]
        # base: a random real candidate of the target
        mask = generator.candidate_mask[target].float()
        column = torch.multinomial(mask, 1, generator=rng).squeeze(1)
        base = generator.candidates[target, column]
        x_target = generator.anchors[target]
        rebuilt, _, _ = generator(encoder(x_target), labels, base, exclude=target)
        loss = F.mse_loss(rebuilt, x_target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.detach())
        shown = {"reconstruction": float(losses[-1])} if verbose and step % 10 == 0 else {}
        progress.update(1, **shown)
    progress.close()
    losses = torch.stack(losses).tolist()  # one device-to-host copy, not one per step
    with torch.no_grad():
        codes = encoder(generator.anchors)
        for k in torch.unique(generator.anchor_class).tolist():
            class_codes = codes[generator.anchor_class == k]
            generator.noise_mean[k] = class_codes.mean(0)
            if class_codes.shape[0] > 1:
                generator.noise_std[k] = class_codes.std(0).clamp_min(1e-3)
    return losses


def train_polarity_gan(
    X,
    y,
    n_classes,
    anchor_rows,
    generation_counts,
    context,
    sample_weight=None,
):
    """Train G, D and C of Polarity-GAN (Algorithm 1).

    Parameters
    ----------
    X : Tensor (n_samples, n_features), float32, scaled for the networks
    y : LongTensor (n_samples,), class indices in ``[0, n_classes)``
    n_classes : int
    anchor_rows : LongTensor (n_anchors,)
        Rows of ``X`` used as anchors, sorted by class. Every class to be
        generated needs at least one.
    generation_counts : Tensor (n_classes,)
        How many samples each class will get (0 for classes not generated).
        Labels for the critic and classifier updates are drawn in proportion to
        it (the class deficit ``p_k - p_i`` of Algorithm 1, line 6) and labels
        for the generator update uniformly over the classes it makes positive
        (line 9).
    context : FitContext
        ``config`` a :class:`PolarityGANConfig`.
    sample_weight : Tensor (n_samples,) or None
        Positive weights of the rows. Every draw of real rows follows them:
        the critic's real samples (within their class), the classifier's
        real samples and G's base anchors are drawn in proportion to their
        weight instead of uniformly, so each network's expected loss is the
        weighted one, and a row of weight 2 is drawn as often as two copies
        of it would be. The caller leaves rows of weight 0 out.

    Returns
    -------
    TrainedPolarityGAN
    """
    cfg, device, seed, verbose = context.config, context.device, context.seed, context.verbose
    rng = make_generator(seed, device)
    X = X.to(device)
    y = y.to(device)
    order = torch.argsort(y, stable=True)
    X_sorted, y_sorted = X[order], y[order]
    real_count = torch.bincount(y_sorted, minlength=n_classes)
    real_start = torch.cumsum(real_count, 0) - real_count
    weight_sorted = cumulative = None
    if sample_weight is not None:
        weight_sorted = sample_weight.to(device=device, dtype=X.dtype)[order]
        cumulative = torch.cumsum(weight_sorted, 0)

    anchor_rows = anchor_rows.to(device)
    generator, critic, classifier, encoder = build_networks(
        X[anchor_rows], y[anchor_rows], n_classes, cfg, device, seed
    )
    if sample_weight is not None:
        generator.weigh_anchors(sample_weight.to(device)[anchor_rows])

    history = History()
    if cfg.init == "autoencoder":
        recon = pretrain_autoencoder(
            generator,
            encoder,
            cfg.pretrain_steps,
            cfg.batch_size,
            cfg.generator_lr,
            cfg.betas,
            rng,
            verbose,
        )
        for step in range(0, len(recon), cfg.log_every):
            history.record(phase=0, step=step, reconstruction_loss=recon[step])
    elif cfg.init != "random":
        raise ValueError(f"init must be 'autoencoder' or 'random', got {cfg.init!r}.")

    deficit_p, uniform_p = label_distributions(generation_counts, device)

    opt_g = Adam(generator.parameters(), lr=cfg.generator_lr, betas=cfg.betas)
    opt_d = Adam(critic.parameters(), lr=cfg.critic_lr, betas=cfg.betas)
    opt_c = Adam(classifier.parameters(), lr=cfg.classifier_lr, betas=cfg.betas)
    batch = cfg.batch_size
    n_rows = X_sorted.shape[0]
    # the probe has its own random stream: checking convergence does not
    # change what training draws
    probe_rng = make_generator(stream_seed(seed, "probe"), device)
    probe = GeneratorProbe(generator, uniform_p, cfg.probe_size, probe_rng)
    n_updates = 0  # critic updates so far (the lazy penalty counts them)
    quiet_checks = 0
    stop_reason = "n_steps"
    step = -1

    with Progress(cfg.n_steps, verbose, desc="PolarityGAN") as progress:
        for step in range(cfg.n_steps):
            # Lines 4-7: critic and classifier on real data and on G's samples.
            for _ in range(cfg.n_critic):
                labels = torch.multinomial(deficit_p, batch, replacement=True, generator=rng)
                real = X_sorted[draw_rows(labels, real_start, real_count, rng, cumulative)]
                penalise = n_updates % cfg.gp_every == 0
                critic_out = critic_step(
                    generator,
                    critic,
                    opt_d,
                    real,
                    labels,
                    cfg.gp_weight * cfg.gp_every,
                    rng,
                    penalise=penalise,
                )
                if penalise:
                    penalty = critic_out.penalty  # the last one computed
                n_updates += 1
                fake = critic_out.fake
                if weight_sorted is None:
                    rows = torch.randint(n_rows, (batch,), generator=rng, device=device)
                else:
                    rows = torch.multinomial(weight_sorted, batch, replacement=True, generator=rng)
                loss_c = classifier_step(
                    classifier,
                    opt_c,
                    torch.cat([X_sorted[rows], fake]),
                    torch.cat([y_sorted[rows], labels]),
                )

            # Lines 8-11: G against the fixed critic and classifier.
            labels = torch.multinomial(uniform_p, batch, replacement=True, generator=rng)
            loss_g, adversarial, boundary = generator_step(
                generator, critic, classifier, opt_g, labels, cfg.classifier_weight, rng
            )

            checked = (step + 1) % cfg.check_every == 0
            values = {}
            if checked:
                values["generator_change"] = probe.change()
                quiet = cfg.tol is not None and values["generator_change"] < cfg.tol
                quiet_checks = quiet_checks + 1 if quiet else 0
            stop = checked and cfg.tol is not None and quiet_checks >= cfg.n_iter_no_change
            if step % cfg.log_every == 0 or step == cfg.n_steps - 1 or checked:
                values.update(
                    critic_loss=critic_out.loss.item(),
                    wasserstein=critic_out.wasserstein.item(),
                    gradient_penalty=penalty.item(),
                    classifier_loss=loss_c.item(),
                    generator_loss=loss_g.item(),
                    generator_boundary=boundary.item(),
                )
                history.record(phase=1, step=step, **values)
            shown = ("wasserstein", "classifier_loss")
            progress.update(1, **{k: values[k] for k in shown if k in values})
            if stop:
                stop_reason = "converged"
                break
    for module in (generator, critic, classifier):
        module.eval()
    return TrainedPolarityGAN(
        generator, critic, classifier, history.as_dict(), step + 1, stop_reason
    )


@torch.no_grad()
def generate_weights(generator, labels, seed, batch_size=4096):
    """Convex weights for new samples of ``labels`` from a trained generator.

    Returns ``(samples, weights, index)`` on the generator's device, where
    ``samples`` are in the networks' scale and ``weights``/``index`` say which
    anchors (rows of ``generator.anchors``) each sample combines.
    """
    device = generator.anchors.device
    rng = make_generator(seed, device)
    labels = torch.as_tensor(labels, dtype=torch.long, device=device)
    outs = [generator.sample(chunk, rng) for chunk in labels.split(batch_size)]
    if not outs:
        width = generator.candidates.shape[1] + 1
        empty = torch.empty(0, dtype=torch.long, device=device)
        return (
            torch.empty(0, generator.n_features, device=device),
            torch.empty(0, width, device=device),
            empty.reshape(0, width),
        )
    return tuple(torch.cat(parts) for parts in zip(*outs, strict=True))


@torch.no_grad()
def predict_proba(classifier, X, batch_size=8192):
    """Class probabilities of the trained classifier C."""
    parts = [torch.softmax(classifier(chunk), 1) for chunk in X.split(batch_size)]
    return torch.cat(parts) if parts else X.new_empty(0, 0)
