"""The benchmark's method registry (one entry per method, fingerprints from
imports) and its GAN peer, CTGAN as an over-sampler."""

import importlib.util

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_classification

from skimbgan.benchmark import REGISTRY, _methods, _registry, _run, own_code
from skimbgan.benchmark._methods import parse_method

from . import test_benchmark as tb
from .test_benchmark_mixed import mixed_frame, run, write

HAS_CTGAN = importlib.util.find_spec("ctgan") is not None
needs_ctgan = pytest.mark.skipif(not HAS_CTGAN, reason="the optional ctgan package")
#: A CTGAN small enough for tests: two epochs of tiny networks.
TINY = dict(epochs=2, batch_size=20, pac=2, embedding_dim=8)
TINY_SPEC = "ctgan:" + ",".join(f"{k}={v}" for k, v in TINY.items())
TINY_SPEC += ",generator_dim=(8,),discriminator_dim=(8,)"


# --- the registry -----------------------------------------------------------------


def test_every_entry_is_whole_and_names_are_unique():
    aliases = [a for e in REGISTRY.values() for a in e.aliases]
    assert len(aliases) == len(set(aliases))
    assert not set(aliases) & set(REGISTRY)
    for name, entry in REGISTRY.items():
        assert entry.name == name and entry.description
        assert entry.kind in ("classifier", "sampler", "own")
        assert (entry.estimator is None) == (entry.kind == "classifier"), name
        # the tuning budget: two own settings for a sampler, four for a classifier of its own
        assert len(entry.grid) == {"classifier": 0, "sampler": 2, "own": 4}[entry.kind], name
        assert bool(entry.requires) == bool(entry.extra), name


def test_aliases_resolve_to_their_entry():
    assert parse_method("Balanced-Random-Forest").base == "brf"
    assert parse_method("polarity_gan+threshold").name == "polarity+threshold"
    assert parse_method("tuned-threshold").base == "threshold"
    assert _registry.lookup("nonsense") is None


def test_the_fingerprint_follows_the_imports():
    polarity = own_code("polarity")
    egan = own_code("egan")
    # the estimator's module, the core it trains with, and what those import
    assert "over_sampling/_polarity_gan.py" in polarity
    assert "_core/polarity/training.py" in polarity
    assert "metrics/_uncertainty.py" in polarity  # the hand-kept list missed metrics/
    assert "utils/_validation.py" in polarity
    assert "classification/_egan.py" in egan and "_core/egan/training.py" in egan
    # not what the method does not import
    assert "classification/_egan.py" not in polarity
    assert not any(path.startswith("_core/polarity") for path in egan)
    assert not any(path.startswith("benchmark/") for path in polarity + egan)
    # a method from another library: its version is in the key, no own code
    assert own_code("smote") == [] and own_code("brf") == [] and own_code("none") == []
    assert own_code("ctgan") == sorted(set(own_code("ctgan")))
    assert "benchmark/_ctgan.py" in own_code("ctgan")
    assert _run.code_fingerprint(polarity) != _run.code_fingerprint(egan)


def test_an_edit_to_an_imported_file_changes_only_its_methods_keys(tmp_path, monkeypatch):
    from skimbgan.benchmark._data import load

    dataset = load(tb.write_csv(tmp_path / "d.csv", 0), "label")
    methods = _methods.parse_methods(["smote", tb.FAST_POLARITY])

    def keys():
        tasks = _run.make_tasks([dataset], methods, ["lr"], 2, 1, 0)[0]
        return {t.method.name: t.key for t in tasks}

    before = keys()
    original = _registry.own_code
    edited = "over_sampling/_polarity_gan.py"
    monkeypatch.setattr(
        _run,
        "own_code",
        lambda name: [p if p != edited else "utils/_docs.py" for p in original(name)],
    )
    after = keys()
    assert after["smote"] == before["smote"]
    assert after[methods[1].name] != before[methods[1].name]


def test_a_method_whose_package_is_missing_says_how_to_install_it(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "ctgan" else real(name, *a)
    )
    with pytest.raises(ValueError, match=r"pip install 'skimbgan\[ctgan\]'"):
        parse_method("ctgan")
    assert _registry.versions("ctgan") if HAS_CTGAN else True
    text = _methods.method_help()
    assert "ctgan" in text and "skimbgan[ctgan]" in text


# --- CTGAN as an over-sampler ------------------------------------------------------


@needs_ctgan
def test_ctgan_grows_the_minority_to_the_majority_and_keeps_the_originals_first():
    from skimbgan.benchmark import CTGANSampler

    X, y = make_classification(120, 4, weights=[0.85], random_state=0)
    sampler = CTGANSampler(**TINY, device="cpu", random_state=0)
    X_new, y_new = sampler.fit_resample(X, y)
    counts = np.bincount(y_new)
    assert counts[0] == counts[1] == np.bincount(y)[0]
    np.testing.assert_array_equal(X_new[: len(X)], X)
    np.testing.assert_array_equal(y_new[len(y) :], 1)
    assert np.isfinite(X_new).all() and X_new.dtype == X.dtype
    assert set(sampler.synthesizers_) == {1} and sampler.discrete_columns_ == []
    # seeded: the same rows again; another seed, other rows
    again, _ = CTGANSampler(**TINY, device="cpu", random_state=0).fit_resample(X, y)
    other, _ = CTGANSampler(**TINY, device="cpu", random_state=1).fit_resample(X, y)
    np.testing.assert_array_equal(X_new, again)
    assert not np.array_equal(X_new[len(X) :], other[len(X) :])


@needs_ctgan
def test_ctgan_models_categorical_columns_itself():
    from skimbgan.benchmark import CTGANSampler

    rng = np.random.RandomState(0)
    frame = pd.DataFrame(
        {
            "a": rng.normal(size=80),
            "colour": pd.Categorical(rng.choice(["red", "green", "blue"], 80)),
        }
    )
    y = np.r_[np.zeros(64, int), np.ones(16, int)]
    frame.loc[y == 1, "colour"] = "red"  # the minority is all red
    sampler = CTGANSampler(**TINY, device="cpu", random_state=0)
    X_new, y_new = sampler.fit_resample(frame, y)
    assert isinstance(X_new, pd.DataFrame) and list(X_new.columns) == ["a", "colour"]
    assert X_new.colour.dtype == frame.colour.dtype and X_new.a.dtype == np.float64
    assert sampler.discrete_columns_ == [1]
    # a class's CTGAN knows only that class's categories
    assert set(X_new.colour[len(frame) :]) == {"red"}
    assert np.bincount(y_new).tolist() == [64, 64]


@needs_ctgan
@pytest.mark.parametrize(
    "params, message",
    [
        (dict(batch_size=25), "even and a multiple of pac"),
        (dict(batch_size=20, pac=3), "even and a multiple of pac"),
        (dict(epochs=0), "epochs"),
    ],
)
def test_bad_ctgan_settings_fail_clearly(params, message):
    from skimbgan.benchmark import CTGANSampler

    X, y = make_classification(60, 3, n_informative=2, n_redundant=0, random_state=0)
    with pytest.raises(ValueError, match=message):
        CTGANSampler(**{**TINY, **params}).fit_resample(X, y)


@needs_ctgan
def test_ctgan_at_extreme_magnitudes_fails_clearly_or_stays_finite():
    from skimbgan.benchmark import CTGANSampler

    X, y = make_classification(60, 3, n_informative=2, n_redundant=0, random_state=0)
    # CTGAN's mixtures overflow on this one x 1e300
    Z, z = np.random.RandomState(0).normal(size=(60, 3)), np.r_[np.zeros(50, int), np.ones(10, int)]
    tiny = {**TINY, "generator_dim": (8,), "discriminator_dim": (8,)}
    outcomes = []
    for data, labels in ((X, y), (Z, z)):
        for scale in (1e300, 1e-300):
            try:
                X_new, _ = CTGANSampler(**tiny, device="cpu", random_state=0).fit_resample(
                    data * scale, labels
                )
            except ValueError as exc:
                assert "standardise the numeric columns first" in str(exc)
                outcomes.append("error")
            else:
                assert np.isfinite(X_new).all()
                outcomes.append("finite")
    assert "error" in outcomes  # the clear message is reached, not a library's


@needs_ctgan
def test_ctgan_rejects_missing_numbers():
    from skimbgan.benchmark import CTGANSampler

    X, y = make_classification(60, 3, n_informative=2, n_redundant=0, random_state=0)
    X[0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        CTGANSampler(**TINY).fit_resample(X, y)
    frame = pd.DataFrame({"a": X[:, 0], "c": pd.Categorical(np.where(y == 1, "p", "q"))})
    with pytest.raises(ValueError, match="NaN"):
        CTGANSampler(**TINY).fit_resample(frame, y)


@needs_ctgan
def test_ctgan_runs_in_the_benchmark_with_a_threshold_and_tuned(tmp_path):
    import json

    out = tmp_path / "out"
    # two methods x two splits x lr
    methods = f"smote,{TINY_SPEC},{TINY_SPEC.replace('ctgan:', 'ctgan+threshold:')}"
    assert tb.run_cli(tb.write_csv(tmp_path / "d.csv", 0), out, "--methods", methods) == 0
    rows = pd.read_csv(out / "results.csv")
    ctgan = rows[rows.method.str.startswith("ctgan")]
    assert len(ctgan) == 2 * 2 and (ctgan.error.fillna("") == "").all()
    assert ctgan.f1.notna().all() and ctgan.fit_seconds.gt(0).all()
    # tuned: four candidates, the method's own settings kept fixed
    import dataclasses

    from skimbgan.benchmark._tuning import candidates

    method = dataclasses.replace(parse_method("ctgan:batch_size=20,pac=2"), tune="f1")
    found = candidates(method, "lr")
    assert len(found) == 4 and all(params["batch_size"] == 20 for params, _ in found)
    assert len({json.dumps(c, sort_keys=True, default=str) for c in found}) == 4


@needs_ctgan
def test_ctgan_on_a_mixed_table_resamples_the_raw_rows(tmp_path):
    from skimbgan.benchmark._mixed_pipelines import columns_of

    data = write(mixed_frame(), tmp_path / "m.csv")
    assert run(data, tmp_path / "out", TINY_SPEC, "lr,hgb") == 0
    rows = pd.read_csv(tmp_path / "out" / "results.csv")
    assert len(rows) == 4 and (rows.error.fillna("") == "").all()
    # the pipeline: the raw rows go to CTGAN, then the encoding the classifier needs
    from skimbgan.benchmark._data import load

    dataset = load(data, "label")
    model = parse_method(TINY_SPEC).build("hgb", 0, 10, columns=columns_of(dataset.X))
    names = [type(step).__name__ for _, step in model.steps]
    assert names == [
        "ColumnTransformer",
        "CTGANSampler",
        "ColumnTransformer",
        "HistGradientBoostingClassifier",
    ]
