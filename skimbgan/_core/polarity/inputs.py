"""What the image system's classifier C reads: F's features of the images.

Two ways to get them, one interface:

- :class:`ImageInputs`: F reads every batch of images (augmented when asked)
  at every step, because F trains or augmentation changes the images; the
  features of fixed images (anchors, validation images, the probe's
  training images) are recomputed whenever they are asked for, since F may
  have changed since.
- :class:`CachedFeatures`: F cannot change a feature (none of it trains and
  nothing of it acts differently in training mode) and the images are not
  augmented, so F reads each image once, before training, and every batch,
  anchor and validation score after that is a row of that table. A fit then
  costs one pass of the backbone over the images instead of one per epoch,
  per anchor refresh and per validation.

:func:`image_inputs` chooses. Both give the same batches from the same random
draws; their features differ only by float rounding (the backbone's
arithmetic on batches of another size).
"""

import torch
from torch.nn import functional as F

from ..images import embed, preprocess


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


@torch.no_grad()
def extract(extractor, images, input_size, device, batch_size):
    """Features of ``images`` (CPU tensor in [0, 1]) with F in inference mode;
    F is left in training mode (BatchNorm rules of ``SplitBackbone`` apply)."""
    mean = extractor.mean.flatten().tolist()
    std = extractor.std.flatten().tolist()
    out = embed(_Features(extractor), images, input_size, mean, std, device, batch_size)
    extractor.train()
    return out.to(device)


class _Features(torch.nn.Module):
    def __init__(self, extractor):
        super().__init__()
        self.extractor = extractor

    def forward(self, x):
        return self.extractor.features(x)


class ImageInputs:
    """F reads the images at every step (see the module's docstring).

    Parameters
    ----------
    extractor : SplitBackbone
        F.
    images : Tensor (n, C, H, W), float32 in [0, 1], on the CPU
        The training images.
    validation_images : Tensor or None
        Images that score each epoch.
    input_size : int
        Side images are resized to before F.
    augment : bool
        Random shifts and flips of each training batch.
    device : torch.device
    batch_size : int
        Images per batch when features are computed without training.
    """

    #: Whether F's features are computed once (:class:`CachedFeatures`).
    cached = False

    def __init__(
        self, extractor, images, validation_images, input_size, augment, device, batch_size
    ):
        self.extractor = extractor
        self.images = images
        self.validation_images = validation_images
        self.input_size = input_size
        self.augment = augment
        self.device = device
        self.batch_size = batch_size
        self.pad = max(1, round(images.shape[-1] / 8))
        self.mean = extractor.mean.flatten().tolist()
        self.std = extractor.std.flatten().tolist()

    def batch(self, rows, rng):
        """What one training step reads of the training images ``rows``:
        preprocessed images on the device (augmentation draws from ``rng``)."""
        x = self.images[rows]
        if self.augment:
            x = augment(x, self.pad, rng)
        return preprocess(x.to(self.device), self.input_size, self.mean, self.std)

    def features(self, x):
        """F's features of a :meth:`batch`, with F's gradient."""
        return self.extractor.features(x)

    def training_features(self, rows=None):
        """F's features of the training images ``rows`` (all: None) in
        inference mode, without augmentation; ``rows`` a LongTensor."""
        images = self.images if rows is None else self.images[rows]
        return extract(self.extractor, images, self.input_size, self.device, self.batch_size)

    def validation_features(self):
        """F's features of the validation images in inference mode."""
        return extract(
            self.extractor, self.validation_images, self.input_size, self.device, self.batch_size
        )


class CachedFeatures(ImageInputs):
    """F reads every image once; batches are rows of its features (see the
    module's docstring). Built only for an F that :func:`reads_the_same`,
    without augmentation."""

    cached = True

    def __init__(self, extractor, images, validation_images, input_size, device, batch_size):
        super().__init__(
            extractor, images, validation_images, input_size, False, device, batch_size
        )
        self.table = super().training_features()
        self.validation_table = None
        if validation_images is not None:
            self.validation_table = super().validation_features()

    def batch(self, rows, rng):
        return self.table[rows.to(self.table.device)]

    def features(self, x):
        return x

    def training_features(self, rows=None):
        return self.table if rows is None else self.table[rows.to(self.table.device)]

    def validation_features(self):
        return self.validation_table


def reads_the_same(extractor):
    """Whether F gives each image the same features all through training:
    none of its parameters trains, and no layer of its tail (its prefix is
    always in inference mode) acts differently in training mode (dropout,
    batch normalisation)."""
    if any(p.requires_grad for p in extractor.parameters()):
        return False
    moody = (torch.nn.modules.dropout._DropoutNd, torch.nn.modules.batchnorm._BatchNorm)
    return not any(isinstance(layer, moody) for layer in extractor.tail.modules())


def image_inputs(extractor, images, validation_images, input_size, augment, device, batch_size):
    """:class:`CachedFeatures` when F :func:`reads_the_same` and the images are
    not augmented, else :class:`ImageInputs`."""
    shared = (extractor, images, validation_images, input_size)
    if not augment and reads_the_same(extractor):
        return CachedFeatures(*shared, device, batch_size)
    return ImageInputs(*shared, augment, device, batch_size)
