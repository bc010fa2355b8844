"""PolarityGANSampler: the estimator wrapper around the Polarity-GAN core."""

import numbers

import numpy as np
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_sampling_strategy, check_target_type
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_consistent_length, validate_data

from .._core.context import FitContext
from .._core.layers import check_hidden_dims
from .._core.polarity.anchors import choose_anchors
from .._core.polarity.config import PolarityGANConfig
from .._core.polarity.training import train_polarity_gan
from .._core.random import stream_seed
from ..metrics import UNCERTAINTY_MEASURES
from ..utils._config import core_config
from ..utils._device import FittedNetworksMixin, resolve_device
from ..utils._docs import fill_doc
from ..utils._params import COMMON, CONVEX_GAN
from ..utils._scaling import scaling
from ..utils._seeds import named_seeds
from ..utils._validation import (
    check_label_types,
    check_sample_weight,
    warn_single_sample_classes,
    weighted_rows,
)
from ._categories import CATEGORY_RULES, CategoryEncoding
from ._generation import GenerationMixin
from ._inputs import categorical_positions, float_frame, input_kind, two_dimensional
from ._mixed import MixedTable


@fill_doc
class PolarityGANSampler(GenerationMixin, FittedNetworksMixin, BaseOverSampler):
    """Over-sample with Polarity-GAN: convex combinations near the class boundary.

    A generator ``G(z|k)`` outputs convex combinations of real samples of class
    ``k`` (eq. 3 of Deepshikha & Naman, 2020), so every synthetic sample lies in
    the convex hull of its own class. ``G`` is trained against a
    class-conditional Wasserstein critic (which keeps samples inside the class's
    own distribution) and against a classifier (which pushes them towards the
    class boundary). Read more in the :ref:`User Guide <polarity_gan>`.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default='auto'
        How many samples to generate per class, exactly as in imbalanced-learn's
        over-samplers (float: desired minority/majority ratio for binary
        problems; ``'minority'``, ``'not minority'``, ``'not majority'``,
        ``'all'``, ``'auto'``; a dict ``{class: n_samples_wanted}``; or a
        callable ``y -> dict``).
    n_steps : int, default=200
        Generator updates (Algorithm 1's iterations), an upper bound when
        ``tol`` is set. Training cost is ``n_steps * batch_size``: it does not
        grow with the number of samples.
    batch_size : int, default=64
        Samples per update of each network. The earlier default, 128, gave
        the same scores on the development data, at more time per fit (see
        the User Guide, "Cost and memory").
    n_critic : int, default=1
        Critic and classifier updates per generator update.
    noise_dim : int, default=32
        Size of the noise vector z.
    hidden_dims : tuple of int, default=(128, 128)
        Hidden layer widths of the generator, critic and classifier.
    generator_lr : float, default=3e-3
        Adam learning rate of the generator.
    critic_lr, classifier_lr : float, default=2e-3
        Adam learning rates of the critic and the classifier. The paper uses
        2e-4 for all three; with its 1,000 steps that gives the same quality
        on the development data as these rates do in 200 steps (see the User
        Guide), at five times the cost. Adam's betas are (0.6, 0.9), the
        paper's first-moment decay 0.6.
    gp_weight : float, default=10.0
        Weight of the critic's gradient penalty (its Lipschitz control).
    gp_every : int, default=4
        Compute the gradient penalty on one critic update in ``gp_every``,
        weighted ``gp_every * gp_weight`` (lazy regularisation, Karras et al.,
        2020). The penalty is a second derivative through the critic, its
        most costly part. 1 computes it on every update, as WGAN-GP does and
        as the earlier default did: the same scores on the development data,
        at more time per fit.
    classifier_weight : float, default=1.0
        Weight of the classifier term in the generator's loss: how strongly
        samples are pushed towards the region the classifier finds hard.
    n_neighbors : int or None, default=5
        Each synthetic sample combines a randomly drawn base sample of its class
        with up to ``n_neighbors`` of its nearest same-class neighbours (among
        the anchors). ``None`` lets every anchor of the class take part: the
        paper's global softmax, which tends to collapse towards the class
        centre (see the User Guide).
    max_anchor_weight : float, default=0.75
        Largest weight a single real sample may have in a synthetic one, in
        ``[0.5, 1]``. Below 1 no synthetic sample is a copy of a real one.
    max_anchors : int, default=1000
        Largest number of real samples per class that synthetic samples are
        combined from (a uniform random subset when a class is larger). Bounds
        memory and time for very large classes. The critic and classifier still
        see every sample.
    init : {'random', 'autoencoder'}, default='random'
        Initialisation of the generator: ``'random'`` starts from random
        weights; ``'autoencoder'`` first pre-trains it as the decoder of a
        class-agnostic autoencoder (the paper's, after BAGAN), which made no
        measurable difference on the development data.
    pretrain_steps : int, default=300
        Updates of the autoencoder initialisation (with ``init='autoencoder'``).
    tol : float or None, default=None
        Convergence threshold. Every 50 generator updates a fixed probe of
        256 generated samples is drawn again, and its mean movement since the
        previous check is measured in units of the typical distance between a
        real sample and its nearest same-class neighbour. Training stops when
        that movement stays below ``tol`` for ``n_iter_no_change`` checks in a
        row; ``n_steps`` stays the upper bound. ``None`` trains for ``n_steps``.
    n_iter_no_change : int, default=2
        Consecutive checks below ``tol`` that stop training.
    selection : {None, 'least_confidence', 'margin', 'ratio', 'entropy'}, default=None
        Uncertainty sampling: generate ``selection_pool`` times more candidates
        than needed and keep those the trained classifier is least sure about,
        by the named measure of :mod:`skimbgan.metrics`. ``None`` keeps the
        generator's samples as drawn.
    selection_pool : float, default=3.0
        Candidates per kept sample when ``selection`` is set (>= 1).
    categorical_features : 'auto', array-like of int, str or bool, or None, default=None
        Columns that hold categories, not numbers: column indices, column names
        (of a DataFrame), a boolean mask, or ``'auto'`` for a DataFrame's
        ``category``, ``object``, string and ``bool`` columns. The convex
        weights combine the numeric columns; each categorical value of a
        synthetic sample is drawn from the real samples it combines (see
        ``categorical_sampling``), and every column keeps its dtype. ``None``:
        all columns are numeric (``bool`` ones become float64, a ``category``
        column is refused).
    categorical_sampling : {'anchor', 'column'}, default='anchor'
        How categorical values are drawn from the real samples a synthetic one
        combines, with its convex weights as probabilities: ``'anchor'`` draws
        one of them and takes all its categorical values (the combination of
        categories is then one a real sample of the class has); ``'column'``
        draws each column's value independently. In both, a category held by
        samples of total weight ``w`` is chosen with probability ``w``.
    $DEVICE
    random_state : int, RandomState instance or None, default=None
        Seed for anchor subsets, network initialisation, training and
        generation. With an int, results are identical from fit to fit on the
        same device, and the global numpy and torch random states are left
        untouched.
    $VERBOSE

    Attributes
    ----------
    sampling_strategy_ : dict
        Number of samples generated per class.
    $DEVICE_ATTRIBUTE
    classes_ : ndarray
        Class labels seen in ``fit_resample``.
    anchor_indices_ : dict
        For each class, the row indices (into the ``X`` given to
        ``fit_resample``) of the real samples that synthetic ones combine.
    generator_, critic_, classifier_ : torch.nn.Module
        The trained networks (on ``device_``).
    history_ : dict of list
        Losses logged during training: ``phase`` (0 for the autoencoder
        initialisation, 1 for the GAN), ``step``, ``reconstruction_loss``,
        ``critic_loss``, ``wasserstein`` (the critic's estimate of the
        Wasserstein distance), ``gradient_penalty``, ``classifier_loss``,
        ``generator_loss``, ``generator_boundary`` (mean log-probability the
        classifier gives generated samples for their own class) and
        ``generator_change`` (the convergence measure of ``tol``, at each check;
        NaN between checks). The last row is the step training stopped at;
        ``stop_reason_`` says why.
    n_steps_ : int
        Generator updates done (at most ``n_steps``).
    sample_weight_resampled_ : ndarray of shape (n_samples_new,)
        Weights of the samples ``fit_resample`` returned, in their order:
        each original sample's own (1 without ``sample_weight``), then each
        synthetic sample's, the weights of the samples it combines combined
        with the same convex weights (a combination of samples of weight 1
        weighs 1). Pass it on to the next estimator:
        ``clf.fit(X_res, y_res, sample_weight=sampler.sample_weight_resampled_)``
        (an imbalanced-learn ``Pipeline`` passes only ``X`` and ``y`` on).
    stop_reason_ : {'converged', 'n_steps'}
        Why training stopped: ``'converged'`` when the ``tol`` criterion was
        met, ``'n_steps'`` when the budget ran out.
    categorical_features_ : ndarray of int
        Positions of the categorical columns (empty when there are none).
    n_features_in_ : int
        Number of features seen in ``fit_resample``.
    feature_names_in_ : ndarray of str
        Feature names, when ``X`` had string column names.

    See Also
    --------
    imblearn.over_sampling.SMOTE : Interpolation between neighbours, no training.

    Notes
    -----
    Without ``categorical_features``, ``X`` must be numeric and dense.
    float32 and float64 keep their dtype; other numeric dtypes (integers) come
    back as float64, since convex combinations of integers are not integers.
    A class with a single sample has that sample as its whole convex hull: its
    synthetic samples are copies of it (with a warning).

    Features are standardised internally for the networks; synthetic samples
    are formed from the original rows, so each is exactly (up to floating-point
    rounding) ``sum_j w_j x_j`` with ``w_j >= 0`` and ``sum_j w_j = 1``.

    References
    ----------
    K. Deepshikha and A. Naman, "Removing Class Imbalance using Polarity-GAN:
    An Uncertainty Sampling Approach", arXiv:2012.04937, 2020.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from skimbgan import PolarityGANSampler
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> sampler = PolarityGANSampler(n_steps=50, pretrain_steps=20, random_state=0)
    >>> X_res, y_res = sampler.fit_resample(X, y)
    >>> sorted(Counter(y_res.tolist()).items())
    [(0, 269), (1, 269)]
    >>> X_res.shape
    (538, 20)
    """

    _fitted_networks = ("generator_", "critic_", "classifier_")
    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        **COMMON,
        **CONVEX_GAN,
        "n_steps": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 1, None, closed="left")],
        "n_critic": [Interval(numbers.Integral, 1, None, closed="left")],
        "gp_every": [Interval(numbers.Integral, 1, None, closed="left")],
        "classifier_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "max_anchors": [Interval(numbers.Integral, 2, None, closed="left")],
        "init": [StrOptions({"autoencoder", "random"})],
        "pretrain_steps": [Interval(numbers.Integral, 0, None, closed="left")],
        "tol": [Interval(numbers.Real, 0, None, closed="left"), None],
        "n_iter_no_change": [Interval(numbers.Integral, 1, None, closed="left")],
        "selection": [StrOptions(set(UNCERTAINTY_MEASURES)), None],
        "selection_pool": [Interval(numbers.Real, 1, None, closed="left")],
        "categorical_features": ["array-like", StrOptions({"auto"}), None],
        "categorical_sampling": [StrOptions(set(CATEGORY_RULES))],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        n_steps=200,
        batch_size=64,
        n_critic=1,
        noise_dim=32,
        hidden_dims=(128, 128),
        generator_lr=3e-3,
        critic_lr=2e-3,
        classifier_lr=2e-3,
        gp_weight=10.0,
        gp_every=4,
        classifier_weight=1.0,
        n_neighbors=5,
        max_anchor_weight=0.75,
        max_anchors=1000,
        init="random",
        pretrain_steps=300,
        tol=None,
        n_iter_no_change=2,
        selection=None,
        selection_pool=3.0,
        categorical_features=None,
        categorical_sampling="anchor",
        device="auto",
        random_state=None,
        verbose=0,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.n_steps = n_steps
        self.batch_size = batch_size
        self.n_critic = n_critic
        self.noise_dim = noise_dim
        self.hidden_dims = hidden_dims
        self.generator_lr = generator_lr
        self.critic_lr = critic_lr
        self.classifier_lr = classifier_lr
        self.gp_weight = gp_weight
        self.gp_every = gp_every
        self.classifier_weight = classifier_weight
        self.n_neighbors = n_neighbors
        self.max_anchor_weight = max_anchor_weight
        self.max_anchors = max_anchors
        self.init = init
        self.pretrain_steps = pretrain_steps
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.selection = selection
        self.selection_pool = selection_pool
        self.categorical_features = categorical_features
        self.categorical_sampling = categorical_sampling
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def fit_resample(self, X, y, *, sample_weight=None, **params):
        """Resample the data set: the original samples, then the synthetic ones.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Dense; its numeric columns finite. Integer and boolean numeric
            values (arrays or DataFrame columns) come back as float64: a convex
            combination of integers is not an integer. Categorical columns (see
            ``categorical_features``) may hold missing values, a category of
            their own.
        y : array-like of shape (n_samples,)
            Class labels, any type imbalanced-learn accepts.
        sample_weight : array-like of shape (n_samples,), float or None, default=None
            Weights of the samples (finite, ``>= 0``, not all zero). Every
            draw of real samples follows them: the critic's and the
            classifier's real samples and the base of each synthetic sample
            are drawn in proportion to their weight, and a subset of anchors
            (``max_anchors``) is drawn with them. A sample of weight 0 is left
            out as if it were not there (not counted by ``sampling_strategy``,
            never drawn, never combined) and comes back unchanged; an integer
            weight acts as that many copies in training, but the number of new
            samples follows the rows, as imbalanced-learn counts them. The
            weights of the returned samples are ``sample_weight_resampled_``.
            Through an imbalanced-learn ``Pipeline``, with scikit-learn's
            metadata routing enabled, ask for them with
            ``set_fit_resample_request(sample_weight=True)``.
        **params : dict
            Not used; present for the imbalanced-learn API.

        Returns
        -------
        X_resampled : {ndarray, DataFrame} of shape (n_samples_new, n_features)
            The input kind of ``X``; float32 and float64 columns keep their
            dtype, other numeric columns become float64, categorical columns
            keep theirs (an object array with categorical columns stays one).
        y_resampled : {ndarray, Series} of shape (n_samples_new,)
            The input kind and dtype of ``y``.
        """
        check_label_types(y)
        if self.categorical_features is not None:
            self._validate_params()
            table = two_dimensional(X)
            positions = categorical_positions(table, self.categorical_features)
            if positions.size:
                table = MixedTable(table, positions, input_kind(X))
                return super().fit_resample(table, y, sample_weight=sample_weight, **params)
        return super().fit_resample(float_frame(X), y, sample_weight=sample_weight, **params)

    def _check_X_y(self, X, y):
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        if isinstance(X, MixedTable):
            validate_data(self, X=X.source, y=y, reset=True, skip_check_array=True)
            check_consistent_length(X.numeric, y)
            return X, y, binarize_y
        X, y = validate_data(
            self,
            X=X,
            y=y,
            reset=True,
            accept_sparse=False,
            dtype=[np.float64, np.float32],
        )
        return X, y, binarize_y

    def _config(self):
        return core_config(PolarityGANConfig, self, hidden_dims=check_hidden_dims(self.hidden_dims))

    def _fit_resample(self, X, y, sample_weight=None):
        table, self._layout = (X, X.layout) if isinstance(X, MixedTable) else (None, None)
        X = X if table is None else table.numeric
        weight = check_sample_weight(sample_weight, X.shape[0])
        if weight is not None and not weight.all():
            # a row of weight 0 is left out, as if it were not there: it is
            # neither counted, nor drawn, nor an anchor
            if np.unique(y[weight > 0]).size < 2:
                raise ValueError(
                    "sample_weight gives a positive weight to samples of one class only: "
                    "over-sampling needs two classes or more."
                )
            self.sampling_strategy_ = check_sampling_strategy(
                self.sampling_strategy, y[weight > 0], self._sampling_type
            )
        config = self._config()
        seeds, stream = named_seeds(self.random_state, ("train", "generate"))
        self.device_ = resolve_device(self.device)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        n_classes = self.classes_.shape[0]

        counts = np.zeros(n_classes, dtype=np.int64)
        for label, n_new in self.sampling_strategy_.items():
            counts[np.searchsorted(self.classes_, label)] = n_new

        X_net, anchor_rows = self._network_inputs(
            X, table, y_index, counts, stream, seeds.train, weight
        )
        self.sample_weight_resampled_ = np.ones(X.shape[0]) if weight is None else weight

        if counts.sum() == 0:
            self.generator_ = self.critic_ = self.classifier_ = None
            self.history_ = {}
            self.n_steps_, self.stop_reason_ = 0, "n_steps"
            return (X.copy() if table is None else table.originals()), y.copy()

        fit_rows, fit_weight = weighted_rows(weight)
        if fit_rows is None:
            fit_rows = np.arange(X.shape[0])
        if fit_weight is not None:
            fit_weight = torch.from_numpy(fit_weight).float()
        trained = train_polarity_gan(
            torch.from_numpy(X_net[fit_rows]),
            torch.from_numpy(y_index[fit_rows].astype(np.int64)),
            n_classes,
            torch.from_numpy(np.searchsorted(fit_rows, anchor_rows).astype(np.int64)),
            torch.from_numpy(counts.astype(np.float32)),
            FitContext(config, self.device_, seeds.train, self.verbose),
            sample_weight=fit_weight,
        )
        self.generator_ = trained.generator
        self.critic_ = trained.critic
        self.classifier_ = trained.classifier
        self.history_ = trained.history
        self.n_steps_ = trained.n_steps
        self.stop_reason_ = trained.stop_reason

        n_samples = dict(zip(self.classes_, counts, strict=True))
        X_new, y_new, coefficients, rows = self._generate(n_samples, seeds.generate, self.selection)
        # a synthetic row weighs what the rows it combines weigh, combined alike
        new_weight = np.ones(y_new.shape[0])
        if weight is not None:
            new_weight = (coefficients * weight[rows]).sum(axis=1)
        self.sample_weight_resampled_ = np.concatenate([self.sample_weight_resampled_, new_weight])
        if table is not None:
            return self._layout.stack(table.originals(), X_new), np.hstack([y, y_new])
        return np.vstack([X, X_new.astype(X.dtype, copy=False)]), np.hstack([y, y_new])

    def _network_inputs(self, X, table, y_index, counts, stream, train_seed, sample_weight):
        """``(X_net, anchor_rows)``: the rows the networks train on (numeric
        columns standardised, then the encoded categories of a mixed ``table``)
        and the anchors' rows, class by class (never a row of weight 0). Sets
        the fitted anchors, scaling and category encoding."""
        anchors = choose_anchors(
            y_index, len(self.classes_), self.max_anchors, stream, sample_weight
        )
        warn_single_sample_classes(self.classes_, anchors, counts)
        self.anchor_indices_ = dict(zip(self.classes_, anchors, strict=True))
        anchor_rows = np.concatenate(list(self.anchor_indices_.values()))
        self._anchors = X[anchor_rows]
        fitted = X if sample_weight is None else X[sample_weight > 0]
        self._unit, self._mean, self._scale = scaling(fitted)
        X_net = self._standardise(X)
        self.categorical_features_ = np.empty(0, dtype=np.int64)
        if table is not None:
            self.categorical_features_ = table.layout.categorical
            seed = stream_seed(train_seed, "category_encoding")
            self._encoding = CategoryEncoding(table.layout.n_categories, seed)
            self._anchor_codes = table.codes[anchor_rows]
            X_net = np.hstack([X_net, self._encoding.transform(table.codes)])
        return X_net, anchor_rows

    def _standardise(self, X):
        return ((X / self._unit - self._mean) / self._scale).astype(np.float32)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = False
        tags.input_tags.allow_nan = False
        tags.input_tags.string = self.categorical_features is not None
        tags.input_tags.categorical = self.categorical_features is not None
        tags.non_deterministic = False
        return tags
