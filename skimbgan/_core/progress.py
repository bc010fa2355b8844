"""Progress reporting for long fits."""

from tqdm.auto import tqdm


class Progress:
    """A progress bar over ``total`` steps that shows the latest losses.

    With ``verbose=0`` it does nothing, so training loops can call it
    unconditionally.
    """

    def __init__(self, total, verbose=0, desc=None):
        self._bar = None
        if verbose:
            self._bar = tqdm(total=total, desc=desc, leave=verbose > 1)

    def update(self, n=1, **losses):
        if self._bar is None:
            return
        if losses:
            self._bar.set_postfix(
                {key: f"{value:.3g}" for key, value in losses.items()}, refresh=False
            )
        self._bar.update(n)

    def close(self):
        if self._bar is not None:
            self._bar.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False
