"""What every training loop shares: frozen parameters and the best checkpoint."""

import contextlib
import copy
import math

import torch


@contextlib.contextmanager
def frozen(*modules):
    """Run a block with every parameter of ``modules`` out of autograd.

    The networks still compute (and pass gradients to their inputs); their
    own parameters get none. Each parameter's ``requires_grad`` is restored
    afterwards, so parameters that were frozen before stay frozen.
    """
    parameters = [p for module in modules for p in module.parameters()]
    flags = [p.requires_grad for p in parameters]
    for parameter in parameters:
        parameter.requires_grad_(False)
    try:
        yield
    finally:
        for parameter, flag in zip(parameters, flags, strict=True):
            parameter.requires_grad_(flag)


class BestCheckpoint:
    """The state of ``modules`` at their best validation score, with patience.

    ``update(score, position)`` keeps a copy of the modules' state when
    ``score`` beats the best so far (a NaN never does) and otherwise counts
    one evaluation without improvement; ``exhausted`` says when ``patience``
    such evaluations have passed (never with ``patience=None``).
    ``restore()`` loads the kept state back.
    """

    def __init__(self, modules, patience=None):
        self.modules = modules
        self.patience = patience
        self.score = -math.inf
        self.position = 0
        self.state = None
        self.waited = 0

    def update(self, score, position, keep=False):
        """Record one evaluation; ``keep=True`` keeps this state whatever the
        score (the loops without validation data keep their last state).
        Returns whether the state was kept."""
        if keep or score > self.score:
            self.score, self.position, self.waited = score, position, 0
            self.state = self._snapshot()
            return True
        self.waited += 1
        return False

    @property
    def exhausted(self):
        return self.patience is not None and self.waited >= self.patience

    def restore(self):
        """Load the kept state into the modules; False when none was kept."""
        if self.state is None:
            return False
        self._load(self.state)
        return True

    def _snapshot(self):
        return [copy.deepcopy(module.state_dict()) for module in self.modules]

    def _load(self, state):
        for module, kept in zip(self.modules, state, strict=True):
            module.load_state_dict(kept)


class TensorCheckpoint(BestCheckpoint):
    """:class:`BestCheckpoint` of a list of tensors (for example one member's
    slices of stacked weights) instead of modules: copies of their values are
    kept, and ``restore()`` writes them back in place."""

    def rebind(self, tensors):
        """The same weights now live in ``tensors`` (for example after the
        stack they were slices of dropped other members): snapshots and
        ``restore()`` use these from now on."""
        self.modules = list(tensors)

    def _snapshot(self):
        return [tensor.detach().clone() for tensor in self.modules]

    @torch.no_grad()
    def _load(self, state):
        for tensor, kept in zip(self.modules, state, strict=True):
            tensor.copy_(kept)
