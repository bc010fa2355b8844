"""EGANClassifier's two kinds of input, as two small strategy objects.

``input_type`` picks one (:data:`INPUTS`); the estimator asks it, and never
tests ``input_type`` itself, for what differs between the kinds: how inputs
are checked, what ``"auto"`` resolves to, how the networks are built (and the
features standardised), how many augmented copies of each minority image
train, the frozen prefix's features, the embedding that closeness to the
known minority is measured in, and the input tags.
"""

import copy

import numpy as np
import torch
from sklearn.utils.validation import validate_data

from .._core.layers import check_hidden_dims
from .._core.random import seeded
from ..utils._image_input import check_image_input
from ..utils._scaling import scaling
from ..utils._validation import check_labels
from ._egan_networks import (
    backbone_specs,
    feature_networks,
    image_networks,
    image_prefix,
    standardise,
)


class FeatureInputs:
    """Feature vectors: standardised on the training rows, MLP networks.

    ``"auto"``: Adam's usual 1e-3 for small MLPs (the paper's 1e-4
    under-fits them), five seed-averaged eGANs, and a closeness prior of
    50 (``closeness_weight`` 0.96 at 2 minority samples, 0.91 at 5).
    """

    name = "features"
    auto_learning_rate = 1e-3
    auto_n_estimators = 5
    auto_closeness_prior = 50.0
    auto_n_iter_no_change = 10

    def check_X(self, model, X, reset):
        return validate_data(
            model, X, reset=reset, accept_sparse=False, dtype=[np.float64, np.float32]
        )

    def check_X_y(self, model, X, y):
        return validate_data(
            model, X, y, reset=True, accept_sparse=False, dtype=[np.float64, np.float32]
        )

    def minority_copies(self, model):
        """Augmented copies of each minority sample: none for features."""
        return 0

    def networks(self, model, X, split, weight):
        """``build(seed) -> (generator, discriminator)``; first sets the
        standardisation, fitted on the training rows (weighted)."""
        train_weight = None if weight is None else weight[split.train_rows]
        model._unit, model._mean, model._scale = scaling(
            X[split.train_rows], train_weight, dtype=np.float64
        )
        # closeness is measured in X's own geometry (one scale for all columns)
        model._geometry = (model._scale * model._unit / model._unit.max()).astype(np.float32)
        widths = check_hidden_dims(model.hidden_dims)
        n_features = X.shape[1]

        def build(seed):
            return feature_networks(n_features, widths, model.latent_dim, model.dropout, seed)

        return build

    def prefix(self, model, network, X, role):
        return torch.from_numpy(standardise(X, model._unit, model._mean, model._scale))

    def embedder(self, discriminator):
        """Closeness needs no network: it is measured on the features."""
        return None

    def embed(self, model, h):
        """The features as given, up to one scale and shift for all columns
        (so distances cannot overflow): standardising each column would
        weigh every column alike, which on embeddings lets the many
        low-variance dimensions drown the informative ones. Scale the
        columns first when their units differ, as for any distance."""
        return h.numpy() * model._geometry

    def tags(self, tags):
        return tags


class ImageInputs:
    """Images: pretrained backbones transferred into both networks, whose
    frozen prefix runs once per image.

    ``"auto"``: the paper's 1e-4 for fine-tuning pretrained backbones, one
    eGAN (five would cost five times the training, about a minute each at
    1:100 on a 2-core CPU, several with image reconstructions), and
    a closeness prior of 10 (``closeness_weight`` 0.83 at 2 minority images,
    0.67 at 5).
    """

    name = "images"
    auto_learning_rate = 1e-4
    auto_n_estimators = 1
    auto_closeness_prior = 10.0
    auto_n_iter_no_change = 5

    def check_X(self, model, X, reset):
        return check_image_input(model, X, model.channel_axis, reset)

    def check_X_y(self, model, X, y):
        X = self.check_X(model, X, reset=True)
        return X, check_labels(y, X.shape[0])

    def minority_copies(self, model):
        return model.minority_augmentation

    def networks(self, model, X, split, weight):
        """``build(seed) -> (generator, discriminator)``: each call builds its
        own backbones (each member of an ensemble trains its own tails)."""
        backbones = (model.generator_backbone, model.discriminator_backbone)

        def build(seed):
            specs = backbone_specs(
                backbones, model.weights, model.input_size, model._backbone_seeds
            )
            model._specs = [(s.input_size, s.mean, s.std) for s in specs]
            stages, latent, dropout = model.trainable_stages, model.latent_dim, model.dropout
            space, widths = model.reconstruction, check_hidden_dims(model.hidden_dims)
            with seeded(seed, "cpu"):
                return image_networks(*specs, stages, latent, dropout, space, widths)

        return build

    def prefix(self, model, network, X, role):
        backbone = (model.generator_backbone, model.discriminator_backbone)[role]
        memory = model.memory if isinstance(backbone, str) else None
        return image_prefix(
            network.prefix,
            X,
            (backbone, model.weights, model.trainable_stages, model._backbone_seeds[role]),
            model._specs[role],
            memory,
            model.device_,
            model.batch_size_inference,
            model.verbose,
        )

    def embedder(self, discriminator):
        """A frozen copy of the discriminator's pretrained tail (it ends with
        the global pooling), taken before training: prefix features -> the
        backbone's pooled embedding, in which closeness is measured."""
        tail = copy.deepcopy(discriminator.tail).eval()
        for parameter in tail.parameters():
            parameter.requires_grad_(False)
        return tail

    def embed(self, model, h):
        device, batch = model.device_, model.batch_size_inference
        with torch.no_grad():
            parts = [model._embedder(chunk.to(device)).float().cpu() for chunk in h.split(batch)]
        if not parts:
            return np.empty((0, 0), dtype=np.float32)
        return torch.cat(parts).flatten(1).numpy()

    def tags(self, tags):
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        return tags


#: The strategy of each ``input_type``.
INPUTS = {"features": FeatureInputs(), "images": ImageInputs()}


class EGANInputsMixin:
    """The estimator's side: :attr:`_inputs` is its ``input_type``'s strategy;
    the methods the fit and the predictions call go through it."""

    @property
    def _inputs(self):
        return INPUTS[self.input_type]

    def _check_X(self, X, reset):
        return self._inputs.check_X(self, X, reset)

    def _check_X_y(self, X, y):
        return self._inputs.check_X_y(self, X, y)

    def _prefix(self, network, X, role):
        """Prefix features of ``X`` for the generator (role 0) or the
        discriminator (role 1), as a float32 tensor on the CPU."""
        return self._inputs.prefix(self, network, X, role)
