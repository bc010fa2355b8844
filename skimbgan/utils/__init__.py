"""The support floor every estimator of skimbgan stands on (internal).

Estimators import their input checks, hold-out splits, seeds, device rule,
warnings and shared parameter constraints from here, and nothing from each
other's private modules:

- :mod:`._validation`: targets, validation data and hold-out splits;
- :mod:`._image_input`: image arrays in the layouts the image estimators accept;
- :mod:`._seeds`: one ``random_state`` turned into named independent seeds;
- :mod:`._device`: the device resolved once per fit, and fitted networks that
  load on a machine without the device they were fitted on;
- :mod:`._warnings`: warnings that point at the user's line;
- :mod:`._params`: parameter constraints shared by several estimators.

Nothing here is public API: names and signatures may change between releases.
"""
