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

With ``use_gan=False`` :func:`~.fine_tuning.train_fine_tuning` runs instead:
F and C are fine-tuned with the classification loss alone, the ablation that
tells the GAN's contribution from the fine-tuning's. Its C starts exactly as
its GAN twin's (same seed, same construction), so the two are a paired
comparison. Both use the epoch loop of :mod:`.fine_tuning`.
"""

import math

import torch

from ..optim import Adam
from ..random import make_generator, stream_seed
from .fine_tuning import TrainedEndToEnd, make_tuner, run_epochs, train_fine_tuning
from .inputs import image_inputs
from .steps import build_networks, critic_step, generator_step, label_distributions, refresh_anchors


def train_end_to_end(
    extractor,
    input_size,
    images,
    y,
    n_classes,
    anchor_rows,
    generation_counts,
    context,
    validation=None,
    score_fn=None,
    sample_weight=None,
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
    context : FitContext
        ``config`` an :class:`EndToEndConfig`; ``seed`` seeds batch order
        and augmentation, G's and D's draws its ``"gan"`` stream.
    validation : (images, y) or None
        Held-out images and class indices: each epoch is scored on them by
        ``score_fn`` and the best epoch's F and C are kept.
    score_fn : callable (y_true, y_pred) -> float, higher is better
        Numpy arrays of class indices in, e.g. macro F1; needed with
        ``validation``.
    sample_weight : Tensor (n,) or None
        Positive weights of the training images: each epoch draws images in
        proportion to them (with replacement; within their class with
        ``balanced_sampling``), the logit adjustment's priors are weighted,
        and G's base anchors and D's real anchors are drawn in proportion
        to the anchors' weights.

    Returns
    -------
    TrainedEndToEnd
    """
    cfg, device, seed = context.config, context.device, context.seed
    extractor = extractor.to(device).train()
    val_images, scoring = None, None
    if validation is not None:
        val_images, scoring = validation[0], (validation[1], score_fn)
    inputs = image_inputs(
        extractor, images, val_images, input_size, cfg.augment, device, cfg.batch_size_inference
    )
    anchor_class = y[anchor_rows].to(device)
    if not cfg.use_gan:
        classifier = twin_classifier(inputs, anchor_class, n_classes, cfg.gan, seed)
        return train_fine_tuning(inputs, classifier, y, n_classes, context, scoring, sample_weight)

    anchors = inputs.training_features(anchor_rows)
    generator, critic, classifier, _ = build_networks(
        anchors, anchor_class, n_classes, cfg.gan, device, seed
    )
    if sample_weight is not None:
        generator.weigh_anchors(sample_weight[anchor_rows])
    deficit_p, uniform_p = label_distributions(generation_counts, device)
    tuner, bounds = make_tuner(
        inputs, classifier, y, n_classes, cfg, c_updates=cfg.gan_steps, sample_weight=sample_weight
    )
    gcfg = cfg.gan
    opt_g = Adam(generator.parameters(), lr=gcfg.generator_lr, betas=gcfg.betas)
    opt_d = Adam(critic.parameters(), lr=gcfg.critic_lr, betas=gcfg.betas)
    gan_rng = make_generator(stream_seed(seed, "gan"), device)  # G's and D's draws

    def refresh():
        # G's anchors follow F; cached features never change
        if not inputs.cached:
            refresh_anchors(generator, inputs.training_features(anchor_rows), gcfg.n_neighbors)

    def batch(x, labels, step):
        values = gan_batch(
            tuner, generator, critic, opt_g, opt_d, x, labels, cfg, gan_rng, (deficit_p, uniform_p)
        )
        if step % cfg.refresh_every == 0:
            refresh()
        return values

    history, best, epochs = run_epochs(
        tuner,
        bounds,
        y,
        context,
        batch,
        scoring,
        end_of_epoch=refresh,  # at each epoch's end too
        desc="PolarityGAN end to end",
    )
    return TrainedEndToEnd(
        extractor,
        classifier,
        generator.eval(),
        critic.eval(),
        history.as_dict(),
        best.position,
        best.score if validation is not None else math.nan,
        epochs,
    )


def twin_classifier(inputs, anchor_class, n_classes, gan_config, seed):
    """C as :func:`train_end_to_end` initialises it with the GAN, for the
    ablation: G and D are built from the same seed first (C's initial weights
    depend on the draws before them), then dropped."""
    width = inputs.training_features(torch.arange(1)).shape[1]
    device = inputs.device
    anchors = torch.zeros(len(anchor_class), width, device=device)  # shapes only
    return build_networks(anchors, anchor_class, n_classes, gan_config, device, seed)[2]


def gan_batch(tuner, generator, critic, opt_g, opt_d, x, labels, cfg, rng, label_p):
    """One batch of Algorithm 1 (lines 2-11); returns the losses as floats."""
    deficit_p, uniform_p = label_p
    real, feature_loss = tuner.feature_step(x, labels)  # line 2: F through the fixed C
    gcfg = cfg.gan
    batch = real.shape[0]
    for _ in range(cfg.gan_steps):
        # lines 4-7: D on anchors of the drawn classes against G's samples; C
        # on the batch's real features and G's samples
        fake_labels = torch.multinomial(deficit_p, batch, replacement=True, generator=rng)
        anchor_rows = generator.sample_bases(fake_labels, rng)  # uniform, or by weight
        out = critic_step(
            generator,
            critic,
            opt_d,
            generator.anchors[anchor_rows],
            fake_labels,
            gcfg.gp_weight,
            rng,
        )
        loss_c = tuner.classifier_step(
            torch.cat([real, out.fake]), torch.cat([labels, fake_labels])
        )
    # lines 8-11: G against the fixed D and C
    g_labels = torch.multinomial(uniform_p, batch, replacement=True, generator=rng)
    loss_g, _, boundary = generator_step(
        generator, critic, tuner.classifier, opt_g, g_labels, gcfg.classifier_weight, rng
    )
    return dict(
        feature_loss=feature_loss,
        classifier_loss=loss_c,
        critic_loss=out.loss.item(),
        wasserstein=out.wasserstein.item(),
        gradient_penalty=out.penalty.item(),
        generator_loss=loss_g.item(),
        generator_boundary=boundary.item(),
    )
