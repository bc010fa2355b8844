"""Warnings that point at the user's code, whatever the call path."""

import os
import sys
import warnings

import imblearn
import sklearn

import skimbgan

#: Packages whose frames are skipped: the warning is about the user's call,
#: which may pass through a Pipeline, a search or a resampler's public method.
_LIBRARY_DIRS = tuple(
    os.path.dirname(module.__file__) + os.sep for module in (skimbgan, sklearn, imblearn)
)


def _stacklevel():
    """``stacklevel`` for a ``warnings.warn`` made by the caller of this
    module's :func:`warn`: the first frame outside skimbgan, scikit-learn and
    imbalanced-learn."""
    frame = sys._getframe(2)  # the caller of warn()
    level = 2
    while frame is not None and frame.f_code.co_filename.startswith(_LIBRARY_DIRS):
        frame = frame.f_back
        level += 1
    return level


def warn(message, category=UserWarning):
    """``warnings.warn`` attributed to the first frame outside the libraries."""
    warnings.warn(message, category, stacklevel=_stacklevel())
