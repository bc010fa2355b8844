"""CTGAN as an over-sampler: the benchmark's GAN peer (``--methods ctgan``).

CTGAN (Xu et al., NeurIPS 2019; the ``ctgan`` package of the SDV project) is
the tabular GAN most users know. It models a whole table: continuous columns
through a per-column Gaussian mixture (mode-specific normalisation),
categorical columns through a conditional vector and training-by-sampling.
Used as an over-sampler, as users do, it is fitted on the rows of each class
that is to grow, and sampled for as many new rows as the class needs
(imbalanced-learn's ``sampling_strategy``). It handles categorical columns
itself: on a mixed table it sees the raw rows, as SMOTENC does.

The ``ctgan`` package is optional: ``pip install 'skimbgan[ctgan]'``.
"""

import numbers

import numpy as np
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_target_type
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import validate_data

#: The message when the optional package is missing.
INSTALL = "CTGANSampler needs the ctgan package: pip install 'skimbgan[ctgan]'."
#: What to do when CTGAN fails on the numbers it is given.
SCALE = (
    "CTGAN's per-column Gaussian mixtures need numbers of moderate magnitude: "
    "standardise the numeric columns first (the benchmark's pipelines do)."
)


def _discrete_positions(X):
    """Positions of the columns CTGAN treats as discrete: a DataFrame's
    category, object, string and bool columns; an object array's columns
    holding anything but numbers; none for a numeric array."""
    if hasattr(X, "dtypes"):
        import pandas as pd

        return [
            i
            for i, dtype in enumerate(X.dtypes)
            if isinstance(dtype, pd.CategoricalDtype)
            or pd.api.types.is_object_dtype(dtype)
            or pd.api.types.is_string_dtype(dtype)
            or pd.api.types.is_bool_dtype(dtype)
        ]
    array = np.asarray(X)
    if array.dtype != object:
        return []
    return [
        j
        for j in range(array.shape[1])
        if not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in array[:, j])
    ]


class CTGANSampler(BaseOverSampler):
    """Over-sample each class with a CTGAN fitted on that class's rows.

    Parameters
    ----------
    sampling_strategy : float, str, dict or callable, default="auto"
        How many rows each class gets, as in imbalanced-learn's samplers.
    epochs : int, default=300
        CTGAN's training epochs (its default). An epoch is
        ``max(n_rows // batch_size, 1)`` steps: 300 steps on a class of fewer
        than ``batch_size`` rows, whose batches are drawn with replacement.
    batch_size : int, default=500
        Rows per step; a multiple of ``pac`` and even (CTGAN's rules).
    embedding_dim : int, default=128
        Size of the generator's noise.
    generator_dim, discriminator_dim : tuple of int, default=(256, 256)
        Widths of the generator's residual layers and the discriminator's layers.
    generator_lr, discriminator_lr : float, default=2e-4
        Adam's learning rates (CTGAN's defaults, as its other settings).
    discriminator_steps : int, default=1
        Discriminator updates per generator update.
    pac : int, default=10
        Rows the discriminator judges together (PacGAN).
    device : str, default="auto"
        Where CTGAN trains: ``"auto"`` (CUDA when available), ``"cpu"``,
        ``"cuda"``.
    random_state : int, RandomState instance or None, default=None
        Seeds each class's CTGAN (numpy's and torch's generators inside its
        fit and sample; the global states are restored afterwards).
    verbose : bool, default=False
        CTGAN's progress bars.

    Attributes
    ----------
    sampling_strategy_ : dict
        The number of new rows per class.
    discrete_columns_ : list of int
        The positions of the columns CTGAN modelled as discrete.
    synthesizers_ : dict
        The fitted ``ctgan.CTGAN`` of each class that grew.
    """

    _sampling_type = "over-sampling"
    _parameter_constraints = {
        **BaseOverSampler._parameter_constraints,
        "epochs": [Interval(numbers.Integral, 1, None, closed="left")],
        "batch_size": [Interval(numbers.Integral, 2, None, closed="left")],
        "embedding_dim": [Interval(numbers.Integral, 1, None, closed="left")],
        "generator_dim": [tuple, list],
        "discriminator_dim": [tuple, list],
        "generator_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "discriminator_lr": [Interval(numbers.Real, 0, None, closed="neither")],
        "discriminator_steps": [Interval(numbers.Integral, 1, None, closed="left")],
        "pac": [Interval(numbers.Integral, 1, None, closed="left")],
        "device": [StrOptions({"auto", "cpu", "cuda"}), str],
        "random_state": ["random_state"],
        "verbose": ["boolean"],
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        epochs=300,
        batch_size=500,
        embedding_dim=128,
        generator_dim=(256, 256),
        discriminator_dim=(256, 256),
        generator_lr=2e-4,
        discriminator_lr=2e-4,
        discriminator_steps=1,
        pac=10,
        device="auto",
        random_state=None,
        verbose=False,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.epochs = epochs
        self.batch_size = batch_size
        self.embedding_dim = embedding_dim
        self.generator_dim = generator_dim
        self.discriminator_dim = discriminator_dim
        self.generator_lr = generator_lr
        self.discriminator_lr = discriminator_lr
        self.discriminator_steps = discriminator_steps
        self.pac = pac
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    def fit_resample(self, X, y, **params):
        """Resample: the original rows, then each class's CTGAN samples.

        Parameters
        ----------
        X : {array-like, DataFrame} of shape (n_samples, n_features)
            Numeric columns finite; a DataFrame's category, object, string
            and bool columns (an object array's non-numeric columns) are
            CTGAN's discrete columns.
        y : array-like of shape (n_samples,)
            Class labels.
        **params : dict
            Not used; present for the imbalanced-learn API.

        Returns
        -------
        X_resampled, y_resampled
            The input kinds of ``X`` and ``y``.
        """
        self._validate_params()
        if self.batch_size % self.pac or self.batch_size % 2:
            raise ValueError(
                f"batch_size={self.batch_size} must be even and a multiple of "
                f"pac={self.pac} (CTGAN's rules)."
            )
        self.discrete_columns_ = _discrete_positions(X)
        return super().fit_resample(X, y, **params)

    def _check_X_y(self, X, y):
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        dtype = None if self.discrete_columns_ else [np.float64, np.float32]
        # finite values (missing ones are refused: impute them first)
        X, y = validate_data(self, X=X, y=y, reset=True, dtype=dtype, accept_sparse=False)
        return X, y, binarize_y

    def _fit_resample(self, X, y):
        try:
            from ctgan import CTGAN
        except ImportError as exc:
            raise ImportError(INSTALL) from exc
        import pandas as pd
        import torch

        from skimbgan.utils._device import resolve_device

        device = resolve_device(self.device)
        rng = check_random_state(self.random_state)
        columns = [f"c{j}" for j in range(X.shape[1])]
        discrete = [columns[j] for j in self.discrete_columns_]
        self.synthesizers_ = {}
        new_X, new_y = [X], [y]
        for label, n_new in self.sampling_strategy_.items():
            seed = int(rng.randint(np.iinfo(np.int32).max))
            if n_new == 0:
                continue
            rows = pd.DataFrame(X[y == label], columns=columns)
            for name in columns:
                if name not in discrete:
                    rows[name] = rows[name].astype(float)
            synthesizer = CTGAN(
                embedding_dim=self.embedding_dim,
                generator_dim=tuple(self.generator_dim),
                discriminator_dim=tuple(self.discriminator_dim),
                generator_lr=self.generator_lr,
                discriminator_lr=self.discriminator_lr,
                batch_size=self.batch_size,
                discriminator_steps=self.discriminator_steps,
                verbose=self.verbose,
                epochs=self.epochs,
                pac=self.pac,
                enable_gpu=False,
            )
            synthesizer.set_device(torch.device(device))
            synthesizer.set_random_state(seed)
            try:
                synthesizer.fit(rows, discrete_columns=discrete)
                sampled = synthesizer.sample(n_new)[columns].to_numpy()
            except (ValueError, FloatingPointError) as exc:
                raise ValueError(f"CTGAN could not model class {label!r}: {exc}. {SCALE}") from exc
            numeric = [j for j in range(X.shape[1]) if j not in self.discrete_columns_]
            if not np.isfinite(sampled[:, numeric].astype(float)).all():
                raise ValueError(f"CTGAN sampled non-finite values for class {label!r}. {SCALE}")
            self.synthesizers_[label] = synthesizer
            new_X.append(sampled.astype(X.dtype))
            new_y.append(np.full(n_new, label, dtype=y.dtype))
        return np.concatenate(new_X), np.concatenate(new_y)
