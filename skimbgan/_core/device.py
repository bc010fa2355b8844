"""Device resolution shared by every estimator."""

import torch

#: Device types that hold tensors and run the networks.
DEVICE_TYPES = ("cpu", "cuda", "mps", "xpu")


def device_available(device):
    """Whether ``device`` (a :class:`torch.device`) exists on this machine."""
    if device.type == "cpu":
        return True
    if device.type == "cuda":
        return torch.cuda.is_available() and (
            device.index is None or device.index < torch.cuda.device_count()
        )
    if device.type == "mps":
        return torch.backends.mps.is_available()
    if device.type == "xpu":
        return hasattr(torch, "xpu") and torch.xpu.is_available()
    return False


def resolve_device(device="auto"):
    """Turn a user's ``device`` parameter into a :class:`torch.device`.

    Parameters
    ----------
    device : {"auto", "cpu", "cuda"}, str or torch.device
        ``"auto"`` picks CUDA when it is available and the CPU otherwise. Any
        other string (``"cuda:1"``, ``"mps"``) or a ``torch.device`` is used as
        given, after checking that it is a device that runs networks
        (CPU, CUDA, MPS or XPU) and that it exists on this machine.

    Returns
    -------
    torch.device
    """
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(f"Unknown device {device!r}.") from exc
    if resolved.type not in DEVICE_TYPES:
        raise ValueError(
            f"device={device!r} cannot train or run networks; use 'auto', 'cpu', "
            "'cuda', 'cuda:N', 'mps' or 'xpu'."
        )
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but CUDA is not available on this "
            "machine; use device='auto' or 'cpu'."
        )
    if not device_available(resolved):
        raise ValueError(f"device={device!r} was requested but is not available on this machine.")
    return resolved
