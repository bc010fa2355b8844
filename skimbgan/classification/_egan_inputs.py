"""EGANClassifier's input plumbing: checks of either input kind, the image
networks, and the prefix features the training loop and predictions share."""

import numpy as np
import torch
from sklearn.utils.validation import validate_data

from .._core.random import seeded
from ..utils._images import check_image_input
from ..utils._validation import check_labels
from ._egan_parts import backbone_specs, image_networks, image_prefix, standardise


class EGANInputsMixin:
    """Input methods of :class:`~skimbgan.EGANClassifier` (``input_type``
    ``"features"`` or ``"images"``)."""

    def _check_X(self, X, reset):
        if self.input_type == "features":
            return validate_data(
                self, X, reset=reset, accept_sparse=False, dtype=[np.float64, np.float32]
            )
        return check_image_input(self, X, self.channel_axis, reset)

    def _check_X_y(self, X, y):
        if self.input_type == "features":
            return validate_data(
                self, X, y, reset=True, accept_sparse=False, dtype=[np.float64, np.float32]
            )
        X = self._check_X(X, reset=True)
        return X, check_labels(y, X.shape[0])

    def _image_networks(self, seed):
        backbones = (self.generator_backbone, self.discriminator_backbone)
        specs = backbone_specs(backbones, self.weights, self.input_size, self._backbone_seeds)
        self._specs = [(s.input_size, s.mean, s.std) for s in specs]
        with seeded(seed, "cpu"):
            return image_networks(*specs, self.trainable_stages, self.latent_dim, self.dropout)

    def _prefix(self, network, X, role):
        """Prefix features of ``X`` for the generator (role 0) or the
        discriminator (role 1), as a float32 tensor on the CPU."""
        if self.input_type == "features":
            return torch.from_numpy(standardise(X, self._unit, self._mean, self._scale))
        backbone = (self.generator_backbone, self.discriminator_backbone)[role]
        memory = self.memory if isinstance(backbone, str) else None
        return image_prefix(
            network.prefix,
            X,
            (backbone, self.weights, self.trainable_stages, self._backbone_seeds[role]),
            self._specs[role],
            memory,
            self.device_,
            self.batch_size_inference,
            self.verbose,
        )
