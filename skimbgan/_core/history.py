"""Loss history recorded during training."""


class History:
    """Rows of scalar values, one row per logged step.

    ``as_dict()`` gives ``{name: [value, ...]}``, the form stored on fitted
    estimators as ``history_`` (easy to plot or turn into a DataFrame).
    """

    def __init__(self):
        self.rows = []

    def record(self, **values):
        self.rows.append({key: float(value) for key, value in values.items()})

    def as_dict(self):
        keys = []
        for row in self.rows:
            keys.extend(key for key in row if key not in keys)
        return {key: [row.get(key, float("nan")) for row in self.rows] for key in keys}

    def __len__(self):
        return len(self.rows)
