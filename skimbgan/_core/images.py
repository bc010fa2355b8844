"""Image preprocessing and batched embedding (tensors in, tensors out)."""

import torch
from torch.nn import functional as F

from .progress import Progress


def preprocess(images, input_size, mean, std):
    """Resize, replicate grey channels and normalise a batch.

    Parameters
    ----------
    images : Tensor (n, C, H, W), float in [0, 1], C in {1, 3}
    input_size : int
    mean, std : sequence of 3 floats

    Returns
    -------
    Tensor (n, 3, input_size, input_size)
    """
    if images.shape[1] == 1:
        images = images.expand(-1, 3, -1, -1)
    if images.shape[-2:] != (input_size, input_size):
        images = F.interpolate(
            images,
            size=(input_size, input_size),
            mode="bilinear",
            align_corners=False,
            antialias=True,
        )
    mean = torch.as_tensor(mean, dtype=images.dtype, device=images.device)[None, :, None, None]
    std = torch.as_tensor(std, dtype=images.dtype, device=images.device)[None, :, None, None]
    return (images - mean) / std


def embed(module, images, input_size, mean, std, device, batch_size=64, verbose=0):
    """Pooled features of ``images`` (numpy (n, C, H, W) in [0, 1]) as float32.

    Batches run under ``torch.inference_mode`` with the module in eval mode.
    """
    module = module.to(device)
    module.eval()
    n = images.shape[0]
    parts = []
    with torch.inference_mode(), Progress(n, verbose, desc="Embedding") as progress:
        for start in range(0, n, batch_size):
            batch = torch.as_tensor(images[start : start + batch_size], dtype=torch.float32)
            batch = preprocess(batch.to(device), input_size, mean, std)
            parts.append(module(batch).float().cpu())
            progress.update(batch.shape[0])
    if not parts:
        return torch.empty(0, 0)
    return torch.cat(parts)
