"""Hyper-parameters of the two Polarity-GAN loops, and the optimiser policy.

Optimisers, one rule per kind of network:

- G, D and C of the GAN (both loops) use :class:`skimbgan._core.optim.Adam`,
  a few lines of our own: it makes the same updates as ``torch.optim.Adam``
  without importing ``torch.optim``'s dispatch machinery, which the sampler's
  first fit in a fresh process would otherwise pay for (the sampler is the
  step users put in pipelines and cross-validation).
- The backbone F and the classifier C of the image system use
  ``torch.optim.AdamW`` with a one-cycle learning rate: the standard recipe
  for fine-tuning a pretrained network, where weight decay and warm-up
  matter and the import cost does not (a fit takes minutes).
- eGAN uses ``torch.optim.Adam`` at 1e-4, the paper's optimiser and rate.
"""

from dataclasses import dataclass, field


@dataclass
class PolarityGANConfig:
    """Hyper-parameters of one Polarity-GAN fit (see ``PolarityGANSampler``)."""

    n_steps: int = 200
    batch_size: int = 128
    n_critic: int = 1
    noise_dim: int = 32
    hidden_dims: tuple = (128, 128)
    generator_lr: float = 3e-3
    critic_lr: float = 2e-3
    classifier_lr: float = 2e-3
    betas: tuple = (0.6, 0.9)
    gp_weight: float = 10.0
    # the penalty on one critic update in gp_every, weighted gp_every times
    # (lazy regularisation); 1: on every update, as in WGAN-GP
    gp_every: int = 1
    classifier_weight: float = 1.0
    n_neighbors: int | None = 5
    max_anchor_weight: float = 0.75
    init: str = "random"
    pretrain_steps: int = 300
    log_every: int = 10
    # convergence: every check_every steps, how far a fixed probe of generated
    # samples moved; stop after n_iter_no_change checks below tol (None: never)
    tol: float | None = None
    n_iter_no_change: int = 2
    check_every: int = 50
    probe_size: int = 256
    # widths of C's hidden layers; None: the same as hidden_dims
    classifier_hidden_dims: tuple | None = None


@dataclass
class EndToEndConfig:
    """Hyper-parameters of one end-to-end fit (see ``PolarityGANClassifier``)."""

    n_epochs: int = 8
    batch_size: int = 64
    learning_rate: float = 1e-3
    weight_decay: float = 1e-4
    augment: bool = True
    use_gan: bool = True
    gan_steps: int = 1
    refresh_every: int = 50
    class_weight: tuple | None = None
    balanced_sampling: bool = False
    logit_adjustment: float = 0.0
    n_iter_no_change: int | None = None
    # passes of a linear probe (C on F's frozen features) before fine-tuning,
    # scored as epoch 0; 0: none
    probe_epochs: int = 0
    batch_size_inference: int = 256
    log_every: int = 10
    gan: PolarityGANConfig = field(default_factory=PolarityGANConfig)
