"""The device rule shared by every estimator.

``device`` (the parameter) is kept as the user gave it and resolved once, in
``fit``, into ``device_``; the fitted networks stay on ``device_`` and every
prediction runs there. A fitted estimator is pickled with its networks on the
CPU, so a model fitted on a GPU loads on a machine without one: there its
networks stay on the CPU and ``device_`` becomes the CPU.
"""

import copy

import torch

from .._core.device import device_available, resolve_device

__all__ = ["FittedNetworksMixin", "resolve_device"]


class FittedNetworksMixin:
    """Pickling and prediction device for estimators that hold torch modules.

    Subclasses list the attribute names of their fitted modules in
    ``_fitted_networks``.
    """

    _fitted_networks: tuple = ()

    def _networks_in(self, state):
        return [name for name in self._fitted_networks if state.get(name) is not None]

    def __getstate__(self):
        state = super().__getstate__()
        if state is self.__dict__:
            state = dict(state)
        for name in self._networks_in(state):
            module = state[name]
            if any(t.device.type != "cpu" for t in _tensors(module)):
                state[name] = copy.deepcopy(module).cpu()
        return state

    def __setstate__(self, state):
        device = state.get("device_")
        if device is not None and device.type != "cpu":
            if device_available(device):
                for name in self._networks_in(state):
                    state[name] = state[name].to(device)
            else:
                state["device_"] = torch.device("cpu")
        super().__setstate__(state)


def _tensors(module):
    yield from module.parameters()
    yield from module.buffers()
