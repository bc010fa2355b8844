"""eGAN (Okerinde et al., arXiv 2104.04162) in plain PyTorch.

- :mod:`.networks`: the encoder-decoder generator and the discriminator, for
  feature vectors (MLPs) and for images (pretrained backbones, partly frozen).
- :mod:`.losses`: the non-saturating BCE-with-logits losses of the paper.
- :mod:`.stack`: several members trained as one network (stacked weights).
- :mod:`.training`: the training loop, with checkpoint selection on held-out
  data.
"""

from .losses import discriminator_loss, generator_loss
from .networks import (
    AveragedDiscriminator,
    ConvDecoder,
    ImageDiscriminator,
    ImageGenerator,
    MLPDiscriminator,
    MLPGenerator,
    PrefixDecoder,
)
from .training import EGANConfig, EGANData, TrainedEGAN, batched_logits, train_egan

__all__ = [
    "AveragedDiscriminator",
    "ConvDecoder",
    "EGANConfig",
    "EGANData",
    "ImageDiscriminator",
    "ImageGenerator",
    "MLPDiscriminator",
    "MLPGenerator",
    "PrefixDecoder",
    "TrainedEGAN",
    "batched_logits",
    "discriminator_loss",
    "generator_loss",
    "train_egan",
]
