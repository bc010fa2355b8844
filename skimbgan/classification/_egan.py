"""EGANClassifier: the estimator wrapper around the eGAN core."""

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

from .._core.backbones import LITE0_NAME
from .._core.egan import EGANConfig
from .._core.random import member_seeds
from ..utils._config import core_config
from ..utils._device import FittedNetworksMixin, resolve_device
from ..utils._docs import fill_doc
from ..utils._seeds import named_seeds
from ..utils._validation import (
    check_binary_target,
    check_sample_weight,
    check_validation_data,
    weighted_rows,
)
from ._closeness import ClosenessMixin, closeness_weight
from ._egan_inputs import EGANInputsMixin
from ._egan_members import MemberRun, combine_members, prefix_data, train_members
from ._egan_params import PAPER_PARAMS, PARAMETER_CONSTRAINTS, resolve_auto
from ._egan_split import SplitSettings, split_rows
from ._score_threshold import ScoreThresholdMixin, cutoff


@fill_doc
class EGANClassifier(
    EGANInputsMixin,
    ClosenessMixin,
    ScoreThresholdMixin,
    FittedNetworksMixin,
    ClassifierMixin,
    BaseEstimator,
):
    """Binary classifier of eGAN: a discriminator scores how majority-like a sample is.

    The discriminator ``D`` learns majority samples as real and a generator's
    reconstructions of minority samples as fake; the generator ``G`` (an
    encoder-decoder fed with the minority samples, not noise) learns to make
    its reconstructions look like the majority. ``D``'s logit classifies: below
    the cut-off ``offset_`` a sample is called minority. Moving the cut-off
    trades sensitivity for specificity. Read more in the :ref:`User Guide
    <egan>`.

    The defaults extend the paper's eGAN: ``D`` also sees the real minority
    samples as negatives, the cut-off is the F1-best one on held-out training
    data, and in feature mode five eGANs at a larger learning rate are
    averaged. The paper's eGAN is ``EGANClassifier(minority_weight=0.0,
    contamination=None, learning_rate=1e-4, n_estimators=1)``
    (:meth:`paper_params`).

    Parameters
    ----------
    input_type : {"features", "images"}, default="features"
        ``"features"``: 2-D ``X`` of feature vectors (for example the output
        of :class:`~skimbgan.ImageEmbedder`); ``G`` and ``D`` are MLPs on
        standardised features. ``"images"``: image arrays in the layouts
        :class:`~skimbgan.ImageEmbedder` accepts; pretrained backbones are
        transferred into ``G``'s encoder and into ``D``.
    minority_class : label or None, default=None
        The class ``D`` learns as fake (through ``G``). ``None``: the smaller
        class (``classes_[1]`` on a tie).
    hidden_dims : tuple of int, default=(128, 128)
        Hidden widths of the MLPs: both networks with features; with images,
        the decoder of ``reconstruction="prefix"``.
    latent_dim : int, default=128
        Size of the generator's code (the paper's Dense(128)).
    dropout : float, default=0.2
        Dropout before the discriminator's output layer.
    generator_backbone, discriminator_backbone : str or torch.nn.Module, \
default="efficientnet_lite0"
        Images only. Backbones of ``G``'s encoder and of ``D`` (they may
        differ, as in the paper): ``"efficientnet_lite0"`` (offline ImageNet
        weights), ``"timm:<name>"``, ``"torchvision:<name>"`` or a module.
    weights : {"imagenet", None} or str, default="imagenet"
        Images only: weights of named backbones (see ``ImageEmbedder``).
    trainable_stages : int or "all", default=2
        Images only: how many of each backbone's last stages train (for
        EfficientNet the stages are the stem, its seven block groups, the head
        convolution and the head BatchNorm); the rest is frozen and its output
        is computed once per image. BatchNorm layers stay in inference mode.
    input_size : int, default=64
        Images only: square size images are resized to (and the size of
        ``G``'s reconstructions).
    reconstruction : {"prefix", "images"}, default="prefix"
        Images only: what ``G`` reconstructs a minority image as.
        ``"prefix"``: the features of ``D``'s frozen prefix for an image (an
        MLP decoder with ``hidden_dims``), which ``D`` scores with its
        trainable stages alone, as it scores the cached features of real
        images. ``"images"`` (the paper's): an image in ``[0, 1]`` from a
        convolutional decoder, which ``D`` scores through its whole backbone,
        so that every step runs the frozen prefix forward and backward on
        the reconstructions (a fit at 1:100 cost six times one with
        ``"prefix"`` on a CPU, which ranked as well or better on the image
        pairs; see the User Guide).
    $CHANNEL_AXIS
    n_steps : int, default=1000
        Training steps (each one update of ``D``, then of ``G``); an upper
        bound when early stopping is on.
    batch_size : int, default=128
        Majority samples per step; minority samples per step are all of them,
        or ``batch_size`` drawn at random when there are more.
    learning_rate : float or "auto", default="auto"
        Adam's learning rate for both networks. ``"auto"``: 1e-3 with
        features (the small MLPs under-fit at the paper's 1e-4), 1e-4 with
        images (the paper's, for fine-tuning pretrained backbones); the value
        used is ``learning_rate_``.
    validation_fraction : float or None, default=0.2
        Share of each class held out to choose the checkpoint (and stop
        early) when ``X_val`` is not given. Used only when the held-out part
        gets at least 3 minority samples; otherwise (and with ``None``) no
        checkpoint is chosen and the networks after ``n_steps`` are kept.
    minority_weight : float, default=1.0
        Weight of the real minority training samples as the discriminator's
        negatives, beside ``G``'s reconstructions of them. 0 is the paper's
        eGAN, whose discriminator never sees a real minority sample; 1 gives
        them the weight of the reconstructions.
    contamination : float, "f1" or None, default="f1"
        The cut-off ``offset_``: ``None`` is the paper's logit 0; a float in
        (0, 0.5] puts it at that quantile of the scores of held-out majority
        samples (the validation part's majority, or, without one, a
        ``validation_fraction`` (0.2 when None) of the majority held out for
        it alone), so that about that share of unseen majority samples is
        called minority, whatever the minority's size (PyOD's convention).
        ``"f1"``: the cut-off that maximises the minority's F1 on the
        validation part (stratified, at the training data's prevalence);
        when there is none (too few minority samples to hold 3 out, or
        ``validation_fraction=None`` without ``X_val``), the quantile as
        above at the minority's share of the training data, so that about as
        many majority samples are called minority as there are minority
        samples (sound at the real prevalence; at 1:2500 it calls very few
        samples minority). ``cutoff_`` says which was used.
    minority_augmentation : int, default=0
        Images only: light augmented copies of each minority training image
        (a random horizontal flip, a shift by up to an eighth of the side, a
        brightness scale in [0.9, 1.1]) added to the minority that ``G``
        reconstructs and, with ``minority_weight``, that ``D`` sees as
        negatives. 0 is the paper's.
    closeness_weight : float in [0, 1] or "auto", default="auto"
        Weight ``w`` of closeness to the known minority in the score, beside
        the discriminator's logit: ``score_samples`` is ``(1 - w)`` times the
        logit plus ``w`` times the closeness score ``log d_min - log d_5``
        (the distance to the nearest training minority sample against the
        distance to the 5th nearest training majority sample), each in units
        of its spread over the training majority (median 0, interquartile
        range 1.349), the logit's part clipped to [-6, 6] (on data unlike
        the training data a logit runs off without limit). Distances are
        measured in the pretrained backbone's pooled embedding (images; the
        discriminator's backbone as it was before training) or on the
        features as given (as
        :class:`~sklearn.neighbors.KNeighborsClassifier` does: scale them
        first, for example with a ``StandardScaler``, when their units
        differ). With two known
        minority samples, closeness is what ranks the unseen minority
        first; the discriminator gains as the minority grows. ``"auto"``:
        chosen among 0, 0.1, ..., 0.9, 0.95 and 1 by the minority's average
        precision on the validation part when there is one (see
        ``validation_fraction``); without one, ``w = p / (p + n)`` for ``n``
        training minority samples, with ``p`` = 50 for features and 10 for
        images (0.96 and 0.83 at 2 samples, 0.91 and 0.67 at 5), chosen on
        the development pairs of the paper's image protocol. 0 is the
        paper's score, the logit alone.
        The value used is ``closeness_weight_``.
    n_estimators : int or "auto", default="auto"
        Number of eGANs (each a generator and a discriminator, from seeds of
        their own) trained on the same data; the score is the mean of their
        discriminators' logits. 1 is the paper's single eGAN; more lower the
        score's variance over seeds. With features the members train together
        as one stacked network (one step updates all, each with its own
        batches, checkpoint and early stopping); with images one after
        another, at that many times the training cost.
        ``"auto"``: 5 with features, 1 with images (each member's training
        is about a minute at 1:100 on a 2-core CPU, several with
        ``reconstruction="images"``); the value used is ``n_estimators_``.
    selection_metric : {"average_precision", "f1"}, default="average_precision"
        Validation score of a checkpoint: the minority's average precision
        (threshold-free) or its F1 at the cut-off 0.
    eval_every : int, default=50
        Steps between two validation scores.
    n_iter_no_change : int, None or "auto", default="auto"
        Stop after this many validation scores without improvement; ``None``
        runs all ``n_steps``. ``"auto"``: 10 with features, 5 with images
        (on the image development pairs at 1:100 every fit kept the same
        checkpoint as with 10, in a quarter fewer steps); the value used is
        ``n_iter_no_change_``.
    memory : str, joblib.Memory or None, default=None
        Images only: cache the frozen prefix's features of images on disk
        (named backbones only), so refits and predictions on the same images
        skip the costly part.
    batch_size_inference : int, default=64
        Batch size of the frozen prefix and of predictions (on a 2-core CPU
        the prefix of 64-pixel images ran twice as fast as with 256).
    $DEVICE
    random_state : int, RandomState instance or None, default=None
        Seeds the validation split, initialisation, batches and dropout. With
        an int, refits on the same device are identical and the global numpy
        and torch random states are left untouched.
    $VERBOSE

    Attributes
    ----------
    classes_ : ndarray of shape (2,)
    minority_class_ : label
    offset_ : float
        The cut-off on ``score_samples``: 0 (the paper's), the
        ``contamination`` quantile of held-out majority scores, or the
        F1-best cut-off on the validation part.
    cutoff_ : {"zero", "quantile", "f1"}
        How ``offset_`` was chosen.
    learning_rate_ : float
        The learning rate used (``learning_rate`` resolved).
    closeness_weight_ : float
        The weight of closeness in the score (``closeness_weight``
        resolved); 0 when the score is the logit alone.
    n_estimators_ : int
        The number of eGANs trained (``n_estimators`` resolved).
    n_iter_no_change_ : int or None
        The early-stopping patience used (``n_iter_no_change`` resolved).
    generator_, discriminator_ : torch.nn.Module
        The networks of the kept checkpoint (on ``device_``); with
        ``n_estimators > 1`` a ``ModuleList`` of the generators and an
        averaging module whose ``members`` are the discriminators.
    history_ : dict of list
        ``step``, ``discriminator_loss``, ``generator_loss``, ``real_logit``
        and ``fake_logit`` (mean logits of the majority batch and of ``G``'s
        outputs), and ``validation_score`` where it was computed.
    best_step_ : int
        Steps of the kept checkpoint.
    validation_score_ : float
        Its validation score (NaN without validation data).
    n_steps_ : int
        Steps run. With ``n_estimators > 1``, ``history_``, ``best_step_``,
        ``validation_score_`` and ``n_steps_`` are the first member's.
    $DEVICE_ATTRIBUTE
    n_features_in_ : int
        Features only.
    feature_names_in_ : ndarray of str
        Features only, when ``X`` had string column names.

    Notes
    -----
    Signs: ``score_samples`` is ``D``'s logit (blended with closeness when
    ``closeness_weight_ > 0``), high for the majority.
    ``decision_function`` follows scikit-learn: positive means ``classes_[1]``,
    so it is ``score_samples - offset_`` when ``classes_[1]`` is the majority
    and ``offset_ - score_samples`` when it is the minority. ``predict`` is
    ``classes_[1]`` exactly where ``decision_function > 0``. ``predict_proba``
    is the logistic function of ``decision_function``: monotone, uncalibrated.

    References
    ----------
    A. Okerinde, L. Shamir, W. Hsu, T. Theis and N. Nafi, "eGAN: Unsupervised
    approach to class imbalance using transfer learning", arXiv:2104.04162, 2021.

    Examples
    --------
    >>> from sklearn.datasets import make_classification
    >>> from skimbgan import EGANClassifier
    >>> X, y = make_classification(n_samples=600, weights=[0.9], random_state=0)
    >>> clf = EGANClassifier(n_steps=200, random_state=0).fit(X, y)
    >>> int(clf.minority_class_)
    1
    >>> clf.decision_function(X[:3]).shape
    (3,)
    >>> bool(((clf.decision_function(X) > 0) == (clf.predict(X) == 1)).all())
    True
    """

    _parameter_constraints: dict = PARAMETER_CONSTRAINTS
    _fitted_networks = ("generator_", "discriminator_", "_embedder")

    def __init__(
        self,
        *,
        input_type="features",
        minority_class=None,
        hidden_dims=(128, 128),
        latent_dim=128,
        dropout=0.2,
        generator_backbone=LITE0_NAME,
        discriminator_backbone=LITE0_NAME,
        weights="imagenet",
        trainable_stages=2,
        input_size=64,
        reconstruction="prefix",
        channel_axis=None,
        n_steps=1000,
        batch_size=128,
        learning_rate="auto",
        validation_fraction=0.2,
        minority_weight=1.0,
        contamination="f1",
        minority_augmentation=0,
        closeness_weight="auto",
        n_estimators="auto",
        selection_metric="average_precision",
        eval_every=50,
        n_iter_no_change="auto",
        memory=None,
        batch_size_inference=64,
        device="auto",
        random_state=None,
        verbose=0,
    ):
        self.input_type = input_type
        self.minority_class = minority_class
        self.hidden_dims = hidden_dims
        self.latent_dim = latent_dim
        self.dropout = dropout
        self.generator_backbone = generator_backbone
        self.discriminator_backbone = discriminator_backbone
        self.weights = weights
        self.trainable_stages = trainable_stages
        self.input_size = input_size
        self.reconstruction = reconstruction
        self.channel_axis = channel_axis
        self.n_steps = n_steps
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.validation_fraction = validation_fraction
        self.minority_weight = minority_weight
        self.contamination = contamination
        self.minority_augmentation = minority_augmentation
        self.closeness_weight = closeness_weight
        self.n_estimators = n_estimators
        self.selection_metric = selection_metric
        self.eval_every = eval_every
        self.n_iter_no_change = n_iter_no_change
        self.memory = memory
        self.batch_size_inference = batch_size_inference
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    @staticmethod
    def paper_params():
        """The parameters that make this classifier the paper's eGAN.

        Every extension off: no real minority negatives, the logit cut-off 0,
        the paper's learning rate, a single eGAN, the logit alone as the
        score, and reconstructions as images. Use them as
        ``EGANClassifier(**EGANClassifier.paper_params())``, with any other
        parameter on top.

        Returns
        -------
        params : dict
            A new dict each call: ``minority_weight=0.0``,
            ``contamination=None``, ``learning_rate=1e-4``, ``n_estimators=1``,
            ``closeness_weight=0.0``, ``reconstruction="images"``,
            ``n_iter_no_change=10`` (the patience all earlier image fits
            had).
        """
        return dict(PAPER_PARAMS)

    # --- fit ---------------------------------------------------------------------

    def fit(self, X, y, X_val=None, y_val=None, sample_weight=None):
        """Train the generator and the discriminator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features), or images
            Feature vectors, or images when ``input_type="images"``: (n, H, W),
            (n, H, W, C) or (n, C, H, W) with C in {1, 3}, uint8 or floats in
            [0, 1].
        y : array-like of shape (n_samples,)
            Two classes.
        X_val, y_val : optional
            Validation data for choosing the checkpoint (instead of holding out
            ``validation_fraction`` of ``X``); it needs both classes.
        sample_weight : array-like of shape (n_samples,), float or None, default=None
            Weights of the samples of ``X`` (finite, ``>= 0``, not all zero).
            Majority batches are drawn in proportion to them; the minority's
            losses are weighted means (every minority sample is in each
            batch while there are fewer than ``batch_size``); the held-out
            checkpoint score, the ``contamination`` quantile, its F1 cut-off
            and the training prevalence are weighted. A sample of weight 0
            is left out as if it were not there; equal weights train as no
            weights. ``X_val``'s samples weigh 1.

        Returns
        -------
        self : EGANClassifier
            The fitted classifier.
        """
        self._validate_params()
        self.learning_rate_, self.n_estimators_, self.n_iter_no_change_ = resolve_auto(
            self, self._inputs
        )
        self.device_ = resolve_device(self.device)
        X, y = self._check_X_y(X, y)
        rows, weight = weighted_rows(check_sample_weight(sample_weight, len(y)))
        if rows is not None:  # samples of weight 0 are left out
            X, y = X[rows], y[rows]
        name = type(self).__name__
        self.classes_, self._minority, y_index = check_binary_target(y, self.minority_class, name)
        self.minority_class_ = self.classes_[self._minority]
        is_minority = y_index == self._minority
        seeds, stream = named_seeds(
            self.random_state, ("init", "train", "generator_backbone", "discriminator_backbone")
        )
        self._backbone_seeds = (seeds.generator_backbone, seeds.discriminator_backbone)

        X_val, y_val = check_validation_data(
            X_val, y_val, self.classes_, lambda X_val: self._check_X(X_val, reset=False)
        )
        settings = SplitSettings(self._minority, self.validation_fraction, self.contamination)
        n_copies = self._inputs.minority_copies(self)
        split = split_rows(
            X,
            is_minority,
            X_val,
            y_val,
            stream,
            seeds.train,
            weight,
            settings=settings,
            n_copies=n_copies,
        )

        build = self._inputs.networks(self, X, split, weight)
        init_seeds = member_seeds(seeds.init, self.n_estimators_)
        generator, discriminator = build(init_seeds[0])
        # the prefix is frozen and the same in every member: computed once
        data = prefix_data(self._prefix, (generator, discriminator), split, self.minority_weight)
        n_known = int(np.count_nonzero(is_minority[split.train_rows]))
        self.closeness_weight_ = closeness_weight(
            self.closeness_weight, n_known, self._inputs.auto_closeness_prior
        )
        # closeness is measured in the embedding before any training
        self._embedder = None
        if self.closeness_weight_ > 0:
            self._embedder = self._inputs.embedder(discriminator)
            if self._embedder is not None:
                self._embedder = self._embedder.to(self.device_)

        lr = self.learning_rate_
        config = core_config(
            EGANConfig,
            self,
            generator_lr=lr,
            discriminator_lr=lr,
            n_iter_no_change=self.n_iter_no_change_,
        )
        val_weight = None if split.weights is None else split.weights["validation"]
        networks = (generator, discriminator)
        run = MemberRun(
            type(self).__name__,
            self.n_estimators_,
            self.selection_metric,
            self.learning_rate_,
            self.device_,
            self.verbose,
        )
        members = train_members(
            run, networks, build, init_seeds, seeds.train, config, data, val_weight
        )
        trained = members[0]
        self.generator_, self.discriminator_ = combine_members(members)
        self.history_ = trained.history
        self.best_step_ = trained.best_step
        self.validation_score_ = trained.best_score if split.X_val is not None else np.nan
        self.n_steps_ = trained.n_steps
        self._blend = None
        if self.closeness_weight_ > 0:
            self._blend = self._fit_blend(data, split, discriminator, val_weight)
            self.closeness_weight_ = self._blend.weight
            if self._blend.weight == 0:  # chosen on the validation part
                self._blend = self._embedder = None
        prevalence = float(np.average(is_minority, weights=weight))
        val_h = None if data.validation is None else data.validation[0]

        def score(part):
            # the validation part's prefix features are at hand: no second pass
            return self._score_checked(part, val_h if part is split.X_val else None)

        self.offset_, self.cutoff_ = cutoff(self.contamination, score, X, split, prevalence)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        tags.input_tags.allow_nan = False
        tags.input_tags.sparse = False
        tags.non_deterministic = False
        # A learner of the majority against few minority samples: the paper's
        # eGAN never sees a minority sample as such, and on the check suite's
        # easy balanced blobs it reaches about 0.7-0.75 training accuracy,
        # under the suite's 0.83 bar for ordinary classifiers. Its quality is
        # measured in benchmarks/egan.py and with `skimbgan benchmark`.
        tags.classifier_tags.poor_score = True
        tags = self._inputs.tags(tags)
        return tags
