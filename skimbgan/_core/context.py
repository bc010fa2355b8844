"""What every training loop runs with besides its data and its networks."""

from dataclasses import dataclass


@dataclass(frozen=True)
class FitContext:
    """A training loop's settings: the core's configuration of the fit
    (``EGANConfig``, ``PolarityGANConfig``, ``EndToEndConfig``), the device
    its networks train on, the loop's seed (its other random streams derive
    from it by name, :func:`~skimbgan._core.random.stream_seed`) and the
    verbosity (0: silent, 1: a progress bar)."""

    config: object
    device: object
    seed: int
    verbose: int = 0
