"""PolarityGANClassifier: Polarity-GAN's image system as a scikit-learn classifier."""

import numpy as np
import torch
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.metrics import f1_score
from sklearn.utils.validation import check_is_fitted

from .._core.backbones import LITE0_NAME
from .._core.context import FitContext
from .._core.polarity.end_to_end import train_end_to_end
from .._core.polarity.fine_tuning import logits_of
from .._core.polarity.inputs import extract
from ..utils._device import FittedNetworksMixin, resolve_device
from ..utils._docs import fill_doc
from ..utils._image_input import check_image_input
from ..utils._seeds import named_seeds
from ..utils._validation import check_labels, check_sample_weight, weighted_rows
from ._logits import LogitsMixin
from ._polarity_recipe import (
    PARAMETER_CONSTRAINTS,
    build_extractor,
    class_weights,
    end_to_end_config,
    generation_and_anchors,
    resolve_recipe,
    training_counts,
    validation_split,
)


@fill_doc
class PolarityGANClassifier(LogitsMixin, FittedNetworksMixin, ClassifierMixin, BaseEstimator):
    """Polarity-GAN end to end on images: fine-tuning with a convex generator.

    A backbone is fine-tuned while a convex generator adds hard samples in its
    feature space. The paper's whole image system (Algorithm 1): a feature extractor ``F``
    (a pretrained backbone) learns through a classifier ``C``, while a convex
    generator ``G``, a Wasserstein critic ``D`` and ``C`` train on ``F``'s
    features as in :class:`~skimbgan.PolarityGANSampler`: ``G`` makes new
    features of the classes that are short of the largest one, as convex
    combinations of real images' features of that class, near the class
    boundary. ``C(F(x))`` predicts. Read more in the :ref:`User Guide
    <polarity_gan_images>`.

    Parameters
    ----------
    backbone : str or torch.nn.Module, default="efficientnet_lite0"
        ``F``: ``"efficientnet_lite0"`` (offline ImageNet weights),
        ``"timm:<name>"``, ``"torchvision:<name>"`` or a module of yours
        (copied, never changed).
    weights : {"imagenet", None} or str, default="imagenet"
        Weights of named backbones (see :class:`~skimbgan.ImageEmbedder`).
    trainable_stages : int, "all" or "auto", default="auto"
        How many of the backbone's last stages train (see
        :class:`~skimbgan.EGANClassifier`); the rest is frozen and its
        BatchNorm layers stay in inference mode. BatchNorm layers of the
        trainable stages train as usual. ``"auto"``: 0 (the whole backbone
        frozen) with fewer than 5,000 training images, ``"all"`` from
        there: on up to 1,740 images a frozen backbone read at its own
        input size beat fine-tuning at 64 px, at 4,349 the two were level,
        on the paper's 17,400 fine-tuning won (see the user guide).
    input_size : int or "auto", default="auto"
        Square side images are resized to. ``"auto"``: the backbone's own
        input size (224 for EfficientNet-Lite0 and for a module of yours)
        when it is entirely frozen, else 64 (fine-tuning at 224 px costs
        about 12 times as much per image).
    $CHANNEL_AXIS
    use_gan : bool, default=True
        ``False`` trains the same ``F`` and ``C`` by the same loop without
        ``G`` and ``D``: plain fine-tuning, the ablation that tells what the
        GAN adds.
    n_epochs : int or "auto", default="auto"
        Passes over the training images. ``"auto"``: 2 with a frozen
        backbone (after its probe), 8 when it trains.
    batch_size : int, default=64
        Real images per step (and generated samples per GAN update).
    learning_rate : float, default=1e-3
        Peak learning rate of ``F`` and ``C`` (AdamW, one-cycle schedule).
    weight_decay : float, default=1e-4
        AdamW's weight decay for ``F`` and ``C``.
    augment : bool or "auto", default="auto"
        Random shifts (zero padding of 1/8 of the side, random crop) and
        horizontal flips of the training images. ``"auto"``: on when any of
        the backbone trains, off when it is entirely frozen: without
        augmentation a frozen backbone reads each image once (its features
        are computed before training and reused by every epoch, the anchors
        and the validation scores), with it once per batch; on the small
        development sets augmentation left macro F1 where it was (+0.000 on
        average, -0.006 to +0.002) at 2.8 times the fit time (see the user
        guide).
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes in ``C``'s and ``F``'s cross-entropy.
    balanced_sampling : bool, default=True
        Draw each epoch's images with every class equally likely (with
        replacement) instead of one pass in random order (``False``, the
        paper's). On the paper's protocol it adds 0.037 macro F1 to
        fine-tuning, with or without the GAN (see the user guide).
    logit_adjustment : float, default=0.0
        ``tau`` of the logit-adjusted loss (Menon et al., 2021): the training
        loss sees ``logits + tau * log(class prior)``; predictions use the
        plain logits. ``1.0`` is the usual choice; 0 turns it off.
    probe_epochs : int or "auto", default="auto"
        Passes of a linear probe before fine-tuning (LP-FT, Kumar et al.,
        2022): ``C`` first learns ``F``'s frozen pretrained features of the
        training images (no augmentation; the same loss, class weights and
        sampling), then ``F`` and ``C`` train from there. The probe is
        scored as epoch 0, so on the validation images the kept model is
        never worse than the frozen backbone with a trained ``C``
        (``best_epoch_=0`` keeps it). 0 starts from a random ``C``.
        ``"auto"``: 30 with a frozen backbone, 0 when it trains.
    classifier_hidden_dims : tuple of int, default=()
        Hidden widths of ``C`` (empty: a linear layer on ``F``'s features).
    hidden_dims : tuple of int, default=(128, 128)
        Hidden widths of ``G`` and ``D``.
    noise_dim : int, default=32
        Size of ``G``'s noise (as in :class:`~skimbgan.PolarityGANSampler`).
    n_neighbors : int or None, default=5
        Anchors each generated sample combines besides its base anchor; None:
        every anchor of the class (the paper's global softmax).
    max_anchor_weight : float, default=0.75
        Largest weight one anchor may get in a generated sample.
    generator_lr : float, default=3e-3
        Adam's learning rate of ``G``.
    critic_lr : float, default=2e-3
        Adam's learning rate of ``D``.
    gp_weight : float, default=10.0
        Weight of the critic's gradient penalty.
    classifier_weight : float, default=1.0
        Weight of ``G``'s push towards samples ``C`` finds hard (0: ``G``
        only imitates its class).
    max_anchors_per_class : int, default=256
        Images per class whose features ``G`` combines (a random subset of
        larger classes).
    gan_steps : int, default=1
        Critic and classifier updates on generated samples per batch (the
        ``j`` of Algorithm 1).
    refresh_every : int, default=50
        Batches between two recomputations of the anchors' features (and at
        the end of every epoch).
    validation_fraction : float or None, default=0.1
        Share of each class (at least one image of a class with two or more)
        held out to score every epoch by macro F1; the best epoch is kept.
        ``None`` keeps the last epoch. Ignored when ``X_val`` is given.
    n_iter_no_change : int or None, default=None
        Stop after this many epochs without a better validation score.
    batch_size_inference : int, default=64
        Images per batch when features are computed without training
        (anchors, validation, predictions).
    $DEVICE
    random_state : int, RandomState instance or None, default=None
        Seeds the split, the anchors, initialisation, batches and
        augmentation. With an int, refits on the CPU are identical and the
        global random states are left untouched.
    $VERBOSE

    Attributes
    ----------
    classes_ : ndarray of shape (n_classes,)
    extractor_ : torch.nn.Module
        ``F`` of the kept epoch (on ``device_``).
    classifier_ : torch.nn.Module
        ``C`` of the kept epoch (on ``device_``).
    generator_, critic_ : torch.nn.Module or None
        ``G`` and ``D`` as training ended (None with ``use_gan=False``).
    generation_counts_ : ndarray of shape (n_classes,)
        How many images each class was short of the largest in the training
        part: ``G`` makes the classes with a positive count, in proportion.
    history_ : dict of list
        Losses every 10 steps (``feature_loss``, ``classifier_loss``,
        ``critic_loss``, ``wasserstein``, ``generator_loss``, ...) and one row
        per epoch (``epoch_*`` means, ``epoch_seconds``,
        ``validation_macro_f1``).
    trainable_stages_ : int or "all"
        The backbone's trained stages (``trainable_stages`` resolved).
    input_size_ : int
        Side the images were resized to (``input_size`` resolved).
    augment_ : bool
        Whether the training images were augmented (``augment`` resolved).
    probe_epochs_ : int
        Passes of the linear probe (``probe_epochs`` resolved).
    best_epoch_ : int
        The kept epoch (0: the linear probe, with ``probe_epochs``).
    validation_score_ : float
        Macro F1 of the kept epoch on the validation images (NaN without).
    n_epochs_ : int
        Epochs run.
    image_shape_ : tuple
        ``(channels, height, width)`` of the training images.
    $DEVICE_ATTRIBUTE

    Notes
    -----
    How this differs from the paper: ``F``'s update and ``C``'s update on the
    same batch share one forward pass of ``F`` (``C`` sees the features
    computed just before ``F``'s step); the features ``G`` combines are
    recomputed every ``refresh_every`` batches rather than at every step;
    the critic is the sampler's class-conditional WGAN-GP critic. See the
    user guide.

    Earlier releases trained every backbone the same way:
    ``trainable_stages="all", input_size=64, n_epochs=8, probe_epochs=0,
    balanced_sampling=False, augment=True``; those parameters give that
    training back.

    References
    ----------
    Deepshikha K. and A. Naman, "Removing Class Imbalance using Polarity-GAN:
    An Uncertainty Sampling Approach", arXiv:2012.04937, 2020.

    Examples
    --------
    >>> import numpy as np
    >>> from torch import nn
    >>> from skimbgan import PolarityGANClassifier
    >>> rng = np.random.default_rng(0)
    >>> X = rng.integers(0, 256, size=(60, 16, 16), dtype=np.uint8)
    >>> y = np.repeat([0, 1, 2], [30, 20, 10])
    >>> net = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Conv2d(8, 8, 3))
    >>> clf = PolarityGANClassifier(backbone=net, weights=None, input_size=16,
    ...                             n_epochs=1, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 3)
    """

    _fitted_networks = ("extractor_", "classifier_", "generator_", "critic_")
    _parameter_constraints: dict = PARAMETER_CONSTRAINTS

    def __init__(
        self,
        *,
        backbone=LITE0_NAME,
        weights="imagenet",
        trainable_stages="auto",
        input_size="auto",
        channel_axis=None,
        use_gan=True,
        n_epochs="auto",
        batch_size=64,
        learning_rate=1e-3,
        weight_decay=1e-4,
        augment="auto",
        class_weight=None,
        balanced_sampling=True,
        logit_adjustment=0.0,
        probe_epochs="auto",
        classifier_hidden_dims=(),
        hidden_dims=(128, 128),
        noise_dim=32,
        n_neighbors=5,
        max_anchor_weight=0.75,
        generator_lr=3e-3,
        critic_lr=2e-3,
        gp_weight=10.0,
        classifier_weight=1.0,
        max_anchors_per_class=256,
        gan_steps=1,
        refresh_every=50,
        validation_fraction=0.1,
        n_iter_no_change=None,
        batch_size_inference=64,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.backbone = backbone
        self.weights = weights
        self.trainable_stages = trainable_stages
        self.input_size = input_size
        self.channel_axis = channel_axis
        self.use_gan = use_gan
        self.n_epochs = n_epochs
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.augment = augment
        self.class_weight = class_weight
        self.balanced_sampling = balanced_sampling
        self.logit_adjustment = logit_adjustment
        self.probe_epochs = probe_epochs
        self.classifier_hidden_dims = classifier_hidden_dims
        self.hidden_dims = hidden_dims
        self.noise_dim = noise_dim
        self.n_neighbors = n_neighbors
        self.max_anchor_weight = max_anchor_weight
        self.generator_lr = generator_lr
        self.critic_lr = critic_lr
        self.gp_weight = gp_weight
        self.classifier_weight = classifier_weight
        self.max_anchors_per_class = max_anchors_per_class
        self.gan_steps = gan_steps
        self.refresh_every = refresh_every
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.batch_size_inference = batch_size_inference
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # --- input -----------------------------------------------------------------

    def _check_images(self, X, reset):
        return torch.from_numpy(check_image_input(self, X, self.channel_axis, reset))

    # --- fit ---------------------------------------------------------------------

    def fit(self, X, y, X_val=None, y_val=None, sample_weight=None):
        """Train ``F``, ``C``, ``G`` and ``D`` on images.

        One pass of Algorithm 1 per epoch; the epoch with the best macro F1
        on the validation images is kept.

        Parameters
        ----------
        X : array-like of images
            (n, H, W), (n, H, W, C) or (n, C, H, W) with C in {1, 3}, uint8 or
            floats in [0, 1].
        y : array-like of shape (n_samples,)
            Two or more classes.
        X_val, y_val : optional
            Images and labels that score each epoch (instead of holding out
            ``validation_fraction`` of ``X``).
        sample_weight : array-like of shape (n_samples,), float or None, default=None
            Weights of the images of ``X`` (finite, ``>= 0``, not all zero).
            Each epoch draws images in proportion to them (with replacement;
            within their class with ``balanced_sampling``), the held-out
            images' macro F1 is weighted, ``class_weight="balanced"`` and the
            logit adjustment's priors count weight instead of images, and G's
            anchors are chosen and drawn by them. An image of weight 0 is
            left out as if it were not there; equal weights train as no
            weights. ``X_val``'s images weigh 1.

        Returns
        -------
        self : PolarityGANClassifier
            The fitted classifier.
        """
        self._validate_params()
        self.device_ = resolve_device(self.device)
        images = self._check_images(X, reset=True)
        y = check_labels(y, images.shape[0])
        rows, weight = weighted_rows(check_sample_weight(sample_weight, images.shape[0]))
        if rows is not None:  # rows of weight 0 are left out
            images, y = images[torch.from_numpy(rows)], y[rows]
        self.classes_, y_index = np.unique(y, return_inverse=True)
        if self.classes_.shape[0] < 2:
            raise ValueError(
                f"PolarityGANClassifier needs two or more classes; y has only {self.classes_[0]!r}."
            )
        n_classes = self.classes_.shape[0]
        seeds, _ = named_seeds(self.random_state, ("split", "anchors", "backbone", "train"))

        train_rows, validation, val_rows = validation_split(
            self, images, y_index, X_val, y_val, seeds.split
        )
        train_weight = val_weight = None
        if weight is not None:
            train_weight = weight[train_rows]
            val_weight = None if val_rows is None else weight[val_rows]

        y_train = y_index[train_rows]
        counts = training_counts(self.classes_, y_train)
        generation, anchor_rows = generation_and_anchors(
            self.classes_,
            counts,
            y_train,
            self.max_anchors_per_class,
            np.random.RandomState(seeds.anchors),
            train_weight,
        )
        self.generation_counts_ = generation

        recipe = resolve_recipe(self, images.shape[0])
        extractor, input_size = build_extractor(self.backbone, self.weights, recipe, seeds.backbone)
        self.trainable_stages_ = recipe.trainable_stages
        self.input_size_ = input_size
        self.probe_epochs_ = recipe.probe_epochs
        self.augment_ = recipe.augment

        weights = class_weights(self.class_weight, self.classes_, y_train, train_weight)
        config = end_to_end_config(self, weights, recipe)
        trained = train_end_to_end(
            extractor,
            input_size,
            images[train_rows],
            torch.from_numpy(y_train).long(),
            n_classes,
            torch.from_numpy(anchor_rows).long(),
            generation,
            FitContext(config, self.device_, seeds.train, self.verbose),
            validation=validation,
            score_fn=lambda y_true, y_pred: f1_score(
                y_true,
                y_pred,
                average="macro",
                labels=np.arange(n_classes),
                zero_division=0.0,
                sample_weight=val_weight,
            ),
            sample_weight=None if train_weight is None else torch.from_numpy(train_weight),
        )
        self.extractor_ = trained.extractor
        self.classifier_ = trained.classifier
        self.generator_ = trained.generator
        self.critic_ = trained.critic
        self.history_ = trained.history
        self.best_epoch_ = trained.best_epoch
        self.validation_score_ = trained.best_score
        self.n_epochs_ = trained.n_epochs
        return self

    # --- predictions -------------------------------------------------------------

    def transform(self, X):
        """Return ``F``'s features of images: what ``C`` classifies.

        The features of the kept epoch's ``F`` in inference mode (no
        augmentation), the input of ``C``. With them a second stage can be
        trained on the fine-tuned representation: another classifier, or an
        over-sampler such as :class:`~skimbgan.PolarityGANSampler` in front of
        one (decoupled training; see the user guide).

        Parameters
        ----------
        X : array-like of images
            Images in a layout and shape the classifier was fitted on.

        Returns
        -------
        features : ndarray of shape (n_samples, n_features), float32
            One row of ``F``'s pooled features per image.
        """
        check_is_fitted(self, "classifier_")
        images = self._check_images(X, reset=False)
        features = extract(
            self.extractor_, images, self.input_size_, self.device_, self.batch_size_inference
        )
        self.extractor_.eval()
        return features.float().cpu().numpy()

    def _logits(self, X):
        check_is_fitted(self, "classifier_")
        images = self._check_images(X, reset=False)
        logits = logits_of(
            self.extractor_,
            self.classifier_,
            images,
            self.input_size_,
            self.device_,
            self.batch_size_inference,
        )
        self.extractor_.eval()
        return logits.double().cpu().numpy()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.three_d_array = True
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        tags.non_deterministic = False
        return tags
