"""Docstring pieces shared by the estimators: one wording for one rule.

A class decorated with :func:`fill_doc` has each line of its docstring that
holds only ``$NAME`` replaced by the piece ``NAME``, indented as the
placeholder was.
"""

import textwrap

PIECES = {
    "DEVICE": """\
device : {"auto", "cpu", "cuda"} or torch.device, default="auto"
    Where the networks run: ``"auto"`` takes a GPU when there is one. It is
    resolved once, in ``fit``, into ``device_``; the fitted networks stay
    there and predictions run there. A pickled estimator carries its
    networks on the CPU: loaded on a machine without that device, it runs on
    the CPU.""",
    "CHANNEL_AXIS": """\
channel_axis : {None, 1, -1}, default=None
    Where the channels are in 4-D input; ``None`` infers it and refuses
    ambiguous shapes.""",
    "VERBOSE": """\
verbose : int, default=0
    A progress bar when > 0.""",
    "DEVICE_ATTRIBUTE": """\
device_ : torch.device
    The device the networks were fitted on and predict on.""",
}


def fill_doc(cls):
    """Replace the ``$NAME`` lines of ``cls.__doc__`` by the shared pieces
    (nothing to do where ``python -OO`` removed the docstrings)."""
    if cls.__doc__ is None:
        return cls
    lines = []
    for line in cls.__doc__.splitlines():
        token = line.strip()
        if token.startswith("$") and token[1:] in PIECES:
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(textwrap.indent(PIECES[token[1:]], indent))
        else:
            lines.append(line)
    cls.__doc__ = "\n".join(lines)
    return cls
