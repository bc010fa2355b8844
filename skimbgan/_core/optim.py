"""A small Adam optimiser for the cores' small networks.

``torch.optim`` imports ``torch._dynamo`` the first time an optimiser is built
in a process, which takes seconds on a small CPU machine: as long as a whole
default ``PolarityGANSampler`` fit. This is the same update rule (Kingma & Ba,
2015, with bias correction, no weight decay, no AMSGrad), in a few tensor
operations per parameter and nothing to import.
"""

import math

import torch

#: Second moments below this (the smallest normal float32) are read as this
#: in the denominator (see step).
_TINY = torch.finfo(torch.float32).tiny


class Adam:
    """Adam over a list of parameters; ``zero_grad()`` then ``step()``.

    When every parameter has the same dtype and device, they are moved into
    one flat buffer (each parameter a view of its part), so that an update
    of all of them is a handful of operations on that buffer instead of a
    handful per parameter: the same arithmetic, element for element, at a
    fraction of the per-step overhead. Build the optimiser after the
    parameters are on their device.

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
        self.flat = _flatten(self.params)
        if self.flat is not None:
            # one flat buffer per moment; each parameter's moments are views of it
            self.flat_moments = (torch.zeros_like(self.flat), torch.zeros_like(self.flat))
            sizes = [p.numel() for p in self.params]
            self.exp_avg, self.exp_avg_sq = (
                [part.view_as(p) for part, p in zip(t.split(sizes), self.params, strict=True)]
                for t in self.flat_moments
            )
        else:
            self.exp_avg = [torch.zeros_like(p) for p in self.params]
            self.exp_avg_sq = [torch.zeros_like(p) for p in self.params]

    @torch.no_grad()
    def select(self, params, index):
        """This optimiser carried over to ``params``, where each new parameter
        is the old one's entries ``[index]`` along its first axis (a stack of
        networks that dropped some of its members): the new parameters get
        the matching slices of the moments, and the step count is kept."""
        new = Adam(params, self.lr, (self.beta1, self.beta2), self.eps)
        new.n_steps = self.n_steps
        pairs = ((self.exp_avg, new.exp_avg), (self.exp_avg_sq, new.exp_avg_sq))
        for moments, new_moments in pairs:
            for old, fresh in zip(moments, new_moments, strict=True):
                fresh.copy_(old[index])
        return new

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self, grads=None):
        """One update from each parameter's ``.grad``, or from ``grads`` (one
        tensor per parameter, in order: what ``torch.autograd.grad`` returns).
        A parameter without a gradient (None) is left as it is, moments
        included."""
        if grads is None:
            grads = [p.grad for p in self.params]
        self.n_steps += 1
        correction1 = 1.0 - self.beta1**self.n_steps
        correction2 = 1.0 - self.beta2**self.n_steps
        step_size = self.lr / correction1
        root_correction2 = math.sqrt(correction2)
        if self.flat is not None and all(g is not None for g in grads):
            flat_grad = torch.cat([g.reshape(-1) for g in grads])
            m, v = self.flat_moments
            self._update([self.flat], [flat_grad], [m], [v], step_size, root_correction2)
        else:
            self._update(
                self.params, grads, self.exp_avg, self.exp_avg_sq, step_size, root_correction2
            )

    def _update(self, params, grads, exp_avg, exp_avg_sq, step_size, root_correction2):
        for p, g, m, v in zip(params, grads, exp_avg, exp_avg_sq, strict=True):
            if g is None:
                continue
            m.lerp_(g, 1.0 - self.beta1)
            v.mul_(self.beta2).addcmul_(g, g, value=1.0 - self.beta2)
            # the square root of a denormal costs ~20 times that of a normal
            # float on a CPU; below _TINY the root is far under half an ulp
            # of eps, so clamping there leaves every denominator unchanged
            denom = v.clamp_min(_TINY).sqrt_().div_(root_correction2).add_(self.eps)
            p.addcdiv_(m, denom, value=-step_size)


def _flatten(params):
    """One flat buffer holding ``params`` (each becomes a view of its part),
    or None when they differ in dtype or device, or there are none."""
    if not params or len({(p.dtype, p.device) for p in params}) > 1:
        return None
    flat = torch.cat([p.detach().reshape(-1) for p in params])
    offset = 0
    for p in params:
        n = p.numel()
        p.data = flat[offset : offset + n].view_as(p)
        offset += n
    return flat
