"""A small Adam optimiser for the cores' small networks.

``torch.optim`` imports ``torch._dynamo`` the first time an optimiser is built
in a process, which takes seconds on a small CPU machine: as long as a whole
default ``PolarityGANSampler`` fit. This is the same update rule (Kingma & Ba,
2015, with bias correction, no weight decay, no AMSGrad), in a few tensor
operations per parameter and nothing to import.
"""

import math

import torch


class Adam:
    """Adam over a list of parameters; ``zero_grad()`` then ``step()``.

    Parameters
    ----------
    params : iterable of torch.nn.Parameter
    lr : float
    betas : tuple of float
    eps : float
    """

    def __init__(self, params, lr, betas=(0.9, 0.999), eps=1e-8):
        self.params = [p for p in params if p.requires_grad]
        self.lr = float(lr)
        self.beta1, self.beta2 = (float(b) for b in betas)
        self.eps = float(eps)
        self.n_steps = 0
        self.exp_avg = [torch.zeros_like(p) for p in self.params]
        self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self):
        self.n_steps += 1
        correction1 = 1.0 - self.beta1**self.n_steps
        correction2 = 1.0 - self.beta2**self.n_steps
        step_size = self.lr / correction1
        root_correction2 = math.sqrt(correction2)
        for p, m, v in zip(self.params, self.exp_avg, self.exp_avg_sq, strict=True):
            if p.grad is None:
                continue
            g = p.grad
            m.lerp_(g, 1.0 - self.beta1)
            v.mul_(self.beta2).addcmul_(g, g, value=1.0 - self.beta2)
            denom = (v.sqrt() / root_correction2).add_(self.eps)
            p.addcdiv_(m, denom, value=-step_size)
